"""Reports of an upgrade plan (``siteaudit improve``): text, JSON and Markdown."""

from __future__ import annotations

import json
from typing import Any

from audit import __version__
from audit.common.escape import printable


def to_dict(plan: Any) -> dict[str, Any]:
    before, after = plan.before.by_asset(), plan.after.by_asset()
    return {
        "version": "1",
        "tool": {"name": "siteaudit", "version": __version__},
        "site": plan.site,
        "file": plan.file,
        "measure": plan.measure,
        "currency": plan.currency,
        "method": plan.method,
        "exact": plan.exact,
        "goal_met": plan.goal_met,
        "fail_on": plan.fail_on,
        "open_findings": plan.open_findings,
        "over_budget": plan.over_budget,
        "budget_exhausted": plan.budget_exhausted,
        "out_of_proportion": plan.out_of_proportion,
        "done": plan.done,
        "evaluations": plan.evaluations,
        "budget": plan.budget,
        "cost_per_year": plan.cost,
        "shortfall_before": round(plan.before.shortfall, 6),
        "lower_bound_per_year": None if plan.lower_bound == float("inf") else plan.lower_bound,
        "candidates": [
            {"id": c.id, "kind": c.kind, "target": c.target, "cost_per_year": c.cost}
            for c in plan.candidates
        ],
        "steps": [
            {
                "step": i,
                "upgrade": s.candidate.id,
                "kind": s.candidate.kind,
                "target": s.candidate.target,
                "description": s.candidate.description,
                "cost_per_year": s.candidate.cost,
                "cumulative_cost_per_year": s.cumulative_cost,
                "shortfall": round(s.shortfall, 6),
                "after": s.values,
                "closes": s.closes,
            }
            for i, s in enumerate(plan.steps, 1)
        ],
        "assets": [
            {
                "asset": a,
                "before": before[a],
                "after": after.get(a),
                "goal": min(g for (x, _), g in plan.before.goals.items() if x == a),
            }
            for a in sorted(before)
        ],
    }


def render_json(plan: Any) -> str:
    return json.dumps(to_dict(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_text(plan: Any) -> str:
    d = to_dict(plan)
    cur = d["currency"]
    out = [f"{plan.file}: upgrade plan ({plan.site}), judged on {plan.measure}"]
    out.append(f"  method: {plan.method}")
    out.append(f"  {plan.evaluations} version(s) of the site analysed")
    if not plan.steps:
        out.append("  " + ("every asset meets its goal" if plan.goal_met else "no upgrade helps"))
    for s in d["steps"]:
        out.append(
            f"  {s['step']:>2}. {s['description']}  ({s['cost_per_year']:,.0f} {cur}/year; "
            f"total {s['cumulative_cost_per_year']:,.0f})"
        )
        if s["closes"]:
            out.append(f"      closes {', '.join(s['closes'])}")
    if plan.steps:
        verdict = "every asset meets its goal" if plan.goal_met else "GOALS NOT MET"
        out.append(f"  cost: {plan.cost:,.0f} {cur} a year; {verdict}")
        if plan.budget_exhausted:
            out.append(f"  {_no_plan_within(d)}")
        elif d["lower_bound_per_year"] is not None and not plan.exact:
            out.append(f"  no plan costs less than {d['lower_bound_per_year']:,.0f} {cur} a year")
    if plan.fail_on:
        out.append(
            f"  findings at {plan.fail_on} or above: "
            + (f"{len(plan.open_findings)} left open" if plan.open_findings else "none left open")
        )
        for head, found in _open_groups(d):
            out.append(f"    {head}: {len(found)}")
            out += [f"      {f}" for f in found]
    if d["out_of_proportion"]:
        out.append("  goals out of proportion to the site (met only by buying a response force):")
        out += [f"    {line}" for line in d["out_of_proportion"]]
    out.append(f"  {plan.measure} by asset (worst over threats and hours), before -> after:")
    for a in d["assets"]:
        after = "-" if a["after"] is None else f"{a['after']:.3f}"
        out.append(f"    {a['asset']}: {a['before']:.3f} -> {after} (goal {a['goal']:g})")
    return "\n".join(map(printable, out)) + "\n"


def render_markdown(plan: Any) -> str:
    from audit.common.escape import markdown as md

    d = to_dict(plan)
    return "\n".join([f"## Upgrade plan: {md(plan.site)}", "", *markdown_lines(d)]) + "\n"


def markdown_lines(d: dict[str, Any]) -> list[str]:
    """The plan as Markdown (method, steps, each asset before and after, what stays open): the
    improve report and the check report's --plan section."""
    from audit.common.escape import markdown as md

    cur = md(d["currency"])
    out = [f"Method: {md(d['method'])}", ""]
    if d["steps"]:
        out += [f"| step | upgrade | cost / year ({cur}) | total | shortfall after |"]
        out.append("| ---: | --- | ---: | ---: | ---: |")
        out += [
            f"| {s['step']} | {md(s['description'])}"
            + (f" (closes {md(', '.join(s['closes']))})" if s["closes"] else "")
            + f" | {s['cost_per_year']:,.0f} | "
            f"{s['cumulative_cost_per_year']:,.0f} | {s['shortfall']:.3f} |"
            for s in d["steps"]
        ]
        out.append("")
    out += [f"| asset | {d['measure']} before | after | goal |", "| --- | ---: | ---: | ---: |"]
    out += [
        f"| `{md(a['asset'])}` | {a['before']:.3f} | "
        f"{'-' if a['after'] is None else format(a['after'], '.3f')} | {a['goal']:g} |"
        for a in d["assets"]
    ]
    if d["budget_exhausted"]:
        out += ["", md(_no_plan_within(d)) + "."]
    if d["fail_on"]:
        out += ["", f"Findings at {d['fail_on']} or above left open: {len(d['open_findings'])}"]
        for head, found in _open_groups(d):
            out += ["", f"{md(head)}: {len(found)}", ""]
            out += [f"- {md(f)}" for f in found]
    if d["out_of_proportion"]:
        out += ["", "Goals out of proportion to the site (met only by buying a response force):"]
        out += ["", *(f"- {md(line)}" for line in d["out_of_proportion"])]
    return out


def _no_plan_within(d: dict[str, Any]) -> str:
    return (
        f"no set of upgrades within the budget of {d['budget']:,.0f} {d['currency']} a year "
        "meets every goal (without --budget, the plan is the cheapest that does)"
    )


def _open_groups(d: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The findings left open, apart by why: a fix that costs more than the budget leaves,
    or no rule's fix at all."""
    over = set(d["over_budget"])
    groups = [
        (
            "over budget (a rule's fix or the goal search closes them at more than the budget "
            "leaves)",
            d["over_budget"],
        ),
        (
            "no rule's fix closes them (fix by hand)",
            [f for f in d["open_findings"] if f not in over],
        ),
    ]
    return [(head, found) for head, found in groups if found]


def render_html(plan: Any) -> str:
    """A self-contained page: the steps, their cost, the shortfall against cumulative cost
    (inline SVG) and each asset before and after."""
    from audit.report.formats.html import template

    return template("plan.html").render(d=to_dict(plan))
