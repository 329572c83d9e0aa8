"""Proven lower bounds for the path search: what no completion of a suffix can go below.

The search (``search``) works backwards from the target: a label at zone u is
a suffix from u to the target with delay D, variance V and Q = P(I)/p_comm of
the suffix alone. Any complete path is some prefix (start -> u: elements
1..k, u's own zone step last) followed by it, and its value is

    Q_final = sum_i p_i M_i P(R|A_i) + M Q,      M_i = prod_{j<i} (1 - p_j),
                                                  M   = prod_{j<=k} (1 - p_j)

where the weights sum to one: sum_i p_i M_i + M = 1 (the adversary is first
detected at exactly one element, or never in the prefix). Two facts bound it:

- every prefix element has at least D of the suffix still ahead of it when
  it is passed, so P(R|A_i) >= F (``search._floor``: the lowest P(R|A) any
  prefix element can have in front of (D, V));
- M <= m_u, the largest chance that a prefix from any start reaches u
  unseen (``reach``: Dijkstra on -log(1 - p) forwards from the starts, over
  edges and zone steps; walks included, which only raises it).

So Q_final >= F when Q >= F, and Q_final >= m_u Q + (1 - m_u) F when Q < F
(the smallest mix of Q and values >= F that puts at most m_u on Q). This is
``completion``. Over-estimating m_u or under-estimating F only weakens it, so
it stays a lower bound on every simple path (and every walk) through the label.

It serves twice: a label whose bound already exceeds the best value in hand
cannot lead to a better path (pruning), and when the search stops at its
work budget, the smallest bound over the labels still open (and the complete
paths found) is a lower bound on the optimum, reported beside the best real
path's value so the user sees the gap.

``m_u`` does not depend on the target, so it is computed once per network
and set of starts and shared by every asset and slot of one detection state.
"""

from __future__ import annotations

import heapq
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.analysis.easi import Step
    from audit.analysis.search import Network


def _cost(st: Step) -> float:
    return math.inf if st.p >= 1.0 else -math.log1p(-st.p)


def reach(net: Network, zones: dict[str, Step], starts: frozenset[str]) -> dict[str, float]:
    """Zone -> the largest chance a path from a start reaches it undetected (its own zone
    step included; a start: 1, the empty prefix). Zones no start reaches are absent."""
    cache = net.reach
    if starts in cache:
        return cache[starts]
    best: dict[str, float] = {}
    heap = [(0.0, s) for s in sorted(starts)]
    out = net.outgoing
    while heap:
        c, u = heapq.heappop(heap)
        if u in best:
            continue
        best[u] = c
        for v, _, st in out.get(u, ()):
            if v not in best:
                # (inf: always detected on the way, yet reached)
                heapq.heappush(heap, (c + _cost(st) + _cost(zones[v]), v))
    found = {u: (1.0 if u in starts else math.exp(-c)) for u, c in best.items()}
    cache[starts] = found
    return found


def completion(q: float, floor: float, unseen: float) -> float:
    """Lowest value any prefix can give a suffix of value ``q`` (module docstring): its
    elements' P(R|A) are at least ``floor``, and it passes unseen with at most ``unseen``."""
    if q >= floor:
        return floor
    return unseen * q + (1.0 - unseen) * floor
