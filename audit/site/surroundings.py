"""What stands around the site's zones on the plan: buildings that block the cameras' view,
vantage points that overlook a zone, and the approaches vehicles take to a building.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from audit.geometry.model import Coord, Line, LineField, Outline
from audit.site.values import Element, Id, Metres, unrecorded


class Building(Element, LineField):
    """A building on the plan: it blocks the view of cameras behind it."""

    footprint: Outline
    height_m: Metres | None = None


class VantagePoint(Element):
    overlooks: list[Id] = Field(min_length=1)
    controlled: bool | None = unrecorded(
        "Access to it is controlled by the site.",
        "not controlled: a standoff threat may fire from it",
    )
    distance_m: Metres | None = Field(
        None, description="To what it overlooks; on the plan, measured along a clear sightline."
    )
    height_m: Metres | None = Field(None, description="Height of the vantage above the ground.")
    at: Coord | None = Field(None, description="Where it is on the plan.")


class VehicleApproach(Element, LineField):
    from_: Id = Field(alias="from", description="Zone a vehicle arrives from.")
    to: Id = Field(description="Zone of the building it approaches.")
    standoff_m: Metres | None = Field(
        None,
        description="Closest a vehicle can stop to the building; on the plan (an area or a "
        "course, and the building's footprint) it is computed.",
    )
    building_use: Literal["primary_gathering", "billeting", "inhabited", "other"] | None = (
        unrecorded(
            "What the building it approaches is used for (sets the standoff it needs).",
            "not used by the path analysis",
        )
    )
    barrier: bool | None = unrecorded(
        "Vehicle barriers (bollards, rated planters or gates) hold vehicles on the approach.",
        "not used by the path analysis",
    )
    outline: Outline | None = Field(None, description="Where vehicles can go (a car park, a road).")
    course: Line | None = Field(None, description="The drive vehicles take, on the plan.")

    @model_validator(mode="after")
    def _standoff_known(self) -> VehicleApproach:
        if self.standoff_m is None and self.outline is None and self.course is None:
            raise ValueError(
                "give standoff_m, or the approach on the plan (outline or course) with the "
                "building's footprint"
            )
        return self
