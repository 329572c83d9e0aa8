"""Upgrade analysis: the exact plan is the cheapest set of candidates, and it closes the loop."""

from __future__ import annotations

import copy
import itertools
import json
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import KPO as KPO_FILE
from conftest import SMALL_SITE, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.site.source import read_document
from audit.upgrade.candidates import generate, merge_costs
from audit.upgrade.evaluate import Evaluator
from audit.upgrade.plan import RESPONSE_KINDS, improve

COSTS = merge_costs(None)
KINDS = {"lock", "topping", "camera-repair", "radio", "reaction-team", "staff-post"}
"""A handful of kinds, so that brute force over every subset stays small."""
_DIR = tempfile.TemporaryDirectory(prefix="improve-")

SMALL = SMALL_SITE


def _doc(text: str, name: str = "site.yaml"):
    path = Path(_DIR.name) / name
    path.write_text(text, encoding="utf-8")
    return read_document(path)


@st.composite
def small_sites(draw):
    data = yaml.safe_load(SMALL)
    data["walls"][0]["topping"]["condition"] = draw(st.sampled_from(["intact", "cut"]))
    data["gates"][1]["locked"] = draw(st.booleans())
    data["cameras"][0]["status"] = draw(st.sampled_from(["working", "faulty"]))
    data["responders"][0]["response_s"] = draw(st.sampled_from([30, 60, 120]))
    data["assets"][0]["task_s"] = draw(st.sampled_from([30, 120, 300]))
    return yaml.safe_dump(data), draw(st.sampled_from([0.3, 0.5, 0.7, 0.9]))


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(small_sites())
def test_the_exact_plan_is_the_cheapest_subset_of_candidates(case):
    text, goal = case
    doc = _doc(text)
    plan = improve(doc, costs=COSTS, goal=goal, max_evaluations=10_000, kinds=KINDS)
    ev = Evaluator(doc, goal=goal, threat_id=None)
    pool = [c for c in generate(ev.site([]), COSTS) if c.kind in KINDS]
    assert len(pool) <= 7
    cheapest = None
    for n in range(len(pool) + 1):
        for subset in itertools.combinations(pool, n):
            cost = round(sum(c.cost for c in subset), 6)
            if (cheapest is None or cost < cheapest) and ev.score(list(subset)).met:
                cheapest = cost
    if cheapest is None:
        assert not plan.goal_met
    else:
        assert plan.goal_met and plan.exact
        assert abs(plan.cost - cheapest) < 1e-6, (
            plan.cost,
            cheapest,
            [s.candidate.id for s in plan.steps],
        )


def test_each_step_is_worth_doing_on_its_own():
    plan = improve(_doc(SMALL), costs=COSTS, goal=0.5, max_evaluations=10_000)
    assert plan.goal_met and plan.steps
    falls = [plan.before.shortfall] + [s.shortfall for s in plan.steps]
    assert all(b <= a + 1e-12 for a, b in zip(falls, falls[1:], strict=False))
    assert plan.steps[-1].cumulative_cost == plan.cost


def test_the_written_plan_meets_the_goal_when_checked_again(tmp_path):
    site = tmp_path / "s.yaml"
    site.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "plan.yaml"
    result = run_cli("improve", str(site), "--goal", "0.5", "--write-plan", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text(encoding="utf-8").startswith(f"# {site} with the upgrades")
    again = run_cli("improve", str(out), "--goal", "0.5", "--format", "json")
    assert again.returncode == 0 and json.loads(again.stdout)["steps"] == []
    paths = json.loads(run_cli("paths", str(out), "--format", "json").stdout)
    assert all(a["p_interruption"] >= 0.5 for a in paths["assets"])


@pytest.mark.parametrize(
    "name",
    [
        "karachi-police-office-remediated",
        "reference-depot",
        "reference-hospital",
        "reference-walled-compound",
    ],
)
@pytest.mark.slow
def test_sites_built_to_the_standards_need_nothing(name):
    from conftest import SITES

    result = run_cli("improve", str(SITES / f"{name}.yaml"), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["steps"] == [] and data["done"] and data["open_findings"] == []
    assert data["measure"] == "P(E)"


def test_budget_and_own_costs(tmp_path):
    site = tmp_path / "s.yaml"
    site.write_text(SMALL, encoding="utf-8")
    capped = json.loads(
        run_cli(
            "improve", str(site), "--goal", "0.9", "--budget", "1000", "--format", "json"
        ).stdout
    )
    assert capped["cost_per_year"] <= 1000
    costs = tmp_path / "costs.yaml"
    costs.write_text(
        "currency: EUR\ncosts: {camera-repair: {capital: 7000, life_years: 7, yearly: 0}}\n"
    )
    own = json.loads(
        run_cli(
            "improve", str(site), "--goal", "0.5", "--costs", str(costs), "--format", "json"
        ).stdout
    )
    assert own["currency"] == "EUR"
    repair = next(c for c in own["candidates"] if c["kind"] == "camera-repair")
    assert repair["cost_per_year"] == 1000.0
    costs.write_text("costs: {camra: {capital: 1}}\n")
    bad = run_cli("improve", str(site), "--costs", str(costs))
    assert bad.returncode == 2 and 'did you mean "camera"' in bad.stderr
    bad = run_cli("improve", str(site), "--costs", str(site))  # a site file, not a costs file
    assert bad.returncode == 2 and 'unknown key "assets"' in bad.stderr
    assert "Traceback" not in bad.stderr


def test_every_kind_has_a_change():
    from audit.upgrade import KINDS as ALL
    from audit.upgrade.candidates import APPLY

    assert set(APPLY) == set(ALL)


def test_plan_output_is_deterministic(tmp_path):
    site = tmp_path / "s.yaml"
    site.write_text(SMALL, encoding="utf-8")
    a = run_cli("improve", str(site), "--goal", "0.7", "--format", "json").stdout
    b = run_cli("improve", str(site), "--goal", "0.7", "--format", "json").stdout
    assert a == b


@pytest.mark.slow
def test_riverside_plan_as_readme_says(tmp_path):
    """The loop on a shipped site: the written plan leaves only the asset the plan says it
    cannot bring to its goal (the boarders, whose route is quicker than any response), and
    closes every other finding at high or above."""
    from conftest import SITES

    out = tmp_path / "plan.yaml"
    site = str(SITES / "riverside-school.yaml")
    result = run_cli("improve", site, "--format", "json", "--write-plan", str(out))
    assert result.returncode == 1  # the boarders stay short of the goal
    data = json.loads(result.stdout)
    after = {a["asset"]: a["after"] for a in data["assets"]}
    assert after["pupils-block-a"] >= 0.7 and after["records"] >= 0.7
    # a topping adds nothing to a fence (MIL-HDBK-1013/1A §4.3.2(2)(b)): the boarders' route
    # stays quicker than the response, which no upgrade on offer changes
    assert round(after["boarders"], 3) == 0.288
    assert not data["goal_met"] and not data["exact"]
    assert [f.split(":")[0] for f in data["open_findings"]] == ["SA-EASI-002 on boarders"]
    assert data["over_budget"] == []
    assert any("SA-LIGHT-002 on river-lights" in s["closes"] for s in data["steps"])
    # the police on standby on site give the response an on-site team would, for far less
    upgrades = {s["upgrade"] for s in data["steps"]}
    assert "responder-standby:police" in upgrades and "reaction-team:team-4" not in upgrades
    check = json.loads(run_cli("check", str(out), "--format", "json").stdout)
    serious = {
        (f["rule"], f["element"])
        for f in check["sites"][0]["findings"]
        if f["severity"] in ("critical", "high") and not f.get("waived")
    }
    assert serious == {("SA-EASI-001", "boarders")}


def test_html_page_has_the_upgrade_plan_section(tmp_path):
    site = tmp_path / "s.yaml"
    site.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "plan.html"
    args = ("improve", str(site), "--goal", "0.5", "--format", "html", "-o", str(out))
    assert run_cli(*args, "--goals-only").returncode == 0
    page = out.read_text(encoding="utf-8")
    assert '<h2 id="plan">Upgrade plan</h2>' in page and "repair camera cam" in page
    assert 'aria-label="Shortfall against cumulative cost"' in page
    assert "closes" not in page and "left open" not in page
    assert run_cli(*args).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert "closes SA-TOP-001 on w" in page and 'left open: <span class="pi-ok">none' in page


def test_findings_no_fix_closes_are_left_open_and_fail_the_run(tmp_path):
    """A finding at or above --fail-on that no rule's fix closes is named, and exit 1."""
    site = tmp_path / "s.yaml"
    site.write_text(SMALL, encoding="utf-8")
    result = run_cli("improve", str(site), "--goal", "0.5", "--kind", "camera", "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1 and data["goal_met"] and not data["done"]
    assert [f.split(":")[0] for f in data["open_findings"]] == ["SA-TOP-001 on w"]
    assert all(s["kind"] == "camera" for s in data["steps"])


@pytest.mark.slow
def test_the_founding_case_plan_passes_check_at_high(tmp_path):
    """The issue's loop on the KPO file, as README quotes it: the plan meets every P(E) goal
    and closes every finding at high or above, and `check` on the written file agrees."""
    from conftest import KPO

    out = tmp_path / "plan.yaml"
    result = run_cli("improve", str(KPO), "--format", "json", "--write-plan", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["done"] and not data["exact"] and data["evaluations"] == 229
    after = {a["asset"]: round(a["after"], 3) for a in data["assets"]}
    assert after == {"chief-office": 0.971, "kpo-staff": 0.92}
    assert len(data["steps"]) == 23 and sum(1 for s in data["steps"] if s["closes"]) == 17
    closed = [f for s in data["steps"] for f in s["closes"]]
    assert len(closed) == len(set(closed))  # one step closes each finding
    assert round(data["cost_per_year"] / 1e6, 2) == 1.72
    check = run_cli("check", str(out), "--fail-on", "high")
    assert check.returncode == 0, check.stdout


def _kpo_plan(*args: str) -> dict:
    result = run_cli("improve", str(KPO_FILE), "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_over_budget_is_not_no_fix_and_no_step_claims_what_stays_open():
    """With a budget, the findings left open are apart: those a rule's fix closes at more than
    the budget leaves (the unbudgeted plan closes them) and those no fix closes; the plan says
    no set within the budget meets every goal, not a lower bound no plan reaches."""
    tight, full = _kpo_plan("--budget", "3000"), _kpo_plan()
    assert tight["budget_exhausted"] and not full["budget_exhausted"]
    assert set(tight["over_budget"]) <= set(tight["open_findings"])
    closed_without_budget = {f for s in full["steps"] for f in s["closes"]}
    for f in tight["open_findings"]:
        name = f.split(":")[0]
        assert (f in tight["over_budget"]) == (name in closed_without_budget), f
    assert len(tight["over_budget"]) == len(tight["open_findings"]) == 12
    claimed = [f for s in tight["steps"] for f in s["closes"]]
    assert len(claimed) == len(set(claimed))
    assert not {f.split(":")[0] for f in tight["open_findings"]} & set(claimed)
    text = run_cli("improve", str(KPO_FILE), "--budget", "3000").stdout
    assert "no set of upgrades within the budget of 3,000 USD a year meets every goal" in text
    assert "no plan costs less than" not in text
    assert "over budget (a rule's fix or the goal search closes them at more than the " in text
    assert "no rule's fix closes them" not in text


@pytest.mark.slow
def test_a_goal_above_what_the_response_can_give_is_reported_with_figures(tmp_path):
    """A goal met only by buying a response force is said to be out of proportion, with what
    the force costs, its share of the plan, and P(E) with every other upgrade but not it."""
    full = _kpo_plan("--write-plan", str(tmp_path / "plan.yaml"))
    first = full["out_of_proportion"][0]
    assert first.startswith("chief-office against outsider-force: the goal 0.9 is met only")
    assert "reaction team of" in first
    team = sum(s["cost_per_year"] for s in full["steps"] if s["kind"] in RESPONSE_KINDS)
    share = round(100 * team / full["cost_per_year"])
    assert f"{team:,.0f} of the plan's {full['cost_per_year']:,.0f} USD a year ({share}%)" in first
    after = next(a["after"] for a in full["assets"] if a["asset"] == "chief-office")
    figures = r"P\(E\) ([\d.]+) with it, ([\d.]+) with every other"
    with_it, without = re.search(figures, first).groups()
    assert float(with_it) == round(after, 3) >= 0.9 > float(without)
    page = run_cli("improve", str(KPO_FILE), "--format", "markdown").stdout
    assert "Goals out of proportion to the site" in page


def test_no_threat_no_proportion_note(tmp_path):
    site = tmp_path / "s.yaml"
    site.write_text(SMALL, encoding="utf-8")
    data = json.loads(run_cli("improve", str(site), "--format", "json").stdout)
    assert data["out_of_proportion"] == [] and data["over_budget"] == []
    assert data["budget_exhausted"] is False


def test_repair_keeps_the_kind_of_topping_that_is_there(tmp_path):
    """A cut barbed-wire topping is repaired as barbed wire, said so, and written so; a wall
    with none gets razor wire."""
    site = tmp_path / "s.yaml"
    site.write_text(SMALL.replace("kind: razor_wire", "kind: barbed_wire"), encoding="utf-8")
    out = tmp_path / "plan.yaml"
    result = run_cli("improve", str(site), "--format", "json", "--write-plan", str(out))
    data = json.loads(result.stdout)
    (step,) = [s for s in data["steps"] if s["kind"] == "topping"]
    assert step["description"] == "repair the barbed wire on w"
    (wall,) = yaml.safe_load(out.read_text(encoding="utf-8"))["walls"]
    assert wall["topping"] == {"kind": "barbed_wire", "condition": "intact"}
    bare = yaml.safe_load(SMALL)
    bare["walls"][0]["topping"] = {"kind": "none"}
    (c,) = [c for c in generate(_site(bare), COSTS) if c.kind == "topping"]
    assert c.description == "add razor wire on w"
    plain = copy.deepcopy(bare)
    c.apply(plain)
    assert plain["walls"][0]["topping"] == {"kind": "razor_wire", "condition": "intact"}


def _site(data: dict):
    return Evaluator(_doc(yaml.safe_dump(data), "bare.yaml"), goal=None, threat_id=None).site([])


def test_today_sets_the_date_waivers_expire_against(tmp_path):
    """improve --today, as check --today: a waiver still running leaves its finding alone; one
    expired by that date makes the plan close it."""
    site = tmp_path / "s.yaml"
    waiver = (
        "waivers:\n  - {rule: SA-TOP-001, element: w, reason: new wall ordered, "
        "owner: ops@example.org, expires: 2026-06-30}\n"
    )
    site.write_text(SMALL + waiver, encoding="utf-8")

    def closes(day: str) -> set[str]:
        args = ("improve", str(site), "--goal", "0.5", "--format", "json", "--today", day)
        data = json.loads(run_cli(*args).stdout)
        return {f for s in data["steps"] for f in s["closes"]}

    assert "SA-TOP-001 on w" not in closes("2026-06-01")
    assert "SA-TOP-001 on w" in closes("2026-07-01")
    bad = run_cli("improve", str(site), "--today", "someday")
    assert bad.returncode == 2 and "--today" in bad.stderr


def test_repair_of_a_topping_whose_kind_is_not_recorded_keeps_it_unrecorded():
    data = yaml.safe_load(SMALL)
    data["walls"][0]["topping"] = {"condition": "cut"}
    (c,) = [c for c in generate(_site(data), COSTS) if c.kind == "topping"]
    assert c.description == "repair the topping on w"
    c.apply(data)
    assert data["walls"][0]["topping"] == {"condition": "intact"}
