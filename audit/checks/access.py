"""Graph checks over the access graph: unobserved ways in, roof access, light switches."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from pydantic import Field

from audit.checks import (
    Context,
    Hit,
    Params,
    caused_by,
    check,
    unknown_hit,
    unrecorded_of,
    watcher_facts,
)
from audit.checks.perimeter import describe
from audit.graph.coverage import ALL, OUTSIDE_KINDS, Watch


def public_zones(ctx: Context) -> list[str]:
    return [z.id for z in ctx.site.zones if z.kind in OUTSIDE_KINDS]


def unseen_reach(
    ctx: Context, slot: int, watch: Watch | None = None
) -> dict[str, tuple[str, str] | None]:
    """Every zone reachable from a public zone crossing nothing that observes at week slot
    ``slot`` (as ``watch`` reads the site: ``ctx.watch`` unless given), with the (zone,
    element) it is first reached through (None: a start)."""
    g = ctx.graph
    watch = watch or ctx.watch
    starts = public_zones(ctx)
    prev: dict[str, tuple[str, str] | None] = {s: None for s in starts}
    queue = deque(starts)
    while queue:
        u = queue.popleft()
        for _, v, key in g.out_edges(u, keys=True):
            if v in prev or slot in watch.observed(key) or slot in watch.observed(v):
                continue
            prev[v] = (u, key)
            queue.append(v)
    return prev


def _unseen_by_slot(ctx: Context, watch: Watch) -> dict[int, dict[str, tuple[str, str] | None]]:
    """``unseen_reach`` at every slot judged (in slot order); slots that share a state share
    one search. A slot's state is which of the few distinct observed slot sets hold it: the
    judged slots are split by each set in turn (set operations, not a test of every slot
    against every set), and each part is searched at one of its slots."""
    parts = [frozenset(ctx.judged)]
    for slots in set(watch.observed_map.values()):
        parts = [p for part in parts for p in (part & slots, part - slots) if p]
    by_slot = {}
    for part in parts:
        reach = unseen_reach(ctx, min(part), watch)
        by_slot.update(dict.fromkeys(part, reach))
    return dict(sorted(by_slot.items()))


def _route(prev: dict[str, tuple[str, str] | None], target: str) -> list[str] | None:
    """The shortest unseen route to ``target`` (zones and elements), or None."""
    if target not in prev:
        return None
    route = [target]
    while (via := prev[route[-1]]) is not None:
        zone, element = via
        route += [element, zone]
    return route[::-1]


@check("unobserved_path")
def unobserved_path(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on an asset reachable from a public zone crossing no staffed post, watched
    camera or sensor: a path on which detection, hence interruption, is impossible.

    Slots with the same set of observed elements share one search, and one search (from the
    public side over the whole site) answers for every asset."""
    by_slot = _unseen_by_slot(ctx, ctx.watch)
    worst: dict[int, dict[str, tuple[str, str] | None]] | None = None
    for asset in ctx.site.assets:
        open_slots = [slot for slot, prev in by_slot.items() if asset.zone in prev]
        if not open_slots:
            worst = worst if worst is not None else _unseen_by_slot(ctx, ctx.worst)
            doubt = [slot for slot, prev in worst.items() if asset.zone in prev]
            if doubt:
                route = _route(worst[doubt[0]], asset.zone) or []
                facts = [f for el_id in route for f in watcher_facts(ctx, el_id)]
                yield unknown_hit(
                    asset.id, facts, f'whether asset "{asset.label}" can be reached unseen '
                    f"cannot be judged: {' -> '.join(route)} is watched only by them",
                )  # fmt: skip
            continue
        if open_slots:
            example = _route(by_slot[open_slots[0]], asset.zone)
            when = ctx.when(open_slots)
            yield Hit(
                asset.id,
                f'asset "{asset.label}" in {asset.zone} can be reached unseen {when}: '
                + " -> ".join(example or []),
                evidence="no staffed checkpoint, watched camera or sensor on the route",
                data={"windows": when, "route": example},
            )


def _reachable(g: Any, starts: list[str]) -> set[str]:
    """Every zone reachable from any of ``starts``: one breadth-first search from all of them
    (not one per start: an estate has hundreds of public roads)."""
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for v in g.successors(queue.popleft()):
            if v not in seen:
                seen.add(v)
                queue.append(v)
    return seen


def _reaching(g: Any, zone: str, starts: list[str], most: int = 5) -> str:
    """The public zones from which ``zone`` can be reached, in words (a start that connects
    to nothing, such as a building across the road, is not one of them)."""
    import networkx as nx

    before = nx.ancestors(g, zone)
    found = sorted(s for s in starts if s in before)
    more = f" and {len(found) - most} more" if len(found) > most else ""
    return ", ".join(found[:most]) + more


class RoofParams(Params):
    require_locked: bool = True
    require_observed: bool = True


@check("roof_access", RoofParams)
def roof_access(ctx: Context, params: RoofParams) -> Iterator[Hit]:
    """Fires on a way onto a roof that is open (neither locked nor manned, by the hour) or
    unobserved; a post at the way or on the roof (a sentry on a tower) mans it."""
    g = ctx.graph
    starts = public_zones(ctx)
    reachable = _reachable(g, starts)
    for zone in ctx.site.zones:
        if zone.kind != "roof" or zone.id not in reachable:
            continue
        for u, _, key in sorted(g.in_edges(zone.id, keys=True)):
            if ctx.watch.zone_kind(u) == "roof":
                continue
            el = ctx.site.get(key)
            posts = ctx.watch.covering(key, "checkpoints") + ctx.watch.covering(
                zone.id, "checkpoints"
            )
            wrong = _roof_way(ctx, ctx.watch, el, zone.id, posts, params)
            if not wrong and _roof_way(ctx, ctx.worst, el, zone.id, posts, params):
                facts = unrecorded_of(el, "locked") + watcher_facts(ctx, key)
                facts += watcher_facts(ctx, zone.id)
                facts += [f for cp in posts for f in unrecorded_of(cp, "shifts")]
                yield unknown_hit(
                    key, facts, f'whether roof "{zone.label}" is closed to an intruder from {u} '
                    f"through {describe(ctx, el)} cannot be judged",
                )  # fmt: skip
            if wrong:
                # a post meant to hold the way is empty: that post's finding is the lapse
                # (a post manned at every hour would close this one); one lapse, one finding
                cause = caused_by(cp.id for cp in posts)
                yield Hit(
                    key,
                    f'roof "{zone.label}" is reachable from {u} through {describe(ctx, el)}, '
                    + " and ".join(wrong),
                    evidence=f"reachable from public zones: {_reaching(g, zone.id, starts)}",
                    data=cause,
                )


def _roof_way(
    ctx: Context, watch: Watch, el: Any, roof: str, posts: list, params: RoofParams
) -> list[str]:
    """What is wrong with a way onto ``roof`` as ``watch`` reads the site."""
    wrong = []
    manned = frozenset().union(*(watch.staffed(cp) for cp in posts))
    open_hours = ctx.judged - watch.locked(el) - manned
    if params.require_locked and open_hours:
        wrong.append(f"neither locked nor manned {ctx.when(open_hours)}")
    # the rule is about the roof: someone who sees the roof itself sees the intruder
    seen = watch.observed(el.id) | watch.observed(roof)
    blind = ctx.judged - seen - manned
    if params.require_observed and blind:
        wrong.append(f"not observed {ctx.when(blind)}")
    return wrong


class SwitchParams(Params):
    safe_kinds: list[str] = Field(
        default_factory=lambda: ["room"],
        description="Zone kinds that count as a room of their own: safe when every way in is "
        "locked.",
    )


@check("lighting_switch", SwitchParams)
def lighting_switch(ctx: Context, params: SwitchParams) -> Iterator[Hit]:
    """Fires on lighting whose switch an intruder can reach: not locked, and in a zone that is
    open or has a way in that is not locked, at the hours no station is staffed in it (a
    staffed control room keeps the switch under the security force's hand). Where the switch
    is was not recorded: a data gap."""
    for light in ctx.site.lights:
        if light.switch_in is None:
            yield Hit(
                light.id,
                f'the site file does not record where the switch of "{light.label}" is',
                gap=True,
            )
            continue
        if light.switch_locked is True:
            continue
        if light.switch_locked is None or _locked_room(
            ctx, ctx.watch, light.switch_in, params.safe_kinds
        ):
            # not a lapse as recorded; a fact to survey if the worst reading reaches it
            if not _locked_room(ctx, ctx.worst, light.switch_in, params.safe_kinds):
                facts = unrecorded_of(light, "switch_locked") + [
                    f
                    for g in ctx.site.gates
                    if light.switch_in in g.between
                    for f in unrecorded_of(g, "locked")
                ]
                yield unknown_hit(
                    light.id, facts, f'whether an intruder can reach the switch of "{light.label}" '
                    f"in {light.switch_in} cannot be judged",
                )  # fmt: skip
            continue
        # a room a station is staffed in is under the security force's control (FM 3-19.30)
        stations = [st for st in ctx.site.stations if st.in_ == light.switch_in]
        held = frozenset().union(*(ctx.watch.staffed(st) for st in stations))
        open_hours = ctx.judged - held
        if not open_hours:
            if ctx.judged - frozenset().union(*(ctx.worst.staffed(st) for st in stations)):
                facts = [f for st in stations for f in unrecorded_of(st, "shifts")]
                yield unknown_hit(
                    light.id, facts, f'whether the switch of "{light.label}" in '
                    f"{light.switch_in} is always under a guard's hand cannot be judged",
                )  # fmt: skip
            continue
        kind = ctx.watch.zone_kind(light.switch_in)
        when = f" {ctx.when(open_hours)}" if held else ""
        yield Hit(
            light.id,
            f'the switch of "{light.label}" is not locked, in {light.switch_in} ({kind}), '
            f"where anyone inside can reach it{when}: an intruder can turn the lights off",
            evidence=f"switch_in: {light.switch_in}; switch_locked: false"
            + (
                f"; staffed by {', '.join(st.id for st in stations)} only part of the week"
                if held
                else ""
            ),
        )


def _locked_room(ctx: Context, watch: Watch, zone: str, kinds: list[str]) -> bool:
    """A room of its own whose every way in is locked (a locked switch room)."""
    if watch.zone_kind(zone) not in kinds:
        return False
    ways_in = [g for g in ctx.site.gates if zone in g.between]
    return bool(ways_in) and all(watch.locked(g) == ALL for g in ways_in)


@check("station_protection")
def station_protection(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on a monitoring station whose room has a way in that is neither locked nor manned
    at some hour: whoever takes the control room blinds the site and silences its alarms."""
    for st in ctx.site.stations:
        doubt: Hit | None = None
        for gate in ctx.site.gates:
            if st.in_ not in gate.between:
                continue
            posts = ctx.watch.covering(gate.id, "checkpoints")
            manned = frozenset().union(*(ctx.watch.staffed(cp) for cp in posts))
            open_hours = ctx.judged - ctx.watch.locked(gate) - manned
            if gate.kind == "opening" or open_hours:
                yield Hit(
                    st.id,
                    f'the room of station "{st.label}" ({st.in_}) can be entered through '
                    f"{describe(ctx, gate)}, neither locked nor manned "
                    f"{ctx.when(open_hours) if gate.kind != 'opening' else 'at all hours'}",
                    evidence=f"way in: {gate.id}",
                    data={"way_in": gate.id},
                )
                break
            worst = frozenset().union(*(ctx.worst.staffed(cp) for cp in posts))
            if doubt is None and ctx.judged - ctx.worst.locked(gate) - worst:
                facts = unrecorded_of(gate, "locked")
                facts += [f for cp in posts for f in unrecorded_of(cp, "shifts")]
                doubt = unknown_hit(
                    st.id, facts, f'whether the room of station "{st.label}" ({st.in_}) '
                    f"is closed to intruders through {describe(ctx, gate)} cannot be judged",
                )  # fmt: skip
        else:
            if doubt is not None:
                yield doubt
