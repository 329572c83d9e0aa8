"""The summary table that ends a folder audit: one row per site, worst sites first."""

from __future__ import annotations

from typing import Any

import click

from audit.common.escape import printable as p
from audit.findings import SEVERITIES


def worst_pi(result: Any) -> float | None:
    if result.model is None:
        return result.worst  # slimmed (``SiteResult.slim``)
    assets = result.analysis.assets if result.model is not None and result.model.assets else []
    return min((a.p_interruption for a in assets), default=None)


def rank(result: Any) -> tuple:
    s = result.summary["by_severity"]
    pi = worst_pi(result)
    return (*(-s[k] for k in SEVERITIES), 2.0 if pi is None else pi, result.file)


def summary_table(results: list[Any], errors: list[Any], *, color: bool = False) -> str:
    """One row per site (data gaps in their own column: ``--strict`` fails on them), then the
    totals; no blank line of its own (the caller separates it from what came before)."""
    rows = sorted(results, key=rank)
    width = max([len(p(r.file)) for r in rows] + [4])
    head = (
        f"{'site file':<{width}}  {'crit':>4} {'high':>4} {'med':>4} {'low':>4} {'info':>4} "
        f"{'waived':>6} {'gaps':>4}  {'worst P(I)':>10}"
    )
    out = [click.style(head, bold=True) if color else head]
    for r in rows:
        s = r.summary
        c = s["by_severity"]
        pi = worst_pi(r)
        out.append(
            f"{p(r.file):<{width}}  {c['critical']:>4} {c['high']:>4} {c['medium']:>4} "
            f"{c['low']:>4} {c['info']:>4} {s['waived']:>6} {s['data_gaps']:>4}  "
            f"{'-' if pi is None else f'{pi:.3f}':>10}"
        )
    bad = sorted({p.file for p in errors})
    total = {k: sum(r.summary["by_severity"][k] for r in rows) for k in SEVERITIES}
    found = len({r.file for r in rows} | set(bad))
    gaps = sum(r.summary["data_gaps"] for r in rows)
    out.append(
        f"{found} site file(s) found: {len(rows)} audited, {len(bad)} with errors; "
        + ", ".join(f"{total[k]} {k}" for k in SEVERITIES)
        + (f"; {gaps} {'fact' if gaps == 1 else 'facts'} to survey" if gaps else "")
    )
    out += [f"  error: {p(f)} (see messages above)" for f in bad]
    return "\n".join(out) + "\n"
