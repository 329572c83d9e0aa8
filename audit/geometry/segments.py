"""Wall courses as one table of segments, end to end, for numpy and shapely to work on at once.

The light along walls (``lighting``) and the cameras' cover of walls (``wall_cover``) both
measure each wall once, here, instead of once per point or per view: where each segment
lies, and how far along its wall it starts.
"""

from __future__ import annotations

from typing import Any


def unique(values: Any) -> Any:
    """The sorted distinct values (a sort: numpy's hashing ``unique`` is far slower on
    millions of integers)."""
    import numpy as np

    out = np.sort(values, kind="stable")
    return out[np.concatenate([[True], out[1:] != out[:-1]])] if len(out) else out


def ramps(counts: Any) -> Any:
    """0, 1, ..., c - 1 for each c in ``counts``, end to end."""
    import numpy as np

    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - starts


class Segments:
    """The segments of walls' courses, end to end: where each lies, and how far along its wall
    it starts (the wall is measured once, not once per point)."""

    def __init__(self, walls: list[tuple[str, Any]]) -> None:
        import numpy as np

        starts, ends, owner, first = [], [], [], [0]
        for n, (_, course) in enumerate(walls):
            pts = np.asarray(course, dtype=float).reshape(-1, 2)
            starts.append(pts[:-1])
            ends.append(pts[1:])
            owner.append(np.full(len(pts) - 1, n, dtype=np.int64))
            first.append(first[-1] + len(pts) - 1)
        self.start = np.concatenate(starts) if starts else np.zeros((0, 2))
        end = np.concatenate(ends) if ends else np.zeros((0, 2))
        self.vec = end - self.start
        self.len = np.hypot(self.vec[:, 0], self.vec[:, 1])
        self.owner = np.concatenate(owner) if owner else np.zeros(0, dtype=np.int64)
        self.first = np.array(first, dtype=np.int64)
        self.cum = np.concatenate([[0.0], np.cumsum(self.len)])
        self._tree: Any = None
        self._lines: Any = None

    @property
    def lines(self) -> Any:
        import numpy as np
        import shapely

        if self._lines is None:
            self._lines = shapely.linestrings(
                np.stack([self.start, self.start + self.vec], axis=1).reshape(-1, 2, 2)
            )
        return self._lines

    @property
    def tree(self) -> Any:
        import shapely

        if self._tree is None:
            self._tree = shapely.STRtree(self.lines)
        return self._tree

    def length_of(self, w: int) -> float:
        """The length of wall ``w``, as shapely measures it (the profile's length)."""
        import numpy as np

        return float(np.sum(self.len[self.first[w] : self.first[w + 1]]))

    def near_points(self, xy: Any, reach: Any) -> tuple[Any, Any]:
        """(point, segment) index pairs of the segments within ``reach`` of each point."""
        import numpy as np
        import shapely

        if len(xy) == 0 or len(self.len) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        hits = self.tree.query(shapely.points(xy), predicate="dwithin", distance=reach)
        return hits[0].astype(np.int64), hits[1].astype(np.int64)

    def within(self, seg: Any, xy: Any, reach: Any) -> tuple[Any, Any]:
        """How far along each segment ``seg`` the stretch within ``reach`` of ``xy`` starts
        and ends (start > end: none)."""
        import numpy as np

        length = self.len[seg]
        safe = np.where(length > 0, length, 1.0)
        ux, uy = self.vec[seg, 0] / safe, self.vec[seg, 1] / safe
        wx, wy = xy[:, 0] - self.start[seg, 0], xy[:, 1] - self.start[seg, 1]
        foot = wx * ux + wy * uy
        off2 = wx * wx + wy * wy - foot * foot
        half = np.sqrt(np.maximum(reach * reach - off2, 0.0))
        lo = np.maximum(foot - half, 0.0)
        hi = np.minimum(foot + half, length)
        hi = np.where((reach * reach >= off2) & (length > 0), hi, -1.0)
        return lo, hi
