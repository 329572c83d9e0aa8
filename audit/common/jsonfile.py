"""A bounded reader for JSON input, with the limits of the YAML reader.

JSON arrives as GeoJSON plans and baselines, as hostile as any site file. The
standard library's parser recurses once per level (100,000 ``[`` are a
``RecursionError``), builds any number of values, converts 5,000-digit
integers to an error of its own, accepts ``NaN``, ``Infinity`` and ``1e400``
(not JSON: RFC 8259 has no such numbers) and lets the last of two equal keys
win. So before it parses, one linear scan of the tokens checks what the YAML
reader checks, and stops at the first breach with its line and column:
bytes (``files.MAX_BYTES``), nesting (``files.MAX_DEPTH`` levels), values
(``files.MAX_VALUES``), numbers (finite, at most ``numbers.MAX_DIGITS``
digits) and duplicate keys. What is left (syntax) the standard parser reports
at its own line and column.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

from audit.common import files
from audit.common.errors import Problem, SiteError
from audit.common.numbers import MAX_DIGITS

_TOKEN = re.compile(
    r'(?P<str>"(?:[^"\\]|\\.)*")(?P<colon>[ \t\r\n]*:)?'
    r"|(?P<open>[\[{])|(?P<close>[\]}])"
    r"|(?P<num>-?[0-9][0-9.eE+\-]*)"
    r"|(?P<bad>NaN|-?Infinity)"
    r"|(?P<lit>true|false|null)"
)


def read_json(path: str | os.PathLike[str], *, what: str = "JSON file") -> Any:
    """The plain value of the JSON file at ``path`` (``-``: standard input), within limits;
    ``SiteError`` with ``file:line:col`` for anything else."""
    raw = files.read_bytes(path, what=what)
    return parse_json(raw, "<stdin>" if str(path) == "-" else str(path), what=what)


def parse_json(raw: bytes, name: str, *, what: str = "JSON file") -> Any:
    """Parse ``raw`` (named ``name`` in errors) after checking it against the limits."""
    if len(raw) > files.MAX_BYTES:
        raise _fail(name, 1, 1, f"{what} is {len(raw)} bytes; the limit is {files.MAX_BYTES}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line, col = before.count(b"\n") + 1, len(before) - (before.rfind(b"\n") + 1) + 1
        raise _fail(name, line, col, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8") from None
    _scan(text, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(name, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # the scan should have caught these
        raise _fail(name, 1, 1, f"not valid JSON: {type(exc).__name__}") from None


def _scan(text: str, name: str) -> None:
    """Check nesting, values, numbers and keys in one pass over the tokens."""
    depth = 0
    values = 0
    keys: list[dict[str, int] | None] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup if m.lastgroup != "colon" else "str"
        if kind == "str" and m.group("colon") is not None:
            scope = keys[-1] if keys else None
            if scope is not None:
                _key(text, name, m, scope)
            continue
        values += 1
        if values > files.MAX_VALUES:
            raise _at(text, name, m.start(), f"more than {files.MAX_VALUES} JSON values")
        if kind == "open":
            depth += 1
            if depth > files.MAX_DEPTH:
                raise _at(text, name, m.start(), f"nesting deeper than {files.MAX_DEPTH} levels")
            keys.append({} if m.group() == "{" else None)
        elif kind == "close":
            values -= 1
            depth = max(0, depth - 1)
            if keys:
                keys.pop()
        elif kind == "bad":
            raise _at(text, name, m.start(), f"{m.group()} is not a JSON number; {_FINITE}")
        elif kind == "num":
            _number(text, name, m)


_FINITE = "expected a finite number (at most about 1e308)"


def _number(text: str, name: str, m: re.Match[str]) -> None:
    token = m.group()
    if sum(ch.isdigit() for ch in token) > MAX_DIGITS:
        raise _at(text, name, m.start(), f"a number of more than {MAX_DIGITS} digits; {_FINITE}")
    try:
        value = float(token)
    except ValueError:
        return  # not a number at all: the parser says where
    if not math.isfinite(value):
        raise _at(text, name, m.start(), f"{token[:40]} is too large; {_FINITE}")


def _key(text: str, name: str, m: re.Match[str], scope: dict[str, int]) -> None:
    try:
        key = json.loads(m.group("str"))
    except ValueError:
        return  # a broken string: the parser says where
    if key in scope:
        line, _ = _position(text, scope[key])
        raise _at(
            text,
            name,
            m.start(),
            f"duplicate key {json.dumps(key)[:42]} (first given at line {line}); "
            "expected each key once",
        )
    scope[key] = m.start()


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _at(text: str, name: str, offset: int, message: str) -> SiteError:
    return _fail(name, *_position(text, offset), message)


def _fail(name: str, line: int, col: int, message: str) -> SiteError:
    return SiteError([Problem(name, line, col, message)])
