"""Who watches what, and when: guards on shift, cameras that can see, sensors, lights.

Rules and the path analysis both ask "is this wall observed at 19:00?". The
answer depends on the hour: a checkpoint is staffed only during its shifts; a
camera without night vision sees an element in the dark only when a working
light covers it; a camera nobody watches and that raises no alarm detects
nothing (assessment needs a person: Garcia). This module answers it once,
as sets of week slots (see ``audit.site.schedule``).

A fact the file leaves out (a post's shifts, a gate's lock, whether a camera is
watched or sees in the dark) is read as the path analysis assumes it
(``audit.site.unknowns``: the post manned, the gate locked, the camera watched
and seeing at night), or, by a ``Watch(site, worst=True)``, at its worst: a
rule that fires only on the worst reading has found a fact to survey, not a lapse.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from audit.site import schedule

if TYPE_CHECKING:
    from audit.site.devices import Camera
    from audit.site.model import Site
    from audit.site.people import Checkpoint, Station

ALL = frozenset(range(schedule.WEEK))

PROTECTION = {
    "public": 0,
    "external_building": 0,
    "approach": 1,
    "residential": 1,
    "compound": 2,
    "floor": 3,
    "roof": 3,
    "room": 4,
}
"""How protected a kind of zone is meant to be; an opening between two levels needs a gate."""

OUTSIDE_KINDS = frozenset({"public", "external_building", "approach"})
"""Zones outside the site's control: where an adversary starts."""


DETECT_PX_M = 25.0
"""IEC 62676-4:2015 pixel density to detect a person (observe: 62.5, recognise: 125)."""


def is_perimeter(outside_kind: str, inside_kind: str) -> bool:
    """A boundary between the outside (or adjoining quarters) and the site proper."""
    return (
        outside_kind in OUTSIDE_KINDS | {"residential"}
        and inside_kind not in OUTSIDE_KINDS
        and PROTECTION[outside_kind] < PROTECTION[inside_kind]
    )


ALWAYS_ONE = (("00:00", "00:00", schedule.DAYS, 1),)
"""The rota assumed for a post or station whose shifts are not recorded: one guard, all hours."""


class Watch:
    """Observation of every element of a site, by week slot; ``worst``: every fact the file
    leaves out read at its worst (no guard, unlocked, unwatched, blind at night)."""

    def __init__(self, site: Site, *, worst: bool = False) -> None:
        self.site = site
        self.worst = worst
        self.dark = _dark(site.site.dark.from_, site.site.dark.to)
        self.daylight = ALL - self.dark
        self._staffed: dict[tuple, frozenset] = {}
        self._sets: dict[frozenset, frozenset] = {ALL: ALL}
        self.by_target: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.plan = None
        """Coverage computed from the plan (``audit.geometry.sight.PlanCoverage``) when cameras
        have views."""
        from audit.geometry.sight import coverage_of

        self.plan = coverage_of(site)
        for section in ("cameras", "sensors", "lights"):
            for el in getattr(site, section):
                targets = self.plan.targets(el) if self.plan and section == "cameras" else el.covers
                for target in targets:
                    self.by_target[target][section].append(el)
        for cp in site.checkpoints:
            self.by_target[cp.at]["checkpoints"].append(cp)
            for target in cp.observes:
                if target != cp.at:  # the post at it already counts, once
                    self.by_target[target]["posts"].append(cp)
        for patrol in site.patrols:
            for target in patrol.route:
                self.by_target[target]["patrols"].append(patrol)

    def one(self, slots: Iterable[int]) -> frozenset:
        """``slots`` as the one frozenset of them this watch holds: a set of week slots is
        up to 30 KB, and a large site has tens of thousands of (detector, element) pairs
        sharing a handful of distinct sets."""
        fs = frozenset(slots)
        return self._sets.setdefault(fs, fs)

    def covering(self, element_id: str, section: str) -> list:
        return list(self.by_target.get(element_id, {}).get(section, []))

    def yes(self, value: bool | None) -> bool:
        """A yes/no fact as this watch reads it: as recorded, or when not recorded, yes (the
        path analysis's reading: a post manned, a camera watched) or, at worst, no."""
        return value if value is not None else not self.worst

    def guard_counts(
        self, cp: Checkpoint | Station, *, armed_only: bool = False, maybe_armed: bool = False
    ) -> list[int]:
        """Guards on shift through the whole of each week slot (the fewest in any minute);
        ``armed_only``: those recorded as armed (``maybe_armed``: or not recorded either way)."""
        return list(_guard_counts(self._rota(cp, armed_only, maybe_armed)))

    def _rota(self, cp: Checkpoint | Station, armed_only: bool, maybe_armed: bool) -> Rota:
        """The shifts ``guard_counts`` counts, as a hashable rota."""
        if cp.shifts is None:
            return () if self.worst or (armed_only and not maybe_armed) else ALWAYS_ONE
        return tuple(
            (sh.from_, sh.to, tuple(sh.days), sh.guards)
            for sh in cp.shifts
            if not armed_only or sh.armed or (maybe_armed and sh.armed is None)
        )

    def staffed(
        self,
        cp: Checkpoint | Station,
        min_guards: int = 1,
        *,
        armed: bool = False,
        maybe: bool = False,
    ) -> frozenset:
        """Week slots with at least ``min_guards`` (armed, if asked; ``maybe``: or perhaps
        armed, not recorded) on shift at ``cp``."""
        key = (cp.id, min_guards, armed, maybe)
        if key not in self._staffed:
            rota = self._rota(cp, armed, maybe)
            self._staffed[key] = self.one(_staffed_slots(rota, min_guards))
        return self._staffed[key]

    def locked(self, gate: Any) -> frozenset:
        """Week slots when ``gate`` is locked for the whole slot (``locked`` true, or its hours;
        not recorded: as ``yes`` reads it)."""
        value = getattr(gate, "locked", False)
        if value is None:
            value = self.yes(None)
        if value is True:
            return ALL
        return self._hours(("locked", gate.id), value) if value else frozenset()

    def open_to_public(self, gate: Any) -> frozenset:
        """Week slots when ``gate`` stands open as a public entrance (its ``public_hours``)."""
        hours = getattr(gate, "public_hours", None)
        return self._hours(("public", gate.id), hours) if hours else frozenset()

    @cached_property
    def public_map(self) -> dict[str, frozenset]:
        """Zone id -> week slots when the public may walk into it: through a public entrance
        open then from outside, or from a zone itself open to the public then. Zones outside
        the site's control (``OUTSIDE_KINDS``) are public at all hours and not listed."""
        reach = {z.id: ALL for z in self.site.zones if z.kind in OUTSIDE_KINDS}
        doors = [g for g in self.site.gates if getattr(g, "public_hours", None)]
        changed = True
        while changed:  # grows monotonically: at most one pass per zone reached, and one more
            changed = False
            for g in doors:
                outside, inside = g.between
                came = reach.get(outside, frozenset()) & self.open_to_public(g)
                if came - reach.get(inside, frozenset()):
                    reach[inside] = self.one(reach.get(inside, frozenset()) | came)
                    changed = True
        return {z: slots for z, slots in reach.items() if self.zone_kind(z) not in OUTSIDE_KINDS}

    def public(self, zone_id: str) -> frozenset:
        """Week slots when ``zone_id`` is open to the public: always for a zone outside the
        site's control, else while a public entrance lets the public in."""
        if self.zone_kind(zone_id) in OUTSIDE_KINDS:
            return ALL
        return self.public_map.get(zone_id, frozenset())

    def patrolling(self, patrol: Any) -> frozenset:
        """Week slots when ``patrol`` runs (no hours: always)."""
        return self._hours(("patrol", patrol.id), patrol.hours) if patrol.hours else ALL

    def on_duty(self, responder: Any) -> frozenset:
        """Week slots when ``responder`` can respond for the whole slot (no hours: always)."""
        if not responder.on_duty:
            return ALL
        return self._hours(("on_duty", responder.id), responder.on_duty)

    def _hours(self, key: tuple, hours: list) -> frozenset:
        """Week slots wholly inside daily ``hours`` (``Span``s), cached under ``key``."""
        if key not in self._staffed:
            spans = tuple((h.from_, h.to, tuple(h.days)) for h in hours)
            self._staffed[key] = self.one(_slots_of_hours(spans))
        return self._staffed[key]

    def lit(self, element_id: str) -> frozenset:
        """Slots when the element can be seen without night vision: a working light covers
        it, or (on the plan) its lamps light all of it to ``plan.LIT_LUX``."""
        computed = self.plan.lit(element_id) if self.plan is not None else None
        if computed is not None:
            lights = [
                li
                for li in self.covering(element_id, "lights")
                if li.status == "working" and li.lamp is None
            ]
            return ALL if computed or lights else self.daylight
        lights = [li for li in self.covering(element_id, "lights") if li.status == "working"]
        return ALL if lights else self.daylight

    def watched(self, cam: Camera) -> frozenset:
        """Slots when someone assesses what ``cam`` shows: its station's hours when it names
        one, else at all hours if it is monitored or raises motion alarms."""
        if cam.station is not None:
            from audit.site.people import Station

            station = self.site.get_as(cam.station, Station)
            return self.staffed(station) if station is not None else frozenset()
        if cam.monitored is None and cam.motion_alarm is not True:
            return ALL if self.yes(None) else frozenset()
        return ALL if (cam.monitored or cam.motion_alarm) else frozenset()

    def camera_sees(self, cam: Camera, element_id: str) -> frozenset:
        """Slots when ``cam`` detects an intrusion on ``element_id`` (someone assesses). A
        camera recorded below IEC 62676-4's detection density (25 px/m) sees nobody."""
        if cam.status != "working":
            return frozenset()
        if cam.pixel_density_px_m is not None and cam.pixel_density_px_m < DETECT_PX_M:
            return frozenset()
        if self.yes(cam.night):
            return self.watched(cam)  # (held already: no new set to intern)
        key = ("sees", cam.id, element_id)
        if key not in self._staffed:
            self._staffed[key] = self.one(self.watched(cam) & self.lit(element_id))
        return self._staffed[key]

    def assessed(self, element_id: str) -> frozenset:
        """Slots when an alarm on ``element_id`` is assessed: a watched camera that sees it, or
        guards on shift at it or observing it (Garcia: P(D) = P(sense) x P(assess)). Cached:
        the analysis, the checks and every sensor on the element ask again."""
        key = ("assessed", element_id)
        if key not in self._staffed:
            slots: set[int] = set()
            for cp in self.covering(element_id, "checkpoints") + self.covering(element_id, "posts"):
                slots |= self.staffed(cp)
            for cam in self.covering(element_id, "cameras"):
                slots |= self.camera_sees(cam, element_id)
            self._staffed[key] = self.one(slots)
        return self._staffed[key]

    def sensing(self, sensor: Any, element_id: str) -> frozenset:
        """Slots when ``sensor`` detects on ``element_id``: working, reporting, and assessed on
        site, or carried by its alarm route to responders who assess it on arrival."""
        if sensor.status != "working" or not sensor.monitored:
            return frozenset()
        return self.one(self.assessed(element_id) | self.routed(sensor))

    def routed(self, sensor: Any) -> frozenset:
        """Slots when ``sensor``'s alarm route carries its alarm to someone who responds."""
        route = self.site.get(sensor.route) if getattr(sensor, "route", None) else None
        return self.route_up(route) if route is not None else frozenset()

    def route_up(self, route: Any) -> frozenset:
        """Slots when ``route`` carries an alarm to someone who responds: every relay staffed
        and one of its responders on duty (Garcia: an alarm that reaches a response force,
        which assesses it on arrival, is detection; MIL-HDBK-1013/1A: assessment may involve
        response force guards)."""
        key = ("route", route.id)
        if key not in self._staffed:
            slots = ALL
            for i, relay in enumerate(route.relays):
                if relay.hours:
                    slots &= self._hours(("relay", route.id, i), relay.hours)
            duty: frozenset = frozenset()
            for r_id in route.responders:
                responder = self.site.get(r_id)
                if responder is not None:
                    duty |= self.on_duty(responder)
            self._staffed[key] = self.one(slots & duty)
        return self._staffed[key]

    def relayed(self, route: Any) -> frozenset:
        """Slots when ``route`` carries an alarm nobody on site assesses: then its responders
        learn of the intrusion only through it, and its relays' delay is theirs."""
        key = ("relayed", route.id)
        if key not in self._staffed:
            slots: set[int] = set()
            for sen in self.site.sensors:
                if sen.route != route.id or sen.status != "working" or not sen.monitored:
                    continue
                for target in sen.covers:
                    slots |= self.route_up(route) - self.assessed(target)
            self._staffed[key] = self.one(slots)
        return self._staffed[key]

    @cached_property
    def observed_map(self) -> dict[str, frozenset]:
        """Element id -> week slots when something or someone observes it."""
        out: dict[str, frozenset] = {}
        for target in self.by_target:
            slots: set[int] = set()
            for cp in self.covering(target, "checkpoints") + self.covering(target, "posts"):
                slots |= self.staffed(cp)
            for cam in self.covering(target, "cameras"):
                slots |= self.camera_sees(cam, target)
            for sen in self.covering(target, "sensors"):
                slots |= self.sensing(sen, target)
            out[target] = self.one(slots)
        return out

    def observed(self, element_id: str) -> frozenset:
        """Slots when something or someone would notice a person crossing ``element_id``."""
        return self.observed_map.get(element_id, frozenset())

    def zone_kind(self, zone_id: str) -> str:
        """The kind of zone ``zone_id`` ("public" for an id that names no zone)."""
        return self.zone_kinds.get(zone_id, "public")

    @cached_property
    def zone_kinds(self) -> dict[str, str]:
        """Zone id -> kind, read once: the checks ask ~500 times per site."""
        return {z.id: z.kind for z in self.site.zones}


SETS_KEPT = 256
"""Week-slot sets (up to 30 KB each) the module-level caches below keep, the least
recently used dropped first: a site uses a handful, and a folder audit's workers run
thousands of sites, whose rotas would otherwise pile up (4,096 such sets can hold 120 MB)."""


@functools.lru_cache(maxsize=256)
def _dark(start: str, end: str) -> frozenset:
    """Week slots any part of which is dark (``site.dark``); cached by its text, since a
    fleet's sites share a few of them and every ``Watch`` of a site asks again."""
    return frozenset(schedule.span(start, end, whole=False))


@functools.lru_cache(maxsize=SETS_KEPT)
def _slots_of_hours(spans: tuple[tuple[str, str, tuple[str, ...]], ...]) -> frozenset:
    """Week slots wholly inside the daily ``spans`` (from, to, days); cached by their text,
    since the gates, posts and responders of a site (and of a fleet) share a few of them."""
    minutes: set[int] = set()
    for start, end, days in spans:
        minutes |= schedule.minutes(start, end, days)
    return frozenset(schedule.slots_of(minutes, whole=True))


Rota = tuple[tuple[str, str, tuple[str, ...], int], ...]
"""Shifts as (from, to, days, guards)."""


@functools.lru_cache(maxsize=SETS_KEPT)
def _staffed_slots(rota: Rota, min_guards: int) -> frozenset:
    """Week slots with at least ``min_guards`` on shift under ``rota``; cached as
    ``_guard_counts`` is (the posts of a fleet share a handful of rotas)."""
    return frozenset(s for s, n in enumerate(_guard_counts(rota)) if n >= min_guards)


@functools.lru_cache(maxsize=SETS_KEPT)
def _guard_counts(shifts: Rota) -> tuple[int, ...]:
    """Per week slot, the fewest guards on shift in any of its minutes; cached by rota, since
    the posts of an estate mostly share a handful of them."""
    per_minute = [0] * schedule.WEEK_MIN
    for start, end, days, guards in shifts:
        for m in schedule.minutes(start, end, days):
            per_minute[m] += guards
    step = schedule.SLOT_MIN
    return tuple(min(per_minute[s * step : (s + 1) * step]) for s in range(schedule.WEEK))
