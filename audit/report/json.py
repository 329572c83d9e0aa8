"""JSON report: the documented contract scripts rely on (see README, "JSON output")."""

from __future__ import annotations

import json
from typing import Any

from audit import __version__

SCHEMA_VERSION = "1"


def site_dict(result: Any) -> dict[str, Any]:
    return {
        "file": result.file,
        "site": result.site,
        "name": result.name,
        "findings": [f.to_dict() for f in result.findings],
        "summary": result.summary,
    }


def render(results: list[Any], *, color: bool = False, **_: Any) -> str:
    data = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "siteaudit", "version": __version__},
        "sites": [site_dict(r) for r in results],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
