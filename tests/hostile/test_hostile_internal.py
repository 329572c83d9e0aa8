"""Family 17, an error where there was an "internal error ... please report it".

A site in EPSG:4326 with latitude 1000 (the projection was built outside its ``try``), an
EPSG:27700 site with ``PROJ_NETWORK=ON`` and no network (pyproj returned infinities), a
folder 1,500 levels deep (``os.walk`` recursed past Python's limit), ``--include '[z-a]'``
and a pattern of 999 backslashes: each is now a ``file:line:col`` error or a usage error
naming what is wrong, exit 2.
"""

from __future__ import annotations

import os

import pytest
from hostile import STARTER, error_lines, siteaudit

PLAN = """\
site: {{id: ll, name: Plan, crs: "{crs}"}}
zones: [{{id: road, kind: public}}, {{id: yard, kind: compound}}]
walls:
  - {{id: w, between: [road, yard], height_m: 2.4, course: [{a}, {b}]}}
gates:
  - {{id: g, kind: pedestrian_gate, between: [road, yard], point: {g}}}
"""


def test_a_point_outside_the_coordinate_system_is_an_error_at_the_point(tmp_path):
    path = tmp_path / "ll.yaml"
    path.write_text(
        PLAN.format(crs="EPSG:4326", a="[67.03, 1000]", b="[67.031, 24.85]", g="[67.0305, 24.85]")
    )
    proc = siteaudit("validate", path, cwd=tmp_path)
    assert proc.returncode == 2
    assert error_lines(proc) == [
        f"{path}:4:60: error: the point [67.03, 1000] has no longitude and latitude in "
        "EPSG:4326; expected a point inside its area (longitude -180 to 180, then latitude "
        "-90 to 90)"
    ]


def test_proj_network_on_without_a_network_changes_nothing(tmp_path):
    path = tmp_path / "bng.yaml"
    path.write_text(
        PLAN.format(
            crs="EPSG:27700", a="[530000, 180000]", b="[530100, 180000]", g="[530050, 180000]"
        )
    )
    plain = siteaudit("geometry", "export", path, cwd=tmp_path)
    os.environ["PROJ_NETWORK"] = "ON"
    os.environ["PROJ_NETWORK_ENDPOINT"] = "http://127.0.0.1:9"  # nothing listens there
    try:
        proc = siteaudit("check", path, "--format", "json", cwd=tmp_path)
        again = siteaudit("geometry", "export", path, cwd=tmp_path)
    finally:
        del os.environ["PROJ_NETWORK"], os.environ["PROJ_NETWORK_ENDPOINT"]
    assert proc.returncode in (0, 1), proc.stderr
    assert again.stdout == plain.stdout


def test_a_folder_too_deep_is_an_error_not_a_recursion(tmp_path):
    top = tmp_path / "estate"
    top.mkdir()
    (top / "s.yaml").write_text(STARTER.read_text(encoding="utf-8"))
    try:
        fd = os.open(top, os.O_RDONLY)
        for _ in range(1500):  # relative to a folder's descriptor: no path grows 3 KB long
            os.mkdir("d", dir_fd=fd)
            fd, old = os.open("d", os.O_RDONLY, dir_fd=fd), fd
            os.close(old)
        os.close(fd)
        proc = siteaudit("check", "estate", cwd=tmp_path)
    finally:
        _remove_deep(top)
    assert proc.returncode == 2
    (line,) = [ln for ln in error_lines(proc) if "error:" in ln]
    assert line.startswith("estate/d/d/") and line.endswith(
        "error: folder is more than 100 levels below estate; not searched (name the folder "
        "itself to audit it)"
    )
    assert "estate/s.yaml: My Site" in proc.stdout  # the file above it is audited all the same


def _remove_deep(top) -> None:
    """Remove the chain of "d" folders under ``top`` without recursion (rmtree, and pytest's
    clean-up of old temporary folders, recurse once per level: a chain left behind would
    break them for everyone on the machine)."""
    fds = [os.open(top, os.O_RDONLY)]
    try:
        while True:
            try:
                fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
            except FileNotFoundError:
                break
        for parent in reversed(fds[:-1]):
            os.rmdir("d", dir_fd=parent)
    finally:
        for fd in fds:
            os.close(fd)


@pytest.mark.parametrize(
    "pattern, why", [("[z-a]", "bad character range z-a"), ("\\" * 999, "Invalid git pattern")]
)
def test_a_bad_include_pattern_is_a_usage_error(tmp_path, pattern, why):
    (tmp_path / "s.yaml").write_text(STARTER.read_text(encoding="utf-8"))
    for command in ("check", "validate"):
        proc = siteaudit(command, ".", "--include", pattern, cwd=tmp_path)
        assert proc.returncode == 2
        (line,) = [ln for ln in error_lines(proc) if ln.startswith("Error:")]
        assert line.startswith("Error: include pattern ") and why in line
