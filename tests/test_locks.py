"""Lock schedules: a way locked by the hour needs no post then, and delays by the hour."""

from __future__ import annotations

import datetime as dt

from audit.analysis.paths import analyse
from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site

RULES = load_rules([])

SITE = """\
site: {id: t, name: T}
zones:
  - {id: road, kind: public}
  - {id: yard, kind: compound}
  - {id: office, kind: floor}
walls: [{id: w, between: [road, yard], height_m: 3, topping: {kind: razor_wire}}]
gates:
  - {id: main, kind: vehicle_gate, between: [road, yard], locked: true}
  - id: office-door
    kind: door
    between: [yard, office]
    locked: %s
    lock: card
checkpoints:
  - id: desk
    at: office-door
    radio: true
    duress_alarm: true
    shifts: [{from: "07:00", to: "18:00", guards: 1, armed: true}]
responders: [{id: r, response_s: 300}]
assets: [{id: files, zone: office, task_s: 60}]
"""


def _findings(tmp_path, locked: str, rule: str):
    path = tmp_path / "s.yaml"
    path.write_text(SITE % locked)
    site = load_site(path)
    return site, [f for f in run_rules(site, RULES, today=dt.date(2026, 11, 26)) if f.rule == rule]


def test_post_at_a_door_locked_when_unmanned_is_not_a_lapse(tmp_path):
    _, found = _findings(tmp_path, '[{from: "18:00", to: "07:00"}]', "SA-CP-001")
    assert found == []
    _, gates = _findings(tmp_path, '[{from: "18:00", to: "07:00"}]', "SA-GATE-002")
    assert gates == []


def test_post_at_a_door_never_locked_is_a_lapse_at_night(tmp_path):
    _, (f,) = _findings(tmp_path, "false", "SA-CP-001")
    assert "18:00-07:00 every day" in f.message


def test_gap_in_the_lock_hours_is_reported_with_its_window(tmp_path):
    _, (f,) = _findings(tmp_path, '[{from: "20:00", to: "07:00"}]', "SA-CP-001")
    assert "18:00-20:00 every day" in f.message


def test_delay_follows_the_lock_by_the_hour(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SITE % '[{from: "18:00", to: "07:00", days: [mon, tue, wed, thu, fri]}]')
    site = load_site(path)
    night = analyse(site, at="tue 02:00").assets[0]
    day = analyse(site, at="tue 12:00").assets[0]
    door = {
        a: next(s for s in r.path if s.element == "office-door")
        for a, r in (("night", night), ("day", day))
    }
    assert door["night"].delay_s == 60 and door["day"].delay_s == 3
    weekend = analyse(site, at="sun 02:00").assets[0]  # sat evening is not locked
    assert next(s for s in weekend.path if s.element == "office-door").delay_s == 3
