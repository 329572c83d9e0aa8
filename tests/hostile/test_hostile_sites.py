"""Family 10, semantically varied valid sites through every command and format.

The generator deliberately builds what careful sites never have: assets in
public zones, zones nothing connects to, empty sections, no responders, no
public zone at all, walls in either direction, several gates between the same
two zones. Any valid site must be audited (exit 0 or 1), never crash.
"""

from __future__ import annotations

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.cli.main import main

ZONE_KINDS = [
    "public",
    "approach",
    "compound",
    "floor",
    "room",
    "roof",
    "residential",
    "external_building",
]
GATE_KINDS = [
    "vehicle_gate",
    "pedestrian_gate",
    "door",
    "stairs",
    "window",
    "hatch",
    "lift",
    "opening",
]


@st.composite
def sites(draw) -> dict:
    n = draw(st.integers(1, 7))
    zones = [{"id": f"z{i}", "kind": draw(st.sampled_from(ZONE_KINDS))} for i in range(n)]
    ids = [z["id"] for z in zones]
    pair = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1])
    data: dict = {"site": {"id": "gen", "name": "Generated"}, "zones": zones}
    if n > 1:
        data["walls"] = [
            {
                "id": f"w{i}",
                "between": list(draw(pair)),
                "height_m": draw(st.floats(0, 6)),
                "topping": {
                    "kind": "barbed_wire",
                    "condition": draw(st.sampled_from(["intact", "cut", "missing"])),
                },
            }
            for i in range(draw(st.integers(0, 4)))
        ]
        data["gates"] = [
            {
                "id": f"g{i}",
                "kind": draw(st.sampled_from(GATE_KINDS)),
                "between": list(draw(pair)),
                "locked": draw(st.booleans()),
            }
            for i in range(draw(st.integers(0, 5)))
        ]
    gates = [g["id"] for g in data.get("gates", [])]
    if gates and draw(st.booleans()):
        shift = {
            "from": "08:00",
            "to": draw(st.sampled_from(["16:00", "08:00", "07:45"])),
            "guards": draw(st.integers(0, 3)),
            "armed": draw(st.booleans()),
        }
        if shift["to"] == "08:00":
            shift["hours"] = 24
        data["checkpoints"] = [{"id": "cp", "at": draw(st.sampled_from(gates)), "shifts": [shift]}]
    elements = ids + gates + [w["id"] for w in data.get("walls", [])]
    if draw(st.booleans()):
        data["cameras"] = [
            {
                "id": "cam",
                "covers": draw(
                    st.lists(st.sampled_from(elements), min_size=1, max_size=3, unique=True)
                ),
                "monitored": draw(st.booleans()),
                "night": draw(st.booleans()),
            }
        ]
    if draw(st.booleans()):
        data["responders"] = [
            {
                "id": "qrf",
                "response_s": draw(st.sampled_from([0, 60, 900])),
                "response_sd_s": draw(st.sampled_from([0, 30])),
            }
        ]
    data["assets"] = [
        {
            "id": f"a{i}",
            "zone": draw(st.sampled_from(ids)),
            "task_s": draw(st.sampled_from([0, 60])),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    hours = st.sampled_from(
        [[], [{"from": "18:00", "to": "07:00"}], [{"from": "08:00", "to": "08:30"}]]
    )
    for gate in data.get("gates", []):
        if draw(st.booleans()):
            gate["locked"] = draw(hours) or True
    if draw(st.booleans()):
        data["stations"] = [
            {
                "id": "ops",
                "in": draw(st.sampled_from(ids)),
                "shifts": [{"from": "08:00", "to": "20:00", "guards": 1}],
            }
        ]
        for cam in data.get("cameras", []):
            cam["station"] = "ops"
    if draw(st.booleans()):
        data["patrols"] = [
            {
                "id": "round",
                "route": draw(
                    st.lists(st.sampled_from(elements), min_size=1, max_size=3, unique=True)
                ),
                "interval_min": draw(st.sampled_from([5, 30, 120])),
                "hours": draw(hours),
            }
        ]
    for responder in data.get("responders", []):
        responder["on_duty"] = draw(hours)
    data["threats"] = draw(st.sampled_from([[], ["outsider-force"], ["vehicle", "insider"]]))
    if draw(st.booleans()):
        data["sensors"] = [
            {"id": "sen", "kind": "pir", "covers": [draw(st.sampled_from(elements))]}
        ]
    for section in ("lights", "vantage_points", "waivers"):
        if draw(st.booleans()):
            data[section] = []
    return data


COMMANDS = [
    ["validate"],
    ["check", "--format", "text"],
    ["check", "--format", "json"],
    ["check", "--format", "markdown"],
    ["check", "--format", "html"],
    ["check", "--format", "sarif"],
    ["check", "--format", "junit"],
    ["check", "--at", "19:00", "-q"],
    ["paths", "--format", "json"],
    ["paths", "--at", "fri 19:00"],
    ["graph", "--format", "graphml", "--at", "fri 19:00"],
    ["graph", "--format", "dot"],
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=sites())
def test_every_command_on_any_valid_site(tmp_path, data):
    path = tmp_path / "gen.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    runner = CliRunner()
    for cmd in COMMANDS:
        args = [cmd[0], str(path), *cmd[1:]]
        if cmd[0] == "check":
            args += ["--no-config", "--today", "2026-01-01"]
        result = runner.invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            cmd,
            result.output,
            result.exc_info,
        )
        assert result.exit_code in (0, 1), (cmd, result.output)
        assert "internal error" not in result.output, (cmd, result.output)


def test_asset_in_a_public_zone(tmp_path):
    path = tmp_path / "pub.yaml"
    path.write_text(
        "site: {id: p, name: P}\nzones: [{id: street, kind: public}]\n"
        "responders: [{id: r, response_s: 300}]\nassets: [{id: atm, zone: street}]\n"
    )
    result = CliRunner().invoke(main, ["check", str(path), "--no-config"])
    assert result.exit_code == 1, result.output
    assert "SA-EASI-001" in result.output
