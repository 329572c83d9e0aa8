"""The history's answers as text, JSON or one self-contained HTML page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from audit import __version__
from audit.findings import SEVERITIES


@dataclasses.dataclass
class Answers:
    """Everything ``siteaudit history`` shows, for one database on one day."""

    today: dt.date
    since: dt.date
    trend: list[Any]
    movers: list[Any]
    ages: Any
    expiring: list[Any]
    within_days: int
    site: str | None = None
    timeline: list[Any] | None = None


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if hasattr(value, "change"):
            out["change"] = value.change
        return out
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def render_json(a: Answers) -> str:
    data = _plain(a)
    data["tool"] = {"name": "siteaudit", "version": __version__}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _counts(c: dict[str, int]) -> str:
    return " ".join(f"{c.get(s, 0):>4}" for s in SEVERITIES[:4])


def render_text(a: Answers) -> str:
    from audit.common.escape import printable as p

    out: list[str] = []
    if a.site is not None:
        out.append(f"history of {p(a.site)} (as of {a.today})")
        out.append("date        run  crit high  med  low  worst  opened / closed")
        for r in a.timeline or []:
            values = [
                m["p_effectiveness"] if m["threat"] else m["p_interruption"] for m in r.metrics
            ]
            worst = f"{min(values):.3f}" if values else "  -  "
            moved = ", ".join([*(f"+{p(x)}" for x in r.opened), *(f"-{p(x)}" for x in r.closed)])
            status = _counts(r.counts) if r.audited else "   (not audited: bad file)"
            out.append(f"{r.run_date}  {r.run_id:>4} {status}  {worst}  {moved}".rstrip())
        return "\n".join(out) + "\n"
    out.append(f"open lapses by week (as of {a.today})")
    out.append("week       as of       crit high  med  low  sites  below goal")
    for w in a.trend:
        out.append(
            f"{w.week}  {w.as_of}  {_counts(w.open)}  {w.sites:>5}  {w.sites_below_goal:>10}"
        )
    out.append("")
    out.append(f"worst movers since {a.since} (crit high med low: before -> now)")
    if not a.movers:
        out.append("  none")
    for m in a.movers:
        out.append(f"  {p(m.site)}: {_counts(m.before)} -> {_counts(m.after)}")
    out.append("")
    g = a.ages
    fix = "-" if g.median_days_to_fix is None else f"{g.median_days_to_fix:g} days"
    out.append(
        f"lapse age: {len(g.open)} oldest open shown; {g.closed} fixed "
        f"(median time to fix {fix}); {g.reopened} reopened"
    )
    for x in g.open[:20]:
        again = f", opened {x.times_opened} times" if x.times_opened > 1 else ""
        out.append(
            f"  {x.age_days:>4} days  {x.severity:<8} {p(x.site)}  {p(x.rule)} {p(x.element)} "
            f"(since {x.opened_on}{again})"
        )
    out.append("")
    out.append(f"waivers expiring within {a.within_days} days")
    if not a.expiring:
        out.append("  none")
    for w in a.expiring:
        when = f"expired {-w.days_left} days ago" if w.days_left < 0 else f"in {w.days_left} days"
        out.append(
            f"  {w.expires} ({when})  {p(w.site)}  {p(w.rule)} {p(w.element)}  owner {p(w.owner)}"
        )
    return "\n".join(out) + "\n"


def render_html(a: Answers) -> str:
    from audit.common.templates import template

    top = max([sum(w.open[s] for s in SEVERITIES[:4]) for w in a.trend] + [1])
    return template("audit.history", "history.html").render(
        a=a, severities=SEVERITIES[:4], version=__version__, top=top
    )
