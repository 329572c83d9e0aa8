"""Debian's Chromium for the report tests (driven by playwright-core, nothing downloaded),
and the layout audit the responsive and print tests share."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    return path


def launch(playwright):
    """Debian's Chromium, headless, with nothing reaching out to the network on its own."""
    return playwright.chromium.launch(
        executable_path=chromium_path(),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )


def axe_path() -> Path:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (.ci/run installs it with npm into .ci/node)")
    return AXE


LAYOUT_AUDIT = (Path(__file__).parent / "layout_audit.js").read_text(encoding="utf-8")
"""JavaScript, run in the page: what overflows, overlaps or is drawn too small (see the file)."""
