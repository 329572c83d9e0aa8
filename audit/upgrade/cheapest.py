"""The search for the cheapest set of upgrades that meets every goal (Garcia ch. 14).

Candidate sets are tried in order of increasing yearly cost (a uniform-cost search over
subsets, each subset generated once); the first set that meets every goal is the cheapest,
exactly, among the candidates. Past ``max_evaluations`` the search stops: every set cheaper
than the next one in the queue was tried and failed, so that cost is a **lower bound** on
the cheapest plan; the plan itself is then built greedily (each step the upgrade with the
largest fall in the total shortfall per unit of cost), and any step the others meet every
goal without is dropped (dearest first).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audit.upgrade import TOLERANCE
from audit.upgrade.candidates import Candidate
from audit.upgrade.evaluate import Evaluator, Score

if TYPE_CHECKING:
    from audit.site.devices import Camera, Light
    from audit.site.model import Site


@dataclass(frozen=True)
class Found:
    """What the search for the goals found, and how (the plan's method, exactness and bound)."""

    chosen: list[Candidate]
    method: str
    exact: bool = True
    lower_bound: float = 0.0
    budget_exhausted: bool = False


EXACT = (
    "exact: candidate sets tried in order of increasing cost; the first that meets every goal "
    "is the cheapest among the candidates"
)


def search(
    ev: Evaluator,
    pool: list[Candidate],
    base: list[Candidate],
    budget: float | None,
    max_evaluations: int,
) -> Found:
    """The upgrades of ``pool`` that meet every goal on top of ``base``: the cheapest set
    (exact) within ``max_evaluations``, else the greedy and pruned one."""
    if ev.score(base).met:
        if base:
            return Found([], "every asset meets its goal once the findings are closed")
        return Found([], "nothing to do: every asset meets its goal")
    left = None if budget is None else budget - sum(c.cost for c in base)
    found, exact, bound = cheapest(ev, pool, left, max_evaluations, base)
    exhausted = found is None and left is not None and bound > left + TOLERANCE
    if found is not None:
        return Found(found, EXACT, exact, bound, exhausted)
    found = greedy(ev, pool, left, ev.count + GREEDY_FACTOR * max_evaluations, base)
    found = pruned(ev, found, base)
    return Found(found, _greedy_method(exhausted, bound), exact, bound, exhausted)


def _greedy_method(exhausted: bool, bound: float) -> str:
    """How a greedy plan was found, and what bounds the cheapest one."""
    if exhausted:
        why = (
            "every set of candidates within the budget was tried and none meets every goal: "
            "the plan is the best found within it"
        )
    elif bound != float("inf"):
        why = (
            f"every set of candidates costing less than {bound:g} a year was tried and fails, "
            "so that is a lower bound on the cheapest plan"
        )
    else:
        why = (
            "every set of candidates was tried and none meets every goal: the plan is the best "
            "found, not a full remedy"
        )
    return (
        "greedy: at each step the upgrade with the largest fall in shortfall per unit of cost "
        "(or, when closing one route leaves another as weak, the largest rise on the worst "
        f"routes), for at most {GREEDY_FACTOR} x max_evaluations versions; " + why
    )


SITE_WIDE = frozenset({"reaction-team", "alarm-comms", "responder-standby", "team-grow"})
"""Kinds that change every route (the response, the alarm path), on a path or not."""


def relevant(site: Site, pool: list[Candidate], score: Score) -> list[Candidate]:
    """Candidates that touch an element on the worst path of an asset below its goal."""
    on_path: set[str] = set()
    for key, route in score.routes.items():
        if score.values[key] < score.goals[key] - TOLERANCE:
            on_path.update(route)
    cps = {cp.id: {cp.at, *cp.observes} for cp in site.checkpoints}
    devices: list[Camera | Light] = [*site.cameras, *site.lights]
    covers = {el.id: set(el.covers) for el in devices}
    out = []
    for c in pool:
        touches = cps.get(c.target) or covers.get(c.target) or {c.target}
        if c.kind in SITE_WIDE or touches & on_path:
            out.append(c)
    return sorted(out, key=lambda c: (c.cost, c.id))


def cheapest(
    ev: Evaluator,
    pool: list[Candidate],
    budget: float | None,
    max_evaluations: int,
    base: list[Candidate],
) -> tuple[list[Candidate] | None, bool, float]:
    """Uniform-cost search over subsets: (the cheapest set that meets every goal, or None;
    whether it was found; the cost below which every set was tried and failed)."""
    heap: list[tuple[float, tuple[int, ...]]] = [(0.0, ())]
    tried = 0
    while heap:
        cost, subset = heapq.heappop(heap)
        if budget is not None and cost > budget + TOLERANCE:
            return None, False, cost
        if tried >= max_evaluations:
            return None, False, cost
        chosen = [pool[i] for i in subset]
        tried += 1
        if subset and ev.score([*base, *chosen]).met:
            return chosen, True, cost
        last = subset[-1] if subset else -1
        for j in range(last + 1, len(pool)):
            heapq.heappush(heap, (round(cost + pool[j].cost, 6), (*subset, j)))
    return None, False, float("inf")


GREEDY_FACTOR = 10
"""The greedy phase may analyse this many times ``max_evaluations`` versions in all."""


def greedy(
    ev: Evaluator,
    pool: list[Candidate],
    budget: float | None,
    limit: int,
    base: list[Candidate],
) -> list[Candidate]:
    chosen: list[Candidate] = list(base)
    spent = 0.0
    current = ev.score(chosen)
    while not current.met and ev.count < limit:
        site = ev.site(chosen)
        left = [
            c
            for c in relevant(site, pool, current)
            if c not in chosen and (budget is None or spent + c.cost <= budget + TOLERANCE)
        ]
        best = None
        for c in left:
            gain = current.shortfall - ev.score([*chosen, c]).shortfall
            if gain > TOLERANCE:
                rank = (-gain / max(c.cost, 1e-9), c.cost, c.id)
                if best is None or rank < best[0]:
                    best = (rank, c)
        if best is None:
            for c in left:
                gain = ev.route_gain(chosen, c, current)
                if gain > TOLERANCE:
                    rank = (-gain / max(c.cost, 1e-9), c.cost, c.id)
                    if best is None or rank < best[0]:
                        best = (rank, c)
        if best is None:
            break
        chosen.append(best[1])
        spent += best[1].cost
        current = ev.score(chosen)
    return chosen[len(base) :]


def pruned(ev: Evaluator, chosen: list[Candidate], base: list[Candidate]) -> list[Candidate]:
    """Drop, dearest first, each greedy step the others meet every goal without (a step taken
    early can be made redundant by later ones)."""
    if not ev.score([*base, *chosen]).met:
        return chosen
    for c in sorted(chosen, key=lambda c: (-c.cost, c.id)):
        trial = [x for x in chosen if x.id != c.id]
        if ev.score([*base, *trial]).met:
            chosen = trial
    return chosen
