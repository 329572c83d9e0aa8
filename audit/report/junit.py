"""JUnit XML: one testsuite per site file, one testcase per rule checked.

A rule with unwaived findings at or above ``fail_on`` is a failure listing
each lapse with file:line and the fix; findings below the threshold and
waived ones are reported in the testcase's system-out. No timestamps, so the
same input gives the same file.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from audit.findings import at_or_above


def _lines(findings: list[Any]) -> str:
    return "\n".join(
        f"{f.file}:{f.line}:{f.column}: {f.element}: {f.message}\n"
        f"  fix: {' '.join(f.remediation.split())}"
        for f in findings
    )


def render(results: list[Any], *, fail_on: str = "high", **_: Any) -> str:
    root = ET.Element("testsuites", name="siteaudit")
    total = failed = 0
    for r in results:
        suite = ET.SubElement(root, "testsuite", name=r.file)
        by_rule: dict[str, list[Any]] = {}
        for f in r.findings:
            by_rule.setdefault(f.rule, []).append(f)
        n_fail = 0
        for rule in sorted(r.rules, key=lambda x: x.id):
            found = sorted(by_rule.get(rule.id, []), key=lambda f: (f.line, f.element))
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"siteaudit.{r.site}",
                name=f"{rule.id} {rule.spec.title}",
                file=r.file,
            )
            failing = [f for f in found if not f.waived and at_or_above(f.severity, fail_on)]
            other = [f for f in found if f not in failing]
            if failing:
                n_fail += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{len(failing)} {rule.spec.severity} lapse(s): {rule.spec.title}",
                    type=rule.spec.severity,
                )
                failure.text = _lines(failing)
            if other:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(
                    ("waived: " if f.waived else f"below --fail-on ({f.severity}): ") + _lines([f])
                    for f in other
                )
        suite.set("tests", str(len(r.rules)))
        suite.set("failures", str(n_fail))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += len(r.rules)
        failed += n_fail
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
