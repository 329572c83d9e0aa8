"""Reports of the path analysis (``siteaudit paths``): text for people, JSON for scripts."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from audit import __version__
from audit.common.escape import printable
from audit.common.numbers import ratio
from audit.report.views.summary import hourly

_BARS = "·▁▂▃▄▅▆▇█"
"""Eighths of a bar; nothing is a dot, so a day of zeros still shows as a line of its own."""


def to_dict(analysis: Any, threats: list | None = None) -> dict[str, Any]:
    out = {
        "version": "1",
        "tool": {"name": "siteaudit", "version": __version__},
        "site": analysis.site,
        "file": analysis.file,
        "response_s": None if analysis.response_s == float("inf") else analysis.response_s,
        "response_sd_s": analysis.response_sd_s,
        "responder": analysis.responder,
        "p_comm": analysis.p_comm,
        "goal_p_interruption": analysis.goal,
        "assets": [
            {
                "asset": a.asset,
                "name": a.name,
                "zone": a.zone,
                "value": a.value,
                "p_interruption": a.p_interruption,
                "at": a.at,
                "worst_window": a.worst_window,
                "start": a.start,
                "path": [asdict(s) for s in a.path],
                "total_delay_s": a.total_delay_s,
                "critical_detection_point": a.critical_detection_point,
                "method": a.method,
                "exact": a.exact,
                "reasons": a.reasons,
                "profile": a.profile,
                "responder": a.responder,
                "response_s": a.response_s,
                "response_sd_s": a.response_sd_s,
                **_lower(a),
            }
            for a in analysis.assets
        ],
    }
    if threats is not None:
        out["threats"] = [_threat_dict(t) for t in threats]
    return out


def _threat_dict(t: Any) -> dict[str, Any]:
    return {
        "threat": t.threat,
        "kind": t.spec.kind,
        "description": t.spec.description,
        "team": t.spec.team,
        "armed": t.spec.armed,
        "tools": t.spec.tools,
        "explosives": t.spec.explosives,
        "tactic": t.spec.tactic,
        "source": t.spec.source,
        "assets": [
            {
                "asset": a.asset,
                "name": a.name,
                "value": a.value,
                "threat": t.threat,
                "goal_p_effectiveness": a.goal,
                "p_interruption": a.p_interruption,
                "p_neutralization": a.p_neutralization,
                "p_effectiveness": a.p_effectiveness,
                "band": list(a.band),
                "at": a.at,
                "worst_window": a.window,
                "route": a.route,
                "exact": a.exact,
                "exposed": a.exposed,
                "units": a.units,
                "units_in_time": _in_time(a),
                "timeline": a.timeline,
                "defaulted": a.defaulted,
                "reasons": a.reasons,
                "path": [asdict(s) for s in a.paths.path] if a.paths is not None else [],
                **_lower(a),
            }
            for a in t.assets
        ],
    }


def _lower(a: Any) -> dict[str, float]:
    """Where the search proved only a bound (absent when exact): ``p_interruption_lower``
    for an asset, ``p_effectiveness_lower`` for an asset against a threat."""
    if a.lower is None:
        return {}
    return {
        (
            "p_effectiveness_lower" if hasattr(a, "p_effectiveness") else "p_interruption_lower"
        ): a.lower
    }


def between(a: Any) -> str:
    """The gap in words, where the search proved only a bound; else nothing."""
    if a.lower is None:
        return ""
    what, value = (
        ("P(E)", a.p_effectiveness) if hasattr(a, "p_effectiveness") else ("P(I)", a.p_interruption)
    )
    return f" (bounded search: the least {what} is between {a.lower:.3f} and {value:.3f})"


def _in_time(a: Any) -> list[dict[str, Any]]:
    """The units with some chance to arrive in time after some detection on the path."""
    live = {u["id"] for pt in a.timeline for u in pt["units"] if u["p_in_time"] > 0}
    return [u for u in a.units if u["id"] in live] if a.timeline else a.units


def render_json(analysis: Any, threats: list | None = None) -> str:
    data = to_dict(analysis, threats)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def sparkline(values: list[float]) -> str:
    return "".join(_BARS[min(8, int(round(v * 8)))] for v in values)


def render_text(analysis: Any, threats: list | None = None) -> str:
    out = [f"{analysis.file}: adversary paths ({analysis.site})"]
    if analysis.responder is None:
        out.append("  no responders named: every P(I) is 0")
    else:
        out.append(
            f"  response: {analysis.responder}, {analysis.response_s:g} s "
            f"(sd {analysis.response_sd_s:g} s); alarm reaches them with p = {analysis.p_comm:g}; "
            f"goal P(I) >= {analysis.goal:g}"
        )
    if not analysis.assets:
        out.append("  the site names no assets")
    for a in analysis.assets:
        if not a.path and a.start != a.zone:
            verdict = "UNKNOWN: no path"
        else:
            verdict = "BELOW GOAL" if a.p_interruption < analysis.goal else "meets goal"
        out.append("")
        out.append(
            f"{a.asset} ({a.name}) in {a.zone}: worst P(I) = {a.p_interruption:.3f} "
            f"at {a.at} [{verdict}]{between(a)}"
        )
        out.append(f"  worst window: {a.worst_window}; method: {a.method}")
        if a.responder != analysis.responder:
            then = (
                f"{a.responder}, {a.response_s:g} s (sd {a.response_sd_s:g} s)"
                if a.responder
                else "nobody on duty"
            )
            out.append(f"  response at that moment: {then}")
        if not a.path:
            out += [f"  {r}" for r in a.reasons]
            continue
        out.append(f"  path from {a.start}:")
        out.append(
            f"    {'#':>2}  {'element':<22} {'kind':<15} {'P_D':>5} {'delay s':>8} "
            f"{'left s':>7} {'P(R|A)':>6} {'cum P(I)':>8}"
        )
        for i, s in enumerate(a.path, 1):
            mark = "  <- CDP" if s.element == a.critical_detection_point else ""
            out.append(
                f"    {i:>2}  {s.element:<22} {s.kind:<15} {s.p_detect:>5.2f} "
                f"{s.delay_s:>8.1f} {s.remaining_s:>7.1f} {s.p_response:>6.3f} "
                f"{s.cumulative_p_interruption:>8.3f}{mark}"
            )
        out.append("  why:")
        out += [f"    - {r}" for r in a.reasons]
        hours = hourly(a.profile)
        if len(hours) == 24:
            out.append(f"  P(I) by hour (worst day), 00h..23h: |{sparkline(hours)}|")
            out.append(
                "    " + " ".join(f"{h:02d}:{v:.2f}" for h, v in enumerate(hours) if h % 3 == 0)
            )
    for t in threats or []:
        out += ["", *_threat_text(t)]
    return "\n".join(map(printable, out)) + "\n"


def _threat_text(t: Any) -> list[str]:
    th = t.spec
    arms = "armed" if th.armed else "unarmed"
    kit = f"{th.tools} tools" + (", explosives" if th.explosives else "")
    out = [f"against {th.id} ({th.kind}; team {th.team}, {arms}, {kit}; {th.tactic}):"]
    for a in t.assets:
        if not a.exposed:
            out.append(f"  {a.asset}: not exposed ({'; '.join(a.reasons)})")
            continue
        when = "at every hour" if a.window == "all day" else f"at {a.at}"
        verdict = "BELOW GOAL" if a.p_effectiveness < a.goal else "meets goal"
        out.append(
            f"  {a.asset}: P(E) {a.p_effectiveness:.3f} = P(I) {a.p_interruption:.3f} x P(N) "
            f"{ratio(a.p_neutralization)} {when} [{verdict} {a.goal:g}]; "
            f"band {a.band[0]:.3f}-{a.band[1]:.3f}"
        )
        out.append(f"    path: {a.route}{between(a)}")
        out += _timeline_text(a)
        if a.defaulted:
            counts: dict[str, int] = {}
            for d in a.defaulted:
                what = d.split(" of ", 1)[0]
                counts[what] = counts.get(what, 0) + 1
            out.append(
                "    rests on defaults: "
                + ", ".join(f"{what} of {n} element(s)" for what, n in sorted(counts.items()))
                + " (JSON: defaulted)"
            )
    return out


def _timeline_text(a: Any) -> list[str]:
    """The engagement timeline of the worst path: per detection point, the chance it is the
    first, the time left (mean, sd), who arrives in time with what chance, and P(N)."""
    if not a.units:
        return ["    response: nobody on duty"]
    out = [
        "    response: "
        + ", ".join(
            f"{u['id']} ({u['size']} {'armed' if u['armed'] else 'unarmed'}, "
            f"{u['response_s']:g} s, sd {u['response_sd_s']:g})"
            for u in a.units
        )
    ]
    if not a.timeline:
        return out
    out.append(
        f"    {'detection at':<22} {'P(first)':>8} {'left s':>7} {'sd':>5} {'P(N)':>6}  in time (P)"
    )
    for pt in a.timeline:
        who = ", ".join(f"{u['id']} {u['p_in_time']:.2f}" for u in pt["units"] if u["p_in_time"])
        out.append(
            f"    {pt['element']:<22} {pt['p_first_detection']:>8.3f} {pt['remaining_s']:>7.1f} "
            f"{pt['remaining_sd_s']:>5.1f} {pt['p_neutralization']:>6.3f}  {who or 'nobody'}"
        )
    return out
