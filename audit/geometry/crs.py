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

import math
from collections.abc import Iterator
from typing import Any


class PlanError(ValueError):
    """A plan the site's coordinate system cannot project, and where in the file."""

    def __init__(self, message: str, where: tuple[str | int, ...] = ("site", "crs")) -> None:
        super().__init__(message)
        self.where = where


Where = tuple[str | int, ...]


def places(site: Any) -> Iterator[tuple[Any, str, Where]]:
    """(object, attribute, where in the file) of every coordinate list on the plan: a point
    or a list of them."""

    def at(el: Any, *rest: str) -> Where:
        return (*getattr(el, "_loc", ()), *rest)

    for z in site.zones:
        yield z, "outline", at(z, "outline")
    for b in site.buildings:
        yield b, "footprint", at(b, "footprint")
    for w in site.walls:
        yield w, "course", at(w, "course")
    for g in site.gates:
        yield g, "point", at(g, "point")
    for c in site.cameras:
        if c.view is not None:
            yield c.view, "at", at(c, "view", "at")
    for li in site.lights:
        if li.lamp is not None:
            yield li.lamp, "at", at(li, "lamp", "at")
    for va in site.vehicle_approaches:
        yield va, "outline", at(va, "outline")
        yield va, "course", at(va, "course")
    for vp in site.vantage_points:
        yield vp, "at", at(vp, "at")


def to_local(site: Any) -> None:
    """Project the plan of ``site`` from ``site.site.crs`` to local metres, in place. Raise
    ``PlanError`` (a ValueError) for a coordinate system pyproj does not know, a point that
    is no place in it, or a projection pyproj cannot build or run. pyproj never reaches for
    the network here (``PROJ_NETWORK=ON`` is overridden): the same file projects the same
    way on every machine, with the datum grids installed or without them."""
    if site.site.crs == "local":
        return
    need_pyproj(f'a plan in "{site.site.crs}"')
    from pyproj.exceptions import CRSError, ProjError

    try:
        _project(site)
    except (CRSError, ProjError) as exc:
        why = str(exc).split(": (")[0].splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise PlanError(
            f'cannot project the plan from "{site.site.crs}" ({why}); expected coordinates '
            "inside the area of that coordinate system"
        ) from None


def _project(site: Any) -> None:
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError
    from pyproj.network import set_network_enabled

    set_network_enabled(False)  # no network at run time, whatever PROJ_NETWORK says
    try:
        source = CRS.from_user_input(site.site.crs)
    except CRSError:
        raise PlanError(f'unknown coordinate system "{site.site.crs}"') from None
    found = [(o, name, loc) for o, name, loc in places(site) if getattr(o, name) is not None]
    if not found:
        return
    to_lonlat = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    lons: list[float] = []
    lats: list[float] = []
    for obj, name, loc in found:
        pts = _points(getattr(obj, name))
        xs, ys = to_lonlat.transform([p[0] for p in pts], [p[1] for p in pts])
        for i, (lon, lat) in enumerate(zip(xs, ys, strict=True)):
            if not (math.isfinite(lon) and math.isfinite(lat) and abs(lat) <= 90):
                single = not isinstance(getattr(obj, name)[0], list | tuple)
                raise PlanError(
                    f"the point {_shown(pts[i])} has no longitude and latitude in "
                    f"{site.site.crs}; expected a point inside its area{_hint(site.site.crs)}",
                    loc if single else (*loc, i),
                )
        lons += xs
        lats += ys
    lon0 = sum(lons) / len(lons)
    lat0 = sum(lats) / len(lats)
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m")
    project = Transformer.from_crs(source, local, always_xy=True)
    for obj, name, loc in found:
        value = getattr(obj, name)
        single = not isinstance(value[0], list | tuple)
        pts = [value] if single else value
        xs, ys = project.transform([p[0] for p in pts], [p[1] for p in pts])
        for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
            if not (math.isfinite(x) and math.isfinite(y)):
                raise PlanError(
                    f"the point {_shown(pts[i])} cannot be projected to metres around the "
                    "site; expected a point near the others",
                    loc if single else (*loc, i),
                )
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
    from pyproj.network import set_network_enabled

    set_network_enabled(False)  # no network at run time, as in to_local
    return Transformer.from_crs(source, target, always_xy=True)


def _hint(crs: str) -> str:
    return " (longitude -180 to 180, then latitude -90 to 90)" if crs == "EPSG:4326" else ""


def _shown(point: Any) -> str:
    return "[" + ", ".join(f"{v:g}" for v in point) + "]"


def _points(value: Any) -> list[Any]:
    return [value] if not isinstance(value[0], list | tuple) else list(value)
