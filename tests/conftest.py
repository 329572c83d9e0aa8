from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "sites"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
KPO = SITES / "karachi-police-office.yaml"
KPO_FIXED = SITES / "karachi-police-office-remediated.yaml"


def independent_sites(folder: Path, count: int, seed: int) -> list[str]:
    """``count`` sites from ``bench/generate3.py`` (the generator written apart from this
    project's code) written into ``folder``, their paths in order."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate3

    generate3.main([str(folder), str(count), "--seed", str(seed)])
    return sorted(str(p) for p in folder.glob("*.yaml"))


@pytest.fixture
def write_site(tmp_path):
    """Write dedented YAML text to a file in tmp_path and return its path."""

    def write(text: str, name: str = "site.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def run_cli(*args: str, cwd: Path | None = None):
    """Run the real console entry point in a subprocess (no in-process state leaks)."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "audit", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
    )


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle`` (so tests survive edits)."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small valid site (the starter file) in an empty folder."""
    import shutil
    from importlib import resources

    path = tmp_path / "site.yaml"
    shutil.copyfile(str(resources.files("audit.data") / "starter.yaml"), path)
    return path


SMALL_SITE = """\
site: {id: t, name: T}
zones:
  - {id: road, kind: public}
  - {id: yard, kind: compound, crossing_m: 30}
  - {id: room, kind: room, crossing_m: 5}
walls: [{id: w, between: [road, yard], height_m: 2.4, topping: {kind: razor_wire, condition: cut}}]
gates:
  - {id: g, kind: pedestrian_gate, between: [road, yard], locked: true}
  - {id: d, kind: door, between: [yard, room]}
checkpoints:
  - {id: cp, at: g, radio: false, shifts: [{from: "08:00", to: "18:00", guards: 1}]}
cameras: [{id: cam, covers: [yard], status: faulty, monitored: true, night: true}]
responders: [{id: r, response_s: 60, response_sd_s: 10}]
assets: [{id: a, zone: room, task_s: 120}]
"""
"""A small site with lapses of every kind the upgrade plan handles: a cut topping, a post
staffed by day, a faulty camera, an unlocked door (improve and check --plan tests)."""


SLOW_MODULES = frozenset({"test_many_sites", "test_fuzz_loader", "test_pipeline_property"})
"""Modules whose every test runs many whole audits (folders, fuzzing, pipelines): slow."""


def pytest_collection_modifyitems(config, items):
    """Mark ``slow`` what takes seconds or more each, so that ``-m "not slow"`` is a quick
    everyday subset: property tests (hypothesis), tests that drive real Chromium, and the
    modules above; other slow tests carry ``@pytest.mark.slow`` themselves."""
    import inspect

    for item in items:
        fn = getattr(item, "function", None)
        if fn is None:
            continue
        module = item.module.__name__.rsplit(".", 1)[-1]
        try:
            source = inspect.getsource(fn)
        except (OSError, TypeError):
            source = ""
        if (
            module in SLOW_MODULES
            or getattr(fn, "is_hypothesis_test", False)
            or "sync_playwright" in source
        ):
            item.add_marker(pytest.mark.slow)


# Property tests draw the same examples on every run (CI must not pass or fail by chance);
# HYPOTHESIS_PROFILE=explore draws fresh ones, to look for new counter-examples.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
_hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
