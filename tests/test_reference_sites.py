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
