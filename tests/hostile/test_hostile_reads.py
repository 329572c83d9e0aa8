"""Family 2, bytes read are bounded (devices, FIFOs, files that report size 0); family 3,
YAML values are bounded (nodes, aliases, nesting, control characters at their line); and
family 12, hostile configs, checklists and baselines, here for memory: a file just under the
limits stays under 1.5 GB."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest
from hostile import error_lines, siteaudit

from audit.site.source import MAX_NODES


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_as_site_files(tmp_path, device):
    proc = siteaudit("validate", device, cwd=tmp_path, timeout=30)
    assert proc.returncode == 2
    assert error_lines(proc) == [
        f"{device}:1:1: error: cannot read YAML file: it is a device; expected a file"
    ]


def test_device_checklist_in_config_is_refused(site):
    (site.parent / "siteaudit.toml").write_text('checklists = ["/dev/zero.yaml"]\n')
    os.symlink("/dev/zero", site.parent / "zero.yaml")
    (site.parent / "siteaudit.toml").write_text('checklists = ["zero.yaml"]\n')
    proc = siteaudit("check", site, cwd=site.parent, timeout=30)
    assert proc.returncode == 2
    assert "cannot read YAML file: it is a device" in proc.stderr


def test_device_config_is_refused(site):
    proc = siteaudit("check", site, "--config", "/dev/zero", cwd=site.parent, timeout=30)
    assert proc.returncode == 2
    assert "/dev/zero:1:1: error: cannot read config file: it is a device" in proc.stderr


def test_fifo_in_a_folder_does_not_hang(site):
    os.mkfifo(site.parent / "b.yaml")
    for cmd in ("check", "validate"):
        proc = siteaudit(cmd, site.parent, cwd=site.parent, timeout=60)
        assert proc.returncode == 2
        assert "b.yaml:1:1: error: cannot read YAML file: it is a FIFO" in proc.stderr
        assert "site.yaml" in proc.stdout  # the good file is still audited


def test_proc_file_with_size_zero_is_read_with_a_cap(tmp_path):
    proc = siteaudit("validate", "/proc/self/status", cwd=tmp_path)
    assert proc.returncode == 2
    assert "/proc/self/status:" in proc.stderr


def test_missing_config_file_is_exit_2(site):
    proc = siteaudit("check", site, "--config", "nope.toml", cwd=site.parent)
    assert proc.returncode == 2
    assert "nope.toml:1:1: error: cannot read config file: no such file or directory" in (
        proc.stderr
    )


def test_too_many_yaml_values_are_refused_with_a_position(tmp_path):
    path = tmp_path / "flat.yaml"
    path.write_text("zz: [" + ",".join(["1"] * (MAX_NODES + 5)) + "]\n")
    proc = siteaudit("validate", path, cwd=tmp_path)
    assert proc.returncode == 2
    (line,) = error_lines(proc)
    assert line.startswith(f"{path}:1:")
    assert f"more than {MAX_NODES} YAML values" in line


def _peak_child_rss_mb(cmd: list[str], cwd) -> tuple[int, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert "Traceback" not in proc.stderr
    return proc.returncode, max(after, before) / 1024


@pytest.mark.parametrize(
    "body",
    [
        lambda n: "zz: [" + ",".join(["1"] * n) + "]\n",
        lambda n: "zz: {" + ",".join(f"k{i}: 1" for i in range(n // 2)) + "}\n",
        lambda n: "zz: [" + ",".join(["[]"] * n) + "]\n",
    ],
    ids=["flat-list", "flat-mapping", "empty-lists"],
)
def test_just_under_the_node_limit_stays_under_1_5_gb(tmp_path, body):
    path = tmp_path / "big.yaml"
    path.write_text(body(MAX_NODES - 10))
    code, peak = _peak_child_rss_mb(
        [sys.executable, "-m", "audit", "validate", str(path)], tmp_path
    )
    assert code == 2  # processed to the end and rejected as not a site
    assert peak < 1536, f"peak RSS {peak:.0f} MB"


def test_32_mib_string_stays_bounded(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text("site: {id: x, name: '" + "a" * (32 * 1024 * 1024 - 40) + "'}\n")
    code, peak = _peak_child_rss_mb(
        [sys.executable, "-m", "audit", "validate", str(path)], tmp_path
    )
    assert code == 2
    assert peak < 1536


def test_control_character_is_reported_at_its_line(tmp_path):
    path = tmp_path / "ctl.yaml"
    path.write_bytes(b"site:\n  id: x\n  name: a\x01b\n")
    proc = siteaudit("validate", path, cwd=tmp_path)
    assert proc.returncode == 2
    assert error_lines(proc) == [
        f"{path}:3:10: error: character U+0001 is not allowed in YAML; remove it or write it "
        "as an escape in a double-quoted string"
    ]
