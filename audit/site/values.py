"""The base of the site model: the value types and the classes every element builds on.

``Element`` remembers where in the file it was written (line, column), so every
finding can point at it; ``Strict`` makes unknown keys errors; ``Overrides``
holds the analysis values a site may set on an element instead of the defaults.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

TimeOfDay = Annotated[
    str,
    Field(
        pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
        description='24-hour clock time "HH:MM"; "24:00" means end of day.',
        examples=["08:00", "18:30"],
    ),
]
Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        max_length=120,
        description="Identifier unique in the site file: letters, digits, '-', '_', '.'.",
    ),
]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Seconds = Annotated[float, Field(ge=0.0, le=1_000_000.0)]
Metres = Annotated[float, Field(ge=0.0, le=100_000.0)]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

ZoneKind = Literal[
    "public", "approach", "compound", "floor", "room", "roof", "residential", "external_building"
]
GateKind = Literal[
    "vehicle_gate", "pedestrian_gate", "door", "stairs", "window", "hatch", "lift", "opening"
]
WallKind = Literal["wall", "fence"]
ToppingKind = Literal[
    "none", "barbed_wire", "razor_wire", "concertina", "spikes", "broken_glass", "electric"
]
Condition = Literal["intact", "damaged", "cut", "missing"]
Side = Literal["front", "rear", "left", "right", "internal"]
DetectAt = Literal["B", "M", "E"]
Status = Literal["working", "faulty", "offline", "removed"]
Value = Literal["critical", "high", "medium", "low"]
SurveyPart = Literal[
    "cameras",
    "lights",
    "sensors",
    "checkpoints",
    "patrols",
    "stations",
    "responders",
    "gate_fittings",
    "wall_fittings",
]
"""A part of a site that a file may not have surveyed yet (a site read from a map): the
sections by name; ``gate_fittings`` are gates' locks and vehicle barriers, ``wall_fittings``
walls' toppings and anti-climb faces."""


UNRECORDED = "x-unrecorded"
"""JSON Schema key of a field whose absence is a data gap: what the path analysis assumes."""


def unrecorded(description: str, assumed: str) -> Any:
    """A fact a site file may leave out: not written, it is ``None`` (unknown: a fact to
    survey, never a lapse), and the path analysis takes ``assumed`` (``audit.site.unknowns``)
    with the sensitivity band showing it. Written as false or ``[]``, it is a recorded fact."""
    return Field(
        None,
        description=f"{description} Not written: unknown, a fact to survey.",
        json_schema_extra={UNRECORDED: assumed},
    )


def private(model: BaseModel) -> dict[str, Any]:
    """The private attributes of ``model`` (``_line``, ``_loc``, a site's ``_index``), read
    past pydantic's ``__getattr__``: ``model._index`` costs a few microseconds there, and
    the checks and the analysis read them some 2,000 times per site."""
    return model.__pydantic_private__  # type: ignore[return-value]  # (set: these models have some)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


class Located(Strict):
    """Remembers the line and column it was written at (set by ``load``)."""

    _line: int = PrivateAttr(0)
    _column: int = PrivateAttr(0)

    @property
    def line(self) -> int:
        return private(self)["_line"]

    @property
    def column(self) -> int:
        return private(self)["_column"]


class Element(Located):
    """Anything with an id; remembers the line and column it was written at."""

    id: Id
    name: str | None = Field(None, max_length=200, description="Human-readable name for reports.")
    notes: str | None = Field(None, description="Free text, ignored by the rules.")
    _loc: tuple = PrivateAttr(())

    @property
    def label(self) -> str:
        return f"{self.id} ({self.name})" if self.name and self.name != self.id else self.id


class Overrides(Strict):
    """Analysis values a site may set on an element instead of the defaults."""

    p_detect: Probability | None = Field(
        None, description="Detection probability of this element at every hour."
    )
    delay_s: Seconds | None = Field(None, description="Mean time to defeat or cross, seconds.")
    delay_sd_s: Seconds | None = Field(None, description="Standard deviation of delay_s.")
    detect_at: DetectAt | None = Field(
        None, description="Where on the element detection happens: Beginning, Middle, End."
    )
