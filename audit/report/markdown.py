"""Markdown report: the HTML report's content without the drawings; renders on GitHub and GitLab."""

from __future__ import annotations

from typing import Any

from audit import __version__
from audit.findings import SEVERITIES
from audit.report.summary import hourly, summarize_site


def cell(text: Any) -> str:
    """A table cell: pipes escaped, newlines folded."""
    return " ".join(str(text).split()).replace("|", "\\|")


def row(*cells: Any) -> str:
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def render(results: list[Any], *, fail_on: str = "high", **_: Any) -> str:
    out = ["# Physical security lapse report", ""]
    out.append(f"siteaudit {__version__} · {len(results)} site file(s) · fail threshold: {fail_on}")
    for r in results:
        s = summarize_site(r)
        goal = r.model.site.goal_p_interruption
        out += ["", f"## {r.name} ({r.site})", ""]
        surveyed = f" · facts as surveyed on {s.surveyed}" if s.surveyed else ""
        out += [f"Site file `{r.file}`{surveyed}", "", "### Executive summary", ""]
        out.append(row(*SEVERITIES, "waived", "worst P(I)"))
        out.append(row(*["---:"] * (len(SEVERITIES) + 2)).replace("\\", ""))
        worst = (
            f"{s.worst.p_interruption:.3f} ({s.worst.asset}, "
            f"{'all day' if s.worst.worst_window == 'all day' else s.worst.at})"
            if s.worst
            else "n/a"
        )
        out.append(row(*(s.counts[k] for k in SEVERITIES), len(s.waived), worst))
        if s.worst:
            out += [
                "",
                f"The most vulnerable path to **{s.worst.name}** starts at `{s.worst.start}` and "
                f"has a probability of interruption of **{s.worst.p_interruption:.3f}** "
                f"(goal {goal:g}), lowest {s.worst.worst_window}: `{s.worst.route}`.",
                "",
                *(f"- {reason}" for reason in s.worst.reasons),
            ]
        if s.fixes:
            out += ["", "**The three fixes that matter most**", ""]
            out += [
                f"{i}. **{f.severity.upper()}** {f.title} — `{f.element}` ({f.where}): "
                f"{f.remediation}"
                for i, f in enumerate(s.fixes, 1)
            ]
        if s.staffing:
            out += ["", "### Checkpoint staffing", "", row("checkpoint", "at", "unmanned")]
            out.append("| --- | --- | --- |")
            out += [row(f"`{x.checkpoint}`", f"`{x.at}`", x.unmanned) for x in s.staffing]
        if r.analysis.assets:
            out += ["", "### Probability of interruption by hour (worst day)", ""]
            out.append(row("asset", "worst", "at", *(f"{h:02d}" for h in range(0, 24, 2))))
            out.append("| --- | ---: | --- |" + " ---: |" * 12)
            for a in r.analysis.assets:
                hours = hourly(a.profile)
                vals = [f"{min(hours[h], hours[h + 1]):.2f}" for h in range(0, len(hours), 2)]
                out.append(row(f"`{a.asset}`", f"{a.p_interruption:.3f}", a.at, *vals))
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
                    f"`{f.rule}`",
                    f.category,
                    f"`{f.element}`",
                    f"`{f.file}:{f.line}`",
                    f.message,
                    f.evidence,
                    "; ".join(f.references),
                    f.remediation,
                )
                for f in s.active
            ]
        else:
            out.append("No open findings.")
        if s.waived:
            out += ["", "### Waived findings", ""]
            out.append(
                row("rule", "element", "where", "what is wrong", "reason", "owner", "expires")
            )
            out.append("|" + " --- |" * 7)
            out += [
                row(
                    f"`{f.rule}`",
                    f"`{f.element}`",
                    f"`{f.file}:{f.line}`",
                    f.message,
                    f.waiver["reason"],
                    f.waiver["owner"],
                    f.waiver["expires"],
                )
                for f in s.waived
            ]
    return "\n".join(out) + "\n"
