"""The facts to survey: every data gap a rule reports and every default a P(E) rests on,
each with the input its field needs, read from the site model's own fields.

Nothing here names a field: a gap finding on an element is matched to the
element's unrecorded (None) fields by the words of their names, a defaulted
input ("delay of wall-1") the same way, and the input (yes/no, a number with
its unit and range, hours, a choice) comes from the field's type. A field the
model starts to leave unknown flows into the survey as soon as a rule or the
analysis reports it.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any, Literal, Union

from pydantic import BaseModel

Kind = Literal["yesno", "number", "integer", "choice", "hours", "date", "text"]

UNITS = (
    ("_px_m", "px/m"),
    ("_m2", "m²"),
    ("_mm", "mm"),
    ("_min", "min"),
    ("_m", "m"),
    ("_s", "s"),
)
WALK = ("site", "zones", "walls", "posts", "devices", "response", "assets")
"""Where an auditor walks, in order: the site as a whole, zone by zone, wall by wall (its
gaps and gates), post by post, cameras, lights and sensors, the response force, the assets."""
WALK_OF = {
    "zones": "zones",
    "walls": "walls",
    "gaps": "walls",
    "gates": "walls",
    "checkpoints": "posts",
    "stations": "posts",
    "patrols": "posts",
    "cameras": "devices",
    "lights": "devices",
    "sensors": "devices",
    "buildings": "zones",
    "vantage_points": "zones",
    "vehicle_approaches": "zones",
    "responders": "response",
    "assets": "assets",
}
WALK_TITLE = {
    "site": "The site as a whole",
    "zones": "Zone by zone",
    "walls": "Wall by wall, gate by gate",
    "posts": "Post by post",
    "devices": "Cameras, lights and sensors",
    "response": "The response force",
    "assets": "The assets",
}


@dataclass(frozen=True)
class Input:
    """What a field accepts, as the page asks for it."""

    kind: Kind
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


@dataclass
class Fact:
    """One unrecorded value of one element, and why it matters."""

    element: str
    section: str
    field: str
    """Dotted path in the element (``topping.height_m``)."""
    label: str
    description: str
    input: Input
    loc: tuple
    """Where the element is in the file's data (``("walls", 2)``)."""
    line: int
    reasons: list[str] = default(default_factory=list)
    analysis: bool = False
    """A default the analysis uses (a delay, a detection probability), not a rule's fact."""
    rank: int = 0
    value: dict[str, Any] = default(default_factory=dict)
    """Value of information (``rank.Worth`` as a dict), filled by ``rank``."""

    @property
    def key(self) -> str:
        return f"{self.element}.{self.field}"

    @property
    def walk(self) -> str:
        return WALK_OF.get(self.section, "site")


def words(name: str) -> str:
    """A field's name as a finding words it: ``unobstructed_space_m`` -> ``unobstructed space``."""
    last = name.rsplit(".", 1)[-1]
    for suffix, _ in UNITS:
        if last.endswith(suffix):
            last = last[: -len(suffix)]
            break
    return last.replace("_", " ")


def unit_of(name: str) -> str:
    last = name.rsplit(".", 1)[-1]
    if last == "lux":
        return "lux"
    if last.startswith("p_") or last.startswith("goal_p"):
        return "probability 0-1"
    return next((u for suffix, u in UNITS if last.endswith(suffix)), "")


def _unwrap(annotation: Any) -> tuple[list[Any], list[Any]]:
    """The types a field admits (None left out) and the constraints written on them."""
    out: list[Any] = []
    meta: list[Any] = []
    todo = [annotation]
    while todo:
        t = todo.pop(0)
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            base, *extra = typing.get_args(t)
            for m in extra:
                meta += list(getattr(m, "metadata", [m]))
            todo.insert(0, base)
        elif origin in (Union, types.UnionType):
            todo[:0] = [a for a in typing.get_args(t) if a is not type(None)]
        else:
            out.append(t)
    return out, meta


def describe(model: type[BaseModel], name: str) -> Input | None:
    """The input field ``name`` of ``model`` needs, or None when it is nothing an auditor
    answers on a form (a list of ids, a plan's coordinates)."""
    info = model.model_fields.get(name)
    if info is None:
        return None
    kinds, meta = _unwrap(info.annotation)
    meta += list(info.metadata)
    lo, hi = _bound(meta, ("ge", "gt")), _bound(meta, ("le", "lt"))
    unit = unit_of(name)
    spans = [k for k in kinds if typing.get_origin(k) is list and _is_span(typing.get_args(k))]
    if spans and all(k is bool or k in spans for k in kinds):
        modes = ("always", "never", "hours") if bool in kinds else ("always", "hours")
        return Input("hours", choices=modes)
    if kinds == [bool]:
        return Input("yesno")
    if len(kinds) == 1 and typing.get_origin(kinds[0]) is Literal:
        return Input("choice", choices=tuple(str(c) for c in typing.get_args(kinds[0])))
    if kinds in ([int], [float], [int, float], [float, int]):
        return Input("integer" if kinds == [int] else "number", unit, lo, hi)
    if kinds == [dt.date]:
        return Input("date")
    if kinds == [str]:
        return Input("text")
    return None


def _bound(meta: list[Any], names: tuple[str, ...]) -> float | None:
    """The first bound of ``names`` (``ge``, ``gt``...) the constraints write, if any."""
    for m in meta:
        for name in names:
            v = getattr(m, name, None)
            if v is not None:
                return float(v)
    return None


def _is_span(args: tuple) -> bool:
    from audit.site.hours import Span

    return len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], Span)


def unknown_fields(obj: BaseModel, prefix: str = "") -> list[tuple[str, type[BaseModel], str]]:
    """(dotted path, model, field name) of every field of ``obj`` left unrecorded (None),
    nested models included; ids, names and notes are never facts to survey."""
    out = []
    for name in type(obj).model_fields:
        if name in ("id", "name", "notes"):
            continue
        v = getattr(obj, name)
        if v is None:
            out.append((prefix + name, type(obj), name))
        elif isinstance(v, BaseModel):
            out += unknown_fields(v, f"{prefix}{name}.")
    return out


def field_named(obj: BaseModel, what: str) -> list[tuple[str, type[BaseModel], str]]:
    """The unrecorded fields of ``obj`` that text ``what`` names (by their words)."""
    text = what.replace("_", " ").lower()
    found = []
    for path, model, name in unknown_fields(obj):
        said = words(path)
        if re.search(rf"(?<![a-z]){re.escape(said)}(?![a-z])", text) or path in what:
            found.append((path, model, name))
    return found


def collect(result: Any) -> list[Fact]:
    """The facts to survey on one audited site (``SiteResult``): the unwaived data gaps, and
    the defaulted inputs every P(E) (or, with no threat declared, P(I)) rests on."""
    site = result.model
    facts: dict[tuple[str, str], Fact] = {}

    def add(el_id: str, what: str, reason: str, *, analysis: bool = False) -> bool:
        obj, section, loc, line = _target(site, el_id)
        if obj is None:
            return False
        hit = False
        for path, model, name in field_named(obj, what):
            shape = describe(model, name)
            if shape is None:
                continue
            hit = True
            fact = facts.get((el_id, path))
            if fact is None:
                info = model.model_fields[name]
                fact = facts[(el_id, path)] = Fact(
                    el_id, section, path, getattr(obj, "label", el_id),
                    info.description or "", shape, loc, line, analysis=analysis,
                )  # fmt: skip
            if reason not in fact.reasons:
                fact.reasons.append(reason)
        return hit

    for f in result.findings:
        if f.gap and not f.waived:
            # gaps of one cause are grouped (one finding); those behind the lead are in "also"
            for g in [
                {"rule": f.rule, "title": f.title, "message": f.message},
                *f.data.get("also", []),
            ]:
                add(f.element, re.sub(r'"[^"]*"', "", g["message"]), f"{g['rule']} {g['title']}")
    for t in result.effectiveness:
        for a in t.assets:
            for item in a.defaulted:
                what, _, el_id = item.rpartition(" of ")
                reason = f"P(E) of {a.asset} against {t.threat} rests on the default {what}"
                add(el_id, what, reason, analysis=True)
    if not site.threats:  # no P(E): the worst path's P(I) rests on the same kind of defaults
        from audit.analysis.paths import default_delay

        for ap in result.analysis.assets:
            for step in ap.path:
                el = site.get(step.element)
                if el is None:
                    continue
                if default_delay(el):
                    add(
                        el.id,
                        "delay",
                        f"P(I) of {ap.asset} rests on the default delay",
                        analysis=True,
                    )
                if getattr(el, "p_detect", 0.0) is None and step.p_detect > 0.0:
                    why = f"P(I) of {ap.asset} rests on the default p_detect"
                    add(el.id, "p_detect", why, analysis=True)
    return sorted(facts.values(), key=lambda f: (WALK.index(f.walk), f.line, f.element, f.field))


def _target(site: Any, el_id: str) -> tuple[Any, str, tuple, int]:
    """(object, section, data path, line) of an element id, or of the site itself."""
    el = site.get(el_id)
    if el is not None:
        return el, site.kind_of(el_id), tuple(el._loc), el.line
    if el_id == site.site.id:
        return site.site, "site", ("site",), 1
    return None, "", (), 0


def gaps_left(result: Any, facts: list[Fact]) -> list[Any]:
    """Data gaps no field answers (a policy to decide, not a fact to look at): listed apart."""
    answered = {f.element for f in facts}
    return [f for f in result.findings if f.gap and not f.waived and f.element not in answered]
