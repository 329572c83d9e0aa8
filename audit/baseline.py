"""Baselines: accept today's findings, fail only on new ones, report the fixed ones.

A baseline file records findings by site id and fingerprint (rule + element),
never by line, so editing a site file (moving lines) changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.errors import Problem, SiteError

VERSION = 1


def entries(results: list[Any]) -> list[dict[str, str]]:
    out = []
    for r in results:
        for f in r.findings:
            if not f.waived:
                out.append(
                    {
                        "site": r.site,
                        "fingerprint": f.fingerprint,
                        "rule": f.rule,
                        "element": f.element,
                        "severity": f.severity,
                    }
                )
    return sorted(out, key=lambda e: (e["site"], e["rule"], e["element"]))


def dumps(results: list[Any]) -> str:
    doc = {"version": VERSION, "tool": "siteaudit", "findings": entries(results)}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def load(path: str | Path) -> list[dict[str, str]]:
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SiteError([Problem(str(p), 1, 1, f"cannot read baseline: {exc.strerror}")]) from None
    except json.JSONDecodeError as exc:
        raise SiteError(
            [Problem(str(p), exc.lineno, exc.colno, f"baseline is not valid JSON: {exc.msg}")]
        ) from None
    if (
        not isinstance(doc, dict)
        or doc.get("version") != VERSION
        or not isinstance(doc.get("findings"), list)
    ):
        raise SiteError(
            [
                Problem(
                    str(p),
                    1,
                    1,
                    "not a siteaudit baseline (expected version 1 and findings); "
                    "write one with --write-baseline",
                )
            ]
        )
    return doc["findings"]


@dataclass
class Comparison:
    new: list[Any] = field(default_factory=list)
    known: list[Any] = field(default_factory=list)
    fixed: list[dict[str, str]] = field(default_factory=list)


def compare(results: list[Any], baseline: list[dict[str, str]]) -> Comparison:
    """Split today's unwaived findings into new and known; list baseline entries now gone."""
    recorded = {(e.get("site"), e.get("fingerprint")) for e in baseline}
    sites = {r.site for r in results}
    seen = set()
    out = Comparison()
    for r in results:
        for f in r.findings:
            if f.waived:
                continue
            key = (r.site, f.fingerprint)
            seen.add(key)
            (out.known if key in recorded else out.new).append(f)
    out.fixed = [
        e
        for e in baseline
        if e.get("site") in sites and (e.get("site"), e.get("fingerprint")) not in seen
    ]
    return out
