"""Coverage computed from the plan, for one site: the parts put together, computed once.

Where a camera has a ``view`` (position, heading, field of view, resolution)
and a wall its ``course``, what the camera covers is no longer the file's word:
its view (``viewshed``) cuts each wall into stretches (``wall_cover``), and a
camera covers a wall, for the rules and the path analysis, only if it sees the
weakest stretch. A gate on the plan is covered by the cameras whose view holds
its point. Zones keep their declared coverage. The lamps light the walls
(``lighting``), vantage points see into zones (``sightlines``), and vehicles
stop at a distance from buildings (``standoff``). Computed with shapely 2,
imported only for sites with geometry.
"""

from __future__ import annotations

from typing import Any

from audit.geometry.lighting import LIT_LUX, LuxProfile, lux_profiles
from audit.geometry.sightlines import Sightline, sightlines
from audit.geometry.viewshed import DENSITIES, DETECT_PX_M, visible
from audit.geometry.wall_cover import WallCover, wall_covers

MAX_STRETCH_CAMERAS = 20_000_000
"""Cameras named by all the stretches of one site's walls together (each stretch names the
cameras that see it); past it the file is refused at the wall where it was passed."""


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
        """What the vantage point ``vp`` sees of each zone it overlooks
        (``audit.geometry.sightlines``); None where the plan cannot say."""
        return sightlines(self.site, self._trees, vp)

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
