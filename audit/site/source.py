"""Read a YAML file into plain data, remembering where every value came from.

PyYAML's C loader composes the node tree (so we keep line and column of every
key and value); we then build plain dicts, lists and scalars ourselves instead
of letting a constructor do it. That gives us one place to enforce the rules a
hostile or careless file must not get past: a size bound, strict UTF-8, no
duplicate keys, no tags beyond YAML's plain types, and a bound on how far
aliases may expand (a "billion laughs" file fails after a fixed amount of work,
in bounded memory, because composed alias nodes are shared, never copied).

Two YAML 1.1 traps are defused here because they bite people who write
schedules: an unquoted ``18:00`` is a base-60 integer in YAML 1.1 and ``on`` /
``no`` are booleans. Values written like a clock time stay strings, and mapping
keys are always the text that was written.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from audit.common import files
from audit.common.errors import Problem, SiteError
from audit.common.numbers import MAX_DIGITS, finite

MAX_BYTES = files.MAX_BYTES
MAX_NODES = files.MAX_VALUES
MAX_ALIAS_EXPANSION = 100_000
MAX_DEPTH = files.MAX_DEPTH
MAX_PROBLEMS = 50

Loc = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_STR, _TIMESTAMP, _SEQ, _MAP, _MERGE = (
    _TAG + t for t in ("str", "timestamp", "seq", "map", "merge")
)


@dataclass
class Document:
    """Plain data of one YAML file and the position of every key and value in it."""

    path: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """Problems that did not stop composing (duplicate keys); callers report them too."""

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``loc``, or of its nearest enclosing value."""
        loc = tuple(loc)
        if key and loc in self.keys:
            return self.keys[loc]
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, col = self.where(loc, key=key)
        return Problem(self.path, line, col, message)


class _Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@cache
def packaged_data(name: str) -> Any:
    """A YAML data file shipped in ``audit/data`` (parsed once; trusted, so no positions)."""
    import yaml

    text = (resources.files("audit.data") / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def read_document(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read and compose ``path``; raise ``SiteError`` for anything that is not clean YAML."""
    raw = files.read_bytes(path, what="YAML file", limit=max_bytes)
    return parse_document(raw, "<stdin>" if str(path) == "-" else str(path), max_bytes=max_bytes)


def parse_document(raw: bytes, name: str, *, max_bytes: int = MAX_BYTES) -> Document:
    """Compose YAML ``raw`` bytes (named ``name`` in errors) into a ``Document``."""
    if len(raw) > max_bytes:
        raise SiteError(
            [Problem(name, 1, 1, f"file is {len(raw)} bytes; the limit is {max_bytes} bytes")]
        )
    text = _decode(raw, name)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise SiteError([Problem(name, 1, 1, "file is empty; expected a YAML mapping")])
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if len(text) > MAX_NODES:
        _count_nodes(loader_cls, text, name)
    loader = loader_cls(text)
    collecting = gc.isenabled()
    gc.disable()  # composing allocates many objects, none of them cyclic garbage
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise SiteError([_yaml_problem(exc, name)]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _position(text, exc.position)
        raise SiteError(
            [
                Problem(
                    name,
                    line,
                    col,
                    f"character U+{exc.character:04X} is not allowed in YAML; "
                    "remove it or write it as an escape in a double-quoted string",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise SiteError([Problem(name, 1, 1, f"YAML error: {type(exc).__name__}")]) from None
    except RecursionError:
        raise SiteError(
            [Problem(name, 1, 1, "YAML nesting is too deep; expected a flat site file")]
        ) from None
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    if root is None:
        raise SiteError([Problem(name, 1, 1, "file is empty; expected a YAML mapping")])
    doc = Document(name, None)
    if not _is_map(root):
        line, col = _mark(root)
        raise SiteError(
            [Problem(name, line, col, f"top level is a {_kind(root)}; expected a mapping")]
        )
    builder = _Builder(doc)
    collecting = gc.isenabled()
    gc.disable()
    try:
        doc.data = builder.build(root, ())
    except _Abort as stop:
        raise SiteError([*builder.problems, stop.problem][:MAX_PROBLEMS]) from None
    finally:
        if collecting:
            gc.enable()
    doc.problems = builder.problems
    return doc


_YAML_HINTS = (
    (
        "mapping values are not allowed",
        'a ": " inside a value; put the value in quotes, e.g. name: "Gate: north"',
    ),
    (
        "could not find expected ':'",
        'a line without "key: value", or a quote that is never closed',
    ),
    (
        "cannot start any token",
        "a tab or a reserved character (@, `) starts a value; indent "
        "with spaces and quote values that start with @ or `",
    ),
    (
        "expected ',' or ']'",
        "a [list] is not closed, or an item contains ',' or ': ' and needs quotes",
    ),
    (
        "expected ',' or '}'",
        "a {mapping} is not closed, or a value contains ',' or ': ' and needs quotes",
    ),
    ("found undefined alias", "*name refers to an anchor &name that is not defined above it"),
    ("did not find expected key", "the indentation of this line does not match the lines above it"),
    ("expected <block end>", "the indentation of this line does not match the lines above it"),
    ("found unexpected end of stream", "a quoted string is never closed"),
    (
        "found unknown escape character",
        'an unknown \\ escape in a "double-quoted" string; '
        "use single quotes, or write \\\\ for a backslash",
    ),
)


def _yaml_problem(exc: Any, name: str) -> Problem:
    """PyYAML's complaint in words a site file's author acts on, at its line and column."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or exc.context or "invalid YAML"
    for needle, hint in _YAML_HINTS:
        if needle in what or needle in (exc.context or ""):
            return Problem(name, line, col, f"YAML syntax error: {hint}")
    return Problem(name, line, col, f"YAML syntax error: {what}")


def _count_nodes(loader_cls: Any, text: str, name: str) -> None:
    """Refuse a file of more than ``MAX_NODES`` values before composing it.

    Events stream one at a time, so counting costs time but no memory; a
    composed node costs about 0.5 KB, so this bounds the memory of any file.
    """
    import yaml

    loader = loader_cls(text)
    count = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.NodeEvent) and not isinstance(event, yaml.AliasEvent):
                count += 1
                if count > MAX_NODES:
                    line, col = _mark(event)
                    raise SiteError(
                        [
                            Problem(
                                name,
                                line,
                                col,
                                f"more than {MAX_NODES} YAML values; the limit keeps memory "
                                "bounded (split the site into several files)",
                            )
                        ]
                    )
    except yaml.YAMLError:
        return  # composing reports it with its position
    finally:
        loader.dispose()


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise SiteError(
            [
                Problem(
                    name,
                    line,
                    col,
                    f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
                )
            ]
        ) from None


def _mark(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _is_map(node: Any) -> bool:
    return type(node).__name__ == "MappingNode"


def _kind(node: Any) -> str:
    return {"MappingNode": "mapping", "SequenceNode": "list"}.get(type(node).__name__, "scalar")


class _Builder:
    def __init__(self, doc: Document) -> None:
        import yaml

        self.doc = doc
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.revisits = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: Any, message: str) -> _Abort:
        line, col = _mark(node)
        return _Abort(Problem(self.doc.path, line, col, message))

    # ``build`` and ``mapping`` run once per value of the file (a site has thousands): they
    # test tags against constants, not strings put together on each call, and take a
    # scalar's value straight off its node.

    def build(self, node: Any, loc: Loc) -> Any:
        key = id(node)
        if key in self.seen:
            if key in self.active:
                raise self.fail(node, "recursive alias: a value contains itself")
            self.revisits += 1
            if self.revisits > MAX_ALIAS_EXPANSION:
                raise self.fail(
                    node,
                    f"aliases expand past {MAX_ALIAS_EXPANSION} values; "
                    "expected a site file without alias bombs",
                )
        else:
            self.seen.add(key)
        if len(loc) > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        values = self.doc.values
        if loc not in values:
            mark = node.start_mark
            values[loc] = (mark.line + 1, mark.column + 1)
        kind = type(node).__name__
        if kind == "ScalarNode":
            tag = node.tag
            return node.value if tag in (_STR, _TIMESTAMP) else self.scalar(node)
        self.active.add(key)
        try:
            if kind == "SequenceNode":
                self.check_tag(node, _SEQ)
                return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
            self.check_tag(node, _MAP)
            return self.mapping(node, loc)
        finally:
            self.active.discard(key)

    def check_tag(self, node: Any, expected: str) -> None:
        if node.tag != expected:
            raise self.fail(
                node,
                f"tag {node.tag!r} is not allowed; only plain YAML values "
                "(mappings, lists, strings, numbers, booleans, null) are accepted",
            )

    def mapping(self, node: Any, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        keys = self.doc.keys
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == _MERGE:
                merged.update(self.merge(value_node, loc))
                continue
            if type(key_node).__name__ != "ScalarNode":
                raise self.fail(key_node, "a key must be a plain word, not a list or mapping")
            if tag not in _PLAIN_TAGS:
                raise self.fail(key_node, f"tag {tag!r} is not allowed on a key")
            name = key_node.value
            if name in out:
                first = keys[(*loc, name)]
                self.problems.append(
                    Problem(
                        self.doc.path,
                        *_mark(key_node),
                        f'duplicate key "{name}" (first given at line {first[0]}); '
                        "expected each key once",
                    )
                )
                if len(self.problems) >= MAX_PROBLEMS:
                    raise _Abort(self.problems.pop())
                continue
            at = (*loc, name)
            mark = key_node.start_mark
            keys[at] = (mark.line + 1, mark.column + 1)
            out[name] = self.build(value_node, at)
        for name, value in merged.items():
            out.setdefault(name, value)
        return out

    def merge(self, node: Any, loc: Loc) -> dict[str, Any]:
        sources = node.value if type(node).__name__ == "SequenceNode" else [node]
        merged: dict[str, Any] = {}
        for src in reversed(sources):
            if not _is_map(src):
                raise self.fail(src, "merge key '<<' expects a mapping or a list of mappings")
            merged.update(self.build(src, loc))
        return merged

    def scalar(self, node: Any) -> Any:
        tag = node.tag
        if tag not in _PLAIN_TAGS:
            raise self.fail(
                node,
                f"tag {tag!r} is not allowed; only plain YAML values "
                "(strings, numbers, booleans, null) are accepted",
            )
        c = self.constructor
        if tag in (_STR, _TIMESTAMP):
            return node.value
        if tag == _TAG + "null":
            return None
        try:
            if tag == _TAG + "bool":
                return c.construct_yaml_bool(node)
            if tag == _TAG + "int":
                if ":" in node.value:
                    return node.value
                if len(node.value) > MAX_DIGITS:
                    raise self.fail(node, _NOT_FINITE)
                value: float = c.construct_yaml_int(node)
            else:
                value = c.construct_yaml_float(node)
        except (ValueError, KeyError):
            raise self.fail(node, f"{node.value!r} is not a valid {tag[len(_TAG) :]}") from None
        if not finite(value):
            raise self.fail(node, _NOT_FINITE)
        return value


_NOT_FINITE = (
    "expected a finite number (no .nan or .inf, at most about 1e308); "
    "write the value, or leave the field out when it is unknown"
)
