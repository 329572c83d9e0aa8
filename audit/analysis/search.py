"""The most vulnerable path: the minimum EASI P(I) over all simple paths to a target.

P(I) is not additive along a path, so Dijkstra on any single weight is not
enough. We search backwards from the target with labels. A label at zone u
stands for one path suffix from u to the target (the elements after u) and
carries its total delay D, delay variance V and Q = P(I)/p_comm of the suffix
taken as a whole path. Putting an element (p, t, s, w) in front of it gives

    Q' = p * Phi((w t + D - RFT) / sqrt(sd_RFT^2 + w^2 s^2 + V)) + (1 - p) * Q
    D' = D + t,   V' = V + s^2

**No delay variance (every s = 0): labels (D, Q) are exact and need no cycle
check.** With V = 0, Phi((x + D - RFT)/sd_RFT) rises with D, so Q' rises with
both D and Q: a suffix with D_A <= D_B and Q_A <= Q_B is at least as good for
the adversary as B under every possible prefix, and B can be dropped.
Prepending never lowers P(I): each term of Q has remaining time T_i <= D, so
Q <= Phi((D - RFT)/sd_RFT) <= Phi((w t + D - RFT)/sd_RFT), hence
Q' >= p Q + (1 - p) Q = Q; and D' >= D. Going round a cycle therefore returns
to a zone with a label beaten (or tied) on both D and Q by the label it left
with, so it is dropped: the search terminates, never needs the zones visited,
and the optimum it finds is a simple path.

**With delay variance the monotonicity breaks**: more variance lowers Phi
when the adversary is ahead of the response (T > RFT), so a longer suffix can
be better for the adversary. Dominance must hold for every prefix, which we
guarantee when D_A <= D_B, Q_A <= Q_B and either V_A = V_B, or D_A >= RFT and
V_A >= V_B (then every future argument of Phi is >= 0 for A, where variance
only lowers it). Since a cycle can now pay off, labels also carry the zones
visited (a bitset) and A must have visited a subset of B's zones. This is
exact over simple paths; its label count can grow fast on very large sites,
so past ``max_labels`` the search says so and falls back to a bounded
heuristic (the same labels, visited zones only forbidden, not compared),
reporting ``exact = False``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from audit.analysis.easi import Step, prepend

MAX_LABELS = 200_000


@dataclass
class Problem:
    """A target, start zones, zone steps and crossing steps: everything the search needs."""

    target: str
    starts: frozenset[str]
    zones: dict[str, Step]
    edges: list[tuple[str, str, str, Step]]
    rft: float
    rft_sd: float
    p_comm: float = 1.0

    @property
    def deterministic(self) -> bool:
        return all(s.s == 0 for s in self.zones.values()) and all(e[3].s == 0 for e in self.edges)


@dataclass
class Result:
    p_interruption: float
    path: list[str] = field(default_factory=list)
    """Element ids in order from the start zone: start, edge, zone, edge, ..., target."""
    method: str = ""
    exact: bool = True
    labels: int = 0


class _Label:
    __slots__ = ("d", "v", "q", "seen", "node", "next", "edge", "dead")

    def __init__(self, d, v, q, seen, node, nxt, edge):  # noqa: ANN001 - hot path
        self.d, self.v, self.q, self.seen = d, v, q, seen
        self.node, self.next, self.edge, self.dead = node, nxt, edge, False


class _TooMany(Exception):
    pass


def most_vulnerable_path(problem: Problem, *, max_labels: int = MAX_LABELS) -> Result:
    """The path of minimum P(I) from any start zone to the target (see module docstring).

    Among paths of equal P(I) the quickest is reported: it is the more dangerous.
    """
    if problem.target in problem.starts:
        return Result(0.0, [problem.target], "trivial: the target is a public zone", True, 0)
    if problem.deterministic:
        return _search(problem, mode="deterministic", max_labels=None)
    try:
        return _search(problem, mode="variance", max_labels=max_labels)
    except _TooMany:
        return _search(problem, mode="heuristic", max_labels=None)


METHODS = {
    "deterministic": "exact: Pareto labels (delay, P(I)); no delay variance",
    "variance": "exact: Pareto labels (delay, variance, P(I), zones visited)",
    "heuristic": "bounded: label limit reached; labels compared without zones visited, "
    "so the minimum may be lower than reported",
}


def _search(problem: Problem, *, mode: str, max_labels: int | None) -> Result:
    rft, rft_sd = problem.rft, problem.rft_sd
    index = {z: i for i, z in enumerate(sorted(problem.zones))}
    incoming: dict[str, list[tuple[str, str, Step]]] = {z: [] for z in problem.zones}
    for u, v, eid, st in problem.edges:
        if v in incoming and u in index:
            incoming[v].append((u, eid, st))
    track = mode != "deterministic"
    compare_seen = mode == "variance"
    target = problem.target
    start = _Label(0.0, 0.0, 0.0, 1 << index[target], target, None, None)
    at: dict[str, list[_Label]] = {z: [] for z in problem.zones}
    at[target].append(start)
    queue = deque([start])
    created = 1
    while queue:
        lab = queue.popleft()
        if lab.dead:
            continue
        zd, zv, zq = prepend(lab.d, lab.v, lab.q, problem.zones[lab.node], rft, rft_sd)
        for u, eid, st in incoming[lab.node]:
            bit = 1 << index[u]
            if u == target or (track and lab.seen & bit):
                continue
            d, v, q = prepend(zd, zv, zq, st, rft, rft_sd)
            new = _Label(d, v, q, lab.seen | bit, u, lab, eid)
            bucket = at[u]
            if any(_dominates(o, new, rft, mode, compare_seen) for o in bucket):
                continue
            keep = []
            for o in bucket:
                if _dominates(new, o, rft, mode, compare_seen):
                    o.dead = True
                else:
                    keep.append(o)
            keep.append(new)
            at[u] = keep
            queue.append(new)
            created += 1
            if max_labels is not None and created > max_labels:
                raise _TooMany
    best: _Label | None = None
    for s in sorted(problem.starts):
        for lab in at.get(s, ()):
            if best is None or (lab.q, lab.d) < (best.q, best.d):
                best = lab
    if best is None:
        return Result(float("nan"), [], "no path from a public zone", True, created)
    path = [best.node]
    lab = best
    while lab.next is not None:
        path += [lab.edge, lab.next.node]
        lab = lab.next
    return Result(problem.p_comm * best.q, path, METHODS[mode], mode != "heuristic", created)


def _dominates(a: _Label, b: _Label, rft: float, mode: str, compare_seen: bool) -> bool:
    """Is suffix ``a`` at least as good for the adversary as ``b`` under every prefix?"""
    if a.d > b.d or a.q > b.q:
        return False
    if mode == "deterministic":
        return True
    if compare_seen and a.seen & ~b.seen:
        return False
    return a.v == b.v or (a.d >= rft and a.v >= b.v)


def all_simple_paths_min(problem: Problem) -> float:
    """Brute force: the minimum P(I) over every simple path (for tests and benchmarks)."""
    import networkx as nx

    from audit.analysis.easi import p_interruption

    if problem.target in problem.starts:
        return 0.0
    g = nx.MultiDiGraph()
    g.add_nodes_from(problem.zones)
    for u, v, eid, st in problem.edges:
        g.add_edge(u, v, key=eid, step=st)
    best = float("nan")
    for s in sorted(problem.starts):
        for epath in _edge_paths(g, s, problem.target):
            steps = []
            for u, v, k in epath:
                steps += [g.edges[u, v, k]["step"], problem.zones[v]]
            value = p_interruption(steps, problem.rft, problem.rft_sd, problem.p_comm)
            if not value >= best:
                best = value
    return best


def _edge_paths(g, s: str, t: str) -> Iterable:  # noqa: ANN001
    import networkx as nx

    if s == t or s not in g or t not in g:
        return []
    return nx.all_simple_edge_paths(g, s, t)
