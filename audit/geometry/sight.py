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
"""Spacing of the points along a wall where the illuminance is computed."""
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
    import numpy as np
    from shapely import get_coordinates, line_interpolate_point

    n = max(2, int(math.ceil(line.length / SAMPLE_M)) + 1)
    at = np.linspace(0.0, line.length, n)
    xy = get_coordinates(line_interpolate_point(line, at))
    total = np.zeros(n)
    for lamp in lamps:
        dx, dy = xy[:, 0] - lamp.at[0], xy[:, 1] - lamp.at[1]
        r2 = dx * dx + dy * dy + lamp.height_m**2
        total += lamp.intensity * lamp.height_m / (r2 * np.sqrt(r2))
    return LuxProfile(wall_id, float(line.length), at.tolist(), total.tolist())


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
    """What ``footprint`` hides from ``apex``: the footprint and, for each of its edges, the
    region behind that edge out to ``far`` metres."""
    from shapely import Polygon, union_all

    ax, ay = apex
    ring = list(footprint.exterior.coords)
    quads = [footprint]
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        ends = []
        for px, py in ((x0, y0), (x1, y1)):
            dx, dy = px - ax, py - ay
            d = math.hypot(dx, dy) or 1e-9
            ends.append((ax + dx / d * far, ay + dy / d * far))
        quad = Polygon([(x0, y0), (x1, y1), ends[1], ends[0]])
        if quad.is_valid and quad.area > 0:
            quads.append(quad)
    return union_all(quads)


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
        """Where the fewest cameras see (the longest such stretch): where an adversary crosses."""
        real = [s for s in self.stretches if s.length_m >= MIN_STRETCH_M] or self.stretches
        return min(real, key=lambda s: (len(s.cameras), -s.length_m, s.start_m))


class PlanCoverage:
    """Computed coverage of every wall with a course and gate with a point, by the cameras
    with a view (working or not: the rules and analysis judge status and hours), and the
    illuminance along every wall from the working lights with a lamp."""

    def __init__(self, site: Any, px_per_m: float = DETECT_PX_M) -> None:
        from shapely import LineString, Point, Polygon, STRtree

        self.site = site
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
        self.walls: dict[str, WallCover] = {}
        for w in site.walls:
            if w.course is not None:
                line = LineString(w.course)
                near = sorted(views.query(line, predicate="intersects").tolist())
                self.walls[w.id] = wall_cover(
                    w.id, line, {ids[i]: views.geometries[i] for i in near}
                )
        self.gates = {}
        for g in site.gates:
            if g.point is not None:
                near = views.query(Point(g.point), predicate="covered_by").tolist()
                self.gates[g.id] = tuple(sorted(ids[i] for i in near))
        lamps = [li.lamp for li in site.lights if li.lamp is not None and li.status == "working"]
        self.lux: dict[str, LuxProfile] = {}
        if any(li.lamp is not None for li in site.lights):
            for w in site.walls:
                if w.course is not None:
                    self.lux[w.id] = lux_along(w.id, LineString(w.course), lamps)

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
            best: Sightline | None = None
            for p in sorted(points, key=lambda q: (q.distance(Point(vp.at)), q.x, q.y)):
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
        from shapely import Point, Polygon

        for b in self.site.buildings:
            if b.id == own:
                continue
            cut = ray.intersection(Polygon(b.footprint))
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
        out += [w for w, cover in self.walls.items() if camera.id in cover.weakest.cameras]
        out += [g for g, cams in self.gates.items() if camera.id in cams]
        return sorted(set(out), key=out.index)


def _coords(geom: Any) -> list[tuple[float, float]]:
    from shapely import get_coordinates

    return [tuple(xy) for xy in get_coordinates(geom).tolist()]


def wall_cover(wall_id: str, line: Any, views: dict[str, Any]) -> WallCover:
    """Cut ``line`` at every point where a view's edge crosses it; each piece is seen by the
    views that hold its middle."""
    from shapely import Point

    length = line.length
    cuts = {0.0, length}
    for area in views.values():
        seen = line.intersection(area)
        for part in getattr(seen, "geoms", [seen]):
            if part.is_empty:
                continue
            for xy in part.coords if hasattr(part, "coords") else []:
                cuts.add(min(length, max(0.0, line.project(Point(xy)))))
    import numpy as np
    from shapely import covers, line_interpolate_point

    marks = sorted(cuts)
    pieces = [(a, b) for a, b in zip(marks, marks[1:], strict=False) if b - a >= 1e-9]
    cover = WallCover(wall_id, length)
    if not pieces:
        return cover
    mids = line_interpolate_point(line, np.array([(a + b) / 2.0 for a, b in pieces]))
    names = sorted(views)
    seen = (
        np.array([covers(views[n], mids) for n in names])
        if names
        else np.zeros((0, len(pieces)), dtype=bool)
    )
    for k, (a, b) in enumerate(pieces):
        cams = tuple(n for j, n in enumerate(names) if seen[j, k])
        cover.stretches.append(Stretch(a, b, cams))
    return cover
