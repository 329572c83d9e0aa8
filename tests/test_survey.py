"""siteaudit survey: the page (in real Chromium), the ranking, applying answers, bad answers."""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from browser import launch
from conftest import KPO, ROOT, run_cli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

TODAY = ("--today", "2026-01-15")


_launch = launch


def _fill(page) -> list[dict]:
    """Answer every fact on the page as a careful auditor would: yes to every yes/no, a
    figure inside the range of every number, the first choice, hours where hours are asked.
    Returns what was answered."""
    facts = json.loads(page.locator("#survey-meta").text_content())["facts"]
    out = []
    for i, f in enumerate(facts):
        box = page.locator(f"#{f['id']}")
        if f["kind"] == "yesno":
            box.locator(f"input[name='{f['id']}-value'][value='yes']").check()
            value = True
        elif f["kind"] in ("number", "integer"):
            field = box.locator(f"input[name='{f['id']}-value']")
            lo = float(field.get_attribute("min") or 0)
            value = max(lo, 12)
            field.fill(str(value))
        elif f["kind"] == "choice":
            value = box.locator("option").nth(1).get_attribute("value")
            box.locator("select").select_option(value)
        elif f["kind"] == "hours":
            box.locator(f"input[name='{f['id']}-mode'][value='always']").check()
            value = True
        else:
            pytest.fail(f"no way to answer a {f['kind']} field in this test")
        if i == 0:
            box.locator(f"textarea[name='{f['id']}-note']").fill("checked with the duty officer")
        out.append({"element": f["element"], "field": f["field"], "value": value})
    page.locator("#auditor").fill("A. Auditor")
    page.locator("#date").fill("2026-01-14")
    return out


def test_survey_round_trip_in_chromium(tmp_path):
    """The founding case: open its survey at a phone's width, fill every field, export,
    apply; only the answered values change (byte level), every comment stays, the file
    validates, and the findings change as the answers say."""
    from playwright.sync_api import sync_playwright

    site = tmp_path / "kpo.yaml"
    shutil.copy(KPO, site)
    original = site.read_text(encoding="utf-8")
    page_file = tmp_path / "survey.html"
    made = run_cli("survey", str(site), "-o", str(page_file), *TODAY)
    assert made.returncode == 0, made.stderr
    html = page_file.read_text(encoding="utf-8")
    for needle in ('src="http', 'href="http', "@import", "url("):
        assert needle not in html
    requests, failures = [], []
    with sync_playwright() as p:
        browser = _launch(p)
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
        page = ctx.new_page()
        page.on("pageerror", lambda e: failures.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        answered = _fill(page)
        page.reload()  # kept in local storage as typed
        assert page.locator("#auditor").input_value() == "A. Auditor"
        with page.expect_download() as dl:
            page.locator("#export-button").click()
        exported = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
        shown = json.loads(page.locator("#export-json").input_value())
        page.emulate_media(media="print")
        assert not page.locator("#export-button").is_visible()
        pdf = page.pdf(format="A4")
        browser.close()
    assert not failures, failures
    assert requests == [page_file.as_uri()] * 2, requests
    assert pdf.startswith(b"%PDF")
    assert exported == shown
    assert exported["site"] == "kpo" and exported["auditor"] == "A. Auditor"
    got = {(a["element"], a["field"]): a["value"] for a in exported["answers"]}
    assert got == {(a["element"], a["field"]): a["value"] for a in answered}
    assert len(got) >= 5

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(exported), encoding="utf-8")
    applied = run_cli("survey", "apply", str(site), str(answers), *TODAY)
    assert applied.returncode == 0, applied.stderr
    assert "removed" in applied.stdout.lower() or "-" in applied.stdout
    new = site.read_text(encoding="utf-8")
    _only_answers_changed(original, new, {f for _, f in got})
    assert run_cli("validate", str(site)).returncode == 0
    before = _findings(KPO)
    after = _findings(site)
    for el, field in got:
        gap = [f for f in after if f["element"] == el and f["category"] == "data-gap"]
        assert not gap, (el, field, gap)
    assert {("SA-COMM-001", "cp-chief-1")} <= {
        (f["rule"], f["element"]) for f in before if f["category"] == "data-gap"
    }
    assert not [f for f in after if f["rule"] in ("SA-COMM-001", "SA-COMM-002")]


AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"


def test_survey_page_is_accessible(tmp_path):
    """axe-core finds no serious or critical violation on a survey page (every input has a
    label, the contrast is enough), on a phone's width."""
    from playwright.sync_api import sync_playwright

    if not AXE.exists():
        pytest.skip("axe-core is not installed (.ci/run installs it with npm into .ci/node)")
    page_file = tmp_path / "survey.html"
    school = ROOT / "sites" / "riverside-school.yaml"
    assert run_cli("survey", str(school), "-o", str(page_file), *TODAY).returncode == 0
    with sync_playwright() as p:
        browser = _launch(p)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(page_file.as_uri())
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => await axe.run(document)")["violations"]
        browser.close()
    bad = [
        (v["id"], v["nodes"][0]["target"])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad


def _findings(path) -> list[dict]:
    out = run_cli("check", str(path), "--format", "json", *TODAY)
    data = json.loads(out.stdout)
    return data["sites"][0]["findings"] if "sites" in data else data["findings"]


NOTE = re.compile(r"^\s*# surveyed 2026-01-14 by A\. Auditor \(siteaudit survey\)")


def _only_answers_changed(old: str, new: str, fields: set[str]) -> None:
    """Byte level: apart from the survey's comment lines, lines are only added (an answered
    key) or changed by text added inside them that writes an answered field; nothing of the
    original is lost but the survey date it replaces; every comment stays, in order."""
    names = {f.rsplit(".", 1)[-1] for f in fields}
    a = old.splitlines(keepends=True)
    b = [ln for ln in new.splitlines(keepends=True) if not NOTE.match(ln)]

    def grown(o: str, n: str) -> bool:
        """``n`` is ``o`` with text inserted, each insertion writing an answered field."""
        if o.lstrip().startswith("surveyed:"):
            return n.lstrip().startswith("surveyed: 2026-01-14")
        ops = difflib.SequenceMatcher(None, o, n, autojunk=False).get_opcodes()
        return all(
            op == "equal" or (op == "insert" and any(f"{k}: " in n[y1:y2] for k in names))
            for op, _x1, _x2, y1, y2 in ops
        )

    def new_key(n: str) -> bool:
        return any(re.match(rf"\s*{k}: ", n) for k in names)

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        j = j1
        for o in a[i1:i2]:
            while j < j2 and not grown(o, b[j]):
                assert new_key(b[j]), (o, b[j])
                j += 1
            assert j < j2, f"line lost or changed: {o!r}"
            j += 1
        assert all(new_key(n) for n in b[j:j2]), b[j:j2]
    comments = [m.group() for m in re.finditer(r"#.*", old)]
    assert [c for c in comments if c in new] == comments


def _answers(site_path, answers) -> dict:
    return {
        "format": "siteaudit-survey-answers/1",
        "site": "kpo",
        "fingerprint": hashlib.sha256(site_path.read_bytes()).hexdigest()[:16],
        "date": "2026-01-14",
        "auditor": "B",
        "answers": answers,
    }


@pytest.mark.parametrize(
    ("answer", "fingerprint", "expected"),
    [
        ({"element": "cp-chief-1", "field": "radio", "value": "maybe"}, None,
         'answers[0].value: radio of checkpoint cp-chief-1: expected yes or no'),
        ({"element": "kpo-ground", "field": "unobstructed_space_m", "value": -5}, None,
         "answers[0].value: unobstructed_space_m of zone kpo-ground: expected a number from 0"),
        ({"element": "cp-chief-9", "field": "radio", "value": True}, None,
         'answers[0].element: unknown element "cp-chief-9" (did you mean "cp-chief-'),
        ({"element": "cp-chief-1", "field": "raido", "value": True}, None,
         'answers[0].field: checkpoint cp-chief-1 has no field "raido" (did you mean "radio"?)'),
        ({"element": "cp-chief-1", "field": "radio", "value": True}, "0123456789abcdef",
         "fingerprint: the survey was made from another version of"),
        ({"element": "cp-chief-1", "field": "radio", "value": True, "note": "ok\u2028zones: []"},
         None, "answers[0].note: expected one line"),
    ],
    ids=["wrong-type", "out-of-range", "unknown-element", "unknown-field", "stale-fingerprint",
         "note-breaks-the-line"],
)  # fmt: skip
def test_bad_answers_are_errors_naming_the_field(tmp_path, answer, fingerprint, expected):
    site = tmp_path / "kpo.yaml"
    shutil.copy(KPO, site)
    before = site.read_bytes()
    data = _answers(site, [answer])
    if fingerprint:
        data["fingerprint"] = fingerprint
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(data, indent=1), encoding="utf-8")
    result = run_cli("survey", "apply", str(site), str(answers))
    assert result.returncode == 2, result.stderr
    assert f"{answers}:" in result.stderr and ": error: " in result.stderr
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert site.read_bytes() == before


def test_the_input_comes_from_the_field_type():
    """Each field's input is read from the model, so a field newly left unknown needs no
    change here."""
    from audit.site.people import Checkpoint, Responder
    from audit.site.perimeter import Gate, Topping, Zone
    from audit.survey.facts import describe

    assert describe(Checkpoint, "radio").kind == "yesno"
    assert describe(Gate, "locked").kind == "hours"
    assert describe(Gate, "locked").choices == ("always", "never", "hours")
    assert describe(Responder, "on_duty").choices == ("always", "hours")
    assert describe(Topping, "condition").choices == ("intact", "damaged", "cut", "missing")
    level = describe(Zone, "level")
    assert (level.kind, level.minimum, level.maximum) == ("integer", -10, 200)
    space = describe(Zone, "unobstructed_space_m")
    assert (space.kind, space.unit, space.minimum) == ("number", "m", 0)
    assert describe(Checkpoint, "observes") is None  # a list of ids: not a form's question


def test_answers_for_another_site_are_refused(tmp_path):
    site = tmp_path / "kpo.yaml"
    shutil.copy(KPO, site)
    before = site.read_bytes()
    data = _answers(site, [{"element": "cp-chief-1", "field": "radio", "value": True}])
    data["site"] = "riverside-school"
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("survey", "apply", str(site), str(answers))
    assert result.returncode == 2 and 'these answers are for site "riverside-school"' in (
        result.stderr
    )
    assert site.read_bytes() == before


def test_apply_shows_a_fact_that_turns_out_a_lapse(tmp_path):
    """A gap answered "no" is a lapse now: the change lists the gap removed and the lapse
    added (they share rule and element; before, the diff matched them and showed nothing)."""
    site = tmp_path / "kpo.yaml"
    shutil.copy(KPO, site)
    data = _answers(
        site,
        [
            {"element": "cp-chief-1", "field": "radio", "value": False},
            {"element": "kpo-ground", "field": "unobstructed_space_m", "value": 4, "note": "bins"},
            {"element": "cp-main-gate", "field": "duress_alarm", "unchecked": True},
        ],
    )
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("survey", "apply", str(site), str(answers), *TODAY)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"\+ medium +SA-COMM-001 +cp-chief-1", out), out
    assert re.search(r"- info +SA-COMM-001 +cp-chief-1", out), out
    assert re.search(r"\+ high +SA-CLR-004 +kpo-ground", out), out
    assert "not checked: duress_alarm of checkpoint cp-main-gate" in result.stderr
    text = site.read_text(encoding="utf-8")
    assert "radio: false  # surveyed 2026-01-14 by B (siteaudit survey)\n" in text
    assert "# surveyed 2026-01-14 by B (siteaudit survey): bins\n" in text
    assert "duress_alarm" not in text.split("cp-main-gate", 1)[1].split("- id:", 1)[0]


RANKED_SITE = """\
site: {id: small, name: Small yard}
zones:
  - {id: street, kind: public}
  - {id: yard, kind: compound}
walls:
  - {id: w, between: [street, yard], height_m: 2.5}
checkpoints:
  - id: post
    at: w
    radio: true
    shifts: [{from: "00:00", to: "00:00", hours: 24, guards: 1}]
lights:
  - {id: lamp, covers: [w]}
"""


def test_the_fact_that_decides_the_verdict_ranks_first(tmp_path):
    """The lamp's backup power (a high lapse when it has none) decides the verdict; the post's
    duress alarm (a low one) cannot: the first ranks above the second, by the spread
    computed, whatever order the facts come in."""
    from audit.app.run import audit_site
    from audit.rules.checklist import load_rules, select_rules
    from audit.site.load import site_from_document
    from audit.site.source import read_document
    from audit.survey.facts import collect
    from audit.survey.rank import rank

    path = tmp_path / "small.yaml"
    path.write_text(RANKED_SITE, encoding="utf-8")
    rules = select_rules(load_rules([]), ["SA-LIGHT-001", "SA-COMM-002"], [])
    doc = read_document(path)
    result = audit_site(site_from_document(doc), rules)
    facts = collect(result)
    assert {f.key for f in facts} == {"lamp.backup_power", "post.duress_alarm"}
    for order in (facts, facts[::-1]):
        ranked = rank(list(order), result, doc, rules, fail_on="high")
        assert [f.key for f in ranked] == ["lamp.backup_power", "post.duress_alarm"]
        lamp, post = ranked
        assert lamp.value["decides"] and not post.value["decides"]
        assert lamp.value["findings"] == 1 and post.value["findings"] == 1


def test_survey_of_a_folder_orders_the_index(tmp_path):
    """One page per site and an index, the site with a deciding unknown first."""
    folder = tmp_path / "sites"
    folder.mkdir()
    (folder / "a-quiet.yaml").write_text(
        RANKED_SITE.replace("radio: true", "radio: true\n    duress_alarm: true"), encoding="utf-8"
    )
    (folder / "b-open.yaml").write_text(RANKED_SITE.replace("id: small", "id: open"), "utf-8")
    out = tmp_path / "out"
    result = run_cli("survey", str(folder), "-o", str(out), "--select", "SA-LIGHT-001,SA-COMM-002")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a-quiet.html", "b-open.html", "index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index("b-open.html") < index.index("a-quiet.html")
    again = tmp_path / "again"
    run_cli("survey", str(folder), "-o", str(again), "--select", "SA-LIGHT-001,SA-COMM-002")
    for p in out.iterdir():
        assert (again / p.name).read_bytes() == p.read_bytes()  # deterministic


def test_improve_write_plan_keeps_the_founding_case_comments(tmp_path):
    plan = tmp_path / "plan.yaml"
    result = run_cli("improve", str(KPO), "--write-plan", str(plan), "-q")
    assert result.returncode in (0, 1), result.stderr
    old, new = KPO.read_text(encoding="utf-8"), plan.read_text(encoding="utf-8")
    comments = [m.group() for m in re.finditer(r"#.*", old)]
    kept = [c for c in comments if c in new]
    assert kept == comments
    assert new.splitlines()[0] == old.splitlines()[0]  # the schema line stays first
    assert "with the upgrades of `siteaudit improve`" in new
    assert run_cli("validate", str(plan)).returncode == 0
    assert new != old


ANY_VALUE = st.one_of(
    st.booleans(),
    st.integers(-5, 300),
    st.floats(-10, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "yes", "intact", "08:00", "2026-01-01", None]),
    st.lists(
        st.fixed_dictionaries(
            {"from": st.sampled_from(["08:00", "25:00"]), "to": st.just("18:00")}
        ),
        max_size=2,
    ),
)


GOOD = [("lamp", "backup_power", True), ("yard", "level", 0), ("w", "height_m", 3.5)]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(picks=GOOD)
@given(
    picks=st.lists(
        st.tuples(
            st.sampled_from(["lamp", "post", "w", "yard", "nowhere"]),
            st.sampled_from(
                ["backup_power", "duress_alarm", "height_m", "level", "lux", "kind", "nope"]
            ),
            ANY_VALUE,
        ),
        max_size=5,
        unique_by=lambda p: (p[0], p[1]),
    )
)
def test_any_answers_either_apply_cleanly_or_are_refused(tmp_path, picks):
    """Whatever an answers file says, apply either refuses it (a SiteError naming answers[i])
    or returns a file that validates and holds exactly the answered values."""
    from audit.common.errors import SiteError
    from audit.site.edit import same
    from audit.site.load import site_from_document
    from audit.site.source import parse_document
    from audit.survey.apply import apply_answers

    site = tmp_path / "small.yaml"
    site.write_text(RANKED_SITE, encoding="utf-8")
    raw = site.read_bytes()
    answers = [{"element": e, "field": f, "value": v} for e, f, v in picks]
    data = {
        "format": "siteaudit-survey-answers/1",
        "site": "small",
        "fingerprint": hashlib.sha256(raw).hexdigest()[:16],
        "date": "2026-01-14",
        "auditor": "P",
        "answers": answers,
    }
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        done = apply_answers(str(site), raw, str(path))
    except SiteError as exc:
        assert picks != GOOD, exc
        assert all(p.file == str(path) and "answers[" in p.message for p in exc.problems), exc
        return
    got = parse_document(done.text.encode(), "x").data
    site_from_document(parse_document(done.text.encode(), "x"))
    sections = {
        "lamp": ("lights", 0),
        "post": ("checkpoints", 0),
        "w": ("walls", 0),
        "yard": ("zones", 1),
    }
    for e, f, v in picks:
        section, i = sections[e]
        assert same(got[section][i][f], v)
    assert same(got["site"].get("surveyed"), "2026-01-14" if picks else None)
    assert picks != GOOD or got["zones"][1]["level"] == 0
