"""Optional geometry of a site file: points, lines and outlines on the site's plan.

Coordinates are metres on a local grid (``site.crs: local``): x east, y north,
any origin. Every element may carry its geometry or not, so a file can be
upgraded gradually; where geometry exists, coverage is computed from it
(``audit.geometry.sight``), elsewhere the declared ``covers`` lists stand.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Coord = Annotated[
    list[Annotated[float, Field(allow_inf_nan=False, ge=-1e7, le=1e7)]],
    Field(min_length=2, max_length=2, description="[x, y] in metres on the site's grid."),
]
MAX_POINTS = 10_000


def _distinct(points: list[list[float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for x, y in points:
        if not out or (x, y) != out[-1]:
            out.append((x, y))
    return out


def polyline(points: list[list[float]]) -> list[list[float]]:
    """A line of at least two distinct points."""
    if len(_distinct(points)) < 2:
        raise ValueError("a line needs at least two distinct points")
    return points


def outline(points: list[list[float]]) -> list[list[float]]:
    """A closed outline: at least three distinct points enclosing an area (the last point may
    repeat the first; the outline is closed either way)."""
    pts = _distinct(points)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        raise ValueError("an outline needs at least three distinct points")
    # from the first point (large coordinates, degrees or a national grid, lose the area to
    # rounding otherwise) and relative to the outline's size, so that a small shed in
    # degrees (EPSG:4326: 2 x 2 m is 6e-10 square degrees) is an area and points in a line
    # are not, in metres or degrees
    ox, oy = pts[0]
    pts = [(x - ox, y - oy) for x, y in pts]
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True))
    span = max(
        max(x for x, _ in pts) - min(x for x, _ in pts),
        max(y for _, y in pts) - min(y for _, y in pts),
    )
    if abs(area) <= 1e-9 * span * span:
        raise ValueError("the outline encloses no area (its points are in a line)")
    return points


Line = Annotated[list[Coord], Field(min_length=2, max_length=MAX_POINTS)]
Outline = Annotated[list[Coord], Field(min_length=3, max_length=MAX_POINTS)]


class CameraView(BaseModel):
    """Where a camera stands and what it can resolve (IEC 62676-4 pixel density)."""

    model_config = ConfigDict(extra="forbid")

    at: Coord
    heading_deg: Annotated[float, Field(ge=0, lt=360)] = Field(
        description="Direction it looks, degrees clockwise from north (+y)."
    )
    fov_deg: Annotated[float, Field(gt=0, lt=180)] = Field(
        description="Horizontal field of view, degrees."
    )
    resolution_px: Annotated[int, Field(gt=0, le=100_000)] = Field(
        description="Horizontal resolution, pixels."
    )
    range_m: Annotated[float, Field(gt=0, le=10_000)] | None = Field(
        None, description="Farthest it sees anything (lens, light); none: the density decides."
    )
    height_m: Annotated[float, Field(ge=0, le=500)] | None = Field(
        None, description="Mounting height, metres."
    )

    def reach(self, px_per_m: float) -> float:
        """How far it resolves ``px_per_m``: resolution / (2 d tan(fov/2)) = px_per_m."""
        d = self.resolution_px / (2.0 * math.tan(math.radians(self.fov_deg) / 2.0) * px_per_m)
        return min(d, self.range_m) if self.range_m is not None else d

    def px_per_m(self, distance_m: float) -> float:
        """Pixel density at ``distance_m`` across the view."""
        return self.resolution_px / (2.0 * distance_m * math.tan(math.radians(self.fov_deg) / 2.0))


class Lamp(BaseModel):
    """Where a light stands and its output: a point source (luminous intensity towards the
    ground in candela, or its lumens spread over the lower hemisphere [assumed])."""

    model_config = ConfigDict(extra="forbid")

    at: Coord
    height_m: Annotated[float, Field(gt=0, le=100)] = Field(description="Mounting height, metres.")
    candela: Annotated[float, Field(gt=0, le=1e7)] | None = None
    lumens: Annotated[float, Field(gt=0, le=1e8)] | None = None

    @model_validator(mode="after")
    def _output(self) -> Lamp:
        if (self.candela is None) == (self.lumens is None):
            raise ValueError("give the lamp's output as candela or lumens (one of them)")
        return self

    @property
    def intensity(self) -> float:
        """Candela towards the ground: as given, or lumens / 2 pi (a lamp lighting the lower
        hemisphere evenly [assumed])."""
        if self.candela is not None:
            return self.candela
        assert self.lumens is not None  # the validator asks for one of the two
        return self.lumens / (2.0 * math.pi)

    def reach(self, floor_lux: float) -> float:
        """How far (horizontally) it gives at least ``floor_lux``: I h / (d^2 + h^2)^1.5 =
        floor at d = sqrt((I h / floor)^(2/3) - h^2); 0 when it gives less right under it."""
        d2 = (self.intensity * self.height_m / floor_lux) ** (2.0 / 3.0) - self.height_m**2
        return math.sqrt(d2) if d2 > 0 else 0.0

    def lux(self, x: float, y: float) -> float:
        """Horizontal illuminance at ground point (x, y): I cos(theta) / r^2 = I h / r^3."""
        dx, dy = x - self.at[0], y - self.at[1]
        r2 = dx * dx + dy * dy + self.height_m * self.height_m
        return self.intensity * self.height_m / (r2 * math.sqrt(r2))


class LineField(BaseModel):
    """Validators shared by the models that carry a line or an outline."""

    @field_validator("course", check_fields=False)
    @classmethod
    def _course(cls, v: list[list[float]] | None) -> list[list[float]] | None:
        return None if v is None else polyline(v)

    @field_validator("outline", "footprint", check_fields=False)
    @classmethod
    def _outline(cls, v: list[list[float]] | None) -> list[list[float]] | None:
        return None if v is None else outline(v)
