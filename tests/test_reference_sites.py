"""Reference sites written from the standards: no high or critical finding, every asset at goal.

A rule that fires on one of these strikes out a well-built site: fix the rule
(generally, from the standard), never the site.
"""

from __future__ import annotations

import json

import pytest
from conftest import SITES, run_cli

REFERENCE = sorted(SITES.glob("reference-*.yaml"))


def test_there_are_reference_sites():
    assert len(REFERENCE) >= 1


@pytest.mark.parametrize("site", REFERENCE, ids=lambda p: p.stem)
def test_reference_site_is_clean_at_high_and_critical(site):
    result = run_cli("check", str(site), "--format", "json", "--today", "2026-11-26")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    findings = json.loads(result.stdout)["sites"][0]["findings"]
    loud = [
        (f["rule"], f["element"], f["message"])
        for f in findings
        if f["severity"] in ("critical", "high") and not f["waived"]
    ]
    assert loud == []


@pytest.mark.parametrize("site", REFERENCE, ids=lambda p: p.stem)
def test_reference_site_meets_every_goal(site):
    result = run_cli("paths", str(site), "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 0
    assert data["assets"]
    for asset in data["assets"]:
        assert asset["path"], asset["asset"]  # a real path was judged, not "unknown"
        assert asset["p_interruption"] >= data["goal_p_interruption"], asset["asset"]


def _load(path):
    from audit.site.load import load_site

    return load_site(path)


def test_one_reference_site_has_no_guard_and_alarms_to_the_police():
    """Remote monitoring is detection: a site with no guard, no checkpoint and no station on
    site, whose alarms go through a receiving centre to the police, still meets its goals."""
    remote = [
        p.stem
        for p in REFERENCE
        if not (s := _load(p)).checkpoints
        and not s.stations
        and any(
            {r.kind for r in route.relays} >= {"receiving_centre", "dispatch"}
            for route in s.alarm_routes
        )
    ]
    assert remote, "no reference site without a guard whose alarms go to a remote centre"


def test_one_reference_site_has_a_public_entrance():
    assert any(g.public_hours for p in REFERENCE for g in _load(p).gates)
