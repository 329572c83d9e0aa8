"""Family 7, names that try to break an output format (terminal escapes, forged error lines,
XML, Markdown headings and HTML); family 11, broken files visible in the CI formats (SARIF,
JUnit, GitHub, GitLab)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hostile import STARTER, siteaudit

NASTY = (
    "\\x01\\x0b\\x1b[31mRED\\x00 <script>alert(1)</script>\\n# Heading\\nfile:1:1: error: forged"
)


@pytest.fixture
def nasty(tmp_path) -> Path:
    """The starter site with a site name and a camera name full of control characters."""
    text = STARTER.read_text(encoding="utf-8")
    text = text.replace("name: My Site ", f'name: "{NASTY}" ', 1)
    assert NASTY in text
    path = tmp_path / "nasty.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_junit_parses(nasty):
    proc = siteaudit("check", nasty, "--format", "junit", cwd=nasty.parent)
    assert proc.returncode == 1
    ET.fromstring(proc.stdout.encode())


def test_graphml_and_dot_are_safe(nasty):
    proc = siteaudit("graph", nasty, "--format", "graphml", cwd=nasty.parent)
    assert proc.returncode == 0
    root = ET.fromstring(proc.stdout.encode())
    assert root is not None
    dot = siteaudit("graph", nasty, "--format", "dot", cwd=nasty.parent).stdout
    assert "\x1b" not in dot and "\x00" not in dot


def test_markdown_has_no_heading_or_html_from_input(nasty):
    proc = siteaudit("check", nasty, "--format", "markdown", cwd=nasty.parent)
    lines = proc.stdout.splitlines()
    assert not any(ln.startswith("# Heading") for ln in lines)
    assert "<script>" not in proc.stdout
    assert "&lt;script&gt;" in proc.stdout


@pytest.mark.parametrize("cmd", [["check"], ["paths"], ["check", "-q"]])
def test_text_has_no_terminal_codes_or_forged_lines(nasty, cmd):
    proc = siteaudit(*cmd, nasty, cwd=nasty.parent)
    out = proc.stdout + proc.stderr
    assert "\x1b" not in out and "\x00" not in out and "\x0b" not in out
    assert not any(ln.startswith("file:1:1: error") for ln in out.splitlines())


def test_file_name_with_newline_cannot_forge_an_error(tmp_path):
    name = tmp_path / "a\nfile:1:1: error: forged.yaml"
    name.write_text("site: {id: x, name: X}\nzones: [{id: a, kind: publik}]\n")
    for cmd in ("check", "validate"):
        proc = siteaudit(cmd, name, cwd=tmp_path)
        assert proc.returncode == 2
        assert not any(ln.startswith("file:1:1") for ln in proc.stderr.splitlines())


def test_json_is_valid_with_control_characters(nasty):
    proc = siteaudit("check", nasty, "--format", "json", cwd=nasty.parent)
    data = json.loads(proc.stdout)
    assert "\x1b" in data["sites"][0]["name"]  # JSON carries the exact value, escaped


@pytest.fixture
def folder(tmp_path) -> Path:
    shutil.copyfile(STARTER, tmp_path / "good.yaml")
    (tmp_path / "bad.yaml").write_text("site: {id: bad, name: B}\nzones: [{id: a, kind: publik}]\n")
    return tmp_path


def test_sarif_reports_broken_files(folder):
    proc = siteaudit("check", folder, "--format", "sarif", cwd=folder)
    assert proc.returncode == 2
    inv = json.loads(proc.stdout)["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    loc = note["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("bad.yaml")
    assert loc["region"]["startLine"] == 2


def test_junit_reports_broken_files(folder):
    proc = siteaudit("check", folder, "--format", "junit", cwd=folder)
    assert proc.returncode == 2
    root = ET.fromstring(proc.stdout.encode())
    assert root.get("errors") == "1"
    errors = root.findall(".//error")
    assert len(errors) == 1 and "bad.yaml:2:" in errors[0].text


def test_unreadable_folder_is_reported(folder, monkeypatch):
    """As root every folder is readable, so the walk's error is simulated in-process."""
    from audit.app import batch
    from audit.common.errors import Problem

    real_walk = os.walk

    def walk(top, onerror=None, **kw):
        err = PermissionError(13, "Permission denied")
        err.filename = str(Path(top) / "locked")
        onerror(err)
        yield from real_walk(top, onerror=onerror, **kw)

    monkeypatch.setattr(batch.os, "walk", walk)
    problems: list[Problem] = []
    found = batch.discover([str(folder)], ["**/*.yaml"], [], problems)
    assert len(found) == 2
    assert [str(p) for p in problems] == [
        f"{folder / 'locked'}:1:1: error: cannot read folder: permission denied"
    ]
