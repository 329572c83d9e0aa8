"""Checks on coverage computed from the plan (``audit.plan``): stretches no camera sees."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from audit.checks import Context, Hit, Params, check
from audit.checks.perimeter import describe, is_perimeter


class StretchParams(Params):
    min_m: float = Field(
        1.0, ge=0, description="Shortest unseen stretch reported, metres [assumed]."
    )


@check("unseen_stretch", StretchParams)
def unseen_stretch(ctx: Context, params: StretchParams) -> Iterator[Hit]:
    """Fires on a perimeter wall on the plan with a stretch that no working camera sees at
    detection density, by day or (cameras without night vision on an unlit wall) at night.
    Judged only where the plan can say: the wall has a course, some camera a view, and no
    working camera without a view claims to cover it (its word stands)."""
    plan = ctx.watch.plan
    if plan is None:
        return
    working = {c.id: c for c in ctx.site.cameras if c.status == "working"}
    for wall in ctx.site.walls:
        cover = plan.walls.get(wall.id)
        if cover is None or not is_perimeter(ctx, *wall.between):
            continue
        if any(c.view is None and wall.id in c.covers for c in working.values()):
            continue
        day = [s for s in cover.unseen(set(working)) if s.length_m >= params.min_m]
        lit = ctx.watch.lit(wall.id) >= ctx.watch.dark
        night_cams = {c for c, cam in working.items() if cam.night or lit}
        night = [s for s in cover.unseen(night_cams) if s.length_m >= params.min_m]
        dark = bool(ctx.judged & ctx.watch.dark)
        if day and ctx.judged - ctx.watch.dark:
            stretches, when = day, ""
        elif night and dark:
            stretches, when = night, " at night (no night vision, no light)"
        else:
            continue
        total = sum(s.length_m for s in stretches)
        yield Hit(
            wall.id,
            "metres "
            + ", ".join(f"{s.start_m:.0f}-{s.end_m:.0f}" for s in stretches)
            + f" of {describe(ctx, wall)} "
            f"({total:.0f} of {cover.length_m:.0f} m) are seen by no working camera at "
            f"detection density{when}",
            evidence="cameras with a view on the plan: "
            + (", ".join(sorted(plan.views)) or "none"),
            data={
                "unseen": [[round(s.start_m, 2), round(s.end_m, 2)] for s in stretches],
                "length_m": round(cover.length_m, 2),
            },
        )
