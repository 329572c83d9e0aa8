"""Property: any generated site runs through every rule and every report format without error."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate_site  # noqa: E402

from audit.app.run import audit_file  # noqa: E402
from audit.report import FORMATS, formatter  # noqa: E402
from audit.rules.checklist import load_rules  # noqa: E402

RULES = load_rules([])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    zones=st.integers(3, 40),
    seed=st.integers(0, 10_000),
    secure=st.booleans(),
    at=st.sampled_from([None, "19:00", "sat 03:15"]),
)
def test_every_rule_and_format_on_generated_sites(tmp_path, zones, seed, secure, at):
    path = tmp_path / f"g{seed}.yaml"
    path.write_text(yaml.safe_dump(generate_site(zones, seed, secure=secure), sort_keys=False))
    result = audit_file(Path(path), RULES, at=at)
    for f in result.findings:
        assert f.line >= 1 and f.rule and f.message
    for fmt in FORMATS:
        first = formatter(fmt)([result], fail_on="high")
        again = formatter(fmt)([result], fail_on="high")
        assert first == again and first.endswith("\n")


KPO_DATA = yaml.safe_load((ROOT / "sites" / "karachi-police-office.yaml").read_text("utf-8"))


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    else:
        yield path, node


LEAVES = [p for p, v in _leaves(KPO_DATA) if isinstance(v, bool | int | float)]
EDGE_VALUES = st.one_of(
    st.booleans(),
    st.sampled_from([0, 0.0, 1, 1.0, 0.5, 1e-9, 10_000, 999_999.0]),
    st.floats(0, 1),
    st.integers(0, 20),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.tuples(st.sampled_from(LEAVES), EDGE_VALUES), min_size=1, max_size=6),
    st.sampled_from([None, "19:00"]),
)
def test_mutated_founding_case_never_crashes_a_rule_or_report(tmp_path, changes, at):
    import copy

    from audit.common.errors import SiteError

    data = copy.deepcopy(KPO_DATA)
    for path, value in changes:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    site = tmp_path / "kpo.yaml"
    site.write_text(yaml.safe_dump(data, sort_keys=False))
    try:
        result = audit_file(site, RULES, at=at)
    except SiteError:
        return
    for fmt in FORMATS:
        assert formatter(fmt)([result], fail_on="high").endswith("\n")


def _zero_some_delays(data, rnd):
    """Set some zone and crossing delays to 0 s: ties of delay between routes (two public
    zones joined by a 0 s opening once crashed the quickest-route search)."""
    for section in ("zones", "gates", "walls"):
        for el in data.get(section, []):
            if rnd.random() < 0.4:
                el["delay_s"] = 0
                el.pop("delay_sd_s", None)
    ids = [z["id"] for z in data["zones"]]
    outside = ("public", "approach")
    public = [z["id"] for z in data["zones"] if z.get("kind") in outside] or ids
    for k in range(3):  # 0 s openings, some between two outside zones
        a, b = rnd.choice(public), rnd.choice(ids if k else public + ids)
        if a != b:
            data.setdefault("gates", []).append(
                {"id": f"zero-link-{k}", "kind": "opening", "between": [a, b], "delay_s": 0}
            )
    return data


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    shape=st.sampled_from(["mesh", "braid", "chain", "layers", "campus"]),
    zones=st.integers(4, 30),
    seed=st.integers(0, 10_000),
)
def test_second_generator_sites_with_zero_delays_never_crash(tmp_path, shape, zones, seed):
    import random

    from generate2 import generate_site2

    data = _zero_some_delays(generate_site2(shape, zones, seed), random.Random(seed))
    path = tmp_path / f"{shape}{seed}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = audit_file(Path(path), RULES)
    for f in result.findings:
        assert f.line >= 1 and f.rule and f.message
