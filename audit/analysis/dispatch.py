"""What an off-site response adds to a responder's time: the alarm route and the walk in.

A site with nobody on it at night sends its alarms off the site: a panel
signals an alarm-receiving centre, whose operator calls the police, whose
control room dispatches a car (``alarm_routes:``). The responders then learn of
the intrusion only after every relay has passed the alarm on, so the relays'
delays come before their ``response_s``; and they assess the alarm on arrival,
so they must still reach the alarm point from where they arrive (Garcia, the
response chapter: the response force time runs from the alarm to the
interruption at the adversary's location).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from audit.graph.coverage import Watch
    from audit.site.model import Site


def route_delay(route: Any) -> tuple[float, float]:
    """Mean and sd of the time an alarm spends on ``route``: the relays' delays summed, their
    sds combined as independent."""
    mean = sum(float(r.delay_s) for r in route.relays)
    sd = math.sqrt(sum(float(r.delay_sd_s) ** 2 for r in route.relays))
    return mean, sd


def dispatch_delay(site: Site, watch: Watch, responder: Any, slot: int) -> tuple[float, float]:
    """Mean and sd of the time before ``responder`` is dispatched at ``slot``: the slowest
    alarm route that names it and carries, then, an alarm nobody on site assesses (an
    alarm on that route reaches them no sooner); (0, 0) when none does."""
    worst = (0.0, 0.0)
    for route in site.alarm_routes:
        if responder.id in route.responders and slot in watch.relayed(route):
            worst = max(worst, route_delay(route))
    return worst


def arrival_walk(
    responder: Any, target: str, walk: Callable[[str, str], float | None]
) -> float | None:
    """Seconds from where ``responder`` arrives (``arrives_at``) to ``target`` along ``walk``
    (the guards' walk through gates, with keys [assumed: a keyholder meets them]); 0 when the
    file does not say where they arrive; None when ``target`` cannot be reached from there."""
    if getattr(responder, "arrives_at", None) is None:
        return 0.0
    return walk(responder.arrives_at, target)
