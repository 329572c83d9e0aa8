"""HTML report: one self-contained file (inline CSS and SVG, nothing fetched), printable."""

from __future__ import annotations

from typing import Any

from audit import __version__
from audit.findings import SEVERITIES
from audit.report.views.summary import summarize_site
from audit.site import schedule

MIN_LABEL_PX = 9
"""Smallest a drawing's label may be drawn, in CSS px [assumed: 9 px is the smallest size
commonly held legible on a phone]; a drawing that would shrink it further pans instead."""

ZONE_FILL = {
    "public": "#eceff1",
    "external_building": "#f3e5f5",
    "approach": "#e3f2fd",
    "residential": "#fff3e0",
    "compound": "#e8f5e9",
    "floor": "#ffffff",
    "room": "#fffde7",
    "roof": "#fce4ec",
}


def template(name: str) -> Any:
    """A template of ``audit/report/templates`` (autoescaped: every value is text)."""
    from audit.common.templates import template as package_template

    return package_template("audit.report", name)


def render(results: list[Any], *, fail_on: str = "high", **_: Any) -> str:
    return template("report.html").render(
        sites=[summarize_site(r) for r in results],
        severities=SEVERITIES,
        version=__version__,
        fail_on=fail_on,
        zone_fill=ZONE_FILL,
        slot_time=schedule.slot_time,
        goal=lambda r: r.model.site.goal_p_interruption,
        min_label=MIN_LABEL_PX,
    )
