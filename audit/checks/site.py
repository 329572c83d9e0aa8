"""Checks on the site as a whole: responders, vehicle standoff."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from audit.checks import Context, Hit, Params, check


@check("responders_present")
def responders_present(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires when the site names no response force: no alarm can be answered."""
    if not ctx.site.responders:
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


@check("standoff", StandoffParams)
def standoff(ctx: Context, params: StandoffParams) -> Iterator[Hit]:
    """Fires where vehicles can stop closer to a building than the minimum standoff."""
    for va in ctx.site.vehicle_approaches:
        need = params.minimum_m.get(va.building_use, 0.0)
        if va.standoff_m < need and not (params.unless_barrier and va.barrier):
            yield Hit(
                va.id,
                f"vehicles from {va.from_} can stop {va.standoff_m:g} m from {va.to} "
                f"({va.building_use.replace('_', ' ')} building); the minimum is {need:g} m",
                evidence=f"standoff_m: {va.standoff_m:g}; barrier: {str(va.barrier).lower()}",
            )
