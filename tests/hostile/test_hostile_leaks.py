"""Family 4, git options smuggled in as revisions (``siteaudit diff``); family 5, other files'
contents leaked through errors (configs naming non-YAML files, long values echoed); family 6,
output multiplied past reason (message templates, findings per rule)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hostile import STARTER, error_lines, siteaudit, snapshot

SECRET = "s3cr3t-" + "x" * 60


@pytest.fixture
def repo(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    shutil.copyfile(STARTER, tmp_path / "site.yaml")
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    for cmd in (["init", "-q"], ["add", "site.yaml"], ["commit", "-qm", "x"]):
        subprocess.run([git, *cmd], cwd=tmp_path, check=True, env=env)
    return tmp_path


@pytest.mark.parametrize(
    "rev",
    ["--output=/tmp/siteaudit-hostile-x", "-p", "--help", "", "a\nb"],
    ids=["output", "short-option", "help", "empty", "newline"],
)
def test_diff_revision_is_never_an_option(repo, rev):
    before = snapshot(repo)
    proc = siteaudit("diff", f"site.yaml@{rev}", "site.yaml", cwd=repo)
    assert proc.returncode == 2
    assert "is not a git revision" in proc.stderr or "cannot read" in proc.stderr
    assert snapshot(repo) == before
    assert not (repo.parent / "siteaudit-hostile-x").exists()


def test_diff_against_head_still_works(repo):
    proc = siteaudit("diff", "site.yaml@HEAD", "site.yaml", cwd=repo)
    assert proc.returncode == 0, proc.stderr


def test_diff_missing_folder_is_exit_2(repo):
    proc = siteaudit("diff", "nowhere/site.yaml@HEAD", "site.yaml", cwd=repo)
    assert proc.returncode == 2
    assert "its folder does not exist" in proc.stderr


def test_config_cannot_print_a_non_yaml_file(site):
    secret = site.parent / "shadow"
    secret.write_text("".join(f"user{i}: {SECRET}\n" for i in range(5)))
    (site.parent / "siteaudit.toml").write_text(f'checklists = ["{secret}"]\n')
    proc = siteaudit("check", site, cwd=site.parent)
    assert proc.returncode == 2
    assert "expected .yaml or .yml files" in proc.stderr
    assert "s3cr3t" not in proc.stderr + proc.stdout


def test_yaml_errors_echo_only_a_short_excerpt(site):
    bad = site.parent / "leaky.yaml"
    bad.write_text(f"site: {{id: x, name: X}}\nzones: [{{id: a, kind: public}}]\n{SECRET}: 1\n")
    proc = siteaudit("validate", bad, cwd=site.parent)
    assert proc.returncode == 2
    assert SECRET not in proc.stderr
    assert "s3cr3t-xxxxxxxx" in proc.stderr  # a short excerpt names the key
    assert all(len(line) < 600 for line in error_lines(proc))


def test_long_value_is_cut_in_errors(site):
    bad = site.parent / "long.yaml"
    bad.write_text("site: {id: x, name: X}\nzones: [{id: a, kind: '" + "p" * 5000 + "'}]\n")
    proc = siteaudit("validate", bad, cwd=site.parent)
    assert proc.returncode == 2
    assert "p" * 100 not in proc.stderr


def _checklist(message: str, n_rules: int = 1) -> str:
    rules = "".join(
        f"  - id: X-MUL-{i}\n    title: t\n    severity: low\n    category: waiver\n"
        f"    check: attribute\n    params:\n      on: zones\n"
        f"      where: {{kind: {{exists: true}}}}\n"
        f"      message: {message!r}\n"
        "    references: [r]\n    rationale: r\n    remediation: r\n"
        for i in range(n_rules)
    )
    return f"id: mul\ntitle: mul\nrules:\n{rules}"


def test_huge_message_template_is_refused(site):
    cl = site.parent / "mul.yaml"
    cl.write_text(_checklist("{kind}" * 20_000))
    proc = siteaudit("check", site, "--checklist", cl, cwd=site.parent)
    assert proc.returncode == 2
    assert "at most 1000 characters" in proc.stderr


def test_rendered_message_is_bounded(site):
    from audit.checks.attribute import MAX_MESSAGE, render

    out = render("{name}" * 900, lambda _: "n" * 50)
    assert len(out) == MAX_MESSAGE and out.endswith("…")


def test_findings_per_rule_are_capped_and_say_so(tmp_path):
    from audit.rules.checklist import MAX_FINDINGS_PER_RULE

    zones = "".join(f"  - {{id: z{i}, kind: room}}\n" for i in range(MAX_FINDINGS_PER_RULE + 7))
    site = tmp_path / "many.yaml"
    site.write_text(f"site: {{id: many, name: Many}}\nzones:\n{zones}")
    cl = tmp_path / "mul.yaml"
    cl.write_text(_checklist("zone {id}"))
    proc = siteaudit(
        "check", site, "--no-builtin", "--checklist", cl, "--format", "json", cwd=tmp_path
    )
    import json

    findings = json.loads(proc.stdout)["sites"][0]["findings"]
    assert len(findings) == MAX_FINDINGS_PER_RULE + 1
    assert any(f["message"].startswith("7 more findings of X-MUL-0 not listed") for f in findings)
