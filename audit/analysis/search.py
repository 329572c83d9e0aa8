"""The most vulnerable path: the minimum EASI P(I), or P(E), over all simple paths to a target.

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
exact over simple paths; its label count can grow fast on large sites, so
past ``max_work`` label comparisons it stops and the result says so (``exact = False``):
the fallback finds the exact optimum for mean delays (variance set aside,
the first case above, which scales to large sites) and reports that path's
P(I) evaluated with the variances. That value is the P(I) of a real path, so
it is an upper bound on the true minimum; the true minimum may be lower.

An element detected at several points (``easi.Composite``) is a chain of
plain steps with no zone between them: prepending it is prepending each part
in turn, so every argument here holds part by part. The fallbacks use its
totals (p = 1 - prod(1 - p_x), t, s), which describe the same element.

Before the exact search, the same mean-delay path gives an upper bound U on
the answer, and a label is pruned when no prefix can bring it below U: every
prefix mixes the suffix value Q with P(R|A) terms of its own elements (the
weights sum to 1), and when the suffix already takes at least the response
time (D >= RFT) each of those terms is at least Phi(0) = 1/2, so the final
value is at least min(Q, 1/2).

The pruning keeps only labels that could end *below* the best value in hand by
more than ``TIE`` (1e-12, far below any figure the reports print): a path that
merely ties the one in hand is never needed, since that one is already a real
path of the same P(I), and among ties the search keeps the path it found first
(the mean-delay path, the quickest of its kind). This matters on real sites:
an undetected approach (a wall with no sensor, a yard with no camera) lets the
adversary wander from zone to zone without changing Q, and every such wander
ties with the direct route; kept, these tied labels (each with its own delay,
variance and zones visited) filled the work cap on every asset of a 1,000-zone
secure estate, which was then reported as bounded.

**Bounds, and what happens at the budget** (``bounds`` proves each step). A
label is also pruned when no prefix can bring it below the best value in
hand, by a bound that counts how likely a prefix is to reach its zone unseen
(a forward pass from the starts, shared by every asset) and a floor on the
prefix's P(R|A) that grows with the adversary's lead over the response. A
label with less variance beats one with more when the most it could lose, a
normal tail, is below 1e-15. If the search over simple paths still stops at
its budget, the result keeps the best real path in hand (the mean-delay
path, or a better one the search completed) and a proven lower bound: the
least bound over the labels still open. Then a search over walks (the
zones-visited sets dropped, which only relaxes the problem: its optimum is a
lower bound) runs with the same budget: when it finds nothing below the value
in hand, or its best walk is a simple path, the answer is exact; else its
value, or its own open bound, raises the lower bound. The user sees both ends
(``Result.lower``).

**The same search minimises P(E).** On the engagement timeline (``timeline``)
P(E) has EASI's form with N(T, VarT), the chance that the units arriving in
the time T left after a detection (of variance VarT) neutralise the
adversary, in place of P(R|A): Q' = p N(w t + D, w^2 s^2 + V) + (1 - p) Q.
Every step above uses only these properties of P(R|A), which N has too:

1. N lies in [0, 1] and does not fall as T grows (VarT fixed). Each unit's
   chance in time, q_u = Phi((T - r_u) / sqrt(sd_u^2 + VarT)), rises with T,
   and N does not fall as any q_u rises: one more unit in time never lowers
   P(N) (``engagement``: an engagement never leaves more attackers than it met,
   and fewer attackers never lower P(N)). So Q' rises with D and Q, prepending
   never lowers Q (Q <= N(D, 0) as before), and with no delay variance the
   (D, Q) labels are exact and cycles are dropped, word for word as above.
2. Once T is at least the *slowest* unit's mean arrival r_max, more variance
   does not raise N: every q_u has T >= r_u, where variance only lowers Phi.
   The variance dominance therefore reads D_A >= r_max where it read
   D_A >= RFT (with one unit they are the same). Below r_max a slower unit's
   chance can rise with variance, so the rule cannot be weakened to the
   fastest unit (a test keeps the case that shows it).
3. The pruning floor: a prefix adds delay a and variance b <= kappa^2 a^2, so
   each q_u is at least its own EASI floor (``easi.response_floor`` with r_u,
   sd_u), and N, rising in each q_u, is at least N at those floors.

A theft's way out (``exits``) is a second layer of zones and crossings
entered from the asset's task; the target is the getaway and the other
assets' tasks are ``blocked`` (never expanded, nor enumerated by brute
force). A simple path of that graph is what the objective is minimised over,
and nothing above depends on the graph's shape.

**Hints: another hour's path.** A week's search is made once per detection state and
set of units on duty, up to two dozen times per asset, and most hours share their optimum
with the hour before. A caller passes the paths an asset's earlier searches found; the
best of them in this network (valued forwards) is a real path, so its value V bounds the
search from the start: no mean-delay search is needed, and when nothing is below V the
hint is the optimum, proved by the same search. One care: of equal paths the quickest is
the one to report, and the mean-delay search finds it where a hint may be a slower one.
So the search from a hint also keeps labels within ``TIE`` of the best value in hand
while they are quicker than the path that holds it, and reports the quickest of the
paths within ``TIE`` of the least (``_hinted``). Answers are the optimum with or without
hints; where paths differ by less than ``TIE`` (1e-12), which of them is shown may differ.
Without delay variance the hint is only the ceiling of the one search, whose answer (the
least value, then the least delay) the ceiling does not change.

The fallbacks evaluate their paths' P(E) forwards (``timeline.p_effectiveness``),
so a bounded result is again the P(E) of a real path: an upper bound. A
hypothesis test compares the search with brute force over simple paths for
forces of up to four units of different sizes, arms and arrival times.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING

from audit.analysis.bounds import (
    Z_SLACK,
    completion,
    network_bound,
    prefix_floor,
    quieter,
    reach,
    z_slack,
)
from audit.analysis.easi import Step, prepend, response_floor
from audit.analysis.network import Network

if TYPE_CHECKING:
    from audit.analysis.timeline import Force

MAX_WORK = 3_000_000
"""Label comparisons the exact search may make before it gives up (a bound on time that
does not depend on the machine, so the same site always gets the same method)."""
PROBE_WORK = 50_000
"""Work the search over simple paths may spend before the search over walks is tried (it
was 200,000: on a 100-zone mesh each asset's search spent all of it before the walks
proved the mean-delay path optimal, a third of that check; on the shipped sites and both
fleets no search reaches it, and every shape of ``bench_scale.py`` stays exact)."""
TIE = 1e-12
"""Labels must beat the best value in hand by more than this to be kept (module docstring)."""
HINT_WORK = 50_000
"""Work the search from a hint (``_hinted``) may spend before the search without one is
made (from the mean-delay path) with what is left."""
DELAY_TIE = 1e-9
"""Seconds by which a path must be quicker than a hint of equal value to be reported in
its place (delays summed in another order differ in the last digits)."""
MEMO = 100_000
"""Floors a search remembers by (delay, variance) before it starts afresh."""
MAX_WORK_MEAN = 10_000_000
"""The same bound for the mean-delay search; past it, the detection-only path is used."""


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
    mean: Problem | None = field(default=None, repr=False, compare=False)
    """The same problem with every delay sd zero, where the caller built it already (the
    steps of a site recur in every asset's problem); None: made when needed (``flat``)."""
    make_mean: Callable[[], Problem] | None = field(default=None, repr=False, compare=False)
    """How the caller makes ``mean`` on first use (most searches start from a hint and
    never need it); None: made here from the steps."""
    network: Network | None = field(default=None, repr=False, compare=False)
    """What the search derives from ``zones`` and ``edges``, where the caller shares it
    between problems over the same steps; None: made here on first use."""
    blocked: frozenset[str] = frozenset()
    """Nodes no path may pass (the tasks of other assets, where a theft's way out is searched:
    ``exits``)."""
    curve: Force | None = field(default=None, repr=False, compare=False)
    """The response on the engagement timeline: with it the objective is P(E) (N(T, VarT)
    of ``timeline.Force`` in place of P(R|A), ``rft`` and ``rft_sd`` unused); None: P(I)."""

    @property
    def net(self) -> Network:
        if self.network is None:
            self.network = Network(self.zones, self.edges)
        return self.network

    @property
    def deterministic(self) -> bool:
        return self.net.deterministic

    def flat(self) -> Problem:
        """``mean``, made on first use."""
        if self.mean is None:
            if self.make_mean is not None:
                self.mean = self.make_mean()
            else:
                from dataclasses import replace

                from audit.analysis.easi import without_variance

                self.mean = replace(
                    self,
                    zones={z: without_variance(st) for z, st in self.zones.items()},
                    edges=[(u, v, e, without_variance(st)) for u, v, e, st in self.edges],
                    network=None,
                )
        return self.mean


@dataclass
class Result:
    p_interruption: float
    """The least value found: P(I), or P(E) when the problem has a ``curve``."""
    path: list[str] = field(default_factory=list)
    """Element ids in order from the start zone: start, edge, zone, edge, ..., target."""
    method: str = ""
    exact: bool = True
    labels: int = 0
    work: int = 0
    """Label comparisons spent (callers with a budget subtract it)."""
    lower: float | None = None
    """Where the search stopped at its budget: a proven lower bound on the minimum P(I)
    (``p_interruption`` is then a real path's value, the upper end). None: exact."""

    @property
    def value(self) -> float:
        """The value found, with no path at all (nan) read as 1: unknown, not unsafe."""
        return 1.0 if math.isnan(self.p_interruption) else self.p_interruption

    @property
    def floor(self) -> float:
        """The least the true minimum can be: the value where exact, else the bound."""
        return self.value if self.lower is None else self.lower


def better(a: Result, b: Result) -> Result:
    """Two searches of one problem (``b`` with more work): an exact one, else the lower
    value with the higher of the two proven bounds (both hold), and the work of both."""
    if b.exact or (not a.exact and b.value <= a.value):
        keep, other = b, a
    else:
        keep, other = a, b
    from dataclasses import replace

    found = replace(keep, work=a.work + b.work)
    if not found.exact and other.lower is not None:
        found = _bounded(found, max(found.lower or 0.0, other.lower))
    return found


class _Label:
    __slots__ = ("d", "v", "q", "seen", "node", "next", "edge", "dead")

    def __init__(self, d, v, q, seen, node, nxt, edge):  # noqa: ANN001 - hot path
        self.d, self.v, self.q, self.seen = d, v, q, seen
        self.node, self.next, self.edge, self.dead = node, nxt, edge, False


class _TooMany(Exception):
    def __init__(
        self, work: int, lower: float = 0.0, found: tuple[float, list[str]] | None = None
    ) -> None:
        self.work = work
        self.lower = lower
        """A proven lower bound on the minimum P(I) when the search stopped (``bounds``)."""
        self.found = found
        """(P(I), path) of the best complete path found before it stopped, if any."""


def most_vulnerable_path(
    problem: Problem,
    *,
    max_work: int = MAX_WORK,
    max_work_mean: int = MAX_WORK_MEAN,
    bound: bool = True,
    hints: Sequence[list[str]] = (),
) -> Result:
    """The path of minimum P(I) from any start zone to the target (see module docstring).

    Among paths of equal P(I) the quickest is reported (it is the more dangerous); with
    delay variance, among paths within ``TIE`` of each other, the one found first.
    Work is bounded whatever the input: past ``max_work`` (variance) or
    ``max_work_mean`` (mean delays) the result is a real path whose P(I) is an
    upper bound, and says so, with a proven lower bound: from the labels left open, and
    (``bound``) from the whole network (``tighten``, which a caller may also do later).

    ``hints``: paths found for the same target in a network of the same shape (another
    hour's); the best of them is a real path whose value bounds the search from the start
    (``_deterministic``).
    """
    if problem.target in problem.starts:
        return Result(0.0, [problem.target], "trivial: the target is a public zone", True, 0)
    if problem.p_comm != 1.0:
        return _scaled(problem, max_work, max_work_mean, bound, hints)
    res = _solve(problem, max_work, max_work_mean, hints)
    return tighten(problem, res, res.p_interruption) if bound else res


def tighten(problem: Problem, res: Result, need: float) -> Result:
    """``res``, a search of ``problem`` stopped at its budget, with the bound from the whole
    network (``bounds.network_bound``) where its own is below ``need``: the labels left open
    near the target carry too little delay to bound anything. ``need``: the value the
    caller must rule out (the bound matters no higher; the dearer bound is skipped where
    the cheaper one reaches it)."""
    if res.exact or not res.path or res.floor >= need - TIE:
        return res
    p = problem.p_comm
    if p <= 0.0:
        return res
    # the bounds are of Q = P(I) / p_comm, whatever p_comm the problem holds
    low = network_bound(problem, need=min(res.value, need) / p - TIE)
    return _bounded(res, max(res.lower or 0.0, low * p))


def _solve(
    problem: Problem, max_work: int, max_work_mean: int, hints: Sequence[list[str]] = ()
) -> Result:
    """``most_vulnerable_path`` with ``p_comm`` 1: exact, or the best real path found within
    the work budget with a lower bound from the labels left open."""
    if problem.deterministic:
        try:
            return _deterministic(problem, max_work_mean, hints)
        except _TooMany as stop:
            return _bounded(_detection_path(problem, stop.work), stop.lower)
    spent = 0
    known = _best_hint(problem, hints)
    if known is not None:
        try:
            return _hinted(problem, known, min(max_work, HINT_WORK))
        except _TooMany as stop:  # (then as with no hint, with what is left)
            spent = stop.work
            max_work, max_work_mean = max(0, max_work - spent), max(0, max_work_mean - spent)
    res = _unhinted(problem, max_work, max_work_mean, hints)
    res.work += spent
    return res


def _hinted(problem: Problem, known: tuple[float, list[str]], max_work: int) -> Result:
    """With delay variance and a hint of value V: the search over simple paths for one
    below V, or within ``TIE`` of it and quicker (the quickest of equal paths is the one
    reported, as with no hint). Most hours share their optimum with the hour before, so
    this skips the mean-delay search: the hint's value bounds the search from the start.
    Raises ``_TooMany`` past ``max_work``."""
    value, path = known
    by_id, zones = problem.net.by_id, problem.zones
    delay = sum(by_id[e].t for e in path[1::2]) + sum(zones[z].t for z in path[2::2])
    found = _search(
        problem, mode="variance", max_work=max_work, bound=value, quicker=delay - DELAY_TIE
    )
    if not found.path:
        return Result(value, list(path), METHODS["variance"], True, found.labels, found.work)
    if found.p_interruption >= value - TIE:  # a quicker tie: valued forwards, as the hint
        found.p_interruption = _evaluate(problem, found.path)
    return found


def _unhinted(
    problem: Problem, max_work: int, max_work_mean: int, hints: Sequence[list[str]]
) -> Result:
    """With delay variance: the mean-delay path, then the search over simple paths bounded
    by its value."""
    fallback = _mean_delay_path(problem, max_work_mean, hints)
    if not fallback.path:
        return Result(float("nan"), [], "no path from a public zone", True, fallback.labels)
    if fallback.p_interruption == 0.0:
        # nothing is below zero: the mean-delay path is optimal
        return Result(0.0, fallback.path, METHODS["variance"], True, fallback.labels, fallback.work)
    probe = min(max_work, PROBE_WORK)
    try:
        found = _search(problem, mode="variance", max_work=probe, bound=fallback.p_interruption)
    except _TooMany as stop:
        return _beyond_probe(problem, _stopped(fallback, stop), max_work - stop.work)
    found.work += fallback.work
    if not found.p_interruption < fallback.p_interruption:
        # nothing beats the mean-delay path: the exact search proved it optimal
        return Result(
            fallback.p_interruption,
            fallback.path,
            METHODS["variance"],
            True,
            found.labels,
            found.work,
        )
    return found


def _deterministic(problem: Problem, max_work: int, hints: Sequence[list[str]]) -> Result:
    """The exact search with no delay variance, bounded from the start by the best of
    ``hints`` (else by the path most likely to pass undetected, ``_ceiling``): the path
    found is the same either way, the least value and then the least delay (only labels
    that cannot reach the ceiling are pruned). Raises ``_TooMany`` past ``max_work``."""
    known = _best_hint(problem, hints)
    ceiling = _ceiling(problem) if known is None else known[0]
    found = _search(problem, mode="deterministic", max_work=max_work, ceiling=ceiling)
    if known is not None and not found.p_interruption <= known[0] + TIE:
        # (the ceiling's own path, pruned by a rounding: nothing beats it)
        found.p_interruption, found.path = known[0], list(known[1])
    return found


def _best_hint(problem: Problem, hints: Sequence[list[str]]) -> tuple[float, list[str]] | None:
    """(value, path) of the best of ``hints`` that is a path of ``problem``, or None."""
    best: tuple[float, list[str]] | None = None
    by_id, zones = problem.net.by_id, problem.zones
    for path in hints:
        if path[0] not in problem.starts or path[-1] != problem.target:
            continue
        if not all(e in by_id for e in path[1::2]) or not all(z in zones for z in path[::2]):
            continue
        value = _evaluate(problem, path)
        if best is None or value < best[0]:
            best = (value, path)
    return best


def _scaled(
    problem: Problem,
    max_work: int,
    max_work_mean: int,
    bound: bool,
    hints: Sequence[list[str]] = (),
) -> Result:
    """The objective is ``p_comm`` times Q on every path: search Q (``p_comm`` 1) and scale
    the answer once. Dividing values by ``p_comm`` inside the search loses every digit when
    it is tiny (5e-324 made a real path look worse than its own ceiling), and at 0 all
    paths tie at 0 (the most vulnerable by Q is still the one to show)."""
    from dataclasses import replace

    p = problem.p_comm
    unit = replace(
        problem, p_comm=1.0, mean=None, make_mean=lambda: replace(problem.flat(), p_comm=1.0)
    )
    res = most_vulnerable_path(
        unit, max_work=max_work, max_work_mean=max_work_mean, bound=bound, hints=hints
    )
    problem.network = unit.network  # built once, kept for the next asset
    if not math.isnan(res.p_interruption):
        res.p_interruption *= p
    if res.lower is not None:
        res.lower *= p
    return res


def _stopped(res: Result, stop: _TooMany) -> Result:
    """``res`` after a search that stopped at its budget: its work added, the better of
    their paths, and the higher of their lower bounds."""
    res.work += stop.work
    if stop.found is not None and stop.found[0] < res.p_interruption - TIE:
        res.p_interruption, res.path = stop.found
        res.method = METHODS["found"]
    return _bounded(res, max(res.lower or 0.0, stop.lower))


def _beyond_probe(problem: Problem, res: Result, left: int) -> Result:
    """The search over simple paths did not finish within ``PROBE_WORK``: search over walks
    with half of what is ``left`` (often exact at a fraction of the cost), then, if that
    does not settle it, over simple paths again with the rest."""
    walks = left // 2
    spent = res.work
    res = _over_walks(problem, res, walks)
    left -= res.work - spent
    if res.exact or left <= PROBE_WORK:
        return res
    try:
        found = _search(problem, mode="variance", max_work=left, bound=res.p_interruption)
    except _TooMany as stop:
        return _stopped(res, stop)
    found.work += res.work
    if not found.p_interruption < res.p_interruption:
        value, path = res.p_interruption, res.path
        return Result(value, path, METHODS["variance"], True, found.labels, found.work)
    return found


def _over_walks(problem: Problem, res: Result, max_work: int | None) -> Result:
    """Where the search over simple paths stopped at its budget, search over walks.

    Dropping the zones visited (labels may revisit a zone) relaxes the problem: the
    least P(I) over walks is at most that over simple paths, so it is a lower bound,
    and when the best walk is itself a simple path it is the optimum. Dominance and
    pruning hold for any prefix, simple or not (``bounds``), and without zone sets far
    fewer labels survive. Stopped at the budget too, it still gives its open bound.
    """
    if res.exact or not res.path:
        return res
    try:
        walk = _search(problem, mode="walks", max_work=max_work, bound=res.p_interruption)
    except _TooMany as stop:
        res.work += stop.work
        return _bounded(res, max(res.lower or 0.0, stop.lower))
    res.work += walk.work
    if not walk.path:  # nothing below the value in hand, over walks either: it is optimal
        return _bounded(res, res.p_interruption)
    zones = walk.path[::2]
    if len(zones) == len(set(zones)):
        return Result(walk.p_interruption, walk.path, METHODS["walks"], True, walk.labels, res.work)
    return _bounded(res, max(res.lower or 0.0, walk.p_interruption))


def _evaluate(problem: Problem, path: list[str]) -> float:
    by_id = problem.net.by_id
    steps = []
    for i in range(1, len(path), 2):
        steps += [by_id[path[i]], problem.zones[path[i + 1]]]
    return objective(problem, steps)


def objective(problem: Problem, steps: list[Step]) -> float:
    """What the search minimises, forwards along one path: P(I), or P(E) with a curve."""
    from audit.analysis.easi import p_interruption

    if problem.curve is not None:
        from audit.analysis.timeline import p_effectiveness

        return p_effectiveness(steps, problem.curve, problem.p_comm)
    return p_interruption(steps, problem.rft, problem.rft_sd, problem.p_comm)


def _mean_delay_path(problem: Problem, max_work: int, hints: Sequence[list[str]] = ()) -> Result:
    """Exact optimum with delay variances set to zero, evaluated with the variances.
    ``hints``: the best of them bounds the search from the start (else the path most
    likely to pass undetected does); the path found is the same either way (the least
    value, then the least delay)."""
    flat = problem.flat()
    try:
        found = _deterministic(flat, max_work, hints)
    except _TooMany as stop:
        return _detection_path(problem, stop.work)
    if not found.path:
        return found
    value = _evaluate(problem, found.path)
    return Result(value, found.path, METHODS["mean-delay"], False, found.labels, found.work)


def _detection_tree(problem: Problem) -> dict[str, tuple[str, str] | None]:
    """Zone -> (previous zone, crossing) on its path most likely to pass undetected from the
    starts (ties: quickest); the whole tree, computed once per network and set of starts
    (a search stopped at its target settles the same zones the same way)."""
    trees = problem.net.trees
    key = (problem.starts, problem.blocked)  # (other assets' tasks are blocked, per asset)
    if key in trees:
        return trees[key]
    prev: dict[str, tuple[str, str] | None] = {}
    # ("" for a start's previous zone: it sorts before any id where entries tie)
    heap: list[tuple[float, float, str, str, str]] = [
        (0.0, 0.0, s, "", "") for s in sorted(problem.starts)
    ]
    out, zones, blocked = problem.net.outgoing, problem.zones, problem.blocked
    by_id, inf, log1p, push = itemgetter(1), math.inf, math.log1p, heapq.heappush
    while heap:
        c, d, u, p, e = heapq.heappop(heap)
        if u in prev:
            continue
        prev[u] = (p, e) if p else None
        for v, eid, st in sorted(out.get(u, ()), key=by_id):
            if v not in prev and v not in blocked:
                # (the cost of a step: -log P(not detected there))
                z = zones[v]
                cz = inf if z.p >= 1.0 else -log1p(-z.p)
                push(
                    heap,
                    (c + (inf if st.p >= 1.0 else -log1p(-st.p)) + cz, d + st.t + z.t, v, u, eid),
                )
    trees[key] = prev
    return prev


def _ceiling(problem: Problem) -> float | None:
    """Q of a real path found in O(E log V) (``_detection_path``), to prune the exact search
    from the start: a label whose bound exceeds it cannot lead to the optimum."""
    if problem.p_comm <= 0:
        return None
    found = _detection_path(problem, 0)
    if not found.path or math.isnan(found.p_interruption):
        return None
    return found.p_interruption / problem.p_comm


def _detection_path(problem: Problem, spent: int) -> Result:
    """Last resort, O(E log V): the path most likely to pass undetected (ties: quickest)."""
    prev = _detection_tree(problem)
    if problem.target not in prev:
        return Result(float("nan"), [], "no path from a public zone", True, 0, spent)
    path = [problem.target]
    while (link := prev[path[-1]]) is not None:
        p, e = link
        path += [e, p]
    path.reverse()
    return Result(_evaluate(problem, path), path, METHODS["detection"], False, 0, spent)


METHODS = {
    "deterministic": "exact: Pareto labels (delay, P(I)); no delay variance",
    "variance": "exact: Pareto labels (delay, variance, P(I), zones visited)",
    "mean-delay": "bounded: site too large for the exact search with delay variance; "
    "path exact for mean delays, its P(I) evaluated with variance (an upper bound: "
    "the true minimum may be lower)",
    "met": "exact: the best path found meets a proven lower bound",
    "walks": "exact: Pareto labels (delay, variance, P(I)) over walks; the best is a simple path",
    "found": "bounded: the best path the exact search found before its work budget ran out "
    "(an upper bound: the true minimum may be lower, down to the lower bound reported)",
    "detection": "bounded: site too large for the label search; the path most likely to "
    "pass undetected, its P(I) evaluated exactly (an upper bound: the true minimum may be "
    "lower)",
}


def _search(
    problem: Problem,
    *,
    mode: str,
    max_work: int | None,
    bound: float | None = None,
    ceiling: float | None = None,
    quicker: float | None = None,
) -> Result:
    """The label search (module docstring). ``bound``: only paths below it are wanted.
    ``quicker``: also those within ``TIE`` of it (or of the best found since) that take
    less delay than this (or than the best found since), and of the paths found within
    ``TIE`` of the best the quickest is the answer (``_hinted``: of equal paths the
    quickest is reported, as the mean-delay search reports it)."""
    rft, rft_sd = problem.rft, problem.rft_sd
    curve = problem.curve
    if curve is not None:
        from audit.analysis.timeline import prepend as prepend_curve
    # the slowest mean arrival: past it, more delay variance only lowers the objective
    r_top = rft if curve is None else curve.r_max
    track = compare_seen = mode == "variance"
    # zones visited are tracked (a bit per zone) only where cycles can pay: with variance
    net = problem.net
    index = net.bits if track else {}
    incoming = net.incoming
    cut, top, quick = None, math.inf, quicker
    if bound is not None and not math.isnan(bound) and problem.p_comm > 0:
        cut = bound / problem.p_comm - TIE
        top = cut + 2 * TIE
    c = rft_sd * rft_sd
    inv_kappa, rate = net.inv_kappa, net.rate
    starts = problem.starts
    unseen = reach(net, problem.zones, starts)
    floors: dict[tuple[float, float], float] = {}
    work = 0
    # (deterministic) the best complete (Q, delay) so far; ``ceiling``: a real path's Q
    best_qd = (math.inf if ceiling is None else ceiling, math.inf)
    target = problem.target
    blocked = problem.blocked
    start = _Label(0.0, 0.0, 0.0, 1 << index[target] if track else 0, target, None, None)
    at: dict[str, list[_Label]] = {target: [start]}
    heap = [(0.0, 0.0, 0, start)]
    created = 1
    plain = mode == "deterministic"
    # a label with less variance may dominate (``bounds.quieter``): on the timeline, the
    # unit with the least sd binds, with the tail shared among the units (``z_slack``)
    quiet: float | None = c
    tail = Z_SLACK
    if curve is not None:
        quiet = min((u.response_sd_s**2 for u in curve.units), default=None)
        tail = z_slack(len(curve.units))
    while heap:
        lab = heapq.heappop(heap)[3]
        if lab.dead:
            continue
        if curve is None:
            zd, zv, zq = prepend(lab.d, lab.v, lab.q, problem.zones[lab.node], rft, rft_sd)
        else:
            zd, zv, zq = prepend_curve(lab.d, lab.v, lab.q, problem.zones[lab.node], curve)
        for u, eid, st in incoming.get(lab.node, ()):
            bit = 1 << index[u] if track else 0
            if u == target or (track and lab.seen & bit) or (blocked and u in blocked):
                continue
            if u not in unseen:
                continue  # no start reaches u: no path passes it
            if curve is None:
                d, v, q = prepend(zd, zv, zq, st, rft, rft_sd)
                floor = floors.get((d, v))
                if floor is None:  # (equal elements bring labels to equal delays and variances)
                    if len(floors) >= MEMO:
                        floors.clear()  # (bounded: a search on a large site makes millions)
                    floor = response_floor(d, v, rft, c, inv_kappa)
                    floor = floors[d, v] = max(floor, prefix_floor(d, v, rft, c, rate))
            else:
                d, v, q = prepend_curve(zd, zv, zq, st, curve)
                floor = curve.floor(d, v, inv_kappa, rate)
            low = completion(q, floor, unseen[u])
            if mode == "deterministic":
                # prepending never lowers q or d: this label cannot beat a complete path
                if q >= best_qd[0] and d >= best_qd[1] or low > best_qd[0] + TIE:
                    continue
                if u in starts and (q, d) < best_qd:
                    best_qd = (q, d)
            if cut is not None:
                if low > cut and (quick is None or d >= quick or low > top):
                    continue
                if u in starts:
                    if q < cut:
                        cut = q - TIE
                        if quick is not None:  # (a tie quicker than it is still wanted)
                            top, quick = q + TIE, d
                    elif quick is not None and q <= top and d < quick:
                        quick = d
            bucket = at.get(u, ())
            work += len(bucket) + 1
            if max_work is not None and work > max_work:
                low = _open_bound([lab] + [x[3] for x in heap], at, problem, unseen, cut)
                raise _TooMany(work, problem.p_comm * low, _best_found(at, problem))
            if plain:  # (a label is made only once it is kept: most are not)
                if _beaten(bucket, d, q):
                    continue
                new = _Label(d, v, q, lab.seen | bit, u, lab, eid)
            else:
                new = _Label(d, v, q, lab.seen | bit, u, lab, eid)
                if any(_dominates(o, new, r_top, mode, compare_seen, quiet, tail) for o in bucket):
                    continue
            keep = []
            for o in bucket:
                if (
                    not (d > o.d or q > o.q)
                    if plain
                    else _dominates(new, o, r_top, mode, compare_seen, quiet, tail)
                ):
                    o.dead = True
                else:
                    keep.append(o)
            keep.append(new)
            at[u] = keep
            heapq.heappush(heap, (d, q, created, new))
            created += 1
    best: _Label | None = None
    for s in sorted(problem.starts):
        for lab in at.get(s, ()):
            if best is None or (lab.q, lab.d) < (best.q, best.d):
                best = lab
    if quicker is not None and best is not None:
        least = best.q + TIE
        for s in sorted(problem.starts):
            for lab in at.get(s, ()):
                if lab.q <= least and lab.d < best.d:
                    best = lab
    if best is None:
        if cut is not None:
            return Result(float("inf"), [], METHODS[mode], True, created, work)
        return Result(float("nan"), [], "no path from a public zone", True, created, work)
    return Result(problem.p_comm * best.q, _path_of(best), METHODS[mode], True, created, work)


def _path_of(lab: _Label) -> list[str]:
    """The element ids of a complete label's path, from its start zone."""
    path = [lab.node]
    while lab.next is not None:
        path += [lab.edge, lab.next.node]
        lab = lab.next
    return path


def _best_found(at: dict[str, list[_Label]], problem: Problem) -> tuple[float, list[str]] | None:
    """(P(I), path) of the best complete path among the labels so far (dominated ones too:
    each is a real path), or None."""
    done = [lab for s in sorted(problem.starts) for lab in at.get(s, ())]
    if not done:
        return None
    best = min(done, key=lambda lab: (lab.q, lab.d))
    return problem.p_comm * best.q, _path_of(best)


def _open_bound(
    open_labels: list[_Label],
    at: dict[str, list[_Label]],
    problem: Problem,
    unseen: dict[str, float],
    cut: float | None,
) -> float:
    """A lower bound on Q of the optimum when the search stops early (``bounds``).

    Every simple path is a prefix in front of a label still open (or of one that
    dominates its suffix, open or expanded with its extensions made), or a complete
    path found, or was pruned as unable to go below ``cut``; so the least of their
    bounds is a bound on the optimum.
    """
    rft, rft_sd, inv_kappa = problem.rft, problem.rft_sd, problem.net.inv_kappa
    c = rft_sd * rft_sd
    low = math.inf if cut is None else cut
    for lab in open_labels:
        if not lab.dead:
            if problem.curve is None:
                floor = response_floor(lab.d, lab.v, rft, c, inv_kappa)
                floor = max(floor, prefix_floor(lab.d, lab.v, rft, c, problem.net.rate))
            else:
                floor = problem.curve.floor(lab.d, lab.v, inv_kappa, problem.net.rate)
            low = min(low, completion(lab.q, floor, unseen.get(lab.node, 0.0)))
    for s in problem.starts:
        for lab in at.get(s, ()):
            low = min(low, lab.q)
    return max(0.0, low)


def _bounded(res: Result, lower: float) -> Result:
    """``res`` (a real path's value, an upper bound) with the proven ``lower`` bound; a
    bound that meets the value proves it optimal."""
    value = res.p_interruption
    if math.isnan(value) or not res.path:
        return res
    res.lower = min(lower, value)
    if res.lower >= value - TIE:
        res.lower, res.exact = None, True
        res.method = METHODS["met"]
    return res


def _beaten(bucket: Iterable[_Label], d: float, q: float) -> bool:
    """Does a label of ``bucket`` dominate one at (``d``, ``q``) with no variance?
    (``_dominates`` in deterministic mode, in one call for the whole bucket.)"""
    return any(not (o.d > d or o.q > q) for o in bucket)


def _dominates(
    a: _Label,
    b: _Label,
    rft: float,
    mode: str,
    compare_seen: bool,
    c: float | None = None,
    z: float = Z_SLACK,
) -> bool:
    """Is suffix ``a`` at least as good for the adversary as ``b`` under every prefix?"""
    if a.d > b.d or a.q > b.q:
        return False
    if mode == "deterministic":
        return True
    if compare_seen and a.seen & ~b.seen:
        return False
    if a.v == b.v or (a.d >= rft and a.v >= b.v):
        return True
    return c is not None and quieter(a.d, a.v, b.d, b.v, c, z)


def all_simple_paths_min(problem: Problem) -> float:
    """Brute force: the minimum of the objective (P(I), or P(E) with a curve) over every
    simple path, each computed forwards (for tests and benchmarks)."""
    import networkx as nx

    if problem.target in problem.starts:
        return 0.0
    g = nx.MultiDiGraph()
    g.add_nodes_from(z for z in problem.zones if z not in problem.blocked)
    for u, v, eid, st in problem.edges:
        if u in g and v in g:
            g.add_edge(u, v, key=eid, step=st)
    best = float("nan")
    for s in sorted(problem.starts):
        for epath in _edge_paths(g, s, problem.target):
            steps = []
            for u, v, k in epath:
                steps += [g.edges[u, v, k]["step"], problem.zones[v]]
            value = objective(problem, steps)
            if not value >= best:
                best = value
    return best


def _edge_paths(g, s: str, t: str) -> Iterable:  # noqa: ANN001
    import networkx as nx

    if s == t or s not in g or t not in g:
        return []
    return nx.all_simple_edge_paths(g, s, t)
