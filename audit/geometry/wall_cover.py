"""A wall cut into stretches by the cameras that see each one, and where it is weakest.

The adversary crosses where the fewest cameras see (the weakest stretch), so a camera
covers a wall, for the rules and the path analysis, only if it sees that stretch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from audit.geometry.segments import Segments, ramps, unique

MIN_STRETCH_M = 0.5
"""Stretches shorter than this are rounding, not gaps [assumed]."""


@dataclass(frozen=True)
class Stretch:
    """Metres ``start_m`` to ``end_m`` along a wall, and the cameras that see all of it."""

    start_m: float
    end_m: float
    cameras: tuple[str, ...]

    @property
    def length_m(self) -> float:
        return self.end_m - self.start_m

    def __str__(self) -> str:
        return f"metres {self.start_m:.0f}-{self.end_m:.0f}"


@dataclass
class WallCover:
    """A wall cut into stretches by the cameras that see each one."""

    wall: str
    length_m: float
    stretches: list[Stretch] = field(default_factory=list)
    _weakest: tuple[tuple[int, int], Stretch] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def unseen(self, cameras: set[str] | None = None) -> list[Stretch]:
        """Stretches (of at least ``MIN_STRETCH_M``) that none of ``cameras`` (default: none
        at all) sees."""
        out: list[Stretch] = []
        for s in self.stretches:
            live = s.cameras if cameras is None else tuple(c for c in s.cameras if c in cameras)
            if not live and s.length_m >= MIN_STRETCH_M:
                if out and abs(out[-1].end_m - s.start_m) < 1e-9:
                    out[-1] = Stretch(out[-1].start_m, s.end_m, ())
                else:
                    out.append(Stretch(s.start_m, s.end_m, ()))
        return out

    @property
    def weakest(self) -> Stretch:
        """Where the fewest cameras see (the longest such stretch): where an adversary crosses.
        Found once per list of stretches (every camera's targets ask for it)."""
        key = (id(self.stretches), len(self.stretches))
        if self._weakest is None or self._weakest[0] != key:
            real = [s for s in self.stretches if s.length_m >= MIN_STRETCH_M] or self.stretches
            found = min(real, key=lambda s: (len(s.cameras), -s.length_m, s.start_m))
            self._weakest = (key, found)
        return self._weakest[1]


def wall_cover(wall_id: str, line: Any, views: dict[str, Any]) -> WallCover:
    """Cut ``line`` at every point where a view's edge crosses it; each piece is seen by the
    views that hold its middle."""
    return wall_covers([(wall_id, list(line.coords))], views)[wall_id]


def wall_covers(
    walls: list[tuple[str, Any]], views: dict[str, Any], guard: Any = None
) -> dict[str, WallCover]:
    """Each wall (id, course) cut into stretches by the ``views`` (id -> area) that see each.

    Every wall is measured once: each view is intersected with the wall segments it meets
    (an STRtree of all of them), and a point of the intersection lies on a known segment, so
    its distance along the wall is that segment's start plus the distance from its first
    point. The work is the views times the segments they meet (``budget.MAX_VIEW_WORK``).
    ``guard(wall_index, named)`` may stop the work when the stretches name too many cameras.
    """
    import numpy as np
    import shapely

    segs = Segments(walls)
    names = sorted(views)
    cut_m: list[Any] = []
    cut_w: list[Any] = []
    seen: list[tuple[Any, Any, Any, Any]] = []  # (wall, camera, from, to)
    for c, name in enumerate(names):
        if not len(segs.len):
            break
        area = views[name]
        hits = segs.tree.query(area, predicate="intersects")
        if not len(hits):
            continue
        inter = shapely.intersection(segs.lines[hits], area)
        parts, which = shapely.get_parts(inter, return_index=True)
        keep = ~shapely.is_empty(parts)
        parts, seg_of = parts[keep], hits[which[keep]]
        if not len(parts):
            continue
        xy, part = shapely.get_coordinates(parts, return_index=True)
        sp = seg_of[part]
        along = np.minimum(np.hypot(*(xy - segs.start[sp]).T), segs.len[sp])
        m = segs.cum[sp] - segs.cum[segs.first[segs.owner[sp]]] + along
        cut_m.append(m)
        cut_w.append(segs.owner[sp])
        is_line = np.isin(shapely.get_type_id(parts), (1, 2))
        if is_line.any():
            starts = np.searchsorted(part, np.arange(len(parts)))
            lo = np.minimum.reduceat(m, starts)[is_line]
            hi = np.maximum.reduceat(m, starts)[is_line]
            wall = segs.owner[seg_of][is_line]
            seen.append((wall, np.full(len(lo), c), lo, hi))
    out = {}
    cuts = _by_wall(len(walls), cut_w, cut_m)
    spans = _by_wall(
        len(walls),
        [s[0] for s in seen],
        [np.stack([s[1], s[2], s[3]], axis=1) for s in seen],
        width=3,
    )
    for w, (wall_id, _) in enumerate(walls):
        length = segs.length_of(w)
        marks = unique(np.clip(np.concatenate([[0.0, length], cuts[w]]), 0.0, length))
        keep = np.diff(marks) >= 1e-9
        a, b = marks[:-1][keep], marks[1:][keep]
        cover = WallCover(wall_id, length)
        if len(a):
            cams = _cameras(
                spans[w], (a + b) / 2.0, len(names), lambda n, w=w: guard and guard(w, n)
            )
            cover.stretches = [
                Stretch(float(x), float(y), tuple(names[k] for k in ks))
                for x, y, ks in zip(a, b, cams, strict=True)
            ]
        out[wall_id] = cover
    return out


def _by_wall(n: int, owners: list[Any], values: list[Any], width: int = 0) -> list[Any]:
    """``values`` (rows) grouped by the wall in ``owners`` (same lengths), for walls 0..n-1."""
    import numpy as np

    empty = np.zeros((0, width)) if width else np.zeros(0)
    if not owners:
        return [empty] * n
    own = np.concatenate(owners)
    val = np.concatenate(values)
    order = np.argsort(own, kind="stable")
    own, val = own[order], val[order]
    bounds = np.searchsorted(own, np.arange(n + 1))
    return [val[bounds[w] : bounds[w + 1]] for w in range(n)]


def _cameras(spans: Any, mids: Any, count: int, check: Any) -> list[Any]:
    """For each piece (by its middle), the sorted indices of the cameras whose seen spans
    (rows: camera, from, to) hold it; ``check(n)`` first, with how many names that makes at
    most."""
    import numpy as np

    if not len(spans):
        return [np.zeros(0, dtype=np.int64)] * len(mids)
    cam = spans[:, 0].astype(np.int64)
    p0 = np.searchsorted(mids, spans[:, 1], side="left")
    p1 = np.searchsorted(mids, spans[:, 2], side="right")
    counts = np.maximum(p1 - p0, 0)
    check(int(counts.sum()))
    piece = np.repeat(p0, counts) + ramps(counts)
    key = unique(piece * count + np.repeat(cam, counts))
    piece, cam = key // count, key % count
    bounds = np.searchsorted(piece, np.arange(len(mids) + 1))
    return [cam[bounds[i] : bounds[i + 1]] for i in range(len(mids))]
