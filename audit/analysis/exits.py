"""The way out: theft needs the adversary to get away with what it took.

An asset that ``wants: theft`` (against a threat that is not ``determined``)
ends its path not at the act but where the adversary reaches a zone the site
does not control, carrying what it took. The search sees this as a second
layer of the access graph: every zone and crossing again, as the adversary
meets them on the way out (``exit_value``), entered from the asset's task
and left, at no cost, for ``AWAY`` from any zone the site does not control.
A simple path of the layered graph is a simple way in and a simple way out
(they may share zones), so the search and its proof (``search``) hold
unchanged; the tasks of other assets are ``blocked``, so each asset's path
passes its own.

On the way out (``tactics.exit`` in ``audit/data/threats.yaml``): zones take
``carry_factor`` times as long; barriers take the time of an opened one (a
gate or door its unlocked time, a wall or gap none: the way in, or the breach
the adversary made, is open); detection is as on the way in. Detection and
the response on the way out count: P(E) sums over the detection points of
both halves, and the time left after a detection runs to the getaway.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from audit.analysis.elements import Value
    from audit.analysis.tactics import ThreatValues

OUT = "@out"
"""Suffix of a zone or crossing on the way out (no element id can contain '@')."""
AWAY = "@away"
"""The node the adversary reaches once out of the site's control: a theft's target."""


def out(element_id: str) -> str:
    return element_id + OUT


def carry(asset_id: str) -> str:
    """Id of the zero-cost step from a task to the way out of its zone."""
    return asset_id + ":carry" + OUT


def gone(zone_id: str) -> str:
    """Id of the zero-cost step from a zone the site does not control to ``AWAY``."""
    return zone_id + ":away" + OUT


def base(node_id: str) -> str | None:
    """The element a way-out id stands for (None for the carry and getaway steps)."""
    if not node_id.endswith(OUT) or ":carry" in node_id or ":away" in node_id:
        return None
    return node_id[: -len(OUT)]


def exit_value(tv: ThreatValues, el: Any, slot: int) -> Value:
    """``el`` as the adversary meets it on the way out (module docstring)."""
    from audit.analysis.tactics import BARRIERS

    v = tv.value(el, slot)
    section = tv.values.section(el.id)
    factor = float(_exit()["carry_factor"])
    if section == "zones":
        if el.controlled_by != "own":
            return replace(v, id=out(el.id), delay_s=0.0, delay_sd_s=0.0, p_detect=0.0, points=())
        delay = v.delay_s * factor
    elif section in BARRIERS:
        opened = tv.values.d["delay"]["gates"]["unlocked_s"]
        delay = float(opened[el.kind]) if section == "gates" else 0.0
        delay = min(delay, v.delay_s)
    else:
        delay = v.delay_s
    sd = v.delay_sd_s * delay / v.delay_s if v.delay_s > 0 else 0.0
    return replace(v, id=out(el.id), delay_s=delay, delay_sd_s=sd)


def _exit() -> dict[str, Any]:
    from audit.site.threats import tactics

    return tactics()["exit"]
