"""Property: whatever bytes or YAML reach the loader, only SiteError escapes."""

from __future__ import annotations

import yaml
from conftest import KPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.common.errors import SiteError
from audit.site.load import site_from_document
from audit.site.source import parse_document

KPO_BYTES = KPO.read_bytes()


def _load(raw: bytes) -> None:
    try:
        site_from_document(parse_document(raw, "fuzz.yaml"))
    except SiteError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.line >= 1 and p.column >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(raw):
    _load(raw)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, len(KPO_BYTES) - 1),
    st.integers(0, 40),
    st.binary(max_size=12),
)
def test_mutated_example_site(pos, cut, insert):
    _load(KPO_BYTES[:pos] + insert + KPO_BYTES[pos + cut :])


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["public", "compound", "08:00", "24:00", "wall"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "kind", "between", "covers", "at", "zone", "height_m", "x"]),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)
sections = st.sampled_from(
    ["site", "zones", "walls", "gates", "checkpoints", "cameras", "lights", "assets", "waivers"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(sections, values, max_size=6))
def test_random_yaml_structures(data):
    _load(yaml.safe_dump(data).encode("utf-8"))
