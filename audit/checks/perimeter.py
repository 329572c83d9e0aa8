"""Checks on the perimeter: frontage cameras, unobserved walls, dark stretches, openings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import Field

from audit.checks import (
    Context,
    Hit,
    Params,
    caused_by,
    check,
    empty_posts,
    unknown_hit,
    unrecorded_of,
    watcher_facts,
)
from audit.graph.coverage import OUTSIDE_KINDS, PROTECTION
from audit.graph.coverage import is_perimeter as _is_perimeter
from audit.site.model import SECTION_OF
from audit.site.perimeter import Zone

if TYPE_CHECKING:
    from audit.site.perimeter import Gap, Gate, Wall


def crossings_out(ctx: Context) -> Iterator[tuple[Wall | Gap | Gate, str, str]]:
    """(element, outside zone, inside zone) for every wall, gap and gate, in file order."""
    for wall in ctx.site.walls:
        outside, inside = wall.between
        yield wall, outside, inside
        for gap in wall.gaps:
            yield gap, outside, inside
    for gate in ctx.site.gates:
        outside, inside = gate.between
        yield gate, outside, inside


def is_perimeter(ctx: Context, outside: str, inside: str) -> bool:
    """Is the boundary between these zones part of the site's perimeter?"""
    return _is_perimeter(ctx.watch.zone_kind(outside), ctx.watch.zone_kind(inside))


def describe(ctx: Context, el: Any) -> str:
    section = SECTION_OF[type(el)]
    kind = getattr(el, "kind", "")
    noun = {"walls": kind, "gaps": kind, "gates": kind.replace("_", " ")}.get(section, section)
    side = getattr(el, "side", None)
    prefix = f"{side} " if side and side != "internal" else ""
    return f'{prefix}{noun} "{el.label}"'


class FrontageParams(Params):
    outside_kinds: list[str] = Field(default_factory=lambda: ["public"])
    at_night: bool = Field(False, description="Also require that a camera sees it in the dark.")
    min_px_m: float = Field(
        25.0,
        ge=0,
        description="Pixel density a camera must reach to count (IEC 62676-4 detect: 25 px/m); "
        "a camera whose density is not recorded counts.",
    )


@check("frontage_cameras", FrontageParams)
def frontage_cameras(ctx: Context, params: FrontageParams) -> Iterator[Hit]:
    """Fires on a wall, gap or gate facing a public zone that no working camera covers."""
    for el, outside, inside in crossings_out(ctx):
        if ctx.watch.zone_kind(outside) not in params.outside_kinds:
            continue
        if not is_perimeter(ctx, outside, inside):
            continue
        working = [c for c in ctx.watch.covering(el.id, "cameras") if c.status == "working"]
        cams = [
            c
            for c in working
            if c.pixel_density_px_m is None or c.pixel_density_px_m >= params.min_px_m
        ]
        faces = getattr(el, "faces", None) or outside
        if not cams and not params.at_night:
            coarse = ", ".join(f"{c.id} ({c.pixel_density_px_m:g} px/m)" for c in working)
            detail, data = unseen_stretches(ctx, el.id)
            if ctx.judged - ctx.watch.observed(el.id):
                data = {**data, "cause": unobserved(el.id)}  # SA-WALL-001's lapse too
            yield Hit(
                el.id,
                f"{describe(ctx, el)} faces {faces} and no working camera covers it"
                + (f" at {params.min_px_m:g} px/m or more" if working else "")
                + detail,
                evidence=f"outside zone: {outside}; cameras: "
                + (coarse or ("none see all of it on the plan" if detail else "none working")),
                data=data,
            )
        elif cams and params.at_night and not any(c.night for c in cams):
            blind = (ctx.judged & ctx.watch.dark) - ctx.watch.lit(el.id)
            if blind and any(c.night is None for c in cams):
                yield unknown_hit(
                    el.id, [f for c in cams for f in unrecorded_of(c, "night")],
                    f"whether the cameras on {describe(ctx, el)} see it in the dark "
                    "cannot be judged",
                )  # fmt: skip
            elif blind:
                yield Hit(
                    el.id,
                    f"{describe(ctx, el)} faces {faces} and its cameras cannot see it "
                    f"in the dark {ctx.when(blind)}",
                    evidence="cameras: " + ", ".join(f"{c.id} (night: false)" for c in cams),
                )


def unobserved(element_id: str) -> str:
    """The cause key of "nothing observes ``element_id``": a frontage with no camera that
    nothing else observes either is that one lapse, not two (``group_by_cause``)."""
    return f"unobserved:{element_id}"


def unseen_stretches(ctx: Context, wall_id: str) -> tuple[str, dict]:
    """Where the plan has the wall: ": metres a-b, ... (n of m m) are seen by no working
    camera at detection density", and those stretches as data; else nothing."""
    plan = ctx.watch.plan
    cover = plan.walls.get(wall_id) if plan is not None else None
    if cover is None:
        return "", {}
    working = {c.id for c in ctx.site.cameras if c.status == "working"}
    unseen = cover.unseen(working)
    if not unseen:
        return "", {}
    total = sum(s.length_m for s in unseen)
    text = (
        ": metres "
        + ", ".join(f"{s.start_m:.0f}-{s.end_m:.0f}" for s in unseen)
        + f" ({total:.0f} of {cover.length_m:.0f} m) are seen by no working camera at "
        "detection density"
    )
    stretches = [[round(s.start_m, 2), round(s.end_m, 2)] for s in unseen]
    return text, {"unseen_m": stretches, "length_m": round(cover.length_m, 2)}


class UnobservedParams(Params):
    sides: list[str | None] = Field(
        default_factory=lambda: ["front", "rear", "left", "right", None],
        description="Wall sides judged; null means walls with no side given.",
    )


@check("unobserved_barrier", UnobservedParams)
def unobserved_barrier(ctx: Context, params: UnobservedParams) -> Iterator[Hit]:
    """Fires on a perimeter wall or fence that no guard, working camera or sensor observes."""
    for wall in ctx.site.walls:
        if wall.side not in params.sides or not is_perimeter(ctx, *wall.between):
            continue
        blind = ctx.judged - ctx.watch.observed(wall.id)
        if not blind and ctx.judged - ctx.worst.observed(wall.id):
            facts = watcher_facts(ctx, wall.id)
            yield unknown_hit(
                wall.id, facts, f"whether {describe(ctx, wall)} is observed at every hour "
                "cannot be judged",
            )  # fmt: skip
        if blind:
            when = ctx.when(blind)
            detail, data = unseen_stretches(ctx, wall.id)
            yield Hit(
                wall.id,
                f"{describe(ctx, wall)} facing {wall.faces or wall.between[0]} is observed by "
                f"nothing and nobody {when}{detail}",
                evidence="no staffed post, no watched camera that can see it, no sensor",
                data={
                    "windows": when,
                    **data,
                    "cause": unobserved(wall.id),
                    **caused_by(empty_posts(ctx, wall.id, blind)),
                },
            )


class UnlitParams(Params):
    barriers: list[str] = Field(default_factory=lambda: ["walls", "gates"])


@check("unlit_perimeter", UnlitParams)
def unlit_perimeter(ctx: Context, params: UnlitParams) -> Iterator[Hit]:
    """Fires on a perimeter wall or gate that no working light covers (dark at night)."""
    for el, outside, inside in crossings_out(ctx):
        if ctx.site.kind_of(el.id) not in params.barriers or not is_perimeter(ctx, outside, inside):
            continue
        if not ctx.judged & ctx.watch.dark:
            continue
        lights = [li for li in ctx.watch.covering(el.id, "lights") if li.status == "working"]
        if not lights:
            yield Hit(
                el.id,
                f"{describe(ctx, el)} is dark at night: no working light covers it "
                f"({ctx.when(ctx.watch.dark)})",
            )


@check("missing_gate")
def missing_gate(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on an opening with no gate between zones meant to have different protection.
    An opening between two zones outside the site's control (a road into open grounds or a car
    park, kind public or approach) needs no gate."""
    for gate in ctx.site.gates:
        if gate.kind != "opening":
            continue
        outside, inside = (ctx.watch.zone_kind(z) for z in gate.between)
        if outside in OUTSIDE_KINDS and inside in OUTSIDE_KINDS:
            continue
        zone = ctx.site.get_as(gate.between[1], Zone)
        if zone is not None and zone.controlled_by != "own":
            continue  # a lane into a neighbourhood the site does not control needs no gate
        if PROTECTION[outside] != PROTECTION[inside]:
            yield Hit(
                gate.id,
                f'"{gate.label}" is an opening with no gate from {gate.between[0]} ({outside}) '
                f"into {gate.between[1]} ({inside})",
                evidence="kind: opening",
            )


@check("residential_exposure")
def residential_exposure(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on living quarters that adjoin a protected zone of the site: the site's own
    quarters whose entrance is uncontrolled, and neighbours' houses (``control: third_party``)
    that abut or share the perimeter where that shared stretch is observed by nothing at some
    hour (the classic way in: over the wall from the houses behind it)."""
    for zone in ctx.site.zones:
        if zone.kind != "residential" or zone.controlled_by == "public":
            continue
        shared = [
            el
            for el, a, b in crossings_out(ctx)
            if zone.id in (a, b)
            and PROTECTION[ctx.watch.zone_kind(b if a == zone.id else a)] >= PROTECTION["compound"]
        ]
        if not shared:
            continue
        adjoins = sorted({z for el in shared for z in _between(ctx, el) if z != zone.id})
        if zone.controlled_by == "own":
            yield from _own_quarters(ctx, zone, adjoins)
        else:
            yield from _neighbours(ctx, zone, adjoins, shared)


def _between(ctx: Context, el: Any) -> list[str]:
    between = getattr(el, "between", None)
    if between is None:  # a gap: the zones of its wall
        between = next(w.between for w in ctx.site.walls if any(g.id == el.id for g in w.gaps))
    return list(between)


def _own_quarters(ctx: Context, zone: Any, adjoins: list[str]) -> Iterator[Hit]:
    """The site's own quarters: their ways in from outside must be locked or manned."""
    open_ways, doubtful = [], []
    for gate in ctx.site.gates:
        if zone.id not in gate.between:
            continue
        other = gate.between[0] if gate.between[1] == zone.id else gate.between[1]
        if PROTECTION[ctx.watch.zone_kind(other)] >= PROTECTION["residential"]:
            continue
        posts = ctx.watch.covering(gate.id, "checkpoints")
        manned = frozenset().union(*(ctx.watch.staffed(cp) for cp in posts))
        if gate.kind == "opening" or ctx.judged - manned - ctx.watch.locked(gate):
            open_ways.append(gate.id)
            continue
        worst = frozenset().union(*(ctx.worst.staffed(cp) for cp in posts))
        if ctx.judged - worst - ctx.worst.locked(gate):
            doubtful += unrecorded_of(gate, "locked")
            doubtful += [f for cp in posts for f in unrecorded_of(cp, "shifts")]
    if open_ways:
        yield Hit(
            zone.id,
            f'residential zone "{zone.label}" adjoins {", ".join(adjoins)} but anyone can '
            f"walk in through {', '.join(open_ways)}",
            evidence=f"uncontrolled entrances: {', '.join(open_ways)}",
            data={"entrances": open_ways},
        )
    elif doubtful:
        yield unknown_hit(
            zone.id, doubtful, f'whether anyone can walk into residential zone "{zone.label}", '
            f"which adjoins {', '.join(adjoins)}, cannot be judged",
        )  # fmt: skip


def _neighbours(ctx: Context, zone: Any, adjoins: list[str], shared: list[Any]) -> Iterator[Hit]:
    """Houses the site does not control: nobody checks who enters them, so the stretch they
    share with the site must be watched at every hour."""
    blind = {el.id: ctx.judged - ctx.watch.observed(el.id) for el in shared}
    blind = {k: v for k, v in blind.items() if v}
    if blind:
        when = ctx.when(frozenset().union(*blind.values()))
        yield Hit(
            zone.id,
            f'neighbours\' houses "{zone.label}" ({zone.controlled_by.replace("_", " ")}) share '
            f"the perimeter with {', '.join(adjoins)} through {', '.join(sorted(blind))}, "
            f"observed by nothing and nobody {when}: a way in over the wall that nobody "
            "controls or sees",
            evidence=f"control: {zone.controlled_by}; unobserved: {', '.join(sorted(blind))}",
            data={
                "entrances": [],
                "windows": when,
                "elements": sorted(blind),
                **caused_by(p for k, v in blind.items() for p in empty_posts(ctx, k, v)),
            },
        )
        return
    worst = [el for el in shared if ctx.judged - ctx.worst.observed(el.id)]
    if worst:
        facts = [
            f
            for el in worst
            for kind in ("checkpoints", "posts", "cameras")
            for src in ctx.watch.covering(el.id, kind)
            for f in unrecorded_of(src, "shifts", "monitored", "night")
        ]
        yield unknown_hit(
            zone.id, facts, f'whether the stretch neighbours\' houses "{zone.label}" share with '
            f"{', '.join(adjoins)} is observed at every hour cannot be judged",
        )  # fmt: skip


class LuxParams(Params):
    minimum_lux: dict[str, float] = Field(
        default_factory=lambda: {
            "walls": 4.0,
            "gaps": 4.0,
            "isolated": 2.0,
            "vehicle_gate": 10.0,
            "pedestrian_gate": 20.0,
        },
        description="Least illuminance by what is lit (TM 5-811-1 Table 11-1: a non-isolated "
        "boundary 4 lux, an isolated one 2 lux in the vertical plane 3 ft above grade, vehicle "
        "entrances 10 lux, pedestrian entrances 20 lux).",
    )
    isolated_outside: list[str] = Field(
        default_factory=lambda: ["approach"],
        description="Kinds of outside zone that make a wall or gap an isolated boundary (open "
        "ground people seldom enter, not a public road or neighbours' houses) [verify: TM "
        "5-811-1 §11-5 a defines the boundary types in words].",
    )


@check("lighting_level", LuxParams)
def lighting_level(ctx: Context, params: LuxParams) -> Iterator[Hit]:
    """Fires on a perimeter wall or entrance whose lights give less than the TM 5-811-1 level
    for it. Judged where the site file records ``lux`` (a surveyed or designed level), or,
    for a wall on the plan with lamps, from the illuminance computed along it."""
    lamps = "lamps: " + ", ".join(
        li.id for li in ctx.site.lights if li.lamp and li.status == "working"
    )
    for el, outside, inside in crossings_out(ctx):
        if not is_perimeter(ctx, outside, inside):
            continue
        section = SECTION_OF[type(el)]
        need = params.minimum_lux.get(section if section != "gates" else el.kind)
        if section != "gates" and ctx.watch.zone_kind(outside) in params.isolated_outside:
            need = params.minimum_lux.get("isolated", need)
        profile = ctx.watch.plan.lux.get(el.id) if ctx.watch.plan is not None else None
        if profile is not None and need is not None:
            if profile.darkest < need:
                dark = profile.below(need)
                yield Hit(
                    el.id,
                    f"{describe(ctx, el)} is lit to {profile.darkest:.1f} lux at its darkest; "
                    f"TM 5-811-1 asks for {need:g} lux there: metres "
                    + ", ".join(f"{d.start_m:.0f}-{d.end_m:.0f}" for d in dark)
                    + " are below it (computed from the lamps on the plan)",
                    evidence=lamps,
                    data={
                        "lux": round(profile.darkest, 2),
                        "needed": need,
                        "dark_m": [[round(d.start_m, 2), round(d.end_m, 2)] for d in dark],
                    },
                )
            continue
        lights = [li for li in ctx.watch.covering(el.id, "lights") if li.status == "working"]
        levels = [li.lux for li in lights if li.lux is not None]
        if need is None or not levels or max(levels) >= need:
            continue
        yield Hit(
            el.id,
            f"{describe(ctx, el)} is lit to {max(levels):g} lux; "
            f"TM 5-811-1 asks for {need:g} lux there",
            evidence="lights: " + ", ".join(f"{li.id} ({li.lux:g} lux)" for li in lights if li.lux),
            data={"lux": max(levels), "needed": need},
        )


@check("vehicle_barrier")
def vehicle_barrier(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on a vehicle gate from a public zone with no vehicle barrier, when the site
    declares a vehicle-borne threat (no threat declared: nothing to judge against)."""
    from audit.site.threats import declared

    if not any(t.tools == "vehicle" for t in declared(ctx.site)):
        return
    for gate in ctx.site.gates:
        outside, inside = (ctx.watch.zone_kind(z) for z in gate.between)
        if gate.kind != "vehicle_gate" or outside != "public" or gate.vehicle_barrier:
            continue
        if gate.vehicle_barrier is None:
            yield unknown_hit(
                gate.id, unrecorded_of(gate, "vehicle_barrier"),
                f"whether {describe(ctx, gate)} stops a vehicle from {gate.between[0]} cannot be "
                "judged, and the site declares a vehicle-borne threat",
            )  # fmt: skip
            continue
        yield Hit(
            gate.id,
            f"{describe(ctx, gate)} lets a vehicle in from {gate.between[0]}: it has no vehicle "
            "barrier, and the site declares a vehicle-borne threat",
            evidence="vehicle_barrier: false",
        )
