"""Markdown report: the HTML report's content without the drawings; renders on GitHub and GitLab."""

from __future__ import annotations

from typing import Any

from audit import __version__
from audit.common import escape
from audit.common.numbers import ratio
from audit.findings import SEVERITIES
from audit.report.views.summary import hourly, summarize_site


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


def render(results: list[Any], *, fail_on: str = "high", **_: Any) -> str:
    out = ["# Physical security lapse report", ""]
    out.append(f"siteaudit {__version__} · {len(results)} site file(s) · fail threshold: {fail_on}")
    for r in results:
        s = summarize_site(r)
        out += ["", f"## {md(r.name)} ({md(r.site)})", ""]
        surveyed = f" · facts as surveyed on {s.surveyed}" if s.surveyed else ""
        out += [f"Site file {code(r.file)}{surveyed}", "", "### Executive summary", ""]
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
        if r.plan:
            from audit.report.views.improve import markdown_lines

            out += ["", "### Upgrade plan", "", *markdown_lines(r.plan)]
        elif s.fixes:
            out += [
                "",
                "**The three worst lapses** (for the upgrades that close them at least "
                "cost, with measured gains: `siteaudit check --plan`)",
                "",
            ]
            out += [
                f"{i}. **{f.severity.upper()}** {md(f.title)} — {code(f.element)} "
                f"({md(f.where)}): {md(f.remediation)}"
                for i, f in enumerate(s.fixes, 1)
            ]
        if s.staffing:
            out += ["", "### Checkpoint staffing", "", row("checkpoint", "at", "unmanned")]
            out.append("| --- | --- | --- |")
            out += [row(code(x.checkpoint), code(x.at), x.unmanned) for x in s.staffing]
        if r.analysis.assets:
            out += ["", "### Probability of interruption by hour (worst day), no threat", ""]
            out += ["Base delays: no threat's tools or tactics.", ""]
            out.append(row("asset", "worst", "at", *(f"{h:02d}" for h in range(0, 24, 2))))
            out.append("| --- | ---: | --- |" + " ---: |" * 12)
            for a in r.analysis.assets:
                hours = hourly(a.profile)
                vals = [f"{min(hours[h], hours[h + 1]):.2f}" for h in range(0, len(hours), 2)]
                out.append(row(code(a.asset), f"{a.p_interruption:.3f}", a.at, *vals))
        for t in r.effectiveness:
            title = f"System effectiveness against {code(t.threat)} ({md(t.spec.kind)})"
            out += ["", f"### {title}", ""]
            out.append(
                row("asset", "P(E)", "P(I)", "P(N)", "band", "goal", "worst at",
                    *(f"{h:02d}" for h in range(0, 24, 2)))
            )  # fmt: skip
            out.append("| --- |" + " ---: |" * 5 + " --- |" + " ---: |" * 12)
            for a in t.assets:
                hours = hourly(a.profile, "p_effectiveness") if a.profile else []
                vals = [f"{min(hours[h], hours[h + 1]):.2f}" for h in range(0, len(hours), 2)]
                out.append(
                    row(
                        code(a.asset),
                        f"{a.p_effectiveness:.3f}",
                        f"{a.p_interruption:.3f}",
                        ratio(a.p_neutralization),
                        f"{a.band[0]:.3f}-{a.band[1]:.3f}",
                        f"{a.goal:g}",
                        ("all day" if a.window == "all day" else a.at)
                        if a.exposed
                        else "not exposed",
                        *(vals or [""] * 12),
                    )
                )
        out += ["", "### Findings, worst first", ""]
        if s.active:
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
        else:
            out.append("No open findings.")
        if s.gaps:
            out += ["", "### Facts to survey", ""]
            out.append(
                "Data gaps, not lapses: a rule needed these facts and the file does not "
                "record them."
            )
            out += ["", row("rule", "element", "where", "what is not recorded"), "|" + " --- |" * 4]
            out += [
                row(code(f.rule), code(f.element), code(f"{f.file}:{f.line}"), f.message)
                for f in s.gaps
            ]
        if s.waived:
            out += ["", "### Waived findings", ""]
            out.append(
                row("rule", "element", "where", "what is wrong", "reason", "owner", "expires")
            )
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
    return "\n".join(out) + "\n"
