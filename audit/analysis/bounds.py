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

**A floor that grows with the lead** (``prefix_floor``). ``search._floor``
lets a prefix add variance up to (kappa a)^2 for delay a, so far ahead of the
response its floor never passes Phi(1/kappa) (0.9996 for sd = 30 % of delay):
labels that are certain to be interrupted could not be pruned. But variance
adds up element by element: y = sum s_k^2 <= r sum t_k = r x, with r the
largest s^2/t of any element (``variance_rate``). A prefix element's argument
is then at least min over x >= 0 of (X0 + x) / sqrt(K0 + r x), X0 = D - RFT,
K0 = sd_RFT^2 + V: for X0 <= 2 K0 / r (or r = 0) at x = 0, X0 / sqrt(K0);
beyond, at x = X0 - 2 K0 / r, where it is 2 sqrt((X0 - K0 / r) / r). Behind
the response (X0 < 0) more variance only raises it, so x = y = 0. Both floors
hold; the search takes the larger.

**Dominance with less variance** (``quieter``). A suffix A with D_A <= D_B,
Q_A <= Q_B and less variance (V_A < V_B) beats B under a prefix element
unless that element's argument of Phi is larger for A:

    X / sqrt(K) > (X + delta) / sqrt(K + beta),   X = x + D_A - RFT,
    K = sd_RFT^2 + y + V_A,  delta = D_B - D_A,  beta = V_B - V_A

(x, y >= 0: the delay and variance of the prefix after that element). When
X <= 0 it never is (A's numerator is the more negative, over the smaller
root). When X > 0 it is only for X > X*(K) = delta (K + sqrt(K^2 + beta K)) /
beta >= 2 delta K / beta, and there B's P(R|A) is at least Phi(z), with
z = (X* + delta) / sqrt(K + beta) >= delta (2K + beta) / (beta sqrt(K + beta)),
which rises with K, so is least at K0 = sd_RFT^2 + V_A. A's P(R|A) exceeds B's
by at most 1 - Phi(z0) there, and every prefix mixes its P(R|A)s with weights
summing to at most one, so A + prefix is worse than B + prefix by at most
1 - Phi(z0). We let A dominate when that is below ``SLACK`` (1e-15, far
under ``search.TIE``): typical labels (one door's delay apart) have z0 in the
tens, where the tail is below any float.
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


SLACK = 1e-15
"""The most a suffix dropped by ``quieter`` could have been better by, per drop."""
Z_SLACK = 7.94
"""1 - Phi(Z_SLACK) < ``SLACK``."""


def quieter(d_a: float, v_a: float, d_b: float, v_b: float, c: float) -> bool:
    """Does suffix A (delay, variance) beat B under every prefix, to within ``SLACK``,
    given D_A <= D_B (and Q_A <= Q_B) and V_A < V_B? (module docstring; ``c``: sd_RFT^2)."""
    beta = v_b - v_a
    if beta <= 0.0:
        return False
    delta = d_b - d_a
    k0 = c + v_a
    return delta * (2.0 * k0 + beta) >= Z_SLACK * beta * math.sqrt(k0 + beta)


def variance_rate(steps: list[Step]) -> float:
    """Largest s^2 / t over ``steps`` (inf when some element has variance and no delay)."""
    rate = 0.0
    for st in steps:
        if st.s > 0:
            if st.t <= 0:
                return math.inf
            rate = max(rate, st.s * st.s / st.t)
    return rate


def prefix_floor(d: float, v: float, rft: float, c: float, rate: float) -> float:
    """Lowest P(R|A) of any prefix element in front of a suffix (d, v) when a prefix of
    delay x adds at most ``rate`` x of variance (module docstring); 0 where unknown."""
    from audit.analysis.easi import phi

    x0, k0 = d - rft, c + v
    if math.isinf(rate) or x0 < 0:
        return 0.0 if k0 <= 0 or math.isinf(rate) else phi(x0 / math.sqrt(k0))
    if k0 <= 0.0 and x0 == 0.0:
        return 1.0 if rate == 0.0 else 0.5  # exactly level; any prefix variance: Phi(0+)
    if rate == 0.0 or x0 <= 2.0 * k0 / rate:
        return 1.0 if k0 <= 0.0 else phi(x0 / math.sqrt(k0))
    return phi(2.0 * math.sqrt((x0 - k0 / rate) / rate))
