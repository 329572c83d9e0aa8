"""The light along each wall from the lamps on the plan: horizontal illuminance, point by point.

Each lamp is a point source (inverse square with the cosine of incidence); a wall counts as
lit for a camera without night vision where every point gets ``LIT_LUX`` or more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from audit.geometry.segments import Segments, ramps, unique
from audit.geometry.wall_cover import MIN_STRETCH_M, Stretch

SAMPLE_M = 0.5
"""Spacing of the points along a wall where the illuminance is computed (or the reach of the
farthest-reaching lamp near it over ``SAMPLES_PER_REACH``, when that is coarser)."""
SAMPLES_PER_REACH = 2000
"""Points per lamp's reach at most: a lamp that reaches a kilometre or more is sampled every
half a thousandth of its reach."""
LAMP_FLOOR_LUX = 0.01
"""Illuminance below which a lamp's light is left out: its reach ends there [assumed: 1/200
of the 2 lux TM 5-811-1 Table 11-1 asks of a boundary, the least level a rule asks]. A wall
beyond every lamp's reach is dark (0 lux) without a point computed along it."""
LIT_LUX = 2.0
"""Least illuminance at which a wall counts as lit for a camera without night vision: the
TM 5-811-1 Table 11-1 level for a boundary (2-4 lux), its lower end."""


@dataclass
class LuxProfile:
    """Horizontal illuminance along a wall, every ``SAMPLE_M`` metres, from its working lamps."""

    wall: str
    length_m: float
    at_m: list[float]
    lux: list[float]

    @property
    def darkest(self) -> float:
        return min(self.lux)

    def below(self, need: float) -> list[Stretch]:
        """Stretches (of at least ``MIN_STRETCH_M``) lit below ``need`` lux."""
        out: list[Stretch] = []
        start = None
        for m, e in zip(self.at_m, self.lux, strict=True):
            if e < need and start is None:
                start = m
            elif e >= need and start is not None:
                out.append(Stretch(start, m, ()))
                start = None
        if start is not None:
            out.append(Stretch(start, self.length_m, ()))
        return [s for s in out if s.length_m >= MIN_STRETCH_M]


def lux_along(wall_id: str, line: Any, lamps: list[Any]) -> LuxProfile:
    """The illuminance along ``line`` from ``lamps`` (point sources, inverse square with the
    cosine of incidence: E = I h / r^3 at each point)."""
    return lux_profiles([(wall_id, list(line.coords))], lamps)[wall_id]


def lux_profiles(walls: list[tuple[str, Any]], lamps: list[Any]) -> dict[str, LuxProfile]:
    """The illuminance along each wall (id, course) from ``lamps``: every ``SAMPLE_M`` metres
    within a lamp's reach (``LAMP_FLOOR_LUX``), summed over the lamps that reach each point,
    and 0 beyond every reach. The work is the lamps times the points within their reach
    (``budget.MAX_LIGHT_WORK``), whatever the walls' length."""
    import numpy as np

    segs = Segments(walls)
    reach = np.array([lamp.reach(LAMP_FLOOR_LUX) for lamp in lamps], dtype=float)
    at = np.array([lamp.at for lamp in lamps], dtype=float).reshape(-1, 2)
    li, sj = segs.near_points(at, reach)
    lo, hi = segs.within(sj, at[li], reach[li])
    keep = lo <= hi
    li, sj, lo, hi = li[keep], sj[keep], lo[keep], hi[keep]
    owner = segs.owner[sj]
    order = np.argsort(owner, kind="stable")
    li, sj, lo, hi, owner = li[order], sj[order], lo[order], hi[order], owner[order]
    bounds = np.searchsorted(owner, np.arange(len(walls) + 1))
    power = np.array([lamp.intensity * lamp.height_m for lamp in lamps], dtype=float)
    h2 = np.array([lamp.height_m**2 for lamp in lamps], dtype=float)
    out = {}
    for w, (wall_id, _) in enumerate(walls):
        mine = slice(bounds[w], bounds[w + 1])
        out[wall_id] = _profile(
            segs, w, wall_id, (li[mine], sj[mine], lo[mine], hi[mine]), reach, power, h2, at
        )
    return out


def _profile(
    segs: Segments,
    w: int,
    wall_id: str,
    pairs: tuple[Any, Any, Any, Any],
    reach: Any,
    power: Any,
    h2: Any,
    at: Any,
) -> LuxProfile:
    """One wall's profile from the (lamp, segment, start, end) stretches its lamps reach."""
    import numpy as np

    li, sj, lo, hi = pairs
    length = segs.length_of(w)
    spacing = max(SAMPLE_M, float(reach[li].max()) / SAMPLES_PER_REACH) if len(li) else SAMPLE_M
    n = max(2, int(math.ceil(length / spacing)) + 1)
    step = length / (n - 1)
    base = segs.cum[sj] - segs.cum[segs.first[w]]
    k0 = np.clip(np.ceil((base + lo) / step - 1e-9), 0, n - 1).astype(np.int64)
    k1 = np.clip(np.floor((base + hi) / step + 1e-9), 0, n - 1).astype(np.int64)
    counts = np.maximum(k1 - k0 + 1, 0)
    ks = np.repeat(k0, counts) + ramps(counts)
    lamp = np.repeat(li, counts)
    seg = np.repeat(sj, counts)
    m = ks * step
    m[ks == n - 1] = length
    # each point is lit once by a lamp: on the segment that holds it ([start, end), the last
    # segment [start, end])
    origin = segs.cum[segs.first[w]]
    start, end = segs.cum[seg] - origin, segs.cum[seg + 1] - origin
    mine = (m >= start) & ((m < end) | (seg == segs.first[w + 1] - 1))
    ks, lamp, seg, m, start = ks[mine], lamp[mine], seg[mine], m[mine], start[mine]
    frac = np.divide(m - start, segs.len[seg], out=np.zeros(len(m)), where=segs.len[seg] > 0)
    xy = segs.start[seg] + segs.vec[seg] * frac[:, None]
    dx, dy = xy[:, 0] - at[lamp, 0], xy[:, 1] - at[lamp, 1]
    r2 = dx * dx + dy * dy + h2[lamp]
    e = power[lamp] / (r2 * np.sqrt(r2))
    lit = unique(ks)
    edges = [np.array([0, n - 1])]
    if len(lit):
        gap = np.flatnonzero(np.diff(lit) > 1)
        edges += [lit[gap] + 1, lit[gap + 1] - 1, lit[:1] - 1, lit[-1:] + 1]
    points = unique(np.clip(np.concatenate([lit, *edges]), 0, n - 1))
    total = np.bincount(np.searchsorted(points, ks), weights=e, minlength=len(points))
    at_m = points * step
    at_m[points == n - 1] = length
    return LuxProfile(wall_id, float(length), at_m.tolist(), total.tolist())
