"""The search network of one set of zone and crossing steps: adjacency and the constants
the search's pruning reads (``Spread``), and (``Skeleton``) a family of such networks that
differ only in the steps of the elements that change with the hour."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from audit.analysis.easi import Step


@dataclass(frozen=True)
class Spread:
    """How fast delay variance can grow along any path of a set of steps: the largest
    sd-to-delay ratio ``kappa`` and the largest variance per second of delay ``rate``
    (``bounds``' r), both inf when some step has sd > 0 at no delay. Maxima, so
    the spread of a union is the larger of its parts' (``join``)."""

    kappa: float = 0.0
    rate: float = 0.0
    still: bool = True
    """No step has any delay variance (the network is deterministic)."""

    @staticmethod
    def of(steps: Iterable[Step]) -> Spread:
        kappa = rate = 0.0
        still = True
        for st in steps:
            if st.s != 0:
                still = False
            if st.s > 0:
                if st.t <= 0:
                    return Spread(math.inf, math.inf, False)
                kappa = max(kappa, st.s / st.t)
                rate = max(rate, st.s * st.s / st.t)
        return Spread(kappa, rate, still)

    def join(self, other: Spread) -> Spread:
        return Spread(
            max(self.kappa, other.kappa), max(self.rate, other.rate), self.still and other.still
        )

    @property
    def inv_kappa(self) -> float:
        """1 / kappa: inf with no variance anywhere, 0 where some step has sd at no delay."""
        if self.kappa == 0.0:
            return math.inf
        return 0.0 if math.isinf(self.kappa) else 1.0 / self.kappa


class Network:
    """Adjacency and constants of one set of zone and crossing steps.

    Built once per detection state and shared by every target searched over it: on a
    10,000-zone site, rebuilding these per asset cost more than the searches.
    """

    def __init__(self, zones: dict[str, Step], edges: list[tuple[str, str, str, Step]]) -> None:
        self.incoming: dict[str, list[tuple[str, str, Step]]] = {}
        self.outgoing: dict[str, list[tuple[str, str, Step]]] = {}
        self.by_id: dict[str, Step] = {}
        for u, v, eid, st in edges:
            self.by_id[eid] = st
            if u in zones and v in zones:
                self.incoming.setdefault(v, []).append((u, eid, st))
                self.outgoing.setdefault(u, []).append((v, eid, st))
        self._finish(zones, Spread.of([*zones.values(), *self.by_id.values()]))

    @classmethod
    def assembled(
        cls,
        zones: dict[str, Step],
        by_id: dict[str, Step],
        incoming: dict[str, list[tuple[str, str, Step]]],
        outgoing: dict[str, list[tuple[str, str, Step]]],
        spread: Spread,
    ) -> Network:
        """The network whose adjacency a ``Skeleton`` put together (as ``__init__`` would)."""
        net = cls.__new__(cls)
        net.incoming, net.outgoing, net.by_id = incoming, outgoing, by_id
        net._finish(zones, spread)
        return net

    def _finish(self, zones: dict[str, Step], spread: Spread) -> None:
        self.deterministic = spread.still
        self.inv_kappa = spread.inv_kappa
        self.rate = spread.rate
        """Largest delay variance per second of delay of any element (``bounds``)."""
        self._zones = zones
        self._bits: dict[str, int] | None = None
        self.reach: dict[frozenset[str], dict[str, float]] = {}
        self.trees: dict[tuple[frozenset[str], frozenset[str]], dict] = {}
        self.bounds: dict[tuple, float] = {}
        """``bounds.network_bound`` by (target, starts, blocked, rft, rft_sd)."""
        """Per set of starts, the tree of ``_detection_path`` (the same for every target)."""
        """Per set of starts, each zone's largest chance to be reached unseen (``bounds``)."""

    @property
    def bits(self) -> dict[str, int]:
        """A bit position per zone, for the zones-visited sets of the variance search."""
        if self._bits is None:
            self._bits = {z: i for i, z in enumerate(sorted(self._zones))}
        return self._bits


class Skeleton:
    """The adjacency of a family of networks over one list of edges (the same nodes and
    edge ids in the same order) whose steps change from one network to the next only in
    part (the elements that change with the hour): a network of the family copies the
    first one's lists and rebuilds only those of the nodes an edge with another step
    touches, in the order ``Network.__init__`` lists them (the order the searches meet)."""

    def __init__(self, edges: list[tuple[str, str, str, Step]], nodes: set[str]) -> None:
        """``edges``: the first network's; ``nodes``: every node the family's networks hold
        (an edge to anything else is not listed)."""
        self.edges = edges
        self.by_id = {eid: st for _, _, eid, st in edges}
        self.into: dict[str, list[int]] = {}
        self.out_of: dict[str, list[int]] = {}
        self.head: list[str | None] = []
        self.tail: list[str | None] = []
        for i, (u, v, _, _) in enumerate(edges):
            listed = u in nodes and v in nodes
            if listed:
                self.into.setdefault(v, []).append(i)
                self.out_of.setdefault(u, []).append(i)
            self.head.append(v if listed else None)
            self.tail.append(u if listed else None)
        self.incoming = {v: _listed(edges, ix, 0) for v, ix in self.into.items()}
        self.outgoing = {u: _listed(edges, ix, 1) for u, ix in self.out_of.items()}

    def network(
        self, zones: dict[str, Step], edges: list[tuple[str, str, str, Step]], spread: Spread
    ) -> Network:
        """The network of ``edges`` (the family's, steps of this network) over ``zones``."""
        first = self.edges
        assert len(edges) == len(first), "a network of the family has the family's edges"
        changed = [i for i, (a, b) in enumerate(zip(edges, first, strict=True)) if a[3] is not b[3]]
        by_id, incoming, outgoing = dict(self.by_id), dict(self.incoming), dict(self.outgoing)
        for i in changed:
            by_id[edges[i][2]] = edges[i][3]
        for v in {self.head[i] for i in changed}:
            if v is not None:
                incoming[v] = _listed(edges, self.into[v], 0)
        for u in {self.tail[i] for i in changed}:
            if u is not None:
                outgoing[u] = _listed(edges, self.out_of[u], 1)
        return Network.assembled(zones, by_id, incoming, outgoing, spread)


def _listed(
    edges: list[tuple[str, str, str, Step]], ix: list[int], end: int
) -> list[tuple[str, str, Step]]:
    """(the other end, edge id, step) of ``edges`` at ``ix``: the other end is the edge's
    start (``end`` 0, a node's incoming list) or its end (1, outgoing)."""
    rows = [edges[i] for i in ix]
    if end == 0:
        return [(u, eid, st) for u, _, eid, st in rows]
    return [(v, eid, st) for _, v, eid, st in rows]
