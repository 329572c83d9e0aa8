"""Baselines: accept today's findings, fail only on new ones, report the fixed ones.

A baseline file records findings by site file, site id and fingerprint
(rule + element), never by line, so editing a site file (moving lines) changes
nothing, and a copy of a site file under another name is judged on its own.
Version 1 baselines (no file) still load; they match on site id alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.common import files
from audit.common.errors import Problem, SiteError
from audit.common.jsonfile import parse_json

VERSION = 2
READABLE = (1, 2)


def entries(results: list[Any]) -> list[dict[str, str]]:
    out = []
    for r in results:
        for f in r.findings:
            if not f.waived:
                out.append(
                    {
                        "file": Path(r.file).as_posix(),
                        "site": r.site,
                        "fingerprint": f.fingerprint,
                        "rule": f.rule,
                        "element": f.element,
                        "severity": f.severity,
                    }
                )
    return sorted(out, key=lambda e: (e["file"], e["site"], e["rule"], e["element"]))


def dumps(results: list[Any]) -> str:
    doc = {"version": VERSION, "tool": "siteaudit", "findings": entries(results)}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


_FIELDS = ("site", "fingerprint", "rule", "element", "severity")


def load(path: str | Path) -> list[dict[str, str]]:
    """Read a baseline written by ``--write-baseline``; ``SiteError`` for anything else."""
    name = str(path)
    raw = files.read_bytes(path, what="baseline")
    doc = parse_json(raw, name, what="baseline")
    if (
        not isinstance(doc, dict)
        or doc.get("version") not in READABLE
        or not isinstance(doc.get("findings"), list)
    ):
        raise SiteError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "not a siteaudit baseline (expected a version and findings); "
                    "write one with --write-baseline",
                )
            ]
        )
    for i, entry in enumerate(doc["findings"]):
        fields = _FIELDS + (("file",) if doc["version"] >= 2 else ())
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in fields):
            raise SiteError(
                [
                    Problem(
                        name,
                        1,
                        1,
                        f"baseline entry {i} must be an object with string fields "
                        f"{', '.join(fields)}; write the baseline again with --write-baseline",
                    )
                ]
            )
    return doc["findings"]


@dataclass
class Comparison:
    new: list[Any] = field(default_factory=list)
    known: list[Any] = field(default_factory=list)
    fixed: list[dict[str, str]] = field(default_factory=list)


def _key(entry: dict[str, str]) -> tuple[str | None, str, str]:
    return (entry.get("file"), entry["site"], entry["fingerprint"])


def compare(results: list[Any], baseline: list[dict[str, str]]) -> Comparison:
    """Split today's unwaived findings into new and known; list baseline entries now gone."""
    recorded = {_key(e) for e in baseline}
    files_seen = {(Path(r.file).as_posix(), r.site) for r in results}
    seen = set()
    out = Comparison()
    for r in results:
        name = Path(r.file).as_posix()
        for f in r.findings:
            if f.waived:
                continue
            keys = {(name, r.site, f.fingerprint), (None, r.site, f.fingerprint)}
            seen |= keys
            (out.known if keys & recorded else out.new).append(f)
    out.fixed = [
        e
        for e in baseline
        if _key(e) not in seen
        and (
            (e.get("file"), e["site"]) in files_seen
            or ("file" not in e and any(site == e["site"] for _, site in files_seen))
        )
    ]
    return out
