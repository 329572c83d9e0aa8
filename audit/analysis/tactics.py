"""Element values as one threat meets them: its tactic, tools, keys and where it starts.

The base values (``elements.ElementValues``) are those a stealthy outsider
meets. A threat changes them, each factor in ``audit/data/threats.yaml``:

- **force**: barrier delays (walls, gaps, gates) times the tool factor, and
  halved again with explosives; forcing is loud, so every detection misses
  less often (``miss' = miss ** miss_exponent``);
- **stealth**: the base values;
- **deceit** (an insider): staffed posts pass it with ``1 - p_deceit`` of
  their detection; gates it holds keys to open in the unlocked time, and their
  sensors do not alarm (authorised access is not an intrusion);
- **vehicle**: a vehicle gate with no rated barrier is rammed in ``ram_s``;
  approaches and open compounds are driven across at ``speed_m_s``.

Where an adversary starts depends on the threat too (``starts``). The search
sees only the resulting ``(p, t, s, w)`` per element, so it stays exact.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

from audit.analysis.elements import ElementValues, Value, combine, make_value

if TYPE_CHECKING:
    from audit.site.threats import Threat

BARRIERS = ("walls", "gaps", "gates")
DRIVEN = ("public", "approach", "compound")


class ThreatValues:
    """``ElementValues`` seen by one threat (``None``: the base adversary, unchanged)."""

    def __init__(self, values: ElementValues, threat: Threat | None = None) -> None:
        from audit.site.threats import tactics

        self.values = values
        self.site = values.site
        self.threat = threat
        t = tactics()
        # (the base adversary has no tactic: it is read only where there is a threat)
        self._tactic: dict[str, Any] = t[threat.tactic] if threat is not None else {}
        self._vehicle = t["vehicle"]
        self._insider = t["insider"]
        self._starts: dict[str | None, frozenset[str]] = {}

    def starts(self, target: str | None = None) -> frozenset[str]:
        """Zones the adversary may start in (on its way to an asset in zone ``target``);
        worked out once per target (every search asks: on a 1,000-zone campus, scanning the
        zones each time was a twelfth of a check)."""
        found = self._starts.get(target)
        if found is None:
            found = self._starts[target] = self._starts_of(target)
        return found

    @functools.cached_property
    def _outside(self) -> frozenset[str]:
        """Zones the site does not control (the street, a neighbour's house)."""
        return frozenset(z.id for z in self.site.zones if z.controlled_by != "own")

    def _starts_of(self, target: str | None) -> frozenset[str]:
        site = self.site
        outside = self._outside
        th = self.threat
        if th is None:
            return outside
        if th.starts_in:
            return frozenset(th.starts_in)
        if th.kind == "insider":
            # by default an insider works in the site's open areas, but not in the zone of the
            # asset itself: starting there would leave nothing to cross (the file says so with
            # starts_in when it is true)
            kinds = set(self._insider["default_start_kinds"])
            inside = {z.id for z in site.zones if z.kind in kinds and z.id != target}
            return outside | inside
        if th.kind == "vehicle":
            roads = frozenset(
                z.id for z in site.zones if z.id in outside and z.kind in ("public", "approach")
            )
            return roads or outside
        return outside

    def delay(self, el: Any, slot: int | None) -> tuple[float, float]:
        mean, sd = self.values.delay(el, slot)
        th = self.threat
        if th is None:
            return mean, sd
        section = self.values.section(el.id)
        base = mean
        if section == "gates" and el.id in th.keys:
            mean = float(self.values.d["delay"]["gates"]["unlocked_s"][el.kind])
        elif th.kind == "vehicle" and section == "gates" and el.kind == "vehicle_gate":
            if not el.vehicle_barrier:
                mean = min(mean, float(self._vehicle["ram_s"]))
        elif th.kind == "vehicle" and section == "zones" and el.kind in DRIVEN:
            if el.delay_s is None:
                zd = self.values.d["delay"]["zones"]
                metres = el.crossing_m if el.crossing_m is not None else zd["default_crossing_m"]
                mean = metres / float(self._vehicle["speed_m_s"])
        elif section in BARRIERS:
            factor = self._tactic["barrier_delay_factor"][th.tools]
            if th.explosives:
                factor *= self._tactic["explosives_barrier_factor"]
            mean *= factor
        return mean, (sd * mean / base if base > 0 else sd)

    def points(self, el: Any, slot: int) -> tuple[tuple[str, float], ...]:
        """Detection on ``el`` by point, as this threat meets it."""
        th = self.threat
        if th is None:
            return self.values.points(el, slot)
        own = getattr(el, "p_detect", None)  # a vantage point has none of its own
        if own is not None:
            found = [(self.values.point(el), float(own))]
        else:
            keyed = el.id in th.keys
            found = []
            for sid, p, slots in self.values.candidates(el.id):
                if slot not in slots:
                    continue
                section = self.values.section(sid)
                if section == "checkpoints":
                    p *= 1.0 - th.p_deceit
                elif section == "sensors" and keyed:
                    p = 0.0
                found.append((self.values.timing(el, sid), p))
        k = self._tactic["miss_exponent"]
        return tuple((x, 1.0 - (1.0 - p) ** k) for x, p in combine(found))

    def p_detect(self, el: Any, slot: int) -> float:
        return 1.0 - math.prod(1.0 - p for _, p in self.points(el, slot))

    def task(self, asset: Any, slot: int) -> Value:
        """The task at ``asset``: its time, and its detection as this threat meets it."""
        if self.threat is None:
            return self.values.task(asset, slot)
        watched = asset if self.values.candidates(asset.id) else self.site.get(asset.zone)
        return make_value(
            asset.id, "task", self.points(watched, slot), asset.task_s, asset.task_sd_s,
            self.values.point(watched),
        )  # fmt: skip

    def value(self, el: Any, slot: int) -> Value:
        if self.threat is None:
            return self.values.value(el, slot)
        mean, sd = self.delay(el, slot)
        kind = "zone" if self.values.section(el.id) == "zones" else el.kind
        return make_value(el.id, kind, self.points(el, slot), mean, sd, self.values.point(el))
