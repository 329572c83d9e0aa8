"""Checks on the site as a whole: responders, vehicle standoff."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from audit.checks import Context, Hit, Params, check, unknown_hit, unrecorded_of

if TYPE_CHECKING:
    from audit.site.perimeter import Gate, Wall


@check("responders_present")
def responders_present(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires when the site names no response force (``responders: []``): no alarm can be
    answered. A file with no ``responders:`` at all does not say: a fact to survey."""
    if ctx.site.responders:
        return
    if "responders" not in ctx.site.model_fields_set:
        yield Hit(
            ctx.site.site.id,
            "the site file does not record who responds to an alarm (responders:); until it "
            "does, no adversary path can be judged against a response",
            line=1,
            column=1,
            gap=True,
        )
        return
    yield Hit(ctx.site.site.id, "the site names no responders", line=1, column=1)


class StandoffParams(Params):
    minimum_m: dict[str, float] = Field(
        default_factory=lambda: {
            "primary_gathering": 25.0,
            "billeting": 25.0,
            "inhabited": 10.0,
            "other": 0.0,
        },
        description="Minimum standoff by building use, metres.",
    )
    unless_barrier: bool = Field(False, description="Accept a shorter standoff behind a barrier.")
    standard: str = Field(
        "the minimum standoff", description="What the distances are, in the message."
    )


@check("standoff", StandoffParams)
def standoff(ctx: Context, params: StandoffParams) -> Iterator[Hit]:
    """Fires where vehicles can stop closer to a building than the minimum standoff."""
    plan = ctx.watch.plan
    for va in ctx.site.vehicle_approaches:
        # an unrecorded use needs the largest minimum to be judged
        need = (
            params.minimum_m.get(va.building_use, 0.0)
            if va.building_use is not None
            else max(params.minimum_m.values(), default=0.0)
        )
        computed = plan.standoff(va) if plan is not None else None
        standoff = computed if computed is not None else va.standoff_m
        if standoff is None:
            continue  # on the plan, but the building has no footprint: nothing to measure
        if standoff >= need or (params.unless_barrier and va.barrier):
            continue
        if va.building_use is None or (params.unless_barrier and va.barrier is None):
            facts = unrecorded_of(va, "building_use")
            facts += unrecorded_of(va, "barrier") if params.unless_barrier else []
            yield unknown_hit(
                va.id, facts, f"whether vehicles from {va.from_} that can stop "
                f"{round(standoff, 1):g} m from {va.to} keep {params.standard} cannot be judged",
            )  # fmt: skip
            continue
        how = "measured on the plan" if computed is not None else "standoff_m"
        yield Hit(
            va.id,
            f"vehicles from {va.from_} can stop {round(standoff, 1):g} m from {va.to} "
            f"({va.building_use.replace('_', ' ')} building); {params.standard} is {need:g} m",
            evidence=f"{how}: {round(standoff, 1):g}; barrier: {str(va.barrier).lower()}",
            data={"needed": need},
        )


@check("site_model")
def site_model(ctx: Context, params: Params) -> Iterator[Hit]:
    """Reports what keeps the site from being judged at all (data gaps, never lapses): no
    public zone for an adversary to start from, and walls or gates whose ``between:`` puts a
    public zone on the inside (written inside-out)."""
    site = ctx.site
    kinds = {z.id: z.kind for z in site.zones}
    if all(z.controlled_by == "own" for z in site.zones):
        yield Hit(
            site.site.id,
            "the site names no public zone: nothing says where an adversary starts, so no "
            "path can be judged (mark the street or the land outside the perimeter kind: public)",
            line=1,
            column=1,
            gap=True,
        )
    crossed: list[Wall | Gate] = [*site.walls, *site.gates]
    for el in crossed:
        outside, inside = el.between
        if kinds.get(inside) == "public" and kinds.get(outside) != "public":
            yield Hit(
                el.id,
                f'"{el.label}" is written between: [{outside}, {inside}], which puts the public '
                f"zone {inside} inside {outside}; write between: [{inside}, {outside}] "
                "(outside first) if that is what you meant",
                gap=True,
            )


class SurveyParams(Params):
    max_days: int = Field(365, ge=1, le=3650, description="Oldest acceptable survey, in days.")


@check("survey_age", SurveyParams)
def survey_age(ctx: Context, params: SurveyParams) -> Iterator[Hit]:
    """Fires when the facts in the file were last checked longer ago than ``max_days`` before
    the audit date; a file that does not say when is a data gap."""
    surveyed = ctx.site.site.surveyed
    if surveyed is None:
        yield Hit(
            ctx.site.site.id,
            "the site file does not say when its facts were checked (site.surveyed)",
            line=1,
            column=1,
            gap=True,
        )
        return
    age = (ctx.today - surveyed).days
    if age > params.max_days:
        yield Hit(
            ctx.site.site.id,
            f"the facts in this file were last checked on {surveyed.isoformat()}, {age} days "
            f"before the audit; staffing, locks and lights change faster than that",
            evidence=f"surveyed: {surveyed.isoformat()}",
            line=1,
            column=1,
            data={"age_days": age},
        )


@check("responders_on_duty")
def responders_on_duty(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires when, at some hours, none of the site's responders is on duty: an alarm then is
    answered by nobody, however well it was detected."""
    if not ctx.site.responders:
        return  # SA-COMM-003 reports a site with no responders at all
    covered = frozenset().union(*(ctx.watch.on_duty(r) for r in ctx.site.responders))
    idle = ctx.judged - covered
    if idle:
        yield Hit(
            ctx.site.site.id,
            f"no responder is on duty {ctx.when(idle)}: an alarm then is answered by nobody",
            evidence="on duty: "
            + "; ".join(
                f"{r.id} " + (", ".join(f"{h.from_}-{h.to}" for h in r.on_duty) or "always")
                for r in ctx.site.responders
            ),
            line=1,
            column=1,
            data={"windows": ctx.when(idle)},
        )
