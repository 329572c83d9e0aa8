"""The site model's root: the whole site file (``Site``), the assets it protects, and the
tables of its sections.

The elements are defined by concept beside it: ``perimeter`` (zones, walls, gaps, gates),
``people`` (posts, patrols, stations, alarm routes, responders), ``devices`` (cameras,
lights, sensors), ``surroundings`` (buildings, vantage points, vehicle approaches) and
``hours``; their value types and base classes in ``values``. A site file may say what
these say, in the words of the people who write it.

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

from typing import Any, Literal, TypeVar

from pydantic import ConfigDict, Field, PrivateAttr

from audit.site.devices import Camera, Light, Sensor
from audit.site.people import AlarmRoute, Checkpoint, Patrol, Responder, Station
from audit.site.perimeter import Gap, Gate, Wall, Zone
from audit.site.settings import SiteInfo, Threat, Waiver
from audit.site.surroundings import Building, VantagePoint, VehicleApproach
from audit.site.values import UNRECORDED, Element, Id, Seconds, Strict, Value, private

E = TypeVar("E", bound=Element)


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
        keys, at = private(self)["_keys"], private(el)["_loc"]
        loc = (*at, *field.split("."))
        while len(loc) > len(at):
            if loc in keys:
                return keys[loc]
            loc = loc[:-1]
        return None

    @property
    def path(self) -> str:
        return private(self)["_path"]

    def elements(self) -> dict[str, Element]:
        """Every element by id (gaps included)."""
        return private(self)["_index"]

    def get(self, element_id: str) -> Element | None:
        return private(self)["_index"].get(element_id)

    def get_as(self, element_id: str, kind: type[E]) -> E | None:
        """The element ``element_id`` when it is a ``kind`` (a reference the loader checked
        names one), else None."""
        el = private(self)["_index"].get(element_id)
        return el if isinstance(el, kind) else None

    def kind_of(self, element_id: str) -> str | None:
        """The section an element id belongs to ("zones", "walls", "gaps", ...)."""
        el = private(self)["_index"].get(element_id)
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
