"""Render a ``Diff`` of two site versions as text, JSON or Markdown."""

from __future__ import annotations

import json
from typing import Any

from audit.common.escape import printable
from audit.report.formats.markdown import code, row


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
            "effectiveness": d.effectiveness,
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
    out += _table(md, "P(I) by asset", d.assets, lambda a: a["asset"])
    if d.effectiveness:
        out += ["", *_table(md, "P(E) by threat and asset", d.effectiveness, _label)]
    return "\n".join(out) + "\n"


def _label(a: dict[str, Any]) -> str:
    return f"{a['asset']} / {a['threat']}"


def _table(md: bool, title: str, rows: list[dict[str, Any]], name: Any) -> list[str]:
    out = [f"**{title}**" if md else f"{title} (worst hour):"]
    if md:
        out += ["", "| asset | before | after | change |", "| --- | ---: | ---: | --- |"]
    width = max([20, *(len(name(a)) for a in rows)])
    for a in rows:
        before, after = _pi(a["before"], a["before_at"]), _pi(a["after"], a["after_at"])
        change = _arrow(a["before"], a["after"])
        out.append(
            row(code(name(a)), before, after, change)
            if md
            else f"  {name(a):<{width}} {before:>22} -> {after:<22} {change}"
        )
    if not rows:
        out.append("  (no assets)")
    return out
