"""The cheapest set of upgrades that lifts every asset to its goal (Garcia ch. 14).

Every candidate set is scored by running the full path analysis again on the
upgraded site file (every asset, every declared threat, every 15-minute slot
of the week): P(E) against its goal, or P(I) against the site's goal where the
site declares no threat. Upgrades interact (two routes may both need closing),
so no candidate is scored alone and added up.

**Method.** Candidate sets are tried in order of increasing yearly cost (a
uniform-cost search over subsets, each subset generated once); the first set
that meets every goal is the cheapest, exactly, among the candidates. Past
``max_evaluations`` the search stops: every set cheaper than the next one in
the queue was tried and failed, so that cost is a **lower bound** on the
cheapest plan; the plan itself is then built greedily (each step the upgrade
with the largest fall in the total shortfall per unit of cost), any step the
others meet every goal without is dropped (dearest first), and the gap
between its cost and the bound is reported. Either way the chosen upgrades are
ordered so that each step is worth doing on its own: each next step is the one
with the largest gain per unit of cost given the steps before it.
"""

from __future__ import annotations

import copy
import datetime as dt
import heapq
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from audit.upgrade import TOLERANCE
from audit.upgrade.candidates import Candidate, generate
from audit.upgrade.closing import Closer

if TYPE_CHECKING:
    from audit.findings import Finding
    from audit.rules.checklist import Rule
    from audit.site.devices import Camera, Light
    from audit.site.model import Site
    from audit.site.source import Document


@dataclass
class Score:
    """Every judged (asset, threat) pair of one version of the site, against its goal."""

    values: dict[tuple[str, str], float]
    goals: dict[tuple[str, str], float]
    routes: dict[tuple[str, str], list[str]]
    slots: dict[tuple[str, str], int] = field(default_factory=dict)
    p_neutralization: dict[tuple[str, str], float] = field(default_factory=dict)
    """P(N) of each pair against a declared threat: the ceiling of its P(E)."""

    @property
    def shortfall(self) -> float:
        return sum(max(0.0, self.goals[k] - v) for k, v in self.values.items())

    @property
    def met(self) -> bool:
        return self.shortfall <= TOLERANCE

    def by_asset(self) -> dict[str, float]:
        """The worst value of each asset over the threats judged."""
        out: dict[str, float] = {}
        for (asset, _), v in sorted(self.values.items()):
            out[asset] = min(out.get(asset, 1.0), v)
        return out


@dataclass(frozen=True)
class PlanStep:
    candidate: Candidate
    cumulative_cost: float
    shortfall: float
    values: dict[str, float]
    closes: list[str] = field(default_factory=list)
    """The findings (rule on element) this step is there to close; empty: a step for P(E)."""


@dataclass(frozen=True)
class Plan:
    """An upgrade plan, built once when the search is done (``improve``)."""

    site: str
    file: str
    measure: str
    currency: str
    method: str
    exact: bool
    goal_met: bool
    evaluations: int
    candidates: list[Candidate]
    before: Score
    after: Score
    steps: list[PlanStep] = field(default_factory=list)
    lower_bound: float = 0.0
    budget: float | None = None
    data: Any = None
    """The upgraded site file's plain data."""
    fail_on: str | None = None
    """Findings at or above this severity are closed too (None: P(E) goals only)."""
    open_findings: list[str] = field(default_factory=list)
    """Findings at or above ``fail_on`` the plan leaves open (``over_budget`` among them)."""
    over_budget: list[str] = field(default_factory=list)
    """Of ``open_findings``: those a rule's fix closes at a cost over the budget; the others no
    rule's fix closes (to fix by hand)."""
    budget_exhausted: bool = False
    """Every set of upgrades within the budget was tried and none meets every goal."""
    out_of_proportion: list[str] = field(default_factory=list)
    """Goals met only by buying a response force the site does not have, with its cost, its
    share and the value without it: a goal out of proportion to the site."""

    @property
    def done(self) -> bool:
        """Every goal met and every finding at or above ``fail_on`` closed."""
        return self.goal_met and not self.open_findings

    @property
    def cost(self) -> float:
        return _cost(self.steps)

    def site_file(self, source: str, text: str | None = None) -> str:
        """The upgraded site file. Given the text of ``source``, only the values the upgrades
        change are rewritten and every comment, key order and line break is kept
        (``audit.site.edit``); without it (or where a change cannot be made in place, e.g.
        through an alias) the data is dumped again and the comments are lost."""
        import yaml

        from audit.site.edit import EditError, rewrite

        done = ", ".join(s.candidate.id for s in self.steps) or "none"
        header = f"# {source} with the upgrades of `siteaudit improve`: {done}\n"
        if text is not None:
            try:
                edited = rewrite(text, self.data, name=source)
            except EditError:
                pass
            else:
                first = edited.split("\n", 1)
                if first[0].startswith("# yaml-language-server") and len(first) == 2:
                    return first[0] + "\n" + header + first[1]
                return header + edited
        return header + yaml.safe_dump(self.data, sort_keys=False, allow_unicode=True, width=100)


class Evaluator:
    """Scores versions of one site file, counting evaluations."""

    def __init__(
        self,
        doc: Document,
        *,
        goal: float | None,
        threat_id: str | None,
        today: dt.date | None = None,
    ) -> None:
        self.doc = doc
        self.today = today
        """The date waivers expire against (None: the day the rules run)."""
        self.goal = goal
        self.threat_id = threat_id
        self.count = 0
        self._cache: dict[tuple[str, ...], Score] = {}
        self._found: dict[tuple[tuple[str, ...], tuple[str, ...], str], list[Finding]] = {}

    def data(self, chosen: list[Candidate]) -> Any:
        data = copy.deepcopy(self.doc.data)
        for c in chosen:
            c.apply(data)
        return data

    def site(self, chosen: list[Candidate]) -> Site:
        from audit.site.load import site_from_document

        return site_from_document(replace(self.doc, data=self.data(chosen)))

    def score(self, chosen: list[Candidate]) -> Score:
        key = tuple(sorted(c.id for c in chosen))
        if key not in self._cache:
            self.count += 1
            self._cache[key] = self._score(self.site(chosen))
        return self._cache[key]

    def findings(self, chosen: list[Candidate], rules: list[Rule], fail_on: str) -> list[Finding]:
        """The unwaived lapses at or above ``fail_on`` on this version of the site."""
        from audit.findings import at_or_above
        from audit.rules.checklist import run_rules

        key = (tuple(sorted(c.id for c in chosen)), tuple(r.id for r in rules), fail_on)
        if key not in self._found:
            found = run_rules(self.site(chosen), rules, today=self.today)
            self._found[key] = [
                f for f in found if not f.waived and not f.gap and at_or_above(f.severity, fail_on)
            ]
        return self._found[key]

    def _score(self, site: Site) -> Score:
        from audit.analysis.effectiveness import assess
        from audit.analysis.paths import analyse

        values, goals, routes, slots, p_n = {}, {}, {}, {}, {}
        if site.threats:
            for t in assess(site, threat_id=self.threat_id):
                for a in t.assets:
                    if not a.exposed or (a.paths is not None and not a.paths.path):
                        continue
                    key = (a.asset, t.threat)
                    values[key] = a.p_effectiveness
                    goals[key] = self.goal if self.goal is not None else a.goal
                    routes[key] = a.route.split(" -> ")
                    slots[key] = a.paths.slot if a.paths is not None else 0
                    p_n[key] = a.p_neutralization
        else:
            goal = self.goal if self.goal is not None else site.site.goal_p_interruption
            for worst in analyse(site).assets:
                if not worst.path:
                    continue
                key = (worst.asset, "")
                values[key] = worst.p_interruption
                goals[key] = goal
                routes[key] = worst.route.split(" -> ")
                slots[key] = worst.slot
        return Score(values, goals, routes, slots, p_n)

    def route_gain(self, chosen: list[Candidate], c: Candidate, before: Score) -> float:
        """How much ``c`` raises P(I) on the worst routes below goal as they stand, at their
        worst moments: the gain of closing one route when another, as weak, remains."""
        from audit.analysis.paths import Analyzer, task_edge
        from audit.analysis.search import _evaluate
        from audit.site.threats import declared

        new, old = self.site([*chosen, c]), self.site(chosen)
        threats = {t.id: t for t in declared(new)}
        analysers: dict[tuple[int, str], Analyzer] = {}
        gain = 0.0
        for key, route in sorted(before.routes.items()):
            if before.values[key] >= before.goals[key] - TOLERANCE:
                continue
            asset = new.get(key[0])
            slot = before.slots[key]
            ids = [*route[:-1], task_edge(asset), route[-1]]
            for sign, site in ((1.0, new), (-1.0, old)):
                an = analysers.get((id(site), key[1]))
                if an is None:
                    an = analysers[(id(site), key[1])] = Analyzer(site, threats.get(key[1]))
                gain += sign * _evaluate(an.problem(asset, slot), ids)
        return gain


def improve(
    doc: Document,
    *,
    costs: dict[str, Any],
    budget: float | None = None,
    goal: float | None = None,
    threat_id: str | None = None,
    max_evaluations: int = 100,
    kinds: set[str] | None = None,
    rules: list[Rule] | None = None,
    fail_on: str | None = None,
    today: dt.date | None = None,
) -> Plan:
    """The upgrade plan for the site file ``doc`` (see the module docstring).

    With ``rules`` and ``fail_on``, the plan also closes every finding of those rules at or
    above ``fail_on`` that a rule's ``fix`` can close: first those the path analysis does not
    measure (so the P(E) search starts from them), then any the P(E) upgrades leave.
    """
    ev = Evaluator(doc, goal=goal, threat_id=threat_id, today=today)
    site = ev.site([])
    before = ev.score([])
    closing = Closer(ev, costs, kinds, rules or [], fail_on) if rules and fail_on else None
    base = closing.close([], analysis=False, budget=budget) if closing is not None else []
    pool = _pool(ev, base, costs, kinds)
    search = _search(ev, pool, base, budget, max_evaluations)
    left = _close_left(closing, base, search, budget)
    steps = _fix_steps(ev, [], base, closing) + _ordered(ev, search.chosen, base)
    steps += _fix_steps(ev, [*base, *search.chosen], left.fixes, closing)
    steps = _cumulate(steps)
    if closing is not None:
        steps = _measure_closes(ev, steps, closing.rules, closing.fail_on)
    everything = [s.candidate for s in steps]
    after = ev.score(everything)
    measure = "P(E)" if site.threats else "P(I)"
    currency = costs.get("currency", "")
    out_of_proportion = _out_of_proportion(steps, after, measure, ev, currency)
    return Plan(
        site=site.site.id,
        file=site.path,
        measure=measure,
        currency=currency,
        method=search.method + left.method,
        exact=search.exact,
        goal_met=after.met,
        evaluations=ev.count,
        candidates=sorted([*base, *pool], key=lambda c: (c.cost, c.id)),
        before=before,
        after=after,
        steps=steps,
        lower_bound=search.lower_bound,
        budget=budget,
        data=ev.data(everything),
        fail_on=fail_on if rules else None,
        open_findings=left.open_findings,
        over_budget=left.over_budget,
        budget_exhausted=search.budget_exhausted,
        out_of_proportion=out_of_proportion,
    )


def _pool(
    ev: Evaluator, base: list[Candidate], costs: dict[str, Any], kinds: set[str] | None
) -> list[Candidate]:
    """The candidates for the goal search, cheapest first: those of the kinds asked for on the
    site as the findings' fixes (``base``) leave it, apart from those fixes."""
    fixed = {b.id for b in base}
    return sorted(
        (
            c
            for c in generate(ev.site(base), costs)
            if (kinds is None or c.kind in kinds) and c.id not in fixed
        ),
        key=lambda c: (c.cost, c.id),
    )


@dataclass(frozen=True)
class _Search:
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


def _search(
    ev: Evaluator,
    pool: list[Candidate],
    base: list[Candidate],
    budget: float | None,
    max_evaluations: int,
) -> _Search:
    """The upgrades of ``pool`` that meet every goal on top of ``base``: the cheapest set
    (exact) within ``max_evaluations``, else the greedy and pruned one."""
    if ev.score(base).met:
        if base:
            return _Search([], "every asset meets its goal once the findings are closed")
        return _Search([], "nothing to do: every asset meets its goal")
    left = None if budget is None else budget - sum(c.cost for c in base)
    found, exact, bound = _cheapest(ev, pool, left, max_evaluations, base)
    exhausted = found is None and left is not None and bound > left + TOLERANCE
    if found is not None:
        return _Search(found, EXACT, exact, bound, exhausted)
    found = _greedy(ev, pool, left, ev.count + GREEDY_FACTOR * max_evaluations, base)
    found = _pruned(ev, found, base)
    return _Search(found, _greedy_method(exhausted, bound), exact, bound, exhausted)


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


@dataclass(frozen=True)
class _Closed:
    """The findings' fixes made after the goal search, what stays open, and the words the
    plan's method gets for them."""

    fixes: list[Candidate] = field(default_factory=list)
    open_findings: list[str] = field(default_factory=list)
    over_budget: list[str] = field(default_factory=list)
    method: str = ""


def _close_left(
    closing: Closer | None, base: list[Candidate], search: _Search, budget: float | None
) -> _Closed:
    """Close the findings the goal search's upgrades leave open, within what the budget has
    left; where the search stopped at the budget, so did their closing."""
    if closing is None:
        return _Closed()
    done = [*base, *search.chosen]
    spent = sum(c.cost for c in done)
    fixes = closing.close(done, analysis=True, budget=None if budget is None else budget - spent)
    over_budget = closing.over_budget
    if search.budget_exhausted:
        on_paths = set(closing.left_on_paths)
        over_budget = [f for f in closing.left if f in on_paths or f in over_budget]
    method = ""
    if base or fixes:
        method = (
            f"; findings at {closing.fail_on} or above closed by their rules' fixes (each "
            "finding's own fix; a fix dropped when the others close the same findings without it)"
        )
    return _Closed(fixes, closing.left, over_budget, method)


def _measure_closes(
    ev: Evaluator, steps: list[PlanStep], rules: list[Rule], fail_on: str
) -> list[PlanStep]:
    """Each step closes the findings that are gone once it is made (the rules run again on
    the site as it stands after each step): one step per finding, and none claimed that
    stays open."""
    done: list[Candidate] = []
    out = []
    before = _named(ev.findings([], rules, fail_on))
    for step in steps:
        done.append(step.candidate)
        after = _named(ev.findings(done, rules, fail_on))
        out.append(replace(step, closes=sorted(before - after)))
        before = after
    return out


def _named(findings: list[Finding]) -> set[str]:
    return {f"{f.rule} on {f.element}" for f in findings}


RESPONSE_KINDS = frozenset({"reaction-team", "team-grow", "responder-standby"})
"""Kinds that raise P(N) itself (who responds, how many, how soon)."""


def _out_of_proportion(
    steps: list[PlanStep], after: Score, measure: str, ev: Evaluator, currency: str
) -> list[str]:
    """A goal the plan meets only by buying a response force the site does not have (a unit
    on standby on site, a reaction team): the declared response cannot give the P(N) the goal
    needs, whatever detects the adversary. Say so with the figures (what the force costs, its
    share, and P(E) with every other upgrade of the plan but not it), so the goal can be
    weighed rather than bought."""
    buys = [s for s in steps if s.candidate.kind in RESPONSE_KINDS]
    if not buys:
        return []
    without = ev.score([s.candidate for s in steps if s.candidate.kind not in RESPONSE_KINDS])
    spent = sum(s.candidate.cost for s in buys)
    cost = _cost(steps)
    share = f" ({100 * spent / cost:.0f}%)" if cost > 0 else ""
    bought = "; ".join(s.candidate.description for s in buys)
    out = []
    for (asset, threat), value in sorted(without.values.items()):
        goal = without.goals[(asset, threat)]
        if value >= goal - TOLERANCE:
            continue
        against = f" against {threat}" if threat else ""
        reached = after.values.get((asset, threat), 0.0)
        verdict = "is met only with" if reached >= goal - TOLERANCE else "is not met even with"
        out.append(
            f"{asset}{against}: the goal {goal:g} {verdict} a response force the site does not "
            f"have ({bought}), {spent:,.0f} of the plan's {cost:,.0f} {currency} a "
            f"year{share}: {measure} {reached:.3f} with it, {value:.3f} with every other "
            "upgrade and the response declared"
        )
    return out


def _fix_steps(
    ev: Evaluator, done: list[Candidate], fixes: list[Candidate], closing: Closer | None
) -> list[PlanStep]:
    steps = []
    for i, c in enumerate(fixes):
        score = ev.score([*done, *fixes[: i + 1]])
        closes = sorted(set(closing.closes.get(c.id, []))) if closing else []
        steps.append(PlanStep(c, 0.0, score.shortfall, score.by_asset(), closes))
    return steps


def _cumulate(steps: list[PlanStep]) -> list[PlanStep]:
    """The steps with what the plan has cost by the end of each."""
    out = []
    spent = 0.0
    for step in steps:
        spent += step.candidate.cost
        out.append(replace(step, cumulative_cost=round(spent, 2)))
    return out


def _cost(steps: list[PlanStep]) -> float:
    return round(sum(s.candidate.cost for s in steps), 2)


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


def _cheapest(
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


def _greedy(
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


def _pruned(ev: Evaluator, chosen: list[Candidate], base: list[Candidate]) -> list[Candidate]:
    """Drop, dearest first, each greedy step the others meet every goal without (a step taken
    early can be made redundant by later ones)."""
    if not ev.score([*base, *chosen]).met:
        return chosen
    for c in sorted(chosen, key=lambda c: (-c.cost, c.id)):
        trial = [x for x in chosen if x.id != c.id]
        if ev.score([*base, *trial]).met:
            chosen = trial
    return chosen


def _ordered(ev: Evaluator, chosen: list[Candidate], base: list[Candidate]) -> list[PlanStep]:
    """The chosen upgrades in the order each is worth most on its own, given those before."""
    left = sorted(chosen, key=lambda c: c.id)
    done: list[Candidate] = list(base)
    steps = []
    while left:
        shortfall = ev.score(done).shortfall

        def rank(c: Candidate, shortfall: float = shortfall) -> tuple[float, float, str]:
            gain = shortfall - ev.score([*done, c]).shortfall
            return (-gain / max(c.cost, 1e-9), c.cost, c.id)

        nxt = min(left, key=rank)
        left.remove(nxt)
        done.append(nxt)
        score = ev.score(done)
        steps.append(PlanStep(nxt, 0.0, score.shortfall, score.by_asset()))
    return steps
