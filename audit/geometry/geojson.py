"""Plans in and out: a site's geometry as a GeoJSON FeatureCollection, and back.

``export`` writes one Feature per element with a place on the plan (zone and
building outlines as Polygons, wall courses as LineStrings, gates and camera
positions as Points); its properties are the element's fields as the site file
writes them, plus ``section``. The site's own fields travel in the foreign
member ``siteaudit``. A site in ``EPSG:4326`` is written as RFC 7946 GeoJSON
(longitude, latitude; exterior rings counter-clockwise, section 3.1.6); a site
in another EPSG system keeps its coordinates under a GeoJSON 2008 ``crs``
member (``urn:ogc:def:crs:EPSG::N``, as GDAL writes and reads it); a local grid
has no place on the earth, so it is refused unless the caller says where its
origin lies, and then it is written in EPSG:4326.

``import_features`` reads such a collection (from this tool, from GDAL, or
drawn in QGIS) back into a site file's plain data: the coordinate system is the
``crs`` member's, else the ``siteaudit`` member's, else EPSG:4326 as RFC 7946
says; coordinates that cannot be in that system are an error naming the
feature. Properties the site file does not know are kept out of the element
(listed in its ``notes``), and null ones (a GIS writes every column for every
feature) are dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from audit.geometry.rings import counter_clockwise, points_of, span

GEOMETRY_FIELD = {
    "zones": ("outline", "Polygon"),
    "buildings": ("footprint", "Polygon"),
    "walls": ("course", "LineString"),
    "gates": ("point", "Point"),
    "cameras": ("view.at", "Point"),
}
"""Section -> (the field that holds its place on the plan, the GeoJSON geometry type)."""

WGS84 = "EPSG:4326"
MAX_SPAN_DEG = 1.0
"""A site in longitude and latitude spans less than a degree (111 km) [assumed]: more
means the numbers are metres."""
MIN_SPAN_M = 1.0
"""A plan in metres spans more than a metre [assumed]: less means the numbers are degrees."""
DECIMALS = 7
"""Longitude and latitude to 7 decimals: about 1 cm (RFC 7946 section 11.2)."""


class FeatureError(ValueError):
    """A collection that cannot be read; ``index`` (0-based) is the feature at fault, so the
    caller can give its line, or None for the collection itself."""

    def __init__(self, index: int | None, message: str, section: str | None = None) -> None:
        self.index = index
        where = "" if index is None else f"feature {index + 1}"
        if section:
            where += f" ({section})"
        super().__init__(f"{where}: {message}" if where else message)


# --- export ------------------------------------------------------------------


def export(data: dict[str, Any], origin: tuple[float, float] | None = None) -> dict[str, Any]:
    """The FeatureCollection of a site file's plain ``data`` (elements with no place on the
    plan are left out: the site file stays the whole truth). A site on a local grid needs
    ``origin``, the longitude and latitude of its (0, 0); raises ValueError without it."""
    site = dict(data.get("site") or {})
    crs = site.get("crs", "local")
    move = None
    if crs != "local" and origin is not None:
        raise ValueError(
            f'--origin places a plan on a local grid; this one is in "{crs}" already: '
            "expected no --origin"
        )
    if crs == "local":
        if origin is None:
            raise ValueError(
                'the plan is on a local grid (site.crs "local"), which no GIS can place on the '
                "earth: give --origin LON,LAT (the longitude and latitude of the grid's 0,0) "
                'to write it as RFC 7946 GeoJSON, or give the site an EPSG "crs"'
            )
        move = _local_to_lonlat(origin)
        site["crs"] = crs = WGS84
    features = [_feature(section, el, move) for section, el in _placed(data)]
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if crs != WGS84:
        code = crs.split(":", 1)[1]
        collection["crs"] = {
            "type": "name",
            "properties": {"name": f"urn:ogc:def:crs:EPSG::{code}"},
        }
    collection["siteaudit"] = {"site": site}
    collection["features"] = features
    return collection


def _placed(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for section, (fieldname, _) in GEOMETRY_FIELD.items():
        for el in data.get(section) or []:
            if fieldname == "view.at":
                view = el.get("view")
                if isinstance(view, dict) and "at" in view:
                    out.append((section, el))
            elif el.get(fieldname) is not None:
                out.append((section, el))
    return out


Move = Callable[[list[list[float]]], list[list[float]]]
"""Points of a local grid to longitude and latitude."""


def _feature(section: str, el: dict[str, Any], move: Move | None) -> dict[str, Any]:
    fieldname, kind = GEOMETRY_FIELD[section]
    props = dict(el)
    if fieldname == "view.at":
        view = props["view"]
        place: Any = view["at"]
        props["view"] = {k: v for k, v in view.items() if k != "at"}
    else:
        place = props.pop(fieldname)
    pts = [place] if kind == "Point" else list(place)
    pts = [[float(p[0]), float(p[1])] for p in pts]
    if move is not None:
        pts = move(pts)
    coords: Any
    if kind == "Polygon":
        ring = counter_clockwise(pts)
        coords = [ring if ring[0] == ring[-1] else [*ring, ring[0]]]
    elif kind == "LineString":
        coords = pts
    else:
        coords = pts[0]
    return {
        "type": "Feature",
        "id": el["id"],
        "geometry": {"type": kind, "coordinates": coords},
        "properties": {"section": section, **props},
    }


def _local_to_lonlat(origin: tuple[float, float]) -> Move:
    """Metres east and north of ``origin`` to longitude and latitude: the azimuthal
    equidistant projection centred there, the inverse of what ``crs.to_local`` does."""
    from audit.geometry.crs import transformer

    lon0, lat0 = origin
    to_lonlat = transformer(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m", WGS84)

    def move(pts: list[list[float]]) -> list[list[float]]:
        lons, lats = to_lonlat.transform([p[0] for p in pts], [p[1] for p in pts])
        return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in zip(lons, lats, strict=True)]

    return move


# --- import ------------------------------------------------------------------

POLYGONS = ("Polygon", "MultiPolygon")
LINES = ("LineString", "MultiLineString")
POINTS = ("Point", "MultiPoint")
SPLITS = ("buildings", "walls")
"""Sections whose element may be cut in pieces (a Multi* geometry becomes one per part)."""


def import_features(
    collection: Any, fields: Mapping[str, frozenset[str]] | None = None
) -> dict[str, Any]:
    """A site file's plain data from a FeatureCollection. ``fields``: the properties each
    section knows (others go into the element's ``notes``); raises FeatureError."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise FeatureError(
            None, 'expected a GeoJSON FeatureCollection ({"type": "FeatureCollection"})'
        )
    meta = collection.get("siteaudit")
    site = meta.get("site") if isinstance(meta, dict) else None
    site = dict(site) if isinstance(site, dict) else {"id": "imported", "name": "Imported plan"}
    crs = _crs_of(collection, site)
    if crs != "local":
        site["crs"] = crs
    out: dict[str, Any] = {"site": site}
    features = collection.get("features")
    if not isinstance(features, list):
        raise FeatureError(None, 'expected "features": a list of Features')
    taken: set[str] = set()
    placed: list[tuple[int, list[list[float]]]] = []
    for n, feature in enumerate(features):
        for section, props in _elements(n, feature, fields):
            props["id"] = _unique(str(props["id"]), taken)
            out.setdefault(section, []).append(props)
            fieldname = GEOMETRY_FIELD[section][0]
            place = props["view"]["at"] if fieldname == "view.at" else props[fieldname]
            placed.append((n, points_of(place)))
    _check_units(placed, crs)
    return out


def _crs_of(collection: dict[str, Any], site: dict[str, Any]) -> str:
    member = collection.get("crs")
    if member is None:
        return str(site.get("crs") or WGS84)
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    text = str(name or "")
    if re.fullmatch(r"urn:ogc:def:crs:OGC:(1\.3)?:CRS84", text):
        return WGS84
    found = re.fullmatch(r"(?:urn:ogc:def:crs:EPSG:[0-9.]*:|EPSG:)([0-9]{4,6})", text)
    if found is None:
        raise FeatureError(
            None,
            f'the "crs" member names {json.dumps(text)[:60]}; expected an EPSG code '
            '("urn:ogc:def:crs:EPSG::32643") or none (RFC 7946: longitude and latitude)',
        )
    return f"EPSG:{found.group(1)}"


def _elements(
    n: int, feature: Any, fields: Mapping[str, frozenset[str]] | None
) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise FeatureError(n, 'expected a Feature ({"type": "Feature"})')
    raw = feature.get("properties") or {}
    if not isinstance(raw, dict):
        raise FeatureError(n, "properties: expected an object")
    props = {k: v for k, v in raw.items() if v is not None}
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        what = "no geometry" if geometry is None else "geometry"
        raise FeatureError(n, f'{what}: expected an object {{"type", "coordinates"}}')
    kind = geometry.get("type")
    section = props.pop("section", None) or _section_of(props, kind)
    if section not in GEOMETRY_FIELD:
        from audit.common.errors import did_you_mean

        known = ", ".join(GEOMETRY_FIELD)
        hint = did_you_mean(str(section), GEOMETRY_FIELD) if section else ""
        what = f'unknown section "{section}"{hint}' if section else f"a {kind} with no section"
        raise FeatureError(n, f"{what}; expected one of {known}")
    fieldname, want = GEOMETRY_FIELD[section]
    parts = _parts(n, section, want, kind, geometry.get("coordinates"))
    base = _known(props, fields.get(section) if fields else None)
    base.setdefault("id", feature.get("id") or f"{section[:-1]}-{n + 1}")
    out = []
    for i, part in enumerate(parts):
        el = dict(base)
        if len(parts) > 1:
            el["id"] = f"{base['id']}-{i + 1}"
        if fieldname == "view.at":
            el["view"] = {"at": part, **(el.get("view") or {})}
        else:
            el[fieldname] = part
        out.append((section, el))
    return out


def _section_of(props: dict[str, Any], kind: Any) -> str | None:
    """A feature drawn without a ``section``: an OpenStreetMap ``building`` is a building, a
    ``barrier`` line a wall and point a gate; else polygons are zones, lines walls, points
    gates."""
    if "building" in props and kind in POLYGONS:
        return "buildings"
    if kind in POLYGONS:
        return "zones"
    if kind in LINES:
        return "walls"
    return "gates" if kind in POINTS else None


Place = list[float] | list[list[float]]
"""An element's place on the plan: a point [x, y], or a line's or outline's points."""


def _parts(n: int, section: str, want: str, kind: Any, coords: Any) -> list[Place]:
    """The geometry's coordinates as one place per element (x, y only; holes dropped)."""
    multi = f"Multi{want}"
    if kind not in (want, multi):
        raise FeatureError(n, f"expected a {want} geometry, got {kind}", section)
    from audit.geometry.model import MAX_POINTS

    try:
        items = coords if kind == multi else [coords]
        if not isinstance(items, list) or not items:
            raise ValueError
        lines = [p[0] for p in items] if want == "Polygon" else items if want != "Point" else []
        longest = max((len(line) for line in lines if isinstance(line, list)), default=0)
        if longest > MAX_POINTS:
            raise FeatureError(
                n, f"{longest} points; a site file's line or outline has at most {MAX_POINTS}"
            )
        places: list[Place]
        if want == "Polygon":
            places = [_ring(poly[0]) for poly in items]
        elif want == "LineString":
            places = [[_xy(p) for p in line] for line in items]
        else:
            places = [_xy(p) for p in items]
    except (TypeError, IndexError, ValueError, KeyError) as exc:
        if isinstance(exc, FeatureError):
            raise
        raise FeatureError(n, f"coordinates: expected a {kind} of [x, y] numbers") from None
    if len(places) > 1 and section not in SPLITS:
        raise FeatureError(
            n,
            f"a {kind} of {len(places)} parts, and a {section[:-1]} has one place on the "
            f"plan: split it into {section} of their own, or draw one {want}",
            section,
        )
    return places


def _xy(p: Any) -> list[float]:
    if not isinstance(p, list) or len(p) < 2:
        raise ValueError
    x, y = p[0], p[1]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y)):
        raise ValueError
    return [float(x), float(y)]


def _ring(ring: Any) -> list[list[float]]:
    pts = [_xy(p) for p in ring]
    return pts[:-1] if len(pts) > 3 and pts[0] == pts[-1] else pts


def _known(props: dict[str, Any], known: frozenset[str] | None) -> dict[str, Any]:
    """The properties the section knows; the others named in ``notes`` (kept out of the
    element, so the file validates, but not lost)."""
    if known is None:
        return props
    kept = {k: v for k, v in props.items() if k in known}
    other = sorted(k for k in props if k not in known)
    if other:
        listed = "; ".join(f"{k}={_short(props[k])}" for k in other)
        note = f"from the plan, not site-file fields: {listed}"
        kept["notes"] = f"{kept['notes']}\n{note}" if kept.get("notes") else note
    return kept


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def _unique(wanted: str, taken: set[str]) -> str:
    name, i = wanted, 2
    while name in taken:
        name, i = f"{wanted}-{i}", i + 1
    taken.add(name)
    return name


def _check_units(placed: list[tuple[int, list[list[float]]]], crs: str) -> None:
    """Coordinates that cannot be in ``crs``: metres read as degrees, or degrees as metres."""
    if not placed:
        return
    if crs == WGS84:
        for n, pts in placed:
            bad = next((p for p in pts if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90)), None)
            if bad is not None:
                raise FeatureError(
                    n,
                    f"[{bad[0]:g}, {bad[1]:g}] is not a longitude and latitude, and the "
                    "collection is in EPSG:4326 (no crs member: RFC 7946); are these metres "
                    'on a local grid? Then give it a "siteaudit" member with "site": '
                    '{"crs": "local"} (or a crs member naming its EPSG system)',
                )
        wide = span([p for _, pts in placed for p in pts])
        if wide > MAX_SPAN_DEG:
            raise FeatureError(
                placed[0][0],
                f"the plan spans {wide:.1f} degrees, and the collection is in EPSG:4326 (no "
                "crs member: RFC 7946); a site spans less than a degree [assumed]: are "
                'these metres on a local grid? Then give it a "siteaudit" member with '
                '"site": {"crs": "local"}',
            )
    elif crs == "local":
        pts = [p for _, pts in placed for p in pts]
        geographic = all(-180 <= p[0] <= 180 and -90 <= p[1] <= 90 for p in pts)
        if geographic and span(pts) < MIN_SPAN_M:
            raise FeatureError(
                placed[0][0],
                f'the plan spans {span(pts):.5f} m on its local grid (site.crs "local"): '
                "these look like longitude and latitude; give the site "
                '"crs": "EPSG:4326" (or drop the siteaudit crs, as RFC 7946 GeoJSON does)',
            )
