"""The questions a head office asks of its history, as plain data (for text, JSON, HTML).

Lapses here are unwaived findings that are not data gaps; "open at a date" means an
interval opened on or before it and not closed by then. Ages and fix times are in days
between run dates (``--today`` of the runs), so a history recorded nightly reads the same
whatever time of night each run took.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from audit.findings import RANK, SEVERITIES
from audit.history import schema as s

WEIGHT = {"critical": 1000, "high": 100, "medium": 10, "low": 1, "info": 0}
"""Ranks a site's open lapses for "worst movers": one critical outweighs any number of
highs a site could plausibly hold, and so on down [assumed]."""


@dataclass
class Week:
    week: str
    """ISO week, e.g. 2026-W49."""
    as_of: dt.date
    """The last run date in the week: what the counts describe."""
    open: dict[str, int]
    sites: int
    sites_below_goal: int


@dataclass
class Mover:
    site: str
    before: dict[str, int]
    after: dict[str, int]
    worst_before: float | None
    worst_after: float | None

    @property
    def change(self) -> int:
        return score(self.after) - score(self.before)


@dataclass
class OpenLapse:
    site: str
    rule: str
    element: str
    severity: str
    opened_on: dt.date
    age_days: int
    times_opened: int


@dataclass
class Ages:
    open: list[OpenLapse]
    closed: int
    median_days_to_fix: float | None
    mean_days_to_fix: float | None
    days_to_fix_by_severity: dict[str, float]
    reopened: int
    """Lapses (site and fingerprint) that were closed and then seen again."""


@dataclass
class ExpiringWaiver:
    site: str
    rule: str
    element: str
    owner: str
    expires: dt.date
    days_left: int


@dataclass
class SiteRun:
    run_id: int
    run_date: dt.date
    audited: bool
    counts: dict[str, int]
    metrics: list[dict[str, object]] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)


def score(counts: dict[str, int]) -> int:
    return sum(WEIGHT[k] * counts.get(k, 0) for k in SEVERITIES)


def _open_at(day: dt.date) -> sa.ColumnElement[bool]:
    lapse = s.lapses.c
    return sa.and_(
        lapse.gap.is_(False),
        lapse.waived.is_(False),
        lapse.opened_on <= day,
        sa.or_(lapse.closed_on.is_(None), lapse.closed_on > day),
    )


def open_counts(conn: sa.Connection, day: dt.date, site: str | None = None) -> dict[str, int]:
    q = sa.select(s.lapses.c.severity, sa.func.count()).where(_open_at(day))
    if site is not None:
        q = q.where(s.lapses.c.site == site)
    got: dict[str, int] = dict(conn.execute(q.group_by(s.lapses.c.severity)).all())
    return {sev: int(got.get(sev, 0)) for sev in SEVERITIES}


def _latest_site_runs(conn: sa.Connection, day: dt.date) -> dict[str, int]:
    """Each site's latest run on or before ``day`` (site -> run id)."""
    q = (
        sa.select(s.site_runs.c.site, sa.func.max(s.site_runs.c.run_id))
        .join(s.runs, s.runs.c.id == s.site_runs.c.run_id)
        .where(s.runs.c.run_date <= day, s.site_runs.c.audited.is_(True))
        .group_by(s.site_runs.c.site)
    )
    return {site: int(run) for site, run in conn.execute(q)}


def _worst(conn: sa.Connection, pairs: dict[str, int]) -> dict[str, tuple[float, bool]]:
    """Per site, in the given run: the lowest P(E) (or P(I) without threats), and whether
    any asset is below its goal."""
    out: dict[str, tuple[float, bool]] = {}
    if not pairs:
        return out
    m = s.metrics.c
    rows = conn.execute(
        sa.select(m.site, m.run_id, m.threat, m.p_interruption, m.p_effectiveness, m.below).where(
            m.run_id.in_(sorted(set(pairs.values())))
        )
    )
    for site, run_id, threat, p_i, p_e, below in rows:
        if pairs.get(site) != run_id:
            continue
        value = p_e if threat else p_i
        low, any_below = out.get(site, (1.0, False))
        out[site] = (min(low, value), any_below or bool(below))
    return out


def trend(conn: sa.Connection, today: dt.date, weeks: int = 12) -> list[Week]:
    """Open lapses by severity and sites below goal, week by week (the last ``weeks``)."""
    start = today - dt.timedelta(weeks=weeks)
    days = sorted(
        d
        for (d,) in conn.execute(
            sa.select(s.runs.c.run_date)
            .where(s.runs.c.run_date > start, s.runs.c.run_date <= today)
            .distinct()
        )
    )
    last_of_week: dict[str, dt.date] = {}
    for d in days:
        year, week, _ = d.isocalendar()
        last_of_week[f"{year}-W{week:02d}"] = d
    out = []
    for label, day in sorted(last_of_week.items()):
        latest = _latest_site_runs(conn, day)
        worst = _worst(conn, latest)
        out.append(
            Week(
                label,
                day,
                open_counts(conn, day),
                len(latest),
                sum(1 for _, below in worst.values() if below),
            )
        )
    return out


def movers(conn: sa.Connection, since: dt.date, today: dt.date, limit: int = 20) -> list[Mover]:
    """Sites whose open lapses changed most between ``since`` and ``today`` (worse first).
    A site first audited after ``since`` has nothing to move from and is left out."""
    before_runs = _latest_site_runs(conn, since)
    after_runs = _latest_site_runs(conn, today)
    worst_before = _worst(conn, before_runs)
    worst_after = _worst(conn, after_runs)
    out = []
    for site in sorted(set(after_runs) & set(before_runs)):
        before = open_counts(conn, since, site)
        after = open_counts(conn, today, site)
        out.append(
            Mover(
                site,
                before,
                after,
                worst_before.get(site, (None, False))[0],
                worst_after.get(site, (None, False))[0],
            )
        )
    out = [m for m in out if m.change != 0 or m.worst_before != m.worst_after]
    out.sort(key=lambda m: (-m.change, (m.worst_after or 0) - (m.worst_before or 0), m.site))
    return out[:limit]


def ages(conn: sa.Connection, today: dt.date, limit: int = 50) -> Ages:
    """Open lapses, oldest first, and how long fixes took (closed intervals)."""
    lapse = s.lapses.c
    rows = conn.execute(
        sa.select(
            lapse.site,
            lapse.fingerprint,
            lapse.rule,
            lapse.element,
            lapse.severity,
            lapse.opened_on,
            lapse.closed_on,
            lapse.waived,
        ).where(lapse.gap.is_(False), lapse.opened_on <= today)
    ).all()
    intervals: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        intervals[(r.site, r.fingerprint)] += 1
    open_now = [
        OpenLapse(
            r.site,
            r.rule,
            r.element,
            r.severity,
            r.opened_on,
            (today - r.opened_on).days,
            intervals[(r.site, r.fingerprint)],
        )
        for r in rows
        if not r.waived and (r.closed_on is None or r.closed_on > today)
    ]
    open_now.sort(key=lambda x: (-x.age_days, RANK[x.severity], x.site, x.rule, x.element))
    fixes = [
        (r.severity, (r.closed_on - r.opened_on).days)
        for r in rows
        if r.closed_on is not None and r.closed_on <= today
    ]
    by_sev: dict[str, list[int]] = defaultdict(list)
    for sev, days in fixes:
        by_sev[sev].append(days)
    all_days = [d for _, d in fixes]
    return Ages(
        open_now[:limit],
        len(fixes),
        float(statistics.median(all_days)) if all_days else None,
        round(statistics.fmean(all_days), 2) if all_days else None,
        {sev: float(statistics.median(by_sev[sev])) for sev in SEVERITIES if by_sev[sev]},
        sum(1 for n in intervals.values() if n > 1),
    )


def expiring(conn: sa.Connection, today: dt.date, within_days: int = 30) -> list[ExpiringWaiver]:
    """Waivers in each site's latest run that expire within ``within_days`` (or have)."""
    latest = _latest_site_runs(conn, today)
    if not latest:
        return []
    w = s.waivers.c
    horizon = today + dt.timedelta(days=within_days)
    rows = conn.execute(
        sa.select(w.site, w.run_id, w.rule, w.element, w.owner, w.expires).where(
            w.run_id.in_(sorted(set(latest.values()))), w.expires <= horizon
        )
    )
    out = [
        ExpiringWaiver(r.site, r.rule, r.element, r.owner, r.expires, (r.expires - today).days)
        for r in rows
        if latest.get(r.site) == r.run_id
    ]
    out.sort(key=lambda x: (x.expires, x.site, x.rule, x.element))
    return out


def timeline(conn: sa.Connection, site: str) -> list[SiteRun]:
    """One site's runs, oldest first: counts, P(I)/P(E) per asset, lapses opened and closed."""
    sr = s.site_runs.c
    rows = conn.execute(
        sa.select(sr.run_id, s.runs.c.run_date, sr.audited, *(sr[k] for k in SEVERITIES))
        .join(s.runs, s.runs.c.id == sr.run_id)
        .where(sr.site == site)
        .order_by(s.runs.c.run_date, sr.run_id)
    ).all()
    out = {
        r.run_id: SiteRun(
            r.run_id, r.run_date, r.audited, {k: int(r._mapping[k]) for k in SEVERITIES}
        )
        for r in rows
    }
    m = s.metrics.c
    for r in conn.execute(
        sa.select(m.run_id, m.asset, m.threat, m.p_interruption, m.p_effectiveness, m.goal, m.below)
        .where(m.site == site)
        .order_by(m.run_id, m.asset, m.threat)
    ):
        if r.run_id in out:
            out[r.run_id].metrics.append(
                {
                    "asset": r.asset,
                    "threat": r.threat or None,
                    "p_interruption": r.p_interruption,
                    "p_effectiveness": r.p_effectiveness,
                    "goal": r.goal,
                    "below_goal": bool(r.below),
                }
            )
    lapse = s.lapses.c
    for lr in conn.execute(
        sa.select(lapse.rule, lapse.element, lapse.opened_run, lapse.closed_run)
        .where(lapse.site == site, lapse.gap.is_(False))
        .order_by(lapse.rule, lapse.element)
    ):
        label = f"{lr.rule} {lr.element}"
        if lr.opened_run in out:
            out[lr.opened_run].opened.append(label)
        if lr.closed_run in out:
            out[lr.closed_run].closed.append(label)
    return list(out.values())


def sites(conn: sa.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(sa.select(s.site_runs.c.site).distinct().order_by(s.site_runs.c.site))
    ]
