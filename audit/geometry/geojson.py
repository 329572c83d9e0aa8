"""Plans in and out: a site's geometry as a GeoJSON FeatureCollection, and back.

``export`` writes one Feature per element with a place on the plan (zone and
building outlines as Polygons, wall courses as LineStrings, gates and camera
positions as Points); its properties are the element's fields as the site file
writes them, plus ``section``. The site's own fields travel in the foreign
member ``siteaudit``. ``import_features`` reads such a collection (from this
tool, or drawn in QGIS with the same properties) back into a site file's plain
data. Coordinates are written as the site file gives them: longitude and
latitude for a site in ``EPSG:4326`` (RFC 7946 GeoJSON), else the site's own
grid (local metres: a GIS opens it as planar data).
"""

from __future__ import annotations

from typing import Any

GEOMETRY_FIELD = {
    "zones": ("outline", "Polygon"),
    "buildings": ("footprint", "Polygon"),
    "walls": ("course", "LineString"),
    "gates": ("point", "Point"),
    "cameras": ("view.at", "Point"),
}
"""Section -> (the field that holds its place on the plan, the GeoJSON geometry type)."""


def _ring(points: list[list[float]]) -> list[list[float]]:
    pts = [list(map(float, p)) for p in points]
    return pts if pts[0] == pts[-1] else [*pts, pts[0]]


def export(data: dict[str, Any]) -> dict[str, Any]:
    """The FeatureCollection of a site file's plain ``data`` (elements with no place on the
    plan are left out: the site file stays the whole truth)."""
    features = []
    for section, (fieldname, kind) in GEOMETRY_FIELD.items():
        for el in data.get(section) or []:
            props = dict(el)
            if fieldname == "view.at":
                view = props.get("view")
                if not isinstance(view, dict) or "at" not in view:
                    continue
                coords: Any = [float(v) for v in view["at"]]
                props["view"] = {k: v for k, v in view.items() if k != "at"}
            else:
                place = props.pop(fieldname, None)
                if place is None:
                    continue
                if kind == "Polygon":
                    coords = [_ring(place)]
                elif kind == "LineString":
                    coords = [list(map(float, p)) for p in place]
                else:
                    coords = [float(v) for v in place]
            props = {"section": section, **props}
            features.append(
                {
                    "type": "Feature",
                    "id": el["id"],
                    "geometry": {"type": kind, "coordinates": coords},
                    "properties": props,
                }
            )
    return {
        "type": "FeatureCollection",
        "siteaudit": {"site": data.get("site", {})},
        "features": features,
    }


def import_features(collection: Any) -> dict[str, Any]:
    """A site file's plain data from a FeatureCollection; raises ValueError, naming the
    feature, when one cannot be read."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ValueError('expected a GeoJSON FeatureCollection ({"type": "FeatureCollection"})')
    meta = collection.get("siteaudit") or {}
    site = meta.get("site") if isinstance(meta, dict) else None
    out: dict[str, Any] = {"site": site or {"id": "imported", "name": "Imported plan"}}
    for n, feature in enumerate(collection.get("features") or []):
        where = f"feature {n + 1}"
        if not isinstance(feature, dict):
            raise ValueError(f"{where}: expected a Feature")
        if not isinstance(feature.get("properties") or {}, dict):
            raise ValueError(f"{where}: properties: expected an object")
        if not isinstance(feature.get("geometry") or {}, dict):
            raise ValueError(f'{where}: geometry: expected an object {{"type", "coordinates"}}')
        props = dict(feature.get("properties") or {})
        geometry = feature.get("geometry") or {}
        section = props.pop("section", None) or _section_of(geometry.get("type"))
        if section not in GEOMETRY_FIELD:
            known = ", ".join(GEOMETRY_FIELD)
            raise ValueError(f'{where}: unknown section "{section}"; expected one of {known}')
        fieldname, kind = GEOMETRY_FIELD[section]
        if geometry.get("type") != kind:
            raise ValueError(
                f"{where} ({section}): expected a {kind} geometry, got {geometry.get('type')}"
            )
        coords = _coordinates(geometry.get("coordinates"), kind, where)
        props.setdefault("id", feature.get("id") or f"{section[:-1]}-{n + 1}")
        if kind == "Polygon":
            ring = [list(p[:2]) for p in coords[0]]
            props[fieldname] = ring[:-1] if len(ring) > 3 and ring[0] == ring[-1] else ring
        elif kind == "LineString":
            props[fieldname] = [list(p[:2]) for p in coords]
        elif fieldname == "view.at":
            props["view"] = {"at": list(coords[:2]), **(props.get("view") or {})}
        else:
            props[fieldname] = list(coords[:2])
        out.setdefault(section, []).append(props)
    return out


def _coordinates(coords: Any, kind: str, where: str) -> Any:
    """``coords`` when they have the shape of a ``kind`` of points of two or more numbers."""
    from audit.geometry.model import MAX_POINTS

    depth = {"Point": 0, "LineString": 1, "Polygon": 2}[kind]
    line = coords if kind == "LineString" else coords[0] if kind == "Polygon" and coords else []
    if isinstance(line, list) and len(line) > MAX_POINTS:
        raise ValueError(
            f"{where}: {len(line)} points; a site file's line or outline has at most {MAX_POINTS}"
        )
    stack = [(coords, depth)]
    while stack:
        value, level = stack.pop()
        ok = isinstance(value, list) and len(value) >= (2 if level == 0 else 1)
        if ok and level == 0:
            ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        if not ok:
            raise ValueError(f"{where}: coordinates: expected a {kind} of [x, y] numbers")
        if level:
            stack.extend((v, level - 1) for v in value)
    return coords


def _section_of(kind: Any) -> str | None:
    """A feature drawn without a ``section``: polygons are zones, lines walls, points gates."""
    return {"Polygon": "zones", "LineString": "walls", "Point": "gates"}.get(kind)
