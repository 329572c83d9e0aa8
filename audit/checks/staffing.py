"""Time-aware checks on who is on shift, judged over the whole week in 15-minute slots."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from audit.checks import Context, Hit, Params, check, unknown_hit, unrecorded_of
from audit.graph.coverage import ALL, PROTECTION, is_perimeter


class StaffingParams(Params):
    min_guards: int = Field(1, ge=1, le=100)
    armed: bool = Field(
        False,
        description="Count only armed guards, and judge only when a declared threat is armed "
        "(with no threats declared: a data gap).",
    )


def _shifts(cp) -> str:
    if cp.shifts is None:
        return "not recorded"
    if not cp.shifts:
        return "no shifts planned"
    return ", ".join(
        f"{s.from_}-{s.to} x{s.guards}"
        + {True: " armed", False: "", None: " (arms not recorded)"}[s.armed]
        + ("" if len(s.days) == 7 else f" ({','.join(s.days)})")
        for s in cp.shifts
    )


@check("checkpoint_staffing", StaffingParams)
def checkpoint_staffing(ctx: Context, params: StaffingParams) -> Iterator[Hit]:
    """Fires on a checkpoint with fewer than ``min_guards`` (armed, if asked) on shift while
    the way it controls is open (hours when that way is locked need no post)."""
    if params.armed:
        from audit.site.threats import declared

        threats = declared(ctx.site)
        if not threats:
            if ctx.site.checkpoints:
                yield Hit(
                    ctx.site.site.id,
                    "the site declares no threats (threats:), so nothing says whether its posts "
                    "must be armed; declare them, e.g. threats: [outsider-force] for an armed "
                    "assault",
                    line=1,
                    column=1,
                    gap=True,
                )
            return
        if not any(t.armed for t in threats):
            return  # no declared threat is armed: unarmed guards can meet it
    for cp in ctx.site.checkpoints:
        gate = ctx.site.get(cp.at)
        # unrecorded shifts, arms or lock: a lapse only if the post falls short whatever they
        # are; short only at their worst, a fact to survey
        best = (
            ALL
            if cp.shifts is None
            else ctx.watch.staffed(cp, params.min_guards, armed=params.armed, maybe=True)
        )
        locked = ctx.watch.locked(gate) if gate is not None else frozenset()
        gaps = ctx.judged - best - locked  # a locked way needs no post (close and lock)
        if not gaps:
            worst = ctx.worst.staffed(cp, params.min_guards, armed=params.armed)
            worst_locked = ctx.worst.locked(gate) if gate is not None else frozenset()
            if ctx.judged - worst - worst_locked:
                facts = unrecorded_of(cp, "shifts", *(("shifts.armed",) if params.armed else ()))
                facts += unrecorded_of(gate, "locked") if gate is not None else []
                what = "has an armed guard" if params.armed else "is manned"
                yield unknown_hit(
                    cp.id, facts, f'whether checkpoint "{cp.label}" at {cp.at} {what} '
                    "whenever its way is open cannot be judged",
                )  # fmt: skip
            continue
        armed = "armed " if params.armed else ""
        if params.min_guards == 1:
            state = "has no armed guard" if armed else "is unmanned"
        else:
            state = f"has fewer than {params.min_guards} {armed}guards"
        when = ctx.when(gaps)
        yield Hit(
            cp.id,
            f'checkpoint "{cp.label}" at {cp.at} {state} {when}',
            evidence=f"shifts: {_shifts(cp)}",
            data={"windows": when, "slots": len(gaps)},
        )


def _lock_words(gate) -> str:
    if gate.locked is None:
        return "not recorded"
    if isinstance(gate.locked, bool):
        return str(gate.locked).lower()
    return _hours(gate.locked)


class GateControlParams(Params):
    kinds: list[str] = Field(
        default_factory=lambda: ["vehicle_gate", "pedestrian_gate", "door", "hatch", "window"]
    )
    perimeter_only: bool = Field(
        True,
        description="Judge only gates in the site's perimeter (from the outside or adjoining "
        "quarters), as AR 190-11 does for its perimeter gates; doors inside a controlled "
        "compound may stand open by day by design.",
    )


@check("gate_control", GateControlParams)
def gate_control(ctx: Context, params: GateControlParams) -> Iterator[Hit]:
    """Fires on a gate into a more protected zone that is neither locked nor manned at some hour.

    A public entrance (``public_hours``) is open by design in its hours: the zone behind it is
    public then, and what must be locked or manned is the way on from it (the inner line), into
    any zone the public may not enter then."""
    for gate in ctx.site.gates:
        if gate.kind not in params.kinds:
            continue
        outside, inside = gate.between
        kinds = (ctx.watch.zone_kind(outside), ctx.watch.zone_kind(inside))
        if is_perimeter(*kinds) or (
            not params.perimeter_only and PROTECTION[kinds[1]] > PROTECTION[kinds[0]]
        ):
            judged = ctx.judged - ctx.watch.open_to_public(gate)
            behind = ""
        else:  # the inner line: judged while the public stands on its outer side
            judged = ctx.judged & ctx.watch.public(outside)
            judged -= ctx.watch.public(inside)
            behind = f", while {outside} is open to the public,"
        posts = ctx.watch.covering(gate.id, "checkpoints")
        manned = frozenset().union(*(ctx.watch.staffed(cp) for cp in posts))
        open_slots = judged - manned - ctx.watch.locked(gate)
        if not open_slots:
            worst = frozenset().union(*(ctx.worst.staffed(cp) for cp in posts))
            if judged - worst - ctx.worst.locked(gate):
                facts = unrecorded_of(gate, "locked")
                facts += [f for cp in posts for f in unrecorded_of(cp, "shifts")]
                yield unknown_hit(
                    gate.id, facts, f'whether {gate.kind.replace("_", " ")} "{gate.label}" into '
                    f"{inside}{behind} is locked or manned at every hour cannot be judged",
                )  # fmt: skip
        if open_slots:
            when = ctx.when(open_slots)
            public = "; public entrance: " + _hours(gate.public_hours) if gate.public_hours else ""
            yield Hit(
                gate.id,
                f'{gate.kind.replace("_", " ")} "{gate.label}" into {inside}{behind} '
                f"is neither locked nor manned {when}",
                evidence=f"locked: {_lock_words(gate)}; checkpoints: "
                f"{', '.join(c.id for c in ctx.watch.covering(gate.id, 'checkpoints')) or 'none'}"
                + public,
                data={"windows": when},
            )


def _hours(spans) -> str:
    return ", ".join(f"{h.from_}-{h.to}" for h in spans)


@check("patrol_interval")
def patrol_interval(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on a patrol that is the only watch on part of its route while it takes longer to
    come round than an intruder takes to cross there: it will almost never be in time."""
    values = ctx.values
    for patrol in ctx.site.patrols:
        weak = []
        for target in patrol.route:
            relied = (ctx.judged & ctx.watch.patrolling(patrol)) - ctx.watch.observed(target)
            crossing_s, _ = values.delay(ctx.site.get(target))
            if relied and crossing_s < patrol.interval_min * 60:
                weak.append((target, crossing_s, values.patrol_p(patrol, target)))
        if weak:
            where = ", ".join(f"{t} ({s:g} s, p {p:.3f})" for t, s, p in weak)
            yield Hit(
                patrol.id,
                f'patrol "{patrol.label}" comes round every {patrol.interval_min:g} min, but an '
                f"intruder crosses {where} in less; nothing else watches them then",
                data={"elements": [t for t, _, _ in weak]},
            )
