"""Path-element values at a given hour: p_detect, delay_s, delay_sd_s, detect_at.

Detection comes from what covers an element at that week slot (guards on
shift, cameras that can see and someone assesses, working sensors), combined
as 1 - prod(1 - p). Delay comes from the barrier (kind, height, topping and
its condition, lock) or the zone's crossing distance. Defaults live in
``audit/data/defaults.yaml`` with their sources; an element's own
``p_detect`` / ``delay_s`` / ``delay_sd_s`` / ``detect_at`` always win.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from audit.analysis.easi import Step, element_step
from audit.site.unknowns import OPEN_GAPS, moot

if TYPE_CHECKING:
    from audit.graph.coverage import Watch
    from audit.site.model import AlarmRoute, Sensor, Site, Station

WEIGHT = {"B": 1.0, "M": 0.5, "E": 0.0}


@dataclass(frozen=True)
class Value:
    """What the EASI model needs of one path element at one moment."""

    id: str
    kind: str
    p_detect: float
    delay_s: float
    delay_sd_s: float
    detect_at: str
    """Where detection happens: B, M or E, or several joined ("B+E")."""
    points: tuple[tuple[str, float], ...] = ()
    """Detection probability at each point, ((B|M|E, p), ...), in path order."""

    @property
    def weight(self) -> float:
        return WEIGHT[self.detect_at.split("+")[0]]

    def step(self, delay_factor: float = 1.0, p_shift: float = 0.0) -> Step:
        """The EASI step (a ``Composite`` when detected at several points); the factor and
        shift are for the sensitivity band."""
        points = [(x, min(1.0, max(0.0, p + p_shift)) if p > 0 else p) for x, p in self.points]
        at = self.detect_at.split("+")[0]
        return element_step(points, self.delay_s * delay_factor, self.delay_sd_s * delay_factor, at)


def combine(points: list[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    """Detections at the same point combined (1 - prod(1 - p)), points in path order."""
    miss: dict[str, float] = {}
    for x, p in points:
        miss[x] = miss.get(x, 1.0) * (1.0 - p)
    return tuple((x, 1.0 - miss[x]) for x in "BME" if x in miss)


def defaults() -> dict[str, Any]:
    """The analysis defaults data file (parsed once)."""
    from audit.site.source import packaged_data

    return packaged_data("defaults.yaml")


class ElementValues:
    """Delay (fixed) and detection (by slot) of every zone and crossing of a site."""

    def __init__(self, site: Site, watch: Watch | None = None) -> None:
        from audit.graph.coverage import Watch

        self.site = site
        self.watch = watch or Watch(site)
        self.d = defaults()
        self._sd = self.d["delay"]["sd_fraction"]["value"]
        self._candidates: dict[str, list[tuple[str, float, frozenset[int]]]] = {}
        self._timed_cache: dict[str, list[tuple[str, float, frozenset[int]]]] = {}
        self.shared: dict[str, Any] = {}
        """What the path analyses of this site share whatever the threat (``paths.Analyzer``:
        the response force, the worst reading, which detectors are on at each slot)."""
        # a plain dict: Site.kind_of goes through pydantic's private-attribute lookup
        self.section = {i: site.kind_of(i) for i in site.elements()}.get

    def delay(self, el: Any, slot: int | None = None) -> tuple[float, float]:
        """Mean and sd of the time to cross ``el`` at ``slot``.

        A gate locked by the hour is judged at ``slot``; with no slot, as locked
        (the figure that holds at every hour is the longer one).
        """
        mean = el.delay_s if el.delay_s is not None else self._default_delay(el, slot)
        sd = el.delay_sd_s if el.delay_sd_s is not None else self._sd * mean
        return float(mean), float(sd)

    def locked(self, el: Any, slot: int | None) -> bool:
        if el.locked is None:  # not recorded: as the watch reads it (audit.site.unknowns)
            return self.watch.yes(None)
        if isinstance(el.locked, bool):
            return el.locked
        return slot is None or slot in self.watch.locked(el)

    def _default_delay(self, el: Any, slot: int | None = None) -> float:
        dd = self.d["delay"]
        section = self.section(el.id)
        if section == "zones":
            z = dd["zones"]
            metres = el.crossing_m if el.crossing_m is not None else z["default_crossing_m"]
            return metres / z["speed_m_s"]
        if section == "walls":
            w = dd["walls"]
            k = w[el.kind]  # fences and walls apart: the source speaks of fences only
            # a wall of unknown height is given no delay for height [assumed]
            above = max(0.0, el.height_m - 2.0) if el.height_m is not None else 0.0
            t = k["base_s"] + above * k["per_metre_above_2m_s"]
            factor = w["topping_condition_factor"][el.topping.condition]
            t += k["topping_s"][el.topping.kind or "none"] * factor  # unrecorded: adds nothing
            t += k["anti_climb_s"] if el.anti_climb else 0.0
            obstructions = el.clear_zone.obstructions if el.clear_zone else []
            if any(o in w["climbable"] for o in obstructions):
                t *= w["climbable_factor"]
            return t
        if section == "gaps":
            g = dd["gaps"]
            # a breach or a cut is open by definition, whatever is recorded of a grille
            sound = el.grille and el.grille_condition == "intact" and el.kind not in OPEN_GAPS
            return g["grille_s"] if sound else g["open_s"][el.kind]
        g = dd["gates"]
        return (g["locked_s"] if self.locked(el, slot) else g["unlocked_s"])[el.kind]

    def point(self, el: Any) -> str:
        """The detection point the site file sets for ``el``, or the default (zones M,
        crossings B)."""
        if getattr(el, "detect_at", None) is not None:
            return el.detect_at
        da = self.d["detect_at"]
        return da["zones"] if self.section(el.id) in ("zones", "assets") else da["edges"]

    def points(self, el: Any, slot: int) -> tuple[tuple[str, float], ...]:
        """Detection on ``el`` at ``slot`` by point: each detector at its own point.

        A door contact alarms when the door opens (End), a fence sensor when the fence is
        touched (Beginning), a volumetric sensor while the intruder moves through (Middle);
        guards and watched cameras see a barrier attacked from its start and a zone crossed
        half-way (``detect_at`` in ``defaults.yaml``). The site file's ``detect_at`` puts
        every detector of the element at that point; its ``p_detect`` replaces them all.
        """
        own = getattr(el, "p_detect", None)
        if own is not None:
            return ((self.point(el), float(own)),)
        return combine([(at, p) for at, p, slots in self._timed(el) if slot in slots])

    def _timed(self, el: Any) -> list[tuple[str, float, frozenset[int]]]:
        """``candidates`` with each detector's point on ``el`` in place of its id (cached:
        a large site asks for every element at every state)."""
        out = self._timed_cache.get(el.id)
        if out is None:
            out = [(self.timing(el, sid), p, slots) for sid, p, slots in self.candidates(el.id)]
            self._timed_cache[el.id] = out
        return out

    def detect_at(self, el: Any, slot: int | None = None) -> str:
        """Where on ``el`` detection happens at ``slot`` ("B", or "B+E" for several points)."""
        if slot is not None:
            live = [x for x, p in self.points(el, slot) if p > 0.0]
            if live:
                return "+".join(live)
        return self.point(el)

    def timing(self, el: Any, source_id: str) -> str:
        """The point where ``source_id`` detects on ``el``."""
        if getattr(el, "detect_at", None) is not None:
            return el.detect_at
        return self._timing(source_id, self.section(el.id) in ("zones", "assets"))

    def _timing(self, source_id: str, zone: bool) -> str:
        da = self.d["detect_at"]
        if self.section(source_id) == "sensors":
            kind = cast("Sensor", self.site.get(source_id)).kind
            return da["sensors"]["zone" if zone else "barrier"].get(kind, "M" if zone else "B")
        return da["watch"]["zone" if zone else "barrier"]

    def candidates(self, element_id: str) -> list[tuple[str, float, frozenset[int]]]:
        """(source id, probability, week slots it detects) for all that cover ``element_id``."""
        if element_id in self._candidates:
            return self._candidates[element_id]
        det = self.d["detection"]
        w = self.watch
        out: list[tuple[str, float, frozenset[int]]] = []
        for cp in w.covering(element_id, "checkpoints"):
            p = cp.p_detect if cp.p_detect is not None else det["guard_post"]["p"]
            out.append((cp.id, p * self.p_comm(cp), w.staffed(cp)))
        for cp in w.covering(element_id, "posts"):
            out.append((cp.id, det["guard_overlook"]["p"] * self.p_comm(cp), w.staffed(cp)))
        for cam in w.covering(element_id, "cameras"):
            watched = w.yes(cam.monitored) if cam.motion_alarm is not True else cam.monitored
            key = "camera_monitored" if (watched or cam.station) else "camera_motion_alarm"
            p = cam.p_detect if cam.p_detect is not None else det[key]["p"] * self.density(cam)
            station = self.site.get(cam.station) if cam.station else None
            comm = self.p_comm(station) if station is not None else 1.0
            out.append((cam.id, p * comm, w.camera_sees(cam, element_id)))
        for patrol in w.covering(element_id, "patrols"):
            out.append((patrol.id, self.patrol_p(patrol, element_id), w.patrolling(patrol)))
        for sen in w.covering(element_id, "sensors"):
            p = sen.p_detect if sen.p_detect is not None else det["sensors"]["p"][sen.kind]
            if sen.status != "working" or not sen.monitored:
                out.append((sen.id, p, frozenset()))
                continue
            on_site = w.assessed(element_id)
            out.append((sen.id, p, on_site))
            off_site = w.routed(sen) - on_site
            if off_site:  # assessed only by responders the route brings: its P(C) counts
                out.append((sen.id, p * self.route_p_comm(sen.route), w.one(off_site)))
        self._candidates[element_id] = out
        return out

    def density(self, cam: Any) -> float:
        """Assessment factor from a camera's recorded pixel density (IEC 62676-4): 1 at the
        observation density or above, or when not recorded; ``camera_density.detect_only``
        between the detection and observation densities (below detection it sees nobody:
        ``Watch.camera_sees``)."""
        d = self.d["detection"]["camera_density"]
        px = cam.pixel_density_px_m
        return float(d["detect_only"]) if px is not None and px < d["observe_px_m"] else 1.0

    def p_comm(self, source: Any) -> float:
        """P(C) of a post or station relative to the site's ``p_comm``: 1 when it can raise the
        alarm (a radio, a telephone or a duress alarm) or when that is not recorded (unknown is
        not unsafe); ``detection.no_radio`` when the file records no radio and no other means."""
        radio = getattr(source, "radio", None)
        if radio is None and self.watch.worst:
            radio = False  # the worst reading of an unrecorded radio: none
        others = (getattr(source, "duress_alarm", None), getattr(source, "telephone", None))
        if radio is False and True not in others:
            return float(self.d["detection"]["no_radio"]["p_comm"])
        return 1.0

    def route_p_comm(self, route_id: str) -> float:
        """P(C) of an alarm route: the chance every relay passes the alarm on (product);
        a relay whose ``p_comm`` is unrecorded passes it (unknown is not unsafe)."""
        route = cast("AlarmRoute", self.site.get(route_id))
        return math.prod([1.0 if r.p_comm is None else float(r.p_comm) for r in route.relays])

    def patrol_p(self, patrol: Any, element_id: str) -> float:
        """Chance a patrol detects a crossing of ``element_id``: a pass must fall within the
        crossing (uniform arrival: crossing time / interval, at most 1), then detect."""
        d = self.d["detection"]["patrol"]
        p_pass = patrol.p_detect if patrol.p_detect is not None else d["p_pass"]
        crossing_s, _ = self.delay(self.site.get(element_id))
        return p_pass * min(1.0, crossing_s / (patrol.interval_min * 60.0))

    def p_detect(self, el: Any, slot: int) -> float:
        return 1.0 - math.prod(1.0 - p for _, p in self.points(el, slot))

    def unrecorded(self, el: Any, slot: int) -> list[str]:
        """The facts ``el``'s value at ``slot`` rests on that the file leaves out, read as
        ``audit.site.unknowns`` says (its lock or topping; the shifts, watching, night view
        and radio of what detects on it then), in words: 'locked of gate "g"'."""
        from audit.site.model import SINGULAR

        section = self.section(el.id)
        out = [(el, f) for f in OWN_FACTS.get(section or "", ()) if _left_out(el, f)]
        if getattr(el, "p_detect", None) is None:
            for sid, p, slots in self.candidates(el.id):
                if p <= 0.0 or slot not in slots:
                    continue
                src = self.site.get(sid)
                facts = [
                    f for f in SOURCE_FACTS.get(self.section(sid) or "", ()) if _left_out(src, f)
                ]
                out += [(src, f) for f in facts]
                station = cast("Station | None", self.site.get(getattr(src, "station", None) or ""))
                if station is not None and station.shifts is None:
                    out.append((station, "shifts"))
        return [
            f'{f} of {SINGULAR.get(self.section(e.id) or "", "element")} "{e.id}"' for e, f in out
        ]

    def task(self, asset: Any, slot: int) -> Value:
        """The adversary's task at ``asset`` as a path element of its own: its time, and the
        detection of whatever covers the asset then, or else of the asset's zone (the
        detectors there keep watching while the adversary works)."""
        watched = asset if self.candidates(asset.id) else self.site.get(asset.zone)
        return make_value(
            asset.id, "task", self.points(watched, slot), asset.task_s, asset.task_sd_s,
            self.point(watched),
        )  # fmt: skip

    def value(self, el: Any, slot: int) -> Value:
        mean, sd = self.delay(el, slot)
        kind = "zone" if self.section(el.id) == "zones" else el.kind
        return make_value(el.id, kind, self.points(el, slot), mean, sd, self.point(el))


OWN_FACTS = {"gates": ("locked",), "walls": ("topping.kind", "anti_climb"), "gaps": ("grille",)}
"""Unrecorded facts an element's own delay rests on."""
SOURCE_FACTS = {"checkpoints": ("shifts", "radio"), "cameras": ("monitored", "night")}
"""Unrecorded facts a detector's detection rests on."""


def _left_out(el: Any, fact: str) -> bool:
    """Whether ``fact`` of ``el`` is unrecorded where it matters to the path analysis."""
    if moot(el, fact):
        return False
    if fact == "topping.kind":
        return el.topping.kind is None
    return getattr(el, fact) is None


def make_value(
    el_id: str, kind: str, points: tuple, delay: float, sd: float, default_at: str
) -> Value:
    """A ``Value`` from detection by point; with no detection, at ``default_at``."""
    live = [x for x, p in points if p > 0.0]
    p = 1.0 - math.prod(1.0 - q for _, q in points)
    at = "+".join(live) if live else default_at
    return Value(el_id, kind, p, float(delay), float(sd), at, tuple(points))


def responder(site: Site) -> tuple[float, float, str | None]:
    """(response_s, response_sd_s, id) of the fastest responder; no responder never arrives."""
    if not site.responders:
        return float("inf"), 0.0, None
    r = min(site.responders, key=lambda r: (r.response_s, r.id))
    return float(r.response_s), float(r.response_sd_s), r.id
