"""What the path analysis reports of each asset: its worst path element by element, the
24-hour profile, the moment and why, and a bound where a search stopped (``paths`` finds
the paths; this turns one asset's per-slot results into the figures a report shows)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from audit.analysis.easi import critical_detection_point, cumulative
from audit.analysis.search import Result
from audit.site import schedule

if TYPE_CHECKING:
    from audit.analysis.paths import Analyzer


@dataclass
class PathStep:
    element: str
    kind: str
    p_detect: float
    delay_s: float
    delay_sd_s: float
    detect_at: str
    remaining_s: float
    p_response: float
    cumulative_p_interruption: float
    detection: str


@dataclass
class AssetPaths:
    asset: str
    name: str
    zone: str
    value: str
    p_interruption: float
    at: str
    slot: int
    start: str
    path: list[PathStep]
    critical_detection_point: str | None
    method: str
    exact: bool
    total_delay_s: float
    profile: list[dict[str, Any]] = field(default_factory=list)
    worst_window: str = ""
    reasons: list[str] = field(default_factory=list)
    unrecorded: list[str] = field(default_factory=list)
    """Facts the result at the worst moment rests on that the file leaves out (read as
    ``audit.site.unknowns`` says; the sensitivity band's low end reads them at their worst)."""
    responder: str | None = None
    """The responder on duty at the worst moment (the fastest one then)."""
    response_s: float | None = None
    response_sd_s: float = 0.0
    lower: float | None = None
    """Where a search stopped at its budget: a proven lower bound on the worst P(I) (the
    true minimum lies between it and ``p_interruption``). None: exact."""

    @property
    def route(self) -> str:
        return " -> ".join([self.start, *(s.element for s in self.path)])


@dataclass
class SiteAnalysis:
    site: str
    file: str
    response_s: float
    response_sd_s: float
    responder: str | None
    p_comm: float
    goal: float
    assets: list[AssetPaths]


def lower_bound(results: Iterable[Result]) -> float | None:
    """The proven lower bound on the least P(I) of ``results`` (one per slot), rounded down
    as reported; None when every one is exact, or the bounds meet the least value found."""
    if all(r.exact for r in results):
        return None
    worst = min(_pi(r) for r in results)
    low = min(_pi(r) if r.lower is None else r.lower for r in results)
    if low >= worst - 1e-12:
        return None
    return math.floor(low * 1e6) / 1e6


def _method(per_slot: dict[int, Result], worst_slot: int, lower: float | None) -> str:
    """How the reported value was found. Where the week is bounded (``lower``) but the
    worst slot's own search was exact, the bound comes from another slot: say which and
    how, so that "exact: false" never stands beside a method that says "exact"."""
    res = per_slot[worst_slot]
    if lower is None or not res.exact:
        return res.method
    slot, bounded = min(
        ((s, r) for s, r in per_slot.items() if not r.exact),
        key=lambda sr: (sr[1].lower if sr[1].lower is not None else _pi(sr[1]), sr[0]),
    )
    return (
        f"{bounded.method} (at {schedule.label(slot)}; at {schedule.label(worst_slot)}, where "
        f"the lowest value was found, {res.method})"
    )


def _pi(r: Result) -> float:
    return 1.0 if math.isnan(r.p_interruption) else r.p_interruption


def _asset_result(an: Analyzer, asset: Any, per_slot: dict[int, Result]) -> AssetPaths:
    # each slot's P(I) read once, as ``_pi`` reads it, with no call per slot: a week has 672
    # slots and this runs for every asset against every threat
    pis = [
        (1.0 if math.isnan(r.p_interruption) else r.p_interruption, s) for s, r in per_slot.items()
    ]
    worst_slot = min(pis)[1]
    res = per_slot[worst_slot]
    lower = lower_bound(per_slot.values())
    by_tod: dict[int, tuple[float, int]] = {}
    for cand in pis:
        tod = cand[1] % schedule.PER_DAY
        if tod not in by_tod or cand < by_tod[tod]:
            by_tod[tod] = cand
    profile = [
        {
            "at": schedule.slot_time(tod),
            "day": schedule.DAYS[s // schedule.PER_DAY],
            "p_interruption": round(p, 6),
        }
        for tod, (p, s) in sorted(by_tod.items())
    ]
    steps, path = _path_steps(an, asset, res, worst_slot)
    rft, rft_sd, responder_id = an.response(worst_slot, asset.zone)
    cdp = critical_detection_point(steps, rft) if steps else None
    worst = _pi(res)
    low = [tod for tod, (p, _) in by_tod.items() if p <= worst + 1e-9]
    result = AssetPaths(
        asset=asset.id,
        name=asset.name or asset.id,
        zone=asset.zone,
        value=asset.value,
        p_interruption=round(worst, 6),
        at=schedule.label(worst_slot),
        slot=worst_slot,
        start=res.path[0] if res.path else "",
        path=path,
        critical_detection_point=path[cdp].element if cdp is not None else None,
        method=_method(per_slot, worst_slot, lower),
        exact=lower is None,
        lower=lower,
        total_delay_s=round(sum(s.t for s in steps), 3),
        profile=profile,
        worst_window=_daily_window(low, len(by_tod)),
        responder=responder_id,
        response_s=None if math.isinf(rft) else rft,
        response_sd_s=rft_sd,
    )
    result.unrecorded = _unrecorded(an, asset, res, worst_slot)
    result.reasons = _reasons(an, result, cdp)
    return result


def _unrecorded(an: Analyzer, asset: Any, res: Result, slot: int) -> list[str]:
    """The unrecorded facts the path found at ``slot`` rests on, in path order."""
    out: list[str] = []
    for el, _ in an.elements(asset, res, slot):
        if el is asset and not an.values.candidates(asset.id):
            el = an.site.get(asset.zone)  # the task is watched as its zone is
        out += an.values.unrecorded(el, slot)
        rammed = an.threat is not None and an.threat.kind == "vehicle"
        if rammed and getattr(el, "kind", "") == "vehicle_gate" and el.vehicle_barrier is None:
            out.append(f'vehicle_barrier of gate "{el.id}"')
    return list(dict.fromkeys(out))


def _path_steps(an: Analyzer, asset: Any, res: Result, slot: int) -> tuple[list, list]:
    values = an.elements(asset, res, slot)
    steps = [v.step() for _, v in values]
    rft, rft_sd, _ = an.response(slot, asset.zone)
    cum = cumulative(steps, rft, rft_sd, an.site.site.p_comm)
    path = [
        PathStep(
            element=v.id,
            kind=v.kind,
            p_detect=round(v.p_detect, 6),
            delay_s=round(v.delay_s, 3),
            delay_sd_s=round(v.delay_sd_s, 3),
            detect_at=v.detect_at,
            remaining_s=round(rem, 3),
            p_response=round(pr, 6),
            cumulative_p_interruption=round(c, 6),
            detection=an.detection(el, slot),
        )
        for (el, v), (pr, rem, c) in zip(values, cum, strict=True)
    ]
    return steps, path


def _daily_window(tods: list[int], judged: int) -> str:
    if judged < schedule.PER_DAY:
        return ", ".join(schedule.slot_time(t) for t in sorted(tods))
    if len(tods) == schedule.PER_DAY:
        return "all day"
    present = set(tods)
    runs = []
    for t in sorted(present):
        if (t - 1) % schedule.PER_DAY in present:
            continue
        n = 0
        while (t + n) % schedule.PER_DAY in present:
            n += 1
        end = (t + n) % schedule.PER_DAY
        runs.append(f"{schedule.slot_time(t)}-{'24:00' if end == 0 else schedule.slot_time(end)}")
    return ", ".join(runs)


def weakest(result: AssetPaths, cdp: int | None) -> PathStep | None:
    """The element to strengthen first: least detection at or before the CDP, earliest on ties."""
    if not result.path:
        return None
    upto = result.path[: (cdp + 1) if cdp is not None else len(result.path)]
    return min(upto, key=lambda s: s.p_detect)


def _reasons(an: Analyzer, r: AssetPaths, cdp: int | None) -> list[str]:
    if not r.path:
        if r.start == r.zone:
            return ["the asset is in a public zone: nothing stands between it and an adversary"]
        if not an.starts:
            return [
                "the site names no public zone, so no adversary path can be judged: "
                "P(I) is unknown, not 1"
            ]
        return [
            f"no recorded way leads from a public zone to {r.zone}: P(I) is unknown, not 1 "
            "(a gate, door or opening is missing from the file, or a between: is inside-out)"
        ]
    out = []
    if r.start == r.zone:
        out.append(
            "the asset is in a public zone: nothing stands between it and an adversary "
            "but the time its task takes"
        )
    rft, rft_sd, _ = an.response(r.slot, r.zone)
    if math.isinf(rft):
        out.append(
            "no responder is on duty at this hour: nobody can interrupt"
            if an.site.responders
            else "the site names no responders: nobody can interrupt"
        )
        return out
    out.append(
        f"the path takes {r.total_delay_s:g} s in all; the response takes {rft:g} s "
        f"(sd {rft_sd:g} s) after an alarm"
    )
    if cdp is None:
        out.append(
            "no element leaves enough time for the response: even detection at the first "
            "element is too late; detect earlier (on the approach, before the first barrier) "
            "and add delay after that point, or bring the response closer (delay before the "
            "first detection adds nothing)"
        )
    else:
        before = r.path[: cdp + 1]
        blind = [s.element for s in before if s.p_detect == 0.0]
        out.append(
            f"the critical detection point is {r.path[cdp].element}: detection after it "
            "leaves less time than the response needs"
        )
        if blind:
            out.append(
                f"up to it, {len(blind)} of {len(before)} elements have no detection at "
                f"{r.at}: {', '.join(blind)}"
            )
    w = weakest(r, cdp)
    if w is not None:
        out.append(f"weakest element: {w.element} (p_detect {w.p_detect:g}; {w.detection})")
    if r.unrecorded:
        out.append(
            "it rests on facts the file does not record, read as the path analysis assumes "
            "(README, Unknown is not unsafe): " + ", ".join(r.unrecorded)
        )
    return out
