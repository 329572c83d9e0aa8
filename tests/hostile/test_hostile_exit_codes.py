"""Family 8, every failure is exit 2 with a message, never a traceback or exit 1 (an internal
error, a reader going away); family 12, hostile configs, checklists and baselines, each refused
at its place."""

from __future__ import annotations

import json

import pytest
from hostile import error_lines, siteaudit


def _checklist(where: str) -> str:
    return (
        "id: c\ntitle: c\nrules:\n  - id: X-C-1\n    title: t\n    severity: low\n"
        "    category: waiver\n    check: attribute\n    params:\n      on: zones\n"
        f"      where: {where}\n    references: [r]\n    rationale: r\n    remediation: r\n"
    )


@pytest.mark.parametrize(
    "where",
    ["{name: {contains: 5}}", "{name: {contains: [a]}}", "{name: {contains: {a: 1}}}"],
    ids=["int", "list", "mapping"],
)
def test_contains_with_a_non_string(site, where):
    cl = site.parent / "c.yaml"
    cl.write_text(_checklist(where))
    proc = siteaudit("check", site, "--checklist", cl, cwd=site.parent)
    if proc.returncode != 2:  # a number is accepted: it is compared as a value, never crashes
        assert proc.returncode in (0, 1)
    else:
        assert 'operator "contains" expects a string or a number' in proc.stderr


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("siteaudit.toml", b"fail-on = \xff\n", "not valid UTF-8"),
        ("pyproject.toml", b'tool = "x"\n[tool.siteaudit]\n', "TOML syntax error"),
        ("pyproject.toml", b"[tool]\nsiteaudit = 5\n[tool.x]\n", "[tool.siteaudit] must be a"),
        ("siteaudit.toml", b"jobs = 100000000000\n", '"jobs" must be between 1 and 1024'),
        ("siteaudit.toml", b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "TOML"),
    ],
    ids=["non-utf8", "tool-string", "siteaudit-int", "jobs-huge", "deep"],
)
def test_bad_config(site, name, text, message):
    (site.parent / name).write_bytes(text)
    for args in ([], ["--config", name]):
        proc = siteaudit("check", site, *args, cwd=site.parent)
        assert proc.returncode == 2, proc.stderr
        assert message in proc.stderr
        assert f"{name}:" in proc.stderr


def test_config_errors_point_at_the_siteaudit_table(site):
    (site.parent / "pyproject.toml").write_text(
        '[tool.ruff.lint]\nselect = ["E"]\n\n[tool.siteaudit]\nselect = 5\n'
    )
    proc = siteaudit("check", site, cwd=site.parent)
    assert proc.returncode == 2
    assert "pyproject.toml:5:1: error:" in proc.stderr


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"version": 2, "findings": [1, 2]}', "must be an object with string fields"),
        ('{"version": 2, "findings": [{"site": ["x"], "fingerprint": {}}]}', "string fields"),
        (b'{"version": 2, "findings": "\xff"}', "not valid UTF-8"),
        ("[" * 100_000 + "]" * 100_000, ":1:65: error: nesting deeper than 64 levels"),
        (
            '{"version": 2, "findings": [' + "9" * 5000 + "]}",
            ":1:29: error: a number of more than 400 digits",
        ),
        ('{"version": 2, "findings": [{"site": "s", "fingerprint": "f"}]}', "string fields"),
        ('{"version": 2, "findings": [NaN]}', ":1:29: error: NaN is not a JSON number"),
        ('{"version": 1e999, "findings": []}', ":1:13: error: 1e999 is too large"),
        ("", "not valid JSON"),
    ],
    ids=[
        "ints",
        "unhashable",
        "utf8",
        "deep",
        "5000-digits",
        "missing-rule",
        "nan",
        "inf",
        "empty",
    ],
)
def test_bad_baseline(site, content, message):
    path = site.parent / "base.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    proc = siteaudit("check", site, "--baseline", path, cwd=site.parent)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert all(ln.startswith(f"{path}:") for ln in error_lines(proc))


def test_baseline_round_trip_has_no_nan(site):
    base = site.parent / "b.json"
    assert siteaudit("check", site, "--write-baseline", base, cwd=site.parent).returncode == 0
    proc = siteaudit("check", site, "--baseline", base, "--format", "json", cwd=site.parent)
    assert proc.returncode == 0
    assert "NaN" not in proc.stdout
    json.loads(proc.stdout)


def test_unknown_internal_error_is_exit_2_not_1(site, monkeypatch):
    """An unexpected bug must never read as "findings" (exit 1) in CI."""
    from click.testing import CliRunner

    from audit.cli import main as cli

    def boom(*_a, **_k):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("audit.site.load.load_site", boom)
    result = CliRunner().invoke(cli.main, ["paths", str(site)])
    assert result.exit_code == 2
    assert "internal error: ZeroDivisionError: boom" in result.output


def test_reader_going_away_is_quiet(tmp_path):
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "audit", "rules"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert proc.returncode in (0, 141)  # 0 when everything fit in the pipe before it closed
    assert "Traceback" not in err and "error" not in err.lower()
