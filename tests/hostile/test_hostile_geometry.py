"""Family 16, geometry work bounded by what the plan may hold (``audit.geometry.budget``).

Valid files of a few kilobytes took minutes or gigabytes: one lamp beside a 20,000 km wall
(the light was sampled every half metre of the whole wall), a hundred cameras on a
10,000-point wall (each intersection point projected onto the whole wall, per camera),
thousands of cameras on one wall. Now the light is sampled only within a lamp's reach, each
wall is measured once, and what the plan asks past the limits is refused at the element
where it was crossed, by ``validate`` as by ``check``. Each run here is held to a CPU-time
and memory limit far above what it needs, far below what it took.
"""

from __future__ import annotations

import math
import resource

import pytest
from hostile import error_lines, siteaudit

HEAD = """\
site: {id: plan, name: Plan}
zones:
  - {id: out, kind: public}
  - {id: yard, kind: compound}
assets:
  - {id: a, name: A, zone: yard, value: high, task_s: 60}
gates:
  - {id: door, kind: pedestrian_gate, between: [out, yard], locked: true}
responders:
  - {id: police, name: Police, response_s: 600, response_sd_s: 120}
"""


def _limits() -> None:
    """60 s of CPU and 1.5 GB of address space: the old code needed minutes, or 10 GB."""
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
    resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))


def _camera(i: int, x: float, y: float, wall: str = "w") -> str:
    return (
        f"  - {{id: c{i}, covers: [{wall}], monitored: true, recording: true, night: true, "
        f"view: {{at: [{x}, {y}], heading_deg: 0, fov_deg: 90, resolution_px: 4000, "
        "range_m: 200}}\n"
    )


def _round(angle: float) -> str:
    """A corner of a round building 30 m across, centred 30 m north of the origin."""
    return f"[{15 * math.cos(angle):.4f}, {30 + 15 * math.sin(angle):.4f}]"


def _check(tmp_path, text: str, *args: str):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path, siteaudit(*args, path, cwd=tmp_path, preexec_fn=_limits)


def test_one_lamp_beside_a_wall_of_20000_km(tmp_path):
    text = (
        HEAD + "walls:\n  - {id: w, between: [out, yard], height_m: 2.4, "
        "course: [[-10000000, 0], [10000000, 0]]}\n"
        "lights:\n  - {id: l, covers: [w], backup_power: true, "
        "lamp: {at: [0, 5], height_m: 6, candela: 2500}}\n"
    )
    _, proc = _check(tmp_path, text, "check", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert "lit to 0.0 lux at its darkest" in proc.stdout


def test_a_hundred_cameras_on_a_wall_of_10000_points(tmp_path):
    """Each camera sees the whole zigzag wall: every point of it is a cut."""
    course = ", ".join(f"[{k * 0.01:.2f}, {3 * (k % 2)}]" for k in range(10_000))
    text = (
        HEAD + f"walls:\n  - {{id: w, between: [out, yard], height_m: 2.4, course: [{course}]}}\n"
    )
    text += "cameras:\n" + "".join(_camera(i, 50 + 0.1 * i, -60) for i in range(100))
    _, proc = _check(tmp_path, text, "check")
    assert proc.returncode in (0, 1), proc.stderr


def test_too_many_cameras_on_one_wall_are_refused_where_the_limit_is_passed(tmp_path):
    text = HEAD + "walls:\n  - {id: w, between: [out, yard], height_m: 2.4, "
    text += "course: [[0, 0], [3000, 0]]}\n"
    text += "cameras:\n" + "".join(_camera(i, i, -20) for i in range(3000))
    path, proc = _check(tmp_path, text, "validate")
    assert proc.returncode == 2
    lines = error_lines(proc)
    assert lines == [
        f"{path}:12:58: error: more than 1000 camera views reach this wall; its stretches "
        "would be cut by every pair of them (split the wall, or give cameras their range_m)"
    ]


@pytest.mark.parametrize(
    "body, says",
    [
        (
            "walls:\n  - {id: w, between: [out, yard], height_m: 2.4, course: [[0, 0], "
            "[10000000, 0]]}\nlights:\n"
            + "".join(
                f"  - {{id: l{i}, covers: [w], lamp: {{at: [{i * 2000}, 5], height_m: 100, "
                "candela: 10000000}}\n"
                for i in range(3000)
            ),
            "the lamps light more than 4,000,000 points along the walls",
        ),
        (
            "buildings:\n  - {id: b, height_m: 9, footprint: ["
            + ", ".join(_round(k * math.pi / 5000) for k in range(10_000))
            + "]}\nwalls:\n  - {id: w, between: [out, yard], height_m: 2.4, "
            "course: [[0, 0], [10, 0]]}\ncameras:\n"
            + "".join(_camera(i, 0.01 * i, -5) for i in range(60)),
            "the camera views reach more than 500,000 building corners",
        ),
    ],
    ids=["light", "shadows"],
)
def test_plans_past_the_work_limits_are_refused(tmp_path, body, says):
    path, proc = _check(tmp_path, HEAD + body, "validate")
    assert proc.returncode == 2, proc.stdout
    (line,) = error_lines(proc)
    assert line.startswith(f"{path}:") and says in line
