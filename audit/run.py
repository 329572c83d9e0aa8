"""Audit one site file end to end: load, run the rules, collect a ``SiteResult``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from audit.report import SiteResult


def audit_file(
    path: str | Path,
    rules: list[Any],
    *,
    at: str | None = None,
    today: dt.date | None = None,
    known: list[Any] | None = None,
) -> SiteResult:
    """Audit ``path`` with ``rules``; raises ``SiteError`` on a bad site file."""
    from audit.load import load_site

    return audit_site(load_site(path), rules, at=at, today=today, known=known)


def audit_site(
    site: Any,
    rules: list[Any],
    *,
    at: str | None = None,
    today: dt.date | None = None,
    known: list[Any] | None = None,
) -> SiteResult:
    """Run ``rules`` on an already loaded ``Site``."""
    from audit.checks import Context
    from audit.rules import run_rules

    ctx = Context(site, at=at, today=today or dt.date.today())
    findings = run_rules(site, rules, known=known, ctx=ctx)
    return SiteResult(site.path, site.site.id, site.site.name, findings, rules, site, ctx)
