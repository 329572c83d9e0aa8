"""`siteaudit paths`: the founding case by the hour, and P(I) recomputed from the graph export."""

from __future__ import annotations

import json
import math

import pytest
from conftest import KPO, KPO_FIXED, SITES, run_cli


def _paths(*args: str) -> dict:
    result = run_cli("paths", *args, "--format", "json")
    data = json.loads(result.stdout)
    below = any(a["p_interruption"] < data["goal_p_interruption"] for a in data["assets"])
    assert result.returncode == (1 if below else 0), result.stderr
    return data


def _asset(data: dict, asset: str) -> dict:
    return next(a for a in data["assets"] if a["asset"] == asset)


def test_kpo_at_1900_worst_path_goes_over_the_rear_wall():
    chief = _asset(_paths(str(KPO), "--at", "19:00"), "chief-office")
    elements = [s["element"] for s in chief["path"]]
    assert "rear-wall" in elements and "main-gate" not in elements
    assert chief["p_interruption"] < 0.1
    assert chief["at"].endswith("19:00")
    # the armed guards at the main gate are the first responders: 10 s to react plus the walk
    assert chief["responder"] == "cp-main-gate"
    assert any("response takes 167 s" in r for r in chief["reasons"])
    assert chief["exact"] is True


def test_kpo_remediated_is_high():
    chief = _asset(_paths(str(KPO_FIXED), "--at", "19:00"), "chief-office")
    assert chief["p_interruption"] > 0.9
    assert chief["critical_detection_point"] is not None


def test_json_contract_and_profile():
    data = _paths(str(KPO), "--asset", "chief-office")
    assert [a["asset"] for a in data["assets"]] == ["chief-office"]
    a = data["assets"][0]
    assert {
        "asset",
        "zone",
        "p_interruption",
        "at",
        "path",
        "critical_detection_point",
        "profile",
    } <= set(a)
    assert {"element", "kind", "p_detect", "delay_s"} <= set(a["path"][0])
    assert len(a["profile"]) == 96
    assert a["profile"][0]["at"] == "00:00" and a["profile"][-1]["at"] == "23:45"
    assert min(p["p_interruption"] for p in a["profile"]) == a["p_interruption"]


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _points(s: dict) -> list[dict]:
    """An element detected at several points, as EASI sub-steps (README: detection points)."""
    points = dict(x.split(":") for x in s["points"].split(",")) if s.get("points") else {}
    points = {x: float(p) for x, p in points.items() if float(p) > 0}
    if len(points) <= 1:
        return [s]
    t, sd = s["delay_s"], s["delay_sd_s"]
    return [
        {"p_detect": points.get("B", 0.0), "delay_s": t / 2, "delay_sd_s": sd * 3**0.5 / 2,
         "detect_at": "B"},
        {"p_detect": points.get("M", 0.0), "delay_s": t / 2, "delay_sd_s": sd / 2,
         "detect_at": "B"},
        {"p_detect": points.get("E", 0.0), "delay_s": 0.0, "delay_sd_s": 0.0, "detect_at": "E"},
    ]  # fmt: skip


def _recompute(graph: dict, start: str, element_ids: list[str], asset: str) -> float:
    """EASI written out again from the model's statement, reading only the graph export."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    edges = {(e["source"], e["target"], e["key"]): e for e in graph["edges"]}
    g = graph["graph"]
    task = next(a for a in g["assets"] if a["asset"] == asset)
    steps, here = [], start
    assert element_ids[-1] == asset, "the task is the last element"
    for i in range(0, len(element_ids) - 1, 2):
        edge_id, zone = element_ids[i], element_ids[i + 1]
        steps += [edges[(here, zone, edge_id)], nodes[zone]]
        here = zone
    steps.append(
        {
            "p_detect": task["task_p_detect"],
            "delay_s": task["task_s"],
            "delay_sd_s": task["task_sd_s"],
            "detect_at": task["task_detect_at"],
            "points": task["task_points"],
        }
    )
    w = {"B": 1.0, "M": 0.5, "E": 0.0}
    steps = [part for s in steps for part in _points(s)]
    total, miss = 0.0, 1.0
    for i, s in enumerate(steps):
        rest = steps[i + 1 :]
        t_i = w[s["detect_at"]] * s["delay_s"] + sum(r["delay_s"] for r in rest)
        var = (w[s["detect_at"]] * s["delay_sd_s"]) ** 2 + sum(r["delay_sd_s"] ** 2 for r in rest)
        rft, rft_sd = task["response_s"], task["response_sd_s"]
        if rft is None:
            return 0.0
        denom = math.sqrt(rft_sd**2 + var)
        pr = _phi((t_i - rft) / denom) if denom else float(t_i >= rft)
        total += pr * s["p_detect"] * miss
        miss *= 1.0 - s["p_detect"]
    return g["p_comm"] * total


@pytest.mark.parametrize(
    "site", [KPO, KPO_FIXED, SITES / "riverside-school.yaml"], ids=lambda p: p.stem
)
@pytest.mark.parametrize("moment", ["fri 19:00", "tue 10:30", "sun 03:15"])
def test_p_interruption_recomputed_from_graph_export(site, moment):
    report = _paths(str(site), "--at", moment)
    export = run_cli("graph", str(site), "--format", "json", "--at", moment)
    assert export.returncode == 0, export.stderr
    graph = json.loads(export.stdout)
    assert graph["graph"]["at"] == moment
    for a in report["assets"]:
        assert a["at"] == moment
        ids = [s["element"] for s in a["path"]]
        value = _recompute(graph, a["start"], ids, a["asset"])
        assert math.isclose(value, a["p_interruption"], abs_tol=5e-6), (a["asset"], value)


def test_text_report_is_readable():
    result = run_cli("paths", str(KPO), "--at", "19:00", "--asset", "chief-office")
    out = result.stdout
    assert "worst P(I) = 0.000" in out and "rear-wall" in out and "why:" in out
    assert "BELOW GOAL" in out


def test_unknown_asset_is_usage_error():
    result = run_cli("paths", str(KPO), "--asset", "chief-ofice")
    assert result.returncode == 2 and 'did you mean "chief-office"' in result.stderr


def test_paths_output_is_deterministic():
    a = run_cli("paths", str(KPO), "--format", "json").stdout
    b = run_cli("paths", str(KPO), "--format", "json").stdout
    assert a == b


def test_asset_in_public_zone_and_unreachable_asset(write_site):
    path = write_site(
        """\
        site: {id: t, name: T}
        zones: [{id: road, kind: public}, {id: room, kind: room}, {id: vault, kind: room}]
        gates: [{id: d, kind: door, between: [road, room]}]
        responders: [{id: p, response_s: 60}]
        assets: [{id: kiosk, zone: road}, {id: gold, zone: vault}]
        """
    )
    data = _paths(str(path))
    kiosk, gold = _asset(data, "kiosk"), _asset(data, "gold")
    assert kiosk["p_interruption"] == 0.0 and "public zone" in kiosk["reasons"][0]
    assert gold["path"] == [] and "no recorded way leads" in gold["reasons"][0]
    check = run_cli("check", str(path), "--select", "SA-EASI-001", "--format", "json")
    found = {f["element"]: f["category"] for f in json.loads(check.stdout)["sites"][0]["findings"]}
    assert found == {"kiosk": "low-interruption", "gold": "data-gap"}


@pytest.mark.parametrize("kind", ["weak", "secure", "campus", "campus-secure"])
def test_generated_estates_are_exact_on_every_asset(tmp_path, kind):
    """Regression: the 1,000-zone secure estate was bounded on every asset (tied undetected
    wanders filled the work cap); every generator, meshed or not, is now exact throughout."""
    import sys

    import yaml

    from audit.analysis.paths import analyse
    from audit.site.load import load_site

    sys.path.insert(0, str(SITES.parent / "bench"))
    from generate import generate_site

    data = generate_site(400, seed=7, secure="secure" in kind, campus="campus" in kind)
    path = tmp_path / "estate.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = analyse(load_site(path))
    assert len(result.assets) >= 10
    assert all(a.exact for a in result.assets), [a.method for a in result.assets if not a.exact]


def test_a_week_bounded_elsewhere_never_reads_exact():
    """The worst slot's search was exact but another slot's stopped at its budget: the
    asset is bounded, and its method says where and how (an independent review found
    'exact: false' beside 'exact: Pareto labels' on a 1,000-zone mesh)."""
    from audit.analysis.asset_paths import _method, lower_bound
    from audit.analysis.search import METHODS, Result

    exact = Result(0.4, ["a", "e", "b"], METHODS["variance"], True, 1, 1)
    bounded = Result(0.5, ["a", "f", "b"], METHODS["found"], False, 1, 1, lower=0.1)
    per_slot = {3: exact, 7: bounded}
    lower = lower_bound(per_slot.values())
    assert lower == 0.1
    method = _method(per_slot, 3, lower)
    assert method.startswith("bounded:") and "mon 01:45" in method and "exact:" in method
    assert _method({3: exact}, 3, None) == METHODS["variance"]
