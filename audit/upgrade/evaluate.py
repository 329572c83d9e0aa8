"""Scores of versions of one site file: each set of upgrades applied to a copy of the file
and the full path analysis run again (every asset, every declared threat, every 15-minute
slot of the week): P(E) against its goal, or P(I) against the site's goal where the site
declares no threat. Upgrades interact (two routes may both need closing), so no candidate
is scored alone and added up; each set is scored once and counted.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from audit.upgrade import TOLERANCE
from audit.upgrade.candidates import Candidate

if TYPE_CHECKING:
    from audit.findings import Finding
    from audit.rules.checklist import Rule
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
                    if a.p_neutralization is not None:
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
