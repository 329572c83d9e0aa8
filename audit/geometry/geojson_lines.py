"""Where each feature of a GeoJSON text starts, for errors that name a feature by its line.

The parsed collection has no positions; this finds them in the text again, with the
standard library's decoder, only when a feature is at fault.
"""

from __future__ import annotations

import json
import re


def feature_lines(text: str) -> list[int]:
    """The 1-based line each feature of a FeatureCollection's text starts on ([] when the
    text is not one): for errors that name a feature."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")
    try:
        i = ws.match(text, 0).end()  # type: ignore[union-attr]
        if text[i] != "{":
            return []
        i += 1
        while True:
            i = ws.match(text, i).end()  # type: ignore[union-attr]
            if text[i] == "}":
                return []
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            i = ws.match(text, i).end()  # type: ignore[union-attr]
            i = ws.match(text, i + 1).end()  # type: ignore[union-attr]
            if key == "features" and text[i] == "[":
                return _starts(text, i + 1, decoder, ws)
            _, i = decoder.raw_decode(text, i)
            i = ws.match(text, i).end()  # type: ignore[union-attr]
            if text[i] == ",":
                i += 1
    except (ValueError, IndexError):
        return []


def _starts(text: str, i: int, decoder: json.JSONDecoder, ws: re.Pattern[str]) -> list[int]:
    lines: list[int] = []
    line, counted = 1, 0
    while True:
        i = ws.match(text, i).end()  # type: ignore[union-attr]
        if text[i] == "]":
            return lines
        line += text.count("\n", counted, i)
        counted = i
        lines.append(line)
        _, i = decoder.raw_decode(text, i)
        i = ws.match(text, i).end()  # type: ignore[union-attr]
        if text[i] == ",":
            i += 1
