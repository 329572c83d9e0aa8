"""CLI conventions shared with ruff and bandit: colour, stdin, -q, summaries, one --at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import KPO, KPO_FIXED, ROOT, run_cli

TODAY = ("--today", "2026-11-26")


def _run(*args: str, env: dict | None = None, stdin: bytes | None = None, cwd: Path = ROOT):
    return subprocess.run(
        [sys.executable, "-m", "audit", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        input=stdin,
    )


@pytest.mark.parametrize(
    "args, env, coloured",
    [
        ([], {}, False),  # a pipe
        (["--color", "always"], {}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
    ids=["pipe", "always", "never-wins", "force", "no-color-wins"],
)
def test_colour(args, env, coloured):
    proc = _run("check", str(KPO), *TODAY, *args, env={"NO_COLOR": "", **env})
    assert (b"\x1b[" in proc.stdout) is coloured


def test_site_from_stdin_matches_the_file():
    from_file = _run("check", str(KPO), *TODAY, "--format", "json")
    piped = _run("check", "-", *TODAY, "--format", "json", stdin=KPO.read_bytes())
    assert piped.returncode == from_file.returncode == 1
    a, b = json.loads(from_file.stdout), json.loads(piped.stdout)
    assert a["sites"][0]["summary"] == b["sites"][0]["summary"]
    assert b["sites"][0]["file"] == "<stdin>"
    ok = _run("validate", "-", stdin=KPO.read_bytes())
    assert ok.returncode == 0 and ok.stdout.startswith(b"<stdin>: OK")


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(KPO)],
        ["graph", str(KPO)],
        ["paths", str(KPO_FIXED)],
        ["schema"],
        ["rules"],
        ["explain", "SA-TOP-001"],
        ["diff", str(KPO), str(KPO)],
    ],
    ids=lambda a: a[0],
)
def test_quiet_on_every_command(args):
    loud = _run(*args)
    quiet = _run(*args, "-q")
    assert quiet.returncode == loud.returncode
    assert len(quiet.stdout) <= len(loud.stdout)
    assert quiet.stderr == b""


@pytest.mark.parametrize(
    "args, words",
    [
        (
            ["check", str(KPO), *TODAY],
            "20 findings (5 critical, 13 high, 2 medium), 6 facts to survey",
        ),
        (["paths", str(KPO)], "asset(s)"),
        (["graph", str(KPO)], "zones"),
        (["schema"], "JSON Schema"),
        (["diff", str(KPO), str(KPO_FIXED)], "added"),
    ],
    ids=lambda a: a[0] if isinstance(a, list) else "",
)
def test_output_file_gives_a_one_line_summary(tmp_path, args, words):
    out = tmp_path / "out"
    proc = _run(*args, "-o", str(out))
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"wrote {out}: ") and words in lines[0]
    assert _run(*args, "-o", str(out), "-q").stderr == b""


def test_paths_fails_below_goal():
    assert run_cli("paths", str(KPO)).returncode == 1
    assert run_cli("paths", str(KPO), "--fail-on", "never").returncode == 0
    assert run_cli("paths", str(KPO_FIXED)).returncode == 0


def test_bare_time_means_the_worst_day_in_graph_as_in_paths():
    proc = run_cli("graph", str(KPO), "--at", "19:00")
    graph = json.loads(proc.stdout)["graph"]
    paths = json.loads(run_cli("paths", str(KPO), "--at", "19:00", "--format", "json").stdout)
    worst = min(paths["assets"], key=lambda a: (a["p_interruption"], a["at"]))
    assert graph["at"] == worst["at"]


def test_a_shift_from_and_to_the_same_time_must_say_24_hours(write_site):
    text = """\
        site: {id: x, name: X}
        zones: [{id: a, kind: public}, {id: b, kind: compound}]
        gates: [{id: g, kind: door, between: [a, b]}]
        checkpoints: [{id: c, at: g, shifts: [{from: "08:00", to: "08:00", guards: 1%s}]}]
        """
    bad = run_cli("validate", str(write_site(text % "")))
    assert bad.returncode == 2
    assert 'hours start and end at "08:00"; for 24 hours add "hours: 24"' in bad.stderr
    assert run_cli("validate", str(write_site(text % ", hours: 24"))).returncode == 0
    wrong = run_cli(
        "validate",
        str(write_site(text.replace('"08:00", guards', '"16:00", guards') % ", hours: 24")),
    )
    assert wrong.returncode == 2 and "does not match 08:00-16:00 (8 hours)" in wrong.stderr


def test_text_never_breaks_an_id():
    out = run_cli("check", str(KPO), *TODAY).stdout
    assert not any(line.rstrip().endswith("-") for line in out.splitlines())


def test_rule_texts_have_no_stray_whitespace():
    from audit.rules.checklist import load_rules

    for rule in load_rules([]):
        for text in (rule.spec.title, rule.spec.rationale, rule.spec.remediation):
            assert text == text.strip(), rule.id


def test_init_points_at_the_schema_and_names_the_file(tmp_path):
    (tmp_path / "sites").mkdir()
    proc = run_cli("init", "sites/my.yaml", cwd=tmp_path)
    assert proc.returncode == 0
    text = (tmp_path / "sites" / "my.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=site.schema.json\n")
    assert (tmp_path / "sites" / "site.schema.json").is_file()
    assert "siteaudit validate sites/my.yaml" in proc.stderr
    assert "siteaudit validate my.yaml" in text
    assert run_cli("validate", str(tmp_path / "sites" / "my.yaml")).returncode == 0


def test_init_inside_the_repository_uses_its_schema(tmp_path):
    from audit.site.starter import starter_text

    text, missing = starter_text(ROOT / "sites" / "new.yaml")
    assert text.startswith("# yaml-language-server: $schema=../schema/site.schema.json\n")
    assert missing is None


def test_completion_of_rule_ids():
    env = {
        "_SITEAUDIT_COMPLETE": "bash_complete",
        "COMP_WORDS": "siteaudit explain SA-TO",
        "COMP_CWORD": "2",
    }
    proc = subprocess.run(
        [sys.executable, "-c", "from audit.cli.main import main; main(prog_name='siteaudit')"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert "SA-TOP-001" in proc.stdout


def test_summary_counts_files_found(tmp_path):
    import shutil

    shutil.copy(KPO, tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text("site: {id: b, name: B}\nzones: [{id: a, kind: publik}]\n")
    out = run_cli("check", str(tmp_path), "-q", *TODAY).stdout
    assert "2 site file(s) found: 1 audited, 1 with errors" in out


def test_explain_shows_each_threshold_with_its_source():
    out = run_cli("explain", "SA-LIGHT-006").stdout
    assert "minimum_lux:" in out and "TM 5-811-1 Table 11-1" in out
    gap = run_cli("explain", "SA-COMM-001").stdout
    assert "needs facts: radio (unrecorded: a data gap)" in gap


def test_rules_lists_every_citation():
    out = run_cli("rules").stdout
    assert "TM 5-811-1 ch. 11, Table 11-1" in out and "MIL-HDBK-1013/1A" in out
