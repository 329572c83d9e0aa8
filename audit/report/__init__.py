"""Report formatters, one module per output format.

Each module has ``render(results, *, color=False) -> str``; ``results`` is a
list of ``SiteResult`` (one per site file audited).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("text", "json")


@dataclass
class SiteResult:
    file: str
    site: str
    name: str
    findings: list[Any]
    rules: list[Any] = field(default_factory=list)
    error: list[str] | None = None

    @property
    def summary(self) -> dict[str, Any]:
        from audit.findings import summarize

        return summarize(self.findings)


def formatter(name: str) -> Callable[..., str]:
    """The ``render`` function of output format ``name``."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    return importlib.import_module(f"audit.report.{name}").render
