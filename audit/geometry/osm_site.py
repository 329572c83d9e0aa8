"""What OpenStreetMap says about a site, as a site file's plain data (EPSG:4326).

The area becomes the compound. Its outline is cut into walls where what stands on it
or what lies beyond it changes: a stretch along a mapped ``barrier=wall|fence|city_wall``
(within ``ON_LINE_M``) is that wall or fence, with its ``height`` when tagged; any
other stretch is a wall of unknown kind and height (no ``height_m``: a fact to survey).
Beyond each stretch (``PROBE_M`` out) lies the nearest named road within ``ROAD_M`` (a
public zone named after it), else a ``landuse=residential`` area (a third-party
residential zone) or commercial, retail or industrial land (a third party's, kind
``external_building``), else the land around (a public zone, ``outside``). Barrier
nodes on the outline (gates, entrances) become gates on their wall; buildings inside
become buildings, with ``height`` or ``building:levels`` x ``STOREY_M`` when tagged.
Cameras, posts, shifts, lights, sensors, responders and assets are not in
OpenStreetMap: they are left out, and the site says so (``site.not_surveyed``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from audit.geometry.osm import Extract, Shape

Points = list[tuple[float, float]]
ToMetres = Callable[[Points], Points]
"""Longitude and latitude to metres around the site."""
ToDegrees = Callable[[Iterable[tuple[float, float]]], list[list[float]]]
"""Metres around the site back to longitude and latitude, rounded for the site file."""

ON_LINE_M = 3.0
"""A barrier this close to the outline stands on it (mapping is rarely closer) [assumed]."""
MIN_ALONG_M = 2 * ON_LINE_M + 1.0
"""A barrier that runs along the outline for less than this only meets or crosses it."""
PROBE_M = 8.0
"""How far beyond the outline "what lies beyond" is looked for [assumed]."""
ROAD_M = 15.0
"""A road this close to the probe is what the wall faces (a street with its pavement runs
right along a wall) [assumed]."""
SNAP_M = 5.0
"""A gate node this close to the outline is a gate in it [assumed]."""
STOREY_M = 3.0
"""Height of a storey, for ``building:levels`` [assumed]."""
DECIMALS = 7
MIN_PIECE_M = 0.5
"""A stretch of outline shorter than this is not a wall of its own."""
GENERATED = ("road-", "residential-", "neighbour-", "wall-", "gate-", "building-")
"""Prefixes of the ids made here: the compound's id (from the area's name) keeps clear."""
WALL_KINDS = {"wall": "wall", "fence": "fence", "city_wall": "wall"}
GATE_KINDS = {
    "lift_gate": "vehicle_gate",
    "swing_gate": "vehicle_gate",
    "sliding_gate": "vehicle_gate",
    "sliding_beam": "vehicle_gate",
    "hampshire_gate": "vehicle_gate",
    "bump_gate": "vehicle_gate",
    "kissing_gate": "pedestrian_gate",
    "turnstile": "pedestrian_gate",
    "full-height_turnstile": "pedestrian_gate",
    "wicket_gate": "pedestrian_gate",
    "entrance": "opening",
    "gate": None,
}
"""``barrier=*`` on a node -> gate kind (None: a vehicle gate on a road, else pedestrian)."""
NOT_IN_THE_MAP = (
    "cameras",
    "lights",
    "sensors",
    "checkpoints",
    "patrols",
    "stations",
    "responders",
    "gate_fittings",
    "wall_fittings",
)
"""What OpenStreetMap does not know: the imported site says so (``site.not_surveyed``), so
a finding that rests on their absence is a fact to survey."""
UNMAPPED = (
    "not mapped in OpenStreetMap: survey whether a wall or fence stands here, its kind and height"
)


def site_data(extract: Extract) -> dict[str, Any]:
    """The site file (plain data) for ``extract``; raises ValueError when its outline is
    not a simple polygon."""
    from shapely import LineString, Point, Polygon

    from audit.geometry.crs import transformer

    lon0, lat0 = _centre(extract.boundary.points)
    local = f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m"
    fwd, back = transformer("EPSG:4326", local), transformer(local, "EPSG:4326")

    def metres(pts: Points) -> Points:
        xs, ys = fwd.transform([p[0] for p in pts], [p[1] for p in pts])
        return list(zip(xs, ys, strict=True))

    def degrees(points: Iterable[tuple[float, float]]) -> list[list[float]]:
        pts = list(points)
        xs, ys = back.transform([p[0] for p in pts], [p[1] for p in pts])
        return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in zip(xs, ys, strict=True)]

    outline = Polygon(metres(extract.boundary.points))
    if not outline.is_valid or outline.area <= 0:
        raise ValueError(f"{extract.boundary.ref} is not a simple polygon: expected an outline")
    outline = Polygon(outline.exterior.coords[::-1]) if not outline.exterior.is_ccw else outline
    ring = LineString(outline.exterior.coords)
    tags = extract.boundary.tags
    name = tags.get("name") or extract.boundary.ref
    inside = _slug(tags.get("name", "")) or "compound"
    if inside == "outside" or inside.startswith(GENERATED):
        inside = f"compound-{inside}"
    zones: dict[str, dict[str, Any]] = {}
    roads = _roads(extract, metres, outline)
    homes = _homes(extract, metres, outline)

    def beyond(at: float) -> str:
        """The zone beyond the outline at ``at`` metres along it (created as needed)."""
        a, b = ring.interpolate(max(at - 0.5, 0.0)), ring.interpolate(min(at + 0.5, ring.length))
        dx, dy = b.x - a.x, b.y - a.y
        norm = (dx * dx + dy * dy) ** 0.5 or 1.0
        mid = ring.interpolate(at)
        probe = Point(mid.x + dy / norm * PROBE_M, mid.y - dx / norm * PROBE_M)
        near = [(line.distance(probe), zid, zone) for zid, line, zone in roads]
        near = [n for n in near if n[0] <= ROAD_M]
        if near:
            _, zid, zone = min(near, key=lambda n: (n[0], n[1]))
            zones.setdefault(zid, zone)
            return zid
        for zid, shape, zone in homes:
            if shape.contains(probe):
                zones.setdefault(zid, zone)
                return zid
        zones.setdefault("outside", _zone("outside", "public", "Land around the site"))
        return "outside"

    barriers = _barriers(extract, metres, ring)
    cuts = sorted({0.0, ring.length, *(ring.project(Point(p)) for p in ring.coords)})
    cuts = sorted({*cuts, *(x for _, a, b in barriers for x in (a, b))})
    pieces: list[list[Any]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b - a < MIN_PIECE_M and pieces:
            pieces[-1][1] = b  # a sliver (a barrier's end near a corner) joins its neighbour
            continue
        mid = (a + b) / 2
        on = next((s for s, lo, hi in barriers if lo <= mid <= hi), None)
        label = (on.ref if on else None, beyond(mid))
        if pieces and pieces[-1][2] == label:
            pieces[-1][1] = b
        else:
            pieces.append([a, b, label, on])
    if len(pieces) > 1 and pieces[0][1] - pieces[0][0] < MIN_PIECE_M:
        sliver = pieces.pop(0)  # a sliver at the start joins the next stretch
        pieces[0][0] = sliver[0]
    if len(pieces) > 1 and pieces[0][2] == pieces[-1][2]:
        last = pieces.pop()
        pieces[0] = [last[0] - ring.length, pieces[0][1], last[2], last[3]]
    walls = [
        _wall(i + 1, on, outside, inside, degrees(_stretch(ring, a, b)), zones[outside])
        for i, (a, b, (_, outside), on) in enumerate(pieces)
    ]
    gates = _gates(extract, metres, degrees, ring, pieces, walls)
    buildings = _buildings(extract, metres, degrees, outline)
    what = next(
        (f"{k}={tags[k]}" for k in ("amenity", "landuse", "office", "barrier") if k in tags), ""
    )
    source = "a box drawn by hand" if extract.box else f"OpenStreetMap {extract.boundary.ref}"
    compound = _zone(inside, "compound", name, note=f"{source} ({what})" if what else source)
    compound["outline"] = degrees(outline.exterior.coords[:-1])
    site: dict[str, Any] = {"id": _slug(name) or "site", "name": name[:200], "crs": "EPSG:4326"}
    site["not_surveyed"] = list(NOT_IN_THE_MAP)
    data: dict[str, Any] = {"site": site, "zones": [*sorted(zones.values(), key=_id), compound]}
    data["walls"] = walls
    if gates:
        data["gates"] = gates
    if buildings:
        data["buildings"] = buildings
    return data


def _roads(extract: Extract, metres: ToMetres, outline: Any) -> list[tuple[str, Any, dict]]:
    from shapely import LineString

    out: dict[str, tuple[str, Any, dict]] = {}
    for s in extract.lines:
        if "highway" not in s.tags:
            continue
        line = LineString(metres(s.points))
        if outline.contains(line.interpolate(0.5, normalized=True)):
            continue
        label = s.tags.get("name") or s.tags.get("ref")
        if not label:
            continue
        zid = "road-" + (_slug(label) or s.ref.split("/")[1])
        if zid in out:
            out[zid] = (zid, out[zid][1].union(line), out[zid][2])
        else:
            zone = _zone(zid, "public", label, note=f"OpenStreetMap {s.ref} (highway)")
            out[zid] = (zid, line, zone)
    return [out[k] for k in sorted(out)]


NEIGHBOURS = {
    "residential": ("residential", "residential", "Houses beyond the wall"),
    "commercial": ("neighbour", "external_building", "Neighbouring commercial land"),
    "retail": ("neighbour", "external_building", "Neighbouring shops"),
    "industrial": ("neighbour", "external_building", "Neighbouring industrial land"),
}
"""``landuse`` beyond the wall -> (id prefix, zone kind, name): land a third party holds."""


def _homes(extract: Extract, metres: ToMetres, outline: Any) -> list[tuple[str, Any, dict]]:
    """Land others hold around the site (a residential area may hold the site itself: then
    beyond its walls are the houses of the same neighbourhood)."""
    from shapely import Polygon

    out = []
    for s in extract.areas:
        use = s.tags.get("landuse")
        if use not in NEIGHBOURS:
            continue
        shape = Polygon(metres(s.points))
        if not shape.is_valid:
            continue
        prefix, kind, label = NEIGHBOURS[use]
        zid = f"{prefix}-{s.ref.split('/')[1]}"
        note = f"OpenStreetMap {s.ref} (landuse={use})"
        zone = _zone(zid, kind, s.tags.get("name") or label, note=note)
        zone["control"] = "third_party"
        out.append((zid, shape, zone))
    return out


def _barriers(extract: Extract, metres: ToMetres, ring: Any) -> list[tuple[Shape, float, float]]:
    """Mapped walls and fences that run along the outline: (object, from, to) in metres
    along it."""
    from shapely import LineString

    out = []
    for s in extract.lines:
        if s.tags.get("barrier") not in WALL_KINDS:
            continue
        along = ring.intersection(LineString(metres(s.points)).buffer(ON_LINE_M))
        parts = getattr(along, "geoms", [along])
        for part in parts:
            if part.geom_type != "LineString" or part.length < MIN_ALONG_M:
                continue
            # the part may run across the ring's start: its middle, +- half its length,
            # taken round the ring
            mid = ring.project(part.interpolate(0.5, normalized=True))
            a, b, end = mid - part.length / 2, mid + part.length / 2, ring.length
            if a < 0:
                out += [(s, end + a, end), (s, 0.0, b)]
            elif b > end:
                out += [(s, a, end), (s, 0.0, b - end)]
            else:
                out.append((s, a, b))
    return out


def _stretch(ring: Any, a: float, b: float) -> list[tuple[float, float]]:
    from shapely.ops import substring

    if a < 0:  # across the ring's start
        return [
            *substring(ring, ring.length + a, ring.length).coords,
            *substring(ring, 0, b).coords[1:],
        ]
    return list(substring(ring, a, b).coords)


def _wall(n: int, on: Shape | None, outside: str, inside: str, course: list, faces: dict) -> dict:
    wall: dict[str, Any] = {"id": f"wall-{n}"}
    if on is not None:
        wall["kind"] = WALL_KINDS[on.tags["barrier"]]
    wall["between"] = [outside, inside]
    if faces["kind"] == "public" and outside != "outside":
        wall["faces"] = faces["name"]
    if on is not None:
        height = _metres(on.tags.get("height"))
        if height is not None:
            wall["height_m"] = height
        material = on.tags.get("material") or on.tags.get("fence_type") or on.tags.get("wall")
        if material:
            wall["material"] = material[:100]
        wall["notes"] = f"OpenStreetMap {on.ref} (barrier={on.tags['barrier']})"
    else:
        wall["notes"] = UNMAPPED
    wall["course"] = course
    return wall


def _gates(
    extract: Extract, metres: ToMetres, degrees: ToDegrees, ring: Any, pieces: list, walls: list
) -> list:
    from shapely import Point

    out: list[tuple[float, dict[str, Any]]] = []
    for s in extract.nodes:
        barrier = s.tags.get("barrier")
        if barrier not in GATE_KINDS:
            continue
        point = Point(metres(s.points)[0])
        if ring.distance(point) > SNAP_M:
            continue
        at = ring.project(point)
        i = next(
            (
                i
                for i, (a, b, _, _) in enumerate(pieces)
                if a <= at <= b or a <= at - ring.length <= b
            ),
            len(pieces) - 1,
        )
        kind = GATE_KINDS[barrier] or (
            "vehicle_gate"
            if int(s.ref.split("/")[1]) in extract.vehicle_nodes
            else "pedestrian_gate"
        )
        gate: dict[str, Any] = {"id": f"gate-{len(out) + 1}", "kind": kind}
        if s.tags.get("name"):
            gate["name"] = s.tags["name"][:200]
        gate["between"] = list(walls[i]["between"])
        locked = s.tags.get("locked")
        if locked in ("yes", "no"):
            gate["locked"] = locked == "yes"
        gate["notes"] = f"OpenStreetMap {s.ref} (barrier={barrier}) on {walls[i]['id']}"
        snapped = ring.interpolate(at)
        gate["point"] = degrees([(snapped.x, snapped.y)])[0]
        out.append((at, gate))
    out.sort(key=lambda g: g[0])
    for n, (_, gate) in enumerate(out, 1):
        gate["id"] = f"gate-{n}"
    return [g for _, g in out]


def _buildings(extract: Extract, metres: ToMetres, degrees: ToDegrees, outline: Any) -> list[dict]:
    from shapely import Polygon

    out = []
    for s in extract.areas:
        if s.tags.get("building", "no") == "no":
            continue
        shape = Polygon(metres(s.points))
        if not shape.is_valid or not outline.contains(shape.representative_point()):
            continue
        b: dict[str, Any] = {"id": f"building-{s.ref.split('/')[1]}"}
        if s.tags.get("name"):
            b["name"] = s.tags["name"][:200]
        height = _metres(s.tags.get("height"))
        levels = _metres(s.tags.get("building:levels"))
        note = f"OpenStreetMap {s.ref} (building={s.tags['building']})"
        if height is None and levels is not None:
            height = round(levels * STOREY_M, 1)
            note += f"; height from building:levels={levels:g} at {STOREY_M:g} m a storey"
        if height is not None:
            b["height_m"] = height
        b["notes"] = note
        b["footprint"] = degrees(shape.exterior.coords[:-1])
        out.append(b)
    return out


def _zone(zid: str, kind: str, name: str, note: str | None = None) -> dict[str, Any]:
    zone: dict[str, Any] = {"id": zid, "kind": kind, "name": name[:200]}
    if note:
        zone["notes"] = note
    return zone


def _metres(text: str | None) -> float | None:
    """``12``, ``12 m``, ``12.5m`` -> 12.0, 12.0, 12.5; feet and the unreadable -> None."""
    found = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(m)?\s*", text or "")
    return float(found.group(1)) if found and 0 < float(found.group(1)) <= 1000 else None


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _id(zone: dict[str, Any]) -> str:
    return zone["id"]
