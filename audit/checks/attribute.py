"""The generic ``attribute`` check: a condition on the fields of every element of a section.

Most simple rules need no Python. ``where`` is a condition tree::

    where:
      all:
        - {topping.condition: {in: [damaged, cut, missing]}}
        - not: {side: {equals: internal}}

A condition is ``all: [...]``, ``any: [...]``, ``not: {...}``, ``{field: PATH,
OP: VALUE}``, or a mapping of dotted field paths to ``{OP: VALUE}`` (or to a
bare ``exists`` / ``missing`` / ``is_true`` / ``is_false``); several paths in
one mapping must all hold. Operators: equals, not_equals, in, not_in, exists,
missing, lt, le, gt, ge, contains, is_true, is_false.

Besides the element's own fields, walls, gaps and gates have
``outside_kind`` / ``inside_kind`` (the kinds of the zones either side), and
every element has ``cameras``, ``sensors``, ``lights``, ``checkpoints``: how
many working ones cover it. Zones have ``controlled_by`` (own, third_party,
public); ``threat_explosives`` says whether a threat the site declares carries
explosives (missing when it declares none).
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
from collections.abc import Callable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr, field_validator

from audit.checks import Context, Hit, Params, check
from audit.site.model import ELEMENT_SECTIONS, SINGULAR
from audit.site.unknowns import is_unrecorded

Section = Literal[(*ELEMENT_SECTIONS, "gaps")]  # type: ignore[valid-type]

MISSING = object()
UNARY = {"exists", "missing", "is_true", "is_false"}
_COMPARE = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}
OPERATORS = sorted(UNARY | set(_COMPARE) | {"equals", "not_equals", "in", "not_in", "contains"})

Pred = Callable[[Callable[[str], Any]], list[str] | None]
"""A compiled condition: given a field resolver, the evidence when it holds, else None."""
Options = dict[str, list[Any]]
"""Per fact a rule reads, the values that can decide its leaves (``_candidates``), in order."""


def _empty(v: Any) -> bool:
    return v is MISSING or v is None or (isinstance(v, list | tuple | set | dict) and not v)


def _leaf(path: str, op: str, arg: Any, where: str) -> Pred:
    if op not in OPERATORS:
        from audit.common.errors import did_you_mean

        raise ValueError(
            f'{where}: unknown operator "{op}"{did_you_mean(op, OPERATORS)}; '
            f"expected one of {', '.join(OPERATORS)}"
        )
    if op in ("in", "not_in") and not isinstance(arg, list):
        raise ValueError(f'{where}: operator "{op}" expects a list')
    if op in _COMPARE and (isinstance(arg, bool) or not isinstance(arg, int | float)):
        raise ValueError(f'{where}: operator "{op}" expects a number')
    if op == "contains" and not isinstance(arg, str | int | float | bool):
        raise ValueError(f'{where}: operator "contains" expects a string or a number')

    def test(v: Any) -> bool:
        if op == "exists":
            return not _empty(v)
        if op == "missing":
            return _empty(v)
        if op == "is_true":
            return v is True
        if op == "is_false":
            return v is False
        if v is MISSING:
            return op in ("not_equals", "not_in")
        if op == "equals":
            return v == arg
        if op == "not_equals":
            return v != arg
        if op == "in":
            return v in arg
        if op == "not_in":
            return v not in arg
        if op == "contains":
            if isinstance(v, str):
                return isinstance(arg, str) and arg in v
            return isinstance(v, list | tuple) and arg in v
        if v is None or isinstance(v, bool) or not isinstance(v, int | float):
            return False
        return _COMPARE[op](v, arg)

    def pred(get: Callable[[str], Any]) -> list[str] | None:
        v = get(path)
        if not test(v):
            return None
        shown = "missing" if v is MISSING or v is None else v
        return [f"{path} = {shown}" if op not in UNARY else f"{path} {op.replace('_', ' ')}"]

    return pred


def compile_condition(cond: Any, where: str = "where") -> Pred:
    """Compile a condition tree; raise ValueError naming the bad part."""
    if not isinstance(cond, dict) or not cond:
        from audit.common.errors import excerpt

        raise ValueError(f"{where}: expected a non-empty mapping, got {excerpt(cond)}")
    if set(cond) & {"all", "any", "not"}:
        if len(cond) != 1:
            raise ValueError(f"{where}: all/any/not must stand alone in their mapping")
        ((key, body),) = cond.items()
        if key == "not":
            inner = compile_condition(body, f"{where}.not")
            return lambda get: None if inner(get) is not None else []
        if not isinstance(body, list) or not body:
            raise ValueError(f"{where}.{key}: expected a non-empty list of conditions")
        parts = [compile_condition(c, f"{where}.{key}.{i}") for i, c in enumerate(body)]
        if key == "all":

            def all_(get: Callable[[str], Any]) -> list[str] | None:
                out: list[str] = []
                for p in parts:
                    ev = p(get)
                    if ev is None:
                        return None
                    out += ev
                return out

            return all_

        def any_(get: Callable[[str], Any]) -> list[str] | None:
            for p in parts:
                ev = p(get)
                if ev is not None:
                    return ev
            return None

        return any_
    if "field" in cond:
        ops = {k: v for k, v in cond.items() if k != "field"}
        if len(ops) != 1 or not isinstance(cond["field"], str):
            raise ValueError(f"{where}: expected field: PATH and exactly one operator")
        ((op, arg),) = ops.items()
        return _leaf(cond["field"], op, arg, where)
    leaves = []
    for path, spec in cond.items():
        if isinstance(spec, str) and spec in UNARY:
            leaves.append(_leaf(path, spec, None, f"{where}.{path}"))
        elif isinstance(spec, dict) and len(spec) == 1:
            ((op, arg),) = spec.items()
            leaves.append(_leaf(path, op, arg, f"{where}.{path}"))
        else:
            raise ValueError(
                f"{where}.{path}: expected {{OPERATOR: VALUE}} or one of {', '.join(sorted(UNARY))}"
            )
    if len(leaves) == 1:
        return leaves[0]
    return compile_condition({"all": [{k: v} for k, v in cond.items()]}, where)


def resolve(ctx: Context, el: Any, path: str) -> Any:
    """Value of a dotted field path on an element, or MISSING."""
    virtual = _virtual(ctx, el, path)
    if virtual is not MISSING:
        return virtual
    value: Any = el
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part, MISSING)
        elif isinstance(value, BaseModel):
            name = _field_name(type(value), part)
            value = getattr(value, name) if name else MISSING
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value


@functools.cache
def _field_name(model: type[BaseModel], part: str) -> str | None:
    """The field of ``model`` that ``part`` names (its name or its alias), or None."""
    fields = model.model_fields
    return next((n for n, f in fields.items() if n == part or f.alias == part), None)


SITE_WIDE = ("threat_explosives",)
"""Virtual fields that are the same for every element (read once per rule)."""
VIRTUAL = {"distance_m", "controlled_by", "outside_kind", "inside_kind", *SITE_WIDE}
VIRTUAL |= {"cameras", "sensors", "lights", "checkpoints"}
"""Every name ``_virtual`` answers (any other field is read off the element)."""


def _virtual(ctx: Context, el: Any, path: str) -> Any:
    if path not in VIRTUAL:
        return MISSING
    if path == "distance_m" and ctx.watch.plan is not None and hasattr(el, "overlooks"):
        lines = ctx.watch.plan.sightlines(el)
        if lines:  # measured on the plan: the nearest clear sightline, or none at all
            clear = [line.distance_m for line in lines if line.blocked_by is None]
            return min(clear) if clear else math.inf
    if path == "controlled_by" and hasattr(el, "controlled_by"):
        return el.controlled_by
    if path == "threat_explosives":
        from audit.site.threats import declared

        threats = declared(ctx.site)
        return any(t.explosives for t in threats) if threats else MISSING
    if path in ("outside_kind", "inside_kind"):
        between = _between(ctx, el)
        if between is None:
            return MISSING
        return ctx.watch.zone_kind(between[0 if path == "outside_kind" else 1])
    if path in ("cameras", "sensors", "lights", "checkpoints") and hasattr(el, "id"):
        if path == "checkpoints":
            return len(ctx.watch.covering(el.id, path))
        return sum(1 for c in ctx.watch.covering(el.id, path) if c.status == "working")
    return MISSING


def _between(ctx: Context, el: Any) -> list[str] | None:
    between = getattr(el, "between", None)
    if between is None and ctx.site.kind_of(getattr(el, "id", "")) == "gaps":
        wall = next(w for w in ctx.site.walls if any(g.id == el.id for g in w.gaps))
        between = wall.between
    return between


_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


MAX_MESSAGE = 1000
"""Longest finding message a template may render (the rest is cut with an ellipsis)."""


def render(template: str, get: Callable[[str], Any]) -> str:
    """Fill ``{dotted.path}`` placeholders; nothing else is interpreted."""

    def sub(m: re.Match) -> str:
        v = get(m.group(1))
        if isinstance(v, list | tuple):
            return ", ".join(map(str, v))
        return "?" if v is MISSING else str(v)

    out = _FIELD.sub(sub, template)
    return out if len(out) <= MAX_MESSAGE else out[: MAX_MESSAGE - 1] + "…"


class AttributeParams(Params):
    on: Section
    where: dict[str, Any]
    message: str | None = Field(None, max_length=MAX_MESSAGE)
    facts: list[str] = Field(
        default_factory=list,
        description="Fields the rule needs; an element that does not record one is a data gap, "
        "not a lapse (unknown is not unsafe).",
    )

    _compiled: tuple[Any, Any, tuple[Pred, list[str], Options]] | None = PrivateAttr(None)

    @field_validator("where")
    @classmethod
    def _compiles(cls, v: dict[str, Any]) -> dict[str, Any]:
        compile_condition(v)
        return v

    def compiled(self) -> tuple[Pred, list[str], Options]:
        """What the rule alone decides: its predicate, the fields it reads (in the order
        written) and the values that can decide them (``_candidates``). Worked out once per
        loaded rule (a fleet's workers run the same rules on every site: compiling them for
        each site was a twentieth of a typical check), again if ``where`` or ``facts`` is
        replaced."""
        done = self._compiled
        if done is None or done[0] is not self.where or done[1] is not self.facts:
            fields = list(dict.fromkeys(_fields(self.where)))
            options = {
                f: sorted(_candidates(self.where, f), key=repr) for f in (*self.facts, *fields)
            }
            done = self._compiled = (
                self.where,
                self.facts,
                (compile_condition(self.where), fields, options),
            )
        return done[2]

    def __getstate__(self) -> dict[Any, Any]:
        # the compiled predicate is made of closures, which do not pickle: made again there
        state = super().__getstate__()
        private = state.get("__pydantic_private__")
        if private and private.get("_compiled") is not None:
            state = {**state, "__pydantic_private__": {**private, "_compiled": None}}
        return state


def elements_of(ctx: Context, section: str) -> Iterator[Any]:
    if section == "gaps":
        for wall in ctx.site.walls:
            yield from wall.gaps
    else:
        yield from getattr(ctx.site, section)


@check("attribute", AttributeParams)
def attribute(ctx: Context, params: AttributeParams) -> Iterator[Hit]:
    """Fires on every element of section ``on`` for which condition ``where`` holds."""
    pred, fields, options = params.compiled()
    shared = {f: resolve(ctx, None, f) for f in SITE_WIDE if f in options}
    for el in elements_of(ctx, params.on):
        seen: dict[str, Any] = dict(shared)

        def get(path: str, el: Any = el, seen: dict[str, Any] = seen) -> Any:
            # (each fact is read once per element: the unknowns' combinations ask again)
            if path not in seen:
                seen[path] = resolve(ctx, el, path)
            return seen[path]

        unknown = [f for f in params.facts if get(f) in (None, MISSING)]
        unknown += [
            f
            for f in fields
            if f not in unknown and get(f) is None and _unrecorded(el.__class__, f)
        ]
        if unknown:
            evidence = _whatever(pred, options, get, unknown)
            if evidence is UNDECIDED:
                yield Hit(el.id, _not_recorded(params.on, el, unknown), gap=True)
                continue
        else:
            evidence = pred(get)
        if evidence is None:
            continue
        message = render(params.message, get) if params.message else "; ".join(evidence)
        where = next((pos for f in fields if (pos := ctx.site.position(el, f))), None)
        line, column = where or (None, None)
        yield Hit(el.id, message, evidence="; ".join(evidence), line=line, column=column)


@functools.cache
def _unrecorded(model: type[BaseModel], path: str) -> bool:
    """``is_unrecorded``, once per (model, path): the rules ask it of every element."""
    return is_unrecorded(model, path)


def _choices(
    options: Options, get: Callable[[str], Any], unknown: list[str]
) -> Iterator[Callable[[str], Any]]:
    """``get`` with each combination of values the unknown facts could take that matters."""
    for values in itertools.product(*(options[f] for f in unknown)):
        yield _assuming(get, dict(zip(unknown, values, strict=True)))


def _assuming(get: Callable[[str], Any], chosen: dict[str, Any]) -> Callable[[str], Any]:
    """``get``, but the facts in ``chosen`` take the values given there."""

    def lookup(path: str) -> Any:
        return chosen[path] if path in chosen else get(path)

    return lookup


UNDECIDED: Any = object()
"""The condition holds for some values of the unknown facts, not for others."""


def _whatever(
    pred: Pred, options: Options, get: Callable[[str], Any], unknown: list[str]
) -> list[str] | None:
    """The condition's evidence where it holds whatever the unknown facts are (a breach is
    passable whatever its area: a lapse, and the missing facts change nothing), None where
    it holds for none of their values, else ``UNDECIDED``: a fact to survey. A fact nobody
    recorded is a gap only where it matters: a sensor that is out of order, or a camera that
    raises no alarm, needs no survey of its backup power. (Each combination is judged once.)
    """
    outcomes = [pred(choice) for choice in _choices(options, get, unknown)]
    found = [ev for ev in outcomes if ev is not None]
    if len(found) == len(outcomes):
        return found[0]
    return UNDECIDED if found else None


def _candidates(cond: Any, path: str) -> set:
    """Values that can decide the leaves on ``path``: booleans, each operand, either side of it."""
    out: set = {True, False}
    if isinstance(cond, dict):
        for key, body in cond.items():
            if key in ("all", "any"):
                for part in body:
                    out |= _candidates(part, path)
            elif key == "not":
                out |= _candidates(body, path)
            elif key == "field" and cond.get("field") == path:
                for op, arg in cond.items():
                    if op != "field":
                        out |= _operands(arg)
            elif key == path and isinstance(body, dict):
                for arg in body.values():
                    out |= _operands(arg)
    return out


def _operands(arg: Any) -> set:
    if isinstance(arg, list):
        return {a for a in arg if isinstance(a, str | int | float | bool)}
    if isinstance(arg, int | float) and not isinstance(arg, bool):
        return {arg, arg - 1, arg + 1}
    return {arg} if isinstance(arg, str) else set()


def _fields(cond: Any) -> Iterator[str]:
    """The element fields a condition reads, in the order written (for ``line:col``)."""
    if isinstance(cond, dict):
        for key, body in cond.items():
            if key in ("all", "any"):
                for part in body:
                    yield from _fields(part)
            elif key == "not":
                yield from _fields(body)
            else:
                yield key


def _not_recorded(section: str, el: Any, fields: list[str]) -> str:
    what = " and ".join(
        re.sub(r"_(m|mm|m2|s|min)$", "", f).replace("_", " ").replace(".", " ") for f in fields
    )
    return (
        f"the site file does not record the {what} of {SINGULAR.get(section, section)} "
        f'"{getattr(el, "label", el.id)}"'
    )
