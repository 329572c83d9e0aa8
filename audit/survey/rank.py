"""Value of information: how much knowing a fact could change the verdict, computed.

For each fact the whole audit (every rule, and P(E) of every asset against every
declared threat, or P(I) with none declared) runs again with the fact set to each
of its plausible values. Its worth is the spread between them: whether the
verdict itself changes (a lapse at or above ``fail_on``, or a goal, met at one
value and not at another), how far the worst P(E) moves, and how many findings
come and go. Facts rank by that, in that order.

Plausible values: yes and no; every choice; for a number a rule compares, just
below and just above each threshold the rules write for it (10 % either side
[assumed]); for a default of the analysis, the sensitivity band's ends (delay
x0.7 and x1.3, detection -0.1 and +0.1; ``audit.analysis.effectiveness.BAND``);
hours: always or never (where the field takes hours only, always or 08:00-18:00
[assumed]). A number with none of these is not ranked (worth unknown, listed
last).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from audit.survey.facts import Fact

MAX_CHOICES = 8


@dataclass(frozen=True)
class Outcome:
    """What one version of the site comes to."""

    lapses: frozenset[tuple[str, str]]
    worst: float | None
    fails: bool


@dataclass(frozen=True)
class Worth:
    decides: bool
    """The verdict (pass or fail) differs between the fact's plausible values."""
    spread: float
    """Largest minus smallest worst P(E) (or P(I)) over the plausible values."""
    findings: int
    """Findings present at some plausible values and not at others."""
    values: tuple[Any, ...]
    worst: tuple[float | None, ...]
    """The worst P(E) (or P(I)) at each plausible value."""

    @property
    def order(self) -> tuple:
        return (not self.decides, -self.spread, -self.findings)


def outcome(result: Any, fail_on: str) -> Outcome:
    """The verdict of an audited site (``SiteResult``)."""
    from audit.findings import failing

    lapses = frozenset((f.rule, f.element) for f in result.findings if not f.waived and not f.gap)
    if result.model.threats:
        pairs = [(a.p_effectiveness, a.goal) for t in result.effectiveness for a in t.assets]
        pairs = [p for p in pairs if p[0] is not None]
    else:
        goal = result.model.site.goal_p_interruption
        pairs = [(a.p_interruption, goal) for a in result.analysis.assets]
    worst = min((p for p, _ in pairs), default=None)
    short = any(p < g - 1e-9 for p, g in pairs)
    return Outcome(lapses, worst, short or failing(result.findings, fail_on))


def plausible(fact: Fact, result: Any, rules: list[Any]) -> list[Any]:
    """The values ``fact`` could plausibly take (see the module's docstring)."""
    from audit.analysis.effectiveness import BAND

    shape = fact.input
    if shape.kind == "yesno" or (shape.kind == "hours" and "never" in shape.choices):
        return [True, False]
    if shape.kind == "hours":  # a list of spans only: none (always) or office hours [assumed]
        return [[], [{"from": "08:00", "to": "18:00"}]]
    if shape.kind == "choice":
        return list(shape.choices[:MAX_CHOICES])
    if shape.kind not in ("number", "integer"):
        return []
    name = fact.field.rsplit(".", 1)[-1]
    el = result.model.get(fact.element)
    if fact.analysis and el is not None and name in ("delay_s", "p_detect"):
        values = result._context().values
        if name == "delay_s":
            mean, _ = values.delay(el)
            out = [round(mean * factor, 3) for factor, _ in BAND]
        else:
            p = sum(values.p_detect(el, s) for s in range(0, 672, 4)) / 168
            out = [round(p + shift, 3) for _, shift in BAND]
    else:
        out = []
        for t in _thresholds(rules, fact):
            step = max(abs(t) * 0.1, 0.1 if shape.kind == "number" else 1)
            out += [t - step, t + step]
    lo = shape.minimum if shape.minimum is not None else float("-inf")
    hi = shape.maximum if shape.maximum is not None else float("inf")
    clipped = sorted({min(max(v, lo), hi) for v in out})
    if shape.kind == "integer":
        clipped = sorted({round(v) for v in clipped})
    return clipped


def _thresholds(rules: list[Any], fact: Fact) -> list[float]:
    """Numbers the rules on ``fact``'s section compare its field with."""
    out: set[float] = set()
    for r in rules:
        if r.spec.check != "attribute" or r.params.on != fact.section:
            continue
        _operands(r.params.where, fact.field, out)
    return sorted(out)


def _operands(cond: Any, path: str, out: set[float]) -> None:
    """Every number a condition compares ``path`` with (``{path: {lt: 10}}`` or
    ``{field: path, lt: 10}``), at any depth of ``all``, ``any`` and ``not``."""
    if isinstance(cond, list):
        for part in cond:
            _operands(part, path, out)
        return
    if not isinstance(cond, dict):
        return
    if cond.get("field") == path:
        _numbers([v for k, v in cond.items() if k != "field"], out)
    for key, body in cond.items():
        if key == path and isinstance(body, dict):
            _numbers(list(body.values()), out)
        elif isinstance(body, dict | list):
            _operands(body, path, out)


def _numbers(values: list[Any], out: set[float]) -> None:
    for v in values:
        if isinstance(v, list):
            _numbers(v, out)
        elif isinstance(v, int | float) and not isinstance(v, bool):
            out.add(float(v))


def with_value(data: dict[str, Any], fact: Fact, value: Any) -> dict[str, Any]:
    """A copy of a site file's data with ``fact`` set to ``value``."""
    out = copy.deepcopy(data)
    set_value(out, fact.loc, fact.field, value)
    return out


def set_value(data: Any, loc: tuple, path: str, value: Any) -> None:
    """Set dotted ``path`` of the element at ``loc`` in plain data (in place)."""
    node = data
    for part in loc:
        node = node[part]
    *parents, last = path.split(".")
    for p in parents:
        if not isinstance(node.get(p), dict):
            node[p] = {}
        node = node[p]
    node[last] = value


def audited(site: Any, rules: list[Any], today: dt.date) -> Any:
    """``site`` audited with ``rules`` (a ``SiteResult`` whose analysis the ranking reads)."""
    from audit.checks import Context
    from audit.rules.checklist import run_rules
    from audit.rules.result import SiteResult

    ctx = Context(site, today=today)
    findings = run_rules(site, rules, ctx=ctx)
    return SiteResult(site.path, site.site.id, site.site.name, findings, rules, site, ctx)


def rank(
    facts: list[Fact],
    result: Any,
    doc: Any,
    rules: list[Any],
    *,
    fail_on: str = "high",
    today: dt.date | None = None,
) -> list[Fact]:
    """``facts`` with their worth (``Fact.value``) and rank filled, most worth first."""
    from audit.common.errors import SiteError
    from audit.site.load import site_from_document

    day = today or dt.date.today()
    cache: dict[str, Outcome] = {}

    def judge(data: dict[str, Any]) -> Outcome | None:
        import json

        key = json.dumps(data, sort_keys=True, default=str)
        if key not in cache:
            try:
                site = site_from_document(replace(doc, data=data))
            except SiteError:
                return None
            cache[key] = outcome(audited(site, rules, day), fail_on)
        return cache[key]

    worths: dict[str, Worth | None] = {}
    for fact in facts:
        values = plausible(fact, result, rules)
        outcomes = [(v, judge(with_value(doc.data, fact, v))) for v in values]
        seen = [(v, o) for v, o in outcomes if o is not None]
        if len(seen) < 2:
            worths[fact.key] = None
            continue
        worst = [o.worst for _, o in seen]
        known = [w for w in worst if w is not None]
        every = frozenset().union(*(o.lapses for _, o in seen))
        common = frozenset.intersection(*(o.lapses for _, o in seen))
        worths[fact.key] = Worth(
            decides=len({o.fails for _, o in seen}) > 1,
            spread=round(max(known) - min(known), 6) if known else 0.0,
            findings=len(every - common),
            values=tuple(v for v, _ in seen),
            worst=tuple(worst),
        )

    def order(f: Fact) -> tuple:
        w = worths.get(f.key)
        return ((1, 0.0, 0) if w is None else (0, *w.order), f.element, f.field)

    ranked = sorted(facts, key=order)
    for i, f in enumerate(ranked, start=1):
        w = worths.get(f.key)
        f.rank = i
        f.value = {} if w is None else {k: v for k, v in asdict(w).items()}
    return ranked
