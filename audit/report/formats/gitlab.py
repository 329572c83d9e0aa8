"""GitLab Code Quality report (JSON): findings shown in merge requests.

One issue per unwaived finding: ``description``, ``check_name`` (the rule),
``fingerprint`` (unique per file and finding), ``severity`` on GitLab's scale
and ``location`` (path and line). Files that could not be audited are issues
too, so a broken file never looks clean.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from audit.report.formats.sarif import relative_path

SEVERITY = {
    "critical": "blocker",
    "high": "critical",
    "medium": "major",
    "low": "minor",
    "info": "info",
}


def _issue(check: str, text: str, severity: str, path: str, line: int, key: str) -> dict:
    uri = relative_path(path)
    digest = hashlib.sha256(f"{uri}\0{key}".encode()).hexdigest()
    return {
        "type": "issue",
        "check_name": check,
        "description": text,
        "categories": ["Security"],
        "fingerprint": digest,
        "severity": severity,
        "location": {"path": uri, "lines": {"begin": max(1, line)}},
    }


def render(results: list[Any], *, errors: list[Any] | None = None, **_: Any) -> str:
    issues = [
        _issue("siteaudit/input-error", p.message, "blocker", p.file, p.line, f"{p}")
        for p in errors or []
    ]
    for r in results:
        for f in r.findings:
            if not f.waived:
                issues.append(
                    _issue(
                        f.rule,
                        f"{f.rule} {f.title}: {f.message}",
                        SEVERITY[f.severity],
                        f.file,
                        f.line,
                        f.fingerprint,
                    )
                )
    return json.dumps(issues, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
