"""What the administrator's reports (HTML, Markdown) show, computed once for both.

Counts by severity, worst P(I) per asset and its hour, the three fixes that
matter most, checkpoint staffing by time of day, and the site diagram's layout
(``diagram``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit.findings import RANK, SEVERITIES
from audit.report.views.diagram import Layout, layout
from audit.report.views.site_plan import site_plan
from audit.site import schedule


@dataclass
class Staffing:
    checkpoint: str
    label: str
    at: str
    days_manned: list[int]
    """For each of the 96 times of day, on how many days of the week someone is on shift."""
    unmanned: str


@dataclass
class Fix:
    rule: str
    title: str
    severity: str
    element: str
    where: str
    remediation: str


@dataclass
class Story:
    """The worst asset as every part of a report tells it: the summary, the diagram, the plan
    and its SA-EASI-001 finding give the same path and figures, and say which threat (or
    none) they are for. Against declared threats it is the lowest P(E) (the finding's
    figures); with none, the lowest P(I) on the base delays."""

    asset: str
    name: str
    start: str
    route: str
    steps: list[str]
    """Ids on the path after ``start``, in order."""
    measure: str
    """``P(E)`` against a declared threat, ``P(I)`` with none."""
    value: float
    goal: float
    threat: str | None
    at: str
    window: str
    reasons: list[str]
    p_interruption: float
    p_neutralization: float | None = None

    @property
    def against(self) -> str:
        return f"against {self.threat}" if self.threat else "no threat declared (base delays)"


def story(result: Any) -> Story | None:
    """The worst asset's story (see ``Story``), or None when the site has no asset."""
    ranked = sorted(
        (a.p_effectiveness, a.asset, t.threat, a)
        for t in result.effectiveness
        for a in t.assets
        if a.exposed and a.paths is not None
    )
    if result.model.threats and ranked:
        _, _, threat, a = ranked[0]
        p = a.paths
        rests = [f"rests on defaults: {', '.join(a.defaulted[:6])}"] if a.defaulted else []
        return Story(
            a.asset, p.name, p.start, p.route, [s.element for s in p.path], "P(E)",
            a.p_effectiveness, a.goal, threat, a.at, a.window, [*a.reasons, *rests],
            a.p_interruption, a.p_neutralization,
        )  # fmt: skip
    analysis = result.analysis
    w = min(analysis.assets, key=lambda a: (a.p_interruption, a.asset), default=None)
    if w is None:
        return None
    return Story(
        w.asset, w.name, w.start, w.route, [s.element for s in w.path], "P(I)",
        w.p_interruption, result.model.site.goal_p_interruption, None, w.at, w.worst_window,
        list(w.reasons), w.p_interruption,
    )  # fmt: skip


@dataclass
class Summary:
    result: Any
    counts: dict[str, int]
    waived: list[Any]
    active: list[Any]
    gaps: list[Any]
    """Facts to survey: what the rules needed and the site file does not record."""
    worst: Story | None
    fixes: list[Fix]
    staffing: list[Staffing]
    layout: Layout
    surveyed: str | None
    drawing: Any = None
    """The site to scale (``site_plan.SitePlan``) when the file has geometry."""


def summarize_site(result: Any) -> Summary:
    site = result.model
    analysis = result.analysis
    active = [f for f in result.findings if not f.waived and not f.gap]
    gaps = [f for f in result.findings if not f.waived and f.gap]
    waived = [f for f in result.findings if f.waived]
    counts = {s: sum(1 for f in active if f.severity == s) for s in SEVERITIES}
    worst = story(result)
    on_path = {s.element for a in analysis.assets for s in a.path} | {
        a.asset for a in analysis.assets
    }
    return Summary(
        result=result,
        counts=counts,
        waived=waived,
        active=active,
        gaps=gaps,
        worst=worst,
        fixes=top_fixes(active, on_path),
        staffing=staffing(result),
        layout=layout(result, [worst.start, *worst.steps] if worst and worst.steps else []),
        surveyed=site.site.surveyed.isoformat() if site.site.surveyed else None,
        drawing=site_plan(result, set(worst.steps) if worst else set()),
    )


def top_fixes(active: list[Any], on_path: set[str], n: int = 3) -> list[Fix]:
    """Worst first, lapses on a most vulnerable path before others; one per rule."""
    ranked = sorted(active, key=lambda f: (RANK[f.severity], f.element not in on_path, f.line))
    out: list[Fix] = []
    seen: set[str] = set()
    for f in ranked:
        if f.rule in seen:
            continue
        seen.add(f.rule)
        out.append(
            Fix(
                f.rule,
                f.title,
                f.severity,
                f.element,
                f"{f.file}:{f.line}",
                " ".join(f.remediation.split()),
            )
        )
        if len(out) == n:
            break
    return out


def staffing(result: Any) -> list[Staffing]:
    watch = result.watch
    rows = []
    for cp in result.model.checkpoints:
        manned = watch.staffed(cp)
        days = [
            sum(1 for d in range(7) if d * schedule.PER_DAY + t in manned)
            for t in range(schedule.PER_DAY)
        ]
        unmanned = frozenset(range(schedule.WEEK)) - manned
        rows.append(Staffing(cp.id, cp.label, cp.at, days, schedule.windows(unmanned)))
    return rows


def hourly(profile: list[dict[str, Any]], key: str = "p_interruption") -> list[float]:
    """Worst P(I) (or ``key``) of each hour from a 96-slot profile."""
    return [min(p[key] for p in profile[h * 4 : h * 4 + 4]) for h in range(len(profile) // 4)]
