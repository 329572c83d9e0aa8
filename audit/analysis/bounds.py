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
largest s^2/t of any element (``network.Spread.rate``). A prefix element's argument
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

import functools
import heapq
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.analysis.easi import Step
    from audit.analysis.network import Network
    from audit.analysis.search import Problem


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


def quieter(d_a: float, v_a: float, d_b: float, v_b: float, c: float, z: float = Z_SLACK) -> bool:
    """Does suffix A (delay, variance) beat B under every prefix, to within ``SLACK``,
    given D_A <= D_B (and Q_A <= Q_B) and V_A < V_B? (module docstring; ``c``: sd_RFT^2;
    ``z``: the tail allowed, ``z_slack``)."""
    beta = v_b - v_a
    if beta <= 0.0:
        return False
    delta = d_b - d_a
    k0 = c + v_a
    return delta * (2.0 * k0 + beta) >= z * beta * math.sqrt(k0 + beta)


@functools.lru_cache(maxsize=64)
def z_slack(units: int) -> float:
    """The z with ``units`` x (1 - Phi(z)) <= ``SLACK``: ``quieter`` for P(E) on the
    engagement timeline. There each unit's chance in time is a P(R|A) with the unit's
    arrival (mean r_u, sd_u) for the response, so the argument above holds unit by unit,
    and it binds hardest for the least sd_u (z0 rises with K). N rises in each chance by
    at most its own rise (N = q N1 + (1 - q) N0 in each unit's q, 0 <= N0 <= N1 <= 1), so
    A + prefix is worse than B + prefix by at most the sum of the units' tails."""
    lo, hi = Z_SLACK, 40.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if units * 0.5 * math.erfc(mid / math.sqrt(2.0)) <= SLACK:
            hi = mid
        else:
            lo = mid
    return hi


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


NETWORK_WORK = 5_000_000
"""Relaxations ``network_bound`` may make (zones x crossings x rounds) before it gives up."""


def parts_of(st: Step) -> tuple[Step, ...]:
    return getattr(st, "parts", ()) or (st,)


def network_bound(problem: Problem, need: float = math.inf) -> float:
    """A lower bound on the least Q = P(I)/p_comm (or P(E)/p_comm along the engagement
    timeline, with a response curve) of any path from a start to ``target``,
    from the whole network rather than from the labels a stopped search left open.

    Backwards from the target, D(v) is the least delay from entering zone v to the end
    (Dijkstra). Detection at a step leaves at least its own share of delay (w t) plus the
    least delay after it, T_min; the time left has variance at most ``rate`` x its delay
    (every part has s^2 <= rate t, and w <= 1), so its P(R|A) is at least the lower of
    ``prefix_floor`` at variance 0 and at rate x T_min (the argument is monotone in the
    variance). With those floors r fixed per step, Q >= sum_i p_i M_i r_i along any walk,
    and h(v) = the least of that from v is a shortest-path recursion h = p r + (1 - p) h'.
    Bellman-Ford rounds give after k rounds the least over walks of at most k crossings,
    so after as many rounds as zones (or no change) h is at most every simple path's value:
    a valid bound, loose where the least delays are far below the paths really taken.
    Returns 0.0 where the rounds would take more than ``NETWORK_WORK`` relaxations (values
    not yet settled bound nothing). Where that bound is below ``need`` (the value it should
    prove), the tighter and dearer ``layered_bound`` (floors at each walk's own delay)
    is worked out too and the larger returned. Each computed once per network and question.
    """
    net = problem.net
    key = (
        problem.target,
        problem.starts,
        problem.blocked,
        problem.rft,
        problem.rft_sd,
        problem.curve,
    )
    if key not in net.bounds:
        net.bounds[key] = _network_bound(problem)
    low = net.bounds[key]
    if low < need:
        from audit.analysis.layered_bound import layered_bound

        layered = (*key, "layered")
        if layered not in net.bounds:
            net.bounds[layered] = layered_bound(problem)
        low = max(low, net.bounds[layered])
    return low


class Floor:
    """(t, v) -> the least P(R|A) (P(N) with a curve) of a detection with at least t of
    delay and at least v of delay variance still ahead of it, on any path of a problem's
    network (``network_bound``; v 0 where unknown). The variance ahead is at most ``rate``
    x t (every part has s^2 <= rate t), and P(R|A) is monotone in it, so the least is at
    one end of [v, rate t]; ``prefix_floor`` at that end is lower still."""

    def __init__(self, problem: Problem) -> None:
        zones, net = problem.zones, problem.net
        rate = 0.0
        for st in [*zones.values(), *(st for lst in net.outgoing.values() for _, _, st in lst)]:
            for part in parts_of(st):
                if part.s > 0:
                    rate = math.inf if part.t <= 0 else max(rate, part.s * part.s / part.t)
        self.rate = rate
        self.curve = problem.curve
        self._units = (
            [(problem.rft, problem.rft_sd * problem.rft_sd)]
            if problem.curve is None
            else [(u.response_s, u.response_sd_s**2) for u in problem.curve.units]
        )

    def _one(self, t_min: float, r: float, c: float, v: float) -> float:
        """Least chance one response (mean r, variance c) is in time with t_min left."""
        rate = self.rate
        top = rate * t_min if math.isfinite(rate) else 0.0
        low = min(v, top)
        return min(prefix_floor(t_min, low, r, c, rate), prefix_floor(t_min, top, r, c, rate))

    def __call__(self, t_min: float, v: float = 0.0) -> float:
        qs = [self._one(t_min, r, c, v) for r, c in self._units]
        if self.curve is None:
            return qs[0]
        # P(N) rises with each unit's chance in time: each at its own floor bounds it
        return self.curve.from_q(qs)


def floor_of(problem: Problem) -> Floor:
    """The floors of ``problem``'s network (``Floor``)."""
    return Floor(problem)


def least_delays(problem: Problem) -> dict[str, float]:
    """Zone -> the least delay from entering it to the end (its zone step and the task
    included), over zones that reach the target without passing a blocked one."""
    zones, net, blocked = problem.zones, problem.net, problem.blocked
    d_in: dict[str, float] = {}
    heap = [(zones[problem.target].t, problem.target)]
    while heap:
        d, v = heapq.heappop(heap)
        if v in d_in:
            continue
        d_in[v] = d
        for u, _, st in net.incoming.get(v, ()):
            if u not in d_in and u not in blocked:
                heapq.heappush(heap, (d + st.t + zones[u].t, u))
    return d_in


def _network_bound(problem: Problem) -> float:
    zones, net, target, starts = problem.zones, problem.net, problem.target, problem.starts
    floor = floor_of(problem)

    def affine(st: Step, after: float) -> tuple[float, float]:
        """Q of ``st`` in front of a suffix of least delay ``after`` and value h: a + b h."""
        a, b, tail = 0.0, 1.0, after
        for part in reversed(parts_of(st)):
            # h -> p r + (1 - p) h, applied to a + b h
            r = floor(part.w * part.t + tail)
            a, b = part.p * r + (1.0 - part.p) * a, (1.0 - part.p) * b
            tail += part.t
        return a, b

    d_in = least_delays(problem)
    own = {v: affine(zones[v], d_in[v] - zones[v].t) for v in d_in}
    arcs_of = {
        v: [(w, *affine(st, d_in[w])) for w, _, st in net.outgoing.get(v, ()) if w in d_in]
        for v in d_in
    }
    h: dict[str, float] = {target: own[target][0]}
    order = sorted(v for v in d_in if v != target)
    work = 0
    for _ in range(len(order) + 1):
        changed = False
        for v in order:
            work += len(arcs_of[v]) + 1
            if work > NETWORK_WORK:
                return 0.0  # values not settled yet are no bound
            best = min((a + b * h[w] for w, a, b in arcs_of[v] if w in h), default=math.inf)
            if best < math.inf:
                a, b = own[v]
                new = a + b * best
                if new < h.get(v, math.inf):
                    h[v], changed = new, True
        if not changed:
            break
    low = min(
        (
            a + b * h[w]
            for s in starts
            for w, a, b in (
                (w, *affine(st, d_in[w])) for w, _, st in net.outgoing.get(s, ()) if w in h
            )
        ),
        default=math.inf,
    )
    return 0.0 if math.isinf(low) else max(0.0, low)
