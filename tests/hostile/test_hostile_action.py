"""Family 13, the composite GitHub action never pastes an input into a shell script."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from hostile import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]


@pytest.mark.parametrize("step", [s for s in STEPS if "run" in s], ids=lambda s: s.get("name"))
def test_run_scripts_take_inputs_from_env_only(step):
    assert "${{" not in step["run"], step["run"]


@pytest.mark.parametrize("step", [s for s in STEPS if "uses" in s], ids=lambda s: s["uses"])
def test_third_party_actions_are_pinned_by_commit(step):
    assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def test_zizmor_finds_nothing():
    zizmor = shutil.which("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (pip install -e '.[test]' installs it)")
    proc = subprocess.run(
        [zizmor, "--offline", str(ROOT / "action.yml")], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
