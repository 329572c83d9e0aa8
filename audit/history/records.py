"""What a history keeps of one audited site: findings by fingerprint, P(I) and P(E) per
asset, waivers. Nothing else of the site file is stored (no names, no layout)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.rules.result import SiteResult


@dataclass(frozen=True)
class LapseRecord:
    fingerprint: str
    rule: str
    severity: str
    element: str
    gap: bool
    waived: bool


@dataclass(frozen=True)
class MetricRecord:
    asset: str
    threat: str
    """The declared threat, or "" for P(I) against the site's own response."""
    p_interruption: float
    p_effectiveness: float | None
    goal: float

    @property
    def below(self) -> bool:
        value = self.p_effectiveness if self.threat else self.p_interruption
        return value is not None and value < self.goal


@dataclass(frozen=True)
class WaiverRecord:
    rule: str
    element: str
    owner: str
    expires: dt.date


@dataclass(frozen=True)
class SiteRecord:
    """One site file in one run. ``site`` is the key across runs (the file's ``site.id``;
    ``file:PATH`` for a file that could not be audited)."""

    site: str
    file: str
    audited: bool
    lapses: tuple[LapseRecord, ...] = ()
    metrics: tuple[MetricRecord, ...] = ()
    waivers: tuple[WaiverRecord, ...] = field(default=())


def from_result(result: SiteResult) -> SiteRecord:
    """The history's view of one audited site (computes its path analysis if not done)."""
    lapses = {
        f.fingerprint: LapseRecord(f.fingerprint, f.rule, f.severity, f.element, f.gap, f.waived)
        for f in result.findings
    }
    metrics = [
        MetricRecord(a.asset, "", a.p_interruption, None, result.analysis.goal)
        for a in result.analysis.assets
    ]
    for t in result.effectiveness:
        for a in t.assets:
            if a.exposed:
                metrics.append(
                    MetricRecord(a.asset, t.threat, a.p_interruption, a.p_effectiveness, a.goal)
                )
    model = result.model
    waivers = [
        WaiverRecord(w.rule, w.element, w.owner, w.expires)
        for w in (model.waivers if model is not None else [])
    ]
    return SiteRecord(
        result.site,
        result.file,
        True,
        tuple(sorted(lapses.values(), key=lambda x: x.fingerprint)),
        tuple(sorted(metrics, key=lambda m: (m.asset, m.threat))),
        tuple(sorted(waivers, key=lambda w: (w.expires, w.rule, w.element))),
    )


def failed(path: str) -> SiteRecord:
    """A file that could not be audited this run: its lapses are neither opened nor closed."""
    return SiteRecord(f"file:{path}", path, False)
