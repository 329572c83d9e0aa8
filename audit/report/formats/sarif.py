"""SARIF 2.1.0 for GitHub code scanning and other CI viewers.

Every active rule is described (id, short and full description, help,
``security-severity``); every finding is a result with a level, a message,
a relative artifact URI and a 1-based line, a stable partial fingerprint
(rule + element), waived findings as in-source suppressions with their
justification, and the most vulnerable path of an asset as a codeFlow.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from audit import __url__, __version__

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}


def relative_path(path: str) -> str:
    """Relative to the working directory (what code scanning expects), in POSIX form; a
    file outside it keeps its absolute path. Raw: the GitHub and GitLab formats take a path."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_posix()
    return Path(os.path.normpath(p)).as_posix()


def artifact_uri(path: str) -> str:
    """``relative_path`` as an RFC 3986 URI reference (SARIF 3.10.2): a space, ``%``, ``#``
    or a non-ASCII letter percent-encoded (UTF-8); outside the working directory a file
    URI."""
    rel = relative_path(path)
    if Path(rel).is_absolute():
        return Path(rel).as_uri()
    return quote(rel, safe="/")


def _location(uri: str, line: int, column: int, element: str | None = None) -> dict[str, Any]:
    loc: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(1, line), "startColumn": max(1, column)},
        }
    }
    if element:
        loc["logicalLocations"] = [{"name": element, "kind": "element"}]
    return loc


def _rule(rule: Any) -> dict[str, Any]:
    s = rule.spec
    refs = "; ".join(s.references)
    fix = " ".join(s.remediation.split())
    why = " ".join(s.rationale.split())
    return {
        "id": s.id,
        "name": "".join(w.capitalize() for w in s.id.split("-")),
        "shortDescription": {"text": s.title},
        "fullDescription": {"text": why},
        "help": {
            "text": f"{fix}\nStandard: {refs}",
            "markdown": f"**Fix:** {fix}\n\n**Why:** {why}\n\n**Standard:** {refs}",
        },
        "defaultConfiguration": {"level": LEVEL[s.severity]},
        "properties": {
            "tags": ["security", "physical-security", s.category],
            "security-severity": SECURITY_SEVERITY[s.severity],
            "problem.severity": "error" if s.severity in ("critical", "high") else "warning",
            "precision": "high",
        },
    }


def _code_flow(result: Any, asset: Any, uri: str) -> dict[str, Any]:
    site = result.model
    steps = []
    start = site.get(asset.start)
    steps.append(
        {
            "location": {
                **_location(uri, start.line, start.column, asset.start),
                "message": {"text": f"start in public zone {asset.start}"},
            }
        }
    )
    for i, s in enumerate(asset.path, 1):
        el = site.get(s.element)
        cdp = " (critical detection point)" if s.element == asset.critical_detection_point else ""
        steps.append(
            {
                "location": {
                    **_location(uri, el.line, el.column, s.element),
                    "message": {
                        "text": f"{i}. {s.element} ({s.kind}): p_detect {s.p_detect:.2f}, "
                        f"delay {s.delay_s:g} s, P(I) so far {s.cumulative_p_interruption:.3f}"
                        f"{cdp}"
                    },
                }
            }
        )
    return {
        "message": {
            "text": f"most vulnerable path to {asset.asset} at {asset.at}: "
            f"P(I) = {asset.p_interruption:.3f}"
        },
        "threadFlows": [{"locations": steps}],
    }


MAX_RESULTS = 25_000
"""GitHub code scanning rejects a run with more results; the rest are counted in a notification."""


def _notifications(errors: list[Any], dropped: int) -> list[dict[str, Any]]:
    out = [
        {
            "level": "error",
            "message": {"text": p.message},
            "descriptor": {"id": "siteaudit/input-error"},
            "locations": [_location(artifact_uri(p.file), p.line, p.column)],
        }
        for p in errors
    ]
    if dropped:
        out.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{dropped} more results not included: code scanning accepts "
                    f"{MAX_RESULTS} per run; see the JSON report for all of them"
                },
                "descriptor": {"id": "siteaudit/results-truncated"},
            }
        )
    return out


def render(
    results: list[Any], *, baseline: Any = None, errors: list[Any] | None = None, **_: Any
) -> str:
    new = {id(f) for f in baseline.new} if baseline is not None else None
    rules: dict[str, Any] = {}
    for r in results:
        for rule in r.rules:
            rules.setdefault(rule.id, rule)
    ordered = sorted(rules)
    index = {rid: i for i, rid in enumerate(ordered)}
    out_results = []
    artifacts = []
    for r in results:
        uri = artifact_uri(r.file)
        artifacts.append({"location": {"uri": uri, "uriBaseId": "%SRCROOT%"}})
        paths = {a.asset: a for a in r.analysis.assets} if r.model.assets else {}
        for f in r.findings:
            res: dict[str, Any] = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": LEVEL[f.severity],
                "message": {"text": f"{f.message}. Fix: {' '.join(f.remediation.split())}"},
                "locations": [_location(uri, f.line, f.column, f.element)],
                "partialFingerprints": {"siteaudit/v1": f.fingerprint},
                "properties": {
                    "severity": f.severity,
                    "category": f.category,
                    "element": f.element,
                    "site": r.site,
                },
            }
            if f.evidence:
                res["properties"]["evidence"] = f.evidence
            if new is not None and not f.waived:
                res["baselineState"] = "new" if id(f) in new else "unchanged"
            if f.category == "low-interruption" and f.element in paths and paths[f.element].path:
                res["codeFlows"] = [_code_flow(r, paths[f.element], uri)]
            if f.waived:
                w = f.waiver or {}
                res["suppressions"] = [
                    {
                        "kind": "inSource",
                        "status": "accepted",
                        "justification": f"{w.get('reason')} (owner {w.get('owner')}, "
                        f"expires {w.get('expires')})",
                        "location": _location(uri, int(w.get("line", 1)), 1),
                        "properties": {"owner": w.get("owner"), "expires": w.get("expires")},
                    }
                ]
            out_results.append(res)
    errors = errors or []
    dropped = max(0, len(out_results) - MAX_RESULTS)
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    if errors or dropped:
        invocation["toolExecutionNotifications"] = _notifications(errors, dropped)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "siteaudit",
                        "informationUri": __url__,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(rules[rid]) for rid in ordered],
                    }
                },
                "artifacts": artifacts,
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "working directory"}}},
                "invocations": [invocation],
                "results": out_results[:MAX_RESULTS],
            }
        ],
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
