"""Loading site files: the broken-file corpus, every rejection with its line, and the examples."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, SITES, run_cli

from audit.common.errors import SiteError
from audit.site.load import load_site

BROKEN = sorted((FIXTURES / "broken").glob("*.yaml"))


def _expectation(path):
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    m = re.match(r"# expect: (\d+):(\d+) (.*)", first)
    assert m, f"{path.name} has no '# expect: LINE:COL text' header"
    return int(m.group(1)), int(m.group(2)), m.group(3)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_file_is_rejected_at_its_line(path):
    line, col, text = _expectation(path)
    with pytest.raises(SiteError) as info:
        load_site(path)
    first = info.value.problems[0]
    assert (first.line, first.column) == (line, col), str(first)
    assert text in first.message


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_file_cli_exits_2_without_traceback(path):
    line, col, _ = _expectation(path)
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{path}:{line}:{col}: error:" in result.stderr
    assert result.stdout == ""


def test_broken_corpus_covers_every_rejection():
    names = {p.stem for p in BROKEN}
    assert {
        "syntax",
        "duplicate-key",
        "unknown-key",
        "wrong-type",
        "out-of-range",
        "duplicate-id",
        "dangling-ref",
        "wrong-kind-ref",
        "non-utf8",
        "python-tag",
        "billion-laughs",
        "empty",
        "top-level-list",
        "top-level-scalar",
    } <= names


def test_all_errors_reported_not_just_first(write_site):
    path = write_site(
        """\
        site: {id: x, name: X}
        zones:
          - {id: road, kind: public}
          - {id: yard, kind: compund}
        walls:
          - {id: w, between: [road, yard], height_m: -1, colour: red}
        """
    )
    with pytest.raises(SiteError) as info:
        load_site(path)
    lines = sorted(p.line for p in info.value.problems)
    assert lines == [4, 6, 6]


def test_reference_errors_all_reported(write_site):
    path = write_site(
        """\
        site: {id: x, name: X}
        zones: [{id: road, kind: public}, {id: yard, kind: compound}]
        walls:
          - {id: w1, between: [road, yrd], height_m: 2}
          - {id: w2, between: [yard, yard], height_m: 2}
        cameras: [{id: cam, covers: [w1, gate-9]}]
        assets: [{id: a, zone: roof}]
        """
    )
    with pytest.raises(SiteError) as info:
        load_site(path)
    text = str(info.value)
    assert ":4:" in text and ":5:" in text and ":6:" in text and ":7:" in text
    assert 'between zone "yard" and itself' in text


def test_oversized_file_rejected_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(64 * 1024 * 1024)
    with pytest.raises(SiteError, match="limit is"):
        load_site(path)


def test_missing_file_and_directory_are_input_errors(tmp_path):
    with pytest.raises(SiteError, match="cannot read YAML file: no such file"):
        load_site(tmp_path / "nope.yaml")
    with pytest.raises(SiteError, match="is a directory"):
        load_site(tmp_path)


def test_clock_times_and_yaml11_words_stay_as_written(write_site):
    path = write_site(
        """\
        site: {id: x, name: X}
        zones: [{id: a, kind: public}, {id: b, kind: compound}]
        gates: [{id: g, kind: door, between: [a, b]}]
        checkpoints:
          - id: cp
            at: g
            shifts: [{from: 18:00, to: 06:00, guards: 1}]
        """
    )
    site = load_site(path)
    shift = site.checkpoints[0].shifts[0]
    assert (shift.from_, shift.to) == ("18:00", "06:00")


def test_merge_keys_are_supported(write_site):
    path = write_site(
        """\
        site: {id: x, name: X}
        zones: [{id: a, kind: public}, {id: b, kind: compound}]
        walls:
          - &w {id: w1, between: [a, b], height_m: 2.4, side: rear}
          - {<<: *w, id: w2, side: left}
        """
    )
    site = load_site(path)
    assert [(w.id, w.side, w.height_m) for w in site.walls] == [
        ("w1", "rear", 2.4),
        ("w2", "left", 2.4),
    ]


def test_elements_know_their_line(write_site):
    path = write_site(
        """\
        site: {id: x, name: X}
        zones:
          - {id: a, kind: public}

          - id: b
            kind: compound
        """
    )
    site = load_site(path)
    assert site.get("b").line == 5
    assert site.get("a").line == 3


@pytest.mark.parametrize("path", sorted(SITES.glob("*.yaml")), ids=lambda p: p.stem)
def test_example_sites_validate(path):
    site = load_site(path)
    assert site.zones
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{path}: OK")


def test_validate_reports_good_and_bad_files_together():
    good = SITES / "riverside-school.yaml"
    bad = FIXTURES / "broken" / "unknown-key.yaml"
    result = run_cli("validate", str(good), str(bad))
    assert result.returncode == 2
    assert f"{good}: OK" in result.stdout
    assert f"{bad}:8:5" in result.stderr


# --- errors in site terms -------------------------------------------------------

WORDING = [
    (
        "site: {id: x, name: X}\nzones: [{id: a, kind: public}]\nwalls: [{id: w, between: [a]}]\n",
        'wall "w" between: expected two zones, [outside, inside]',
    ),
    (
        "site: {id: x, name: X}\nzones: [{id: a, kind: public, level: one}]\n",
        'zone "a" level: expected a whole number; got "one"',
    ),
    (
        "site: {id: x, name: X, surveyed: 2026-02-30}\nzones: [{id: a, kind: public}]\n",
        'site.surveyed: expected a date written YYYY-MM-DD, e.g. 2026-01-31; got "2026-02-30"',
    ),
    (
        "site: {id: x, name: X}\nzones: [{id: a, kind: public}, {id: b, kind: room}]\n"
        "gates: [{id: g, kind: door, between: [a, b]}]\n"
        'checkpoints: [{id: c, at: g, shifts: [{from: "6:15", to: "14:00", guards: 1}]}]\n',
        'write "06:15" for 6:15',
    ),
    (
        "site:\n  id: x\n  name: Gate: north\nzones: [{id: a, kind: public}]\n",
        'YAML syntax error: a ": " inside a value; put the value in quotes',
    ),
    (
        "site: {id: x, name: X}\nzones: [{id: a, kind: public}, {id: b, kind: room}\n",
        "YAML syntax error: a [list] is not closed",
    ),
    (
        "site: {id: x, name: X}\nzones: [{id: a, kind: public}]\nwalls: [{id: w, between: [a, a],"
        " height_m: -2}]\n",
        'wall "w" height_m: must be at least 0',
    ),
]


@pytest.mark.parametrize("text, message", WORDING, ids=range(len(WORDING)))
def test_errors_are_in_site_terms(tmp_path, text, message):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(SiteError) as info:
        load_site(path)
    shown = str(info.value)
    assert message in shown
    for words in (
        "List should have",
        "unable to parse",
        "Input should be",
        "Value error",
        "mapping values are not allowed",
    ):
        assert words not in shown


def test_a_comma_that_cut_a_value_says_to_quote_it(tmp_path):
    """``{name: Plant room (boilers, HVAC)}``: YAML ends the value at the comma and reads
    ``HVAC)`` as a key; the error says so and shows the quoted value."""
    path = tmp_path / "s.yaml"
    path.write_text(
        "site: {id: t, name: T}\nzones:\n  - {id: road, kind: public}\n"
        "  - {id: plant, kind: room, name: Plant room (boilers, HVAC)}\n",
        encoding="utf-8",
    )
    with pytest.raises(SiteError) as err:
        load_site(path)
    text = str(err.value)
    assert ':4:56: error: unknown key "HVAC)"' in text
    assert 'put the value in quotes (name: "Plant room (boilers, HVAC)")' in text
    # an ordinary misspelt key still gets "did you mean", not this hint
    path.write_text(path.read_text().replace("name: Plant room (boilers, HVAC)", "nmae: P"))
    with pytest.raises(SiteError) as err:
        load_site(path)
    assert 'did you mean "name"' in str(err.value) and "quotes" not in str(err.value)
