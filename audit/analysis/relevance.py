"""Which zones and crossings can lie on a path to an asset at all: the blocks of the graph
between the start zones and the target.

A simple path from a start to the target passes only through the biconnected components
(blocks) on the one route between them in the block-cut tree: to enter any other block it
must come in through a cut vertex and leave through the same vertex again, which a simple
path cannot do. So a building reached only through the compound (its doors all open
onto the compound) holds no element of any simple path to an asset elsewhere, and the
detection of its cameras and posts cannot change that asset's answer.

``Analyzer`` uses this to group the hours of the week per asset by the detection of the
elements that matter to it alone: on a campus whose buildings each keep their own rota,
an asset's week had one search per change anywhere on the site (on sites drawn by another
generator, 19 per asset); with the rest set aside, a third as many. The search itself
still runs over the whole network (the other blocks cannot change its answer; the
search over walks, used past a search's budget, may reach them, and its bound stays a
bound on every hour of the group: it is at most the simple-path optimum they share).

The graph is taken undirected, which can only add paths: an over-estimate of what
matters, never an under-estimate.
"""

from __future__ import annotations

from collections.abc import Iterable

SOURCE = "\0start"
"""A node joined to every start zone: one source for the block-cut tree."""


def on_some_path(
    edges: Iterable[tuple[str, str]], starts: Iterable[str], target: str
) -> frozenset[str] | None:
    """The nodes of ``edges`` that lie in a block on the route from the starts to
    ``target`` in the block-cut tree (every node a simple path from a start to the target
    can pass), or None where no start reaches the target."""
    import networkx as nx

    g = nx.Graph()
    g.add_edges_from((SOURCE, s) for s in starts)
    g.add_edges_from(edges)
    if target not in g or SOURCE not in g or not nx.has_path(g, SOURCE, target):
        return None
    tree = nx.Graph()
    blocks = [frozenset(b) for b in nx.biconnected_components(g)]
    for i, block in enumerate(blocks):
        tree.add_edges_from((i, ("node", n)) for n in block)
    route = nx.shortest_path(tree, ("node", SOURCE), ("node", target))
    found: set[str] = set()
    for step in route:
        if isinstance(step, int):
            found |= blocks[step]
    found.discard(SOURCE)
    return frozenset(found)
