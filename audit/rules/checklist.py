"""Checklists as data: load rule packs, select rules, and run them on a site.

A checklist is YAML (``checklists/*.yaml``); each rule names a registered
check and its parameters. Everything is validated when the checklist loads:
an unknown check, a bad parameter or a duplicate rule id is an error with
file:line, never a silently skipped rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from audit.common.errors import Problem, SiteError, did_you_mean
from audit.site.source import Document, read_document
from audit.site.values import SurveyPart

CATEGORIES = (
    "unmanned-checkpoint",
    "uncovered-frontage",
    "unguarded-wall",
    "damaged-topping",
    "missing-gate",
    "unprotected-lighting",
    "overlooking-vantage",
    "roof-access",
    "low-interruption",
    "camera-fault",
    "weak-barrier",
    "vehicle-standoff",
    "exposed-residential",
    "clear-zone",
    "no-comms",
    "unassessed-alarm",
    "unprotected-system",
    "waiver",
    "data-gap",
)

Severity = Literal["critical", "high", "medium", "low", "info"]
Category = Literal[CATEGORIES]  # type: ignore[valid-type]


class FixSpec(BaseModel):
    """The upgrade that closes a finding of the rule (``siteaudit improve``), priced by kind."""

    model_config = ConfigDict(extra="forbid")

    upgrade: str = Field(description="An upgrade kind of audit/data/upgrades.yaml.")
    targets: str | None = Field(
        None,
        description="The entry of the finding's data that names the elements to change (one "
        "or a list); default: the element the rule fired on.",
    )
    set: dict[str, Any] = Field(
        default_factory=dict,
        description='Fields to set on each element changed (dotted paths, e.g. "grille": true); '
        'a string "{name}" takes the value of name in the finding\'s data. Empty: the '
        "upgrade kind's own change.",
    )


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$", max_length=60)
    title: str = Field(min_length=1, max_length=200)
    severity: Severity
    category: Category
    check: str
    params: dict[str, Any] = Field(default_factory=dict)
    references: list[Annotated[str, Field(max_length=300)]] = Field(
        min_length=1, max_length=20, description="Standard and clause it rests on."
    )
    rationale: str = Field(min_length=1, max_length=4000)
    remediation: str = Field(min_length=1, max_length=4000)
    fix: list[FixSpec] = Field(
        default_factory=list,
        max_length=10,
        description="Upgrades that together close a finding of this rule (siteaudit improve).",
    )
    rests_on: list[SurveyPart] = Field(
        default_factory=list,
        description="What a finding of this rule rests on the absence of (cameras, lights, "
        "gate_fittings...): on a site whose site.not_surveyed names one, the finding is a "
        "fact to survey, not a lapse.",
    )
    limits: str | None = Field(
        None,
        max_length=4000,
        description="Known limits: what the rule cannot see, and where it may fire falsely.",
    )


class ChecklistSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"title": "siteaudit checklist"})

    id: str
    title: str
    description: str | None = None
    rules: list[RuleSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Example:
    """A rule's example: a site it fires on (at element ``fires_on``) and one it does not.

    Kept in ``examples/RULE-ID.yaml`` beside the checklist: a ``# fires-on: ELEMENT``
    header, the failing site, a line ``---``, the passing site. The tests run every example
    and ``siteaudit explain`` prints it, so the documentation cannot drift from the rule.
    """

    fires_on: str
    failing: str
    passing: str

    @classmethod
    def parse(cls, text: str) -> Example:
        header, _, rest = text.partition("\n")
        if not header.startswith("# fires-on:") or "\n---\n" not in rest:
            raise ValueError("expected '# fires-on: ELEMENT', the failing site, '---', the passing")
        failing, passing = rest.split("\n---\n", 1)
        return cls(header.removeprefix("# fires-on:").strip(), failing, passing)


@dataclass
class Rule:
    spec: RuleSpec
    params: Any
    file: str
    line: int

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def example_path(self) -> Path:
        return Path(self.file).parent / "examples" / f"{self.id}.yaml"

    def example(self) -> Example | None:
        """The rule's example beside its checklist, or None when it has none."""
        try:
            text = self.example_path.read_text(encoding="utf-8")
        except OSError:
            return None
        return Example.parse(text)


def upgrade_kinds() -> frozenset[str]:
    """The upgrade kinds a rule's ``fix`` may name (those priced in audit/data/upgrades.yaml)."""
    from audit.site.source import packaged_data

    return frozenset(packaged_data("upgrades.yaml")["costs"])


BUILTIN_NAME = "builtin.yaml"
RENAMED = {"baseline.yaml": BUILTIN_NAME}
"""Shipped checklist files under their old names (``checklists/baseline.yaml``, renamed after
0.1.0): a path to one of them that no longer exists is read from the new name (``renamed``)."""


def builtin_path() -> Path:
    """The shipped built-in checklist. Installed, it is the package ``audit.checklists``;
    in a source tree (the repository, an unpacked sdist) the top-level ``checklists/`` is
    only mapped into the package by an install, so a local ``audit/`` that shadows a
    non-editable install (``python -m audit`` run from that folder) finds it beside itself."""
    try:
        return Path(str(resources.files("audit.checklists") / BUILTIN_NAME))
    except ModuleNotFoundError:
        import audit

        return Path(audit.__file__).resolve().parent.parent / "checklists" / BUILTIN_NAME


def renamed(path: str | Path) -> Path | None:
    """The shipped checklist that ``path`` names by its old file name, if it does: the old
    name in the shipped checklists folder, no longer there. None for any other path (a
    user's own copy called ``baseline.yaml`` is theirs and is read as it is)."""
    p = Path(path)
    new = RENAMED.get(p.name)
    if new is None:
        return None
    shipped = builtin_path().parent
    try:  # a path that cannot even be looked at is left for the reader to report
        if p.exists() or p.parent.resolve() != shipped.resolve():
            return None
    except (OSError, ValueError, RuntimeError):
        return None
    return shipped / new


def load_checklist(path: str | Path) -> list[Rule]:
    """Load one checklist file; raise ``SiteError`` with file:line for any problem."""
    from audit.checks import REGISTRY
    from audit.site.problems import problem_from_pydantic

    doc = read_document(path)
    try:
        spec = ChecklistSpec.model_validate(doc.data)
    except ValidationError as exc:
        problems = [problem_from_pydantic(doc, ChecklistSpec, e) for e in exc.errors()]
        raise SiteError(sorted(set(doc.problems + problems))) from None
    problems = list(doc.problems)
    rules: list[Rule] = []
    for i, r in enumerate(spec.rules):
        loc = ("rules", i)
        chk = REGISTRY.get(r.check)
        if chk is None:
            problems.append(
                doc.problem(
                    (*loc, "check"),
                    f'rule {r.id}: unknown check "{r.check}"{did_you_mean(r.check, REGISTRY)}; '
                    "run `siteaudit rules --checks` to list them",
                )
            )
            continue
        try:
            params = chk.params.model_validate(r.params)
        except ValidationError as exc:
            problems += [_param_problem(doc, loc, r.id, chk, e) for e in exc.errors()]
            continue
        for j, fix in enumerate(r.fix):
            if fix.upgrade not in upgrade_kinds():
                problems.append(
                    doc.problem(
                        (*loc, "fix", j, "upgrade"),
                        f'rule {r.id}: unknown upgrade kind "{fix.upgrade}"'
                        f"{did_you_mean(fix.upgrade, upgrade_kinds())}; expected one of "
                        + ", ".join(sorted(upgrade_kinds())),
                    )
                )
        line, _ = doc.where(loc)
        rules.append(Rule(r, params, doc.path, line))
    if problems:
        raise SiteError(problems)
    return rules


def _param_problem(
    doc: Document, loc: tuple, rule_id: str, chk: Any, err: Mapping[str, Any]
) -> Problem:
    where = (*loc, "params", *err["loc"])
    if err["type"] == "extra_forbidden":
        allowed = sorted(chk.params.model_fields)
        hint = did_you_mean(err["loc"][-1], allowed)
        return doc.problem(
            where,
            f'rule {rule_id}: check "{chk.name}" has no parameter "{err["loc"][-1]}"{hint}; '
            f"expected one of: {', '.join(allowed) or '(none)'}",
            key=True,
        )
    name = ".".join(str(p) for p in err["loc"]) or "params"
    msg = err["msg"].removeprefix("Value error, ")
    return doc.problem(where, f"rule {rule_id}: params.{name}: {msg}")


def load_rules(paths: list[str | Path], *, builtin: bool = True) -> list[Rule]:
    """Load the built-in checklist (unless told not to) and each extra checklist; ids must
    be unique. A shipped checklist named by its old file name is read from its new one."""
    files = ([builtin_path()] if builtin else []) + [renamed(p) or Path(p) for p in paths]
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    problems: list[Problem] = []
    for f in files:
        try:
            loaded = load_checklist(f)
        except SiteError as exc:
            problems += exc.problems
            continue
        for rule in loaded:
            if rule.id in seen:
                first = seen[rule.id]
                problems.append(
                    Problem(
                        rule.file,
                        rule.line,
                        1,
                        f"rule id {rule.id} is already defined at {first.file}:{first.line}",
                    )
                )
                continue
            seen[rule.id] = rule
            rules.append(rule)
    if problems:
        raise SiteError(problems)
    return rules


def select_rules(rules: list[Rule], select: list[str], ignore: list[str]) -> list[Rule]:
    """Keep rules whose id or category matches a ``select`` pattern and no ``ignore`` pattern."""

    def hit(rule: Rule, patterns: list[str]) -> bool:
        return any(fnmatchcase(rule.id, p) or fnmatchcase(rule.spec.category, p) for p in patterns)

    return [r for r in rules if (not select or hit(r, select)) and not hit(r, ignore)]


GAP_REMEDIATION = (
    "Survey the site, record the missing fact in the site file, and run siteaudit check again: "
    "until then this rule cannot say whether there is a lapse."
)
MAX_FINDINGS_PER_RULE = 1000
"""Findings one rule may report on one site; past it, one finding says how many were left out."""


def _finding(rule: Rule, site: Any, hit: Any) -> Any:
    """The finding ``rule`` makes of ``hit``: a lapse, or (``hit.gap``) a fact to survey."""
    from audit.findings import DATA_GAP, Finding

    el = site.get(hit.element)
    unsurveyed = sorted(set(rule.spec.rests_on) & set(site.site.not_surveyed))
    gap = hit.gap or bool(unsurveyed)
    message = hit.message
    if unsurveyed and not hit.gap:
        message += f" (not surveyed yet: {', '.join(unsurveyed)})"
    return Finding(
        rule=rule.id,
        title=rule.spec.title,
        severity="info" if gap else _severity(rule.spec.severity, hit.severity),
        category=DATA_GAP if gap else rule.spec.category,
        element=hit.element,
        file=site.path,
        line=hit.line or (el.line if el is not None else 1),
        column=hit.column or (el.column if el is not None else 1),
        message=message,
        remediation=GAP_REMEDIATION if gap else rule.spec.remediation,
        references=list(rule.spec.references),
        evidence=hit.evidence,
        data=hit.data,
    )


def _severity(rule: str, judged: str | None) -> str:
    """The rule's severity, or the check's judgement of this hit where it is lower."""
    from audit.findings import RANK

    return rule if judged is None or RANK[judged] <= RANK[rule] else judged


def run_rules(
    site: Any,
    rules: list[Rule],
    *,
    at: str | None = None,
    today: dt.date | None = None,
    known: list[Rule] | None = None,
    ctx: Any = None,
) -> list[Any]:
    """Run ``rules`` on ``site``; return findings sorted worst first, waivers applied.

    Pass ``ctx`` (an ``audit.checks.Context``) to keep what the rules computed
    (the path analysis, who watches what) for the reports that show it.
    """
    from audit.checks import REGISTRY, Context, Hit
    from audit.findings import Finding, apply_waivers

    if ctx is None:
        ctx = Context(site, at=at, today=today or dt.date.today())
    ctx.active_rules = frozenset(r.id for r in rules)
    ctx.known_rules = frozenset(r.id for r in (known or rules))
    findings: list[Finding] = []
    # rules that read a part computed in the background run last (the output is sorted)
    order = sorted(rules, key=lambda r: bool(ctx.pending and REGISTRY[r.spec.check].uses))
    for phase in ("main", "waivers"):
        for rule in order:
            chk = REGISTRY[rule.spec.check]
            if chk.phase != phase:
                continue
            count = 0
            for hit in chk.fn(ctx, rule.params):
                count += 1
                if count > MAX_FINDINGS_PER_RULE:
                    continue
                findings.append(_finding(rule, site, hit))
            if count > MAX_FINDINGS_PER_RULE:
                extra = count - MAX_FINDINGS_PER_RULE
                message = (
                    f"{extra} more findings of {rule.id} not listed: the limit is "
                    f"{MAX_FINDINGS_PER_RULE} per rule per site"
                )
                findings.append(_finding(rule, site, Hit("(more)", message)))
        if phase == "main":
            apply_waivers(findings, site, ctx.today)
            ctx.findings = list(findings)
    from audit.findings.grouping import group_by_cause

    return group_by_cause(findings)


def checklist_schema() -> dict[str, Any]:
    """JSON Schema of checklist files."""
    schema = ChecklistSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
