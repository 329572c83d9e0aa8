"""Findings an outside auditor disputed on sites written from public standards (a bank
branch, a water plant, a police station): each case is the smallest site that showed it."""

from __future__ import annotations

import datetime as dt

from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site

RULES = load_rules([])
TODAY = dt.date(2026, 11, 25)


def _run(tmp_path, text):
    p = tmp_path / "site.yaml"
    p.write_text(text, encoding="utf-8")
    return run_rules(load_site(p), RULES, today=TODAY)


def _gaps(findings):
    return " | ".join(f.message for f in findings if f.gap)


def test_an_opening_is_never_asked_whether_it_is_locked(tmp_path):
    found = _run(
        tmp_path,
        """\
site: {id: t, name: T}
zones:
  - {id: street, kind: public}
  - {id: yard, kind: compound}
  - {id: tank-roof, kind: roof, building: tank, level: 0}
walls: [{id: fence, kind: fence, between: [street, yard], height_m: 2.1}]
gates:
  - {id: ramp, kind: opening, between: [yard, tank-roof]}
  - {id: door, kind: door, between: [street, yard]}
""",
    )
    gaps = _gaps(found)
    assert 'locked of gate "door"' in gaps  # a real door: its lock is a fact to survey
    assert 'gate "ramp"' not in gaps  # an opening has no gate to lock


def test_a_camera_watched_from_a_station_is_not_asked_whether_it_is_watched(tmp_path):
    found = _run(
        tmp_path,
        """\
site: {id: t, name: T}
zones:
  - {id: street, kind: public}
  - {id: yard, kind: compound}
  - {id: ops-room, kind: room}
walls: [{id: fence, kind: fence, between: [street, yard], height_m: 2.1, side: front}]
gates:
  - {id: ops-door, kind: door, between: [yard, ops-room], locked: true}
cameras:
  - {id: cam-a, covers: [fence], station: ops, night: true}
  - {id: cam-b, covers: [fence], night: true}
stations:
  - id: ops
    in: ops-room
    shifts: [{from: "00:00", to: "24:00", guards: 1}]
""",
    )
    gaps = _gaps(found)
    assert 'monitored of camera "cam-b"' in gaps
    assert 'monitored of camera "cam-a"' not in gaps


def test_a_roof_names_only_the_public_zones_that_reach_it(tmp_path):
    found = _run(
        tmp_path,
        """\
site: {id: t, name: T}
zones:
  - {id: street, kind: public}
  - {id: away, kind: external_building}
  - {id: ground, kind: floor, building: b, level: 0}
  - {id: roof, kind: roof, building: b, level: 1}
gates:
  - {id: front-door, kind: door, between: [street, ground], locked: true}
  - {id: roof-hatch, kind: hatch, between: [ground, roof], locked: true}
""",
    )
    roof = [f for f in found if f.rule == "SA-ROOF-001"]
    assert [f.evidence for f in roof] == ["reachable from public zones: street"]


SWITCH = """\
site: {id: t, name: T}
zones:
  - {id: street, kind: public}
  - {id: yard, kind: compound}
  - {id: wireless-room, kind: room}
walls: [{id: wall, kind: wall, between: [street, yard], height_m: 2.7}]
gates:
  - {id: wireless-door, kind: door, between: [yard, wireless-room], locked: false}
lights:
  - {id: yard-lights, covers: [wall], switch_in: wireless-room, switch_locked: false}
stations:
  - id: wireless
    in: wireless-room
    shifts: [SHIFTS]
"""


def test_a_switch_in_a_room_staffed_at_all_hours_is_under_the_guards_hand(tmp_path):
    staffed = SWITCH.replace("SHIFTS", '{from: "00:00", to: "24:00", guards: 1}')
    assert not [f for f in _run(tmp_path, staffed) if f.rule == "SA-LIGHT-002"]


def test_a_switch_in_a_room_staffed_by_day_is_reachable_at_night(tmp_path):
    by_day = SWITCH.replace("SHIFTS", '{from: "06:00", to: "18:00", guards: 1}')
    (hit,) = [f for f in _run(tmp_path, by_day) if f.rule == "SA-LIGHT-002"]
    assert "18:00-06:00" in hit.message and "staffed by wireless" in hit.evidence
    nobody = SWITCH.replace("stations:", "stations: []\nx:").split("x:")[0]
    (hit,) = [f for f in _run(tmp_path, nobody) if f.rule == "SA-LIGHT-002"]
    assert "every day" not in hit.message  # no station: reachable at all hours, said plainly


def test_walls_left_blind_by_an_empty_post_go_with_the_posts_finding(tmp_path):
    """One rota decision (a post staffed only at night) is one lapse: the walls it alone
    watches and the neighbours' houses along them are not three more findings."""
    found = _run(
        tmp_path,
        """\
site: {id: t, name: T}
zones:
  - {id: road, kind: public}
  - {id: houses, kind: residential, control: third_party}
  - {id: yard, kind: compound}
walls:
  - {id: front-wall, kind: wall, between: [road, yard], side: front, height_m: 2.7}
  - {id: rear-wall, kind: wall, between: [houses, yard], side: rear, height_m: 2.7}
gates:
  - {id: gate, kind: vehicle_gate, between: [road, yard], locked: true}
checkpoints:
  - id: tower
    at: yard
    observes: [rear-wall, front-wall]
    shifts: [{from: "18:00", to: "06:00", guards: 1, armed: true}]
""",
    )
    lapses = [f for f in found if not f.gap]
    leads = {f.rule: f for f in lapses}
    assert "SA-WALL-001" not in leads and "SA-RES-001" not in leads
    also = [(o["rule"], o.get("element")) for o in leads["SA-CP-001"].data["also"]]
    assert ("SA-WALL-001", "rear-wall") in also and ("SA-RES-001", "houses") in also


HATCH = """\
site: {id: t, name: T}
zones: [{id: yard, kind: compound}, {id: plant, kind: floor}]
gates: [{id: h, kind: hatch, between: [yard, plant], area_m2: 0.8, grille: false LOCK}]
"""


def test_a_locked_hatch_is_a_door_not_an_opening_to_bar(tmp_path):
    """SA-BAR-004 (MIL-HDBK-1013/1A §4.3.2(2)(d): bars on openings a person fits through)
    is for what stays open; a locked hatch is judged as a door is."""

    def bar(lock):
        return [f for f in _run(tmp_path, HATCH.replace("LOCK", lock)) if f.rule == "SA-BAR-004"]

    assert bar(", locked: true") == []
    assert [f.gap for f in bar(", locked: false")] == [False]
    assert [f.gap for f in bar("")] == [True]  # its lock not recorded: a fact to survey
    window = HATCH.replace("kind: hatch", "kind: window").replace("LOCK", ", locked: true")
    assert [f.gap for f in _run(tmp_path, window) if f.rule == "SA-BAR-004"] == [False]


def test_two_public_zones_joined_by_a_zero_second_opening(tmp_path):
    """The quickest-route search once compared a start's entry (None) with a routed one
    on an exact tie of delay and zone: 'internal error: TypeError'."""
    found = _run(
        tmp_path,
        """\
site: {id: t, name: T}
zones:
  - {id: a-road, kind: public, delay_s: 0}
  - {id: b-road, kind: public, delay_s: 0}
  - {id: yard, kind: compound}
gates:
  - {id: link, kind: opening, between: [a-road, b-road], delay_s: 0}
  - {id: g, kind: door, between: [b-road, yard], locked: true}
responders: [{id: police, response_s: 300}]
assets: [{id: x, zone: yard}]
""",
    )
    rules = {f.rule for f in found} | {o["rule"] for f in found for o in f.data.get("also", [])}
    assert "SA-EASI-002" in rules


def test_with_no_threat_a_low_value_asset_is_not_critical(tmp_path):
    """The P(I) goal is one figure for every asset; the severity of a shortfall is capped by
    the asset's value (low: medium, medium: high), as P(E) goals already follow it."""
    site = """\
site: {id: t, name: T}
zones:
  - {id: road, kind: public}
  - {id: room, kind: room}
gates:
  - {id: door, kind: door, between: [road, room], locked: true}
responders: [{id: police, response_s: 60}]
assets: [{id: a, zone: room, value: VALUE}]
"""

    def severity(value):
        found = _run(tmp_path, site.replace("VALUE", value))
        every = [(f.rule, f.severity) for f in found]
        every += [(o["rule"], o["severity"]) for f in found for o in f.data.get("also", [])]
        return dict(every).get("SA-EASI-001")

    assert severity("high") == "critical"
    assert severity("medium") == "high"
    assert severity("low") == "medium"
