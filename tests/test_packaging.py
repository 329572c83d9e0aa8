"""The package as distribution packagers and CI install it, not only as developers do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import ROOT


def test_a_source_tree_that_shadows_a_non_editable_install_finds_its_checklists(tmp_path):
    """``python -m audit`` run from an unpacked sdist (or the repository) imports the local
    ``audit/``, where ``checklists/`` is not mapped in (only an install maps it): the
    built-in checklist is found beside it all the same. ``-S`` keeps the editable install's
    import hook out, as a non-editable install has none."""
    tree = tmp_path / "siteaudit-0"
    shutil.copytree(ROOT / "audit", tree / "audit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "checklists", tree / "checklists")
    shutil.copy(ROOT / "sites" / "karachi-police-office.yaml", tree / "site.yaml")
    libs = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sorted(libs))}
    result = subprocess.run(
        [sys.executable, "-S", "-m", "audit", "check", "site.yaml", "--format", "json"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "No module named" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert '"rule": "SA-' in result.stdout
    listed = subprocess.run(
        [sys.executable, "-S", "-m", "audit", "rules"], cwd=tree, env=env, capture_output=True
    )
    assert listed.returncode == 0 and b"SA-" in listed.stdout
    assert Path(tree / "audit" / "checklists").exists() is False


def test_constraints_pin_every_dependency_the_action_installs():
    """The action installs ``.[epsg]`` with constraints.txt; a dependency without a pin there
    would reach users at whatever version is newest (SQLAlchemy came in unpinned). Whether
    the pins resolve together is .ci/run's ``pip install --dry-run -c constraints.txt``."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["epsg"]]

    def name(requirement: str) -> str:
        return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")

    pinned = {
        name(line)
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#") and "==" in line
    }
    assert sorted({name(r) for r in wanted} - pinned) == []
