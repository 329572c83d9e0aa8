"""The exact search equals brute force on the element values each kind of threat meets.

Random small sites (walls, gates locked or by the hour, posts with or without
radios, watched and unwatched cameras, sensors that need assessment, armed
posts and responders) are analysed against each kind of threat: a stealthy
outsider, a forcing outsider with power tools and explosives, a vehicle, and an
insider who starts inside with keys. For each, the search problem the analysis
builds at a random moment is solved by the search and by enumerating every
simple path; they must agree, for P(I) and for P(E) (up to three responders
and the armed posts, of different sizes, arms and times, against a team of one
to four, armed or not), and for assets that want theft with the way out
(another theft asset beside it, whose task the path must not pass). 1,000
sites per threat kind.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.analysis.paths import Analyzer
from audit.analysis.search import all_simple_paths_min, most_vulnerable_path
from audit.site.load import load_site
from audit.site.threats import declared

ZONES = [
    {"id": "road", "kind": "public"},
    {"id": "lane", "kind": "approach"},
    {"id": "yard", "kind": "compound", "crossing_m": 40},
    {"id": "hall", "kind": "floor", "building": "b", "level": 0},
    {"id": "room", "kind": "room", "building": "b", "level": 0, "crossing_m": 5},
]
PAIRS = [
    ("road", "lane"),
    ("road", "yard"),
    ("lane", "yard"),
    ("yard", "hall"),
    ("lane", "hall"),
    ("hall", "room"),
    ("yard", "room"),
]
HOURS = [{"from": "18:00", "to": "07:00"}, {"from": "08:00", "to": "17:00"}]
SLOTS = st.integers(0, 7 * 96 - 1)
THREATS = {
    "outsider-stealth": "outsider-stealth",
    "outsider-force": "outsider-force",
    "vehicle": "vehicle",
}
_DIR = tempfile.TemporaryDirectory(prefix="threat-search-")


@st.composite
def sites(draw, threat: str):
    walls, gates, checkpoints, cameras, sensors = [], [], [], [], []
    for i, (a, b) in enumerate(PAIRS):
        what = draw(st.sampled_from(["wall", "gate", "both", "none"]))
        if what in ("wall", "both"):
            walls.append(
                {
                    "id": f"w{i}",
                    "between": [a, b],
                    "height_m": draw(st.sampled_from([1.5, 2.4, 3.0])),
                    "topping": {"kind": draw(st.sampled_from(["none", "razor_wire"]))},
                }
            )
        if what in ("gate", "both"):
            kind = (
                "door"
                if b in ("hall", "room")
                else draw(st.sampled_from(["vehicle_gate", "pedestrian_gate"]))
            )
            locked = draw(st.sampled_from([True, False, "hours"]))
            gate = {
                "id": f"g{i}",
                "kind": kind,
                "between": [a, b],
                "locked": [draw(st.sampled_from(HOURS))] if locked == "hours" else locked,
                "vehicle_barrier": draw(st.booleans()),
            }
            gates.append(gate)
            if draw(st.booleans()):
                cp = {
                    "id": f"cp{i}",
                    "at": gate["id"],
                    "shifts": [
                        {**draw(st.sampled_from(HOURS)), "guards": draw(st.integers(1, 3)),
                         "armed": draw(st.booleans())}
                    ],
                }  # fmt: skip
                radio = draw(st.sampled_from([True, False, None]))
                if radio is not None:
                    cp["radio"] = radio
                checkpoints.append(cp)
    elements = [w["id"] for w in walls] + [g["id"] for g in gates] + [z["id"] for z in ZONES]
    for k in range(draw(st.integers(0, 3))):
        cameras.append(
            {
                "id": f"cam{k}",
                "covers": draw(st.lists(st.sampled_from(elements), min_size=1, max_size=2)),
                "monitored": draw(st.booleans()),
                "night": draw(st.booleans()),
            }
        )
    for k in range(draw(st.integers(0, 3))):
        sensors.append(
            {
                "id": f"s{k}",
                "kind": draw(st.sampled_from(["fence_vibration", "door_contact", "pir"])),
                "covers": [draw(st.sampled_from(elements))],
            }
        )
    responders = [
        {
            "id": f"r{k}",
            "response_s": draw(st.sampled_from([30, 60, 120, 300])),
            "response_sd_s": draw(st.sampled_from([0, 15, 40])),
            "size": draw(st.integers(1, 8)),
            "armed": draw(st.booleans()),
        }
        for k in range(draw(st.integers(0, 3)))
    ]
    if threat == "insider":
        own = ["yard", "hall", "room"]
        entry = {
            "id": "insider",
            "starts_in": draw(st.lists(st.sampled_from(own), min_size=1, max_size=2, unique=True)),
        }
        if gates:
            entry["keys"] = draw(st.lists(st.sampled_from([g["id"] for g in gates]), max_size=2))
        threats = [entry]
    else:
        threats = [{"id": threat, "based_on": THREATS[threat]}]
    # the team the response must defeat: its size and arms (P(E))
    threats[0] |= {"team": draw(st.integers(1, 4)), "armed": draw(st.booleans())}
    data = {
        "site": {"id": "t", "name": "T"},
        "threats": threats,
        "zones": ZONES,
        "walls": walls,
        "gates": gates,
        "checkpoints": checkpoints,
        "cameras": cameras,
        "sensors": sensors,
        "responders": responders,
        "assets": [{"id": "a", "zone": draw(st.sampled_from(["yard", "hall", "room"])),
                    "task_s": draw(st.sampled_from([0, 30, 120])),
                    "wants": draw(st.sampled_from(["sabotage", "sabotage", "theft"]))},
                   {"id": "b", "zone": "hall", "task_s": 10, "wants": "theft"}],
    }  # fmt: skip
    return data


def _check(data: dict, slot: int) -> None:
    path = Path(_DIR.name) / "site.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    site = load_site(path)
    (threat,) = declared(site)
    an = Analyzer(site, threat)
    asset = site.assets[0]
    problem = an.problem(asset, slot)
    brute = all_simple_paths_min(problem)
    found = most_vulnerable_path(problem)
    if math.isnan(brute):
        assert math.isnan(found.p_interruption)
        return
    assert found.exact
    assert math.isclose(found.p_interruption, brute, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(an.search(asset, slot).p_interruption, brute, rel_tol=1e-9, abs_tol=1e-12)
    # P(E): the response on the engagement timeline, every unit on duty in arrival order
    curve = an.force.curve(threat, slot, asset.zone)
    problem = an.problem(asset, slot, curve=curve)
    brute = all_simple_paths_min(problem)
    found = an.search(asset, slot, curve=curve)
    assert found.exact
    assert math.isclose(found.p_interruption, brute, rel_tol=1e-9, abs_tol=1e-12)


EXAMPLES = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))


@EXAMPLES
@given(sites("outsider-stealth"), SLOTS)
def test_stealthy_outsider(data, slot):
    _check(data, slot)


@EXAMPLES
@given(sites("outsider-force"), SLOTS)
def test_forcing_outsider_with_tools_and_explosives(data, slot):
    _check(data, slot)


@EXAMPLES
@given(sites("vehicle"), SLOTS)
def test_vehicle(data, slot):
    _check(data, slot)


@EXAMPLES
@given(sites("insider"), SLOTS)
def test_insider_with_keys_starting_inside(data, slot):
    _check(data, slot)
