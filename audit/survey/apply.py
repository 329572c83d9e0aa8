"""Write a survey's answers into the site file: only the answered values change, every
comment and the key order stay, each new fact carries a comment saying when and by whom
it was surveyed, and the result must validate before anything is written."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from audit.common.errors import Problem, SiteError
from audit.survey.answers import MISSING, Answers, read_answers
from audit.survey.rank import set_value


@dataclass
class Applied:
    text: str
    """The site file with the answers written in."""
    answers: Answers
    old: Any
    """The site (``Site``) before."""
    new: Any
    """The site after."""


def note_for(answers: Answers, note: str = "") -> str:
    who = f" by {answers.auditor}" if answers.auditor else ""
    extra = f": {note}" if note else ""
    return f"surveyed {answers.date}{who} (siteaudit survey){extra}"


def apply_answers(site_path: str, raw: bytes, answers_path: str) -> Applied:
    """The site file ``site_path`` (its bytes ``raw``) with the answers of ``answers_path``
    written in; ``SiteError`` naming the answer when an answer, or the result, is wrong."""
    from audit.site.edit import EditError, rewrite
    from audit.site.load import site_from_document
    from audit.site.source import parse_document

    doc = parse_document(raw, site_path)
    site = site_from_document(doc)
    answers = read_answers(answers_path, site, raw)
    data = copy.deepcopy(doc.data)
    notes: dict[tuple, str] = {}
    problems: list[Problem] = []
    for i, a in enumerate(answers.answers):
        if a.unchecked or a.value is MISSING:
            continue
        alone = copy.deepcopy(doc.data)
        set_value(alone, a.loc, a.field, a.value)
        try:
            site_from_document(replace(doc, data=alone))
        except SiteError as exc:
            what = "; ".join(p.message for p in exc.problems[:2])
            message = f"answers[{i}].value: {a.field} of {a.label}: {what}"
            problems.append(_at(answers_path, i, message))
            continue
        set_value(data, a.loc, a.field, a.value)
        notes[(*a.loc, *a.field.split("."))] = note_for(answers, a.note)
    if problems:
        raise SiteError(problems)
    if answers.given and (doc.data["site"].get("surveyed") or "") < answers.date:
        data["site"]["surveyed"] = dt.date.fromisoformat(answers.date)
        notes[("site", "surveyed")] = note_for(answers)
    text = raw.decode("utf-8-sig")
    try:
        edited = rewrite(text, data, notes=notes, name=site_path)
    except EditError as exc:
        raise SiteError(
            [Problem(site_path, 1, 1, f"cannot write the answers in place: {exc}")]
        ) from None
    new = site_from_document(parse_document(edited.encode("utf-8"), site_path))
    return Applied(edited, answers, site, new)


def _at(path: str, index: int, message: str) -> Problem:
    from audit.site.source import read_document

    line, col = read_document(path).where(("answers", index, "value"))
    return Problem(path, line, col, message)
