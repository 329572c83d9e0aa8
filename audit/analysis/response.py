"""The response force at one moment: who can respond, how fast, and P(N).

Two kinds of unit respond to an alarm:

- **responders** (`responders:`) on duty at that moment, with their own
  ``response_s`` (alarm to arrival), ``size`` and ``armed``;
- **armed posts**: armed guards on shift at a checkpoint are first responders
  at their own location. Their response time to an asset is a reaction time
  (``engagement.post_reaction_s``) plus the quickest walk from the post to the
  asset's zone through gates (opened with keys: unlocked times) and zones
  (crossing times); its sd is the usual fraction of that time. The guards go
  to the asset, where EASI's interruption must happen.

The fastest unit sets the response force time of the EASI model. P(N), the
probability that the units which arrive before the adversary finishes defeat
it, follows Lanchester's square law (``audit/data/threats.yaml``,
``engagement``)::

    S_def = advantage * (sum of size * arms over the units in time)^2
    S_adv = (team * arms)^2
    P(N)  = S_def / (S_def + S_adv)

Unrecorded sizes and arms take the documented defaults and are listed, so a
finding that rests on them says so.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from audit.analysis.elements import ElementValues
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
        self._sigs: dict[int, tuple] = {}
        self._units: dict[tuple, tuple[Unit, ...]] = {}
        self._armed = {
            cp.id: self.watch.guard_counts(cp, armed_only=True)
            for cp in self.site.checkpoints
            if any(s.armed for s in cp.shifts or ())
        }

    def units(self, slot: int, zone: str) -> tuple[Unit, ...]:
        """Every unit that can respond at ``slot`` to an asset in ``zone``, fastest first
        (computed once per zone and set of units on duty: a week has few distinct ones)."""
        sig = self.signature(slot)
        key = (sig, zone)
        if key not in self._units:
            self._units[key] = self._units_at(slot, zone)
        return self._units[key]

    def signature(self, slot: int) -> tuple:
        """Who can respond at ``slot``: the responders on duty and the armed guards per post."""
        if slot not in self._sigs:
            self._sigs[slot] = (
                tuple(slot in self.watch.on_duty(r) for r in self.site.responders),
                tuple(counts[slot] for counts in self._armed.values()),
            )
        return self._sigs[slot]

    def _units_at(self, slot: int, zone: str) -> tuple[Unit, ...]:
        out = []
        for r in self.site.responders:
            if slot not in self.watch.on_duty(r):
                continue
            defaulted = tuple(f for f, v in (("size", r.size), ("armed", r.armed)) if v is None)
            out.append(
                Unit(
                    r.id,
                    "responder",
                    float(r.response_s),
                    float(r.response_sd_s),
                    r.size if r.size is not None else int(self.e["responder_size"]),
                    r.armed if r.armed is not None else True,
                    defaulted,
                )
            )
        sd_fraction = self.values.d["delay"]["sd_fraction"]["value"]
        for cp_id, counts in self._armed.items():
            guards = counts[slot]
            if guards < 1:
                continue
            walk = self.travel(self.post_zone(self.site.get(cp_id))).get(zone)
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

    def p_neutralization(self, threat: Threat, units: list[Unit]) -> float:
        """Lanchester's square law between the units and the threat's team."""
        arms = self.e["arms"]
        own = sum(u.size * arms["armed" if u.armed else "unarmed"] for u in units)
        theirs = threat.team * arms["armed" if threat.armed else "unarmed"]
        s_def = float(self.e["defender_advantage"]) * own * own
        s_adv = theirs * theirs
        return s_def / (s_def + s_adv) if s_def + s_adv > 0 else 0.0
