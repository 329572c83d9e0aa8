"""A public entrance open in its hours is no lapse; the inner line behind it is judged then."""

from __future__ import annotations

import datetime as dt

from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site

RULES = [r for r in load_rules([]) if r.id == "SA-GATE-002"]
TODAY = dt.date(2026, 11, 25)

BANK = """\
site: {id: bank, name: Bank branch}
zones:
  - {id: street, kind: public}
  - {id: hall, kind: floor, level: 0}
  - {id: offices, kind: floor, level: 0}
  - {id: vault, kind: room}
gates:
  - id: front-door
    kind: door
    between: [street, hall]
    public_hours: [{from: "09:00", to: "17:00", days: [mon, tue, wed, thu, fri]}]
    locked:
      - {from: "17:00", to: "09:00"}
      - {from: "09:00", to: "17:00", days: [sat, sun]}
  - {id: counter-door, kind: door, between: [hall, offices], locked: COUNTER}
  - {id: vault-door, kind: door, between: [offices, vault], locked: true}
"""


def _gate_findings(tmp_path, counter: str):
    p = tmp_path / "bank.yaml"
    p.write_text(BANK.replace("COUNTER", counter), encoding="utf-8")
    found = run_rules(load_site(p), RULES, today=TODAY)
    return [(f.element, f.message) for f in found if not f.gap]


def test_an_open_public_entrance_is_no_lapse_in_its_hours(tmp_path):
    assert _gate_findings(tmp_path, "true") == []


def test_the_inner_line_is_the_lapse_while_the_public_is_inside(tmp_path):
    found = _gate_findings(tmp_path, "false")
    assert [e for e, _ in found] == ["counter-door"]
    message = found[0][1]
    assert "while hall is open to the public" in message
    assert "09:00-17:00" in message and "mon-fri" in message


def test_outside_its_hours_a_public_entrance_is_judged_as_any_door(tmp_path):
    p = tmp_path / "bank.yaml"
    text = BANK.replace("COUNTER", "true").replace(
        '      - {from: "09:00", to: "17:00", days: [sat, sun]}\n', ""
    )
    p.write_text(text, encoding="utf-8")
    found = [f for f in run_rules(load_site(p), RULES, today=TODAY) if not f.gap]
    assert [f.element for f in found] == ["front-door"]
    assert found[0].message.endswith("09:00-17:00 at weekends")


def test_a_door_from_the_hall_out_to_open_ground_is_no_inner_line(tmp_path):
    text = BANK.replace("COUNTER", "true") + (
        "  - {id: garden-door, kind: door, between: [hall, garden]}\n"
    )
    text = text.replace(
        "  - {id: vault, kind: room}\n",
        "  - {id: vault, kind: room}\n  - {id: garden, kind: approach}\n",
    )
    p = tmp_path / "bank.yaml"
    p.write_text(text, encoding="utf-8")
    found = [f for f in run_rules(load_site(p), RULES, today=TODAY) if not f.gap]
    assert found == []
