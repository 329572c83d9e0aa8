"""Every rule's ``fix`` closes the finding it is there for (on the rule's own failing fixture)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from audit.rules.checklist import load_rules, run_rules
from audit.site.load import site_from_document
from audit.site.source import read_document
from audit.upgrade.candidates import generate, merge_costs
from audit.upgrade.remedies import remedies

RULES = load_rules([])
BY_ID = {r.id: r for r in RULES}
TODAY = dt.date(2026, 11, 25)
COSTS = merge_costs(None)
MEASURED_BY_THE_PLAN = {"SA-EASI-001", "SA-EASI-002", "SA-PATH-001"}
"""Rules whose lapse is a path: closed by the plan's P(E) (or P(I)) search, not one fix."""


def _failing(rule_id: str, tmp_path):
    example = BY_ID[rule_id].example()
    assert example is not None
    path = tmp_path / "fires.yaml"
    path.write_text(example.failing, encoding="utf-8")
    return example.fires_on, read_document(path)


def _lapses(site, rule):
    return [f for f in run_rules(site, [rule], today=TODAY) if not f.gap and not f.waived]


@pytest.mark.parametrize("rule_id", sorted(r.id for r in RULES if r.spec.fix))
def test_the_fix_closes_the_finding(rule_id, tmp_path):
    rule = BY_ID[rule_id]
    element, doc = _failing(rule_id, tmp_path)
    site = site_from_document(doc)
    found = [f for f in _lapses(site, rule) if f.element == element]
    assert found, "the failing fixture must fire"
    generated = {c.id: c for c in generate(site, COSTS)}
    fixes = list(remedies(found[0], rule, site, COSTS, generated))
    assert fixes and all(c.cost > 0 for c in fixes)
    data = doc.data
    for c in fixes:
        c.apply(data)
    fixed = site_from_document(replace(doc, data=data))
    assert [f.element for f in _lapses(fixed, rule)].count(element) == 0, fixes


def test_every_serious_rule_names_a_fix_or_is_measured_by_the_plan():
    serious = {r.id for r in RULES if r.spec.severity in ("critical", "high")}
    named = {r.id for r in RULES if r.spec.fix}
    assert serious - named == MEASURED_BY_THE_PLAN


def test_a_fix_must_name_a_known_upgrade(tmp_path):
    from audit.common.errors import SiteError

    path = tmp_path / "c.yaml"
    path.write_text(
        "id: c\ntitle: C\nrules:\n  - id: X-FIX-001\n    title: t\n    severity: high\n"
        "    category: roof-access\n    check: roof_access\n    references: [r]\n"
        "    rationale: r\n    remediation: r\n    fix: [{upgrade: lok}]\n",
        encoding="utf-8",
    )
    with pytest.raises(SiteError) as err:
        load_rules([path], builtin=False)
    text = str(err.value)
    assert f"{path}:12:" in text and 'unknown upgrade kind "lok"' in text
    assert 'did you mean "lock"' in text
