"""One lapse, one finding: findings that share a cause go under the worst of them.

A rule sees one symptom; several rules (or one rule on several elements) can see one
lapse: an empty rooftop post leaves the roof open and the walls it alone watches blind.
The lead finding carries the others in ``details["also"]`` so that a report counts the
lapse once and still says where each symptom is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.findings import Finding


def group_by_cause(findings: list[Finding]) -> list[Finding]:
    """One lapse, one finding: findings on the same element in the same category share a
    cause; so do findings of different rules that name the same cause key
    (``details["cause"]``: a frontage with no camera that nothing else observes is also the
    unobserved wall), and a finding with the finding of an element its check names as its
    cause (``details["caused_by"]``: an empty rooftop post leaves the roof open, so the roof's
    finding goes with the post's). The worst leads and the others go into its
    ``details["also"]``.

    Waived findings stay apart (a waiver names one rule); data gaps group like lapses.
    """
    out: list[Finding] = []
    leads: dict[tuple[str, str, str], Finding] = {}
    for f in sorted(findings, key=lambda f: f.sort_key()):
        key = (f.file, f.element, f.category)
        lead = None if f.waived else leads.get(key)
        if lead is None:
            if not f.waived:
                leads[key] = f
            out.append(f)
            continue
        _join(lead, f)
    return _by_named_cause(out)


def _join(lead: Finding, f: Finding) -> None:
    """Put ``f`` (and what it had gathered) under ``lead``."""
    entry = {"rule": f.rule, "title": f.title, "severity": f.severity, "message": f.message}
    if f.element != lead.element:
        entry["element"] = f.element
    also = lead.data.setdefault("also", [])
    also.append(entry)
    also += f.data.pop("also", [])


def _by_named_cause(findings: list[Finding]) -> list[Finding]:
    """Join findings that share a cause key (``details["cause"]``: one lapse two rules see),
    then each finding that names the element of its cause (``details["caused_by"]``) to the
    finding on that element; the worse leads."""
    gone: set[int] = set()
    by_key: dict[tuple[str, str], Finding] = {}
    for f in findings:  # worst first: the first of a key leads
        key = f.data.get("cause")
        if f.waived or f.gap or not key:
            continue
        lead = by_key.setdefault((f.file, key), f)
        if lead is not f:
            _join(lead, f)
            gone.add(id(f))
    lead_of: dict[tuple[str, str], Finding] = {}
    for f in findings:
        if not f.waived and not f.gap and id(f) not in gone:
            lead_of.setdefault((f.file, f.element), f)
    for f in findings:
        if f.waived or f.gap or id(f) in gone:
            continue
        for cause in f.data.get("caused_by", []):
            g = lead_of.get((f.file, cause))
            if g is None or g is f or id(g) in gone:
                continue
            lead, other = (g, f) if g.sort_key() <= f.sort_key() else (f, g)
            _join(lead, other)
            gone.add(id(other))
            lead_of[(f.file, cause)] = lead
            if other is f:
                break  # f now stands under g
    return [f for f in findings if id(f) not in gone]
