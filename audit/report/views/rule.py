"""One rule in full, as ``siteaudit explain`` prints it: each threshold with its source."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.checks import Check
    from audit.rules.checklist import Rule


def explain_text(rule: Rule, check: Check, *, brief: bool = False) -> str:
    """What ``rule`` checks, why, its thresholds (with the check's description of each, which
    names its source), the facts it needs, its references, the fix, its known limits, and its
    example: a site it fires on and one it does not (the same files the tests run)."""
    s = rule.spec
    out = [f"{s.id}: {s.title}"]
    if brief:
        return out[0] + "\n"
    out += [
        f"  severity:    {s.severity}",
        f"  category:    {s.category}",
        f"  defined at:  {rule.file}:{rule.line}",
        f"  check:       {s.check}: {check.doc}",
    ]
    values = rule.params.model_dump(by_alias=True, exclude={"where", "message", "facts"})
    for name, value in sorted(values.items()):
        field = check.params.model_fields.get(name)
        why = f"  ({field.description})" if field is not None and field.description else ""
        out.append(f"  {name + ':':<13}{json.dumps(value, sort_keys=True)}{why}")
        if len(name) >= 12:
            out[-1] = f"  {name}:\n  {'':<13}{json.dumps(value, sort_keys=True)}{why}"
    if s.params.get("where"):
        out.append(f"  where:       {json.dumps(s.params['where'], sort_keys=True)}")
    if s.params.get("facts"):
        out.append(f"  needs facts: {', '.join(s.params['facts'])} (unrecorded: a data gap)")
    out += [
        "  references:  " + "; ".join(s.references),
        "",
        "Why: " + " ".join(s.rationale.split()),
        "",
        "Fix: " + " ".join(s.remediation.split()),
    ]
    if s.limits:
        out += ["", "Known limits: " + " ".join(s.limits.split())]
    example = rule.example()
    if example is not None:
        out += ["", f"Example: fires on {example.fires_on} in", "", _indent(example.failing)]
        out += ["and not in", "", _indent(example.passing)]
    return "\n".join(out).rstrip("\n") + "\n"


def _indent(site: str) -> str:
    return "".join(f"    {line}\n" if line else "\n" for line in site.strip("\n").split("\n"))
