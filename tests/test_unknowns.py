"""Findings that hold on sites written by others (issue 23): a fact the file leaves out is
unknown, not unsafe; severity follows the margin and the evidence; neighbours' houses on the
perimeter; breaches; buildings that are not declared."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import ROOT, run_cli

from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site

RULES = load_rules([])
TODAY = dt.date(2026, 11, 26)
HEAD = "site: {id: t, name: T}\n"
YARD = HEAD + "zones: [{id: road, kind: public}, {id: yard, kind: compound}]\n"
WALL = "walls: [{id: w, between: [road, yard], height_m: 2.4, topping: {kind: razor_wire}}]\n"
ROOM = (
    HEAD + "zones: [{id: road, kind: public}, {id: yard, kind: compound}, {id: ctl, kind: room}]\n"
)


def _site(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_site(path)


def _found(tmp_path, text, rule):
    found = run_rules(_site(tmp_path, text), RULES, today=TODAY)
    out = []
    for f in found:
        if f.rule == rule:
            out.append(f)
        out += [f for o in f.data.get("also", []) if o["rule"] == rule and f.rule != rule]
    return out


# (rule, element, the site with %s where the fact goes, the fact written, words of the gap)
OMITTED = [
    (
        "SA-CP-001",
        "cp",
        YARD + "gates: [{id: g, kind: vehicle_gate, between: [road, yard], locked: false}]\n"
        "checkpoints: [{id: cp, at: g, radio: true, duress_alarm: true%s}]\n",
        ", shifts: []",
        'shifts of checkpoint "cp"',
    ),
    (
        "SA-CP-002",
        "cp",
        HEAD
        + "threats: [outsider-force]\n"
        + YARD.removeprefix(HEAD)
        + "gates: [{id: g, kind: vehicle_gate, between: [road, yard], locked: false}]\n"
        "checkpoints: [{id: cp, at: g, radio: true, duress_alarm: true,"
        ' shifts: [{from: "00:00", to: "24:00", guards: 1%s}]}]\n',
        ", armed: false",
        'armed on shifts of checkpoint "cp"',
    ),
    (
        "SA-GATE-002",
        "g",
        YARD + "gates: [{id: g, kind: vehicle_gate, between: [road, yard]%s}]\n",
        ", locked: false",
        'locked of gate "g"',
    ),
    (
        "SA-VEH-003",
        "g",
        HEAD
        + "threats: [vehicle]\n"
        + YARD.removeprefix(HEAD)
        + "gates: [{id: g, kind: vehicle_gate, between: [road, yard], locked: true%s}]\n",
        ", vehicle_barrier: false",
        'vehicle barrier of gate "g"',
    ),
    (
        "SA-LIGHT-002",
        "l",
        YARD + "lights: [{id: l, covers: [yard], switch_in: yard, backup_power: true%s}]\n",
        ", switch_locked: false",
        "switch locked",
    ),
    (
        "SA-TOP-002",
        "w",
        YARD + "walls: [{id: w, between: [road, yard], height_m: 2.4%s}]\n",
        ", topping: {kind: none}, anti_climb: false",
        "topping kind and anti climb",
    ),
    (
        "SA-CAM-002",
        "c",
        YARD + "cameras: [{id: c, covers: [yard], recording: true, night: true%s}]\n",
        ", monitored: false",
        "monitored",
    ),
    (
        "SA-CAM-004",
        "c",
        YARD + "cameras: [{id: c, covers: [yard], recording: true, monitored: true%s}]\n",
        ", night: false",
        'night of camera "c"',
    ),
    (
        "SA-FRONT-002",
        "w",
        YARD + WALL + "cameras: [{id: c, covers: [w], recording: true, monitored: true%s}]\n",
        ", night: false",
        'night of camera "c"',
    ),
    (
        "SA-WALL-001",
        "w",
        YARD + WALL + "cameras: [{id: c, covers: [w], recording: true, night: true%s}]\n",
        ", monitored: false",
        'monitored of camera "c"',
    ),
    (
        "SA-ASSESS-001",
        "s",
        YARD + WALL + "cameras: [{id: c, covers: [w], recording: true, night: true%s}]\n"
        "sensors: [{id: s, kind: fence_vibration, covers: [w], backup_power: true, "
        "tamper_alarm: true}]\n",
        ", monitored: false",
        'monitored of camera "c"',
    ),
    (
        "SA-ASSESS-002",
        "st",
        ROOM + "gates: [{id: d, kind: door, between: [yard, ctl]%s}]\n"
        'stations: [{id: st, in: ctl, shifts: [{from: "00:00", to: "24:00", guards: 1}]}]\n',
        ", locked: false",
        'locked of gate "d"',
    ),
    (
        "SA-ROOF-001",
        "hatch",
        HEAD + "zones: [{id: road, kind: public}, {id: yard, kind: compound},"
        " {id: top, kind: roof}]\n"
        "walls: [{id: w, between: [road, yard], height_m: 2.4}]\n"
        "gates: [{id: hatch, kind: hatch, between: [yard, top]%s}]\n"
        "cameras: [{id: c, covers: [hatch], monitored: true, night: true, recording: true}]\n",
        ", locked: false",
        'locked of gate "hatch"',
    ),
    (
        "SA-RES-001",
        "q",
        HEAD + "zones: [{id: road, kind: public}, {id: q, kind: residential},"
        " {id: yard, kind: compound}]\n"
        "walls: [{id: w, between: [q, yard], height_m: 2.4}]\n"
        "gates: [{id: g, kind: pedestrian_gate, between: [road, q]%s}]\n",
        ", locked: false",
        'locked of gate "g"',
    ),
    (
        "SA-PATH-001",
        "a",
        YARD + "gates: [{id: g, kind: vehicle_gate, between: [road, yard], locked: false}]\n"
        "checkpoints: [{id: cp, at: g, radio: true, duress_alarm: true%s}]\n"
        "assets: [{id: a, zone: yard}]\nresponders: [{id: r, response_s: 60}]\n",
        ", shifts: []",
        'shifts of checkpoint "cp"',
    ),
    (
        "SA-VANT-001",
        "vp",
        YARD + "vantage_points: [{id: vp, overlooks: [yard]%s}]\n",
        ", controlled: false",
        "controlled",
    ),
    (
        "SA-VEH-002",
        "va",
        HEAD + "zones: [{id: road, kind: public}, {id: hall, kind: floor}]\n"
        "vehicle_approaches: [{id: va, from: road, to: hall, standoff_m: 30,"
        " building_use: primary_gathering%s}]\n",
        ", barrier: false",
        'barrier of vehicle approach "va"',
    ),
    (
        "SA-VEH-001",
        "va",
        HEAD + "zones: [{id: road, kind: public}, {id: hall, kind: floor}]\n"
        "vehicle_approaches: [{id: va, from: road, to: hall, standoff_m: 5, barrier: true%s}]\n",
        ", building_use: inhabited",
        'building use of vehicle approach "va"',
    ),
]


@pytest.mark.parametrize(
    "rule, element, text, fact, words", OMITTED, ids=[f"{c[0]}-{c[3]}" for c in OMITTED]
)
def test_a_fact_left_out_is_a_fact_to_survey_and_written_it_is_judged(
    tmp_path, rule, element, text, fact, words
):
    """Before: the omitted fact read as its unsafe default and the rule reported a lapse.
    Now: a fact to survey naming the fact; the same fact written as the unsafe value is the
    lapse (not written is not written as none)."""
    omitted = _found(tmp_path, text % "", rule)
    assert [(f.element, f.category, f.severity) for f in omitted] == [(element, "data-gap", "info")]
    assert words in omitted[0].message, omitted[0].message
    written = [f for f in _found(tmp_path, text % fact, rule) if not f.gap]
    assert [f.element for f in written] == [element]


def test_no_shifts_written_is_unknown_and_an_empty_rota_is_unmanned(tmp_path):
    text = OMITTED[0][2]
    (gap,) = _found(tmp_path, text % "", "SA-CP-001")
    assert "whether checkpoint" in gap.message and "manned" in gap.message
    (lapse,) = _found(tmp_path, text % ", shifts: []", "SA-CP-001")
    assert "is unmanned at all hours" in lapse.message and lapse.severity == "critical"


def test_every_changed_default_is_none_in_the_model():
    """The fields whose omission used to read as unsafe are unknown when not written."""
    from audit.site import devices, people, perimeter, surroundings

    changed = {
        people.Checkpoint: ["shifts"],
        people.Station: ["shifts"],
        people.Shift: ["armed"],
        perimeter.Gate: ["locked", "vehicle_barrier"],
        devices.Light: ["switch_locked"],
        perimeter.Wall: ["anti_climb"],
        perimeter.Topping: ["kind"],
        devices.Camera: ["monitored", "night"],
        surroundings.VantagePoint: ["controlled"],
        surroundings.VehicleApproach: ["barrier", "building_use"],
    }
    from audit.site.unknowns import is_unrecorded

    for cls, fields in changed.items():
        for name in fields:
            assert cls.model_fields[name].default is None, (cls.__name__, name)
            assert is_unrecorded(cls, name), (cls.__name__, name)


# --- the path analysis reads an unknown by the documented default, the band shows it -----

POST = (
    HEAD + "%s"
    "zones: [{id: road, kind: public}, {id: yard, kind: compound, crossing_m: 50}]\n"
    "gates: [{id: g, kind: vehicle_gate, between: [road, yard], locked: false}]\n"
    "checkpoints: [{id: cp, at: g, radio: true%s}]\n"
    "responders: [{id: r, response_s: 30, size: 4, armed: true}]\n"
    "assets: [{id: a, zone: yard, task_s: 60}]\n"
)


def test_an_unrecorded_post_is_judged_manned_and_named_among_the_reasons(tmp_path):
    from audit.analysis.paths import analyse

    (omitted,) = analyse(_site(tmp_path, POST % ("", ""), "a.yaml")).assets
    manned = ', shifts: [{from: "00:00", to: "24:00", guards: 1, armed: false}]'
    (written,) = analyse(_site(tmp_path, POST % ("", manned), "b.yaml")).assets
    assert omitted.p_interruption == written.p_interruption > 0
    assert omitted.unrecorded == ['shifts of checkpoint "cp"'] and written.unrecorded == []
    assert any("does not record" in r and "cp" in r for r in omitted.reasons)


def test_the_band_low_end_reads_the_unknowns_at_their_worst(tmp_path):
    from audit.analysis.effectiveness import assess

    threat = "threats: [outsider-stealth]\n"
    manned = ', shifts: [{from: "00:00", to: "24:00", guards: 1, armed: false}]'
    (omitted,) = assess(_site(tmp_path, POST % (threat, ""), "a.yaml"))[0].assets
    (written,) = assess(_site(tmp_path, POST % (threat, manned), "b.yaml"))[0].assets
    (empty,) = assess(_site(tmp_path, POST % (threat, ", shifts: []"), "c.yaml"))[0].assets
    assert omitted.p_effectiveness == written.p_effectiveness
    assert omitted.band[0] <= empty.p_effectiveness + 1e-9 < written.band[0]
    assert omitted.band[1] == written.band[1]


# --- severity by margin and by evidence ----------------------------------------------------

PATH = (
    HEAD.replace("}", ", goal_p_interruption: %s}")
    + "zones: [{id: road, kind: public}, {id: yard, kind: compound, crossing_m: 40}]\n"
    "walls: [{id: w, between: [road, yard], height_m: 2.4, topping: {kind: razor_wire},"
    " anti_climb: false}]\n"
    "cameras: [{id: c, covers: [w], recording: true, night: true%s}]\n"
    "responders: [{id: r, response_s: 50}]\n"
    "assets: [{id: a, zone: yard, task_s: 20}]\n"
)


def _p_interruption(tmp_path) -> float:
    from audit.analysis.paths import analyse

    (a,) = analyse(_site(tmp_path, PATH % (1, ", monitored: true"), "p.yaml")).assets
    return a.p_interruption


@pytest.mark.parametrize("margin, severity", [(0.05, "medium"), (0.2, "high"), (0.35, "critical")])
def test_severity_of_a_result_below_its_goal_follows_the_shortfall(tmp_path, margin, severity):
    """Before: critical whatever the margin. Now by the documented bands."""
    p = _p_interruption(tmp_path)
    assert 0.3 < p < 0.6
    (f,) = _found(tmp_path, PATH % (round(p + margin, 3), ", monitored: true"), "SA-EASI-001")
    assert f.severity == severity and f.data["shortfall"] == pytest.approx(margin, abs=1e-3)


def test_a_result_lists_the_unrecorded_facts_it_rests_on(tmp_path):
    """The camera's watching is not recorded: read as watched (the result's favour), listed
    as a fact to survey; it cannot explain the shortfall away, so the severity stays."""
    p = _p_interruption(tmp_path)
    (f,) = _found(tmp_path, PATH % (round(p + 0.35, 3), ""), "SA-EASI-001")
    assert f.severity == "critical" and f.data["unrecorded"] == ['monitored of camera "c"']
    assert 'does not record (facts to survey): monitored of camera "c"' in f.message


def test_a_p_i_shortfall_within_its_band_is_medium(tmp_path):
    p = _p_interruption(tmp_path)
    (f,) = _found(tmp_path, PATH % (round(p + 0.001, 4), ", monitored: true"), "SA-EASI-001")
    assert f.data["band_high"] > p + 0.001
    assert f.severity == "medium" and "sensitivity band reaches the goal" in f.message


def test_severity_bands_never_raise_a_rule_above_its_own():
    from audit.checks.interruption import judge
    from audit.rules.checklist import _severity

    bands = {"critical": 0.3, "high": 0.1}
    assert judge(0.5, False, bands) == "critical" and judge(0.5, True, bands) == "high"
    assert judge(0.2, False, bands) == "high" and judge(0.2, True, bands) == "medium"
    assert judge(0.05, False, bands) == "medium" and judge(0.05, True, bands) == "medium"
    assert _severity("high", "critical") == "high" and _severity("critical", "medium") == "medium"


def test_a_p_e_shortfall_within_its_band_is_medium(tmp_path):
    """P(E) a little below the goal with a band that reaches it: medium, not critical."""
    from audit.analysis.effectiveness import assess

    text = POST % (
        "threats: [outsider-stealth]\n",
        ', shifts: [{from: "00:00", to: "24:00", guards: 1, armed: false}]',
    )
    (a,) = assess(_site(tmp_path, text, "e.yaml"))[0].assets
    assert a.band[0] < a.p_effectiveness < a.band[1] < 1
    goal = round((a.p_effectiveness + a.band[1]) / 2, 4)
    text = text.replace("name: T}", f"name: T, goal_p_effectiveness: {goal}}}")
    (f,) = _found(tmp_path, text, "SA-EASI-001")
    assert f.severity == "medium" and "sensitivity band reaches the goal" in f.message


# --- neighbours and insiders ------------------------------------------------------------------

NEIGHBOURS = (
    HEAD + "zones:\n"
    "  - {id: road, kind: public}\n"
    "  - {id: houses, kind: residential, control: third_party}\n"
    "  - {id: yard, kind: compound}\n"
    "walls:\n"
    "  - {id: shared, between: [houses, yard], side: rear, height_m: 2.4}\n"
    "  - {id: front, between: [road, yard], side: front, height_m: 3}\n"
    "gates: [{id: lane, kind: opening, between: [road, houses]}]\n"
    "%s"
)


def test_neighbours_houses_on_an_unwatched_shared_wall_are_exposed(tmp_path):
    """Before: a third-party residential zone drew nothing. Now: exposed-residential."""
    (f,) = _found(tmp_path, NEIGHBOURS % "", "SA-RES-001")
    assert f.element == "houses" and f.category == "exposed-residential" and not f.gap
    assert "shared" in f.message and "third party" in f.message


def test_neighbours_houses_on_a_watched_wall_draw_nothing(tmp_path):
    watched = "cameras: [{id: c, covers: [shared], monitored: true, night: true}]\n"
    assert _found(tmp_path, NEIGHBOURS % watched, "SA-RES-001") == []
    unknown = "cameras: [{id: c, covers: [shared], night: true}]\n"
    (gap,) = _found(tmp_path, NEIGHBOURS % unknown, "SA-RES-001")
    assert gap.gap and 'monitored of camera "c"' in gap.message


def test_an_insider_does_not_start_at_the_asset_unless_the_file_says_so(tmp_path):
    from audit.analysis.paths import analyse
    from audit.site.threats import find

    text = (
        HEAD + "threats: [insider%s]\n"
        "zones: [{id: road, kind: public}, {id: yard, kind: compound},"
        " {id: store, kind: compound}]\n"
        "walls: [{id: w, between: [road, yard], height_m: 2.4}]\n"
        "gates: [{id: d, kind: door, between: [yard, store], locked: true}]\n"
        "responders: [{id: r, response_s: 60}]\n"
        "assets: [{id: a, zone: store, task_s: 60}]\n"
    )
    site = _site(tmp_path, text % "", "i.yaml")
    (a,) = analyse(site, threat=find(site, "insider")).assets
    assert a.start == "yard" and [s.element for s in a.path][:1] == ["d"]
    own = ", {id: mole, based_on: insider, starts_in: [store]}"
    site = _site(tmp_path, text % own, "j.yaml")
    (a,) = analyse(site, threat=find(site, "mole")).assets
    assert a.start == "store"


# --- breaches -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["breach", "cut"])
def test_a_breach_is_a_lapse_whatever_its_area(tmp_path, kind):
    """Before: a breach with no area_m2 was only a fact to survey. Now a lapse."""
    text = YARD + (
        "walls: [{id: w, between: [road, yard], height_m: 2.4, gaps: [{id: hole, kind: %s}]}]\n"
    )
    (f,) = _found(tmp_path, text % kind, "SA-BAR-002")
    assert (f.element, f.category, f.severity) == ("hole", "weak-barrier", "high")
    assert kind in f.message


def test_a_culvert_with_no_area_is_still_a_fact_to_survey(tmp_path):
    text = YARD + (
        "walls: [{id: w, between: [road, yard], height_m: 2.4,"
        " gaps: [{id: drain, kind: culvert, grille: false}]}]\n"
    )
    (f,) = _found(tmp_path, text, "SA-BAR-002")
    assert f.gap


def test_a_breach_is_open_in_the_path_analysis_even_with_a_grille_written(tmp_path):
    from audit.analysis.elements import ElementValues

    text = YARD + (
        "walls: [{id: w, between: [road, yard], height_m: 2.4,"
        " gaps: [{id: hole, kind: breach, grille: true}, {id: c, kind: culvert, grille: true}]}]\n"
    )
    site = _site(tmp_path, text)
    values = ElementValues(site)
    assert values.delay(site.get("hole"))[0] < values.delay(site.get("c"))[0]


# --- buildings ----------------------------------------------------------------------------------

BUILDINGS = (
    HEAD + "zones:\n  - {id: road, kind: public}\n  - {id: hq-roof, kind: roof, building: %s}\n%s"
)
DECLARED = "buildings: [{id: hq, footprint: [[0, 0], [10, 0], [10, 10]]}]\n"


def test_a_roof_naming_an_undeclared_building_is_an_error(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BUILDINGS % ("hqq", DECLARED), encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{path}:4:" in result.stderr
    assert '"hqq"' in result.stderr and 'did you mean "hq"' in result.stderr


def test_building_names_are_labels_when_none_is_declared(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BUILDINGS % ("hqq", ""), encoding="utf-8")
    assert run_cli("validate", str(path)).returncode == 0
    path.write_text(BUILDINGS % ("hq", DECLARED), encoding="utf-8")
    assert run_cli("validate", str(path)).returncode == 0


# --- README --------------------------------------------------------------------------------------


def test_readme_lists_every_field_whose_absence_is_a_data_gap():
    """README's table is generated from the model (audit.site.unknowns.readme_table)."""
    from audit.site.unknowns import readme_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"<!-- unknown-fields:start -->\n(.*?)<!-- unknown-fields:end -->", readme, re.S
    )
    assert match, "README lost its unknown-fields markers"
    assert match.group(1) == readme_table(), (
        "README is out of date: paste audit.site.unknowns.readme_table() between the markers"
    )


# --- who responds -----------------------------------------------------------------------------

RESPONSE = YARD + WALL + "assets: [{id: a, zone: yard, task_s: 30}]\n%s"


def test_no_responders_written_is_a_fact_to_survey_and_none_written_is_the_lapse(tmp_path):
    """Before: a file that says nothing of its response force drew SA-COMM-003 (critical)
    and SA-EASI-001 (critical, P(I) 0). Now both are facts to survey; responders: [] is the
    recorded lapse."""
    (comm,) = _found(tmp_path, RESPONSE % "", "SA-COMM-003")
    assert comm.gap and "does not record who responds" in comm.message
    (easi,) = _found(tmp_path, RESPONSE % "", "SA-EASI-001")
    assert easi.gap and "responders:" in easi.message
    (comm,) = _found(tmp_path, RESPONSE % "responders: []\n", "SA-COMM-003")
    assert not comm.gap and comm.severity == "critical"
    (easi,) = _found(tmp_path, RESPONSE % "responders: []\n", "SA-EASI-001")
    assert not easi.gap
