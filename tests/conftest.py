from __future__ import annotations

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
