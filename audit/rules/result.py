"""The result of auditing one site file: its findings, the rules that ran, the model, and
the context whose analysis the reports reuse."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from audit.analysis.asset_paths import SiteAnalysis
    from audit.analysis.effectiveness import ThreatAnalysis
    from audit.checks import Context
    from audit.findings import Finding
    from audit.graph.coverage import Watch
    from audit.rules.checklist import Rule
    from audit.site.model import Site


@dataclass
class SiteRow:
    """What the summary table keeps of a site once its report is written (``check`` of a
    folder folds each site into one of these as it finishes)."""

    file: str
    site: str
    summary: dict[str, Any]
    worst: float | None
    model: Any = None


@dataclass
class SiteResult:
    file: str
    site: str
    name: str
    findings: list[Finding]
    rules: list[Rule] = field(default_factory=list)
    model: Site | None = None
    """The loaded ``Site``."""
    ctx: Context | None = None
    """The ``audit.checks.Context`` the rules ran in (its analysis is reused)."""

    @property
    def summary(self) -> dict[str, Any]:
        from audit.findings import summarize

        return summarize(self.findings)

    frozen_analysis: SiteAnalysis | None = None
    frozen_effectiveness: list[ThreatAnalysis] | None = None
    plan: dict[str, Any] | None = None
    """The upgrade plan (``check --plan``), as ``audit.report.views.improve.to_dict`` gives it."""
    worst: float | None = None
    """The least P(I) of any asset, kept by ``slim`` (None: no asset, or not slimmed)."""
    record: Any = None
    """The site's history record (``history.records.SiteRecord``, a layer above), built
    before ``slim`` where the run records one (``app.batch.Job.record``)."""

    def _context(self) -> Context:
        if self.ctx is None:
            from audit.checks import Context

            assert self.model is not None, "a result without its model has no context"
            self.ctx = Context(self.model)
            if self.frozen_analysis is not None:
                self.ctx.__dict__["analysis"] = self.frozen_analysis
            if self.frozen_effectiveness is not None:
                self.ctx.__dict__["effectiveness"] = self.frozen_effectiveness
        return self.ctx

    @property
    def analysis(self) -> SiteAnalysis:
        """Worst adversary paths (computed once, shared with the rules)."""
        return self._context().analysis

    @property
    def effectiveness(self) -> list[ThreatAnalysis]:
        """P(E) of every asset against every declared threat (computed once, shared)."""
        return self._context().effectiveness

    @property
    def watch(self) -> Watch:
        """Who observes what, when (``audit.graph.coverage.Watch``)."""
        return self._context().watch

    def freeze(self, *, paths: bool = True, least: bool = False) -> None:
        """Keep what the rules computed, and (``paths``) compute the path analysis the reports
        show, then drop the unpicklable context (for worker processes). Without ``paths`` a
        report that asks for the analysis later computes it then; with ``least`` (a result
        to be slimmed, its report not written) the least P(I) that ``slim`` keeps is worked
        out alone where no rule needed the analysis (``paths.least_p_interruption``)."""
        ctx = self._context()
        if paths:
            self.frozen_analysis = self.analysis
            self.frozen_effectiveness = self.effectiveness
        else:
            self.frozen_analysis = ctx.__dict__.get("analysis")
            self.frozen_effectiveness = ctx.__dict__.get("effectiveness")
            if least and self.frozen_analysis is None and self.model is not None:
                from audit.analysis.paths import least_p_interruption

                self.worst = least_p_interruption(self.model, at=ctx.at, values=ctx.values)
        self.ctx = None

    def row(self) -> SiteRow:
        """This site's row of the summary table (after ``slim``)."""
        return SiteRow(self.file, self.site, self.summary, self.worst)

    def slim(self) -> None:
        """Keep only what reports that need no model show (findings, the plan, the worst
        P(I)) and drop the model and analysis: a folder audit then holds a few kilobytes a
        site, not the site, and sends less back from its workers."""
        analysis = self.frozen_analysis  # (never computed here: only what ``freeze`` kept)
        if analysis is not None and self.model is not None:
            self.worst = min((a.p_interruption for a in analysis.assets), default=None)
        self.model = self.ctx = self.frozen_analysis = self.frozen_effectiveness = None
