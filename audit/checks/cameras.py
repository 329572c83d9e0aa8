"""Camera checks that need more than one element's fields."""

from __future__ import annotations

from collections.abc import Iterator

from audit.checks import Context, Hit, Params, check
from audit.coverage import ALL


@check("camera_night")
def camera_night(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on a working camera without night vision covering something no light covers."""
    for cam in ctx.site.cameras:
        if cam.status != "working" or cam.night:
            continue
        dark = [t for t in cam.covers if ctx.watch.lit(t) != ALL]
        if dark and ctx.judged & ctx.watch.dark:
            yield Hit(
                cam.id,
                f'camera "{cam.label}" has no night vision and {", ".join(dark)} '
                f"is unlit: blind {ctx.when(ctx.watch.dark)}",
                evidence=f"night: false; unlit: {', '.join(dark)}",
            )
