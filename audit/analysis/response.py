"""The response force at one moment: who can respond, how fast, and P(N).

Two kinds of unit respond to an alarm:

- **responders** (`responders:`) on duty at that moment, with their own
  ``response_s`` (alarm to arrival), ``size`` and ``armed``;
- **armed posts**: armed guards on shift at a checkpoint are first responders
  at their own location (or, against fire from a vantage point, at that point:
  ``walk``). Their response time to an asset is a reaction time
  (``engagement.post_reaction_s``) plus the quickest walk from the post to the
  asset's zone through gates (opened with keys: unlocked times) and zones
  (crossing times); its sd is the usual fraction of that time. The guards go
  to the asset, where EASI's interruption must happen.

``units`` is the one place that says when each unit arrives after an alarm
(mean and sd) and what it brings; the fastest unit sets the response force
time of EASI's P(I), and all of them, in arrival order, make the engagement
timeline of P(E) (``timeline``), whose P(N) comes from ``engagement``
(serial engagements under the stochastic square law, constants in
``audit/data/threats.yaml``, ``engagement``).

Unrecorded sizes and arms take the documented defaults and are listed, so a
finding that rests on them says so.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from audit.analysis.dispatch import arrival_walk, dispatch_delay, route_delay
from audit.site.schedule import WEEK

if TYPE_CHECKING:
    from audit.analysis.elements import ElementValues
    from audit.analysis.engagement import Model
    from audit.analysis.timeline import Force
    from audit.site.threats import Threat


@dataclass(frozen=True)
class Unit:
    """One responding unit at one moment, for one asset."""

    id: str
    kind: str
    response_s: float
    response_sd_s: float
    size: int
    armed: bool
    defaulted: tuple[str, ...] = ()


class Response:
    """The units that can respond at each week slot, and their chance to neutralise a threat."""

    def __init__(self, values: ElementValues) -> None:
        from audit.site.threats import engagement

        self.values = values
        self.site = values.site
        self.watch = values.watch
        self.e = engagement()
        self._travel: dict[str, dict[str, float]] = {}
        self._sigs: list[tuple] | None = None
        self._units: dict[tuple, tuple[Unit, ...]] = {}
        self._armed = {
            cp.id: self.watch.guard_counts(cp, armed_only=True)
            for cp in self.site.checkpoints
            if any(s.armed for s in cp.shifts or ())
        }

    def units(self, slot: int, zone: str) -> tuple[Unit, ...]:
        """Every unit that can respond at ``slot`` to ``zone``: when it arrives after an
        alarm (``response_s``, ``response_sd_s``) and what it brings, in arrival order
        (computed once per zone and set of units on duty: a week has few distinct ones)."""
        sig = self.signature(slot)
        key = (sig, zone)
        if key not in self._units:
            self._units[key] = self._units_at(slot, zone)
        return self._units[key]

    def signature(self, slot: int) -> tuple:
        """Who can respond at ``slot``: the responders on duty and the armed guards per post."""
        if self._sigs is None:
            self._sigs = self._signatures()
        return self._sigs[slot]

    def _signatures(self) -> list[tuple]:
        """``signature`` at every week slot: per responder, whether it is on duty and the
        slowest alarm route naming it that relays then (as ``dispatch_delay``), and per
        armed post its armed guards. Worked out per responder and post across the week, not
        slot by slot: the analysis asks of every slot."""
        week = range(WEEK)
        none = (0.0, 0.0)
        duty, relays = [], []
        for r in self.site.responders:
            on_duty = self.watch.on_duty(r)
            duty.append([s in on_duty for s in week])
            routes = [
                (self.watch.relayed(route), route_delay(route))
                for route in self.site.alarm_routes
                if r.id in route.responders
            ]
            relays.append(
                [max([none, *(d for on, d in routes if s in on)]) for s in week]
                if routes
                else [none] * WEEK
            )
        counts = list(self._armed.values())
        return list(
            zip(
                _rows(duty, WEEK),
                _rows(relays, WEEK),
                _rows(counts, WEEK),
                strict=True,
            )
        )

    def _units_at(self, slot: int, zone: str) -> tuple[Unit, ...]:
        out = []
        sd_fraction = self.values.d["delay"]["sd_fraction"]["value"]
        for r in self.site.responders:
            if slot not in self.watch.on_duty(r):
                continue
            defaulted = tuple(f for f, v in (("size", r.size), ("armed", r.armed)) if v is None)
            # an alarm relayed off the site, and the walk in from where they arrive
            relayed, relayed_sd = dispatch_delay(self.site, self.watch, r, slot)
            walk = arrival_walk(r, zone, self.walk)
            if walk is None:
                continue
            sd = math.hypot(float(r.response_sd_s), relayed_sd, sd_fraction * walk)
            out.append(
                Unit(
                    r.id,
                    "responder",
                    float(r.response_s) + relayed + walk,
                    sd,
                    r.size if r.size is not None else int(self.e["responder_size"]),
                    r.armed if r.armed is not None else True,
                    defaulted,
                )
            )
        for cp_id, counts in self._armed.items():
            guards = counts[slot]
            if guards < 1:
                continue
            walk = self.walk(self.post_zone(self.site.get(cp_id)), zone)
            if walk is None:
                continue
            t = float(self.e["post_reaction_s"]) + walk
            out.append(Unit(cp_id, "post", t, sd_fraction * walk, guards, True))
        return tuple(sorted(out, key=lambda u: (u.response_s, u.id)))

    def post_zone(self, cp: Any) -> str:
        """The zone a post's guards stand in: the inner side of the gate or wall it is at."""
        at = self.site.get(cp.at)
        between = getattr(at, "between", None)
        return between[1] if between else cp.at

    def walk(self, start: str, target: str) -> float | None:
        """Quickest walk from zone ``start`` to ``target``: a zone, or a vantage point, reached
        by leaving the site (the quickest way to a zone it does not control) and then covering
        the vantage point's ``distance_m`` at the open-ground speed [assumed: that distance
        runs to what it overlooks, so this errs long]; None where there is no way."""
        if self.site.kind_of(target) != "vantage_points":
            return self.travel(start).get(target)
        reach = self.travel(start)
        out = [reach[z.id] for z in self.site.zones if z.controlled_by != "own" and z.id in reach]
        if not out:
            return None
        vp = self.site.get(target)
        distance = getattr(vp, "distance_m", None)  # a vantage point's, by the kind above
        speed = float(self.values.d["delay"]["zones"]["speed_m_s"])
        return min(out) + (float(distance) / speed if distance is not None else 0.0)

    def travel(self, start: str) -> dict[str, float]:
        """Quickest walk from ``start`` to every zone, through gates only (guards hold keys)."""
        if start in self._travel:
            return self._travel[start]
        gd = self.values.d["delay"]["gates"]["unlocked_s"]
        links: dict[str, list[tuple[str, float]]] = {}
        for g in self.site.gates:
            a, b = g.between
            t = float(gd[g.kind])
            links.setdefault(a, []).append((b, t))
            links.setdefault(b, []).append((a, t))
        cross = {z.id: self.values.delay(z)[0] for z in self.site.zones}
        best: dict[str, float] = {}
        heap = [(0.0, start)]
        while heap:
            d, u = heapq.heappop(heap)
            if u in best:
                continue
            best[u] = d
            for v, t in sorted(links.get(u, [])):
                if v not in best:
                    heapq.heappush(heap, (d + t + cross[v], v))
        self._travel[start] = best
        return best

    def model(self, threat: Threat, e: dict[str, Any] | None = None) -> Model:
        """The engagement model against ``threat``: the site's ``engagement_table`` where it
        gives one, else the shipped ``engagement`` (the square law); ``e`` replaces the shipped
        constants (the sensitivity band)."""
        from audit.analysis.engagement import model

        e = e or self.e
        own = self.site.site.engagement_table
        return model(threat.armed, {**e, "table": own} if own else e)

    def curve(self, threat: Threat, slot: int, zone: str, m: Model | None = None) -> Force:
        """The response to ``zone`` at ``slot`` on the engagement timeline (``timeline.Force``):
        N(T, VarT) for the search and the report; ``m`` replaces the engagement model."""
        from audit.analysis.timeline import Force

        return Force(self.units(slot, zone), threat.team, m or self.model(threat),
                     self.break_at(threat))  # fmt: skip

    def break_at(self, threat: Threat) -> int:
        """Attackers left at which a team that is not ``determined`` breaks off: it has lost
        ``engagement.break_off`` of its number; a determined team fights to the last."""
        if threat.determined:
            return 0
        return int(math.floor(threat.team * (1.0 - float(self.e.get("break_off", 0.0))) + 1e-9))

    def p_neutralization(self, threat: Threat, units: list[Unit]) -> float:
        """P(N) when every one of ``units`` engages ``threat``, in arrival order."""
        from audit.analysis.timeline import Force

        force = Force(units, threat.team, self.model(threat), self.break_at(threat))
        return force.from_q([1.0] * len(force.units))


def _rows(columns: list[list[Any]], n: int) -> list[tuple]:
    """The ``n`` rows of ``columns`` (each of length ``n``) as tuples; ``n`` empty ones where
    there are no columns."""
    return list(zip(*columns, strict=True)) if columns else [()] * n
