"""The survey page: one self-contained HTML file an auditor opens on a phone, offline.

No network and no file beside it: styles and script are inline. Answers are kept
in the browser's local storage as they are typed (a page closed by mistake
loses nothing), exported as a small JSON file (``answers``), and the page prints
as a clipboard sheet (boxes to tick, lines to write on). Facts are grouped by
where the auditor walks and, within each group, ordered by their worth.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from audit.survey.facts import WALK, WALK_TITLE, Fact, words

FORMAT = "siteaudit-survey-answers/1"
"""The ``format`` of an answers file."""


def fingerprint(raw: bytes) -> str:
    """Which version of the site file a survey was made from (its bytes' SHA-256, 16 hex)."""
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass
class Survey:
    """Everything one page shows."""

    site: str
    name: str
    file: str
    fingerprint: str
    facts: list[Fact]
    left: list[Any]
    """Data gaps no field answers (a decision to make, not a fact to look at)."""
    measure: str
    """"P(E)" or, with no threat declared, "P(I)"."""

    @property
    def deciding(self) -> int:
        """Facts whose answer could change the verdict."""
        return sum(1 for f in self.facts if f.value.get("decides"))

    @property
    def spread(self) -> float:
        return max((f.value.get("spread", 0.0) for f in self.facts), default=0.0)

    def groups(self) -> list[tuple[str, str, list[tuple[str, str, int, list[Fact]]]]]:
        """(walk, title, [(element, label, line, facts)]) in walking order; elements by the
        rank of their best fact, facts by rank."""
        out = []
        for walk in WALK:
            here = [f for f in self.facts if f.walk == walk]
            if not here:
                continue
            by_el: dict[str, list[Fact]] = {}
            for f in sorted(here, key=lambda f: f.rank):
                by_el.setdefault(f.element, []).append(f)
            cards = [(el, fs[0].label, fs[0].line, fs) for el, fs in by_el.items()]
            out.append((walk, WALK_TITLE[walk], cards))
        return out


def worth_text(fact: Fact, measure: str) -> str:
    """The fact's worth in words (what knowing it could change)."""
    w = fact.value
    if not w:
        return "worth not computed (no plausible values to try)"
    parts = []
    if w["decides"]:
        parts.append("could change the verdict")
    if w["spread"] > 0:
        parts.append(f"moves the worst {measure} by up to {w['spread']:.3f}")
    if w["findings"]:
        parts.append(f"changes {w['findings']} finding(s)")
    tried = ", ".join(_show(v) for v in w["values"])
    return ("; ".join(parts) or "changes nothing at the values tried") + f" (tried: {tried})"


def _show(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return f"{v:g}" if isinstance(v, float) else str(v)


def _template(name: str) -> Any:
    from audit.common.templates import template

    return template("audit.survey", name)


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element (no ``</script>``, no HTML comment opener)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(survey: Survey) -> str:
    meta = {
        "format": FORMAT,
        "site": survey.site,
        "file": survey.file,
        "fingerprint": survey.fingerprint,
        "facts": [
            {
                "id": f"f{i}",
                "element": f.element,
                "field": f.field,
                "kind": f.input.kind,
                "modes": list(f.input.choices) if f.input.kind == "hours" else [],
            }
            for i, f in enumerate(survey.facts)
        ],
    }
    ids = {f.key: f"f{i}" for i, f in enumerate(survey.facts)}
    top = sorted(survey.facts, key=lambda f: f.rank)[:10]
    return _template("survey.html").render(
        s=survey,
        ids=ids,
        top=top,
        worth=lambda f: worth_text(f, survey.measure),
        words=words,
        num=lambda v: str(int(v)) if float(v).is_integer() else repr(float(v)),
        meta=_script_json(meta),
    )


def render_index(entries: list[dict[str, Any]]) -> str:
    """The index of a folder's surveys, most unknown where it matters first."""
    return _template("index.html").render(entries=entries)
