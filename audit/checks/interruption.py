"""Checks on the adversary path analysis (EASI): probability of interruption and timeliness."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from audit.checks import Context, Hit, Params, check
from audit.common.numbers import ratio

if TYPE_CHECKING:
    from audit.analysis.paths import Analyzer
    from audit.site.model import Asset


class GoalParams(Params):
    goal: float | None = Field(
        None, ge=0.0, le=1.0, description="Lowest acceptable P(I); default: the site's goal."
    )
    shortfall: dict[str, float] = Field(
        default_factory=lambda: {"critical": 0.3, "high": 0.1},
        description="Severity by how far the result falls short of the goal (goal minus P): "
        "at or above each figure, that severity; below them all, medium [assumed]. A result "
        "whose sensitivity band reaches the goal (the verdict rests on defaults) is one step "
        "lower, never below medium; never above the rule's own severity.",
    )
    ceiling: dict[str, str] = Field(
        default_factory=lambda: {"low": "medium", "medium": "high"},
        description="With no threat declared the P(I) goal is one figure for every asset, "
        "whatever its value: the severity of an asset of these values is at most this "
        "[assumed: severity weighs the consequence, the asset's value, as well as the "
        "shortfall]. P(E) goals already follow the value, so they are not capped.",
    )


def judge(shortfall: float, rests: bool, bands: dict[str, float]) -> str:
    """The severity of a result ``shortfall`` below its goal: by the bands, then one step
    lower (never below medium) when it ``rests`` on defaults that can move it to the goal."""
    order = ("critical", "high", "medium")
    severity = next(
        (s for s, least in sorted(bands.items(), key=lambda kv: -kv[1]) if shortfall >= least),
        "medium",
    )
    if rests and severity in order[:-1]:
        severity = order[order.index(severity) + 1]
    return severity


def _at_most(severity: str, ceiling: str | None) -> str:
    """``severity``, lowered to ``ceiling`` where one is given and it is lower."""
    order = ("critical", "high", "medium", "low", "info")
    if ceiling in order and order.index(ceiling) > order.index(severity):
        return ceiling
    return severity


def _unanswered(ctx: Context) -> bool:
    """The file does not write ``responders:`` at all: who responds is not recorded (a file
    that writes ``responders: []`` records that nobody does)."""
    return not ctx.site.responders and "responders" not in ctx.site.model_fields_set


def _no_response(asset: str, name: str, result: str, goal: float) -> Hit:
    return Hit(
        asset,
        f'asset "{name}": {result} is below the goal {goal:g}, but the site file does not '
        "record who responds to an alarm (responders:), and the result rests on it",
        gap=True,
    )


def _facts(unrecorded: list[str]) -> str:
    """The unrecorded facts a result rests on, for its message ('' when none)."""
    if not unrecorded:
        return ""
    shown = ", ".join(unrecorded[:6]) + (
        f" and {len(unrecorded) - 6} more" if unrecorded[6:] else ""
    )
    return f"; it rests on facts the file does not record (facts to survey): {shown}"


def _high_end(ctx: Context, asset_id: str, slot: int) -> float:
    """P(I) at the high end of the sensitivity band (``effectiveness.BAND``) at ``slot``."""
    from audit.analysis.asset_paths import _pi
    from audit.analysis.effectiveness import BAND

    return _pi(ctx.analyzer.search(ctx.site.get(asset_id), slot, BAND[1]))


@check("interruption", GoalParams, uses=("analysis", "effectiveness"))
def interruption(ctx: Context, params: GoalParams) -> Iterator[Hit]:
    """Fires on an asset whose most vulnerable path falls below the goal at some hour: P(E)
    against each declared threat (goal by the asset's value), or P(I) when none is declared."""
    if ctx.site.threats:
        yield from _effectiveness(ctx, params)
        return
    from audit.analysis.asset_paths import weakest

    goal = params.goal if params.goal is not None else ctx.site.site.goal_p_interruption
    for a in ctx.analysis.assets:
        if not a.path and a.start != a.zone:
            if any(z.controlled_by != "own" for z in ctx.site.zones):  # else SA-DATA-001 says so
                yield Hit(a.asset, f'asset "{a.name}": ' + "; ".join(a.reasons), gap=True)
            continue
        if a.p_interruption >= goal:
            continue
        if _unanswered(ctx):
            yield _no_response(a.asset, a.name, f"P(I) {a.p_interruption:.3f}", goal)
            continue
        cdp = next(
            (i for i, s in enumerate(a.path) if s.element == a.critical_detection_point), None
        )
        w = weakest(a, cdp)
        high = _high_end(ctx, a.asset, a.slot)
        shortfall = goal - a.p_interruption
        yield Hit(
            a.asset,
            f'asset "{a.name}": worst P(I) {a.p_interruption:.3f} '
            + (
                "at every hour"
                if a.worst_window == "all day"
                else f"at {a.at} (lowest {a.worst_window})"
            )
            + f", below the goal {goal:g}, on the path {a.route}"
            + (f"; weakest element: {w.element} (p_detect {w.p_detect:g})" if w else "")
            + (
                f"; its sensitivity band reaches the goal (up to {high:.3f})"
                if high >= goal
                else ""
            )
            + _facts(a.unrecorded),
            evidence="; ".join(a.reasons),
            data={
                "p_interruption": a.p_interruption,
                "at": a.at,
                "route": a.route,
                "shortfall": round(shortfall, 6),
                "band_high": round(high, 6),
                "unrecorded": a.unrecorded,
            },
            severity=_at_most(
                judge(shortfall, high >= goal, params.shortfall),
                params.ceiling.get(getattr(ctx.site.get(a.asset), "value", "")),
            ),
        )


def _effectiveness(ctx: Context, params: GoalParams) -> Iterator[Hit]:
    """One hit per asset and threat below its P(E) goal (grouped into one finding per asset)."""
    for t in ctx.effectiveness:
        for a in t.assets:
            goal = params.goal if params.goal is not None else a.goal
            if not a.exposed or a.p_effectiveness >= goal:
                continue
            if a.paths is not None and not a.paths.path and a.paths.start != a.paths.zone:
                if any(z.controlled_by != "own" for z in ctx.site.zones):
                    yield Hit(a.asset, f'asset "{a.name}": ' + "; ".join(a.reasons), gap=True)
                continue
            if _unanswered(ctx):
                yield _no_response(a.asset, a.name, f"P(E) {a.p_effectiveness:.3f}", goal)
                continue
            rests = f"; rests on defaults: {', '.join(a.defaulted[:6])}" if a.defaulted else ""
            unrecorded = a.paths.unrecorded if a.paths is not None else []
            shortfall = goal - a.p_effectiveness
            yield Hit(
                a.asset,
                f'asset "{a.name}" against {t.threat}: P(E) {a.p_effectiveness:.3f} = P(I) '
                f"{a.p_interruption:.3f} x P(N) {ratio(a.p_neutralization)} "
                + ("at every hour" if a.window == "all day" else f"at {a.at} (lowest {a.window})")
                + ", below the "
                f"goal {goal:g} (band {a.band[0]:.3f}-{a.band[1]:.3f}), on the path {a.route}"
                + ("; its sensitivity band reaches the goal" if a.band[1] >= goal else "")
                + _facts(unrecorded),
                evidence="; ".join(a.reasons) + rests,
                data={
                    "threat": t.threat,
                    "p_interruption": a.p_interruption,
                    "p_neutralization": a.p_neutralization,
                    "p_effectiveness": a.p_effectiveness,
                    "band": list(a.band),
                    "at": a.at,
                    "route": a.route,
                    "shortfall": round(shortfall, 6),
                    "unrecorded": unrecorded,
                },
                severity=judge(shortfall, a.band[1] >= goal, params.shortfall),
            )


@check("delay_vs_response")
def delay_vs_response(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on an asset reachable faster than the response force arrives: even detection
    at the very first element cannot be in time on that path."""
    an = ctx.analyzer
    if not an.starts:
        return
    quickest = Quickest(an)
    # the response depends on the slot only through who is on duty: one slot of each
    by_force: dict[int, int] = {}
    for s in ctx.judged:
        by_force.setdefault(an.slot_id(s)[1], s)
    for asset in ctx.site.assets:
        rft, unit = min(
            (an.response(s, asset.zone)[::2] for s in by_force.values()),
            default=(math.inf, None),
        )
        if math.isinf(rft):
            continue
        found = quickest.to(asset)
        if found is None:
            continue
        total, route, fastest = found
        if total < rft:
            yield Hit(
                asset.id,
                f'asset "{asset.label}" can be reached in {total:.0f} s, less than the '
                f"{rft:g} s the quickest response needs, at all hours: {' -> '.join(route)}; "
                f"quickest crossing: {fastest[0]} ({fastest[1]:g} s)",
                evidence=f"quickest responder at best: {unit}; no detection on this path can be "
                "in time",
            )


class Quickest:
    """Least-delay paths from the public side to every zone (one Dijkstra for all assets;
    delays do not vary by hour)."""

    def __init__(self, an: Analyzer) -> None:
        self.an = an
        zone_delay = {z.id: an.values.delay(z)[0] for z in an.site.zones}
        out: dict[str, list[tuple[str, str, float]]] = {}
        for u, v, el, _, _ in an.crossings:
            out.setdefault(u, []).append((v, el.id, an.values.delay(el)[0]))
        self.best: dict[str, float] = {}
        self.prev: dict[str, tuple[str, str] | None] = {}
        # (delay so far, zone, 0 at a start or 1, (the zone before it, the element crossed)
        # or None at a start): on a tie a start comes first, and None is never compared
        # with a pair (two public zones joined by a 0 s opening tie at 0 s)
        heap: list[tuple[float, str, int, tuple[str, str] | None]] = [
            (0.0, s, 0, None) for s in sorted(an.starts)
        ]
        while heap:
            d, u, _, via = heapq.heappop(heap)
            if u in self.best:
                continue
            self.best[u], self.prev[u] = d, via
            for v, eid, t in sorted(out.get(u, [])):
                if v not in self.best:
                    heapq.heappush(heap, (d + t + zone_delay[v], v, 1, (u, eid)))

    def to(self, asset: Asset) -> tuple[float, list[str], tuple[str, float]] | None:
        """(seconds, route, its quickest crossing) to ``asset``, its task included."""
        if asset.zone not in self.best:
            return None
        route = [asset.zone]
        while (via := self.prev[route[-1]]) is not None:
            p, e = via
            route += [e, p]
        route.reverse()
        site = self.an.site
        crossings = [(eid, self.an.values.delay(site.get(eid))[0]) for eid in route[1::2]]
        if not crossings:
            return None  # the asset stands where the adversary starts: SA-EASI-001 reports it
        return self.best[asset.zone] + asset.task_s, route, min(crossings, key=lambda c: c[1])
