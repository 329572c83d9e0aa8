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


# The adversary takes something from the store and must get back to the street.
THEFT = """\
site: {id: t, name: T, p_comm: 1.0}
threats: [{id: thieves, based_on: outsider-stealth, team: 2, armed: true, determined: %s}]
zones:
  - {id: street, kind: public}
  - {id: yard, kind: compound, delay_s: 20, delay_sd_s: 0, p_detect: 0}
  - {id: store, kind: compound, delay_s: 0, delay_sd_s: 0, p_detect: 0}
walls:
  - {id: fence, between: [street, yard], height_m: 2.4, delay_s: 30, delay_sd_s: 0, p_detect: 0}
gates:
  - {id: door, kind: door, between: [yard, store], delay_s: 60, delay_sd_s: 0,
     p_detect: 0.9, detect_at: E}
responders: [{id: guard, response_s: 80, size: 4, armed: true}]
assets: [{id: safe, zone: store, task_s: 40, wants: %s}]
"""


def test_theft_counts_the_way_out_and_a_determined_threat_does_not(tmp_path):
    sabotage = _one(tmp_path, THEFT % ("false", "sabotage"), "s.yaml")
    theft = _one(tmp_path, THEFT % ("false", "theft"), "t.yaml")
    determined = _one(tmp_path, THEFT % ("true", "theft"), "d.yaml")
    # the door alarms as it opens: 40 s of task remain, too few for the 80 s guard; the thief
    # must still cross the yard (20 s x 1.5 carrying) and the opened fence: 70 s, still short
    assert sabotage.p_effectiveness == 0.0
    # ...and the door again on the way out (its unlocked 3 s): 40 + 3 + 30 = 73 s < 80 s
    assert theft.route.endswith("safe -> door@out -> yard@out -> fence@out")
    assert theft.p_effectiveness == 0.0
    # a determined threat's path ends at the act, whatever the asset
    assert determined.route.endswith("-> safe")


def test_theft_gives_the_response_the_time_of_the_getaway(tmp_path):
    slow = (THEFT % ("false", "theft")).replace("delay_s: 20,", "delay_s: 60,")
    a = _one(tmp_path, slow, "slow.yaml")
    # 40 + 3 + 60 x 1.5 = 133 s after the alarm at the door: the guard (80 s) arrives
    door, again = a.timeline
    assert door["element"] == "door" and door["remaining_s"] == pytest.approx(40 + 3 + 90)
    assert door["units"] == [{"id": "guard", "p_in_time": 1.0}]
    # missed as it opened (0.1), the door's contact alarms again on the way out (0.9): 90 s left
    assert again["element"] == "door@out" and again["remaining_s"] == pytest.approx(90)
    assert again["p_first_detection"] == pytest.approx(0.09)
    assert a.p_effectiveness == pytest.approx(
        0.9 * door["p_neutralization"] + 0.09 * again["p_neutralization"], abs=1e-5
    )
    sabotage = _one(tmp_path, slow.replace("wants: theft", "wants: sabotage"), "sab.yaml")
    assert sabotage.p_effectiveness == 0.0 < a.p_effectiveness


def test_the_band_covers_the_engagement_inputs(tmp_path):
    # every delay and detection is recorded: only the engagement inputs can move P(E)
    recorded = _one(tmp_path, ONE_FIGHT % 4, "r.yaml")
    assert recorded.band[0] < recorded.p_effectiveness < recorded.band[1]
    unrecorded = _one(tmp_path, (ONE_FIGHT % 4).replace("size: 4, armed: true", ""), "u.yaml")
    assert {"size of team", "armed of team"} <= set(unrecorded.defaulted)
    # the defaulted size (2) and arms widen the band beyond the model's constant alone
    assert unrecorded.band[0] < unrecorded.p_effectiveness < unrecorded.band[1]
    assert unrecorded.band[1] - unrecorded.band[0] > recorded.band[1] - recorded.band[0]


def test_a_site_may_give_its_own_engagement_table(tmp_path):
    table = "site: {id: t, name: T, p_comm: 1.0, engagement_table: %s}"
    text = ONE_FIGHT % 6
    own = text.replace(
        "site: {id: t, name: T, p_comm: 1.0}", table % "[[0.5, 0.1], [1, 0.5], [2, 0.9]]"
    )
    # 6 armed against 4: force ratio 1.5, half-way between 0.5 and 0.9
    assert _one(tmp_path, own, "own.yaml").p_effectiveness == pytest.approx(0.7)
    falling = text.replace("site: {id: t, name: T, p_comm: 1.0}", table % "[[1, 0.5], [2, 0.4]]")
    path = tmp_path / "falling.yaml"
    path.write_text(falling, encoding="utf-8")
    from conftest import run_cli

    result = run_cli("paths", str(path))
    assert result.returncode == 2
    assert f"{path}:1:" in result.stderr and "must not fall" in result.stderr


def test_a_responder_arriving_on_the_site_walks_on_to_the_vantage_point(tmp_path):
    text = (STANDOFF % 100).replace(
        "vantage_points:",
        "responders: [{id: car, response_s: 30, size: 2, armed: true, arrives_at: hall}]\n"
        "vantage_points:",
    )
    a = _one(tmp_path, text)
    # 30 s to the hall, then out by the door (3 s) and 100 m at 2.5 m/s
    assert {u["id"]: u["response_s"] for u in a.units}["car"] == 30 + 3 + 100 / 2.5


def test_p_neutralization_is_not_defined_where_nothing_detects(tmp_path):
    """P(N) = P(E) / P(I) is 0/0 on a path nothing watches: reported as not defined (None,
    "n/a"), not as 0, which would say the response loses every fight."""
    blind = TWO_WAYS.replace("{WALL}", "").replace("p_detect: 0.6", "p_detect: 0")
    a = _one(tmp_path, blind)
    assert a.p_interruption == 0.0 and a.p_neutralization is None
    seen = _one(tmp_path, TWO_WAYS.replace("{WALL}", ""), "seen.yaml")
    assert seen.p_neutralization is not None and seen.p_neutralization > 0
