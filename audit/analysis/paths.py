"""Most vulnerable path of every asset, at every 15-minute slot of the week.

For each slot the element values are computed (``elements``), the search
finds the minimum-P(I) path (``search``), and the results roll up into a
24-hour profile per asset (each time of day judged on its worst day of the
week), the worst moment, its path element by element, and its critical
detection point. Slots whose detection values are identical share one search.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any, cast

from audit.analysis.asset_paths import SiteAnalysis, _asset_result, _pi
from audit.analysis.easi import Step, without_variance
from audit.analysis.elements import ElementValues, Value, responder
from audit.analysis.exits import AWAY, OUT, base, carry, exit_value, gone, out
from audit.analysis.network import Network, Skeleton, Spread
from audit.analysis.response import Response
from audit.analysis.search import (
    MAX_WORK,
    MAX_WORK_MEAN,
    TIE,
    Problem,
    Result,
    better,
    most_vulnerable_path,
    tighten,
)
from audit.analysis.tactics import ThreatValues
from audit.site import schedule

ASSET_WORK = 12_000_000
"""Label comparisons the searches of one asset (against one threat) may spend in all, over
every slot of the week and the sensitivity band; past it, its searches are bounded. Per
asset, never a pool for the whole site: an asset's answer does not depend on how many
assets come before it, and the work of a site grows with its assets, not faster."""

HINTS = 3
"""Paths of an asset kept as hints for its next searches (``Analyzer._hints``)."""

if TYPE_CHECKING:
    from audit.analysis.relevance import Blocks
    from audit.analysis.timeline import Force
    from audit.site.model import Camera, Sensor, Site


def default_delay(el: Any) -> bool:
    """Whether ``el``'s delay comes from the defaults (a task's time is the site file's)."""
    return getattr(el, "delay_s", 0.0) is None


FREE = Step(0.0, 0.0, 0.0, 1.0)
"""A step that costs nothing and detects nothing (a task's edge; a place held in a frame)."""


@dataclass(frozen=True)
class _Frame:
    """What every detection state's network shares (``Analyzer._fixed``): zones and
    crossings in order, with the steps of those that do not change with the hour and the
    places of those that do (set per state)."""

    zones: dict[str, Step]
    moving_zones: list[tuple[str, Any]]
    """(id in ``zones``, zone) of each zone that changes with the hour."""
    edges: list[tuple[str, str, str, Step]]
    moving_edges: list[tuple[int, Any]]
    """(index in ``edges``, element) of each crossing that changes with the hour."""
    spread: Spread
    """``Spread.of`` the steps that do not change."""


def task_edge(asset: Any) -> str:
    """Id of the zero-cost step from an asset's zone to its task (never shown in a path)."""
    return f"{asset.id}:task"


class Analyzer:
    """Builds search problems for a site (as one threat meets it) and caches searches by
    detection state."""

    def __init__(self, site: Site, threat: Any = None, values: ElementValues | None = None) -> None:
        from audit.graph.access import crossings

        self.site = site
        self.threat = threat
        self.values = values or ElementValues(site)
        self.tv = ThreatValues(self.values, threat)
        shared = self.values.shared
        if "response" not in shared:  # the same for every threat: built once per site
            # over a proxy of the values that keep it: a strong reference back made each
            # site's whole model garbage for the cycle collector, not freed as it is done
            shared["response"] = Response(weakref.proxy(self.values))
            shared["crossings"] = crossings(site)
        self.force: Response = shared["response"]
        self.rft, self.rft_sd, self.responder = responder(site)
        self.crossings = shared["crossings"]
        # an outsider starts anywhere the site does not control: the street, a neighbour's house
        self.starts = self.tv.starts()
        self._cache: dict[tuple, Result] = {}
        self._states: dict[int, int] = {}
        self._distinct: dict[tuple, int] = {}
        self._tuples: list[tuple] = []
        """Each state's tuple, by its number (``state``)."""
        self._part: dict[str, int] = {}
        self._block_sets: dict[Blocks, list[frozenset[int]]] = {}
        self._place: dict[str, int] = {}
        self._parts: list[tuple[int, ...]] = []
        self._part_ids: dict[tuple[int, ...], int] = {}
        self._seen: dict[tuple[int, int], int] = {}
        self._seen_ids: dict[tuple[int, tuple], int] = {}
        self._shared: dict[tuple, tuple[dict[str, Step], list, Network]] = {}
        self._frames: dict[tuple[float, float] | None, _Frame] = {}
        self._exit_frames: dict[tuple[float, float] | None, _Frame] = {}
        self._skeletons: dict[tuple[float, float] | None, Skeleton] = {}
        self._flat: dict[tuple, tuple[dict[str, Step], list, Network]] = {}
        self._flat_skeletons: dict[tuple[float, float] | None, Skeleton] = {}
        self._hints: dict[tuple[str, bool], list[list[str]]] = {}
        """Per asset (and objective), the last few distinct paths its searches found: another
        hour's search starts from the best of them (``search.most_vulnerable_path``)."""
        self._left: dict[str, int] = {}
        """Per asset, the work its searches may still spend (``ASSET_WORK``)."""
        if "varying" not in shared:  # (the same for every threat)
            ids = [z.id for z in site.zones] + sorted({el.id for _, _, el, _, _ in self.crossings})
            ids += [a.id for a in site.assets]  # a task watched alone varies with its watchers
            # only elements whose detection can change with the hour make up the state
            shared["varying"] = [
                site.get(i)
                for i in ids
                if getattr(site.get(i), "p_detect", None) is None and self.values.candidates(i)
            ]
            shared["scheduled"] = [
                g for g in site.gates if isinstance(g.locked, list) and g.delay_s is None
            ]
            # the state at a slot is fixed by which of these sets hold it: detectors on duty,
            # gates locked; slots alike in all of them share one state, computed once
            sets = {
                slots for el in shared["varying"] for _, _, slots in self.values.candidates(el.id)
            }
            sets |= {self.values.watch.locked(g) for g in shared["scheduled"]}
            shared["slotsets"] = sorted(sets, key=lambda x: (len(x), sorted(x)[:1]))
            shared["slot_ids"] = {}
            shared["ids"] = ({}, {})
        self._varying = shared["varying"]
        self._scheduled = shared["scheduled"]
        self._slotsets = shared["slotsets"]
        self._slot_ids: dict[int, tuple[int, int]] = shared["slot_ids"]
        self._ids: tuple[dict[int, int], dict[tuple, int]] = shared["ids"]
        self._moving = {el.id for el in self._varying} | {g.id for g in self._scheduled}
        self._element_steps: dict[tuple, Step] = {}
        self._values: dict[tuple[bool, str, Any], Value] = {}
        self._means: dict[int, tuple[Step, Step]] = {}
        self._elements: dict[tuple[str, tuple[str, ...], int], list[tuple[Any, Value]]] = {}
        self._local_sets: dict[tuple[bool, str], tuple[frozenset[int], ...]] = {}
        self._points: dict[tuple[str, tuple[bool, ...]], tuple[tuple[str, float], ...]] = {}
        self._groups: dict[tuple, list[tuple[tuple[int, int], list[int]]]] = {}
        self._curves: dict[tuple[int, str], Force] = {}
        self._by_sig: dict[int, int] = {}
        # assets whose path runs on to the getaway (``exits``): theft, by a threat that is
        # not determined to complete the act whatever it costs
        determined = threat is None or getattr(threat, "determined", False)
        self.theft = frozenset() if determined else frozenset(a.id for a in site.assets if a.theft)

    def detection(self, el: Any, slot: int) -> str:
        """What detects on ``el`` at ``slot``, and what would but does not, in words."""
        if getattr(el, "p_detect", None) is not None:
            return f"p_detect set in the site file ({el.p_detect:g})"
        if self.values.section(el.id) == "assets" and not self.values.candidates(el.id):
            zone = self.site.get(el.zone)
            assert zone is not None, "an asset's zone is checked when the site loads"
            return f"as in {zone.id} while the adversary works: {self.detection(zone, slot)}"
        on: list[str] = []
        off: list[str] = []
        for sid, _, slots in self.values.candidates(el.id):
            (on if slot in slots else off).append(sid)
        off = [s for s in dict.fromkeys(off) if s not in on]  # a sensor on site and routed
        covering = self.values.watch.by_target.get(el.id, {})
        for section in ("checkpoints", "posts", "cameras", "sensors"):
            for src in covering.get(section, []):
                if src.id not in on and src.id not in off:
                    off.append(src.id)
        parts = []
        if on:
            parts.append("seen by " + ", ".join(on))
        if off:
            parts.append("not at this hour: " + ", ".join(_why_off(self, s, slot) for s in off))
        plan = self.values.watch.plan
        if plan is not None and el.id in plan.walls:
            weakest = plan.walls[el.id].weakest
            cams = ", ".join(weakest.cameras) or "no camera"
            parts.append(f"on the plan the weakest stretch is {weakest}, seen by {cams}")
        return "; ".join(parts) or "nothing covers it"

    def value(self, el: Any, slot: int) -> Value:
        return self.tv.value(el, slot)

    @functools.cached_property
    def worst(self) -> ThreatValues:
        """The element values with every fact the file leaves out at its worst (no guard on an
        unrecorded post, an unrecorded lock open, an unrecorded camera unwatched and blind at
        night): the low end of the sensitivity band."""
        from audit.graph.coverage import Watch

        shared = self.values.shared
        if "worst" not in shared:  # the same for every threat
            shared["worst"] = ElementValues(self.site, Watch(self.site, worst=True))
        return ThreatValues(shared["worst"], self.threat)

    def _reading(self, perturb: tuple[float, float] | None) -> ThreatValues:
        """The values a search uses: the worst reading at the low end of a band (a perturbation
        that lowers detection), else the documented one."""
        return self.worst if perturb is not None and perturb[1] < 0 else self.tv

    def response(self, slot: int, zone: str | None = None) -> tuple[float, float, str | None]:
        """(response_s, response_sd_s, id) of the fastest unit at ``slot``: a responder on
        duty or, for an asset in ``zone``, an armed post (``response.Response``)."""
        if zone is None:
            on = [r for r in self.site.responders if slot in self.values.watch.on_duty(r)]
            if not on:
                return float("inf"), 0.0, None
            r = min(on, key=lambda r: (r.response_s, r.id))
            return float(r.response_s), float(r.response_sd_s), r.id
        units = self.force.units(slot, zone)
        if not units:
            return float("inf"), 0.0, None
        return units[0].response_s, units[0].response_sd_s, units[0].id

    def problem(
        self,
        asset: Any,
        slot: int,
        perturb: tuple[float, float] | None = None,
        curve: Force | None = None,
    ) -> Problem:
        """The search problem at ``slot``; ``perturb`` = (delay factor, p shift) applied to the
        values the site file leaves to defaults (for the sensitivity band); with ``curve``
        (the response on the engagement timeline) the objective is P(E), not P(I)."""
        zones, edges, net = self._steps(slot, perturb)
        rft, rft_sd, _ = self.response(slot, asset.zone)
        p_comm = self.site.site.p_comm
        starts = self.tv.starts(asset.zone)
        target, blocked = asset.id, frozenset[str]()
        if asset.id in self.theft:
            target, blocked = AWAY, frozenset(a.id for a in self.site.assets if a.id != asset.id)

        def mean() -> Problem:
            mean_zones, mean_edges, mean_net = self._mean_steps(slot, perturb)
            flat = Problem(target, starts, mean_zones, mean_edges, rft, rft_sd, p_comm)
            flat.network, flat.curve, flat.blocked = mean_net, curve, blocked
            return flat

        return Problem(
            target, starts, zones, edges, rft, rft_sd, p_comm, None, mean, net, blocked, curve
        )

    def _steps(
        self, slot: int, perturb: tuple[float, float] | None
    ) -> tuple[dict[str, Step], list[tuple[str, str, str, Step]], Network]:
        """The steps of every zone, crossing and task at ``slot``, with their search network:
        the same for every asset, and for every slot of one state (values depend on the slot
        only through ``state``).

        Each task is an element of its own: a node reached from its asset's zone at no
        cost, with no way out, so a search for one asset never passes another's task.
        """
        state = self.state(slot)
        key = (state, perturb)
        if key not in self._shared:
            fixed = self._fixed(slot, state, perturb)
            # the steps that do not change with the hour are the frame's; the rest are set
            # in place (a dict keeps each key where it was: the order the searches meet)
            zones = dict(fixed.zones)
            hourly: list[Step] = []
            for zid, z in fixed.moving_zones:
                st = zones[zid] = self._element_step(z, slot, state, perturb)
                hourly.append(st)
            edges = list(fixed.edges)
            once: dict[str, Step] = {}  # a crossing passable both ways, valued once
            for i, el in fixed.moving_edges:
                step = once.get(el.id)
                if step is None:
                    step = once[el.id] = self._element_step(el, slot, state, perturb)
                    hourly.append(step)
                u, v, eid, _ = edges[i]
                edges[i] = (u, v, eid, step)
            for a in self.site.assets:
                zones[a.id] = st = self._task_step(a, slot, perturb)
                hourly.append(st)
                edges.append((a.zone, a.id, task_edge(a), FREE))
            spread = fixed.spread
            if self.theft:
                moving, rest = self._way_out(zones, edges, slot, perturb)
                hourly += moving
                spread = spread.join(rest)
            spread = spread.join(Spread.of(hourly))
            skeleton = self._skeletons.get(perturb)
            if skeleton is None:  # (every state's zones and edges are the first one's)
                skeleton = self._skeletons[perturb] = Skeleton(edges, set(zones))
            self._shared[key] = (zones, edges, skeleton.network(zones, edges, spread))
        return self._shared[key]

    def _mean_steps(
        self, slot: int, perturb: tuple[float, float] | None
    ) -> tuple[dict[str, Step], list[tuple[str, str, str, Step]], Network]:
        """``_steps`` with every delay sd zero, made on first use (a search from a hint
        needs none: ``search._hinted``)."""
        key = (self.state(slot), perturb)
        found = self._flat.get(key)
        if found is None:
            zones, edges, _ = self._steps(slot, perturb)
            mean = self._mean
            mean_zones = {z: mean(st) for z, st in zones.items()}
            mean_edges = [(u, v, e, mean(st)) for u, v, e, st in edges]
            skeleton = self._flat_skeletons.get(perturb)
            if skeleton is None:
                skeleton = self._flat_skeletons[perturb] = Skeleton(mean_edges, set(zones))
            net = skeleton.network(mean_zones, mean_edges, Spread())
            found = self._flat[key] = (mean_zones, mean_edges, net)
        return found

    def _fixed(self, slot: int, state: int, perturb: tuple[float, float] | None) -> _Frame:
        """The part of every state's network at ``perturb`` that does not change with the
        hour: most of a site, valued once (the first state's build) and copied after."""
        frame = self._frames.get(perturb)
        if frame is None:
            zones: dict[str, Step] = {}
            moving_zones = []
            for z in self.site.zones:
                if z.id in self._moving:
                    zones[z.id] = FREE  # (a place held: set per state)
                    moving_zones.append((z.id, z))
                else:
                    zones[z.id] = self._element_step(z, slot, state, perturb)
            edges = []
            moving_edges = []
            for i, (u, v, el, _, _) in enumerate(self.crossings):
                if el.id in self._moving:
                    edges.append((u, v, el.id, FREE))
                    moving_edges.append((i, el))
                else:
                    edges.append((u, v, el.id, self._element_step(el, slot, state, perturb)))
            fixed_steps = [st for z, st in zones.items() if z not in self._moving]
            fixed_steps += [st for _, _, e, st in edges if e not in self._moving]
            frame = self._frames[perturb] = _Frame(
                zones, moving_zones, edges, moving_edges, Spread.of(fixed_steps)
            )
        return frame

    def _mean(self, st: Step) -> Step:
        """``without_variance(st)``, remembered by the step itself (the steps of a site recur
        in every state's network: hashing each one again cost more than the lookup)."""
        found = self._means.get(id(st))
        if found is None or found[0] is not st:
            found = self._means[id(st)] = (st, without_variance(st))
        return found[1]

    def _way_out(
        self,
        zones: dict[str, Step],
        edges: list[tuple[str, str, str, Step]],
        slot: int,
        perturb: tuple[float, float] | None,
    ) -> tuple[list[Step], Spread]:
        """The second layer of the graph, the way out with what was taken (``exits``), laid
        after ``zones`` and ``edges``: the steps set for this hour, and the spread of the
        rest (``_exit_frame``'s, copied)."""
        frame = self._exit_frames.get(perturb)
        if frame is None:
            frame = self._exit_frames[perturb] = self._exit_frame(slot, perturb)
        n_e = len(edges)
        zones.update(frame.zones)
        edges += frame.edges
        hourly = []
        for zid, z in frame.moving_zones:
            st = zones[zid] = self._exit_step(z, slot, perturb)
            hourly.append(st)
        for i, el in frame.moving_edges:
            st = self._exit_step(el, slot, perturb)
            u, v, eid, _ = edges[n_e + i]
            edges[n_e + i] = (u, v, eid, st)
            hourly.append(st)
        return hourly, frame.spread

    def _exit_frame(self, slot: int, perturb: tuple[float, float] | None) -> _Frame:
        """What every state's way out shares at ``perturb`` (as ``_fixed`` for the way in):
        its places and ways in order, valued once where nothing about them changes with the
        hour (``edges``' indices from the way out's first)."""
        zones: dict[str, Step] = {}
        moving_zones: list[tuple[str, Any]] = []
        edges: list[tuple[str, str, str, Step]] = []
        moving_edges: list[tuple[int, Any]] = []
        fixed: list[Step] = []
        for z in self.site.zones:
            zid = out(z.id)
            if z.id in self._moving:
                zones[zid] = FREE  # (a place held: set per state)
                moving_zones.append((zid, z))
            else:
                zones[zid] = st = self._exit_step(z, slot, perturb)
                fixed.append(st)
            if z.controlled_by != "own":
                edges.append((zid, AWAY, gone(z.id), FREE))
        for u, v, el, _, _ in self.crossings:
            if el.id in self._moving:
                moving_edges.append((len(edges), el))
                edges.append((out(u), out(v), out(el.id), FREE))
            else:
                edges.append((out(u), out(v), out(el.id), st := self._exit_step(el, slot, perturb)))
                fixed.append(st)
        zones[AWAY] = FREE
        for a in self.site.assets:
            if a.id in self.theft:
                edges.append((a.id, out(a.zone), carry(a.id), FREE))
        return _Frame(zones, moving_zones, edges, moving_edges, Spread.of(fixed))

    def _exit_step(self, el: Any, slot: int, perturb: tuple[float, float] | None) -> Step:
        """``el``'s step on the way out: once per detection of what watches it, as for
        ``_element_step`` (its value on the way out is its value there, carried)."""
        local = self._local(self.tv, el, slot) if el.id in self._moving else -1
        key = (el.id, OUT, perturb, local)
        st = self._element_steps.get(key)
        if st is None:
            st = self._element_steps[key] = _step(el, exit_value(self.tv, el, slot), perturb)
        return st

    def _element_step(
        self, el: Any, slot: int, state: int, perturb: tuple[float, float] | None
    ) -> Step:
        """``el``'s step at ``slot`` (of ``state``): computed once for the week where nothing
        about it changes with the hour (most of a site), else once per state."""
        reading = self._reading(perturb)
        local = self._local(reading, el, slot) if el.id in self._moving else -1
        key = (el.id, perturb, local)
        st = self._element_steps.get(key)
        if st is None:
            value = self._value_at(reading, el, slot, local)
            st = self._element_steps[key] = _step(el, value, perturb)
        return st

    def _value_at(self, reading: ThreatValues, el: Any, slot: int, local: Any) -> Value:
        """``reading.value(el, slot)``, once per element and ``local`` (``_local``, or -1 for
        an element whose value does not change with the hour): the band's high end shares
        the documented reading's values, and a found path's elements are read from here."""
        key = (reading is self.tv, el.id, local)
        value = self._values.get(key)
        if value is None:
            value = self._values[key] = reading.value(el, slot)
        return value

    def _task_step(self, asset: Any, slot: int, perturb: tuple[float, float] | None) -> Step:
        """The step of ``asset``'s task at ``slot``: once per detection of what watches it."""
        reading = self._reading(perturb)
        watched = asset if reading.values.candidates(asset.id) else self.site.get(asset.zone)
        local = self._local(reading, watched, slot)
        key = (asset.id, ":task", perturb, local)
        st = self._element_steps.get(key)
        if st is None:
            vkey = (reading is self.tv, asset.id + ":task", local)
            value = self._values.get(vkey)
            if value is None:
                value = self._values[vkey] = reading.task(asset, slot)
            st = self._element_steps[key] = _step(asset, value, perturb)
        return st

    def _local(self, reading: ThreatValues, el: Any, slot: int) -> tuple[bool, ...]:
        """What ``el``'s value in ``reading`` depends on at ``slot``: which of its detectors
        are on (their week slots hold ``slot``) and, for a gate locked by the hour, whether
        it is locked. Slots alike in these give ``el`` the same value (a cache key finer than
        the state: an element whose detectors do not change with the hour is valued once)."""
        key = (reading is self.tv, el.id)
        sets = self._local_sets.get(key)
        if sets is None:
            found = [slots for _, _, slots in reading.values.candidates(el.id)]
            if isinstance(getattr(el, "locked", None), list):
                found.append(reading.values.watch.locked(el))
            sets = self._local_sets[key] = tuple(found)
        return tuple([slot in slots for slots in sets])

    def elements(self, asset: Any, res: Result, slot: int) -> list[tuple[Any, Value]]:
        """The elements of a found path with their values at ``slot`` (the task last; worked
        out once per path and slot: the reports of one result ask several times)."""
        key = (asset.id, tuple(res.path), slot)
        done = self._elements.get(key)
        if done is None:
            done = self._elements[key] = self._elements_of(asset, res, slot)
        return done

    def _elements_of(self, asset: Any, res: Result, slot: int) -> list[tuple[Any, Value]]:
        found = []
        for eid in res.path[1:]:
            if eid == task_edge(asset) or eid == AWAY:
                continue
            if eid == asset.id:
                found.append((asset, self.tv.task(asset, slot)))
            elif eid.endswith(OUT):
                of = base(eid)
                if of is not None and (el := self.site.get(of)) is not None:
                    v = exit_value(self.tv, el, slot)
                    if v.delay_s or v.p_detect or self.site.kind_of(of) != "zones":
                        found.append((el, v))
            else:
                el = self.site.get(eid)
                local = self._local(self.tv, el, slot) if eid in self._moving else -1
                found.append((el, self._value_at(self.tv, el, slot, local)))
        return found

    def state(self, slot: int) -> int:
        """The number of the state at ``slot``: the detection of every element whose
        detection varies, and the lock of every gate locked by the hour (a cache key)."""
        if slot not in self._states:
            sig = self.slot_id(slot)[0]
            if sig not in self._by_sig:
                state = tuple([self._points_at(el, slot) for el in self._varying]) + tuple(
                    [slot in self.values.watch.locked(g) for g in self._scheduled]
                )
                # equal states get one small number: a week holds few distinct ones, and a
                # number hashes at once where the tuple of every element's detection would not
                if state not in self._distinct:
                    self._distinct[state] = len(self._tuples)
                    self._tuples.append(state)
                self._by_sig[sig] = self._distinct[state]
            self._states[slot] = self._by_sig[sig]
        return self._states[slot]

    def _points_at(self, el: Any, slot: int) -> tuple[tuple[str, float], ...]:
        """``self.tv.points(el, slot)``, once per element and set of its detectors on
        (``_local``): a week's distinct states mostly differ in a few elements each."""
        key = (el.id, self._local(self.tv, el, slot))
        found = self._points.get(key)
        if found is None:
            found = self._points[key] = self.tv.points(el, slot)
        return found

    def slot_id(self, slot: int) -> tuple[int, int]:
        """(which detectors are on and gates locked, who can respond) at ``slot`` as two small
        numbers, the same for every threat: slots with equal numbers have equal states and
        forces (numbers hash at once where the tuples behind them would not)."""
        found = self._slot_ids.get(slot)
        if found is None:
            sigs, forces = self._ids
            if not sigs:
                sigs.update(_partition(self._slotsets))
            force = self.force.signature(slot)
            found = (sigs[slot], forces.setdefault(force, len(forces)))
            self._slot_ids[slot] = found
        return found

    def week(self, asset: Any, slots: Iterable[int]) -> dict[int, Result]:
        """The search at each of ``slots``: once per state and set of units on duty (the
        search depends on the slot through nothing else)."""
        out: dict[int, Result] = {}
        for group, res in self.grouped(asset, list(slots)):
            out.update(dict.fromkeys(group, res))
        return dict(sorted(out.items()))

    def grouped(
        self,
        asset: Any,
        slots: list[int],
        curve_at: Callable[[int], Force] | None = None,
        enough: float | None = None,
    ) -> list[tuple[list[int], Result]]:
        """The search of each group of ``slots`` (``slot_groups``; with ``curve_at``, P(E)
        against the response curve at the group's first slot), the asset's work shared so
        that the week's answer is settled where it is decided.

        Taken first come first served, the asset's budget went to the first groups of the
        week and a later one (another roster's slower response) got a path of the last
        resort: on a 1,000-zone mesh the week's worst moment read 0.148 where it was 0.059.
        So each group first gets an even share of half of what is left; then the groups
        whose proven bound is below the best value found (they may hold the worst moment)
        are searched again with the rest, lowest bound first.

        ``enough``: a caller that needs only the least value stops at the first group whose
        value is at most this (nothing below it matters), with the groups searched so far.
        """
        groups = [g for _, g in self.slot_groups(slots, asset)]
        curves = [None if curve_at is None else curve_at(g[0]) for g in groups]
        found: list[Result] = []
        for i, g in enumerate(groups):
            share = self._left_of(asset) // (2 * (len(groups) - i))
            found.append(self.search(asset, g[0], curve=curves[i], budget=share))
            if enough is not None and found[-1].value <= enough:
                return list(zip(groups, found, strict=False))
        best = min((r.value for r in found), default=1.0)
        for i in sorted(range(len(groups)), key=lambda i: (found[i].floor, i)):
            slot, curve = groups[i][0], curves[i]
            # first the bound from the whole network, then more work where it falls short
            found[i] = self.tighten(asset, slot, curve, best)
            if found[i].floor < best - TIE and self._left_of(asset) > 0:
                self.search(asset, slot, curve=curve, budget=self._left_of(asset), again=True)
                found[i] = self.tighten(asset, slot, curve, best)
            best = min(best, found[i].value)
        return list(zip(groups, found, strict=True))

    def tighten(self, asset: Any, slot: int, curve: Force | None, need: float) -> Result:
        """The search at ``slot`` (made before) with the bound from the whole network where
        its own is below ``need`` (``search.tighten``)."""
        key = self._key(asset, slot, None, curve)
        res = self._cache[key]
        if res.exact or res.floor >= need - TIE:
            return res  # (nothing to prove: no problem to build)
        res = self._cache[key] = tighten(self.problem(asset, slot, None, curve), res, need)
        return res

    def _key(self, asset: Any, slot: int, perturb: Any, curve: Force | None) -> tuple:
        who = self.response(slot, asset.zone) if curve is None else curve.key
        return (asset.id, self.seen_by(asset, slot), who, perturb)

    def seen_by(self, asset: Any, slot: int) -> int:
        """The number of the state at ``slot`` as far as ``asset``'s search can tell: the
        detection and locks of the elements that can lie on a path to it alone
        (``relevance``); slots alike in these share one search."""
        part = self._part_of(asset)
        state = self.state(slot)
        key = (part, state)
        found = self._seen.get(key)
        if found is None:
            whole = self._tuples[state]
            sub = tuple([whole[i] for i in self._parts[part]])
            found = self._seen[key] = self._seen_ids.setdefault((part, sub), len(self._seen_ids))
        return found

    def _part_of(self, asset: Any) -> int:
        """The number of the set of state positions that matter to ``asset``'s search
        (``_positions``): assets with equal sets share their groups of the week."""
        part = self._part.get(asset.id)
        if part is None:
            positions = self._positions(asset)
            part = self._part[asset.id] = self._part_ids.setdefault(positions, len(self._parts))
            if part == len(self._parts):
                self._parts.append(positions)
        return part

    def _positions(self, asset: Any) -> tuple[int, ...]:
        """The positions in ``state``'s tuple of the elements that can lie on a path to
        ``asset`` (``relevance``): their detection and locks alone can change its search.
        They are those of the blocks on its route (an element's block: a zone's, or the
        one that holds a crossing), and of its own task. A theft's path also runs out from
        the zone's copy to the getaway (``exits``): the blocks on that route too."""
        n = len(self._varying)
        inward = self._blocks(self.tv.starts(asset.zone))
        route = inward.route(asset.zone)
        if route is None:
            return tuple(range(n + len(self._scheduled)))
        per = self._in_blocks(inward)
        found: set[int] = set().union(*(per[i] for i in route))
        if asset.id in self.theft:
            outward = self._blocks(None)
            back = outward.route(asset.zone)
            if back is not None:
                per = self._in_blocks(outward)
                found = found.union(*(per[i] for i in back))
        if not self._place:  # (a task watched alone varies by itself)
            self._place.update((el.id, i) for i, el in enumerate(self._varying))
        if asset.id in self._place:
            found.add(self._place[asset.id])
        return tuple(sorted(found))

    def _in_blocks(self, blocks: Blocks) -> list[frozenset[int]]:
        """Per block of ``blocks``, the positions in ``state``'s tuple of the elements in
        it: its zones, and the crossings (and gates locked by the hour) it holds."""
        found = self._block_sets.get(blocks)
        if found is None:
            n = len(self._varying)
            sets: list[set[int]] = [set() for _ in blocks.blocks]
            where: dict[str, list[int]] = {}
            for z in self.site.zones:
                where[z.id] = list(blocks.of.get(z.id, ()))
            for u, v, el, _, _ in self.crossings:
                i = blocks.block_of(u, v)
                if i is not None:
                    where.setdefault(el.id, []).append(i)
            for k, el in enumerate(self._varying):
                for i in where.get(el.id, ()):
                    sets[i].add(k)
            for j, g in enumerate(self._scheduled):
                for i in where.get(g.id, ()):
                    sets[i].add(n + j)
            found = self._block_sets[blocks] = [frozenset(x) for x in sets]
        return found

    def _blocks(self, starts: frozenset[str] | None) -> Blocks:
        """The site's block-cut tree from ``starts`` (None: from the zones a getaway leaves
        by, the way out's), made once per site and set of starts."""
        from audit.analysis.relevance import Blocks

        trees: dict[frozenset[str] | None, Blocks] = self.values.shared.setdefault("blocks", {})
        found = trees.get(starts)
        if found is None:
            sources = starts
            if sources is None:
                sources = frozenset(z.id for z in self.site.zones if z.controlled_by != "own")
            edges = [(u, v) for u, v, _, _, _ in self.crossings]
            found = trees[starts] = Blocks(edges, sources)
        return found

    def _left_of(self, asset: Any) -> int:
        return max(0, self._left.get(asset.id, ASSET_WORK))

    def slot_groups(self, slots: list[int], asset: Any) -> list[tuple[tuple[int, int], list[int]]]:
        """``slots`` grouped by (state as ``asset`` sees it, units on duty), each group's
        slots in order and the groups in the order of their first slot: every slot of a
        group has the same search (worked out once for the assets that see alike, from the
        slots alike in every detector and unit: ``slot_id``)."""
        whole = (tuple(slots), self._part_of(asset))
        groups = self._groups.get(whole)
        if groups is None:
            by: dict[tuple[int, int], list[list[int]]] = {}
            for sid, members in self._alike(whole[0]):
                by.setdefault((self.seen_by(asset, members[0]), sid[1]), []).append(members)
            groups = self._groups[whole] = [
                (key, parts[0] if len(parts) == 1 else sorted(chain.from_iterable(parts)))
                for key, parts in by.items()
            ]
        return groups

    def _alike(self, slots: tuple[int, ...]) -> list[tuple[tuple[int, int], list[int]]]:
        """``slots`` grouped by ``slot_id``, in the order of each group's first slot (the
        same for every asset and threat)."""
        cache: dict[tuple[int, ...], list] = self.values.shared.setdefault("alike", {})
        found = cache.get(slots)
        if found is None:
            by: dict[tuple[int, int], list[int]] = {}
            ids = self._slot_ids
            for s in slots:
                by.setdefault(ids.get(s) or self.slot_id(s), []).append(s)
            found = cache[slots] = list(by.items())
        return found

    def curve(self, slot: int, zone: str) -> Force:
        """The response to ``zone`` at ``slot`` against this analyzer's threat on the
        engagement timeline (``response.Response.curve``), once per set of units on duty."""
        key = (self.slot_id(slot)[1], zone)
        found = self._curves.get(key)
        if found is None:
            found = self._curves[key] = self.force.curve(self.threat, slot, zone)
        return found

    def search(
        self,
        asset: Any,
        slot: int,
        perturb: tuple[float, float] | None = None,
        curve: Force | None = None,
        budget: int | None = None,
        again: bool = False,
    ) -> Result:
        """The most vulnerable path at ``slot``: least P(I), or least P(E) with ``curve``;
        at most ``budget`` of the asset's work (``ASSET_WORK``) spent on it. ``again``: a
        search that stopped at its budget is made again with this one, and the better of
        the two kept (the lower value, the higher bound)."""
        key = self._key(asset, slot, perturb, curve)
        before = self._cache.get(key)
        if before is None or (again and not before.exact):
            left = self._left_of(asset)
            if budget is not None:
                left = min(left, budget)
            hints = self._hints.setdefault((asset.id, curve is None), [])
            res = most_vulnerable_path(
                self.problem(asset, slot, perturb, curve),
                max_work=min(MAX_WORK, left),
                max_work_mean=min(MAX_WORK_MEAN, left),
                bound=False,  # (only the week's answer needs one: ``grouped`` adds it)
                hints=hints,
            )
            if res.path and res.path not in hints:
                hints.insert(0, res.path)
                del hints[HINTS:]
            self._left[asset.id] = self._left_of(asset) - res.work
            self._cache[key] = res if before is None else better(before, res)
        return self._cache[key]


def _partition(sets: list[frozenset[int]]) -> dict[int, int]:
    """Each slot of the week -> the number of its class, where slots are in one class when
    every one of ``sets`` holds both or neither (classes numbered by their first slot): the
    week split set by set, not each slot tested against every set."""
    classes = [frozenset(range(schedule.WEEK))]
    for s in sets:
        split = []
        for c in classes:
            inside = c & s
            if inside and len(inside) < len(c):
                split += [inside, c - inside]
            else:
                split.append(c)
        classes = split
    out: dict[int, int] = {}
    for number, c in enumerate(sorted(classes, key=min)):
        out.update(dict.fromkeys(c, number))
    return out


def _step(el: Any, v: Value, perturb: tuple[float, float] | None) -> Step:
    """``v`` as a search step; ``perturb`` = (delay factor, p shift) applies to what the site
    file leaves to defaults."""
    if perturb is None:
        return v.step()
    factor = perturb[0] if default_delay(el) else 1.0
    shift = perturb[1] if getattr(el, "p_detect", None) is None else 0.0
    return v.step(factor, shift)


def _why_off(an: Analyzer, source_id: str, slot: int) -> str:
    section = an.site.kind_of(source_id)
    if section == "checkpoints":
        return f"{source_id} unmanned"
    if section == "cameras":
        src = cast("Camera", an.site.get(source_id))
        if src.status != "working":
            return f"{source_id} {src.status}"
        if src.station is not None:
            return f"{source_id} unwatched ({src.station} not staffed)"
        if not (src.monitored or src.motion_alarm):
            return f"{source_id} watched by nobody"
        return f"{source_id} blind in the dark"
    if section == "sensors":
        status = cast("Sensor", an.site.get(source_id)).status
        return f"{source_id} {status if status != 'working' else 'not monitored'}"
    return source_id


def least_p_interruption(
    site: Site, *, at: str | None = None, values: ElementValues | None = None
) -> float | None:
    """The least P(I) of any asset (``analyse``'s least ``p_interruption``, the same figure)
    without the paths: what a summary table shows of a site whose report is not written.
    The assets' searches are ``analyse``'s (each asset's work its own, so the order does
    not matter), stopping at the first 0: nothing is below it. None: no asset."""
    an = Analyzer(site, None, values)
    slots = schedule.moment(at)
    least: float | None = None
    for asset in site.assets:
        found = an.grouped(asset, list(slots), enough=0.0)
        value = round(min(_pi(res) for _, res in found), 6)
        least = value if least is None else min(least, value)
        if least <= 0.0:
            break
    return least


def analyse(
    site: Site,
    *,
    at: str | None = None,
    asset_id: str | None = None,
    threat: Any = None,
    values: ElementValues | None = None,
) -> SiteAnalysis:
    """Worst path, profile and worst window of every asset (or one), over the week or ``at``,
    against the base adversary or ``threat``; ``values``: the site's element values where the
    caller holds them already (the rules do: one coverage of the site serves both)."""
    an = Analyzer(site, threat, values)
    slots = schedule.moment(at)
    assets = [a for a in site.assets if asset_id is None or a.id == asset_id]
    out = []
    for asset in assets:
        per_slot = an.week(asset, slots)
        out.append(_asset_result(an, asset, per_slot))
    return SiteAnalysis(
        site.site.id,
        site.path,
        an.rft,
        an.rft_sd,
        an.responder,
        site.site.p_comm,
        site.site.goal_p_interruption,
        out,
    )
