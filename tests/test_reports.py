"""Report formats: HTML in real Chromium, Markdown, SARIF against the official schema, JUnit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import axe_path, launch
from conftest import KPO, KPO_FIXED, ROOT, SHARED, SITES, SMALL_SITE, run_cli

from audit.report import FORMATS

SCHOOL = SITES / "riverside-school.yaml"
TODAY = ("--today", "2026-11-25")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _report(fmt: str, *files: Path, out: Path | None = None) -> str:
    args = ["check", *map(str, files), "--format", fmt, *TODAY]
    if out is not None:
        args += ["-o", str(out)]
    result = run_cli(*args)
    assert result.returncode in (0, 1), result.stderr
    return out.read_text(encoding="utf-8") if out is not None else result.stdout


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.slow
def test_every_format_is_byte_identical_across_runs(fmt, tmp_path):
    a = _report(fmt, KPO, SCHOOL, out=tmp_path / "a")
    b = _report(fmt, KPO, SCHOOL, out=tmp_path / "b")
    assert a == b and len(a) > 200


# --- SARIF -----------------------------------------------------------------


def _sarif(*files: Path) -> dict:
    return json.loads(_report("sarif", *files))


def test_sarif_validates_against_official_schema():
    schema_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.exists():
        pytest.skip(f"official SARIF schema not found at {schema_path}")
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    for files in ((KPO,), (SCHOOL,), (KPO, KPO_FIXED, SCHOOL)):
        doc = _sarif(*files)
        errors = sorted(validator.iter_errors(doc), key=str)
        assert not errors, errors[0]


def test_sarif_has_what_code_scanning_needs():
    doc = _sarif(KPO)
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    for r in rules.values():
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["help"]["text"]
        assert 0.1 <= float(r["properties"]["security-severity"]) <= 10.0
    assert rules["SA-CP-001"]["properties"]["security-severity"] == "9.5"
    for res in run["results"]:
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "sites/karachi-police-office.yaml"
        assert loc["region"]["startLine"] >= 1
        assert res["level"] in ("error", "warning", "note")
        assert len(res["partialFingerprints"]["siteaudit/v1"]) == 16
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]


def test_sarif_code_flow_is_the_most_vulnerable_path():
    run = _sarif(KPO)["runs"][0]
    easi = next(
        r
        for r in run["results"]
        if r["ruleId"] == "SA-EASI-001" and r["properties"]["element"] == "chief-office"
    )
    steps = easi["codeFlows"][0]["threadFlows"][0]["locations"]
    names = [s["location"]["logicalLocations"][0]["name"] for s in steps]
    assert names[0] == "lines-road" and "rear-wall" in names
    assert names[-2:] == ["chief-suite", "chief-office"]
    assert all(s["location"]["physicalLocation"]["region"]["startLine"] >= 1 for s in steps)


def test_sarif_waivers_are_suppressions():
    run = _sarif(SCHOOL)["runs"][0]
    waived = [r for r in run["results"] if "suppressions" in r]
    assert [r["ruleId"] for r in waived] == ["SA-VANT-001"]
    sup = waived[0]["suppressions"][0]
    assert sup["kind"] == "inSource" and "Blinds fitted" in sup["justification"]


def test_sarif_fingerprints_survive_moved_lines(tmp_path):
    moved = tmp_path / "kpo.yaml"
    moved.write_text("\n\n# moved\n" + KPO.read_text(encoding="utf-8"), encoding="utf-8")
    fa = {r["partialFingerprints"]["siteaudit/v1"] for r in _sarif(KPO)["runs"][0]["results"]}
    fb = {r["partialFingerprints"]["siteaudit/v1"] for r in _sarif(moved)["runs"][0]["results"]}
    assert fa == fb


# --- JUnit -----------------------------------------------------------------


def test_junit_parses_with_junitparser(tmp_path):
    from junitparser import Failure, JUnitXml

    out = tmp_path / "report.xml"
    _report("junit", KPO, KPO_FIXED, out=out)
    xml = JUnitXml.fromfile(str(out))
    suites = list(xml)
    assert [s.name for s in suites] == [str(KPO), str(KPO_FIXED)]
    kpo, fixed = suites
    from audit.rules.checklist import load_rules

    assert kpo.tests == fixed.tests == len(load_rules([]))
    assert kpo.failures > 0 and fixed.failures == 0
    case = next(c for c in kpo if c.name.startswith("SA-TOP-001"))
    failure = next(r for r in case.result if isinstance(r, Failure))
    assert f"{KPO}:" in failure.text and "rear-wall" in failure.text
    assert "fix: Repair or replace the topping" in failure.text


# --- Markdown --------------------------------------------------------------


def test_markdown_has_summary_tables_and_findings():
    md = _report("markdown", KPO, SCHOOL)
    assert md.startswith("# Physical security lapse report")
    assert "| critical | high | medium | low | info | waived | worst P(I) |" in md
    assert "### Checkpoint staffing" in md and "`cp-chief-1`" in md
    assert "### Waived findings" in md and "bursar@riverside.example" in md
    assert "<svg" not in md


# --- HTML ------------------------------------------------------------------


def test_html_is_self_contained():
    html = _report("html", KPO, SCHOOL)
    assert "<script" not in html.lower()
    for needle in ('src="http', "src='http", 'href="http', "@import", "url("):
        assert needle not in html
    assert html.count("<svg") >= 4
    assert "The three worst lapses" in html and "Waived findings" in html


_launch = launch


def test_html_renders_in_headless_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    report = tmp_path / "kpo.html"
    _report("html", KPO, out=report)
    console, requests, failures = [], [], []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = _launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: console.append(m) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: failures.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        assert page.title().startswith("siteaudit lapse report")
        assert page.locator("svg").count() >= 4
        assert page.locator("text=The three worst lapses").count() == 1
        diagram = page.locator(".diagram svg").bounding_box()
        assert diagram["width"] > 400 and diagram["height"] > 150
        page.screenshot(path=str(ARTIFACTS / "kpo-report.png"), full_page=False)
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
        (ARTIFACTS / "kpo-report.pdf").write_bytes(pdf)
        browser.close()
    assert not failures, failures
    assert not [m.text for m in console], [m.text for m in console]
    assert requests == [report.as_uri()], requests
    assert (ARTIFACTS / "kpo-report.png").stat().st_size > 10_000
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_readme_screenshot_exists():
    assert (ROOT / "docs" / "report.png").stat().st_size > 10_000


def test_several_reports_in_one_run(tmp_path):
    sarif, html, junit = tmp_path / "a.sarif", tmp_path / "a.html", tmp_path / "a.xml"
    result = run_cli(
        "check",
        str(KPO),
        *TODAY,
        "--report",
        f"sarif={sarif}",
        "--report",
        f"html={html}",
        "--report",
        f"junit={junit}",
    )
    assert result.returncode == 1 and "SA-TOP-001" in result.stdout
    assert sarif.read_text() == _report("sarif", KPO)
    assert html.read_text() == _report("html", KPO)
    assert junit.read_text() == _report("junit", KPO)
    bad = run_cli("check", str(KPO), "--report", "pdf=x.pdf")
    assert bad.returncode == 2 and "FORMAT=FILE" in bad.stderr


_axe = axe_path


@pytest.mark.parametrize("site", [KPO, KPO_FIXED], ids=["kpo", "remediated"])
def test_html_has_no_serious_accessibility_violation(tmp_path, site):
    """axe-core, the engine behind most accessibility checkers, run in Debian's Chromium."""
    from playwright.sync_api import sync_playwright

    axe = _axe()
    report = tmp_path / "report.html"
    _report("html", site, out=report)
    with sync_playwright() as p:
        browser = _launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(report.as_uri())
        page.add_script_tag(path=str(axe))
        result = page.evaluate("async () => await axe.run(document)")
        browser.close()
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad


# --- CI formats: GitHub annotations, GitLab Code Quality ----------------------


def test_github_annotations_one_per_finding():
    out = _report("github", KPO)
    data = json.loads(_report("json", KPO))
    active = [f for f in data["sites"][0]["findings"] if not f["waived"]]
    lines = out.splitlines()
    assert len(lines) == len(active)
    top = next(ln for ln in lines if "SA-TOP-001" in ln)
    line, col = next((f["line"], f["column"]) for f in active if f["rule"] == "SA-TOP-001")
    assert top.startswith(f"::error file=sites/karachi-police-office.yaml,line={line},col={col},")
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)


def test_github_annotations_escape_newlines_and_commands():
    from audit.report.formats.github import _command

    cmd = _command("error", "a,b:c.yaml", 1, 1, "t: x", "line one\n::error::forged\r100%")
    assert "\n" not in cmd and "\r" not in cmd
    assert (
        cmd == "::error file=a%2Cb%3Ac.yaml,line=1,col=1,title=t%3A x::"
        "line one%0A::error::forged%0D100%25"
    )


def test_gitlab_code_quality():
    issues = json.loads(_report("gitlab", KPO))
    data = json.loads(_report("json", KPO))
    assert len(issues) == len([f for f in data["sites"][0]["findings"] if not f["waived"]])
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for i in issues:
        assert i["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert i["location"]["path"] == "sites/karachi-police-office.yaml"
        assert i["location"]["lines"]["begin"] >= 1
        assert i["description"] and i["check_name"].startswith("SA-")


def test_sarif_has_information_uri_and_caps_results(monkeypatch):
    from audit.report.formats import sarif

    doc = json.loads(_report("sarif", KPO))
    assert doc["runs"][0]["tool"]["driver"]["informationUri"].startswith("https://")
    monkeypatch.setattr(sarif, "MAX_RESULTS", 5)
    from audit.app.run import audit_file
    from audit.rules.checklist import load_rules

    result = audit_file(KPO, load_rules([]))
    capped = json.loads(sarif.render([result]))
    run = capped["runs"][0]
    assert len(run["results"]) == 5
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith(f"{len(result.findings) - 5} more results")


def test_html_tables_repeat_headers_and_diagram_takes_focus():
    html = _report("html", KPO)
    assert html.count("<thead>") >= 2
    assert '<div class="diagram" tabindex="0" role="region"' in html


def test_check_plan_puts_the_measured_plan_in_the_reports(tmp_path):
    """--plan replaces the three worst lapses with the upgrade plan (HTML, Markdown, JSON), the
    same plan improve gives, and the page stays accessible."""
    from playwright.sync_api import sync_playwright

    site = tmp_path / "s.yaml"
    site.write_text(SMALL_SITE, encoding="utf-8")
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    result = run_cli(
        "check", str(site), *TODAY, "--plan", "--format", "json",
        "--report", f"html={html}", "--report", f"markdown={md}",
    )  # fmt: skip
    assert result.returncode == 1
    plan = json.loads(result.stdout)["sites"][0]["plan"]
    alone = json.loads(run_cli("improve", str(site), "--format", "json").stdout)
    assert plan == alone and plan["goal_met"] and plan["open_findings"] == []
    page_text = html.read_text(encoding="utf-8")
    assert "<h3>Upgrade plan</h3>" in page_text and "The three worst lapses" not in page_text
    assert "closes SA-TOP-001 on w" in page_text
    assert "### Upgrade plan" in md.read_text(encoding="utf-8")
    plain = run_cli("check", str(site), *TODAY, "--format", "html").stdout
    assert "The three worst lapses" in plain and "Upgrade plan" not in plain
    axe = _axe()
    with sync_playwright() as p:
        browser = _launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(html.as_uri())
        page.add_script_tag(path=str(axe))
        violations = page.evaluate("async () => await axe.run(document)")["violations"]
        browser.close()
    assert not [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("site", sorted(SITES.glob("*.yaml")), ids=lambda p: p.stem)
def test_site_diagram_fits_the_page_and_labels_do_not_overlap(tmp_path, site):
    """Real Chromium: the layered diagram wraps into bands to fit a page's width, and no
    two of its labels (zone names, kinds, element ids, lapse counts) overlap."""
    from playwright.sync_api import sync_playwright

    html = tmp_path / "r.html"
    run_cli("check", str(site), "--format", "html", "-o", str(html))
    with sync_playwright() as p:
        browser = _launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(html.as_uri())
        frame = page.locator(".diagram").bounding_box()
        drawing = page.locator(".diagram svg").bounding_box()
        boxes = page.eval_on_selector_all(
            ".diagram svg text",
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.textContent, r.x, r.y, r.width, r.height]; })",
        )
        browser.close()
    assert drawing["x"] + drawing["width"] <= frame["x"] + frame["width"]
    assert drawing["width"] <= 1000 and len(boxes) > 5
    overlaps = [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and a[2] < b[2] + b[4] and b[2] < a[2] + a[4]
    ]
    assert not overlaps, overlaps
