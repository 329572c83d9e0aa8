"""Names renamed so that each has one meaning (issue 21), and the old spellings that still
work: ``--no-baseline`` (now ``--no-builtin``), the config key ``baseline`` (now
``builtin``), ``checklists/baseline.yaml`` (now ``checklists/builtin.yaml``) and
``siteaudit plan`` (now ``siteaudit geometry``). New names work and say nothing; an old
one works the same and says so once, on stderr, so that stdout stays what it was."""

from __future__ import annotations

import json

import pytest
from conftest import KPO, ROOT, run_cli

NO_BASELINE = "siteaudit: warning: --no-baseline is deprecated: use --no-builtin"
PLAN = "siteaudit: warning: siteaudit plan is deprecated: use siteaudit geometry"

ACME = """\
id: acme
title: Acme rules
rules:
  - id: ACME-CP-001
    title: Checkpoint unmanned at some hours
    severity: high
    category: unmanned-checkpoint
    check: checkpoint_staffing
    params: {min_guards: 1}
    references: ["Acme policy 1"]
    rationale: r
    remediation: m
"""


def _acme(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(ACME, encoding="utf-8")
    return str(path)


# --- --no-builtin, and --no-baseline its old spelling -------------------------------------


@pytest.mark.parametrize(
    "command",
    [["check"], ["rules"], ["explain"], ["diff"], ["improve"], ["survey", "apply"]],
)
def test_every_command_with_checklists_shows_no_builtin_and_hides_the_old_name(command):
    shown = run_cli(*command, "--help").stdout
    assert "--no-builtin" in shown and "Do not load the built-in checklist." in shown
    assert "--no-baseline" not in shown


def test_no_builtin_loads_only_the_checklists_given_and_says_nothing(tmp_path):
    result = run_cli("rules", "-q", "--no-builtin", "--checklist", _acme(tmp_path))
    assert result.returncode == 0 and result.stdout == "ACME-CP-001\n"
    assert result.stderr == ""


def test_no_baseline_still_works_and_says_so_once_on_stderr(tmp_path):
    acme = _acme(tmp_path)
    new = run_cli("rules", "-q", "--no-builtin", "--checklist", acme)
    old = run_cli("rules", "-q", "--no-baseline", "--checklist", acme)
    assert (old.returncode, old.stdout) == (new.returncode, new.stdout)
    assert old.stderr.splitlines() == [NO_BASELINE]
    both = run_cli("rules", "-q", "--no-builtin", "--no-baseline", "--checklist", acme)
    assert both.stdout == new.stdout and both.stderr.splitlines() == [NO_BASELINE]


def test_no_baseline_notice_leaves_json_on_stdout_valid(tmp_path):
    args = ["check", str(KPO), "--checklist", _acme(tmp_path), "--format", "json", "-q"]
    new = run_cli(*args, "--no-builtin")
    old = run_cli(*args, "--no-baseline")
    assert old.returncode == new.returncode == 1
    rules = {f["rule"] for f in json.loads(old.stdout)["sites"][0]["findings"]}
    assert rules == {"ACME-CP-001"}
    assert old.stdout == new.stdout
    assert old.stderr.count("deprecated") == 1 and NO_BASELINE in old.stderr
    assert "deprecated" not in new.stderr


def test_no_builtin_with_nothing_else_names_the_new_option():
    result = run_cli("rules", "--no-builtin")
    assert result.returncode == 2 and "drop --no-builtin" in result.stderr


# --- the config key: builtin, and baseline its old name -------------------------------------


def _config(tmp_path, body):
    (tmp_path / "siteaudit.toml").write_text(body, encoding="utf-8")
    return run_cli("check", str(KPO), "--format", "json", "-q", cwd=tmp_path)


def test_config_builtin_false_runs_only_the_listed_checklists(tmp_path):
    _acme(tmp_path)
    result = _config(tmp_path, 'checklists = ["acme.yaml"]\nbuiltin = false\n')
    assert result.returncode == 1, result.stderr
    assert {f["rule"] for f in json.loads(result.stdout)["sites"][0]["findings"]} == {"ACME-CP-001"}
    assert "deprecated" not in result.stderr


def test_config_key_baseline_still_works_with_a_warning_at_its_line(tmp_path):
    _acme(tmp_path)
    new = _config(tmp_path, 'checklists = ["acme.yaml"]\nbuiltin = false\n')
    old = _config(tmp_path, 'checklists = ["acme.yaml"]\nbaseline = false\n')
    assert (old.returncode, old.stdout) == (new.returncode, new.stdout)
    assert old.stderr.splitlines() == [
        f'{tmp_path / "siteaudit.toml"}:2:1: warning: "baseline" is deprecated: use "builtin"'
    ]


def test_config_key_baseline_in_pyproject_too(tmp_path):
    from audit.app.config import load_config

    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.siteaudit]\nbaseline = false\n', "utf-8")
    cfg = load_config(path)
    assert cfg.builtin is False
    assert cfg.notes == [f'{path}:5:1: warning: "baseline" is deprecated: use "builtin"']


def test_config_with_both_keys_is_an_error_at_the_old_one(tmp_path):
    result = _config(tmp_path, "builtin = true\nfail-on = 'high'\nbaseline = false\n")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f'{tmp_path / "siteaudit.toml"}:3:1: error: "baseline" is the old name of "builtin": '
        'give only "builtin"'
    ]


def test_config_baseline_of_the_wrong_type_names_the_key_written(tmp_path):
    result = _config(tmp_path, 'baseline = "yes"\n')
    assert result.returncode == 2
    assert 'siteaudit.toml:1:1: error: "baseline" must be a bool' in result.stderr


# --- checklists/builtin.yaml, and checklists/baseline.yaml its old path -----------------------


def test_the_old_shipped_checklist_path_reads_the_new_file_with_a_notice():
    new = run_cli("rules", "-q", "--no-builtin", "--checklist", "checklists/builtin.yaml")
    old = run_cli("rules", "-q", "--no-builtin", "--checklist", "checklists/baseline.yaml")
    assert new.returncode == 0 and new.stderr == ""
    assert (old.returncode, old.stdout) == (0, new.stdout)
    assert old.stderr.splitlines() == [
        "siteaudit: warning: checklists/baseline.yaml is deprecated: use checklists/builtin.yaml"
    ]
    assert not (ROOT / "checklists" / "baseline.yaml").exists()


def test_a_users_own_baseline_yaml_is_theirs(tmp_path):
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "baseline.yaml").write_text(ACME, encoding="utf-8")
    args = ("rules", "-q", "--no-builtin", "--checklist", "checklists/baseline.yaml")
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "ACME-CP-001\n" and result.stderr == ""
    missing = run_cli(*args, cwd=tmp_path / "checklists")  # no such file here: not ours either
    assert missing.returncode == 2 and "deprecated" not in missing.stderr


def test_rule_ids_and_explain_point_at_the_new_file():
    out = run_cli("explain", "SA-CP-001").stdout
    assert f"defined at:  {ROOT / 'checklists' / 'builtin.yaml'}:" in out


# --- siteaudit geometry, and siteaudit plan its old name -------------------------------------


def test_geometry_is_listed_and_plan_is_hidden():
    listed = run_cli("--help").stdout
    assert "  geometry  " in listed and "  plan  " not in listed


def test_geometry_export_and_import_say_nothing(tmp_path):
    geo = tmp_path / "kpo.geojson"
    out = run_cli("geometry", "export", str(KPO), "--origin", "67,24", "-o", str(geo), "-q")
    assert out.returncode == 0 and out.stderr == ""
    back = run_cli("geometry", "import", str(geo), "-o", str(tmp_path / "kpo.yaml"), "-q")
    assert back.returncode == 0 and back.stderr == ""
    assert "(siteaudit geometry import)" in (tmp_path / "kpo.yaml").read_text(encoding="utf-8")


def test_plan_still_works_and_says_so_once_on_stderr(tmp_path):
    new = run_cli("geometry", "export", str(KPO), "--origin", "67,24")
    old = run_cli("plan", "export", str(KPO), "--origin", "67,24")
    assert old.returncode == new.returncode == 0
    assert old.stdout == new.stdout and json.loads(old.stdout)["type"] == "FeatureCollection"
    assert old.stderr.splitlines() == [PLAN]
    geo = tmp_path / "kpo.geojson"
    geo.write_text(new.stdout, encoding="utf-8")
    imported = run_cli("plan", "import", str(geo), "-o", str(tmp_path / "kpo.yaml"))
    assert imported.returncode == 0
    assert imported.stderr.splitlines()[0] == PLAN and imported.stderr.count("deprecated") == 1
