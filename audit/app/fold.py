"""A folder audit in text, folded site by site: each report is rendered as its site finishes
and only a row of the summary table is kept, so memory does not grow with the fleet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from audit.app.batch import Job, duplicate_sites, each_audit
from audit.app.record import records_of
from audit.findings import SEVERITIES, failing


@dataclass
class Folded:
    """The running totals of a folded audit."""

    text: list[str] = field(default_factory=list)
    """Each site's text report (empty with ``quiet``)."""
    rows: list[Any] = field(default_factory=list)
    """``SiteRow`` per site audited, for the summary table."""
    errors: list[Any] = field(default_factory=list)
    summary: dict[str, Any] = field(
        default_factory=lambda: {
            "by_severity": dict.fromkeys(SEVERITIES, 0),
            "total": 0,
            "waived": 0,
            "data_gaps": 0,
        }
    )
    """``findings.summarize`` over every site, added up."""
    fails: bool = False
    """Some unwaived finding fails the run (``findings.failing``)."""
    records: list[Any] = field(default_factory=list)
    """Where the job builds history records (``Job.record``): each file's, for
    ``app.record`` (a few kilobytes a site)."""


def fold_text(
    files: list[str],
    job: Job,
    *,
    jobs: int,
    loaded: Any,
    render: Callable[[list[Any]], str] | None,
    fail_on: str,
    strict: bool,
    progress: Callable[[int], None] | None = None,
) -> Folded:
    """Audit ``files`` and fold each result in as it finishes (``render``: the text report
    of one site, or None when quiet)."""
    out = Folded()
    seen: list[tuple[str, Any, list[Any] | None]] = []
    for path, result, problems in each_audit(
        files, job, jobs=jobs, progress=progress, loaded=loaded
    ):
        if problems:
            out.errors += problems
            if job.record:
                out.records += records_of([(path, None, problems)])
            continue
        if render is not None:
            out.text.append(render([result]))
        if failing(result.findings, fail_on, strict=strict):
            out.fails = True
        if result.model is not None:
            result.slim()
        row = result.row()
        _add(out.summary, row.summary)
        out.rows.append(row)
        if job.record:
            out.records += records_of([(path, result, None)])
        seen.append((path, row, None))
    out.errors += duplicate_sites(seen)
    return out


def _add(total: dict[str, Any], one: dict[str, Any]) -> None:
    for key, value in one.items():
        if isinstance(value, dict):
            _add(total[key], value)
        else:
            total[key] += value
