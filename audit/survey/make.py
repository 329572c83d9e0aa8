"""A survey of one site file, and of a folder of them: facts collected, ranked, and paged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit.survey.page import Survey, fingerprint


def survey_of(
    path: str, raw: bytes, rules: list[Any], *, fail_on: str = "high", today: dt.date | None = None
) -> Survey:
    """The survey of site file ``path`` (its bytes ``raw``) under ``rules``."""
    from audit.site.load import site_from_document
    from audit.site.source import parse_document
    from audit.survey.facts import collect, gaps_left
    from audit.survey.rank import audited, rank

    doc = parse_document(raw, path)
    site = site_from_document(doc)
    result = audited(site, rules, today or dt.date.today())
    facts = collect(result)
    ranked = rank(facts, result, doc, rules, fail_on=fail_on, today=today)
    return Survey(
        site=site.site.id,
        name=site.site.name,
        file=path,
        fingerprint=fingerprint(raw),
        facts=ranked,
        left=gaps_left(result, ranked),
        measure="P(E)" if site.threats else "P(I)",
    )


def index_entry(survey: Survey, page: str) -> dict[str, Any]:
    """One row of a folder's index: how much is unknown where it matters."""
    return {
        "page": page,
        "site": survey.site,
        "name": survey.name,
        "file": survey.file,
        "facts": len(survey.facts),
        "deciding": survey.deciding,
        "spread": survey.spread,
        "measure": survey.measure,
        "findings": sum(f.value.get("findings", 0) for f in survey.facts),
    }


def index_order(entry: dict[str, Any]) -> tuple:
    """Most unknown where it matters first: facts that could change the verdict, then the
    largest spread of the worst P(E), then findings that hang on a fact, then how many."""
    return (
        -entry["deciding"],
        -entry["spread"],
        -entry["findings"],
        -entry["facts"],
        entry["file"],
    )
