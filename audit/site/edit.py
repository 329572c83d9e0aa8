"""Edit a site file in place: rewrite only the values that changed, keep everything else.

A site file is written by people: comments say where a figure came from, keys are
in the order their author thinks in, long flow mappings are broken over lines.
Dumping the changed data again (PyYAML, or ruamel.yaml's round trip, which joins
every multi-line ``{...}`` onto one line) loses some of that. Here the file's
node tree gives the position of every value; a changed value is replaced where it
is written, a new key is written after the last one of its mapping, a new list
item after the last item, a removed key's lines are dropped, and every other byte
is kept. New values are written in flow style on one line (``{from: "18:00",
to: "07:00"}``). ``notes`` put a comment on the lines that hold changed values
(where a fact came from). The result is parsed again and must hold exactly the
new data; an edit that cannot be made (a value reached through an alias, a block
scalar) raises ``EditError`` rather than writing something else.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Loc = tuple[str | int, ...]

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
"""An ISO date: written plain (``audit.site.source`` reads it back as this text)."""
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


class EditError(ValueError):
    """The file cannot be edited in place so that it holds the new data."""


def render(value: Any) -> str:
    """``value`` as YAML in flow style, on one line (what a new or changed value reads as)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EditError(f"cannot write {value!r} in a site file")
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.12f}".rstrip("0")
        return text if "." in text else text + ".0"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED or _DATE.fullmatch(value):
            return value
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{render(str(k))}: {render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(render(v) for v in value) + "]"
    raise EditError(f"cannot write a {type(value).__name__} in a site file")


def same(a: Any, b: Any) -> bool:
    """Equal as YAML data (``true`` is not ``1``; ``1`` is ``1.0``; a date is its ISO text, as
    ``audit.site.source`` reads it)."""
    a, b = (x.isoformat() if isinstance(x, dt.date) else x for x in (a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


@dataclass(order=True)
class _Edit:
    start: int
    end: int
    order: int
    text: str


class _Editor:
    def __init__(self, text: str, notes: Mapping[Loc, str]) -> None:
        import yaml

        self.text = text
        self.notes = dict(notes)
        self.starts = [0]
        for m in re.finditer("\n", text):
            self.starts.append(m.end())
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        try:
            self.root = loader.get_single_node()
        finally:
            loader.dispose()
        self.edits: list[_Edit] = []
        self.anchors: dict[int, tuple[int, list[str]]] = {}
        """Line -> (column, notes) of comment lines to write above that line."""
        self.shared = self._shared(self.root)
        self.pending: list[Loc] = []
        """Notes on values written inside flow collections: placed by ``notes_above``."""

    # positions -------------------------------------------------------------------------
    def at(self, mark: Any) -> int:
        return self.starts[mark.line] + mark.column

    def end(self, node: Any) -> int:
        """Offset just past the last character of ``node``'s own text (not trailing comments)."""
        import yaml

        if isinstance(node, yaml.ScalarNode):
            stop = self.at(node.end_mark)
            if node.style in ("|", ">"):
                raise EditError("a block scalar (| or >) cannot be edited in place")
            return stop
        if node.flow_style or not node.value:
            return self.at(node.end_mark)
        last = node.value[-1]
        return self.end(last[1] if isinstance(last, tuple) else last)

    def line_after(self, offset: int) -> int:
        """Offset of the start of the line after the one ``offset - 1`` is on."""
        nl = self.text.find("\n", max(offset - 1, 0))
        return len(self.text) if nl < 0 else nl + 1

    def dash(self, item: Any) -> tuple[int, int]:
        """Line and column of the ``-`` that starts block sequence item ``item``."""
        i = self.at(item.start_mark) - 1
        while i >= 0 and self.text[i] != "-":
            i -= 1
        line = self.text.count("\n", 0, i)
        return line, i - self.starts[line]

    def _shared(self, root: Any) -> set[int]:
        """Nodes reached more than once (through an alias): never edited in place."""
        seen: set[int] = set()
        twice: set[int] = set()
        todo = [root]
        while todo:
            n = todo.pop()
            if id(n) in seen:
                twice.add(id(n))
                continue
            seen.add(id(n))
            if isinstance(n.value, list):
                for v in n.value:
                    todo.extend(v if isinstance(v, tuple) else (v,))
        return twice

    # edits -----------------------------------------------------------------------------
    def add(self, start: int, end: int, text: str) -> None:
        self.edits.append(_Edit(start, end, len(self.edits), text))

    def note(self, line: int, column: int, loc: Loc) -> None:
        text = self.notes.pop(loc, None)
        if text:
            col, lines = self.anchors.setdefault(line, (column, []))
            if text not in lines:
                lines.append(text)

    def walk(self, node: Any, old: Any, new: Any, loc: Loc, key: Any = None) -> None:
        """Make ``node`` (holding ``old``) hold ``new``; ``key``: its key node in a mapping."""
        import yaml

        if same(old, new):
            return
        if id(node) in self.shared:
            raise EditError(f"{_where(loc)} is written through an alias; edit it by hand")
        if isinstance(node, yaml.MappingNode) and isinstance(old, dict) and isinstance(new, dict):
            if any(k.value == "<<" for k, _ in node.value):
                return self.replace(node, new, key)
            self.mapping(node, old, new, loc, key)
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(old, list) and isinstance(new, list)
        ):
            self.sequence(node, old, new, loc, key)
        else:
            self.replace(node, new, key)

    def replace(self, node: Any, new: Any, key: Any) -> None:
        """Write ``new`` over ``node``'s text (a block collection becomes one flow line)."""
        import yaml

        start, stop = self.at(node.start_mark), self.end(node)
        block = not isinstance(node, yaml.ScalarNode) and not node.flow_style
        if block and key is not None:
            self.add(self.at(key.end_mark), stop, ": " + render(new))
        else:
            self.add(start, stop, render(new))

    def mapping(self, node: Any, old: dict, new: dict, loc: Loc, key: Any) -> None:
        pairs = {k.value: (k, v) for k, v in node.value}
        if set(pairs) != set(old):
            return self.replace(node, new, key)
        gone = [n for n in old if n not in new]
        if gone and (node.flow_style or any(not self.own_line(pairs[n][0]) for n in gone)):
            return self.replace(node, new, key)
        for name, (k, v) in pairs.items():
            if name in new:
                here = (*loc, name)
                if not same(old[name], new[name]):
                    self.anchor(node, k, here)
                self.walk(v, old[name], new[name], here, k)
        for name in gone:
            k, v = pairs[name]
            first = self.starts[k.start_mark.line]
            self.add(first, self.line_after(self.end(v)), "")
        added = [n for n in new if n not in old]
        if added:
            self.insert(node, [(n, new[n], (*loc, n)) for n in added])

    def own_line(self, k: Any) -> bool:
        first = self.starts[k.start_mark.line]
        return not self.text[first : self.at(k.start_mark)].strip()

    def anchor(self, node: Any, k: Any, loc: Loc) -> None:
        """Where the note of a changed value ``loc`` goes: above the line of its key when the
        mapping is block style, else above its nearest block ancestor (``notes_above``)."""
        if loc not in self.notes:
            return
        if not node.flow_style:
            self.note(k.start_mark.line, k.start_mark.column, loc)
        else:
            self.pending.append(loc)

    def insert(self, node: Any, items: list[tuple[str, Any, Loc]]) -> None:
        if node.flow_style or not node.value:
            texts = [f"{render(n)}: {render(v)}" for n, v, _ in items]
            self.flow_append(node, texts)
            self.pending += [loc for _, _, loc in items]
            return
        col = node.value[0][0].start_mark.column
        at = self.line_after(self.end(node))
        lead = "" if at == 0 or self.text[at - 1] == "\n" else "\n"
        out = []
        for n, v, loc in items:
            note = self.notes.pop(loc, "")
            out.append(" " * col + f"{render(n)}: {render(v)}" + (f"  # {note}" if note else ""))
        self.add(at, at, lead + "\n".join(out) + "\n")

    def sequence(self, node: Any, old: list, new: list, loc: Loc, key: Any) -> None:
        if len(new) < len(old) or len(node.value) != len(old):
            return self.replace(node, new, key)
        for i, item in enumerate(node.value):
            if not same(old[i], new[i]) and (*loc, i) in self.notes and not node.flow_style:
                line, col = self.dash(item)
                self.note(line, col, (*loc, i))
            self.walk(item, old[i], new[i], (*loc, i))
        extra = new[len(old) :]
        if not extra:
            return
        if node.flow_style:
            self.flow_append(node, [render(v) for v in extra])
            self.pending += [(*loc, i) for i in range(len(old), len(new))]
            return
        _, col = self.dash(node.value[0])
        at = self.line_after(self.end(node))
        lead = "" if at == 0 or self.text[at - 1] == "\n" else "\n"
        out = []
        for i, v in enumerate(extra, start=len(old)):
            note = self.notes.pop((*loc, i), "")
            out.append(" " * col + "- " + render(v) + (f"  # {note}" if note else ""))
        self.add(at, at, lead + "\n".join(out) + "\n")

    def flow_append(self, node: Any, texts: list[str]) -> None:
        close = self.at(node.end_mark) - 1
        j = close
        while j > 0 and self.text[j - 1] in " \t\r\n":
            j -= 1
        before = self.text[j - 1]
        sep = "" if before in "[{" else (" " if before == "," else ", ")
        self.add(j, j, sep + ", ".join(texts))

    # notes on values inside flow collections: above the nearest block entry ------------
    def notes_above(self, locs: list[Loc]) -> None:
        import yaml

        for loc in locs:
            if loc not in self.notes:
                continue
            node, best = self.root, None
            for part in loc:
                if isinstance(node, yaml.MappingNode):
                    pair = next(((k, v) for k, v in node.value if k.value == part), None)
                    if pair is None:
                        break
                    if not node.flow_style:
                        best = (pair[0].start_mark.line, pair[0].start_mark.column)
                    node = pair[1]
                elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                    if part >= len(node.value):
                        break
                    if not node.flow_style:
                        best = self.dash(node.value[part])
                    node = node.value[part]
                else:
                    break
            if best is not None:
                self.note(best[0], best[1], loc)

    def result(self) -> str:
        for line, (col, texts) in self.anchors.items():
            at = self.starts[line]
            self.add(at, at, " " * col + "# " + "; ".join(texts) + "\n")
        out, pos = [], 0
        for e in sorted(self.edits):
            if e.start < pos:
                raise EditError("overlapping edits")  # a bug here, never the file's fault
            out += [self.text[pos : e.start], e.text]
            pos = e.end
        out.append(self.text[pos:])
        return "".join(out)


def _lists(a: Any, b: Any) -> bool:
    return isinstance(a, list) and isinstance(b, list)


def _where(loc: Loc) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def rewrite(text: str, new: Any, *, notes: Mapping[Loc, str] | None = None, name: str = "") -> str:
    """``text`` (a YAML file) edited to hold ``new``, every unchanged byte kept; ``notes``:
    a comment (one line) for the value at each path, written beside or above it."""
    from audit.site.source import parse_document

    old = parse_document(text.encode("utf-8"), name or "<site file>").data
    clean = {k: " ".join(str(v).split()) for k, v in (notes or {}).items()}
    ed = _Editor(text, clean)
    ed.walk(ed.root, old, new, ())
    ed.notes_above(ed.pending)
    out = ed.result()
    again = parse_document(out.encode("utf-8"), name or "<site file>").data
    if not same(again, new):
        raise EditError("the edited file does not read back as the new data")
    return out
