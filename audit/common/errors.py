"""Problems found in input files, and the one exception type that carries them.

Every user-facing error in siteaudit is a ``Problem`` with a file, a 1-based
line and column, and a message that says what is wrong and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from audit.common.escape import printable

MAX_MESSAGE = 500
MAX_EXCERPT = 40


def excerpt(value: object, limit: int = MAX_EXCERPT) -> str:
    """A short, quoted, escaped rendering of an input value for an error message.

    Errors may reach CI logs that others read; they never echo more than
    ``limit`` characters of what a file holds.
    """
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if not isinstance(value, str):
        return printable(text)
    return '"' + printable(text).replace('"', '\\"') + '"'


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        message = printable(self.message)
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        return f"{printable(self.file)}:{self.line}:{self.column}: error: {message}"


class SiteError(Exception):
    """Raised for any bad input file; carries every problem found (up to a cap)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: object, candidates: Iterable[object]) -> str:
    """A ' (did you mean "x"?)' suffix, or '' when nothing is close."""
    import difflib

    names = sorted(map(str, candidates))
    matches = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    if not matches:  # a word spelt out in full where an abbreviation is asked: saturday, sat
        low = str(word).lower()
        starts = [c for c in names if len(c) >= 3 and low.startswith(c.lower())]
        matches = sorted(starts, key=lambda c: (-len(c), c))[:1]
    return f" (did you mean {excerpt(matches[0])}?)" if matches else ""
