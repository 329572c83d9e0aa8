"""Render a ``Diff`` of two site versions as text, JSON or Markdown."""

from __future__ import annotations

import json
from typing import Any

from audit.escape import printable
from audit.report.markdown import code, row


def _pi(value: float | None, at: str | None) -> str:
    return "-" if value is None else f"{value:.3f} ({at})"


def _arrow(b: float | None, a: float | None) -> str:
    if a is None or b is None:
        return ""
    delta = a - b
    if abs(delta) < 5e-4:
        return "unchanged"
    return f"{'better' if delta > 0 else 'WORSE'} by {abs(delta):.3f}"


def render(d: Any, fmt: str) -> str:
    if fmt == "json":
        data = {
            "version": "1",
            "old": d.old.file,
            "new": d.new.file,
            "added": [f.to_dict() for f in d.added],
            "removed": [f.to_dict() for f in d.removed],
            "assets": d.assets,
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    md = fmt == "markdown"
    out = [
        f"## siteaudit diff: {code(d.old.file)} → {code(d.new.file)}"
        if md
        else f"diff {printable(d.old.file)} -> {printable(d.new.file)}",
        "",
    ]
    for title, items, sign in (("added", d.added, "+"), ("removed", d.removed, "-")):
        out.append(f"**{title} ({len(items)})**" if md else f"{title} ({len(items)}):")
        if md and items:
            out += ["", "| | severity | rule | element | where | what |", "| --- |" + " --- |" * 5]
        for f in items:
            where = f"{f.file}:{f.line}"
            if md:
                out.append(
                    row(sign, f.severity, code(f.rule), code(f.element), code(where), f.message)
                )
            else:
                out.append(
                    f"  {sign} {f.severity:<8} {f.rule:<12} {printable(f.element)}  "
                    f"{printable(where)}"
                )
                out.append(f"      {printable(' '.join(f.message.split()))}")
        out.append("")
    out.append("**P(I) by asset**" if md else "P(I) by asset (worst hour):")
    if md:
        out += ["", "| asset | before | after | change |", "| --- | ---: | ---: | --- |"]
    for a in d.assets:
        before, after = _pi(a["before"], a["before_at"]), _pi(a["after"], a["after_at"])
        change = _arrow(a["before"], a["after"])
        out.append(
            row(code(a["asset"]), before, after, change)
            if md
            else f"  {a['asset']:<20} {before:>22} -> {after:<22} {change}"
        )
    if not d.assets:
        out.append("  (no assets)")
    return "\n".join(out) + "\n"
