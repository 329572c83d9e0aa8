"""The exported JSON Schema accepts every example site and matches the committed copy."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import ROOT, SITES, run_cli

from audit.site.schema import dumps, site_schema


def _plain(value):
    """YAML dates become ISO strings, as an editor's schema validator sees them."""
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", sorted(SITES.glob("*.yaml")), ids=lambda p: p.stem)
def test_example_sites_validate_against_exported_schema(path):
    schema = site_schema()
    data = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(
        data
    )


def test_schema_rejects_unknown_key():
    schema = site_schema()
    bad = {"site": {"id": "x", "name": "X"}, "zones": [{"id": "a", "kind": "public", "colour": 1}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_committed_schema_is_current():
    committed = (ROOT / "schema" / "site.schema.json").read_text(encoding="utf-8")
    assert committed == dumps(site_schema()), "run: siteaudit schema -o schema/site.schema.json"


def test_schema_command_prints_json():
    result = run_cli("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "siteaudit site file"
