"""The devices that detect or let a guard see: cameras, lights and sensors, and what each
covers.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from audit.geometry.model import CameraView, Lamp
from audit.site.values import Element, Id, Probability, Seconds, Status, unrecorded


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
