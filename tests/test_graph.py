"""The access graph: zones as nodes, every crossing an edge, a plain networkx graph."""

from __future__ import annotations

import json

import networkx as nx
from conftest import KPO, run_cli

from audit import build_graph, load_site


def test_kpo_graph_shape():
    site = load_site(KPO)
    g = build_graph(site)
    assert isinstance(g, nx.MultiDiGraph)
    assert set(g.nodes) == {z.id for z in site.zones}
    rear = g.edges["police-lines", "compound", "rear-wall"]
    assert rear["barrier"] == "wall"
    assert rear["topping_condition"] == "cut"
    assert rear["inward"] is True
    assert g.has_edge("compound", "police-lines", "rear-wall")
    assert g.edges["compound", "kpo-ground", "kpo-entrance"]["checkpoints"] == ["cp-chief-1"]
    assert nx.has_path(g, "lines-road", "chief-suite")


def test_one_way_gate_and_gaps(write_site):
    path = write_site(
        """\
        site: {id: x, name: X}
        zones: [{id: a, kind: public}, {id: b, kind: compound}]
        walls:
          - id: w
            between: [a, b]
            height_m: 2
            gaps: [{id: drain, kind: culvert, grille: false}]
        gates: [{id: exit, kind: door, between: [b, a], one_way: true}]
        """
    )
    g = build_graph(load_site(path))
    keys = sorted((u, v, k) for u, v, k in g.edges(keys=True))
    assert keys == [
        ("a", "b", "drain"),
        ("a", "b", "w"),
        ("b", "a", "drain"),
        ("b", "a", "exit"),
        ("b", "a", "w"),
    ]
    assert g.edges["a", "b", "drain"]["barrier"] == "gap"


def test_json_export_is_node_link_and_round_trips():
    result = run_cli("graph", str(KPO), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    g = nx.node_link_graph(data, edges="edges")
    assert g.is_multigraph() and g.is_directed()
    assert g.number_of_edges() == build_graph(load_site(KPO)).number_of_edges()


def test_exports_are_deterministic(tmp_path):
    for fmt in ("json", "dot", "graphml"):
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        assert run_cli("graph", str(KPO), "--format", fmt, "-o", str(a)).returncode == 0
        assert run_cli("graph", str(KPO), "--format", fmt, "-o", str(b)).returncode == 0
        assert a.read_bytes() == b.read_bytes()


def test_graphml_and_dot_parse(tmp_path):
    out = tmp_path / "g.graphml"
    assert run_cli("graph", str(KPO), "--format", "graphml", "-o", str(out)).returncode == 0
    g = nx.read_graphml(out, force_multigraph=True)
    assert "chief-suite" in g
    dot = run_cli("graph", str(KPO), "--format", "dot").stdout
    assert dot.startswith('digraph "kpo" {') and '"police-lines" -> "compound"' in dot


def test_bad_input_leaves_no_output_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("site: {id: x}\n")
    out = tmp_path / "out.json"
    result = run_cli("graph", str(bad), "-o", str(out))
    assert result.returncode == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]
