"""Upgrades that close findings: each rule's ``fix`` made into candidates on the site.

The path analysis measures what P(E) measures; many lapses it cannot see (a
lighting switch anyone can reach, an uncontrolled building overlooking the
roof, a vehicle stopping too close). A checklist rule names the upgrade that
closes a finding of it (``fix:`` in the checklist, validated when it loads),
so the plan can close those findings too, priced like any other upgrade.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from audit.upgrade.candidates import (
    DEFAULT_WALL_M,
    REDUNDANT_P_COMM,
    TEAM_SIZES,
    Candidate,
    yearly,
)

_DATA_REF = re.compile(r"^\{(\w+)\}$")


def remedies(
    finding: Any, rule: Any, site: Any, costs: dict[str, Any], generated: dict[str, Candidate]
) -> Iterator[Candidate]:
    """The upgrades that together close ``finding`` of ``rule`` (none: no fix is declared)."""
    for fix in rule.spec.fix:
        where = finding.data.get(fix.targets) if fix.targets else finding.element
        targets = where if isinstance(where, list) else [where] if where else []
        values = tuple(
            (path, _value(value, finding.data)) for path, value in sorted(fix.set.items())
        )
        for target in targets:
            yield candidate(site, costs, fix.upgrade, str(target), values, generated)


def _value(value: Any, data: dict[str, Any]) -> Any:
    m = _DATA_REF.match(value) if isinstance(value, str) else None
    out = data.get(m.group(1), value) if m else value
    return tuple(out) if isinstance(out, list) else out


def candidate(
    site: Any,
    costs: dict[str, Any],
    kind: str,
    target: str,
    values: tuple[tuple[str, Any], ...] = (),
    generated: dict[str, Candidate] | None = None,
) -> Candidate:
    """The upgrade ``kind`` on ``target``, described and priced (by the metre, guard or member
    where the kind is priced so)."""
    if kind == "reaction-team":
        target = f"team-{TEAM_SIZES[0]}"
    known = (generated or {}).get(f"{kind}:{target}")
    if known is not None and not values:
        return known
    el = site.get(target)
    per = costs["costs"][kind].get("per")
    units: float = 1.0
    if per == "metre":
        units = (getattr(el, "length_m", None) or DEFAULT_WALL_M) if el is not None else 1.0
    elif per == "guard" and el is not None:
        units = max((s.guards for s in getattr(el, "shifts", None) or ()), default=1) or 1
    elif per == "member":
        units = TEAM_SIZES[0]
    what = _describe(kind, target, values, costs)
    return Candidate(kind, target, what, yearly(costs, kind, units), int(units), values)


def _describe(kind: str, target: str, values: tuple, costs: dict[str, Any]) -> str:
    if kind == "alarm-comms":
        return f"make the alarm path to the response force redundant (p_comm {REDUNDANT_P_COMM:g})"
    if kind == "reaction-team":
        return f"an armed on-site reaction team of {TEAM_SIZES[0]}"
    text = str(costs["costs"][kind].get("description") or kind)
    text = text.split(", per ")[0]
    setting = ", ".join(f"{k}: {_shown(v)}" for k, v in values)
    return f"{target}: {text}" + (f" ({setting})" if setting else "")


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(list(value)) if isinstance(value, tuple) else str(value)
