"""Read an answers file (the JSON a survey page exports) and check every answer against the
site file it is for, before anything is written.

An answer names an element and a field of it; the field's own type in the site
model says what the value may be (yes/no, a number in its range, one of its
choices, hours). Every problem is reported at its line and column in the answers
file, naming the answer's element and field; a survey of another site, or of
another version of the file (its fingerprint), is refused as a whole.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from audit.common.errors import Problem, SiteError, did_you_mean, excerpt
from audit.survey.facts import Input, describe
from audit.survey.page import FORMAT, fingerprint

MAX_ANSWERS_BYTES = 1 << 20
MAX_NOTE = 500
MISSING = object()
TOP_KEYS = ("format", "site", "file", "fingerprint", "date", "auditor", "answers")
ANSWER_KEYS = ("element", "field", "value", "note", "unchecked")


@dataclass
class Answer:
    element: str
    field: str
    loc: tuple
    """Where the element is in the site file's data."""
    value: Any = MISSING
    note: str = ""
    unchecked: bool = False
    label: str = ""


@dataclass
class Answers:
    path: str
    site: str
    date: str
    auditor: str
    answers: list[Answer] = field(default_factory=list)

    @property
    def given(self) -> list[Answer]:
        """Answers with a value to write."""
        return [a for a in self.answers if a.value is not MISSING]


def read_answers(path: str, site: Any, raw: bytes) -> Answers:
    """The answers in ``path`` for ``site`` (read from ``raw``); ``SiteError`` naming every bad
    answer otherwise."""
    from audit.site.source import read_document

    doc = read_document(path, max_bytes=MAX_ANSWERS_BYTES)
    data = doc.data
    problems: list[Problem] = list(doc.problems)  # duplicate keys

    def bad(loc: tuple, message: str, *, key: bool = False) -> None:
        problems.append(doc.problem(loc, message, key=key))

    for k in data:
        if k not in TOP_KEYS:
            hint = did_you_mean(k, TOP_KEYS)
            bad((k,), f'unknown key "{k}"{hint}; expected {", ".join(TOP_KEYS)}', key=True)
    if data.get("format") != FORMAT:
        bad(("format",), f"format: expected {FORMAT!r}, got {excerpt(data.get('format'))}")
    if data.get("site") != site.site.id:
        bad(
            ("site",),
            f"site: these answers are for site {excerpt(data.get('site'))}; "
            f"{site.path} is site {excerpt(site.site.id)}",
        )
    elif data.get("fingerprint") != fingerprint(raw):
        bad(
            ("fingerprint",),
            f"fingerprint: the survey was made from another version of {site.path} "
            f"({excerpt(data.get('fingerprint'))}; the file is now {excerpt(fingerprint(raw))}); "
            "make a new survey of the file as it is, or apply to the version surveyed",
        )
    date = data.get("date")
    if not isinstance(date, str) or not _is_date(date):
        bad(("date",), f"date: expected the survey date as YYYY-MM-DD, got {excerpt(date)}")
    auditor = data.get("auditor", "")
    if not isinstance(auditor, str) or len(auditor) > 200 or not one_line(auditor):
        bad(("auditor",), "auditor: expected a name on one line (at most 200 characters)")
    items = data.get("answers")
    out = Answers(path, site.site.id, date if isinstance(date, str) else "", str(auditor), [])
    if not isinstance(items, list):
        bad(("answers",), "answers: expected a list of {element, field, value}")
        items = []
    seen: dict[tuple[str, str], int] = {}
    for i, item in enumerate(items):
        answer = _answer(site, item, ("answers", i), bad)
        if answer is None:
            continue
        key = (answer.element, answer.field)
        if key in seen:
            what = f"{answer.field} of {answer.label}"
            bad(("answers", i), f"answers[{i}]: {what} is already answered in answers[{seen[key]}]")
            continue
        seen[key] = i
        out.answers.append(answer)
    if problems:
        raise SiteError(problems)
    return out


def one_line(text: str) -> bool:
    """Text that can go in a YAML comment: no control characters and no line breaks (YAML
    also breaks lines at U+0085, U+2028 and U+2029)."""
    return not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


def _answer(site: Any, item: Any, loc: tuple, bad: Any) -> Answer | None:
    where = f"answers[{loc[-1]}]"
    if not isinstance(item, dict):
        bad(loc, f"{where}: expected a mapping {{element, field, value}}")
        return None
    for k in item:
        if k not in ANSWER_KEYS:
            hint = did_you_mean(k, ANSWER_KEYS)
            expected = ", ".join(ANSWER_KEYS)
            bad((*loc, k), f'{where}: unknown key "{k}"{hint}; expected {expected}', key=True)
            return None
    el_id, path = item.get("element"), item.get("field")
    if el_id == site.site.id:
        obj, el_loc, label = site.site, ("site",), f"site {el_id}"
    elif isinstance(el_id, str) and site.get(el_id) is not None:
        el = site.get(el_id)
        obj, el_loc = el, tuple(el._loc)
        label = f"{_singular(site.kind_of(el_id))} {el_id}"
    else:
        known = [*site.elements(), site.site.id]
        hint = did_you_mean(el_id, known)
        bad(
            (*loc, "element"),
            f"{where}.element: unknown element {excerpt(el_id)}{hint}; "
            f"expected an element id of {site.path}",
        )
        return None
    if not isinstance(path, str):
        bad(
            (*loc, "field"), f"{where}.field: expected a field name of {label}, got {excerpt(path)}"
        )
        return None
    model, name, problem = _field(obj, path)
    if problem:
        bad((*loc, "field"), f"{where}.field: {label} has {problem}")
        return None
    shape = describe(model, name)
    if shape is None:
        bad((*loc, "field"), f"{where}.field: {path} of {label} is not answered in a survey")
        return None
    note = item.get("note", "")
    if not isinstance(note, str) or len(note) > MAX_NOTE or not one_line(note):
        bad(
            (*loc, "note"),
            f"{where}.note: expected one line of text, at most {MAX_NOTE} characters",
        )
        return None
    unchecked = item.get("unchecked", False)
    if not isinstance(unchecked, bool):
        got = excerpt(unchecked)
        bad((*loc, "unchecked"), f"{where}.unchecked: expected true or false, got {got}")
        return None
    answer = Answer(el_id, path, el_loc, note=note, unchecked=unchecked, label=label)
    if "value" not in item:
        return answer
    if unchecked:
        both = 'both a value and "could not check"'
        bad((*loc, "value"), f"{where}: {path} of {label} has {both}")
        return None
    value = item["value"]
    message = _check(model, name, shape, value)
    if message:
        bad((*loc, "value"), f"{where}.value: {path} of {label}: {message}, got {excerpt(value)}")
        return None
    answer.value = value
    return answer


def _singular(section: str | None) -> str:
    from audit.site.model import SINGULAR

    return SINGULAR.get(section or "", section or "element")


def _field(obj: BaseModel, path: str) -> tuple[type[BaseModel], str, str]:
    """(model, field name, problem) of dotted ``path`` on ``obj``'s model."""
    model: type[BaseModel] = type(obj)
    parts = path.split(".")
    for i, part in enumerate(parts):
        fields = model.model_fields
        if part not in fields:
            under = f" under {'.'.join(parts[:i])}" if i else ""
            return model, part, f'no field "{part}"{under}{did_you_mean(part, fields)}'
        if i == len(parts) - 1:
            return model, part, ""
        inner = _nested(fields[part].annotation)
        if inner is None:
            return model, part, f'no fields under "{part}"'
        model = inner
    return model, parts[-1], ""


def _nested(annotation: Any) -> type[BaseModel] | None:
    from audit.survey.facts import _unwrap

    kinds, _ = _unwrap(annotation)
    models = [k for k in kinds if isinstance(k, type) and issubclass(k, BaseModel)]
    return models[0] if len(models) == 1 else None


def _check(model: type[BaseModel], name: str, shape: Input, value: Any) -> str:
    """What is wrong with ``value`` for the field (empty when nothing)."""
    if shape.kind == "yesno" and not isinstance(value, bool):
        return "expected yes or no (true or false)"
    if shape.kind in ("number", "integer") and (
        isinstance(value, bool) or not isinstance(value, int | float)
    ):
        return "expected a number" + (f" in {shape.unit}" if shape.unit else "")
    if shape.kind == "integer" and isinstance(value, float) and not value.is_integer():
        return "expected a whole number"
    if shape.kind in ("choice", "date", "text") and not isinstance(value, str):
        return "expected " + (f"one of {', '.join(shape.choices)}" if shape.choices else "text")
    if shape.kind == "hours" and not isinstance(value, bool | list):
        return 'expected true, false or hours such as [{"from": "18:00", "to": "07:00"}]'
    info = model.model_fields[name]
    try:
        shaped: Any = info.annotation
        if info.metadata:
            shaped = Annotated[shaped, *info.metadata]
        TypeAdapter(shaped).validate_python(value)
    except ValidationError as exc:
        err = exc.errors()[0]
        return "expected " + _expected(err, shape)
    return ""


def _expected(err: Any, shape: Input) -> str:
    if shape.kind == "choice":
        return "one of " + ", ".join(shape.choices)
    if shape.kind in ("number", "integer"):
        lo = "" if shape.minimum is None else f"{shape.minimum:g}"
        hi = "" if shape.maximum is None else f"{shape.maximum:g}"
        unit = f" {shape.unit}" if shape.unit and not shape.unit.startswith("prob") else ""
        return f"a number from {lo} to {hi}{unit}" if lo and hi else f"a number ({err['msg']})"
    return str(err["msg"]).removeprefix("Value error, ")
