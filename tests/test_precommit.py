"""The real pre-commit tool runs this repository's hook on a good and a bad site file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import KPO, KPO_FIXED, ROOT


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which(
        "pre-commit"
    )
    if exe is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]' brings it)")
    return [exe]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    work = tmp_path_factory.mktemp("precommit")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(work / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    project = work / "project"
    (project / "sites").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True, env=env)
    return project, env


def _try(project: Path, env: dict, *files: str) -> subprocess.CompletedProcess:
    if not (ROOT / ".git").exists():
        pytest.skip("pre-commit try-repo needs this repository as a git checkout, not an sdist")
    subprocess.run(["git", "add", "-A"], cwd=project, check=True, env=env)
    return subprocess.run(
        [*_pre_commit(), "try-repo", str(ROOT), "siteaudit", "--files", *files],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hook_manifest_is_valid():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {h["id"] for h in hooks}
    assert {"siteaudit", "siteaudit-validate"} <= ids
    for h in hooks:
        assert h["language"] == "python" and h["entry"].startswith("siteaudit ")


def test_hook_passes_on_good_site_and_fails_on_bad(repo):
    project, env = repo
    (project / "sites" / "good.yaml").write_text(KPO_FIXED.read_text(encoding="utf-8"))
    good = _try(project, env, "sites/good.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    (project / "sites" / "lapses.yaml").write_text(KPO.read_text(encoding="utf-8"))
    bad = _try(project, env, "sites/lapses.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "SA-TOP-001" in bad.stdout
    (project / "sites" / "broken.yaml").write_text("site: {id: x}\nzones: []\n")
    broken = _try(project, env, "sites/broken.yaml")
    assert broken.returncode == 1 and "broken.yaml:1:7" in broken.stdout


def test_action_is_a_composite_that_writes_sarif():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = " ".join(str(s) for s in action["runs"]["steps"])
    assert '"sarif=' in steps and "upload-sarif" in steps
    assert {"paths", "fail-on", "sarif-file"} <= set(action["inputs"])
