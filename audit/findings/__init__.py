"""Findings: what the rules report, in a stable order, with stable fingerprints and waivers."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatchcase
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low", "info")
RANK = {s: i for i, s in enumerate(SEVERITIES)}
DATA_GAP = "data-gap"
"""The category of a finding that reports a missing fact (severity info), not a lapse."""


@dataclass
class Finding:
    rule: str
    title: str
    severity: str
    category: str
    element: str
    file: str
    line: int
    column: int
    message: str
    remediation: str
    references: list[str]
    evidence: str = ""
    waived: bool = False
    waiver: dict[str, str] | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Stable across edits that move lines: rule + element only."""
        return hashlib.sha256(f"{self.rule}\0{self.element}".encode()).hexdigest()[:16]

    @property
    def gap(self) -> bool:
        """A fact to survey, not a lapse: never fails a run unless ``--strict``."""
        return self.category == DATA_GAP

    def sort_key(self) -> tuple:
        return (
            self.gap,
            RANK[self.severity],
            self.file,
            self.line,
            self.column,
            self.rule,
            self.element,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract; ``details`` holds what a check measured (windows, route, P(I))."""
        d = asdict(self)
        d["details"] = d.pop("data")
        d["fingerprint"] = self.fingerprint
        return d


def at_or_above(severity: str, threshold: str) -> bool:
    return RANK[severity] <= RANK[threshold]


def apply_waivers(findings: list[Finding], site: Any, today: Any) -> None:
    """Mark findings hidden by a waiver that has not expired."""
    for f in findings:
        for w in site.waivers:
            if w.element == f.element and fnmatchcase(f.rule, w.rule) and w.expires >= today:
                f.waived = True
                f.waiver = {
                    "reason": w.reason,
                    "owner": w.owner,
                    "expires": w.expires.isoformat(),
                    "line": str(w.line),
                }
                break


def summarize(findings: list[Finding]) -> dict[str, Any]:
    """Unwaived lapses by severity and in total; waived findings and data gaps apart."""
    counts = {s: 0 for s in SEVERITIES}
    waived = gaps = 0
    for f in findings:
        if f.waived:
            waived += 1
        elif f.gap:
            gaps += 1
        else:
            counts[f.severity] += 1
    return {
        "by_severity": counts,
        "total": sum(counts.values()),
        "waived": waived,
        "data_gaps": gaps,
    }


def failing(findings: list[Finding], fail_on: str, *, strict: bool = False) -> bool:
    """Whether these (unwaived) findings fail a run: lapses at or above ``fail_on``; data gaps
    only with ``strict``."""
    return any(
        (f.gap and strict) or (not f.gap and at_or_above(f.severity, fail_on))
        for f in findings
        if not f.waived
    )
