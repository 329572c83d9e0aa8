"""Zone control apart from use: a neighbourhood the site does not control is not asked for a
gate, and an adversary may start in it (a house that shares the perimeter wall)."""

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
  - {id: houses, kind: residential, control: %s}
  - {id: yard, kind: compound}
walls:
  - {id: shared-wall, between: [houses, yard], side: rear, height_m: 2.4}
  - {id: front, between: [road, yard], side: front, height_m: 3, topping: {kind: razor_wire}}
gates:
  - {id: lane, kind: opening, between: [road, houses]}
responders: [{id: r, response_s: 120}]
assets: [{id: a, zone: yard, task_s: 60}]
"""


def _run(tmp_path, control: str):
    path = tmp_path / "s.yaml"
    path.write_text(SITE % control)
    site = load_site(path)
    rules = {f.rule for f in run_rules(site, RULES, today=dt.date(2026, 11, 26))}
    return site, rules


def test_lane_into_a_neighbourhood_needs_no_gate(tmp_path):
    """No gate is asked of the neighbours' lane; the houses that share the unwatched wall are
    exposed-residential all the same (tests/test_unknowns.py, neighbours)."""
    _, rules = _run(tmp_path, "third_party")
    assert "SA-GATE-001" not in rules


def test_own_quarters_need_their_own_gate(tmp_path):
    _, rules = _run(tmp_path, "own")
    assert "SA-GATE-001" in rules


def test_an_adversary_may_start_next_door(tmp_path):
    site, _ = _run(tmp_path, "third_party")
    (asset,) = analyse(site).assets
    assert asset.start == "houses" and asset.path[0].element == "shared-wall"
