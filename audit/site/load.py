"""Load a site file: YAML with positions -> validated ``Site`` with every reference checked.

All problems in a file are collected (up to a cap) and raised together as one
``SiteError``, each with file, line and column, so an administrator fixes a
file in one pass instead of one error per run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from audit.common.errors import Problem, SiteError, did_you_mean
from audit.site.model import SINGULAR
from audit.site.problems import problem_from_pydantic
from audit.site.source import MAX_PROBLEMS, Document, Loc, read_document

if TYPE_CHECKING:
    pass

# section -> field -> sections the referenced id may belong to
REFERENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "walls": {"between": ("zones",)},
    "gates": {"between": ("zones",)},
    "checkpoints": {
        "at": ("gates", "walls", "zones"),
        "observes": ("zones", "walls", "gates", "gaps", "vantage_points"),
    },
    "patrols": {"route": ("zones", "walls", "gates", "gaps")},
    "stations": {"in": ("zones",)},
    "cameras": {
        "covers": ("zones", "walls", "gates", "gaps", "assets", "vantage_points"),
        "station": ("stations",),
    },
    "lights": {"covers": ("zones", "walls", "gates", "gaps"), "switch_in": ("zones",)},
    "sensors": {
        "covers": ("zones", "walls", "gates", "gaps", "assets"),
        "route": ("alarm_routes",),
    },
    "alarm_routes": {"responders": ("responders",)},
    "responders": {"arrives_at": ("zones",)},
    "vantage_points": {"overlooks": ("zones",)},
    "vehicle_approaches": {"from": ("zones",), "to": ("zones",)},
    "assets": {"zone": ("zones",)},
}


def load_site(path: str | Path) -> Any:
    """Load and validate a site file; raise ``SiteError`` listing every problem found."""
    doc = read_document(path)
    return site_from_document(doc)


def site_from_document(doc: Document) -> Any:
    """Validate composed YAML as a ``Site`` and resolve its references."""
    from pydantic import ValidationError

    from audit.site.model import Site

    if not isinstance(doc.data, dict):
        raise SiteError([doc.problem((), "top level must be a mapping")])
    try:
        site = Site.model_validate(doc.data)
    except ValidationError as exc:
        problems = [problem_from_pydantic(doc, Site, err) for err in exc.errors()]
        # ids the file names but never defines, at once with the rest (not after a fix)
        problems += _check_references(doc.data, doc)
        raise SiteError(_dedupe(doc.problems + problems)[:MAX_PROBLEMS]) from None
    site._path = doc.path
    site._keys = doc.keys
    problems = list(doc.problems)
    problems += _index(site, doc)
    problems += _check_references(doc.data, doc)
    problems += _check_buildings(site, doc)
    problems += _check_threats(site, doc)
    if not problems and site.site.crs != "local":
        from audit.geometry.crs import to_local

        try:
            to_local(site)
        except ValueError as exc:
            problems.append(doc.problem(getattr(exc, "where", ("site", "crs")), str(exc)))
    problems += _check_plan(site, doc)
    if not problems:
        from audit.geometry.sight import has_views

        if has_views(site):
            from audit.geometry.budget import excess

            found = excess(site)
            if found is not None:
                problems.append(doc.problem(found.where, found.message))
    if problems:
        raise SiteError(problems[:MAX_PROBLEMS])
    return site


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems))


def _index(site: Any, doc: Document) -> list[Problem]:
    """Attach positions to elements and check every id is unique in the file."""
    from audit.site.model import ELEMENT_SECTIONS
    from audit.site.values import private

    problems: list[Problem] = []
    index: dict[str, Any] = {}
    first_at: dict[str, tuple[int, int]] = {}

    def add(el: Any, loc: Loc) -> None:
        line, col = doc.where(loc)
        private(el).update(_line=line, _column=col, _loc=loc)  # (past pydantic's __setattr__)
        if el.id in index:
            fl, _ = first_at[el.id]
            problems.append(
                doc.problem(
                    (*loc, "id"),
                    f'duplicate id "{el.id}" (first used at line {fl}); '
                    "expected every id in the file to be unique",
                )
            )
            return
        index[el.id] = el
        first_at[el.id] = (line, col)

    for section in ELEMENT_SECTIONS:
        for i, el in enumerate(getattr(site, section)):
            add(el, (section, i))
            for j, gap in enumerate(getattr(el, "gaps", ())):
                add(gap, (section, i, "gaps", j))
    for i, waiver in enumerate(site.waivers):
        waiver._line, waiver._column = doc.where(("waivers", i))
    site._index = index
    return problems


def _check_threats(site: Any, doc: Document) -> list[Problem]:
    """Declared threats name shipped ones, or give every value a threat needs."""
    from audit.site.threats import FIELDS, shipped

    known = shipped()
    problems = []
    for i, entry in enumerate(site.threats):
        ref = entry if isinstance(entry, str) else entry.based_on
        if ref is not None and ref not in known:
            field = ("threats", i) if isinstance(entry, str) else ("threats", i, "based_on")
            problems.append(
                doc.problem(
                    field,
                    f'threat "{ref}" is not one of the shipped threats{did_you_mean(ref, known)}; '
                    f"expected one of: {', '.join(sorted(known))}, or a threat of your own "
                    f"with {', '.join(FIELDS)}",
                )
            )
        elif not isinstance(entry, str) and ref is None and entry.id not in known:
            missing = [f for f in FIELDS if getattr(entry, f) is None]
            if missing:
                problems.append(
                    doc.problem(
                        ("threats", i),
                        f'threat "{entry.id}" is not shipped, so it must give '
                        f"{', '.join(missing)} (or name one to start from with based_on)",
                    )
                )
        if isinstance(entry, str):
            continue
        for attr, section in (("starts_in", "zones"), ("keys", "gates")):
            pool = [el.id for el in getattr(site, section)]
            for j, name in enumerate(getattr(entry, attr)):
                if name not in pool:
                    problems.append(
                        doc.problem(
                            ("threats", i, attr, j),
                            f'threat "{entry.id}" field "{attr}": "{name}" is not one of the '
                            f"site's {section}{did_you_mean(name, pool)}",
                        )
                    )
    return problems


def _raw_index(data: dict[str, Any]) -> dict[str, str]:
    """Every element id of the plain data and its section (first use wins; gaps by their own
    section), read without the schema so it works on a file the schema rejects."""
    from audit.site.model import ELEMENT_SECTIONS

    def items(value: Any) -> list[dict[str, Any]]:
        return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []

    index: dict[str, str] = {}
    for section in ELEMENT_SECTIONS:
        for el in items(data.get(section)):
            if isinstance(el.get("id"), str):
                index.setdefault(el["id"], section)
            for gap in items(el.get("gaps")):
                if isinstance(gap.get("id"), str):
                    index.setdefault(gap["id"], "gaps")
    return index


def _check_references(data: dict[str, Any], doc: Document) -> list[Problem]:
    """Every id a field names exists and is of a kind the field takes. Read on the plain data,
    so a file with schema errors gets these at the same time."""
    problems: list[Problem] = []
    index = _raw_index(data)
    by_section: dict[str, list[str]] = {}
    for el_id, section in index.items():
        by_section.setdefault(section, []).append(el_id)

    def check(loc: Loc, owner: Any, section: str, field: str, ref: str, kinds: tuple) -> None:
        target = index.get(ref)
        what = f'{SINGULAR[section]} "{owner}" field "{field}"'
        expected = " or ".join(SINGULAR[k] for k in kinds)
        if target is None:
            pool = [i for k in kinds for i in by_section.get(k, [])]
            hint = did_you_mean(ref, pool) or did_you_mean(ref, index)
            problems.append(
                doc.problem(
                    loc,
                    f'{what} names "{ref}", which does not exist{hint}; '
                    f"expected the id of a {expected}",
                )
            )
        elif target not in kinds:
            problems.append(
                doc.problem(loc, f'{what} names {SINGULAR[target]} "{ref}"; expected a {expected}')
            )

    for section, fields in REFERENCES.items():
        elements = data.get(section)
        for i, el in enumerate(elements if isinstance(elements, list) else []):
            if not isinstance(el, dict):
                continue
            for field, kinds in fields.items():
                value = el.get(field)
                if value is None:
                    continue
                refs = value if isinstance(value, list) else [value]
                for j, ref in enumerate(refs):
                    if not isinstance(ref, str):
                        continue  # the schema says what is wrong with it
                    loc = (section, i, field, j) if isinstance(value, list) else (section, i, field)
                    check(loc, el.get("id"), section, field, ref, kinds)
            between = el.get("between")
            if isinstance(between, list) and len(between) == 2 and between[0] == between[1]:
                problems.append(
                    doc.problem(
                        (section, i, "between"),
                        f'{SINGULAR[section]} "{el.get("id")}" is between zone "{between[0]}" '
                        "and itself; expected two different zones",
                    )
                )
    waivers = data.get("waivers")
    for i, waiver in enumerate(waivers if isinstance(waivers, list) else []):
        element = waiver.get("element") if isinstance(waiver, dict) else None
        if isinstance(element, str) and element not in index:
            problems.append(
                doc.problem(
                    ("waivers", i, "element"),
                    f'waiver names element "{element}", which does not exist'
                    f"{did_you_mean(element, index)}",
                )
            )
    return problems


def _check_buildings(site: Any, doc: Document) -> list[Problem]:
    """Where the file declares ``buildings:``, every zone's ``building`` names one of them: a
    misspelt name would silently leave a floor or roof without its footprint and height."""
    names = [b.id for b in site.buildings]
    if not names:
        return []  # no buildings on the plan: ``building`` is a label that groups zones
    problems = []
    for i, zone in enumerate(site.zones):
        if zone.building is not None and zone.building not in names:
            problems.append(
                doc.problem(
                    ("zones", i, "building"),
                    f'zone "{zone.id}" field "building" names "{zone.building}", which is not '
                    f"one of the buildings the file declares{did_you_mean(zone.building, names)}"
                    f"; expected one of: {', '.join(sorted(names))}",
                )
            )
    return problems


GATE_ON_WALL_M = 1.0
"""How far a gate's point may lie from the course of its wall (a gate post's width) [assumed]."""


def _check_plan(site: Any, doc: Document) -> list[Problem]:
    """Outlines on the plan are simple (their edges do not cross), and a gate on the plan
    stands on a wall between the same two zones, where one is drawn."""
    problems: list[Problem] = []
    outlines = [
        ((section, i, name), getattr(el, name))
        for section, name in (
            ("zones", "outline"),
            ("buildings", "footprint"),
            ("vehicle_approaches", "outline"),
        )
        for i, el in enumerate(getattr(site, section))
        if getattr(el, name, None)
    ]
    if outlines:
        from shapely import Polygon
        from shapely.validation import explain_validity

        for loc, points in outlines:
            shape = Polygon(points)
            if not shape.is_valid:
                why = explain_validity(shape).split("[")[0].strip().lower()
                problems.append(
                    doc.problem(
                        loc,
                        f"the {loc[2]} is not a simple polygon ({why}); expected its edges "
                        "to meet only at their ends, in order around it",
                    )
                )
    courses: dict[tuple, list[Any]] = {}
    for w in site.walls:
        if w.course:
            courses.setdefault(tuple(w.between), []).append(w)
    for i, g in enumerate(site.gates):
        walls = courses.get(tuple(g.between))
        if g.point is None or not walls:
            continue
        dist = min(_distance(g.point, w.course) for w in walls)
        if dist > GATE_ON_WALL_M:
            names = ", ".join(w.id for w in walls)
            problems.append(
                doc.problem(
                    ("gates", i, "point"),
                    f'gate "{g.id}" is {dist:.1f} m from the course of its wall ({names}); '
                    f"expected a point on it (within {GATE_ON_WALL_M:g} m)",
                )
            )
    return problems


def _distance(point: list[float], course: list[list[float]]) -> float:
    """Distance from ``point`` to a polyline (vectorised: a course may have 10,000 points and
    many gates stand on it)."""
    import numpy as np

    pts = np.asarray(course, dtype=float)
    a, d = pts[:-1], pts[1:] - pts[:-1]
    p = np.asarray(point, dtype=float)
    dd = np.einsum("ij,ij->i", d, d)
    t = np.divide(np.einsum("ij,ij->i", p - a, d), dd, out=np.zeros(len(d)), where=dd > 0)
    near = a + d * np.clip(t, 0.0, 1.0)[:, None]
    return float(np.min(np.hypot(*(p - near).T)))
