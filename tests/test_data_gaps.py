"""Unknown is not unsafe: a fact the site file does not record is a data gap, never a lapse."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import run_cli

from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site

RULES = load_rules([])
TODAY = ("--today", "2026-11-26")

BASE = "site: {id: t, name: T}\nzones: [{id: road, kind: public}, {id: yard, kind: compound}]\n"
GATE = "gates: [{id: g, kind: vehicle_gate, between: [road, yard]}]\n"

GAPS = [
    (
        "SA-COMM-001",
        "cp",
        BASE + GATE + "checkpoints: [{id: cp, at: g, duress_alarm: true}]\n",
        'does not record the radio of checkpoint "cp"',
    ),
    (
        "SA-COMM-002",
        "cp",
        BASE + GATE + "checkpoints: [{id: cp, at: g, radio: true}]\n",
        "duress alarm",
    ),
    (
        "SA-LIGHT-001",
        "l",
        BASE + "lights: [{id: l, covers: [yard], switch_in: yard, switch_locked: true}]\n",
        "backup power",
    ),
    (
        "SA-LIGHT-002",
        "l",
        BASE + "lights: [{id: l, covers: [yard], backup_power: true}]\n",
        'does not record where the switch of "l" is',
    ),
    (
        "SA-CAM-003",
        "c",
        BASE + "cameras: [{id: c, covers: [yard], monitored: true}]\n",
        "recording",
    ),
    (
        "SA-BAR-002",
        "drain",
        BASE + "walls: [{id: w, between: [road, yard], height_m: 2.4, "
        "gaps: [{id: drain, kind: culvert, grille: false}]}]\n",
        "the area of gap",
    ),
    (
        "SA-EASI-001",
        "safe",
        "site: {id: t, name: T}\nzones: [{id: road, kind: public}, {id: vault, kind: room}]\n"
        "responders: [{id: r, response_s: 60}]\nassets: [{id: safe, zone: vault}]\n",
        "no recorded way leads from a public zone to vault",
    ),
    (
        "SA-DATA-001",
        "t",
        "site: {id: t, name: T}\nzones: [{id: yard, kind: compound}]\n"
        "responders: [{id: r, response_s: 60}]\n",
        "names no public zone",
    ),
]


def _site(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("rule, element, text, words", GAPS, ids=[g[0] for g in GAPS])
def test_missing_fact_is_a_data_gap_not_a_lapse(tmp_path, rule, element, text, words):
    path = _site(tmp_path, text)
    found = [f for f in run_run(path) if f.rule == rule]
    assert [(f.element, f.category, f.severity) for f in found] == [(element, "data-gap", "info")]
    assert words in found[0].message
    assert "Survey the site" in found[0].remediation
    for fail_on in ("high", "info"):
        quiet = run_cli("check", str(path), "--select", rule, "--fail-on", fail_on, *TODAY)
        assert quiet.returncode == 0, quiet.stdout + quiet.stderr
        assert "FACTS TO SURVEY (1)" in quiet.stdout
    strict = run_cli("check", str(path), "--select", rule, "--strict", *TODAY)
    assert strict.returncode == 1


IRRELEVANT = [
    pytest.param(
        "SA-POWER-001",
        "sensors: [{id: s, kind: pir, covers: [yard], status: offline, tamper_alarm: true}]\n",
        id="broken-sensor-backup-power",
    ),
    pytest.param(
        "SA-POWER-002",
        "cameras: [{id: c, covers: [yard], recording: true}]\n",
        id="camera-without-motion-alarm",
    ),
    pytest.param(
        "SA-CLR-004",
        "zones: [{id: road, kind: public}, {id: hq, kind: floor, level: 0, building: hq}]\n",
        id="unobstructed-space-without-explosive-threat",
    ),
]


@pytest.mark.parametrize("rule, extra", IRRELEVANT)
def test_an_unrecorded_fact_that_cannot_change_the_verdict_is_no_gap(tmp_path, rule, extra):
    """A gap is raised only where some value of the missing fact would make the rule fire."""
    text = BASE + extra if not extra.startswith("zones:") else "site: {id: t, name: T}\n" + extra
    found = [f for f in run_run(_site(tmp_path, text)) if f.rule == rule]
    assert found == []


def test_the_same_unrecorded_fact_is_a_gap_where_it_matters(tmp_path):
    text = BASE + "sensors: [{id: s, kind: pir, covers: [yard], tamper_alarm: true}]\n"
    found = [f for f in run_run(_site(tmp_path, text)) if f.rule == "SA-POWER-001"]
    assert [(f.element, f.category) for f in found] == [("s", "data-gap")]
    assert "does not record the backup power of sensor" in found[0].message


def run_run(path):
    return run_rules(load_site(path), RULES, today=dt.date(2026, 11, 26))


def test_switch_in_a_locked_room_of_any_kind_is_safe(tmp_path):
    text = (
        "site: {id: t, name: T}\n"
        "zones: [{id: road, kind: public}, {id: yard, kind: compound}, {id: plant, kind: room}]\n"
        "gates: [{id: g, kind: vehicle_gate, between: [road, yard]},"
        " {id: plant-door, kind: door, between: [yard, plant], locked: %s}]\n"
        "lights: [{id: l, covers: [yard], backup_power: true, switch_in: plant,"
        " switch_locked: false}]\n"
    )
    locked = _site(tmp_path, text % "true")
    assert not [f for f in run_run(locked) if f.rule == "SA-LIGHT-002"]
    open_door = _site(tmp_path, text % "false")
    (f,) = [f for f in run_run(open_door) if f.rule == "SA-LIGHT-002"]
    assert f.category == "unprotected-lighting" and "not locked" in f.message


def test_unreachable_asset_is_unknown_not_meeting_the_goal(tmp_path):
    path = _site(tmp_path, GAPS[6][2])
    out = run_cli("paths", str(path)).stdout
    assert "UNKNOWN: no path" in out and "meets goal" not in out


def test_reports_list_facts_to_survey(tmp_path):
    path = _site(tmp_path, GAPS[0][2])
    md = run_cli("check", str(path), "--format", "markdown", *TODAY).stdout
    assert "### Facts to survey" in md
    html = run_cli("check", str(path), "--format", "html", *TODAY).stdout
    assert "<h3>Facts to survey</h3>" in html
    data = json.loads(run_cli("check", str(path), "--format", "json", *TODAY).stdout)
    assert data["version"] == "2"
    summary = data["sites"][0]["summary"]
    assert summary["data_gaps"] >= 1
    gaps = [f for f in data["sites"][0]["findings"] if f["category"] == "data-gap"]
    assert summary["total"] == len(data["sites"][0]["findings"]) - len(gaps) - summary["waived"]
