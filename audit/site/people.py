"""The people who guard and respond: posts and their shifts, patrols, monitoring stations, the
route an alarm takes off the site, and the responders it reaches.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from audit.site.hours import Span
from audit.site.values import Element, Id, Probability, Seconds, Strict, unrecorded


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
