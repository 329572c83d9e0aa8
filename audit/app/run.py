"""Audit one site file end to end: load, run the rules, collect a ``SiteResult``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from audit.rules.result import SiteResult

if TYPE_CHECKING:
    from audit.rules.checklist import Rule
    from audit.site.model import Site


def audit_file(
    path: str | Path,
    rules: list[Rule],
    *,
    at: str | None = None,
    today: dt.date | None = None,
    known: list[Rule] | None = None,
    jobs: int = 1,
    paths: bool = False,
) -> SiteResult:
    """Audit ``path`` with ``rules``; raises ``SiteError`` on a bad site file."""
    from audit.site.load import load_site

    site = load_site(path)
    return audit_site(site, rules, at=at, today=today, known=known, jobs=jobs, paths=paths)


def audit_site(
    site: Site,
    rules: list[Rule],
    *,
    at: str | None = None,
    today: dt.date | None = None,
    known: list[Rule] | None = None,
    jobs: int = 1,
    paths: bool = False,
) -> SiteResult:
    """Run ``rules`` on an already loaded ``Site``. With ``jobs`` > 1, the path analysis
    (and P(E)) the rules or, with ``paths``, the reports need is computed in forked
    processes meanwhile (``audit.common.background``); the result is the same."""
    from audit.checks import REGISTRY, Context
    from audit.rules.checklist import run_rules

    ctx = Context(site, at=at, today=today or dt.date.today())
    if jobs > 1:
        wanted = [u for r in rules for u in REGISTRY[r.spec.check].uses]
        ctx.prefetch([*wanted, *(("analysis", "effectiveness") if paths else ())], jobs - 1)
    findings = run_rules(site, rules, known=known, ctx=ctx)
    return SiteResult(site.path, site.site.id, site.site.name, findings, rules, site, ctx)
