"""OpenStreetMap data read for one area the user names: what a site file can use of it.

``read_area`` reads an ``.osm`` (XML) or ``.osm.pbf`` file with pyosmium (the
optional extra ``siteaudit[osm]``) in two passes: the first finds the area (a
closed way, a multipolygon relation, or a box of longitudes and latitudes);
the second keeps, within ``MARGIN_M`` of it, the lines (barriers, highways),
the areas (buildings, land use) and the barrier nodes (gates, entrances).
Nothing else is read; what the objects mean for the site is
``audit.geometry.osm_site``'s business.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

MARGIN_M = 60.0
"""How far around the area the surroundings are read: the street or the houses beyond a
wall are within a few tens of metres of it [assumed]."""
LINE_TAGS = ("barrier", "highway")
AREA_TAGS = ("building", "landuse")
VEHICLE_ROADS = frozenset(
    {
        "motorway",
        "trunk",
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "service",
        "living_street",
        "road",
        "track",
        "busway",
        "motorway_link",
        "trunk_link",
        "primary_link",
        "secondary_link",
        "tertiary_link",
    }
)
"""Highway values a vehicle drives on (a gate across one is a vehicle gate)."""
MAX_BYTES = 256 * 1024 * 1024
"""Largest file read: a city's extract; a site needs far less [assumed]."""
SUFFIXES = (".osm", ".osm.pbf", ".pbf", ".osm.bz2", ".osm.gz", ".o5m", ".opl")


class OsmError(ValueError):
    """OpenStreetMap data that cannot give the area asked for."""


@dataclass
class Shape:
    """An OpenStreetMap object: ``ref`` as OpenStreetMap names it (``way/123``), its tags, and
    its points as (longitude, latitude); an area's outer ring is closed."""

    ref: str
    tags: dict[str, str]
    points: list[tuple[float, float]]


@dataclass
class Extract:
    boundary: Shape
    box: bool
    """The area is a box the user drew, not an object of the map."""
    lines: list[Shape] = field(default_factory=list)
    areas: list[Shape] = field(default_factory=list)
    nodes: list[Shape] = field(default_factory=list)
    vehicle_nodes: set[int] = field(default_factory=set)
    """Nodes of roads a vehicle drives on."""


def is_osm(path: str) -> bool:
    return path.lower().endswith(SUFFIXES)


def parse_area(text: str) -> tuple[str, Any]:
    """``way/123`` or ``w123``, ``relation/45`` or ``r45``, or a box ``W,S,E,N`` in degrees."""
    spec = text.strip()
    found = re.fullmatch(r"(way|w|relation|r)/?([0-9]{1,15})", spec, re.IGNORECASE)
    if found:
        kind = "way" if found.group(1).lower().startswith("w") else "relation"
        return kind, int(found.group(2))
    try:
        west, south, east, north = (float(v) for v in spec.split(","))
    except ValueError:
        raise OsmError(
            f'--area "{spec[:40]}": expected way/ID, relation/ID or a box W,S,E,N '
            "(longitudes and latitudes in degrees)"
        ) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise OsmError(
            f'--area "{spec[:40]}": expected a box W,S,E,N with west < east in -180..180 and '
            "south < north in -90..90"
        )
    return "box", (west, south, east, north)


def read_area(path: str, area: str) -> Extract:
    """The area named by ``area`` (see ``parse_area``) and what lies around it in ``path``."""
    kind, key = parse_area(area)
    osmium = _osmium()
    try:
        if kind == "box":
            w, s, e, n = key
            ring = [(w, s), (e, s), (e, n), (w, n), (w, s)]
            boundary = Shape(f"box/{w},{s},{e},{n}", {}, ring)
        else:
            boundary = _find(osmium, path, kind, key)
        extract = Extract(boundary, box=kind == "box")
        _surroundings(osmium, path, extract)
    except RuntimeError as exc:
        raise OsmError(f"not OpenStreetMap data that osmium can read: {exc}") from None
    return extract


def _osmium() -> Any:
    try:
        import osmium
    except ImportError:
        raise OsmError(
            "reading OpenStreetMap data needs pyosmium, which is not installed: "
            'pip install "siteaudit[osm]"'
        ) from None
    return osmium


def _find(osmium: Any, path: str, kind: str, key: int) -> Shape:
    """The closed way or multipolygon relation ``key``: its outer ring (the largest)."""
    processor = osmium.FileProcessor(path).with_locations()
    if kind == "relation":
        processor = processor.with_areas()
    for obj in processor:
        if kind == "way" and obj.is_way() and obj.id == key:
            points = _points(obj.nodes)
            if points is None:
                raise OsmError(
                    f"way/{key} has nodes outside this extract (it is cut at the edge): "
                    "take an extract that holds the whole area"
                )
            if len(points) < 4 or points[0] != points[-1]:
                raise OsmError(f"way/{key} is not closed: expected the outline of an area")
            return Shape(f"way/{key}", dict(obj.tags), points)
        if kind == "relation" and obj.is_area() and not obj.from_way() and obj.orig_id() == key:
            rings = [r for r in (_points(r) for r in obj.outer_rings()) if r]
            if rings:
                return Shape(f"relation/{key}", dict(obj.tags), max(rings, key=_area))
    raise OsmError(
        f"{kind}/{key} is not in this extract"
        + (" as a multipolygon whose rings close" if kind == "relation" else "")
    )


def _surroundings(osmium: Any, path: str, extract: Extract) -> None:
    box = _grown(extract.boundary.points, MARGIN_M)
    processor = osmium.FileProcessor(path).with_locations().with_areas()
    for obj in processor:
        tags = obj.tags
        if obj.is_node():
            if "barrier" in tags and obj.location.valid() and _inside(box, obj.lon, obj.lat):
                ref = f"node/{obj.id}"
                extract.nodes.append(Shape(ref, dict(tags), [(obj.lon, obj.lat)]))
        elif obj.is_way():
            if not any(k in tags for k in LINE_TAGS):
                continue
            points = _points(obj.nodes, partial=True)
            if points and any(_inside(box, x, y) for x, y in points):
                extract.lines.append(Shape(f"way/{obj.id}", dict(tags), points))
                if tags.get("highway") in VEHICLE_ROADS:
                    extract.vehicle_nodes.update(n.ref for n in obj.nodes)
        elif obj.is_area():
            if not any(k in tags for k in AREA_TAGS):
                continue
            rings = [r for r in (_points(r) for r in obj.outer_rings()) if r]
            if rings and any(_inside(box, x, y) for r in rings for x, y in r):
                kind = "way" if obj.from_way() else "relation"
                ref = f"{kind}/{obj.orig_id()}"
                extract.areas.append(Shape(ref, dict(tags), max(rings, key=_area)))
    for group in (extract.lines, extract.areas, extract.nodes):
        group.sort(key=lambda s: (s.ref.split("/")[0], int(s.ref.split("/")[1])))


def _points(nodes: Any, partial: bool = False) -> list[tuple[float, float]] | None:
    """The nodes' (longitude, latitude); None if one is missing (unless ``partial``: then
    the run of nodes that are there, if two or more)."""
    out = []
    for n in nodes:
        if n.location.valid():
            out.append((n.lon, n.lat))
        elif not partial:
            return None
    return out if len(out) >= 2 else None


def _area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)))


def _grown(points: list[tuple[float, float]], metres: float) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    lat = math.radians(max(abs(min(ys)), abs(max(ys))))
    dy = metres / 111_320.0
    dx = metres / (111_320.0 * max(math.cos(lat), 0.01))
    return min(xs) - dx, min(ys) - dy, max(xs) + dx, max(ys) + dy


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]
