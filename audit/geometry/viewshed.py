"""What one camera sees on the plan: the sector within which it resolves a density, minus the
shadows of the buildings in the way.

The density at distance d is resolution / (2 d tan(fov / 2)) (IEC 62676-4); the view is cut
to the distance where it falls to the density asked (``DETECT_PX_M`` by default) and to the
camera's ``range_m``, and a building hides what lies behind each of its edges that faces
the camera (line of sight on the plan).
"""

from __future__ import annotations

import math
from typing import Any

DETECT_PX_M = 25.0
"""IEC 62676-4:2015 density to detect a person (observe 62.5, recognise 125, identify 250)."""
DENSITIES = {"detect": 25.0, "observe": 62.5, "recognise": 125.0, "identify": 250.0}
ARC_STEP_DEG = 1.0
"""Angle between the points of a view's far arc (the straight edges of a view are exact)."""


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
    """What ``footprint`` hides from ``apex``: the footprint and, for each of its edges that
    faces ``apex``, the region behind that edge out to ``far`` metres. A sightline into the
    shadow enters the footprint through such an edge first, so the edges facing away add
    nothing (within ``far``) and are left out: half the polygons to merge."""
    import numpy as np
    import shapely

    ring = shapely.get_coordinates(footprint.exterior)
    if not footprint.exterior.is_ccw:
        ring = ring[::-1]
    p0, p1 = ring[:-1], ring[1:]
    ax, ay = apex
    edge = p1 - p0
    mid = (p0 + p1) / 2.0
    facing = edge[:, 1] * (ax - mid[:, 0]) - edge[:, 0] * (ay - mid[:, 1]) >= 0
    p0, p1 = p0[facing], p1[facing]

    def beyond(p: Any) -> Any:
        d = p - (ax, ay)
        n = np.hypot(d[:, 0], d[:, 1])
        n[n == 0] = 1e-9
        return (ax, ay) + d / n[:, None] * far

    quads = shapely.polygons(np.stack([p0, p1, beyond(p1), beyond(p0), p0], axis=1))
    keep = shapely.is_valid(quads) & (shapely.area(quads) > 0)
    return shapely.union_all([footprint, *quads[keep]])


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
