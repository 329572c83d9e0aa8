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


def starter_text(target: Path) -> tuple[str, Path | None]:
    """(the starter file for ``target``, where its schema must be written, if anywhere).

    The first line points the YAML language server at the site schema: the
    repository's ``schema/site.schema.json`` when there is one above the
    target, else a copy beside it (the second value) that the caller writes.
    """
    folder = target.resolve().parent
    schema = _schema_near(folder)
    missing = None
    if schema is None:
        schema = folder / SCHEMA_NAME
        missing = None if schema.exists() else schema
    rel = Path(os.path.relpath(schema, folder)).as_posix()
    text = (resources.files("audit.data") / "starter.yaml").read_text(encoding="utf-8")
    text = text.replace("site.yaml", target.name)
    return f"# yaml-language-server: $schema={rel}\n{text}", missing


def schema_text() -> str:
    from audit.site.schema import dumps, site_schema

    return dumps(site_schema())
