"""Escape text from input files for each output format.

Names and messages come from site files written by many hands; YAML lets
them hold any character. Each format gets what it can carry safely: a
terminal never receives control codes (no colour forgery, no fake
``file:1:1: error:`` lines), XML never receives characters XML 1.0 forbids,
Markdown never receives a heading, a link or HTML.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_XML_BAD = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def printable(text: object) -> str:
    """One line with control characters written as escapes (``\\n``, ``\\x1b``)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))


def xml_text(text: object) -> str:
    """``text`` without the characters XML 1.0 cannot carry (written as escapes instead)."""
    return _XML_BAD.sub(lambda m: repr(m.group())[1:-1], str(text))


def markdown(text: object) -> str:
    """Inline Markdown: one line, Markdown punctuation escaped, HTML written as entities."""
    one_line = printable(" ".join(str(text).split()))
    escaped = _MD_SPECIAL.sub(r"\\\1", one_line)
    if escaped[:1] in ("#", "-", "+", "=", ">"):
        escaped = "\\" + escaped
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: object) -> str:
    """Inline code span content: one line, no backtick to break out of it."""
    return " ".join(printable(text).split()).replace("`", "'")
