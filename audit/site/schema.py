"""JSON Schema of the site file, for editors (yaml-language-server) and CI checks."""

from __future__ import annotations

import json
from typing import Any


def site_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every valid site file satisfies."""
    from audit.site.model import Site

    schema = Site.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
