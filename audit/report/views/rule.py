"""One rule in full, as ``siteaudit explain`` prints it: each threshold with its source."""

from __future__ import annotations

import json
from typing import Any


def explain_text(rule: Any, check: Any, *, brief: bool = False) -> str:
    """What ``rule`` checks, why, its thresholds (with the check's description of each, which
    names its source), the facts it needs, its references and the fix."""
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
    return "\n".join(out) + "\n"
