"""Pydantic's validation errors in the site file's terms: each with the file, line and
column of what it is about, what was wrong, what was expected, and a "did you mean".

Used for site files and checklists alike (``problem_from_pydantic``): a model's field
names and types become words an administrator reads ("a number of seconds, 0 or more"),
never pydantic's own.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from audit.common.errors import Problem, did_you_mean, excerpt
from audit.site.model import SINGULAR
from audit.site.source import Document, Loc

if TYPE_CHECKING:
    from pydantic import BaseModel


def _split_value(doc: Document, loc: Loc) -> str:
    """A hint where the "key" is the tail of a value a comma cut off: in a flow mapping
    (``{name: Plant room (boilers, HVAC)}``) YAML ends the value at the comma and reads the
    rest as a key with no value; the fix is to quote the value."""
    parent: Any = doc.data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return ""
    key = loc[-1]
    if not isinstance(parent, dict) or parent.get(key, "") is not None:
        return ""
    if not isinstance(key, str) or key.replace("_", "").isalnum():
        return ""
    keys = list(parent)
    before = keys[keys.index(key) - 1] if keys.index(key) > 0 else None
    example = ""
    if before is not None and isinstance(parent[before], str):
        example = f" ({before}: {excerpt(parent[before] + ', ' + key)})"
    return "; a comma inside a {...} mapping ends a value there: put the value in quotes" + example


def problem_from_pydantic(doc: Document, root: type, err: Mapping[str, Any]) -> Problem:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    where = _describe(doc, loc)
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        allowed = _field_names(parent) if parent else []
        hint = did_you_mean(loc[-1], allowed) or _split_value(doc, loc)
        expected = f"; expected one of: {', '.join(allowed)}" if allowed and not hint else ""
        return doc.problem(loc, f"unknown key {excerpt(loc[-1])}{hint}{expected}", key=True)
    if kind == "missing":
        return doc.problem(loc[:-1], f'missing required key "{loc[-1]}" in {_parent(loc)}')
    got = err.get("input")
    shown = "" if isinstance(got, dict | list) else f"; got {excerpt(got)}"
    msg = _in_site_terms(kind, err, loc, got)
    if kind == "value_error":
        shown = ""
    return doc.problem(loc, f"{where}: {msg}{shown}")


_PLAIN = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number, not a fraction",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": 'expected text (put it in quotes if it looks like a number: "07")',
    "list_type": "expected a list, e.g. [a, b] or one '- item' per line",
    "dict_type": "expected a mapping of keys and values",
    "model_type": "expected a mapping of keys and values",
    "model_attributes_type": "expected a mapping of keys and values",
    "date_type": "expected a date written YYYY-MM-DD, e.g. 2026-01-31",
    "date_parsing": "expected a date written YYYY-MM-DD, e.g. 2026-01-31",
    "date_from_datetime_parsing": "expected a date written YYYY-MM-DD, e.g. 2026-01-31",
    "date_from_datetime_inexact": "expected a date without a time, written YYYY-MM-DD",
    "finite_number": "expected a finite number",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "must be at least {}"),
    "greater_than": ("gt", "must be more than {}"),
    "less_than_equal": ("le", "must be at most {}"),
    "less_than": ("lt", "must be less than {}"),
}


def _in_site_terms(kind: str, err: Mapping[str, Any], loc: Loc, got: Any) -> str:
    """pydantic's words turned into what a site file's author needs to read."""
    ctx = err.get("ctx", {}) or {}
    field = loc[-1] if loc else ""
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
        return f"expected one of {expected}{did_you_mean(got, options)}"
    if kind == "string_pattern_mismatch":
        if field == "crs":
            return 'expected "local" or an EPSG code such as "EPSG:4326"'
        if isinstance(got, str) and ":" in got and len(got) <= 8:
            hint = f' (write "0{got}" for {got})' if len(got.split(":")[0]) == 1 else ""
            return f'expected a time "HH:MM" between 00:00 and 24:00{hint}'
        return "expected an id: letters, digits, '-', '_' and '.', starting with a letter or digit"
    if kind in ("too_long", "too_short") and field == "between":
        return "expected two zones, [outside, inside]"
    if kind == "too_long":
        return f"expected at most {ctx.get('max_length')} items"
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"expected at least {n} item{'s' if n != 1 else ''}"
    if kind == "string_too_long":
        return f"too long: at most {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in _BOUNDS:
        key, text = _BOUNDS[kind]
        return text.format(ctx.get(key))
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return _PLAIN.get(kind, err["msg"])


def _describe(doc: Document, loc: Loc) -> str:
    """'zone "yard" kind' rather than 'zones.1.kind' when the element has an id."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(doc.data, dict):
        items = doc.data.get(loc[0])
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            rest = ".".join(str(p) for p in loc[2:])
            name = SINGULAR.get(str(loc[0]), str(loc[0]))
            return f'{name} "{item["id"]}" {rest}'.rstrip()
    return ".".join(str(p) for p in loc) or "site file"


def _parent(loc: Loc) -> str:
    parent = ".".join(str(p) for p in loc[:-1])
    return parent or "the top level"


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _model_at(root: type, loc: Loc) -> type | None:
    """The pydantic model class that validates the mapping at ``loc``."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            if typing.get_origin(current) is not list:
                return None
            current = typing.get_args(current)[0]
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return None
        match = next(
            (f for name, f in fields.items() if (f.alias or name) == part),
            None,
        )
        if match is None:
            return None
        current = match.annotation
    current = _unwrap(current)
    return current if hasattr(current, "model_fields") else None


def _field_names(model: type[BaseModel]) -> list[str]:
    return sorted((f.alias or name) for name, f in model.model_fields.items())
