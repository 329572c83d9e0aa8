"""Declared threats: validated against the shipped set; they decide whether posts must be armed."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.common.errors import SiteError
from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site
from audit.site.threats import declared, shipped

RULES = load_rules([])
SITE = """\
site: {id: t, name: T}
%s
zones: [{id: road, kind: public}, {id: yard, kind: compound}]
gates: [{id: g, kind: vehicle_gate, between: [road, yard], locked: false}]
checkpoints:
  - {id: cp, at: g, radio: true, duress_alarm: true,
     shifts: [{from: "00:00", to: "24:00", guards: 1, armed: false}]}
"""


def _armed_rule(tmp_path, threats: str):
    path = tmp_path / "s.yaml"
    path.write_text(SITE % threats)
    found = run_rules(load_site(path), RULES, today=dt.date(2026, 11, 26))
    return [f for f in found if f.rule == "SA-CP-002"]


def test_shipped_threats_have_every_attribute_and_a_source():
    assert set(shipped()) == {
        "outsider-stealth",
        "outsider-force",
        "vehicle",
        "insider",
        "standoff",
    }
    for t in shipped().values():
        assert t.source and t.tactic in ("force", "stealth", "deceit") and t.team >= 1


def test_unarmed_guards_meet_an_unarmed_threat(tmp_path):
    assert _armed_rule(tmp_path, "threats: [outsider-stealth, insider]") == []


def test_unarmed_guards_against_an_armed_threat_is_a_lapse(tmp_path):
    (f,) = _armed_rule(tmp_path, "threats: [outsider-force]")
    assert f.category == "unmanned-checkpoint" and "no armed guard" in f.message


def test_no_threat_declared_is_a_data_gap(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SITE % "")
    found = run_rules(load_site(path), RULES, today=dt.date(2026, 11, 26))
    # one finding per element: the site's facts to survey are grouped under one lead
    gaps = [
        (f, also)
        for f in found
        for also in [f.data, *f.data.get("also", [])]
        if (also.get("rule") or f.rule) == "SA-CP-002"
    ]
    ((f, entry),) = gaps
    assert f.category == "data-gap" and "declares no threats" in entry.get("message", f.message)


def test_a_threat_of_its_own_overrides_a_shipped_one(tmp_path):
    found = _armed_rule(
        tmp_path, "threats: [{id: local-gang, based_on: outsider-stealth, armed: true}]"
    )
    assert len(found) == 1 and found[0].category == "unmanned-checkpoint"
    path = tmp_path / "s.yaml"
    (threat,) = declared(load_site(path))
    assert (threat.id, threat.armed, threat.team, threat.tactic) == (
        "local-gang",
        True,
        2,
        "stealth",
    )


@pytest.mark.parametrize(
    "threats, message",
    [
        ("threats: [outsider-forse]", 'did you mean "outsider-force"'),
        ("threats: [{id: x, based_on: nope}]", 'threat "nope" is not one of the shipped threats'),
        (
            "threats: [{id: mine, armed: true}]",
            'threat "mine" is not shipped, so it must give team',
        ),
    ],
)
def test_bad_threats_are_errors_at_their_line(tmp_path, threats, message):
    path = tmp_path / "s.yaml"
    path.write_text(SITE % threats)
    with pytest.raises(SiteError) as info:
        load_site(path)
    assert message in str(info.value) and ":2:" in str(info.value)
