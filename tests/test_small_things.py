"""The smaller faults of issue 26, each as a test that failed before: the -q table and
--strict, --baseline output, plurals, a sparkline of zeros, "did you mean" for a day spelt
out, exit 141 under PYTHONUNBUFFERED, README's first-site walkthrough and config example."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from conftest import KPO, ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _starter(tmp_path):
    assert run_cli("init", str(tmp_path / "site.yaml")).returncode == 0
    return tmp_path / "site.yaml"


def test_quiet_table_counts_facts_to_survey_and_starts_with_its_header(tmp_path):
    site = _starter(tmp_path)
    strict = run_cli("check", str(site), "--strict", "-q", "--ignore", "SA-ROOF-*,SA-ASSESS-*")
    gaps = json.loads(run_cli("check", str(site), "--format", "json").stdout)["sites"][0]
    n = sum(1 for f in gaps["findings"] if f["category"] == "data-gap")
    assert n >= 1
    assert strict.returncode == 1  # --strict: the facts to survey fail the run
    head, row, total = strict.stdout.splitlines()
    assert head.startswith("site file") and "gaps" in head.split()
    assert row.split()[7] == str(n)  # the column --strict fails on
    assert total.endswith(f"; {n} {'fact' if n == 1 else 'facts'} to survey")


def test_one_fact_is_singular(tmp_path):
    site = _starter(tmp_path)
    out = run_cli("check", str(site), "--ignore", "SA-POWER-*,SA-TAMPER-*").stdout
    assert "(1 fact to survey)" in out and "1 facts" not in out


def test_baseline_shows_the_new_findings_in_full_and_counts_the_rest(tmp_path):
    base = tmp_path / "b.json"
    run_cli("check", str(KPO), "--write-baseline", str(base), "--ignore", "SA-TOP-*")
    out = run_cli("check", str(KPO), "--baseline", str(base)).stdout
    assert "unchanged since the baseline (accepted; not shown); 1 new, below" in out
    shown = [ln for ln in out.splitlines() if re.match(r"  \S+:\d+:\d+  SA-", ln)]
    assert len(shown) == 1 and "SA-TOP-001" in shown[0] and shown[0].endswith("NEW")


def test_a_sparkline_of_zeros_is_not_blank():
    from audit.report.views.path_report import sparkline

    line = sparkline([0.0] * 24)
    assert line.strip() and len(line) == 24
    assert sparkline([0.0, 1.0])[0] != sparkline([0.0, 1.0])[1]


def test_a_day_spelt_out_gets_did_you_mean(tmp_path):
    site = _starter(tmp_path)
    text = site.read_text(encoding="utf-8")
    site.write_text(
        text.replace("guards: 1, armed: true}", "guards: 1, armed: true, days: [saturday]}", 1),
        encoding="utf-8",
    )
    result = run_cli("validate", str(site))
    assert result.returncode == 2
    assert '(did you mean "sat"?); got "saturday"' in result.stderr


def _piped(*args: str) -> int:
    """Run siteaudit with PYTHONUNBUFFERED=1, read 10 bytes of its output and go away."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    p = subprocess.Popen(
        [sys.executable, "-m", "audit", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    assert p.stdout is not None
    p.stdout.read(10)
    p.stdout.close()
    return p.wait()


def test_a_reader_that_goes_away_gives_141_even_unbuffered():
    assert _piped("check", str(KPO), "--format", "html") == 141
    assert _piped("schema") == 141


def test_readme_first_site_walkthrough_names_what_the_starter_finds(tmp_path):
    site = _starter(tmp_path)
    data = json.loads(run_cli("check", str(site), "--format", "json").stdout)["sites"][0]
    found = {f["rule"] for f in data["findings"]}
    para = README.split("The starter already shows", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r"`(SA-[A-Z]+-\d{3})`", para)) == found


def test_readme_config_select_keeps_the_checklist_it_adds(tmp_path):
    from audit.app.config import load_config
    from audit.rules.checklist import load_rules, select_rules

    (block,) = re.findall(r"```toml\n(\[tool.siteaudit\].*?)```", README, flags=re.S)
    (acme,) = [b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if "ACME-" in b]
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "acme.yaml").write_text(acme, encoding="utf-8")
    (tmp_path / "siteaudit.toml").write_text(block, encoding="utf-8")
    cfg = load_config(tmp_path / "siteaudit.toml")
    known = load_rules([str(tmp_path / "checklists" / "acme.yaml")])
    chosen = {r.id for r in select_rules(known, cfg.select, cfg.ignore)}
    assert {r.id for r in known if r.id.startswith("ACME-")} <= chosen


def test_select_that_leaves_out_an_added_checklist_warns(tmp_path):
    site = _starter(tmp_path)
    (acme,) = [b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if "ACME-" in b]
    (tmp_path / "acme.yaml").write_text(acme, encoding="utf-8")
    args = ("check", str(site), "--checklist", str(tmp_path / "acme.yaml"), "-q")
    left_out = run_cli(*args, "--select", "SA-*")
    assert "warning: select leaves out all 1 rule(s) of" in left_out.stderr
    assert "add ACME-* to select" in left_out.stderr
    kept = run_cli(*args, "--select", "SA-*", "--select", "ACME-*")
    assert "warning" not in kept.stderr


def test_validate_shows_unknown_ids_with_schema_errors_at_once(tmp_path):
    site = _starter(tmp_path)
    text = site.read_text(encoding="utf-8")
    bad = text.replace("kind: public", "kind: publik", 1).replace(
        "between: [street, yard]", "between: [streat, yard]", 1
    )
    assert bad.count("publik") == 1 and "streat" in bad
    site.write_text(bad, encoding="utf-8")
    err = run_cli("validate", str(site)).stderr
    assert '(did you mean "public"?); got "publik"' in err
    assert 'names "streat", which does not exist (did you mean "street"?)' in err


def test_the_quick_subset_leaves_out_browsers_property_tests_and_marked_ones():
    def collected(*args: str) -> set[str]:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        return {ln for ln in result.stdout.splitlines() if "::" in ln}

    files = ("tests/test_reports.py", "tests/test_search.py", "tests/test_improve.py")
    slow, everything = collected("-m", "slow", *files), collected(*files)
    assert slow and slow < everything
    assert any("test_html_renders_in_headless_chromium" in t for t in slow)  # Chromium
    assert any("test_search.py" in t for t in slow)  # hypothesis
    assert any("test_the_founding_case_plan_passes_check_at_high" in t for t in slow)
    assert not any("test_sarif_validates" in t for t in slow)
    assert 'python -m pytest -q -m "not slow"' in README
