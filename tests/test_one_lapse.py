"""One lapse, one finding across rules; a rule about a zone credits whoever watches the zone."""

from __future__ import annotations

import datetime as dt

from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site

RULES = load_rules([])
TODAY = dt.date(2026, 11, 25)

ROOF_POST = """\
site: {id: t, name: T}
zones:
  - {id: road, kind: public}
  - {id: yard, kind: compound}
  - {id: top, kind: floor}
  - {id: roof, kind: roof}
gates:
  - {id: g, kind: vehicle_gate, between: [road, yard], locked: true}
  - {id: door, kind: door, between: [yard, top], locked: true}
  - {id: hatch, kind: hatch, between: [top, roof]}
checkpoints:
  - id: roof-post
    at: roof
    shifts: [{from: "08:00", to: "20:00", guards: 1}]
"""


def _findings(tmp_path, text):
    p = tmp_path / "site.yaml"
    p.write_text(text, encoding="utf-8")
    return [f for f in run_rules(load_site(p), RULES, today=TODAY) if not f.gap]


def test_an_empty_rooftop_post_is_one_finding(tmp_path):
    found = _findings(tmp_path, ROOF_POST)
    on_roof = [
        f
        for f in found
        if f.rule in ("SA-CP-001", "SA-ROOF-001")
        or any(o["rule"] == "SA-ROOF-001" for o in f.data.get("also", []))
    ]
    assert [(f.rule, f.element) for f in on_roof] == [("SA-CP-001", "roof-post")]
    also = {o["rule"]: o for o in on_roof[0].data["also"]}
    assert also["SA-ROOF-001"]["element"] == "hatch"  # still says where


def test_a_roof_with_no_post_keeps_its_own_finding(tmp_path):
    text = ROOF_POST.split("checkpoints:")[0]
    found = _findings(tmp_path, text)
    assert [(f.rule, f.element) for f in found if f.rule == "SA-ROOF-001"] == [
        ("SA-ROOF-001", "hatch")
    ]


def test_a_camera_on_the_roof_observes_the_way_onto_it(tmp_path):
    text = ROOF_POST.split("checkpoints:")[0].replace(
        "between: [top, roof]}", "between: [top, roof], locked: true}"
    )
    text += "cameras: [{id: cam, covers: [roof], monitored: true, night: true, recording: true}]\n"
    assert not [f for f in _findings(tmp_path, text) if f.rule == "SA-ROOF-001"]
    unwatched = text.replace("covers: [roof]", "covers: [yard]")
    assert [f.element for f in _findings(tmp_path, unwatched) if f.rule == "SA-ROOF-001"] == [
        "hatch"
    ]


def _finding(
    rule: str, element: str, category: str, severity: str, cause: str | None, waived: bool
):
    from audit.findings import Finding

    data = {"caused_by": [cause], "cause": f"k:{cause}"} if cause else {}
    return Finding(
        rule,
        rule,
        severity,
        category,
        element,
        "f.yaml",
        1,
        1,
        "m",
        "r",
        ["x"],
        waived=waived,
        data=data,
    )


def test_grouping_loses_no_finding_and_never_groups_a_waived_one():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from audit.findings.grouping import group_by_cause

    elements = st.sampled_from(["a", "b", "c", "d"])
    one = st.builds(
        _finding,
        st.sampled_from(["R-1", "R-2", "R-3"]),
        elements,
        st.sampled_from(["x", "y"]),
        st.sampled_from(["critical", "high", "medium"]),
        st.none() | elements,
        st.booleans(),
    )

    @settings(max_examples=200, deadline=None)
    @given(st.lists(one, max_size=12))
    def check(findings):
        out = group_by_cause(findings)
        assert len(out) + sum(len(f.data.get("also", [])) for f in out) == len(findings)
        assert all(not f.data.get("also") for f in out if f.waived)
        assert sum(f.waived for f in out) == sum(f.waived for f in findings)

    check()


FRONTAGE = """\
site: {id: t, name: T}
zones: [{id: road, kind: public}, {id: yard, kind: compound}]
walls: [{id: fence, kind: fence, between: [road, yard], height_m: 2.4, side: front}]
"""


def test_a_frontage_nothing_observes_is_one_finding(tmp_path):
    found = [f for f in _findings(tmp_path, FRONTAGE) if f.element == "fence"]
    seen = [(f.rule, [o["rule"] for o in f.data.get("also", [])]) for f in found]
    lead = [r for r, also in seen if "SA-WALL-001" in also or r == "SA-WALL-001"]
    assert lead == ["SA-FRONT-001"]  # SA-WALL-001 stands under it: one lapse
    assert not [f for f in found if f.rule == "SA-WALL-001"]


def test_a_frontage_a_sensor_observes_keeps_its_camera_finding_alone(tmp_path):
    text = FRONTAGE + "sensors: [{id: s, kind: fence_vibration, covers: [fence]}]\n"
    text += (
        "checkpoints: [{id: p, at: fence, "
        "shifts: [{from: '00:00', to: '00:00', hours: 24, guards: 1}]}]\n"
    )
    found = [f for f in _findings(tmp_path, text) if f.element == "fence"]
    assert "SA-FRONT-001" in [f.rule for f in found]
    assert all(not f.data.get("cause") for f in found if f.rule == "SA-FRONT-001")
