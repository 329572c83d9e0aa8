"""audit.site.edit: a site file edited in place holds exactly the new data, and keeps every
byte that did not have to change (comments, key order, line breaks)."""

from __future__ import annotations

import copy
import re

import pytest
from conftest import SITES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.site.edit import EditError, render, rewrite, same
from audit.site.source import parse_document

SHIPPED = sorted(SITES.glob("*.yaml"))


def _data(text: str):
    return parse_document(text.encode(), "t.yaml").data


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_no_change_is_byte_identical(path):
    text = path.read_text(encoding="utf-8")
    assert rewrite(text, _data(text)) == text


def _leaves(data, loc=()):
    """Paths of every scalar in the data."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _leaves(v, (*loc, i))
    else:
        yield loc


def _maps(data, loc=()):
    if isinstance(data, dict):
        yield loc
        for k, v in data.items():
            yield from _maps(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _maps(v, (*loc, i))


def _at(data, loc):
    for p in loc:
        data = data[p]
    return data


SCALARS = st.one_of(
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["18:00", "yes", "no", "null", "a: b", "# x", "[1]", "2024-01-02"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    site=st.sampled_from(SHIPPED),
    picks=st.lists(st.tuples(st.integers(0, 10_000), SCALARS), min_size=1, max_size=6),
    adds=st.lists(st.tuples(st.integers(0, 10_000), SCALARS), max_size=4),
)
def test_edits_read_back_and_keep_every_comment(site, picks, adds):
    """Change scalars and add keys anywhere: the file reads back as the new data, and every
    comment of the original is still there, in order."""
    text = site.read_text(encoding="utf-8")
    old = _data(text)
    new = copy.deepcopy(old)
    leaves = list(_leaves(new))
    for i, value in picks:
        loc = leaves[i % len(leaves)]
        _at(new, loc[:-1])[loc[-1]] = value
    maps = list(_maps(new))
    for n, (i, value) in enumerate(adds):
        _at(new, maps[i % len(maps)])[f"zz_added_{n}"] = value
    out = rewrite(text, new)
    assert same(_data(out), new)
    comments = [m.group() for m in re.finditer(r"#.*", text)]
    # a comment sits after a value on its line; a changed value may not change the comment
    assert [c for c in comments if c in out] == comments


BLOCK = """\
# head
a: 1   # one
b:
  c: [1, 2]
  d: {x: 1,
      y: 2}   # two
list:
  - {id: p, v: 1}
  - id: q
    v: 2
tail: end
"""


def test_each_kind_of_change_edits_only_its_text():
    new = _data(BLOCK)
    new["a"] = 5
    new["b"]["d"]["z"] = "18:00"
    new["b"]["e"] = True
    new["list"][1]["w"] = [1, 2]
    new["list"].append({"id": "r"})
    new["added"] = {"k": 1}
    out = rewrite(BLOCK, new, notes={("a",): "by me", ("b", "e"): "new", ("b", "d", "z"): "t"})
    assert out == (
        "# head\n"
        "# by me\n"
        "a: 5   # one\n"
        "b:\n"
        "  c: [1, 2]\n"
        "  # t\n"
        "  d: {x: 1,\n"
        '      y: 2, z: "18:00"}   # two\n'
        "  e: true  # new\n"
        "list:\n"
        "  - {id: p, v: 1}\n"
        "  - id: q\n"
        "    v: 2\n"
        "    w: [1, 2]\n"
        "  - {id: r}\n"
        "tail: end\n"
        "added: {k: 1}\n"
    )


def test_removals_and_shrinking_lists():
    new = _data(BLOCK)
    del new["b"]["c"]
    new["list"] = new["list"][:1]
    out = rewrite(BLOCK, new)
    assert same(_data(out), new)
    assert "  c: [1, 2]\n" not in out and "# one" in out and "# two" in out


def test_a_value_behind_an_alias_is_not_edited_through_it():
    text = "base: &b {x: 1}\nother: *b\n"
    new = _data(text)
    new["other"] = {"x": 2}
    with pytest.raises(EditError, match="alias"):
        rewrite(text, new)


def test_render_writes_values_that_read_back_as_themselves():
    for value in [True, 0, -3, 2.5, 1e-7, "plain", "18:00", "yes", "a: b", "é", "", [1, "x"]]:
        text = f"k: {render(value)}\n"
        assert same(_data(text)["k"], value), (value, text)
