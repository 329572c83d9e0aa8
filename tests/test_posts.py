"""Guard posts anywhere: at a gate, a wall (a picket) or a zone (a tower or rooftop post)."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site

RULES = load_rules([])

TOWER = """\
site: {id: depot, name: Depot}
zones:
  - {id: road, kind: public}
  - {id: yard, kind: compound}
  - {id: tower-1, kind: roof, name: Watch tower 1}
walls:
  - {id: fence, kind: fence, between: [road, yard], height_m: 2.4,
     topping: {kind: razor_wire}}
gates:
  - {id: main, kind: vehicle_gate, between: [road, yard], locked: true}
  - {id: ladder, kind: stairs, between: [yard, tower-1], locked: false}
checkpoints:
  - id: sentry-1
    at: %s
    observes: [fence]
    radio: true
    duress_alarm: true
    shifts: [{from: "00:00", to: "24:00", guards: 1, armed: true}]
responders: [{id: r, response_s: 300}]
"""


def _rules(tmp_path, at: str, rule: str):
    path = tmp_path / "s.yaml"
    path.write_text(TOWER % at)
    site = load_site(path)
    return [f for f in run_rules(site, RULES, today=dt.date(2026, 11, 26)) if f.rule == rule]


def test_sentry_on_a_tower_mans_its_ladder(tmp_path):
    assert _rules(tmp_path, "tower-1", "SA-ROOF-001") == []


def test_sentry_at_the_ladder_mans_it(tmp_path):
    assert _rules(tmp_path, "ladder", "SA-ROOF-001") == []


def test_unmanned_tower_ladder_is_a_lapse(tmp_path):
    (f,) = _rules(tmp_path, "fence", "SA-ROOF-001")
    assert "neither locked nor manned at all hours" in f.message


def test_picket_at_a_wall_observes_it(tmp_path):
    assert _rules(tmp_path, "fence", "SA-WALL-001") == []
    path = tmp_path / "s.yaml"
    path.write_text(TOWER % "fence")
    site = load_site(path)
    from audit.graph.coverage import ALL, Watch

    assert Watch(site).observed("fence") == ALL


def test_frontage_camera_below_detection_density_does_not_count(tmp_path):
    text = """\
site: {id: t, name: T}
zones: [{id: road, kind: public}, {id: yard, kind: compound}]
walls: [{id: front, between: [road, yard], side: front, height_m: 2.5}]
cameras: [{id: c, covers: [front], monitored: true, recording: true, night: true,
           pixel_density_px_m: %s}]
"""
    path = tmp_path / "f.yaml"
    for density, fires in (("12", True), ("30", False), ("null", False)):
        path.write_text(text % density)
        found = [
            f
            for f in run_rules(load_site(path), RULES, today=dt.date(2026, 11, 26))
            if f.rule == "SA-FRONT-001"
        ]
        assert bool(found) is fires, density
        if fires:
            assert "at 25 px/m or more" in found[0].message


def test_a_post_at_a_zone_that_also_observes_it_counts_once(tmp_path):
    """A checkpoint ``at`` a zone that lists the zone in ``observes`` too is one post: its
    p_detect 0.4 once, not 0.4 and then the overlook default again (0.7); an independent
    review found the double count."""
    from audit.analysis.elements import ElementValues
    from audit.site.load import load_site

    path = tmp_path / "s.yaml"
    path.write_text(
        "site: {id: t, name: T}\n"
        "zones: [{id: street, kind: public}, {id: yard, kind: compound}, {id: hall, kind: floor}]\n"
        "gates: [{id: door, kind: door, between: [street, yard], locked: true}]\n"
        "checkpoints:\n"
        "  - {id: cp, at: yard, p_detect: 0.4, radio: true, observes: [yard, hall],\n"
        '     shifts: [{from: "00:00", to: "24:00", guards: 1}]}\n',
        encoding="utf-8",
    )
    site = load_site(path)
    values = ElementValues(site)
    assert values.p_detect(site.get("yard"), 12) == pytest.approx(0.4)
    assert values.p_detect(site.get("hall"), 12) > 0  # what it observes elsewhere still counts
