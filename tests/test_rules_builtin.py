"""Every built-in rule fires on its failing example and stays quiet on its passing one.

Examples live beside the checklist, checklists/examples/RULE-ID.yaml: a header
'# fires-on: ELEMENT', then the failing site, '---', and the passing site. The same files
are what ``siteaudit explain`` prints.
"""

from __future__ import annotations

import datetime as dt

import pytest

from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site

RULES = load_rules([])
BY_ID = {r.id: r for r in RULES}
TODAY = dt.date(2026, 11, 25)


def _cases(rule_id: str, tmp_path):
    example = BY_ID[rule_id].example()
    assert example is not None, f"{rule_id} has no example"
    element = example.fires_on
    paths = []
    for name, body in (("fires", example.failing), ("passes", example.passing)):
        p = tmp_path / f"{name}.yaml"
        p.write_text(body, encoding="utf-8")
        paths.append(p)
    return element, paths


def _findings(path, rule_id):
    """The rule's findings, including those grouped under another rule's lead (``also``)."""
    out = []
    for f in run_rules(load_site(path), RULES, today=TODAY):
        if f.rule == rule_id or any(o["rule"] == rule_id for o in f.data.get("also", [])):
            out.append(f)
    return out


def test_every_builtin_rule_has_example():
    have = {p.stem for p in RULES[0].example_path.parent.glob("*.yaml")}
    assert set(BY_ID) == have


@pytest.mark.parametrize("rule_id", sorted(BY_ID))
def test_rule_fires_on_failing_site(rule_id, tmp_path):
    element, (fires, _) = _cases(rule_id, tmp_path)
    found = _findings(fires, rule_id)
    if BY_ID[rule_id].spec.category != "data-gap":
        found = [f for f in found if not f.gap]  # a lapse, not a fact to survey
    assert [f.element for f in found if not f.waived] == [element]
    f = found[0]
    assert f.line >= 1 and f.message and f.remediation and f.references


@pytest.mark.parametrize("rule_id", sorted(BY_ID))
def test_rule_quiet_on_passing_site(rule_id, tmp_path):
    _, (_, passes) = _cases(rule_id, tmp_path)
    assert [f for f in _findings(passes, rule_id) if not f.waived] == []


def test_builtin_covers_every_category_and_cites_sources():
    from audit.rules.checklist import CATEGORIES

    cats = {r.spec.category for r in RULES}
    assert cats == set(CATEGORIES)
    assert len(RULES) >= 25
    for r in RULES:
        assert r.spec.references and all(ref.strip() for ref in r.spec.references)
