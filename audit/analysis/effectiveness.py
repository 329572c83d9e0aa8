"""System effectiveness per threat: P(E), per asset, at every 15-minute slot.

For each threat the site declares, the path analysis runs on the element
values that threat meets (``tactics``), from where it starts, against the
response force on duty (``response``). At each slot the search finds the path
of least P(E) on the engagement timeline (``timeline``: after each detection
point, the units that can arrive in the time left engage in arrival order,
``engagement``); the asset's result is the slot where P(E) is lowest, with
P(I) on the same timeline (some unit in time) and P(N) = P(E) / P(I). A theft
runs on to the getaway (``exits``).

A standoff threat does not enter: it fires from an uncontrolled vantage point
that overlooks the asset (or its building) within the weapon's range. Its path
is that one position, detected by whatever covers the vantage point (a camera
or a post that observes it), with the asset's task time for the response to
reach the vantage point (``response.Response.walk``), where it must engage.

**Sensitivity band.** At the worst slot, P(E) is recomputed with every delay
the site file leaves to defaults at -30 % and +30 % and every defaulted
detection probability at -0.1 and +0.1, and on the engagement side the
model's ``defender_advantage`` at x0.7 and x1.3 and every unit size left to
the default at x0.5 and x1.5 (arms left to the default: unarmed at the low
end). The search runs again each time, so the band is of the most
vulnerable path, not of one path. Inputs that rest on
defaults are listed with each result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from audit.analysis.easi import Step, p_interruption
from audit.analysis.timeline import p_effectiveness, points
from audit.site import schedule

if TYPE_CHECKING:
    from audit.analysis.asset_paths import AssetPaths
    from audit.analysis.elements import ElementValues
    from audit.analysis.paths import Analyzer
    from audit.analysis.search import Result
    from audit.analysis.timeline import Force
    from audit.site.model import Site
    from audit.site.threats import Threat

BAND = ((0.7, -0.1), (1.3, 0.1))
"""(delay factor, p_detect shift) on defaulted values: the low and the high end of the band."""
ENGAGEMENT_BAND = ((0.7, 0.5), (1.3, 1.5))
"""(defender_advantage factor, factor on defaulted unit sizes) at the same two ends; at the
low end a unit whose arms are not recorded is taken as unarmed."""


@dataclass
class ThreatAsset:
    """One asset against one threat, at its worst moment."""

    asset: str
    name: str
    value: str
    goal: float
    p_interruption: float
    p_neutralization: float | None
    """P(E) / P(I): None where nothing on the path detects (P(I) 0: 0/0, not 0)."""
    p_effectiveness: float
    at: str
    route: str
    exact: bool
    exposed: bool = True
    window: str = ""
    """Times of day P(E) is at its worst (on some day): "all day", or the spans."""
    profile: list[dict[str, Any]] = field(default_factory=list)
    """P(E) at each time of day judged, on the worst day for it."""
    band: tuple[float, float] = (0.0, 0.0)
    units: list[dict[str, Any]] = field(default_factory=list)
    """Every unit that can respond then, in arrival order."""
    timeline: list[dict[str, Any]] = field(default_factory=list)
    """Per detection point of the path: the units in time and the P(N) they give."""
    defaulted: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    paths: AssetPaths | None = None
    lower: float | None = None
    """A proven lower bound on P(I) where a search stopped at its budget (else None)."""


@dataclass
class ThreatAnalysis:
    """Every asset against one declared threat (``spec``: its attributes, site values applied)."""

    spec: Threat
    assets: list[ThreatAsset]

    @property
    def threat(self) -> str:
        return self.spec.id


def goal_for(site: Site, value: str) -> float:
    """The P(E) goal of an asset of ``value``: the site's, or the shipped default by value."""
    from audit.analysis.elements import defaults

    own = site.site.goal_p_effectiveness
    if isinstance(own, float | int):
        return float(own)
    if own and value in own:
        return float(own[value])
    return float(defaults()["goals"]["p_effectiveness"][value])


def assess(
    site: Site,
    *,
    at: str | None = None,
    asset_id: str | None = None,
    threat_id: str | None = None,
    values: ElementValues | None = None,
) -> list[ThreatAnalysis]:
    """P(E) of every asset against every declared threat (or one), worst threat first;
    ``values`` as in ``paths.analyse``."""
    from audit.analysis.elements import ElementValues
    from audit.analysis.paths import Analyzer
    from audit.site.threats import declared

    values = values or ElementValues(site)
    slots = schedule.moment(at)
    assets = [a for a in site.assets if asset_id is None or a.id == asset_id]
    out = []
    for threat in declared(site):
        if threat_id is not None and threat.id != threat_id:
            continue
        an = Analyzer(site, threat, values)
        results = [
            _standoff(an, threat, a, slots)
            if threat.kind == "standoff"
            else _enter(an, threat, a, slots)
            for a in assets
        ]
        out.append(ThreatAnalysis(threat, results))
    out.sort(key=lambda t: (min((a.p_effectiveness for a in t.assets), default=1.0), t.threat))
    return out


def _enter(an: Analyzer, threat: Threat, asset: Any, slots: list[int]) -> ThreatAsset:
    from dataclasses import replace

    from audit.analysis.asset_paths import _asset_result, lower_bound

    # one search per (state, units on duty): the slots of a group share it
    found: list[tuple[Result, Force]] = []
    by_slot: dict[int, float] = {}
    worst: tuple[float, int, int] | None = None
    for group, res in an.grouped(asset, slots, lambda slot: an.curve(slot, asset.zone)):
        curve = an.curve(group[0], asset.zone)
        value = _value(res)
        by_slot.update(dict.fromkeys(group, value))
        cand = (value, group[0], len(found))
        worst = cand if worst is None or cand < worst else worst
        found.append((res, curve))
    assert worst is not None, "a week has slots"
    pe, slot, which = worst
    lower = lower_bound([r for r, _ in found])
    res, curve = found[which]
    steps = [v.step() for _, v in an.elements(asset, res, slot)]
    p_comm = an.site.site.p_comm
    easi = (
        replace(res, p_interruption=_easi(an, asset, slot, steps), lower=None)
        if res.path[1:]
        else res
    )
    paths = _asset_result(an, asset, {slot: easi})
    if res.path[1:]:
        pi = p_effectiveness(steps, curve.interruption(), p_comm)
        line = _timeline(an, asset, res, slot, steps, curve)
    else:
        pi, line = _value(res), []
    pn = pe / pi if pi > 0 else None
    # the low end moves every value for the worse (less delay and detection, a weaker
    # response: each only lowers P(E), see ``tests/test_effectiveness.py``), so it is at
    # most P(E): where that rounds to 0, so does the low end, and it needs no search
    band = tuple(
        round(
            _value(an.search(asset, slot, perturb, _band_curve(an, threat, slot, asset.zone, k))), 6
        )
        if res.path[1:] and (k or round(pe, 6))
        else round(pe, 6)
        for k, perturb in enumerate(BAND)
    )
    units = list(curve.units)
    return ThreatAsset(
        asset=asset.id,
        name=asset.label,
        value=asset.value,
        goal=goal_for(an.site, asset.value),
        p_interruption=round(pi, 6),
        p_neutralization=None if pn is None else round(min(1.0, pn), 6),
        p_effectiveness=round(pe, 6),
        at=schedule.label(slot),
        window=_window(by_slot, pe),
        profile=_profile(by_slot),
        route=paths.route,
        # exact where the week's least value is proven: a group stopped at its budget whose
        # bound is above that value does not hold the worst moment (as for P(I))
        exact=lower is None,
        lower=lower,
        band=(min(band), max(band)),
        units=[_unit(u) for u in units],
        timeline=line,
        defaulted=_defaulted(an, asset, res, slot, units),
        reasons=paths.reasons,
        paths=paths,
    )


def _band_curve(an: Analyzer, threat: Threat, slot: int, zone: str, end: int) -> Force:
    """The response at one end of the band: the engagement model's own constant and the
    sizes and arms the site file leaves to defaults moved (``ENGAGEMENT_BAND``)."""
    from dataclasses import replace

    from audit.analysis.timeline import Force

    advantage, size = ENGAGEMENT_BAND[end]
    e = dict(an.force.e)
    e["defender_advantage"] = float(e["defender_advantage"]) * advantage
    units = []
    for u in an.force.units(slot, zone):
        if "size" in u.defaulted:
            u = replace(u, size=max(1, math.ceil(u.size * size)))
        if "armed" in u.defaulted and end == 0:
            u = replace(u, armed=False)
        units.append(u)
    return Force(units, threat.team, an.force.model(threat, e), an.force.break_at(threat))


def _value(res: Result) -> float:
    """The objective a search found; no path at all is unknown, judged as 1 (not unsafe)."""
    return 1.0 if math.isnan(res.p_interruption) else res.p_interruption


def _easi(an: Analyzer, asset: Any, slot: int, steps: list[Step]) -> float:
    rft, rft_sd, _ = an.response(slot, asset.zone)
    return p_interruption(steps, rft, rft_sd, an.site.site.p_comm)


def _timeline(
    an: Analyzer, asset: Any, res: Result, slot: int, steps: list[Step], curve: Force
) -> list[dict[str, Any]]:
    """Per detection point of the worst path: the chance it is the first, the time left after
    it (mean, sd), each unit's chance to arrive in time, and the P(N) they give."""
    ids = [v.id for _, v in an.elements(asset, res, slot)]
    out = []
    for pt in points(steps, curve):
        if pt.p_first <= 0.0:
            continue
        out.append(
            {
                "element": ids[pt.index],
                "p_first_detection": round(pt.p_first, 6),
                "remaining_s": round(pt.remaining_s, 3),
                "remaining_sd_s": round(pt.remaining_sd_s, 3),
                "units": [
                    {"id": u.id, "p_in_time": round(q, 6)}
                    for u, q in zip(curve.units, pt.in_time, strict=True)
                ],
                "p_neutralization": round(pt.value, 6),
            }
        )
    return out


def _profile(by_slot: dict[int, float]) -> list[dict[str, Any]]:
    worst: dict[int, tuple[float, int]] = {}
    for s, pe in by_slot.items():
        tod = s % schedule.PER_DAY
        if tod not in worst or (pe, s) < worst[tod]:
            worst[tod] = (pe, s)
    return [
        {
            "at": schedule.slot_time(tod),
            "day": schedule.DAYS[s // schedule.PER_DAY],
            "p_effectiveness": round(pe, 6),
        }
        for tod, (pe, s) in sorted(worst.items())
    ]


def _window(by_slot: dict[int, float], worst: float) -> str:
    from audit.analysis.asset_paths import _daily_window

    tods = {s % schedule.PER_DAY for s, pe in by_slot.items() if pe <= worst + 1e-9}
    return _daily_window(sorted(tods), len({s % schedule.PER_DAY for s in by_slot}))


def _standoff(an: Analyzer, threat: Threat, asset: Any, slots: list[int]) -> ThreatAsset:
    site = an.site
    zone = site.get(asset.zone)
    building = getattr(zone, "building", None)
    targets = {asset.zone} | (
        {z.id for z in site.zones if building and z.building == building} if building else set()
    )
    points = [
        vp
        for vp in site.vantage_points
        if not vp.controlled
        and targets & set(vp.overlooks)
        and (vp.distance_m is None or vp.distance_m <= threat.range_m)
    ]
    goal = goal_for(site, asset.value)
    if not points:
        return ThreatAsset(
            asset.id, asset.label, asset.value, goal, 1.0, 1.0, 1.0, "", "", True,
            exposed=False, band=(1.0, 1.0),
            reasons=[f"no uncontrolled vantage point within {threat.range_m:g} m overlooks it"],
        )  # fmt: skip
    best: tuple[float, int, str, list[Step], Force] | None = None
    p_comm = site.site.p_comm
    for s in slots:
        for vp in points:
            # the response must reach the firing position, not the asset
            curve = an.force.curve(threat, s, vp.id)
            step = [Step(an.tv.p_detect(vp, s), asset.task_s, asset.task_sd_s, 1.0)]
            pe = p_effectiveness(step, curve, p_comm)
            cand = (pe, s, vp.id, step, curve)
            if best is None or cand[:3] < best[:3]:
                best = cand
    assert best is not None, "a week has slots, and there is a vantage point"
    pe, slot, vp_id, step, curve = best
    pi = p_effectiveness(step, curve.interruption(), p_comm)
    pn = pe / pi if pi > 0 else 0.0
    units = list(curve.units)
    return ThreatAsset(
        asset.id,
        asset.label,
        asset.value,
        goal,
        round(pi, 6),
        round(pn, 6),
        round(pe, 6),
        schedule.label(slot),
        f"{vp_id} -> {asset.zone}",
        True,
        band=(round(pe, 6), round(pe, 6)),
        units=[_unit(u) for u in units],
        reasons=[
            f"fire from {vp_id}, which overlooks {asset.zone} and is not under the site's "
            f"control; the response has {asset.task_s:g} s (the task) to reach it"
        ],
    )


def _unit(u: Any) -> dict[str, Any]:
    return {
        "id": u.id,
        "kind": u.kind,
        "response_s": round(u.response_s, 3),
        "response_sd_s": round(u.response_sd_s, 3),
        "size": u.size,
        "armed": u.armed,
    }


def _defaulted(an: Analyzer, asset: Any, res: Any, slot: int, units: list[Any]) -> list[str]:
    from audit.analysis.paths import default_delay

    out = []
    for el, v in an.elements(asset, res, slot):
        if default_delay(el):
            out.append(f"delay of {el.id}")
        if getattr(el, "p_detect", None) is None and v.p_detect > 0.0:
            out.append(f"p_detect of {el.id}")
    for u in units:
        out += [f"{f} of {u.id}" for f in u.defaulted]
    return out
