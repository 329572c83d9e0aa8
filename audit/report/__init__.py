"""Report formatters, one module per output format.

Each module has ``render(results, **options) -> str``; ``results`` is a list
of ``audit.rules.result.SiteResult`` (one per site file audited). Options every formatter
accepts (and may ignore): ``color`` (bool) and ``fail_on`` (a severity).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

FORMATS = ("text", "json", "markdown", "html", "sarif", "junit", "github", "gitlab")
SHOW_PATHS = frozenset({"text", "markdown", "html", "sarif"})
"""Formats that show the path analysis (text: in each site's report; a quiet run's summary
table shows only the least P(I), worked out alone, ``SiteResult.freeze``)."""
NEED_MODEL = frozenset({"markdown", "html", "sarif"})
"""Formats that read the site model, its coverage or its whole analysis; the others need a
result's findings and its worst P(I) only (``SiteResult.slim``)."""


def formatter(name: str) -> Callable[..., str]:
    """The ``render`` function of output format ``name``."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    return importlib.import_module(f"audit.report.formats.{name}").render
