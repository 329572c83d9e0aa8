"""Small plane facts about lists of points, shared by the GeoJSON and OSM readers."""

from __future__ import annotations

from typing import Any


def signed_area(pts: list[list[float]]) -> float:
    """Twice the signed area of the ring (shoelace): positive when counter-clockwise."""
    ring = pts[:-1] if len(pts) > 1 and pts[0] == pts[-1] else pts
    return sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def counter_clockwise(pts: list[list[float]]) -> list[list[float]]:
    """The ring as given, reversed if it runs clockwise (RFC 7946 section 3.1.6: an exterior
    ring is counter-clockwise); a closed ring stays closed, an open one open."""
    return pts if signed_area(pts) >= 0 else pts[::-1]


def points_of(place: Any) -> list[list[float]]:
    """A point ``[x, y]`` or a list of them, as a list of points."""
    return [place] if place and not isinstance(place[0], list | tuple) else list(place)


def span(pts: list[list[float]]) -> float:
    """The larger side of the points' bounding box."""
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return max(max(xs) - min(xs), max(ys) - min(ys))
