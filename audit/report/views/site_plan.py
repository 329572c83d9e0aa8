"""The site drawn to scale for the HTML report: outlines, walls by coverage, camera views.

Only for sites with geometry (``audit.geometry.sight``). Coordinates are metres on the
site's grid (x east, y north); the drawing maps them onto an SVG viewBox with
north up, so it scales to the page width and prints. Walls are drawn stretch
by stretch: green where a working camera sees them at detection density, red
where none does; walls on the plan with no camera view anywhere stay grey
(nothing to compute from).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

WIDTH = 960.0
"""Width of the viewBox, in SVG units (the drawing scales to the page)."""
MARGIN = 30.0
MIN_STRETCH_M = 0.05
"""A stretch of wall shorter than this is not drawn: under a pixel at any scale the plan is
drawn to [assumed]."""


@dataclass
class SitePlan:
    width: float
    height: float
    zones: list[dict[str, Any]] = field(default_factory=list)
    buildings: list[dict[str, Any]] = field(default_factory=list)
    views: list[dict[str, Any]] = field(default_factory=list)
    walls: list[dict[str, Any]] = field(default_factory=list)
    gates: list[dict[str, Any]] = field(default_factory=list)
    lights: list[dict[str, Any]] = field(default_factory=list)
    toppings: list[dict[str, Any]] = field(default_factory=list)
    """Walls whose topping is damaged, cut or missing."""
    dark: list[dict[str, Any]] = field(default_factory=list)
    """Stretches of wall lit below 2 lux by the lamps on the plan."""
    vantage: list[dict[str, Any]] = field(default_factory=list)
    """Vantage points on the plan and their sightlines."""
    scale_m: float = 0.0
    scale_px: float = 0.0


def _coords(site: Any) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for z in site.zones:
        pts += [tuple(p) for p in z.outline or []]
    for w in site.walls:
        pts += [tuple(p) for p in w.course or []]
    for b in site.buildings:
        pts += [tuple(p) for p in b.footprint]
    pts += [tuple(g.point) for g in site.gates if g.point is not None]
    pts += [tuple(c.view.at) for c in site.cameras if c.view is not None]
    pts += [tuple(li.lamp.at) for li in site.lights if li.lamp is not None]
    pts += [tuple(vp.at) for vp in site.vantage_points if vp.at is not None]
    return pts


def site_plan(result: Any, on_path: set[str]) -> SitePlan | None:
    """The drawing of ``result``'s site, or None when the file has no geometry."""
    site = result.model
    pts = _coords(site)
    if len(pts) < 2:
        return None
    plan = result.watch.plan
    for whole in plan.views.values() if plan is not None else ():
        if not whole.is_empty:  # the box grows to hold each view: none is clipped
            bx0, by0, bx1, by1 = whole.bounds
            pts += [(bx0, by0), (bx1, by1)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    pad = 0.05 * max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    span = max(x1 - x0, y1 - y0, 1.0)
    k = (WIDTH - 2 * MARGIN) / span
    height = (y1 - y0) * k + 2 * MARGIN + 30

    def xy(p: Any) -> str:
        return f"{MARGIN + (p[0] - x0) * k:.1f},{MARGIN + (y1 - p[1]) * k:.1f}"

    def path(points: Any, close: bool = False) -> str:
        d = "M" + " L".join(xy(p) for p in points)
        return d + (" Z" if close else "")

    from shapely import Polygon, union_all

    footprints = union_all([Polygon(b.footprint) for b in site.buildings])

    def label(points: Any, clear: Any = None) -> tuple[float, float]:
        """A point inside the outline (and outside ``clear``, where room is left)."""
        shape = Polygon(points)
        free = shape.difference(clear) if clear is not None else shape
        p = (free if not free.is_empty else shape).representative_point()
        x, y = (float(v) for v in xy((p.x, p.y)).split(","))
        return x, y

    out = SitePlan(WIDTH, round(height, 1))
    for z in site.zones:
        if z.outline:
            lx, ly = label(z.outline, footprints)
            out.zones.append(
                {"id": z.id, "kind": z.kind, "d": path(z.outline, True), "lx": lx, "ly": ly}
            )
    for b in site.buildings:
        lx, ly = label(b.footprint)
        out.buildings.append({"id": b.id, "d": path(b.footprint, True), "lx": lx, "ly": ly})
    from audit.geometry.lighting import LIT_LUX

    working = {c.id for c in site.cameras if c.status == "working"}
    if plan is not None:
        for cid, whole in sorted(plan.views.items()):
            for poly in getattr(whole, "geoms", [whole]):
                if poly.is_empty or not hasattr(poly, "exterior"):
                    continue
                out.views.append(
                    {"id": cid, "working": cid in working, "d": path(poly.exterior.coords, True)}
                )
    for w in site.walls:
        if not w.course:
            continue
        cover = plan.walls.get(w.id) if plan is not None else None
        if w.topping.kind != "none" and w.topping.condition != "intact":
            out.toppings.append({"id": w.id, "d": path(w.course), "condition": w.topping.condition})
        if cover is None:
            out.walls.append(_wall(w.id, path(w.course), "none", w.id in on_path, ""))
            continue
        from shapely import LineString
        from shapely.ops import substring

        line = LineString(w.course)
        bands = plan.bands(w.id)
        share = "; of the wall, " + ", ".join(
            f"{name} {100 * m / cover.length_m:.0f}%" for name, m in bands.items()
        )
        for s in cover.stretches:
            if s.end_m - s.start_m < MIN_STRETCH_M:
                continue  # nothing to draw, and no "metres 0-0" to say
            seen = bool(set(s.cameras) & working)
            piece = substring(line, s.start_m, s.end_m)
            status = "seen" if seen else "unseen"
            by = "seen by " + ", ".join(s.cameras) if seen else "seen by no camera"
            title = f"{w.id}: {_metres(s.start_m, s.end_m)} {by}{share}"
            out.walls.append(_wall(w.id, path(piece.coords), status, w.id in on_path, title))
        profile = plan.lux.get(w.id)
        for d in profile.below(LIT_LUX) if profile is not None else []:
            piece = substring(line, d.start_m, d.end_m)
            out.dark.append(
                {
                    "id": w.id,
                    "d": path(piece.coords),
                    "title": f"{w.id}: {_metres(d.start_m, d.end_m)} dark",
                }
            )
    for vp in site.vantage_points:
        if vp.at is None or plan is None:
            continue
        x, y = (float(v) for v in xy(vp.at).split(","))
        lines = [
            {
                "d": f"M{x:.1f},{y:.1f} L{xy(s.to)}",
                "clear": s.blocked_by is None,
                "title": f"{vp.id} to {s.target}: {s.distance_m:g} m"
                + (f", hidden by {s.blocked_by}" if s.blocked_by else ", clear"),
            }
            for s in plan.sightlines(vp) or []
        ]
        out.vantage.append({"id": vp.id, "x": x, "y": y, "lines": lines})
    for li in site.lights:
        if li.lamp is not None and li.status == "working":
            lamp = li.lamp
            r2 = (lamp.intensity * lamp.height_m / LIT_LUX) ** (2 / 3) - lamp.height_m**2
            x, y = (float(v) for v in xy(lamp.at).split(","))
            radius = math.sqrt(max(r2, 0.0)) * k
            out.lights.append({"id": li.id, "x": x, "y": y, "r": round(radius, 1)})
    for g in site.gates:
        if g.point is not None:
            x, y = (float(v) for v in xy(g.point).split(","))
            out.gates.append({"id": g.id, "x": x, "y": y, "on_path": g.id in on_path})
    out.scale_m = _nice(span / 5)
    out.scale_px = round(out.scale_m * k, 1)
    return out


def _metres(start: float, end: float) -> str:
    """'metres 12-30', to the decimetre where whole metres would say '0-0'."""
    whole = f"metres {start:.0f}-{end:.0f}"
    return whole if round(end) > round(start) else f"metres {start:.1f}-{end:.1f}"


def _wall(wid: str, d: str, status: str, on_path: bool, title: str) -> dict[str, Any]:
    return {"id": wid, "d": d, "status": status, "on_path": on_path, "title": title or wid}


def _nice(x: float) -> float:
    """1, 2 or 5 times a power of ten, at most ``x`` (a scale bar's length)."""
    p = 10 ** math.floor(math.log10(x))
    return max(m * p for m in (1, 2, 5) if m * p <= x)
