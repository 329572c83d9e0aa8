"""GitHub Actions workflow commands: one annotation per finding, on its file and line.

Printed in a workflow step, each line becomes an annotation on the pull
request's diff (``::error``, ``::warning``, ``::notice``). Findings at or above
``--fail-on`` are errors, the rest warnings (info: notices); waived findings
are left out. Values are escaped as the Actions toolkit does, so a name from a
site file can never start a command of its own.
"""

from __future__ import annotations

from typing import Any

from audit.findings import failing
from audit.report.formats.sarif import relative_path


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, file: str, line: int, col: int, title: str, message: str) -> str:
    props = f"file={_prop(relative_path(file))},line={line},col={col},title={_prop(title)}"
    return f"::{level} {props}::{_data(message)}"


def render(
    results: list[Any],
    *,
    fail_on: str = "high",
    errors: list[Any] | None = None,
    strict: bool = False,
    **_: Any,
) -> str:
    out = [
        _command("error", p.file, p.line, p.column, "siteaudit: bad input", p.message)
        for p in errors or []
    ]
    for r in results:
        for f in r.findings:
            if f.waived:
                continue
            if failing([f], fail_on, strict=strict):
                level = "error"
            else:
                level = "notice" if f.severity == "info" else "warning"
            fix = " ".join(f.remediation.split())
            out.append(
                _command(
                    level,
                    f.file,
                    f.line,
                    f.column,
                    f"{f.rule} ({f.severity}): {f.title}",
                    f"{f.element}: {f.message}\nFix: {fix}",
                )
            )
    return "\n".join(out) + "\n"
