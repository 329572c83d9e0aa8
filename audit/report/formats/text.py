"""Terminal report: grouped by severity, with file:line, element, what is wrong, what to do."""

from __future__ import annotations

import textwrap
from typing import Any

import click

from audit.common.escape import printable as p
from audit.findings import SEVERITIES

_COLOURS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "cyan", "info": "blue"}


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=96,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent]


def render(results: list[Any], *, color: bool = False, baseline: Any = None, **_: Any) -> str:
    def style(text: str, **kw: Any) -> str:
        return click.style(text, **kw) if color else text

    out: list[str] = []
    new = None if baseline is None else {id(f) for f in baseline.new}
    for r in results:
        out.append(style(f"{p(r.file)}: {p(r.name)} ({p(r.site)})", bold=True))
        active = [f for f in r.findings if not f.waived and not f.gap]
        gaps = [f for f in r.findings if not f.waived and f.gap]
        waived = [f for f in r.findings if f.waived]
        if new is not None:  # with a baseline, what is new in full; the accepted as a count
            known = sum(1 for f in [*active, *gaps] if id(f) not in new)
            active = [f for f in active if id(f) in new]
            gaps = [f for f in gaps if id(f) in new]
            out.append(
                f"  {known} finding(s) unchanged since the baseline (accepted; not shown); "
                + (f"{len(active) + len(gaps)} new, below" if active or gaps else "none new")
            )
        elif not active:
            out.append("  no lapses found")
        groups = [
            (sev.upper(), _COLOURS[sev], [f for f in active if f.severity == sev])
            for sev in SEVERITIES
        ]
        groups.append(("FACTS TO SURVEY", "blue", gaps))
        for heading, colour, group in groups:
            if not group:
                continue
            out.append("")
            out.append(style(f"{heading} ({len(group)})", fg=colour, bold=True))
            for f in group:
                out.append(
                    f"  {p(f.file)}:{f.line}:{f.column}  {style(f.rule, bold=True)}  "
                    f"[{f.category}]  {p(f.element)}" + ("  NEW" if new is not None else "")
                )
                out += _wrap(p(f.message), "    ")
                for other in f.data.get("also", []):
                    out += _wrap(f"also {other['rule']}: {p(other['message'])}", "    ")
                if f.evidence and f.evidence not in f.message:
                    out += _wrap(f"evidence: {p(f.evidence)}", "    ")
                if not f.gap:
                    out += _wrap(f"fix: {p(' '.join(f.remediation.split()))}", "    ")
        if waived:
            out.append("")
            out.append(style(f"WAIVED ({len(waived)})", dim=True, bold=True))
            for f in waived:
                w = f.waiver or {}
                out.append(f"  {p(f.file)}:{f.line}:{f.column}  {f.rule}  {p(f.element)}")
                out += _wrap(
                    p(
                        f"{w.get('reason', '')} (owner {w.get('owner')}, "
                        f"expires {w.get('expires')})"
                    ),
                    "    ",
                )
        s = r.summary["by_severity"]
        counts = ", ".join(f"{s[k]} {k}" for k in SEVERITIES if s[k])
        gap_count = r.summary["data_gaps"]
        tallies = (
            ("waived", r.summary["waived"]),
            ("fact to survey" if gap_count == 1 else "facts to survey", gap_count),
        )
        extra = [f"{n} {what}" for what, n in tallies if n]
        out.append("")
        out.append(
            f"{p(r.file)}: {counts or 'no lapses'}" + (f" ({', '.join(extra)})" if extra else "")
        )
        out.append("")
    if baseline is not None:
        out.append(
            style(
                f"baseline: {len(baseline.new)} new, {len(baseline.known)} unchanged, "
                f"{len(baseline.fixed)} fixed since the baseline",
                bold=True,
            )
        )
        for f in baseline.new:
            out.append(
                f"  new:   {p(f.file)}:{f.line}:{f.column}  {f.rule}  {p(f.element)}  {p(f.title)}"
            )
        for e in baseline.fixed:
            out.append(f"  fixed: {p(e['site'])}  {p(e['rule'])}  {p(e['element'])}")
    return "\n".join(out).rstrip("\n") + "\n"
