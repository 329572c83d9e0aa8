"""Report formatters, one module per output format.

Each module has ``render(results, **options) -> str``; ``results`` is a list
of ``SiteResult`` (one per site file audited). Options every formatter
accepts (and may ignore): ``color`` (bool) and ``fail_on`` (a severity).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("text", "json", "markdown", "html", "sarif", "junit", "github", "gitlab")
SHOW_PATHS = frozenset({"text", "markdown", "html", "sarif"})
"""Formats that show the path analysis (text: in its summary table)."""


@dataclass
class SiteResult:
    file: str
    site: str
    name: str
    findings: list[Any]
    rules: list[Any] = field(default_factory=list)
    model: Any = None
    """The loaded ``Site``."""
    ctx: Any = None
    """The ``audit.checks.Context`` the rules ran in (its analysis is reused)."""

    @property
    def summary(self) -> dict[str, Any]:
        from audit.findings import summarize

        return summarize(self.findings)

    frozen_analysis: Any = None
    frozen_effectiveness: Any = None
    plan: dict[str, Any] | None = None
    """The upgrade plan (``check --plan``), as ``audit.report.improve.to_dict`` gives it."""

    def _context(self) -> Any:
        if self.ctx is None:
            from audit.checks import Context

            self.ctx = Context(self.model)
            if self.frozen_analysis is not None:
                self.ctx.__dict__["analysis"] = self.frozen_analysis
            if self.frozen_effectiveness is not None:
                self.ctx.__dict__["effectiveness"] = self.frozen_effectiveness
        return self.ctx

    @property
    def analysis(self) -> Any:
        """Worst adversary paths (computed once, shared with the rules)."""
        return self._context().analysis

    @property
    def effectiveness(self) -> list[Any]:
        """P(E) of every asset against every declared threat (computed once, shared)."""
        return self._context().effectiveness

    @property
    def watch(self) -> Any:
        """Who observes what, when (``audit.coverage.Watch``)."""
        return self._context().watch

    def freeze(self, *, paths: bool = True) -> None:
        """Keep what the rules computed, and (``paths``) compute the path analysis the reports
        show, then drop the unpicklable context (for worker processes). Without ``paths`` a
        report that asks for the analysis later computes it then."""
        ctx = self._context()
        if paths:
            self.frozen_analysis = self.analysis
            self.frozen_effectiveness = self.effectiveness
        else:
            self.frozen_analysis = ctx.__dict__.get("analysis")
            self.frozen_effectiveness = ctx.__dict__.get("effectiveness")
        self.ctx = None


def formatter(name: str) -> Callable[..., str]:
    """The ``render`` function of output format ``name``."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    return importlib.import_module(f"audit.report.{name}").render
