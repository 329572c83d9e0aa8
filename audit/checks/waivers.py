"""Checks on the waivers themselves; they run after every other rule."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from audit.checks import Context, Hit, Params, check


@check("waiver_expired", phase="waivers")
def waiver_expired(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on a waiver past its expiry date; it no longer hides its finding."""
    for w in ctx.site.waivers:
        if w.expires < ctx.today:
            yield Hit(
                w.element,
                f"waiver of {w.rule} on {w.element} (owner {w.owner}) expired on "
                f"{w.expires.isoformat()}",
                evidence=f"reason: {w.reason}",
                line=w.line,
                column=w.column,
            )


@check("waiver_unmatched", phase="waivers")
def waiver_unmatched(ctx: Context, params: Params) -> Iterator[Hit]:
    """Fires on a waiver that hides nothing: its rule no longer fires on that element."""
    active, known = ctx.active_rules, ctx.known_rules
    for w in ctx.site.waivers:
        if w.expires < ctx.today:
            continue
        if not any(fnmatchcase(r, w.rule) for r in known):
            why = f"no rule matches {w.rule}"
        elif not any(fnmatchcase(r, w.rule) for r in active) or any(
            f.element == w.element and fnmatchcase(f.rule, w.rule) for f in ctx.findings
        ):
            continue
        else:
            why = f"{w.rule} does not fire on {w.element}"
        yield Hit(
            w.element,
            f"waiver matches nothing: {why}; remove it or correct its rule or element",
            evidence=f"owner: {w.owner}; expires: {w.expires.isoformat()}",
            line=w.line,
            column=w.column,
        )
