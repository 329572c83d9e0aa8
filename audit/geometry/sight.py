"""Coverage computed from the plan: what each camera sees of each wall, stretch by stretch.

Where a camera has a ``view`` (position, heading, field of view, resolution)
and a wall its ``course``, what the camera covers is no longer the file's word:
its view is the sector within which it resolves at least the IEC 62676-4
detection density (25 px/m; the density at distance d is
resolution / (2 d tan(fov / 2))), cut to its ``range_m`` and minus the shadow
of every building between it and the wall (line of sight on the plan). A wall
is cut into stretches by what sees each one; the adversary crosses where the
fewest cameras see (the weakest stretch), so a camera covers a wall, for the
rules and the path analysis, only if it sees that stretch. A gate on the plan
is covered by the cameras whose view holds its point. Zones keep their declared
coverage. Computed with shapely 2, imported only for sites with geometry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

DETECT_PX_M = 25.0
"""IEC 62676-4:2015 density to detect a person (observe 62.5, recognise 125, identify 250)."""
DENSITIES = {"detect": 25.0, "observe": 62.5, "recognise": 125.0, "identify": 250.0}
ARC_STEP_DEG = 1.0
"""Angle between the points of a view's far arc (the straight edges of a view are exact)."""
MIN_STRETCH_M = 0.5
"""Stretches shorter than this are rounding, not gaps [assumed]."""
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
MAX_STRETCH_CAMERAS = 20_000_000
"""Cameras named by all the stretches of one site's walls together (each stretch names the
cameras that see it); past it the file is refused at the wall where it was passed."""
LIT_LUX = 2.0
"""Least illuminance at which a wall counts as lit for a camera without night vision: the
TM 5-811-1 Table 11-1 level for a boundary (2-4 lux), its lower end."""


def has_views(site: Any) -> bool:
    """Whether any camera has a view or any light a lamp on the plan (then coverage is
    computed)."""
    return (
        any(c.view is not None for c in site.cameras)
        or any(li.lamp is not None for li in site.lights)
        or any(va.outline or va.course for va in site.vehicle_approaches)
        or any(vp.at is not None for vp in site.vantage_points)
    )


def coverage_of(site: Any) -> PlanCoverage | None:
    """The plan coverage of ``site``, computed once however many rules, analyses and watches
    ask (None when nothing on the plan is computed)."""
    if not has_views(site):
        return None
    if site._plan is None:
        site._plan = PlanCoverage(site)
    return site._plan


MAX_SIGHT_POINTS = 32
"""Corners of an overlooked zone's outline tried for a clear sightline, nearest first (with
the nearest point of its edge and its centre): the work of a sightline is bounded."""
PERSON_M = 1.7
"""Height of a person standing in a compound, the target of a sightline there [assumed]."""


@dataclass(frozen=True)
class Sightline:
    """From a vantage point to the nearest point of what it overlooks that it can see."""

    target: str
    distance_m: float
    elevation_deg: float
    blocked_by: str | None = None
    to: tuple[float, float] = (0.0, 0.0)


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

    segs = _Segs(walls)
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
    segs: _Segs,
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
    ks = np.repeat(k0, counts) + _ramps(counts)
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
    lit = _unique(ks)
    edges = [np.array([0, n - 1])]
    if len(lit):
        gap = np.flatnonzero(np.diff(lit) > 1)
        edges += [lit[gap] + 1, lit[gap + 1] - 1, lit[:1] - 1, lit[-1:] + 1]
    points = _unique(np.clip(np.concatenate([lit, *edges]), 0, n - 1))
    total = np.bincount(np.searchsorted(points, ks), weights=e, minlength=len(points))
    at_m = points * step
    at_m[points == n - 1] = length
    return LuxProfile(wall_id, float(length), at_m.tolist(), total.tolist())


def _unique(values: Any) -> Any:
    """The sorted distinct values (a sort: numpy's hashing ``unique`` is far slower on
    millions of integers)."""
    import numpy as np

    out = np.sort(values, kind="stable")
    return out[np.concatenate([[True], out[1:] != out[:-1]])] if len(out) else out


def _ramps(counts: Any) -> Any:
    """0, 1, ..., c - 1 for each c in ``counts``, end to end."""
    import numpy as np

    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - starts


class _Segs:
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


def sector(view: Any, radius: float) -> Any:
    """The view's sector of ``radius`` metres as a shapely polygon (exact straight edges)."""
    from shapely import Polygon

    x, y = view.at
    half = view.fov_deg / 2.0
    n = max(2, math.ceil(view.fov_deg / ARC_STEP_DEG))
    pts = [(x, y)]
    for i in range(n + 1):
        bearing = math.radians(view.heading_deg - half + view.fov_deg * i / n)
        pts.append((x + radius * math.sin(bearing), y + radius * math.cos(bearing)))
    return Polygon(pts)


def shadow(apex: tuple[float, float], footprint: Any, far: float) -> Any:
    """What ``footprint`` hides from ``apex``: the footprint and, for each of its edges that
    faces ``apex``, the region behind that edge out to ``far`` metres. A sightline into the
    shadow enters the footprint through such an edge first, so the edges facing away add
    nothing (within ``far``) and are left out: half the polygons to merge."""
    import numpy as np
    import shapely

    ring = shapely.get_coordinates(footprint.exterior)
    if not footprint.exterior.is_ccw:
        ring = ring[::-1]
    p0, p1 = ring[:-1], ring[1:]
    ax, ay = apex
    edge = p1 - p0
    mid = (p0 + p1) / 2.0
    facing = edge[:, 1] * (ax - mid[:, 0]) - edge[:, 0] * (ay - mid[:, 1]) >= 0
    p0, p1 = p0[facing], p1[facing]

    def beyond(p: Any) -> Any:
        d = p - (ax, ay)
        n = np.hypot(d[:, 0], d[:, 1])
        n[n == 0] = 1e-9
        return (ax, ay) + d / n[:, None] * far

    quads = shapely.polygons(np.stack([p0, p1, beyond(p1), beyond(p0), p0], axis=1))
    keep = shapely.is_valid(quads) & (shapely.area(quads) > 0)
    return shapely.union_all([footprint, *quads[keep]])


def visible(
    view: Any, buildings: list[Any], px_per_m: float = DETECT_PX_M, tree: Any = None
) -> Any:
    """Where the camera resolves ``px_per_m`` or more and has a line of sight. ``tree`` (a
    shapely STRtree over the buildings' footprints, in the same order) finds the buildings
    near the view without testing every one."""
    from shapely import Point, Polygon, STRtree, union_all

    radius = view.reach(px_per_m)
    area = sector(view, radius)
    apex = Point(view.at)
    if tree is None:
        tree = STRtree([Polygon(b.footprint) for b in buildings])
    blocks = []
    for i in sorted(tree.query(area, predicate="intersects").tolist()):
        footprint = tree.geometries[i]
        if footprint.contains(apex):
            continue
        blocks.append(shadow(tuple(view.at), footprint, radius * 2.0 + 1.0))
    return area.difference(union_all(blocks)) if blocks else area


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


class PlanCoverage:
    """Computed coverage of every wall with a course and gate with a point, by the cameras
    with a view (working or not: the rules and analysis judge status and hours), and the
    illuminance along every wall from the working lights with a lamp."""

    def __init__(self, site: Any, px_per_m: float = DETECT_PX_M) -> None:
        from shapely import Point, Polygon, STRtree

        self.site = site
        self.px_per_m = px_per_m
        buildings = STRtree([Polygon(b.footprint) for b in site.buildings])
        self.views = {
            c.id: visible(c.view, site.buildings, px_per_m, buildings)
            for c in site.cameras
            if c.view is not None
        }
        ids = list(self.views)
        views = STRtree([self.views[i] for i in ids])
        self._trees = buildings
        self._dense: dict[tuple[str, float], Any] = {}
        courses = [w for w in site.walls if w.course is not None]
        self._named = 0
        self._weakest_seen: dict[str, list[str]] | None = None
        self.walls: dict[str, WallCover] = wall_covers(
            [(w.id, w.course) for w in courses],
            self.views,
            lambda i, n: self._count(courses[i], n),
        )
        self.gates = {}
        for g in site.gates:
            if g.point is not None:
                near = views.query(Point(g.point), predicate="covered_by").tolist()
                self.gates[g.id] = tuple(sorted(ids[i] for i in near))
        lamps = [li.lamp for li in site.lights if li.lamp is not None and li.status == "working"]
        self.lux: dict[str, LuxProfile] = {}
        if any(li.lamp is not None for li in site.lights):
            self.lux = lux_profiles([(w.id, w.course) for w in courses], lamps)

    def _count(self, wall: Any, named: int) -> None:
        """Refuse the site where its walls' stretches name more than ``MAX_STRETCH_CAMERAS``
        cameras in all (a bound of the work the budget at load does not count)."""
        from audit.common.errors import Problem, SiteError

        self._named += named
        if self._named > MAX_STRETCH_CAMERAS:
            raise SiteError(
                [
                    Problem(
                        self.site.path or "<site>",
                        wall.line or 1,
                        wall.column or 1,
                        f"the stretches of the walls seen by cameras name more than "
                        f"{MAX_STRETCH_CAMERAS:,} cameras in all (this wall passes the "
                        "limit); give cameras their range_m, or simplify the course",
                    )
                ]
            )

    def sightlines(self, vp: Any) -> list[Sightline] | None:
        """For each zone ``vp`` overlooks that has a place on the plan (its outline, or its
        building's footprint), the nearest point it has a clear line of sight to, over the
        buildings' heights (2.5-D: a building of unknown height blocks); None where the plan
        cannot say."""
        from shapely import LineString, Point

        if vp.at is None:
            return None
        eye = vp.height_m if vp.height_m is not None else PERSON_M
        out = []
        for target in vp.overlooks:
            shape, height, own = self._place(target)
            if shape is None:
                continue
            points = [Point(p) for p in shape.exterior.coords] + [shape.centroid]
            points.append(shape.exterior.interpolate(shape.exterior.project(Point(vp.at))))
            ranked = sorted(points, key=lambda q: (q.distance(Point(vp.at)), q.x, q.y))
            best: Sightline | None = None
            for p in ranked[: MAX_SIGHT_POINTS + 2]:
                d = p.distance(Point(vp.at))
                blocker = self._blocker(LineString([vp.at, (p.x, p.y)]), eye, height, own)
                elev = math.degrees(math.atan2(eye - height, d)) if d > 0 else 90.0
                line = Sightline(target, round(d, 2), round(elev, 1), blocker, (p.x, p.y))
                if blocker is None:
                    best = line
                    break
                best = best or line
            if best is not None:
                out.append(best)
        return out

    def _place(self, zone_id: str) -> tuple[Any, float, str | None]:
        """(outline on the plan, height of what is seen there, its building id)."""
        from shapely import Polygon

        zone = self.site.get(zone_id)
        building = self.site.get(getattr(zone, "building", None) or "")
        footprint = getattr(building, "footprint", None)
        if getattr(zone, "outline", None):
            shape = Polygon(zone.outline)
        elif footprint is not None:
            shape = Polygon(footprint)
        else:
            return None, 0.0, None
        roof = getattr(zone, "kind", "") == "roof"
        top = getattr(building, "height_m", None) or 0.0
        return shape, (top if roof else PERSON_M), getattr(building, "id", None)

    def _blocker(self, ray: Any, eye: float, target_h: float, own: str | None) -> str | None:
        from shapely import Point

        for i in sorted(self._trees.query(ray, predicate="intersects").tolist()):
            b = self.site.buildings[i]
            if b.id == own:
                continue
            cut = ray.intersection(self._trees.geometries[i])
            if cut.is_empty:
                continue
            # the sightline's height where it crosses the footprint (its lowest point there)
            ts = [ray.project(Point(xy)) / ray.length for xy in _coords(cut)] if ray.length else [0]
            low = min(eye + (target_h - eye) * t for t in ts)
            if b.height_m is None or b.height_m > low:
                return b.id
        return None

    def bands(self, wall_id: str) -> dict[str, float]:
        """Metres of the wall that working cameras see at each IEC 62676-4 density (detect 25,
        observe 62.5, recognise 125, identify 250 px/m): a camera that cannot detect on a
        stretch cannot resolve more there, so only those that see it are recomputed."""
        from shapely import LineString, union_all

        cover = self.walls.get(wall_id)
        if cover is None:
            return {}
        wall = next(w for w in self.site.walls if w.id == wall_id)
        line = LineString(wall.course)
        working = {c.id: c for c in self.site.cameras if c.status == "working" and c.view}
        near = sorted({c for s in cover.stretches for c in s.cameras if c in working})
        out = {}
        for name, px in DENSITIES.items():
            areas = []
            for cid in near:
                key = (cid, px)
                if px == self.px_per_m:
                    self._dense[key] = self.views[cid]
                if key not in self._dense:
                    view = working[cid].view
                    self._dense[key] = visible(view, self.site.buildings, px, self._trees)
                areas.append(self._dense[key])
            out[name] = round(line.intersection(union_all(areas)).length, 2) if areas else 0.0
        return out

    def standoff(self, approach: Any) -> float | None:
        """The least distance from where vehicles can go to the footprint of the building of
        the zone they approach; None where the plan cannot say."""
        from shapely import LineString, Polygon

        zone = self.site.get(approach.to)
        building = self.site.get(getattr(zone, "building", None) or "")
        footprint = getattr(building, "footprint", None)
        if footprint is None or not (approach.outline or approach.course):
            return None
        where = Polygon(approach.outline) if approach.outline else LineString(approach.course)
        return float(where.distance(Polygon(footprint)))

    def lit(self, element_id: str) -> bool | None:
        """Whether the wall is lit to ``LIT_LUX`` along all its length by its working lamps;
        None where the plan cannot say (no course, or no lamp on the plan)."""
        profile = self.lux.get(element_id)
        return None if profile is None else profile.darkest >= LIT_LUX

    def targets(self, camera: Any) -> list[str]:
        """What ``camera`` covers: computed for walls and gates on the plan, declared for
        the rest (and for everything when the camera has no view)."""
        if camera.id not in self.views:
            return list(camera.covers)
        out = [t for t in camera.covers if t not in self.walls and t not in self.gates]
        if self._weakest_seen is None:  # once for every camera: not cameras x walls
            self._weakest_seen = {}
            for w, cover in self.walls.items():
                for cid in cover.weakest.cameras:
                    self._weakest_seen.setdefault(cid, []).append(w)
        out += self._weakest_seen.get(camera.id, [])
        out += [g for g, cams in self.gates.items() if camera.id in cams]
        return sorted(set(out), key=out.index)


def _coords(geom: Any) -> list[tuple[float, float]]:
    from shapely import get_coordinates

    return [tuple(xy) for xy in get_coordinates(geom).tolist()]


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

    segs = _Segs(walls)
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
        marks = _unique(np.clip(np.concatenate([[0.0, length], cuts[w]]), 0.0, length))
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
    piece = np.repeat(p0, counts) + _ramps(counts)
    key = _unique(piece * count + np.repeat(cam, counts))
    piece, cam = key // count, key % count
    bounds = np.searchsorted(piece, np.arange(len(mids) + 1))
    return [cam[bounds[i] : bounds[i + 1]] for i in range(len(mids))]
