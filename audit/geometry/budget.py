"""The work a plan asks for, counted before any is done: bounded as nodes and aliases are.

A site file of a few kilobytes can place one lamp beside a wall 20,000 km long,
or a hundred cameras on a wall of 10,000 points: valid, and hours of geometry.
The computation in ``audit.geometry.sight`` costs, to within a constant, what
is counted here, pair by pair, from bounding boxes alone (an STRtree query in
chunks that stops as soon as a limit is passed, so the counting is bounded
too):

- views: each camera view against the wall segments within its reach (what it is
  tested on), and, apart, against the building corners within it (each corner's
  shadow is cut from the view: the costlier work);
- light: each lamp against the points along the walls within its reach where
  the illuminance is computed (``lighting.lux_along``);
- sightlines: each vantage point and zone it overlooks against the building
  corners between them.

Past a limit the file is refused at the element where it was crossed (exit 2),
by ``validate`` as by ``check``; the limits keep ``check`` of the worst file
under the byte limit to a minute on one core (``bench/bench_geometry.py``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from audit.geometry.segments import unique

MAX_VIEW_WORK = 2_000_000
"""Camera views x wall segments within their reach, summed."""
MAX_SHADOW_WORK = 500_000
"""Camera views x building corners within their reach, summed (each corner's shadow is cut
out of the view)."""
MAX_LIGHT_WORK = 4_000_000
"""Lamps x points along the walls within their reach, summed."""
MAX_SIGHT_WORK = 2_000_000
"""(Vantage point, zone it overlooks) x building corners between them, summed."""
MAX_CAMERAS_PER_WALL = 1_000
"""Cameras whose reach meets one wall: its stretches are cut by every pair of them."""
_CHUNK = 256


@dataclass(frozen=True)
class Excess:
    """Where a limit was crossed: the element's place in the file, and what to say."""

    where: tuple[str | int, ...]
    message: str


def excess(site: Any) -> Excess | None:
    """The first limit the plan of ``site`` (in local metres) passes, or None."""
    from audit.geometry.lighting import LAMP_FLOOR_LUX, SAMPLE_M, SAMPLES_PER_REACH
    from audit.geometry.sightlines import MAX_SIGHT_POINTS
    from audit.geometry.viewshed import DETECT_PX_M

    walls = [w for w in site.walls if w.course is not None]
    cams = [c for c in site.cameras if c.view is not None]
    lamps = [li for li in site.lights if li.lamp is not None]
    vps = [vp for vp in site.vantage_points if vp.at is not None and vp.overlooks]
    if not (walls or site.buildings) or not (cams or lamps or vps):
        return None
    import numpy as np

    segs = _Segments(walls)
    corners = _Corners(site.buildings)
    if cams:
        reach = np.array([c.view.reach(DETECT_PX_M) for c in cams])
        xy = np.array([c.view.at for c in cams], dtype=float)
        total = shade = 0
        per_wall = np.zeros(len(walls), dtype=np.int64)
        for k, (i, n_seg, walls_hit) in enumerate(segs.boxes(xy, reach)):
            total += n_seg
            shade += corners.count(xy[i], reach[i])
            if shade > MAX_SHADOW_WORK:
                return Excess(
                    _loc(cams[k], "view"),
                    f"the camera views reach more than {MAX_SHADOW_WORK:,} building corners in "
                    "all (this view passes the limit; each corner's shadow is cut from the "
                    "view); give cameras their range_m, or draw footprints with fewer corners",
                )
            per_wall[walls_hit] += 1
            crowded = walls_hit[per_wall[walls_hit] > MAX_CAMERAS_PER_WALL]
            if len(crowded):
                return Excess(
                    _loc(walls[int(crowded[0])], "course"),
                    f"more than {MAX_CAMERAS_PER_WALL} camera views reach this wall; its "
                    "stretches would be cut by every pair of them (split the wall, or give "
                    "cameras their range_m)",
                )
            if total > MAX_VIEW_WORK:
                return Excess(
                    _loc(cams[k], "view"),
                    f"the camera views reach more than {MAX_VIEW_WORK:,} wall segments in all "
                    "(this view passes the limit); give cameras their range_m, or split the "
                    "site",
                )
    if lamps:
        reach = np.array([li.lamp.reach(LAMP_FLOOR_LUX) for li in lamps])
        xy = np.array([li.lamp.at for li in lamps], dtype=float)
        total = 0
        for k, (i, lengths) in enumerate(segs.within(xy, reach)):
            step = max(SAMPLE_M, reach[i] / SAMPLES_PER_REACH)
            total += int(np.sum(np.minimum(lengths, 2.0 * reach[i]) // step + 2))
            if total > MAX_LIGHT_WORK:
                return Excess(
                    _loc(lamps[k], "lamp"),
                    f"the lamps light more than {MAX_LIGHT_WORK:,} points along the walls in "
                    "all (this lamp passes the limit; a point every half metre within a "
                    f"lamp's reach, where it gives {LAMP_FLOOR_LUX:g} lux); split the site",
                )
    total = 0
    for vp in vps:
        for target in vp.overlooks:
            box = _target_box(site, target, vp.at)
            if box is None:
                continue
            total += corners.in_box(box) * (MAX_SIGHT_POINTS + 2)
            if total > MAX_SIGHT_WORK:
                return Excess(
                    _loc(vp, "overlooks"),
                    f"the sightlines pass more than {MAX_SIGHT_WORK:,} building corners in "
                    "all (this vantage point passes the limit); split the site",
                )
    return None


def _loc(el: Any, *rest: str) -> tuple[str | int, ...]:
    return (*getattr(el, "_loc", ()), *rest)


def _target_box(site: Any, zone_id: str, at: list[float]) -> tuple[float, ...] | None:
    zone = site.get(zone_id)
    building = site.get(getattr(zone, "building", None) or "")
    shape = getattr(zone, "outline", None) or getattr(building, "footprint", None)
    if not shape:
        return None
    xs = [p[0] for p in shape] + [at[0]]
    ys = [p[1] for p in shape] + [at[1]]
    return min(xs), min(ys), max(xs), max(ys)


class _Segments:
    """Every segment of every wall course, in one STRtree."""

    def __init__(self, walls: list[Any]) -> None:
        import numpy as np
        import shapely

        starts, ends, owner = [], [], []
        for n, w in enumerate(walls):
            pts = np.asarray(w.course, dtype=float)
            starts.append(pts[:-1])
            ends.append(pts[1:])
            owner.append(np.full(len(pts) - 1, n))
        self.owner = np.concatenate(owner) if owner else np.zeros(0, dtype=int)
        if not owner:
            self.tree = None
            return
        a, b = np.concatenate(starts), np.concatenate(ends)
        self.length = np.hypot(*(b - a).T)
        self.tree = shapely.STRtree(shapely.linestrings(np.stack([a, b], axis=1)))

    def boxes(self, xy: Any, reach: Any) -> Iterator[tuple[int, int, Any]]:
        """For each point in turn: (its index, segments in its reach box, their walls)."""
        import numpy as np
        import shapely

        for lo in range(0, len(xy), _CHUNK):
            part = slice(lo, lo + _CHUNK)
            r = reach[part]
            boxes = shapely.box(*(xy[part] - r[:, None]).T, *(xy[part] + r[:, None]).T)
            hits = self.tree.query(boxes) if self.tree is not None else np.zeros((2, 0), dtype=int)
            order = np.argsort(hits[0], kind="stable")
            src, seg = hits[0][order], hits[1][order]
            bounds = np.searchsorted(src, np.arange(len(boxes) + 1))
            for j in range(len(boxes)):
                mine = seg[bounds[j] : bounds[j + 1]]
                yield lo + j, len(mine), unique(self.owner[mine])

    def within(self, xy: Any, reach: Any) -> Iterator[tuple[int, Any]]:
        """For each point in turn: (its index, lengths of the segments within its reach)."""
        import numpy as np
        import shapely

        for lo in range(0, len(xy), _CHUNK):
            part = slice(lo, lo + _CHUNK)
            points = shapely.points(xy[part])
            if self.tree is None:
                hits = np.zeros((2, 0), dtype=int)
            else:
                hits = self.tree.query(points, predicate="dwithin", distance=reach[part])
            order = np.argsort(hits[0], kind="stable")
            src, seg = hits[0][order], hits[1][order]
            bounds = np.searchsorted(src, np.arange(len(points) + 1))
            for j in range(len(points)):
                yield lo + j, self.length[seg[bounds[j] : bounds[j + 1]]]


class _Corners:
    """The corners of every building footprint, in one STRtree of points."""

    def __init__(self, buildings: list[Any]) -> None:
        import numpy as np
        import shapely

        pts = [p for b in buildings for p in b.footprint]
        self.tree = shapely.STRtree(shapely.points(np.asarray(pts, dtype=float))) if pts else None

    def count(self, at: Any, reach: float) -> int:
        x, y = float(at[0]), float(at[1])
        return self.in_box((x - reach, y - reach, x + reach, y + reach))

    def in_box(self, box: tuple[float, ...]) -> int:
        import shapely

        if self.tree is None or not all(math.isfinite(v) for v in box):
            return 0
        return len(self.tree.query(shapely.box(*box)))
