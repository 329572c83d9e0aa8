"""Plans drawn in a real coordinate system: every coordinate projected to local metres.

A site file may give its plan in an EPSG coordinate system (``site.crs``: e.g.
``EPSG:4326``, longitude then latitude, as GeoJSON and OpenStreetMap do). The
geometry code works in metres on a flat grid, so at load every coordinate is
projected with pyproj to an azimuthal equidistant projection centred on the
site (distances from its centre are exact, and across a site of a few
kilometres the error is far below a metre). pyproj is imported only for such
files, and is an optional extra (``pip install "siteaudit[epsg]"``, 33 MB): a
plan on a local grid needs none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def places(site: Any) -> Iterator[tuple[Any, str]]:
    """(object, attribute) of every coordinate list on the plan: a point or a list of them."""
    for z in site.zones:
        yield z, "outline"
    for b in site.buildings:
        yield b, "footprint"
    for w in site.walls:
        yield w, "course"
    for g in site.gates:
        yield g, "point"
    for c in site.cameras:
        if c.view is not None:
            yield c.view, "at"
    for li in site.lights:
        if li.lamp is not None:
            yield li.lamp, "at"
    for va in site.vehicle_approaches:
        yield va, "outline"
        yield va, "course"
    for vp in site.vantage_points:
        yield vp, "at"


def to_local(site: Any) -> None:
    """Project the plan of ``site`` from ``site.site.crs`` to local metres, in place; raise
    ValueError for a coordinate system pyproj does not know."""
    if site.site.crs == "local":
        return
    need_pyproj(f'a plan in "{site.site.crs}"')
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(site.site.crs)
    except CRSError:
        raise ValueError(f'unknown coordinate system "{site.site.crs}"') from None
    found = [(obj, name) for obj, name in places(site) if getattr(obj, name) is not None]
    if not found:
        return
    to_lonlat = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    points = [p for obj, name in found for p in _points(getattr(obj, name))]
    lons, lats = to_lonlat.transform([p[0] for p in points], [p[1] for p in points])
    lon0 = sum(lons) / len(lons)
    lat0 = sum(lats) / len(lats)
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m")
    project = Transformer.from_crs(source, local, always_xy=True)
    for obj, name in found:
        value = getattr(obj, name)
        single = not isinstance(value[0], list | tuple)
        pts = [value] if single else value
        xs, ys = project.transform([p[0] for p in pts], [p[1] for p in pts])
        moved = [[round(x, 3), round(y, 3)] for x, y in zip(xs, ys, strict=True)]
        setattr(obj, name, moved[0] if single else moved)


def need_pyproj(what: str) -> None:
    """Raise ValueError naming the extra to install when pyproj is missing."""
    try:
        import pyproj  # noqa: F401
    except ImportError:
        raise ValueError(
            f'{what} needs pyproj, which is not installed: pip install "siteaudit[epsg]" '
            '(or give the plan on a local grid, crs "local")'
        ) from None


def transformer(source: str, target: str) -> Any:
    """A pyproj Transformer from ``source`` to ``target`` (x, y: longitude first)."""
    need_pyproj(f'a plan placed in "{target}"')
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def _points(value: Any) -> list[Any]:
    return [value] if not isinstance(value[0], list | tuple) else list(value)
