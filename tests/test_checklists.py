"""Checklists as data: a custom YAML-only checklist works; a malformed one fails loudly."""

from __future__ import annotations

import json
import textwrap

import jsonschema
import yaml
from conftest import KPO, ROOT, run_cli

from audit.rules.checklist import checklist_schema

CUSTOM = """\
id: acme
title: ACME head office rules
rules:
  - id: ACME-WALL-001
    title: Perimeter walls must be at least 3 m at ACME sites
    severity: high
    category: weak-barrier
    check: attribute
    params:
      on: walls
      where:
        all:
          - {height_m: {lt: 3.0}}
          - not: {side: {equals: internal}}
      message: "{id} is only {height_m} m"
    references: ["ACME security standard 4.2"]
    rationale: Our threat assessment calls for 3 m walls.
    remediation: Raise the wall to 3 m.
  - id: ACME-CP-001
    title: Two guards at every post
    severity: medium
    category: unmanned-checkpoint
    check: checkpoint_staffing
    params: {min_guards: 2}
    references: ["ACME security standard 2.1"]
    rationale: Two-person rule.
    remediation: Post two guards.
"""


def _write(tmp_path, text, name="acme.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_custom_yaml_only_checklist(tmp_path):
    path = _write(tmp_path, CUSTOM)
    result = run_cli(
        "check", str(KPO), "--no-builtin", "--checklist", str(path), "--format", "json"
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["sites"][0]["findings"]
    walls = {f["element"]: f["message"] for f in findings if f["rule"] == "ACME-WALL-001"}
    assert walls == {
        "front-wall": "front-wall is only 2.4 m",
        "rear-wall": "rear-wall is only 2.4 m",
        "side-wall": "side-wall is only 2.4 m",
    }
    cps = {f["element"] for f in findings if f["rule"] == "ACME-CP-001"}
    assert cps == {"cp-chief-1", "cp-chief-2", "cp-chief-3"}


def test_custom_checklist_adds_to_builtin(tmp_path):
    path = _write(tmp_path, CUSTOM)
    result = run_cli("rules", "--checklist", str(path))
    assert "ACME-WALL-001" in result.stdout and "SA-CP-001" in result.stdout


def _errors(tmp_path, text):
    path = _write(tmp_path, text, "bad.yaml")
    result = run_cli("check", str(KPO), "--checklist", str(path))
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    return path, result.stderr


def test_unknown_check_is_an_error_with_line(tmp_path):
    path, err = _errors(
        tmp_path, CUSTOM.replace("check: checkpoint_staffing", "check: checkpoint_staffin")
    )
    assert f"{path}:23:12" in err and 'did you mean "checkpoint_staffing"' in err


def test_bad_params_are_errors_with_line(tmp_path):
    path, err = _errors(tmp_path, CUSTOM.replace("{min_guards: 2}", "{min_gards: 2}"))
    assert f"{path}:24:14" in err and 'did you mean "min_guards"' in err
    path, err = _errors(tmp_path, CUSTOM.replace("{lt: 3.0}", "{less: 3.0}"))
    assert f"{path}:12:" in err and 'unknown operator "less"' in err


def test_bad_rule_fields_are_errors(tmp_path):
    path, err = _errors(tmp_path, CUSTOM.replace("category: weak-barrier", "category: weak-barrer"))
    assert f"{path}:7:15" in err and 'did you mean "weak-barrier"' in err
    path, err = _errors(tmp_path, CUSTOM.replace("    severity: medium\n", ""))
    assert 'missing required key "severity"' in err


def test_duplicate_rule_id_across_checklists(tmp_path):
    path, err = _errors(tmp_path, CUSTOM.replace("ACME-CP-001", "SA-CP-001"))
    assert "SA-CP-001 is already defined at" in err


def test_checklist_schema_accepts_builtin_and_is_committed():
    schema = checklist_schema()
    data = yaml.safe_load((ROOT / "checklists" / "builtin.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    from audit.site.schema import dumps

    committed = (ROOT / "schema" / "checklist.schema.json").read_text(encoding="utf-8")
    assert committed == dumps(schema)


def test_explain_and_rules_listing():
    out = run_cli("explain", "SA-TOP-001").stdout
    assert "MIL-HDBK-1013/1A" in out and "Fix:" in out
    bad = run_cli("explain", "SA-TOP-01")
    assert bad.returncode == 2 and 'did you mean "SA-TOP-001"' in bad.stderr
    checks = run_cli("rules", "--checks").stdout
    assert "checkpoint_staffing" in checks and "attribute" in checks


def test_explain_prints_the_rules_example_and_limits(tmp_path):
    """A rule documents itself from one source: its example beside the checklist (the file
    the tests run) and its known limits."""
    text = CUSTOM.replace(
        "    remediation: Raise the wall to 3 m.\n",
        "    remediation: Raise the wall to 3 m.\n"
        "    limits: Walls with no height recorded are not judged.\n",
    )
    path = _write(tmp_path, text)
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "ACME-WALL-001.yaml").write_text(
        "# fires-on: w\nsite: {id: low}\n---\nsite: {id: high}\n", encoding="utf-8"
    )
    out = run_cli("explain", "ACME-WALL-001", "--checklist", str(path)).stdout
    assert "Known limits: Walls with no height recorded are not judged." in out
    assert (
        "Example: fires on w in\n\n    site: {id: low}\n\nand not in\n\n    site: {id: high}\n"
        in out
    )
    # a rule without an example or limits prints neither
    out = run_cli("explain", "ACME-CP-001", "--checklist", str(path)).stdout
    assert "Example:" not in out and "Known limits" not in out


def test_every_builtin_rule_explains_with_its_example():
    out = run_cli("explain", "SA-CP-001").stdout
    assert "Example: fires on cp in" in out and "and not in" in out
