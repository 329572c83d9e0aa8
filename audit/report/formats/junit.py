"""JUnit XML: one testsuite per site file, one testcase per rule checked.

A rule with unwaived findings at or above ``fail_on`` is a failure listing
each lapse with file:line and the fix; findings below the threshold and
waived ones are reported in the testcase's system-out. No timestamps, so the
same input gives the same file. The site file is the testsuite's ``file``: the
Jenkins xunit schema (junit-10.xsd) allows no ``file`` on a testcase.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from audit.common.escape import xml_text
from audit.findings import failing as is_failing


def _lines(findings: list[Any]) -> str:
    return xml_text(
        "\n".join(
            f"{f.file}:{f.line}:{f.column}: {f.element}: {f.message}\n"
            f"  fix: {' '.join(f.remediation.split())}"
            for f in findings
        )
    )


def _why_not(f: Any) -> str:
    if f.waived:
        return "waived: "
    return "fact to survey: " if f.gap else f"below --fail-on ({f.severity}): "


def render(
    results: list[Any],
    *,
    fail_on: str = "high",
    errors: list[Any] | None = None,
    strict: bool = False,
    **_: Any,
) -> str:
    root = ET.Element("testsuites", name="siteaudit")
    total = failed = 0
    for r in results:
        suite = ET.SubElement(root, "testsuite", name=xml_text(r.file), file=xml_text(r.file))
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
                name=xml_text(f"{rule.id} {rule.spec.title}"),
                time="0",
            )
            failing = [f for f in found if is_failing([f], fail_on, strict=strict)]
            other = [f for f in found if f not in failing]
            if failing:
                n_fail += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=xml_text(
                        f"{len(failing)} {rule.spec.severity} lapse(s): {rule.spec.title}"
                    ),
                    type=rule.spec.severity,
                )
                failure.text = _lines(failing)
            if other:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(_why_not(f) + _lines([f]) for f in other)
        suite.set("tests", str(len(r.rules)))
        suite.set("failures", str(n_fail))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += len(r.rules)
        failed += n_fail
    by_file: dict[str, list[Any]] = {}
    for p in errors or []:
        by_file.setdefault(p.file, []).append(p)
    for name in sorted(by_file):
        suite = ET.SubElement(
            root, "testsuite", name=xml_text(name), tests="1", failures="0", errors="1"
        )
        suite.set("skipped", "0")
        suite.set("file", xml_text(name))
        case = ET.SubElement(suite, "testcase", classname="siteaudit", name="site file loads")
        case.set("time", "0")
        problems = by_file[name]
        error = ET.SubElement(
            case,
            "error",
            message=xml_text(f"{len(problems)} problem(s) in {name}: not audited"),
            type="input",
        )
        error.text = xml_text("\n".join(str(p) for p in problems))
        total += 1
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", str(len(by_file)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
