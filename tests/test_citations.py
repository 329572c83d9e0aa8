"""Defaults and rules say what their sources say (issue 23, item 8)."""

from __future__ import annotations

import datetime as dt

from audit.analysis.elements import ElementValues
from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site

TODAY = dt.date(2026, 11, 25)
RULES = {r.id: r for r in load_rules([])}


def _site(tmp_path, text: str):
    p = tmp_path / "site.yaml"
    p.write_text(text, encoding="utf-8")
    return load_site(p)


FENCES = """\
site: {id: t, name: T}
zones: [{id: road, kind: public}, {id: yard, kind: compound}]
walls:
  - {id: bare, kind: fence, between: [road, yard], height_m: 2.0}
  - {id: tall, kind: fence, between: [road, yard], height_m: 2.4, topping: {kind: concertina}}
  - {id: brick, kind: wall, between: [road, yard], height_m: 2.0}
  - {id: topped, kind: wall, between: [road, yard], height_m: 3.0, topping: {kind: razor_wire}}
"""


def test_fence_delay_is_the_handbooks_whatever_its_height_and_topping(tmp_path):
    # MIL-HDBK-1013/1A §4.3.2(2)(b): 3-8 s; height up to 2.4 m and enhancements make little
    # difference
    site = _site(tmp_path, FENCES)
    values = ElementValues(site)
    bare, tall = (values.delay(site.get(i))[0] for i in ("bare", "tall"))
    assert bare == tall
    assert 3 <= bare <= 8


def test_walls_keep_their_own_assumed_figures(tmp_path):
    site = _site(tmp_path, FENCES)
    values = ElementValues(site)
    brick, topped = (values.delay(site.get(i))[0] for i in ("brick", "topped"))
    assert brick > 8 and topped > brick


LIT = """\
site: {id: t, name: T}
zones: [{id: out, kind: OUTSIDE}, {id: yard, kind: compound}]
walls: [{id: fence, kind: fence, between: [out, yard], height_m: 2.4}]
lights: [{id: l, covers: [fence], lux: 3, backup_power: true, switch_in: yard, switch_locked: true}]
"""


def _fired(tmp_path, text: str, rule_id: str) -> list[str]:
    found = run_rules(_site(tmp_path, text), [RULES[rule_id]], today=TODAY)
    return [f.element for f in found if not f.gap]


def test_a_boundary_on_a_road_needs_4_lux_an_isolated_one_2(tmp_path):
    # TM 5-811-1 Table 11-1: non-isolated 4 lux, isolated 2 lux (vertical plane)
    assert _fired(tmp_path, LIT.replace("OUTSIDE", "public"), "SA-LIGHT-006") == ["fence"]
    assert _fired(tmp_path, LIT.replace("OUTSIDE", "approach"), "SA-LIGHT-006") == []


CULVERT = """\
site: {id: t, name: T}
zones: [{id: road, kind: public}, {id: yard, kind: compound}]
walls:
  - id: w
    between: [road, yard]
    height_m: 2.4
    gaps: [{id: pipe, kind: culvert, area_m2: 0.1, grille: false SIDE}]
"""


def test_an_opening_no_one_fits_through_needs_no_grille(tmp_path):
    # MIL-HDBK-1013/1A §4.3.2(2)(d): 0.06 m2 or more AND smallest dimension over 150 mm
    assert _fired(tmp_path, CULVERT.replace(" SIDE", ", smallest_side_mm: 120"), "SA-BAR-002") == []
    wide = CULVERT.replace(" SIDE", ", smallest_side_mm: 300")
    assert _fired(tmp_path, wide, "SA-BAR-002") == ["pipe"]
    # not recorded: judged on its area, as before
    assert _fired(tmp_path, CULVERT.replace(" SIDE", ""), "SA-BAR-002") == ["pipe"]


def test_citations_name_the_right_recommendation():
    vant = " ".join(RULES["SA-VANT-001"].spec.references)
    assert "Recommendation 3" in vant and "Recommendation 1" not in vant
    gate = " ".join(RULES["SA-GATE-001"].spec.references)
    assert "Rec 7" not in gate and "Recommendation 7" not in gate


def test_the_standoff_range_is_one_figure():
    # threats.yaml's standoff range and SA-VANT-001's cut-off are the same assumed figure
    from audit.site.threats import shipped

    where = RULES["SA-VANT-001"].params.where
    cut = [
        c["not"]["distance_m"]["gt"]
        for c in where["all"]
        if "not" in c and "distance_m" in c["not"]
    ]
    assert cut == [shipped()["standoff"].range_m]
