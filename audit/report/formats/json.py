"""JSON report: the documented contract scripts rely on (see README, "JSON output")."""

from __future__ import annotations

import json
from typing import Any

from audit import __version__

SCHEMA_VERSION = "2"


def site_dict(result: Any) -> dict[str, Any]:
    out = {
        "file": result.file,
        "site": result.site,
        "name": result.name,
        "findings": [f.to_dict() for f in result.findings],
        "summary": result.summary,
    }
    if result.plan is not None:
        out["plan"] = result.plan
    return out


def render(
    results: list[Any], *, baseline: Any = None, errors: list[Any] | None = None, **_: Any
) -> str:
    data: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "siteaudit", "version": __version__},
        "sites": [site_dict(r) for r in results],
    }
    if errors:
        data["errors"] = [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
            for p in errors
        ]
    if baseline is not None:
        new = {f.fingerprint for f in baseline.new}
        for site in data["sites"]:
            for f in site["findings"]:
                if not f["waived"]:
                    f["baseline"] = "new" if f["fingerprint"] in new else "unchanged"
        data["baseline"] = {
            "new": len(baseline.new),
            "unchanged": len(baseline.known),
            "fixed": baseline.fixed,
        }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
