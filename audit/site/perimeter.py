"""The layers an intruder crosses: zones, and the walls, gaps and gates between them.

Each wall and gate stands ``between`` an outside and an inside zone; those pairs are the
edges of the graph the path analysis searches (``audit.graph.access``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from audit.geometry.model import Coord, Line, LineField, Outline
from audit.site.hours import Span
from audit.site.values import (
    Condition,
    Element,
    GateKind,
    Id,
    Metres,
    Overrides,
    Side,
    Strict,
    ToppingKind,
    WallKind,
    ZoneKind,
    unrecorded,
)


class Zone(Element, Overrides, LineField):
    kind: ZoneKind
    outline: Outline | None = Field(None, description="Its outline on the plan ([x, y] metres).")
    control: Literal["own", "third_party", "public"] | None = Field(
        None,
        description="Who controls access to it, apart from what it is used for: the site "
        "(own), a neighbour (third_party: houses beside the wall, a building across the road) "
        "or nobody (public). Default: public for kinds public and approach, third_party for "
        "external_building, own otherwise.",
    )
    building: str | None = Field(None, description="Building this floor, room or roof is in.")

    @property
    def controlled_by(self) -> str:
        """``control`` as written, or what the kind implies."""
        if self.control is not None:
            return self.control
        return {"public": "public", "approach": "public", "external_building": "third_party"}.get(
            self.kind, "own"
        )

    level: int | None = Field(None, ge=-10, le=200, description="Floor number; 0 is ground.")
    crossing_m: Metres | None = Field(
        None, description="Distance an intruder covers crossing the zone, metres."
    )
    unobstructed_space_m: Metres | None = unrecorded(
        "On a ground floor: how far out from the building's outer walls nothing stands that "
        "could hide an object 150 mm high (shrubs, bins, parked cars), metres.",
        "not used by the path analysis",
    )


class Topping(Strict):
    kind: ToppingKind | None = unrecorded(
        'What tops the wall ("none" when nothing does).', "none: the topping adds no delay"
    )
    condition: Condition = "intact"
    height_m: Metres | None = None


class Gap(Element, Overrides):
    """A way under or through a wall: culvert, drain, breach."""

    kind: Literal["culvert", "drain", "gap", "breach", "cut"] = Field(
        "gap",
        description="culvert or drain (built under the wall), gap, breach (a hole broken "
        "through it) or cut (a hole cut in a fence's fabric): a breach or a cut is passable "
        "by definition, whatever its size.",
    )
    area_m2: Annotated[float, Field(ge=0.0, le=1000.0)] | None = unrecorded(
        "Clear area of the opening, square metres.", "not used (delay by kind and grille)"
    )
    smallest_side_mm: Annotated[float, Field(ge=0.0, le=100_000)] | None = Field(
        None,
        description="The opening's smallest dimension (a pipe's diameter), millimetres: "
        "MIL-HDBK-1013/1A asks for grilles on openings of 0.06 m2 or more whose smallest "
        "dimension is over 150 mm.",
    )
    grille: bool | None = unrecorded(
        "A grille or bars close the opening.", "no grille: the opening's open delay"
    )
    grille_condition: Condition = "intact"


class ClearZone(Strict):
    inside_m: Metres | None = None
    outside_m: Metres | None = None
    obstructions: list[
        Literal[
            "vegetation",
            "stacked_material",
            "parked_vehicles",
            "structure",
            "trees",
            "climbing_aid",
        ]
    ] = Field(
        default_factory=list,
        description="What stands in the clear zone or against the wall: cover (vegetation, trees) "
        "or something to climb (stacked material, parked vehicles, a structure such as a "
        "neighbour's house that abuts the wall, a climbing aid).",
    )


class Wall(Element, Overrides, LineField):
    kind: WallKind = "wall"
    course: Line | None = Field(None, description="Its course on the plan ([x, y] metres).")
    material: str | None = None
    between: Annotated[list[Id], Field(min_length=2, max_length=2)] = Field(
        description="[outside zone, inside zone]."
    )
    side: Side | None = None
    faces: str | None = Field(None, description="What lies beyond it, e.g. a road's name.")
    height_m: Metres | None = Field(
        None,
        description="Height, metres; none: not surveyed (a fact to survey, e.g. a wall read "
        "from a map).",
    )
    length_m: Metres | None = None
    topping: Topping = Field(default_factory=Topping)
    anti_climb: bool | None = unrecorded(
        "An anti-climb face or finish.", "none: no anti-climb delay"
    )
    bottom_gap_mm: Annotated[float, Field(ge=0, le=10_000)] | None = Field(
        None, description="Largest gap between a fence's fabric and the ground, millimetres."
    )
    gaps: list[Gap] = Field(default_factory=list)
    clear_zone: ClearZone | None = None


class Gate(Element, Overrides):
    kind: GateKind
    point: Coord | None = Field(None, description="Where it is on the plan (on its wall).")
    between: Annotated[list[Id], Field(min_length=2, max_length=2)] = Field(
        description="[outside zone, inside zone]."
    )
    side: Side | None = None
    faces: str | None = None
    locked: bool | list[Span] | None = unrecorded(
        "Kept locked (opened only by the staff holding the key): true, false, or the hours it "
        'is locked, e.g. [{from: "18:00", to: "07:00"}].',
        "locked at all hours (the locked delay)",
    )
    lock: Literal["key", "card", "code", "padlock", "bar", "electronic"] | None = Field(
        None, description="How it is locked."
    )
    public_hours: list[Span] = Field(
        default_factory=list,
        description="Hours it stands open as a public entrance (a shop door, a bank hall, a "
        'hospital lobby, a reception), e.g. [{from: "09:00", to: "17:00", days: [mon, tue]}]: '
        "open by design then, so the zone behind it is public then and the lapse to judge is an "
        "open way on from it (the inner line), not this door.",
    )
    one_way: bool = Field(False, description="Passable only from the outside zone inwards.")
    vehicle_barrier: bool | None = unrecorded(
        "Rated to stop a vehicle.", "none: a vehicle rams the gate"
    )
    area_m2: Annotated[float, Field(ge=0.0, le=1000.0)] | None = Field(
        None, description="Clear area of the opening (windows, hatches, ducts), square metres."
    )
    smallest_side_mm: Annotated[float, Field(ge=0.0, le=100_000)] | None = Field(
        None, description="The opening's smallest dimension, millimetres."
    )
    grille: bool | None = Field(None, description="Bars or a grille close the opening.")
