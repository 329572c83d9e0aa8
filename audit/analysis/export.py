"""The EASI inputs of one moment on the access graph (``siteaudit graph --at``), so P(I)
of any path can be recomputed from the export alone."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from audit.analysis.elements import Value
from audit.analysis.paths import Analyzer, analyse
from audit.site import schedule

if TYPE_CHECKING:
    from audit.site.model import Site


def annotate_graph(g: Any, site: Site, at: str, threat: Any = None) -> None:
    """Put every EASI input for moment ``at`` on the access graph (in place).

    A bare time ("19:00") means the worst day at that time, as in ``paths``
    and ``check``; the graph's ``at`` says which day that was.

    Edges and zone nodes get ``p_detect``, ``delay_s``, ``delay_sd_s``,
    ``detect_at`` and ``points`` (detection at each point, "B:0.7,E:0.95", for
    an element detected at more than one: see ``easi.Composite``); the graph
    gets ``at``, ``response_s``, ``response_sd_s`` (the responders' fastest),
    ``p_comm`` and ``assets`` (zone; the task as the last element of every path
    to it: task_s, task_sd_s, task_p_detect, task_detect_at, task_points; and
    the response to that asset: ``response_s``, ``response_sd_s`` and
    ``responder``, which may be an armed post), ``threat`` (the id whose values
    these are, or null for the base adversary) and ``starts`` (the zones an
    adversary may start in), so P(I) of any path can be recomputed from the
    export alone.
    """
    day, tod = schedule.parse_at(at)
    if day is None:
        day = _worst_day(site, at, threat)
    slot = day * schedule.PER_DAY + tod
    an = Analyzer(site, threat)
    rft, rft_sd, responder_id = an.response(slot)
    for z in site.zones:
        g.nodes[z.id].update(_easi_attrs(an.value(z, slot)))
    for u, v, key in g.edges(keys=True):
        g.edges[u, v, key].update(_easi_attrs(an.value(site.get(key), slot)))
    g.graph.update(
        at=schedule.label(slot),
        response_s=rft if not math.isinf(rft) else None,
        response_sd_s=rft_sd,
        responder=responder_id,
        p_comm=site.site.p_comm,
        assets=[_asset_attrs(an, a, slot) for a in site.assets],
        threat=None if threat is None else threat.id,
        starts=sorted(an.starts),
    )


def _asset_attrs(an: Analyzer, a: Any, slot: int) -> dict[str, Any]:
    rft, rft_sd, unit = an.response(slot, a.zone)
    task = an.tv.task(a, slot)
    return {
        "asset": a.id,
        "zone": a.zone,
        "task_s": a.task_s,
        "task_sd_s": a.task_sd_s,
        "task_p_detect": task.p_detect,
        "task_detect_at": task.detect_at,
        "task_points": points_attr(task),
        "response_s": None if math.isinf(rft) else rft,
        "response_sd_s": rft_sd,
        "responder": unit,
    }


def _worst_day(site: Site, at: str, threat: Any = None) -> int:
    """For a bare time: the day on which the weakest asset is weakest then (as ``paths`` does)."""
    result = analyse(site, at=at, threat=threat)
    if not result.assets:
        return 0
    worst = min(result.assets, key=lambda a: (a.p_interruption, a.at))
    day, _ = schedule.parse_at(worst.at)
    return day or 0


def _easi_attrs(v: Value) -> dict[str, Any]:
    return {
        "p_detect": v.p_detect,
        "delay_s": v.delay_s,
        "delay_sd_s": v.delay_sd_s,
        "detect_at": v.detect_at,
        "points": points_attr(v),
    }


def points_attr(v: Value) -> str:
    """Detection by point as one string ("B:0.7,E:0.95"; empty: none), which every export
    format can carry."""
    return ",".join(f"{x}:{p!r}" for x, p in v.points)
