"""The upgrade plan: the cheapest set of upgrades that lifts every asset to its goal
(Garcia ch. 14), and the findings' fixes, as steps each worth doing on its own.

Versions of the site are scored in ``evaluate`` and the set is found in ``cheapest``; here
the plan is put together once: the findings the analysis does not measure are closed first
(so the search starts from them), any the upgrades leave are closed after, and the chosen
upgrades are ordered so that each next step is the one with the largest gain per unit of
cost given the steps before it. Where the search stopped early, the gap between the plan's
cost and the lower bound is reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from audit.upgrade import TOLERANCE
from audit.upgrade.candidates import Candidate, generate
from audit.upgrade.cheapest import Found, search
from audit.upgrade.closing import Closer
from audit.upgrade.evaluate import Evaluator, Score

if TYPE_CHECKING:
    from audit.findings import Finding
    from audit.rules.checklist import Rule
    from audit.site.source import Document


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
    found = search(ev, pool, base, budget, max_evaluations)
    left = _close_left(closing, base, found, budget)
    steps = _fix_steps(ev, [], base, closing) + _ordered(ev, found.chosen, base)
    steps += _fix_steps(ev, [*base, *found.chosen], left.fixes, closing)
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
        method=found.method + left.method,
        exact=found.exact,
        goal_met=after.met,
        evaluations=ev.count,
        candidates=sorted([*base, *pool], key=lambda c: (c.cost, c.id)),
        before=before,
        after=after,
        steps=steps,
        lower_bound=found.lower_bound,
        budget=budget,
        data=ev.data(everything),
        fail_on=fail_on if rules else None,
        open_findings=left.open_findings,
        over_budget=left.over_budget,
        budget_exhausted=found.budget_exhausted,
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
class _Closed:
    """The findings' fixes made after the goal search, what stays open, and the words the
    plan's method gets for them."""

    fixes: list[Candidate] = field(default_factory=list)
    open_findings: list[str] = field(default_factory=list)
    over_budget: list[str] = field(default_factory=list)
    method: str = ""


def _close_left(
    closing: Closer | None, base: list[Candidate], found: Found, budget: float | None
) -> _Closed:
    """Close the findings the goal search's upgrades leave open, within what the budget has
    left; where the search stopped at the budget, so did their closing."""
    if closing is None:
        return _Closed()
    done = [*base, *found.chosen]
    spent = sum(c.cost for c in done)
    fixes = closing.close(done, analysis=True, budget=None if budget is None else budget - spent)
    over_budget = closing.over_budget
    if found.budget_exhausted:
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
