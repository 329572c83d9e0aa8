"""Camera checks that need more than one element's fields."""

from __future__ import annotations

from collections.abc import Iterator

from audit.checks import Context, Hit, Params, check, unknown_hit, unrecorded_of, watcher_facts
from audit.graph.coverage import ALL


@check("camera_night")
def camera_night(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on a working camera without night vision covering something no light covers."""
    for cam in ctx.site.cameras:
        if cam.status != "working" or cam.night:
            continue
        dark = [t for t in cam.covers if ctx.watch.lit(t) != ALL]
        if dark and ctx.judged & ctx.watch.dark and cam.night is None:
            yield unknown_hit(
                cam.id, unrecorded_of(cam, "night"),
                f'whether camera "{cam.label}" sees {", ".join(dark)} (unlit) in the dark '
                "cannot be judged",
            )  # fmt: skip
        elif dark and ctx.judged & ctx.watch.dark:
            yield Hit(
                cam.id,
                f'camera "{cam.label}" has no night vision and {", ".join(dark)} '
                f"is unlit: blind {ctx.when(ctx.watch.dark)}",
                evidence=f"night: false; unlit: {', '.join(dark)}",
            )


@check("unassessed_alarm")
def unassessed_alarm(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on an intrusion sensor whose alarms nobody can assess at some hours: no watched
    camera sees what it covers, no guard is at it or observes it, and no alarm route then takes
    the alarm to responders who assess it on arrival (Garcia: an alarm counts as detection only
    once assessed, P(D) = P(sense) x P(assess))."""
    for sen in ctx.site.sensors:
        if sen.status != "working" or not sen.monitored:
            continue
        doubt: Hit | None = None
        routed = ctx.watch.routed(sen)  # responders the alarm route brings assess on arrival
        for target in sen.covers:
            blind = ctx.judged - ctx.watch.assessed(target) - routed
            if not blind:
                if doubt is None and ctx.judged - ctx.worst.assessed(target) - ctx.worst.routed(
                    sen
                ):
                    facts = watcher_facts(ctx, target)
                    doubt = unknown_hit(
                        sen.id, facts, f'whether alarms of sensor "{sen.label}" on {target} are '
                        "assessed at every hour cannot be judged",
                    )  # fmt: skip
                continue
            yield Hit(
                sen.id,
                f'alarms of sensor "{sen.label}" on {target} are assessed by nobody '
                f"{ctx.when(blind)}: no watched camera sees {target} and no guard observes it"
                + (f", and alarm route {sen.route} reaches no responder then" if sen.route else ""),
                evidence=f"cameras on {target}: "
                + (", ".join(c.id for c in ctx.watch.covering(target, "cameras")) or "none"),
                data={"windows": ctx.when(blind), "element": target},
            )
            break
        else:
            if doubt is not None:
                yield doubt
