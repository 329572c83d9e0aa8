"""P(E) faults found by an independent review (issue 22), each on small sites.

1. P(N) must be taken on the path of lowest P(E), not the path of lowest P(I).
2. A unit is in time when it arrives within the time left *after* detection.
3. Against a stand-off threat the response must reach the vantage point.
4. P(N) follows the stochastic (Markov) square law, not a contest-success ratio.
"""

from __future__ import annotations

import textwrap

import pytest

from audit.analysis.effectiveness import assess
from audit.site.load import load_site

PAIR = "threats: [{id: pair, based_on: outsider-stealth, team: 2, armed: true, determined: true}]"
RESPONDERS = """\
responders:
  - {id: near, response_s: 60, size: 1, armed: true}
  - {id: far, response_s: 200, size: 6, armed: true}
"""


def _one(tmp_path, text: str, name: str = "s.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    (t,) = assess(load_site(path))
    (a,) = t.assets
    return a


# A 300 s wall detected with p 0.5, or a 100 s door detected with p 0.6, both at once.
WALL = """\
walls:
  - {id: wall, between: [road, room], height_m: 3, delay_s: 300, delay_sd_s: 0,
     p_detect: 0.5, detect_at: B}
"""
TWO_WAYS = f"""\
site: {{id: t, name: T, p_comm: 1.0}}
{PAIR}
zones:
  - {{id: road, kind: public}}
  - {{id: room, kind: compound, delay_s: 0, delay_sd_s: 0, p_detect: 0}}
{{WALL}}gates:
  - {{id: door, kind: door, between: [road, room], delay_s: 100, delay_sd_s: 0,
     p_detect: 0.6, detect_at: B}}
{RESPONDERS}
assets: [{{id: a, zone: room, task_s: 0}}]
"""


def test_a_second_way_in_never_raises_p_effectiveness(tmp_path):
    both = _one(tmp_path, TWO_WAYS.replace("{WALL}", WALL), "both.yaml")
    door_only = _one(tmp_path, TWO_WAYS.replace("{WALL}", ""), "door.yaml")
    assert "door" in door_only.route
    # the worst case for the defender is the door, whatever P(I) the wall has
    assert both.route == door_only.route
    assert both.p_effectiveness == pytest.approx(door_only.p_effectiveness, abs=1e-9)
    assert both.p_effectiveness < 0.2


# An undetected 300 s wall, a door detected at its end (p 0.9), then a 100 s task.
LATE_ALARM = f"""\
site: {{id: t, name: T, p_comm: 1.0}}
{PAIR}
zones:
  - {{id: road, kind: public}}
  - {{id: yard, kind: compound, delay_s: 0, delay_sd_s: 0, p_detect: 0}}
  - {{id: room, kind: compound, delay_s: 0, delay_sd_s: 0, p_detect: 0}}
walls:
  - {{id: wall, between: [road, yard], height_m: 3, delay_s: 300, delay_sd_s: 0, p_detect: 0}}
gates:
  - {{id: door, kind: door, between: [yard, room], delay_s: 30, delay_sd_s: 0,
     p_detect: 0.9, detect_at: E}}
{RESPONDERS}
assets: [{{id: a, zone: room, task_s: 100}}]
"""


def test_units_in_time_are_judged_on_the_time_left_after_detection(tmp_path):
    both = _one(tmp_path, LATE_ALARM, "both.yaml")
    # after the alarm at the door only 100 s remain: the 200 s unit cannot arrive
    near_only = _one(
        tmp_path, "\n".join(ln for ln in LATE_ALARM.splitlines() if "id: far" not in ln), "n.yaml"
    )
    assert both.p_effectiveness == pytest.approx(near_only.p_effectiveness, abs=1e-9)
    assert both.p_effectiveness < 0.5


# An armed post beside the asset, a vantage point outside at 100 m or 280 m.
STANDOFF = """\
site: {id: t, name: T, p_comm: 1.0}
threats: [{id: snipers, based_on: standoff, team: 2, armed: true}]
zones:
  - {id: road, kind: public, delay_s: 0, delay_sd_s: 0}
  - {id: hall, kind: compound, delay_s: 0, delay_sd_s: 0}
gates: [{id: door, kind: door, between: [road, hall], delay_s: 3, delay_sd_s: 0}]
checkpoints:
  - {id: post, at: door, radio: true,
     shifts: [{from: "00:00", to: "24:00", guards: 4, armed: true}]}
cameras: [{id: cam, covers: [flats], monitored: true, night: true}]
vantage_points: [{id: flats, overlooks: [hall], distance_m: %s}]
assets: [{id: a, zone: hall, task_s: 60}]
"""


def test_standoff_response_must_reach_the_vantage_point(tmp_path):
    near = _one(tmp_path, STANDOFF % 100, "near.yaml")
    far = _one(tmp_path, STANDOFF % 280, "far.yaml")
    assert near.exposed and far.exposed
    # the guards react (10 s), leave by the door (3 s unlocked) and cover the distance at
    # 2.5 m/s: 53 s to the near position, 125 s to the far one, against a 60 s task
    assert [u["response_s"] for u in near.units] == [10 + 3 + 100 / 2.5]
    assert [u["response_s"] for u in far.units] == [10 + 3 + 280 / 2.5]
    assert far.p_effectiveness < near.p_effectiveness / 10


# One detection with all the time in the world: P(E) is P(N) of the unit against the team.
ONE_FIGHT = """\
site: {id: t, name: T, p_comm: 1.0}
threats: [{id: four, based_on: outsider-stealth, team: 4, armed: true, determined: true}]
zones:
  - {id: road, kind: public}
  - {id: room, kind: compound, delay_s: 0, delay_sd_s: 0, p_detect: 0}
walls:
  - {id: wall, between: [road, room], height_m: 3, delay_s: 600, delay_sd_s: 0,
     p_detect: 1, detect_at: B}
responders: [{id: team, response_s: 60, size: %d, armed: true}]
assets: [{id: a, zone: room, task_s: 0}]
"""


@pytest.mark.parametrize("size, expected", [(2, 0.080556), (8, 0.977724), (4, 0.5)])
def test_p_neutralization_is_the_stochastic_square_law(tmp_path, size, expected):
    a = _one(tmp_path, ONE_FIGHT % size)
    assert a.p_interruption == 1.0
    assert a.p_effectiveness == pytest.approx(expected, abs=1e-6)


def _fight(d: int, a: int, stop: int) -> float:
    """P(the attackers are down to ``stop`` before the defenders are gone): equal arms."""
    if a <= stop or d == 0:
        return float(a <= stop)
    return d / (d + a) * _fight(d, a - 1, stop) + a / (d + a) * _fight(d - 1, a, stop)


@pytest.mark.parametrize("size", [2, 4])
def test_only_a_determined_team_fights_to_the_last(tmp_path, size):
    determined = _one(tmp_path, ONE_FIGHT % size, "d.yaml")
    wavering = _one(tmp_path, (ONE_FIGHT % size).replace(", determined: true", ""), "w.yaml")
    assert determined.p_effectiveness == pytest.approx(_fight(size, 4, 0), abs=1e-6)
    # engagement.break_off 0.5: a team of 4 that is down to 2 breaks off and fails
    assert wavering.p_effectiveness == pytest.approx(_fight(size, 4, 2), abs=1e-6)
    assert wavering.p_effectiveness > determined.p_effectiveness


def test_the_worked_example_in_readme(tmp_path):
    """README's worked example, step by step: the chain's figures and the report."""
    import re

    from conftest import ROOT, run_cli

    from audit.analysis.engagement import SquareLaw

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (site,) = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "id: worked" in b]
    start = readme.index("against raid (")
    shown = readme[start : readme.index("```", start)]
    path = tmp_path / "worked.yaml"
    path.write_text(site, encoding="utf-8")
    law = SquareLaw({"armed": 1.0, "unarmed": 0.1}, 1.0, True)
    patrol = law.outcome(2, True, 3)
    assert patrol == pytest.approx((0.225, 0.092, 0.233, 0.450), abs=5e-4)
    assert patrol[0] == pytest.approx(2 / 5 * 1 / 2 + 3 / 5 * 1 / 24)
    qrf = [law.outcome(6, True, k)[0] for k in (1, 2, 3)]
    assert qrf == pytest.approx([0.9998, 0.9938, 0.9584], abs=5e-5)
    at_fence = patrol[0] + sum(p * q for p, q in zip(patrol[1:], qrf, strict=True))
    assert at_fence == pytest.approx(0.980, abs=5e-4)
    a = _one(tmp_path, site)
    assert a.p_effectiveness == pytest.approx(0.5 * at_fence + 0.4 * patrol[0], abs=1e-6)
    assert (a.p_effectiveness, a.p_interruption, a.p_neutralization) == pytest.approx(
        (0.580, 0.900, 0.644), abs=5e-4
    )
    out = run_cli("paths", str(path)).stdout
    assert shown in out
