"""The site model: what a site file may say, in the words of the people who write it.

Every element has an ``id`` unique in the whole file, so rules, waivers and
reports can name it. Unknown keys are errors (``extra="forbid"``): a misspelt
``monitered: true`` must not silently mean "not monitored". Cross-references
(a checkpoint ``at`` a gate, a camera ``covers`` a wall) are checked by
``audit.site.load`` after the shapes validate, because they need the whole file.

Per-element overrides of the analysis (``p_detect``, ``delay_s``,
``delay_sd_s``, ``detect_at``) sit on zones, walls, gaps and gates; the
defaults they replace live in ``audit/data/defaults.yaml``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, model_validator

from audit.geometry.model import CameraView, Coord, Lamp, Line, LineField, Outline
from audit.site.settings import SiteInfo, Threat, Waiver
from audit.site.values import (
    UNRECORDED,
    WEEKDAYS,
    Condition,
    Element,
    GateKind,
    Id,
    Metres,
    Overrides,
    Probability,
    Seconds,
    Side,
    Status,
    Strict,
    TimeOfDay,
    ToppingKind,
    Value,
    WallKind,
    Weekday,
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


class Span(Strict):
    """Daily hours from ``from`` to ``to`` (past midnight when ``to`` is earlier) on ``days``."""

    from_: TimeOfDay = Field(alias="from")
    to: TimeOfDay
    hours: Annotated[float, Field(gt=0, le=24)] | None = Field(
        None,
        description="Length in hours; required as 24 when from and to are the same time.",
    )
    days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS))

    @model_validator(mode="after")
    def _length(self) -> Span:
        """``from: 08:00, to: 08:00`` is 24 hours only when it says so."""
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (self.from_, self.to))
        span = ((end - start) % 1440 or 1440) / 60
        if self.hours is None and self.from_ == self.to:
            raise ValueError(
                f'the hours start and end at "{self.from_}"; for 24 hours add "hours: 24"'
            )
        if self.hours is not None and abs(self.hours - span) > 1e-9:
            raise ValueError(
                f'"hours: {self.hours:g}" does not match {self.from_}-{self.to} ({span:g} hours)'
            )
        return self


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


class Shift(Span):
    guards: int = Field(ge=0, le=1000)
    armed: bool | None = unrecorded(
        "The guards on this shift carry arms.", "unarmed: no armed unit counted in P(N)"
    )


class Checkpoint(Element):
    at: Id = Field(
        description="Where the post stands: the gate it controls, a wall it guards (a picket), "
        "or a zone (a tower or rooftop post)."
    )
    observes: list[Id] = Field(
        default_factory=list,
        description="Walls, gates or zones the guards can see from the post while on shift.",
    )
    shifts: list[Shift] | None = unrecorded(
        "When the post is manned, and by how many; [] records a post nobody mans.",
        "one unarmed guard at all hours",
    )
    radio: bool | None = unrecorded(
        "Guards on the post carry a working radio.", "they can raise the alarm (P(C) in full)"
    )
    telephone: bool | None = unrecorded(
        "The post has a working telephone to the response force.",
        "they can raise the alarm (P(C) in full)",
    )
    duress_alarm: bool | None = unrecorded(
        "The post has a duress alarm that reports to the control room.",
        "they can raise the alarm (P(C) in full)",
    )
    p_detect: Probability | None = Field(None, description="Override when guards are on shift.")


class Patrol(Element):
    """Guards who walk a route at intervals: a chance of passing while an intruder crosses."""

    route: list[Id] = Field(min_length=1, description="Walls, gates, gaps and zones it passes.")
    interval_min: Annotated[float, Field(gt=0, le=1440)] = Field(
        description="Minutes between two passes of the same place."
    )
    hours: list[Span] = Field(default_factory=list, description="When it runs; none: always.")
    p_detect: Probability | None = Field(
        None, description="Chance a pass that meets an intruder detects them."
    )


class Station(Element):
    """A monitoring station (control room): operators who watch cameras and assess alarms."""

    in_: Id = Field(alias="in", description="The zone the station is in.")
    shifts: list[Shift] | None = unrecorded(
        "When operators are on duty; [] records a station nobody staffs.",
        "staffed at all hours",
    )
    radio: bool | None = unrecorded(
        "Operators can call the response force.", "they can raise the alarm (P(C) in full)"
    )
    telephone: bool | None = unrecorded(
        "The station has a working telephone to the response force.",
        "they can raise the alarm (P(C) in full)",
    )
    backup_power: bool | None = unrecorded(
        "The station and its alarm panel run on batteries or a generator.",
        "not used by the path analysis",
    )


class Relay(Strict):
    """One stage an alarm passes on its way to the responders: the site's own panel or station,
    an alarm-receiving centre, a police control room that dispatches a unit."""

    kind: Literal["station", "receiving_centre", "dispatch"]
    name: str | None = None
    p_comm: Probability | None = Field(
        None,
        description="Chance the alarm is passed on at this stage (the transmission link, the "
        "operator); unrecorded: 1 (unknown is not unsafe; the site's p_comm still applies).",
    )
    delay_s: Seconds = Field(
        description="Mean time the alarm spends at this stage (transmission, the operator's "
        "handling, the call to dispatch), seconds."
    )
    delay_sd_s: Seconds = 0.0
    hours: list[Span] = Field(
        default_factory=list, description="When this stage is staffed; none: always."
    )


class AlarmRoute(Element):
    """Where an alarm goes when it leaves the site: through relays to responders who assess it
    on arrival (Garcia: assessment by the response force). An alarm that reaches someone who
    responds is detection; the relays' delay comes on top of the responders' ``response_s``."""

    relays: list[Relay] = Field(min_length=1, max_length=10)
    responders: list[Id] = Field(
        min_length=1, description="The responders the route dispatches; they assess on arrival."
    )


class Camera(Element):
    covers: list[Id] = Field(
        min_length=1,
        description="What it covers; where the camera has a view and the element a place on "
        "the plan, what it sees is computed instead.",
    )
    view: CameraView | None = Field(None, description="Where it stands and what it resolves.")
    status: Status = "working"
    monitored: bool | None = unrecorded(
        "Someone watches it live (at all hours).", "watched live at all hours"
    )
    station: Id | None = Field(
        None, description="The station that watches it: watched only while that station is staffed."
    )
    recording: bool | None = unrecorded("Its feed is recorded.", "not used by the path analysis")
    night: bool | None = unrecorded("Sees in the dark (infrared or low-light).", "sees in the dark")
    motion_alarm: bool = Field(
        False,
        description="Raises an alarm on motion (video analytics): a feature set up on purpose, "
        "so not written means none.",
    )
    pixel_density_px_m: Annotated[float, Field(ge=0, le=100_000)] | None = None
    p_detect: Probability | None = None
    backup_power: bool | None = unrecorded(
        "Runs on a battery or generator when the mains fail.", "not used by the path analysis"
    )


class Light(Element):
    covers: list[Id] = Field(min_length=1)
    status: Status = "working"
    lux: Annotated[float, Field(ge=0, le=100_000)] | None = None
    backup_power: bool | None = unrecorded(
        "On a generator or UPS.", "not used by the path analysis"
    )
    backup_transfer_s: Seconds | None = None
    switch_in: Id | None = unrecorded("Zone where its switch is.", "not used by the path analysis")
    switch_locked: bool | None = unrecorded(
        "Its switch is locked (a locked box or panel).", "not used by the path analysis"
    )
    lamp: Lamp | None = Field(None, description="Where it stands on the plan, and its output.")


class Sensor(Element):
    kind: Literal[
        "fence_vibration",
        "taut_wire",
        "microwave",
        "infrared_beam",
        "pir",
        "door_contact",
        "glass_break",
        "seismic",
        "buried_cable",
    ]
    covers: list[Id] = Field(min_length=1)
    status: Status = "working"
    monitored: bool = Field(True, description="Its alarm reaches someone who responds.")
    route: Id | None = Field(
        None,
        description="The alarm route (alarm_routes) its alarms also take off the site, to "
        "responders who assess them on arrival.",
    )
    p_detect: Probability | None = None
    backup_power: bool | None = unrecorded(
        "Runs on a battery or generator when the mains fail.", "not used by the path analysis"
    )
    tamper_alarm: bool | None = unrecorded(
        "Opening its cover or cutting its line raises an alarm (tamper switch, line supervision).",
        "not used by the path analysis",
    )


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


class Responder(Element):
    response_s: Seconds = Field(description="Mean time from alarm to arrival, seconds.")
    response_sd_s: Seconds = 0.0
    on_duty: list[Span] = Field(
        default_factory=list,
        description='Hours it can respond, e.g. [{from: "08:00", to: "18:00"}]; none: always.',
    )
    size: int | None = Field(None, ge=1, le=10_000, description="How many respond.")
    armed: bool | None = Field(None, description="They carry arms (for P(N)).")
    arrives_at: Id | None = Field(
        None,
        description="The zone they arrive at (the street, a gate's outer side): the walk from "
        "there to the asset's zone comes on top of response_s. Unrecorded: response_s is the "
        "time to the asset.",
    )


class Asset(Element):
    zone: Id
    value: Value = "high"
    task_s: Seconds = Field(0.0, description="Adversary time needed at the target.")
    task_sd_s: Seconds = 0.0
    wants: Literal["sabotage", "theft"] | None = Field(
        None,
        description="What the adversary wants there: sabotage (the act ends its path) or theft "
        "(it must also get away, carrying what it took, to a zone the site does not control). "
        "Default: sabotage, which never credits the response with the way out.",
    )

    @property
    def theft(self) -> bool:
        """The adversary must get away with it (``wants: theft``)."""
        return self.wants == "theft"


class Site(Strict):
    """A whole site file."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"title": "siteaudit site file"},
    )

    site: SiteInfo
    threats: list[Id | Threat] = Field(
        default_factory=list,
        description="The design-basis threats the site is built against: ids of shipped threats "
        "(outsider-stealth, outsider-force, vehicle, insider, standoff) or threats of its own.",
    )
    zones: list[Zone] = Field(min_length=1)
    walls: list[Wall] = Field(default_factory=list)
    gates: list[Gate] = Field(default_factory=list)
    checkpoints: list[Checkpoint] = Field(default_factory=list)
    patrols: list[Patrol] = Field(default_factory=list)
    stations: list[Station] = Field(default_factory=list)
    cameras: list[Camera] = Field(default_factory=list)
    lights: list[Light] = Field(default_factory=list)
    sensors: list[Sensor] = Field(default_factory=list)
    alarm_routes: list[AlarmRoute] = Field(default_factory=list)
    buildings: list[Building] = Field(default_factory=list)
    vantage_points: list[VantagePoint] = Field(default_factory=list)
    vehicle_approaches: list[VehicleApproach] = Field(default_factory=list)
    responders: list[Responder] = Field(
        default_factory=list,
        description="Who responds to an alarm; [] records a site nobody responds to. Not "
        "written: unknown, a fact to survey.",
        json_schema_extra={
            UNRECORDED: "nobody arrives; results below the goal are facts to survey"
        },
    )
    assets: list[Asset] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)
    _path: str = PrivateAttr("")
    _index: dict = PrivateAttr(default_factory=dict)
    _plan: Any = PrivateAttr(None)
    """The coverage computed from the plan (``audit.geometry.sight.coverage_of``), once per site."""
    _keys: dict = PrivateAttr(default_factory=dict)
    """Where each key was written: (section, index, ..., key) -> (line, column)."""

    def position(self, el: Element, field: str) -> tuple[int, int] | None:
        """Line and column of ``field`` as written on ``el`` (``topping.condition``: the line of
        ``condition`` under ``topping``), or None when the file does not write it."""
        loc = (*el._loc, *field.split("."))
        while len(loc) > len(el._loc):
            if loc in self._keys:
                return self._keys[loc]
            loc = loc[:-1]
        return None

    @property
    def path(self) -> str:
        return self._path

    def elements(self) -> dict[str, Element]:
        """Every element by id (gaps included)."""
        return self._index

    def get(self, element_id: str) -> Element | None:
        return self._index.get(element_id)

    def kind_of(self, element_id: str) -> str | None:
        """The section an element id belongs to ("zones", "walls", "gaps", ...)."""
        el = self._index.get(element_id)
        return SECTION_OF.get(type(el)) if el is not None else None


SINGULAR = {
    "zones": "zone",
    "walls": "wall",
    "gaps": "gap",
    "gates": "gate",
    "checkpoints": "checkpoint",
    "patrols": "patrol",
    "stations": "station",
    "cameras": "camera",
    "lights": "light",
    "sensors": "sensor",
    "alarm_routes": "alarm route",
    "buildings": "building",
    "vantage_points": "vantage point",
    "vehicle_approaches": "vehicle approach",
    "responders": "responder",
    "assets": "asset",
    "waivers": "waiver",
    "rules": "rule",
}
"""Section name -> what one element of it is called in messages."""

ELEMENT_SECTIONS: tuple[str, ...] = (
    "zones",
    "walls",
    "gates",
    "checkpoints",
    "patrols",
    "stations",
    "cameras",
    "lights",
    "sensors",
    "alarm_routes",
    "buildings",
    "vantage_points",
    "vehicle_approaches",
    "responders",
    "assets",
)

SECTION_OF: dict[type, str] = {
    Zone: "zones",
    Wall: "walls",
    Gap: "gaps",
    Gate: "gates",
    Checkpoint: "checkpoints",
    Patrol: "patrols",
    Station: "stations",
    Camera: "cameras",
    Light: "lights",
    Sensor: "sensors",
    AlarmRoute: "alarm_routes",
    Building: "buildings",
    VantagePoint: "vantage_points",
    VehicleApproach: "vehicle_approaches",
    Responder: "responders",
    Asset: "assets",
}
