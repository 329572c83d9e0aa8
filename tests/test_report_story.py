"""One story per asset: the summary of a report, its SA-EASI-001 finding and its figures tell
the same path with the same figures, and each figure says which threat (or none) it is for."""

from __future__ import annotations

import json
import re

from conftest import KPO, SITES, run_cli

TODAY = ("--today", "2026-11-25")


def _out(fmt: str, site) -> str:
    result = run_cli("check", str(site), "--format", fmt, *TODAY)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def test_summary_tells_the_worst_assets_finding_against_its_threat():
    data = json.loads(_out("json", KPO))["sites"][0]
    easi = {f["element"]: f for f in data["findings"] if f["rule"] == "SA-EASI-001"}
    md = _out("markdown", KPO)
    lead = next(ln for ln in md.splitlines() if "most vulnerable path to" in ln)
    threat = re.search(r"Against the declared threat \*\*(.+?)\*\*", lead).group(1)
    route = re.search(r"lowest [^:]+: `(.+?)`\.$", lead).group(1)
    worst = min(easi.values(), key=lambda f: (f["details"]["p_effectiveness"], f["element"]))
    assert threat == worst["details"]["threat"]
    assert route == worst["details"]["route"]
    assert f"P(E) {worst['details']['p_effectiveness']:.3f}" in lead
    bullets = md.split(lead, 1)[1].split("\n\n", 2)[1].splitlines()
    said = "; ".join(b[2:].replace("\\_", "_") for b in bullets)
    assert said == worst["evidence"]  # the same seconds, the same critical detection point
    html = _out("html", KPO)
    assert f"Against the declared threat <b>{threat}</b>" in html
    assert f"worst P(E): {worst['element']}, all day, against {threat}" in html


def test_every_figure_says_which_threat_or_none():
    html = _out("html", KPO)
    assert "<h3>Probability of interruption by hour, no threat (base delays)</h3>" in html
    assert "<h3>System effectiveness against outsider-force</h3>" in html
    assert "most vulnerable path to chief-office, against outsider-force</span>" in html
    plain = _out("markdown", SITES / "riverside-school.yaml")
    assert "With no threat declared (base delays), the most vulnerable path to" in plain
    assert "### Probability of interruption by hour (worst day), no threat" in plain
    assert "against" not in plain.split("### Findings")[0]
