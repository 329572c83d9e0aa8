"""Facts a site file may leave out: which fields, what the analysis assumes, which are unknown.

A field built with ``values.unrecorded`` is ``None`` when the file does not
write it: unknown, never unsafe. Rules report it as a fact to survey where it
could change their verdict; the path analysis takes the assumption written
beside it (shown here and in README, "Unknown is not unsafe") and lists it
among the inputs its result rests on. Everything here is read off the model,
so a new field of that kind is catalogued without another list to keep.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from audit.site.values import UNRECORDED


@dataclass(frozen=True)
class Fact:
    """One field whose absence is a data gap."""

    section: str
    path: str
    """Dotted path on an element of ``section`` (``topping.kind``, ``shifts.armed``)."""
    description: str
    assumed: str


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models inside an annotation (``list[Shift] | None`` -> Shift)."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    elif origin is typing.Annotated:
        yield from _models(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            yield from _models(arg)


SUFFIX = " Not written: unknown, a fact to survey."
"""What ``values.unrecorded`` adds to a field's description (left out of README's table)."""


def _assumed(field: Any) -> str | None:
    extra = field.json_schema_extra
    return extra.get(UNRECORDED) if isinstance(extra, dict) else None


def _walk(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, str, str]]:
    for name, field in model.model_fields.items():
        key = f"{prefix}{field.alias or name}"
        assumed = _assumed(field)
        if assumed is not None:
            text = (field.description or "").removesuffix(SUFFIX)
            yield key, text, assumed
        many = "[]" if "list[" in str(field.annotation) else ""
        for sub in _models(field.annotation):
            if sub is not model:
                yield from _walk(sub, f"{key}{many}.")


def catalogue() -> list[Fact]:
    """Every field whose absence is a data gap, by section in file order."""
    from audit.site.model import SECTION_OF, Site

    out = [
        Fact("site", name, text, assumed)
        for name, text, assumed in _walk(Site)
        if "." not in name and "[]." not in name
    ]
    for cls, section in SECTION_OF.items():
        for path, text, assumed in _walk(cls):
            if section == "walls" and path.startswith("gaps[]."):
                continue  # a wall's gaps are elements of their own (section gaps)
            out.append(Fact(section, path, text, assumed))
    return out


def is_unrecorded(model: type[BaseModel], path: str) -> bool:
    """Whether the dotted ``path`` on ``model`` names a field whose absence is a data gap."""
    current: Any = model
    field = None
    for part in path.replace("[]", "").split("."):
        fields = getattr(current, "model_fields", None) if current is not None else None
        if fields is None:
            return False
        field = next((f for n, f in fields.items() if part in (n, f.alias)), None)
        if field is None:
            return False
        current = next(_models(field.annotation), None)
    return field is not None and _assumed(field) is not None


OPEN_GAPS = ("breach", "cut")
"""Kinds of gap that are passable by definition (a hole broken or cut through the barrier)."""


def moot(el: Any, fact: str) -> bool:
    """Whether ``fact`` of ``el`` does not matter given what the file does record: an
    opening has no gate to lock, a breach no grille; a camera watched from a station or
    raising a motion alarm has its watching recorded; a post with a telephone or a duress
    alarm can call without a radio. A moot fact is never a fact to survey (one rule for the
    checks, the data-gap list and the path analysis)."""
    kind = getattr(el, "kind", None)
    if fact == "locked":
        return kind == "opening"
    if fact == "grille":
        return kind in OPEN_GAPS
    if fact == "radio":
        return True in (getattr(el, "telephone", None), getattr(el, "duress_alarm", None))
    if fact == "monitored":
        return getattr(el, "station", None) is not None or getattr(el, "motion_alarm", None) is True
    return False


def unrecorded(el: BaseModel) -> list[str]:
    """The fields of ``el`` (and of what it holds: its topping, its shifts) that the file
    leaves out and whose absence is a data gap, as dotted paths."""
    out: list[str] = []
    for name, field in type(el).model_fields.items():
        value = getattr(el, name)
        key = field.alias or name
        if value is None and _assumed(field) is not None:
            if not moot(el, key):
                out.append(key)
        elif isinstance(value, BaseModel) and not hasattr(value, "id"):
            out += [f"{key}.{p}" for p in unrecorded(value)]
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel) and not hasattr(item, "id"):
                    out += [f"{key}.{p}" for p in unrecorded(item) if f"{key}.{p}" not in out]
    return out


def readme_table() -> str:
    """The README's list of these fields (between its ``unknown-fields`` markers)."""
    lines = [
        "| Field | What it records | Not written: the path analysis assumes |",
        "|---|---|---|",
    ]
    for f in catalogue():
        where = {"gaps": f"walls[].gaps[].{f.path}", "site": f.path}.get(
            f.section, f"{f.section}[].{f.path}"
        )
        lines.append(f"| `{where}` | {f.description} | {f.assumed} |")
    return "\n".join(lines) + "\n"
