"""Closing findings with the fixes the checklist rules declare (``improve``'s phases
before and after the P(E) search)."""

from __future__ import annotations

from typing import Any

from audit.upgrade import TOLERANCE
from audit.upgrade.candidates import Candidate, generate

GOAL_CHECK = "interruption"
"""The check of the P(E) (or P(I)) goals: the plan's own verdict (``goal_met``), against the
goal it was given, so the findings phases leave it out."""
ANALYSIS_CHECKS = frozenset({GOAL_CHECK, "delay_vs_response"})
"""Checks that run the path analysis: left to the phase after the P(E) search."""
PATH_CHECKS = ANALYSIS_CHECKS | {"unobserved_path"}
"""Checks whose lapse is a path: the plan's P(E) (or P(I)) search closes them, not one fix."""
ROUNDS = 4
"""Rounds of fixing: a fix may leave a finding that another rule of the same group reports."""


class Closer:
    """Closes the findings at or above ``fail_on`` with the fixes the rules declare."""

    def __init__(
        self,
        ev: Any,
        costs: dict[str, Any],
        kinds: set[str] | None,
        rules: list[Any],
        fail_on: str,
    ) -> None:
        self.ev, self.costs, self.kinds, self.fail_on = ev, costs, kinds, fail_on
        self.rules = [r for r in rules if r.spec.check != GOAL_CHECK]
        self.fast = [r for r in rules if r.spec.check not in ANALYSIS_CHECKS]
        self.by_id = {r.id: r for r in rules}
        self.closes: dict[str, list[str]] = {}
        self.worst: dict[str, int] = {}
        self.left: list[str] = []
        self.left_on_paths: list[str] = []
        """Of ``left``: findings on a path, which the goal search closes rather than a fix."""
        self.over_budget: list[str] = []
        """Of ``left``: findings a rule's fix would close, dropped to stay within the budget."""

    def close(
        self, chosen: list[Candidate], *, analysis: bool, budget: float | None = None
    ) -> list[Candidate]:
        """The fixes to add to ``chosen`` (within ``budget``: the worst findings first, then
        the cheapest fixes); sets ``left`` to what stays open."""
        from audit.findings import RANK
        from audit.upgrade.remedies import remedies

        rules = self.rules if analysis else self.fast
        fixes: list[Candidate] = []
        for _ in range(ROUNDS):
            found = self.ev.findings([*chosen, *fixes], rules, self.fail_on)
            site = self.ev.site([*chosen, *fixes])
            generated = {c.id: c for c in generate(site, self.costs)}
            taken = {c.id for c in [*chosen, *fixes]}
            new: list[Candidate] = []
            for f in found:
                for c in remedies(f, self.by_id[f.rule], site, self.costs, generated):
                    if self.kinds is not None and c.kind not in self.kinds:
                        continue
                    self.closes.setdefault(c.id, []).append(f"{f.rule} on {f.element}")
                    self.worst[c.id] = min(self.worst.get(c.id, 9), RANK[f.severity])
                    if c.id not in taken:
                        taken.add(c.id)
                        new.append(c)
            if not new:
                break
            fixes += new
        fixes = _useful(self.ev, chosen, fixes, rules, self.fail_on)
        dropped: list[Candidate] = []
        if budget is not None:
            kept, spent = [], 0.0
            for c in sorted(fixes, key=lambda c: (self.worst.get(c.id, 9), c.cost, c.id)):
                if spent + c.cost <= budget + TOLERANCE:
                    kept.append(c)
                    spent += c.cost
                else:
                    dropped.append(c)
            fixes = _useful(self.ev, chosen, kept, rules, self.fail_on)
            dropped += [c for c in kept if c not in fixes]
        fixable = {name for c in dropped for name in self.closes.get(c.id, [])}
        left = self.ev.findings([*chosen, *fixes], self.rules, self.fail_on)
        self.left = [f"{f.rule} on {f.element}: {f.message}" for f in left]
        self.left_on_paths = [
            f"{f.rule} on {f.element}: {f.message}"
            for f in left
            if self.by_id[f.rule].spec.check in PATH_CHECKS and not self.by_id[f.rule].spec.fix
        ]
        self.over_budget = [
            f"{f.rule} on {f.element}: {f.message}"
            for f in left
            if f"{f.rule} on {f.element}" in fixable
        ]
        return sorted(fixes, key=lambda c: (c.cost, c.id))


def _useful(
    ev: Any, chosen: list[Candidate], fixes: list[Candidate], rules: list[Any], fail_on: str
) -> list[Candidate]:
    """``fixes`` less each one (dearest first) the others close the same findings without: a
    fix the others make redundant, or half of a pair a budget split (a lock without the alarm
    the rule also asks for closes nothing)."""
    target = _keys(ev.findings([*chosen, *fixes], rules, fail_on))
    for c in sorted(fixes, key=lambda c: (-c.cost, c.id)):
        trial = [x for x in fixes if x.id != c.id]
        if _keys(ev.findings([*chosen, *trial], rules, fail_on)) <= target:
            fixes = trial
    return fixes


def _keys(findings: list[Any]) -> set[tuple[str, str]]:
    return {(f.rule, f.element) for f in findings}
