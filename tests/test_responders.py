"""Responders have hours on duty: the path analysis uses whoever is on duty at each moment."""

from __future__ import annotations

from audit.analysis.paths import analyse
from audit.site.load import load_site

SITE = """\
site: {id: t, name: T}
zones: [{id: road, kind: public}, {id: yard, kind: compound, crossing_m: 100}]
walls: [{id: w, between: [road, yard], height_m: 3, topping: {kind: razor_wire}}]
sensors: [{id: s, kind: taut_wire, covers: [w]}]
cameras: [{id: c, covers: [w], monitored: true, night: true}]
responders:
  - {id: day-team, response_s: 30, on_duty: [{from: "08:00", to: "18:00"}]}
  %s
assets: [{id: a, zone: yard, task_s: 30}]
"""


def _asset(tmp_path, night: str, at: str):
    path = tmp_path / "s.yaml"
    path.write_text(SITE % night)
    return analyse(load_site(path), at=at).assets[0]


def test_the_responder_on_duty_answers(tmp_path):
    day = _asset(tmp_path, "", "tue 12:00")
    assert day.responder == "day-team" and day.p_interruption > 0.5


def test_nobody_on_duty_means_no_interruption(tmp_path):
    night = _asset(tmp_path, "", "tue 23:00")
    assert night.responder is None and night.p_interruption == 0.0
    assert "no responder is on duty at this hour" in night.reasons[0]


def test_a_slower_night_team_is_used_at_night(tmp_path):
    team = '- {id: night-team, response_s: 600, on_duty: [{from: "18:00", to: "08:00"}]}'
    night = _asset(tmp_path, team, "tue 23:00")
    assert night.responder == "night-team" and night.response_s == 600
    week = _asset(tmp_path, team, None)
    assert week.responder == "night-team"  # the worst moment of the week is at night
