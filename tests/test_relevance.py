"""What can lie on a path to an asset (``analysis.relevance``), and grouping the week by it:
the blocks off the route are set aside, no node of a simple path is, and an asset's hours
grouped by what it can see give the values of the hours searched one state at a time."""

from __future__ import annotations

import networkx as nx
import pytest
from conftest import independent_sites
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.analysis.relevance import on_some_path


def test_a_building_entered_only_from_the_compound_is_set_aside():
    edges = [
        ("street", "compound"),
        ("compound", "a"),
        ("compound", "a"),  # (two doors of one building onto the compound)
        ("a", "a-store"),
        ("compound", "b"),
        ("b", "b-office"),
    ]
    assert on_some_path(edges, ["street"], "a-store") == {"street", "compound", "a", "a-store"}


def test_a_building_with_a_door_to_the_street_is_on_a_route():
    edges = [("street", "compound"), ("compound", "a"), ("compound", "b"), ("b", "street")]
    assert on_some_path(edges, ["street"], "a") == {"street", "compound", "a", "b"}


def test_no_route_is_none():
    assert on_some_path([("street", "yard"), ("vault", "store")], ["street"], "vault") is None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=12),
    st.sets(st.integers(0, 6), min_size=1, max_size=2),
    st.integers(0, 6),
)
def test_every_node_of_a_simple_path_is_kept(pairs, starts, target):
    """Brute force: every node of every simple path (directed or not) from a start to the
    target is in the set."""
    edges = [(f"z{u}", f"z{v}") for u, v in pairs if u != v]
    found = on_some_path(edges, [f"z{s}" for s in starts], f"z{target}")
    g = nx.Graph(edges)
    on_paths = set()
    for s in starts:
        if f"z{s}" in g and f"z{target}" in g:
            for path in nx.all_simple_paths(g, f"z{s}", f"z{target}"):
                on_paths |= set(path)
            if s == target:
                on_paths.add(f"z{s}")
    if found is None:
        assert not on_paths - {f"z{target}"}
    else:
        assert on_paths <= found


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    return independent_sites(tmp_path_factory.mktemp("relevance"), 12, seed=7)


def _week(site, threat, everything: bool):
    from audit.analysis import paths
    from audit.site import schedule

    class Whole(paths.Analyzer):
        """Every element counts: one group per state, as before the blocks were set aside."""

        def _positions(self, asset):
            return tuple(range(len(self._varying) + len(self._scheduled)))

    an = (Whole if everything else paths.Analyzer)(site, threat)
    out = {}
    for asset in site.assets:
        curve = None if threat is None else (lambda s, a=asset: an.curve(s, a.zone))
        for group, res in an.grouped(asset, list(range(schedule.WEEK)), curve):
            for s in group:
                out[asset.id, s] = res.value
    groups = sum(len(an.slot_groups(list(range(schedule.WEEK)), a)) for a in site.assets)
    return out, groups


def test_grouping_by_what_an_asset_can_see_keeps_every_hour_s_value(fleet):
    from audit.site.load import load_site
    from audit.site.threats import declared

    fewer = False
    for path in fleet:
        site = load_site(path)
        for threat in [None, *declared(site)[:1]]:
            seen, n_seen = _week(site, threat, everything=False)
            whole, n_whole = _week(site, threat, everything=True)
            assert seen.keys() == whole.keys()
            for key, value in seen.items():
                assert abs(value - whole[key]) <= 1e-9, (path, threat, key)
            assert n_seen <= n_whole
            fewer |= n_seen < n_whole
    assert fewer, "the fleet's campuses had hours that only other buildings tell apart"
