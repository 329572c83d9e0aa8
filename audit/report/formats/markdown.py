"""Markdown report: the HTML report's content without the drawings; renders on GitHub and GitLab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from audit import __version__
from audit.common import escape
from audit.common.numbers import ratio
from audit.findings import SEVERITIES
from audit.report.views.summary import Summary, hourly, summarize_site

if TYPE_CHECKING:
    from audit.rules.result import SiteResult


class Raw(str):
    """Markdown already made safe (a code span, a number); table cells pass it through."""


def code(text: Any) -> Raw:
    return Raw(f"`{escape.code(text)}`")


def md(text: Any) -> Raw:
    return Raw(escape.markdown(text))


def cell(text: Any) -> str:
    """A table cell: one line, pipes escaped; text from input files escaped as Markdown."""
    safe = text if isinstance(text, Raw) else escape.markdown(text)
    return safe.replace("|", "\\|") if isinstance(text, Raw) else safe


def row(*cells: Any) -> str:
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def render(results: list[SiteResult], *, fail_on: str = "high", **_: Any) -> str:
    out = ["# Physical security lapse report", ""]
    out.append(f"siteaudit {__version__} · {len(results)} site file(s) · fail threshold: {fail_on}")
    for r in results:
        out += _site(r)
    return "\n".join(out) + "\n"


def _site(r: SiteResult) -> list[str]:
    """One site's section: its heading, then each part of the report that has something."""
    s = summarize_site(r)
    out = ["", f"## {md(r.name)} ({md(r.site)})", ""]
    surveyed = f" · facts as surveyed on {s.surveyed}" if s.surveyed else ""
    out += [f"Site file {code(r.file)}{surveyed}"]
    out += _executive_summary(s)
    out += _plan_or_fixes(r, s)
    out += _staffing(s)
    out += _interruption_by_hour(r)
    out += _effectiveness(r)
    out += _findings(s)
    out += _gaps(s)
    out += _waived(s)
    return out


def _executive_summary(s: Summary) -> list[str]:
    """The counts by severity, the worst figure, and the most vulnerable path in words."""
    out = ["", "### Executive summary", ""]
    w = s.worst
    out.append(row(*SEVERITIES, "waived", f"worst {w.measure if w else 'P(I)'}"))
    out.append("|" + " ---: |" * (len(SEVERITIES) + 2))
    worst = (
        f"{w.value:.3f} ({w.asset}, {'all day' if w.window == 'all day' else w.at}"
        + (f", against {w.threat})" if w.threat else ")")
        if w
        else "n/a"
    )
    out.append(row(*(s.counts[k] for k in SEVERITIES), len(s.waived), worst))
    if w:
        figure = (
            f"a system effectiveness of **P(E) {w.value:.3f}** = P(I) {w.p_interruption:.3f}"
            f" x P(N) {ratio(w.p_neutralization)}"
            if w.threat
            else f"a probability of interruption of **{w.value:.3f}**"
        )
        lead = (
            f"Against the declared threat **{md(w.threat)}**, the"
            if w.threat
            else "With no threat declared (base delays), the"
        )
        out += [
            "",
            f"{lead} most vulnerable path to **{md(w.name)}** starts at {code(w.start)} and "
            f"has {figure} (goal {w.goal:g}), lowest {w.window}: {code(w.route)}.",
            "",
            *(f"- {md(reason)}" for reason in w.reasons),
        ]
    return out


def _plan_or_fixes(r: SiteResult, s: Summary) -> list[str]:
    """The upgrade plan (``check --plan``), or else the three worst lapses and their fixes."""
    if r.plan:
        from audit.report.views.improve import markdown_lines

        return ["", "### Upgrade plan", "", *markdown_lines(r.plan)]
    if not s.fixes:
        return []
    return [
        "",
        "**The three worst lapses** (for the upgrades that close them at least "
        "cost, with measured gains: `siteaudit check --plan`)",
        "",
        *(
            f"{i}. **{f.severity.upper()}** {md(f.title)} — {code(f.element)} "
            f"({md(f.where)}): {md(f.remediation)}"
            for i, f in enumerate(s.fixes, 1)
        ),
    ]


def _staffing(s: Summary) -> list[str]:
    if not s.staffing:
        return []
    out = ["", "### Checkpoint staffing", "", row("checkpoint", "at", "unmanned")]
    out.append("| --- | --- | --- |")
    out += [row(code(x.checkpoint), code(x.at), x.unmanned) for x in s.staffing]
    return out


def _interruption_by_hour(r: SiteResult) -> list[str]:
    """P(I) of each asset every two hours of its worst day, with no threat declared."""
    if not r.analysis.assets:
        return []
    out = ["", "### Probability of interruption by hour (worst day), no threat", ""]
    out += ["Base delays: no threat's tools or tactics.", ""]
    out.append(row("asset", "worst", "at", *(f"{h:02d}" for h in range(0, 24, 2))))
    out.append("| --- | ---: | --- |" + " ---: |" * 12)
    for a in r.analysis.assets:
        vals = _two_hourly(hourly(a.profile))
        out.append(row(code(a.asset), f"{a.p_interruption:.3f}", a.at, *vals))
    return out


def _two_hourly(hours: list[float]) -> list[str]:
    """The worse of each two hours, as a table's cells."""
    return [f"{min(hours[h], hours[h + 1]):.2f}" for h in range(0, len(hours), 2)]


def _effectiveness(r: SiteResult) -> list[str]:
    """One table per declared threat: P(E) = P(I) x P(N) of each asset, and by hour."""
    out: list[str] = []
    for t in r.effectiveness:
        title = f"System effectiveness against {code(t.threat)} ({md(t.spec.kind)})"
        out += ["", f"### {title}", ""]
        out.append(
            row("asset", "P(E)", "P(I)", "P(N)", "band", "goal", "worst at",
                *(f"{h:02d}" for h in range(0, 24, 2)))
        )  # fmt: skip
        out.append("| --- |" + " ---: |" * 5 + " --- |" + " ---: |" * 12)
        for a in t.assets:
            vals = _two_hourly(hourly(a.profile, "p_effectiveness") if a.profile else [])
            out.append(
                row(
                    code(a.asset),
                    f"{a.p_effectiveness:.3f}",
                    f"{a.p_interruption:.3f}",
                    ratio(a.p_neutralization),
                    f"{a.band[0]:.3f}-{a.band[1]:.3f}",
                    f"{a.goal:g}",
                    ("all day" if a.window == "all day" else a.at) if a.exposed else "not exposed",
                    *(vals or [""] * 12),
                )
            )
    return out


def _findings(s: Summary) -> list[str]:
    """The open findings, worst first, each with what it rests on and how to fix it."""
    out = ["", "### Findings, worst first", ""]
    if not s.active:
        return [*out, "No open findings."]
    out.append(
        row(
            "severity",
            "rule",
            "category",
            "element",
            "where",
            "what is wrong",
            "evidence",
            "standard",
            "remediation",
        )
    )
    out.append("|" + " --- |" * 9)
    out += [
        row(
            f.severity,
            code(f.rule),
            f.category,
            code(f.element),
            code(f"{f.file}:{f.line}"),
            "; ".join(
                [
                    f.message,
                    *(f"also {o['rule']}: {o['message']}" for o in f.data.get("also", [])),
                ]
            ),
            f.evidence,
            "; ".join(f.references),
            f.remediation,
        )
        for f in s.active
    ]
    return out


def _gaps(s: Summary) -> list[str]:
    """Facts a rule needed that the file does not record: to survey, not lapses."""
    if not s.gaps:
        return []
    out = ["", "### Facts to survey", ""]
    out.append(
        "Data gaps, not lapses: a rule needed these facts and the file does not record them."
    )
    out += ["", row("rule", "element", "where", "what is not recorded"), "|" + " --- |" * 4]
    out += [
        row(code(f.rule), code(f.element), code(f"{f.file}:{f.line}"), f.message) for f in s.gaps
    ]
    return out


def _waived(s: Summary) -> list[str]:
    if not s.waived:
        return []
    out = ["", "### Waived findings", ""]
    out.append(row("rule", "element", "where", "what is wrong", "reason", "owner", "expires"))
    out.append("|" + " --- |" * 7)
    out += [
        row(
            code(f.rule),
            code(f.element),
            code(f"{f.file}:{f.line}"),
            f.message,
            f.waiver["reason"],
            f.waiver["owner"],
            f.waiver["expires"],
        )
        for f in s.waived
    ]
    return out
