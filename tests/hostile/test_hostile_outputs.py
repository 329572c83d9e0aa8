"""Family 1, what sits at an output path is respected (devices, symlinks, FIFOs, modes, the
inputs themselves), and the output half of family 8, every failure is exit 2 with a message
(a full disk, an unwritable folder: nothing half-written, no temp file left)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from hostile import siteaudit, snapshot


def test_dev_null_stays_a_device(site):
    proc = siteaudit("check", site, "-o", "/dev/null", cwd=site.parent)
    assert proc.returncode == 1
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dev_full_is_a_write_error_exit_2(site):
    proc = siteaudit("check", site, "-o", "/dev/full", cwd=site.parent)
    assert proc.returncode == 2
    assert "/dev/full:1:1: error: cannot write: no space left on device" in proc.stderr


def test_symlink_is_followed_to_its_target(site, tmp_path):
    target = tmp_path / "real-report.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(target.name)
    proc = siteaudit("check", site, "--format", "json", "-o", link, cwd=tmp_path)
    assert proc.returncode == 1
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text(encoding="utf-8").startswith("{")


def test_symlink_to_stdout_writes_through(site):
    proc = siteaudit("check", site, "--format", "json", "-o", "/proc/self/fd/1", cwd=site.parent)
    assert proc.returncode == 1
    assert proc.stdout.startswith("{")


def test_fifo_is_written_through(site, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    proc = siteaudit("check", site, "--format", "json", "-o", fifo, cwd=tmp_path)
    reader.join(timeout=30)
    assert proc.returncode == 1
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].startswith(b"{")


def test_existing_mode_is_kept(site, tmp_path):
    out = tmp_path / "report.txt"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o600)
    siteaudit("check", site, "-o", out, cwd=tmp_path)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text(encoding="utf-8") != "old"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{site}", "-o", "{site}"],
        ["check", "{site}", "--report", "html={site}"],
        ["check", "{site}", "--write-baseline", "{site}"],
        ["check", "{site}", "--checklist", "{extra}", "-o", "{extra}"],
        ["check", "{dir}", "--report", "sarif={link}"],
        ["graph", "{site}", "-o", "{site}"],
        ["paths", "{site}", "-o", "{site}"],
        ["diff", "{site}", "{site}", "-o", "{site}"],
    ],
    ids=[
        "check-o",
        "report",
        "write-baseline",
        "checklist",
        "symlink-to-input",
        "graph",
        "paths",
        "diff",
    ],
)
def test_refuses_to_overwrite_an_input(site, tmp_path, args):
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "id: x\ntitle: x\nrules:\n  - {id: X-A-1, title: t, severity: low, category: waiver,"
        " check: attribute, params: {on: zones, where: {kind: {equals: nowhere}}},"
        " references: [r], rationale: r, remediation: r}\n",
        encoding="utf-8",
    )
    (tmp_path / "link.sarif").symlink_to(site.name)
    mapping = {"site": site, "extra": extra, "dir": tmp_path, "link": tmp_path / "link.sarif"}
    before = snapshot(tmp_path)
    proc = siteaudit(*(a.format(**mapping) for a in args), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "refusing to write over a file this run reads" in proc.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "target, message",
    [
        ("missing-folder/report.txt", "no such file or directory"),
        (".", "is a directory"),
        ("/proc/version", "cannot write"),
        ("x" * 300 + ".txt", "file name too long"),
    ],
    ids=["missing-folder", "directory", "proc-file", "name-too-long"],
)
def test_unwritable_output_is_exit_2(site, tmp_path, target, message):
    before = snapshot(tmp_path)
    for args in (
        ["check", site, "-o", target],
        ["check", site, "--report", f"json={target}"],
        ["check", site, "--write-baseline", target],
        ["schema", "-o", target],
        ["graph", site, "-o", target],
        ["paths", site, "-o", target],
    ):
        proc = siteaudit(*args, cwd=tmp_path)
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr.lower(), (args, proc.stderr)
        assert "error: " in proc.stderr.lower()
    assert snapshot(tmp_path) == before


def test_init_into_a_missing_folder_is_exit_2(tmp_path):
    proc = siteaudit("init", "nope/site.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    assert "no such file or directory" in proc.stderr.lower()
    assert list(tmp_path.iterdir()) == []


def test_disk_full_during_replace_leaves_no_temp_file(tmp_path, monkeypatch):
    """ENOSPC in the atomic path: the old file stays, the temp file goes, exit code 2."""
    import errno

    from audit.common import files
    from audit.common.errors import SiteError

    out = tmp_path / "report.txt"
    out.write_text("old", encoding="utf-8")

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(SiteError, match="no space left on device"):
        files.write_output("new text", str(out))
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_output_is_never_half_written(site, tmp_path):
    out = tmp_path / "r.json"
    siteaudit("check", site, "--format", "json", "-o", out, cwd=tmp_path)
    import json

    json.loads(out.read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "site.yaml"]


def test_input_never_modified(site, tmp_path):
    before = snapshot(tmp_path)
    for cmd in (["validate", site], ["check", site], ["paths", site], ["graph", site]):
        siteaudit(*cmd, cwd=tmp_path)
    assert snapshot(tmp_path) == before
    assert Path(site).exists()


def test_two_outputs_to_one_file_are_refused(site, tmp_path):
    before = snapshot(tmp_path)
    proc = siteaudit("check", site, "-o", "r.json", "--report", "json=./r.json", cwd=tmp_path)
    assert proc.returncode == 2
    assert "two outputs of this run name the same file" in proc.stderr
    assert snapshot(tmp_path) == before
