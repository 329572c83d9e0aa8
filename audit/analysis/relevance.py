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

A theft's path runs on from the task through the way out (``exits``), a copy of the site
entered only through the task: the task is a cut vertex, and the path is a simple path in
to the asset's zone, then one out from the zone's copy to the getaway. Each layer's block
tree is made once per site (``Blocks``) and asked once per asset.

The graph is taken undirected, which can only add paths: an over-estimate of what
matters, never an under-estimate.
"""

from __future__ import annotations

from collections.abc import Iterable

SOURCE = "\0start"
"""A node joined to every start zone: one source for the block-cut tree."""


class Blocks:
    """The block-cut tree of an undirected graph with ``SOURCE`` joined to the starts, and
    each node's route back to ``SOURCE`` in it."""

    def __init__(self, edges: Iterable[tuple[str, str]], starts: Iterable[str]) -> None:
        import networkx as nx

        g = nx.Graph()
        g.add_edges_from((SOURCE, s) for s in starts)
        g.add_edges_from(edges)
        self.blocks: list[frozenset[str]] = []
        self._up: dict[object, object] = {}
        self.of: dict[str, list[int]] = {}
        """The blocks each node is in (a cut vertex is in several)."""
        if SOURCE not in g:
            return
        tree = nx.Graph()
        for i, block in enumerate(nx.biconnected_components(g)):
            self.blocks.append(frozenset(block))
            tree.add_edges_from((i, ("node", n)) for n in block)
            for n in block:
                self.of.setdefault(n, []).append(i)
        if ("node", SOURCE) in tree:
            self._up = dict(nx.bfs_predecessors(tree, ("node", SOURCE)))
            self._up[("node", SOURCE)] = None

    def route(self, target: str) -> tuple[int, ...] | None:
        """The blocks between ``SOURCE`` and ``target``, by number (targets with one route
        share every answer that depends on it), or None where no start reaches ``target``."""
        step: object = ("node", target)
        if step not in self._up:
            return None
        found = []
        while step is not None:
            if isinstance(step, int):
                found.append(step)
            step = self._up[step]
        return tuple(found)

    def block_of(self, u: str, v: str) -> int | None:
        """The block that holds the edge (u, v), or None where it is not in the graph (an
        edge lies in exactly one block, and two blocks share at most one node)."""
        for i in self.of.get(u, ()):
            if v in self.blocks[i]:
                return i
        return None

    def nodes(self, route: tuple[int, ...], target: str) -> frozenset[str]:
        """Every node of ``route``'s blocks and ``target`` (every node a simple path from a
        start to ``target`` can pass), the starts' source left out."""
        found: set[str] = {target}
        found = found.union(*(self.blocks[i] for i in route))
        found.discard(SOURCE)
        return frozenset(found)


def on_some_path(
    edges: Iterable[tuple[str, str]], starts: Iterable[str], target: str
) -> frozenset[str] | None:
    """The nodes of ``edges`` that lie in a block on the route from the starts to
    ``target`` in the block-cut tree, or None where no start reaches the target."""
    blocks = Blocks(edges, starts)
    route = blocks.route(target)
    return None if route is None else blocks.nodes(route, target)
