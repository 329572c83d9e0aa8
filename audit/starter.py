"""The starter site file that ``siteaudit init`` writes, with editor support wired in."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

SCHEMA_NAME = "site.schema.json"


def _schema_near(folder: Path) -> Path | None:
    """``schema/site.schema.json`` in ``folder`` or a folder above it (a repository's copy)."""
    for d in (folder, *folder.parents):
        candidate = d / "schema" / SCHEMA_NAME
        if candidate.is_file():
            return candidate
    return None


def starter_text(target: Path) -> tuple[str, str]:
    """(the starter file for ``target``, a note on where its schema line points).

    The first line points the YAML language server at the site schema: the
    repository's ``schema/site.schema.json`` when there is one above the
    target, else a copy written beside it.
    """
    from audit.files import write_output
    from audit.schema import dumps, site_schema

    folder = target.resolve().parent
    schema = _schema_near(folder)
    note = ""
    if schema is None:
        schema = folder / SCHEMA_NAME
        if not schema.exists():
            write_output(dumps(site_schema()), str(schema))
            note = f" and {Path(os.path.relpath(schema))} (its schema, for editors)"
    rel = Path(os.path.relpath(schema, folder)).as_posix()
    text = (resources.files("audit.data") / "starter.yaml").read_text(encoding="utf-8")
    text = text.replace("site.yaml", target.name)
    return f"# yaml-language-server: $schema={rel}\n{text}", note
