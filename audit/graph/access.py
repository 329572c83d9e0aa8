"""The access graph: zones are nodes, every way across a boundary is an edge.

A wall, a fence, a gap under a wall and every gate, door, stair, window or
hatch becomes an edge in each direction it can be crossed (a wall can be
climbed both ways; a ``one_way`` gate only inwards). Edge keys are element
ids, so ``G.edges[u, v, "rear-wall"]`` finds an element. The graph is a plain
``networkx.MultiDiGraph``: any networkx algorithm runs on it unchanged.

What covers an element (checkpoints at it, posts that observe it, cameras,
sensors, lights) is attached as lists of ids; the analysis turns them into
probabilities for a given hour (``audit.analysis.elements``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from audit.common.escape import printable, xml_text

if TYPE_CHECKING:
    import networkx as nx

    from audit.site.model import Site


def crossings(site: Site) -> list[tuple[str, str, Any, str, bool]]:
    """Every (from zone, to zone, element, barrier class, inward?) crossing, in file order."""
    out: list[tuple[str, str, Any, str, bool]] = []
    for wall in site.walls:
        a, b = wall.between
        out += [(a, b, wall, wall.kind, True), (b, a, wall, wall.kind, False)]
        for gap in wall.gaps:
            out += [(a, b, gap, "gap", True), (b, a, gap, "gap", False)]
    for gate in site.gates:
        a, b = gate.between
        out.append((a, b, gate, "gate", True))
        if not gate.one_way:
            out.append((b, a, gate, "gate", False))
    return out


def build_graph(site: Site) -> nx.MultiDiGraph:
    """Build the access graph of ``site``."""
    import networkx as nx

    g = nx.MultiDiGraph(
        site=site.site.id,
        name=site.site.name,
        file=site.path,
    )
    from audit.graph.coverage import Watch

    cover = Watch(site).by_target
    for zone in site.zones:
        g.add_node(
            zone.id,
            kind=zone.kind,
            name=zone.name or zone.id,
            building=zone.building,
            level=zone.level,
            line=zone.line,
            **_covered_by(cover, zone.id),
        )
    for u, v, el, barrier, inward in crossings(site):
        attrs: dict[str, Any] = {
            "element": el.id,
            "kind": el.kind,
            "barrier": barrier,
            "line": el.line,
            "inward": inward,
        }
        if barrier in ("wall", "fence"):
            attrs.update(
                side=el.side,
                height_m=el.height_m,
                topping=el.topping.kind,
                topping_condition=el.topping.condition,
                anti_climb=el.anti_climb,
            )
        elif barrier == "gap":
            attrs.update(grille=el.grille, grille_condition=el.grille_condition)
        else:
            locked = (
                el.locked
                if el.locked is None or isinstance(el.locked, bool)
                else [f"{h.from_}-{h.to} {','.join(h.days)}" for h in el.locked]
            )
            attrs.update(side=el.side, locked=locked, vehicle_barrier=el.vehicle_barrier)
        attrs.update(_covered_by(cover, el.id))
        g.add_edge(u, v, key=el.id, **attrs)
    return g


def _covered_by(cover: dict, element_id: str) -> dict[str, list[str]]:
    c = cover.get(element_id, {})
    return {
        k: sorted(el.id for el in c.get(k, []))
        for k in ("checkpoints", "posts", "cameras", "sensors", "lights")
    }


def to_json(g: nx.MultiDiGraph) -> str:
    """networkx node-link JSON, keys sorted, for byte-identical output."""
    import json

    import networkx as nx

    data = nx.node_link_data(g, edges="edges")
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _scalar(value: Any) -> Any:
    if isinstance(value, list | tuple) and any(isinstance(v, dict) for v in value):
        import json

        return json.dumps(value, sort_keys=True)
    if isinstance(value, list | tuple):
        return xml_text(",".join(map(str, value)))
    if isinstance(value, str):
        return xml_text(value)
    return value


def to_graphml(g: nx.MultiDiGraph) -> str:
    """GraphML (lists become comma-separated strings; absent values are left out)."""
    import networkx as nx

    h = nx.MultiDiGraph()
    h.graph.update({k: _scalar(v) for k, v in g.graph.items() if v is not None})
    for n, d in g.nodes(data=True):
        h.add_node(n, **{k: _scalar(v) for k, v in d.items() if v is not None})
    for u, v, k, d in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, **{a: _scalar(b) for a, b in d.items() if b is not None})
    return "\n".join(nx.generate_graphml(h)) + "\n"


def _dot_id(text: Any) -> str:
    return '"' + printable(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(g: nx.MultiDiGraph) -> str:
    """Graphviz DOT, written directly so no pydot/pygraphviz is needed."""
    lines = [f"digraph {_dot_id(g.graph.get('site', 'site'))} {{", "  rankdir=LR;"]
    for n, d in g.nodes(data=True):
        lines.append(
            f"  {_dot_id(n)} [label={_dot_id(d.get('name', n))}, kind={_dot_id(d['kind'])}];"
        )
    for u, v, k, d in g.edges(keys=True, data=True):
        style = "dashed" if d["barrier"] in ("wall", "fence", "gap") else "solid"
        lines.append(
            f"  {_dot_id(u)} -> {_dot_id(v)} [key={_dot_id(k)}, label={_dot_id(k)}, "
            f"kind={_dot_id(d['kind'])}, style={style}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
