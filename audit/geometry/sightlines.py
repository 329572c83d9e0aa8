"""Sightlines from a vantage point to the zones it overlooks, over the buildings' heights.

A vantage point (a rooftop across the road, a water tower) threatens a zone only if it can
see into it: on the plan, the nearest point of the zone's outline (or its building's
footprint) with a clear line of sight, 2.5-D (a building of unknown height blocks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

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


def sightlines(site: Any, buildings: Any, vp: Any) -> list[Sightline] | None:
    """For each zone ``vp`` overlooks that has a place on the plan (its outline, or its
    building's footprint), the nearest point it has a clear line of sight to, over the
    buildings' heights (2.5-D: a building of unknown height blocks); None where the plan
    cannot say. ``buildings`` is a shapely STRtree over the site's buildings' footprints, in
    their order."""
    from shapely import LineString, Point

    if vp.at is None:
        return None
    eye = vp.height_m if vp.height_m is not None else PERSON_M
    out = []
    for target in vp.overlooks:
        shape, height, own = _place(site, target)
        if shape is None:
            continue
        points = [Point(p) for p in shape.exterior.coords] + [shape.centroid]
        points.append(shape.exterior.interpolate(shape.exterior.project(Point(vp.at))))
        ranked = sorted(points, key=lambda q: (q.distance(Point(vp.at)), q.x, q.y))
        best: Sightline | None = None
        for p in ranked[: MAX_SIGHT_POINTS + 2]:
            d = p.distance(Point(vp.at))
            ray = LineString([vp.at, (p.x, p.y)])
            blocker = _blocker(site, buildings, ray, eye, height, own)
            elev = math.degrees(math.atan2(eye - height, d)) if d > 0 else 90.0
            line = Sightline(target, round(d, 2), round(elev, 1), blocker, (p.x, p.y))
            if blocker is None:
                best = line
                break
            best = best or line
        if best is not None:
            out.append(best)
    return out


def _place(site: Any, zone_id: str) -> tuple[Any, float, str | None]:
    """(outline on the plan, height of what is seen there, its building id)."""
    from shapely import Polygon

    zone = site.get(zone_id)
    building = site.get(getattr(zone, "building", None) or "")
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


def _blocker(
    site: Any, buildings: Any, ray: Any, eye: float, target_h: float, own: str | None
) -> str | None:
    """The first building (in the site's order) the sightline ``ray`` passes below the top
    of, apart from the target's own building; None: a clear line of sight."""
    from shapely import Point

    for i in sorted(buildings.query(ray, predicate="intersects").tolist()):
        b = site.buildings[i]
        if b.id == own:
            continue
        cut = ray.intersection(buildings.geometries[i])
        if cut.is_empty:
            continue
        # the sightline's height where it crosses the footprint (its lowest point there)
        ts = [ray.project(Point(xy)) / ray.length for xy in _coords(cut)] if ray.length else [0]
        low = min(eye + (target_h - eye) * t for t in ts)
        if b.height_m is None or b.height_m > low:
            return b.id
    return None


def _coords(geom: Any) -> list[tuple[float, float]]:
    from shapely import get_coordinates

    return [tuple(xy) for xy in get_coordinates(geom).tolist()]
