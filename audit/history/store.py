"""Open a history database and write a run into it: in one transaction, under a lock.

A run is written whole or not at all: the records are read inside the transaction, so a
process killed mid-write (or a record that fails) leaves the database as it was. Writers
are serialised (SQLite: ``BEGIN IMMEDIATE`` with a busy timeout; PostgreSQL: a
transaction-scoped advisory lock), so two nightly jobs writing at once both land, one
after the other, and each sees the lapse intervals the other left.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from audit.common.errors import Problem, SiteError
from audit.findings import SEVERITIES
from audit.history import schema as s
from audit.history.records import SiteRecord

LOCK_KEY = 0x51A0D17
"""PostgreSQL advisory lock taken by every writer (any fixed 64-bit key)."""
BUSY_TIMEOUT_S = 120
"""How long a SQLite writer waits for another to finish [assumed: a nightly run of a few
thousand sites writes in seconds]."""


@dataclass(frozen=True)
class RunInfo:
    run_date: dt.date
    """The day the run counts for (``--today``, else today in UTC): ages are in days."""
    recorded_at: str
    revision: str | None
    tool_version: str
    checklists: str
    """A digest of the rules that ran: a change of checklist explains a change of findings."""
    label: str | None = None


def checklist_digest(rules: Iterable[Any]) -> str:
    """sha256 (16 hex digits) of the active rules' definitions, in id order."""
    h = hashlib.sha256()
    for r in sorted(rules, key=lambda r: r.id):
        h.update(r.spec.model_dump_json().encode())
    return h.hexdigest()[:16]


def engine_for(target: str) -> sa.Engine:
    """An engine for a database path (SQLite) or a ``sqlite:///`` / ``postgresql://`` URL."""
    if target.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        url = "postgresql+psycopg://" + target.split("://", 1)[1]
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise SiteError(
                [
                    Problem(
                        target,
                        1,
                        1,
                        "a PostgreSQL history needs the driver: pip install 'siteaudit[postgres]'",
                    )
                ]
            ) from None
        return sa.create_engine(url, pool_pre_ping=False)
    if "://" in target and not target.startswith("sqlite:///"):
        scheme = target.split("://", 1)[0]
        raise SiteError(
            [
                Problem(
                    target,
                    1,
                    1,
                    f"unknown database {scheme!r}; expected a file path, "
                    "sqlite:///PATH or postgresql://...",
                )
            ]
        )
    path = Path(target.removeprefix("sqlite:///"))
    if path.exists() and not path.is_file():
        raise SiteError([Problem(str(path), 1, 1, "not a regular file: expected a database file")])
    engine = sa.create_engine(
        f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_S}, poolclass=sa.NullPool
    )

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we say when a transaction begins (below)

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock now, not mid-run

    return engine


@contextmanager
def writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One locked transaction with the schema brought up to date; commits on success."""
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
            migrate(conn)
            yield conn
    except sa.exc.DatabaseError as exc:
        raise _problem(engine, exc) from None


@contextmanager
def reading(engine: sa.Engine) -> Iterator[sa.Connection]:
    try:
        with engine.connect() as conn:
            version = _version(conn)
            if version == 0:
                raise SiteError(
                    [
                        Problem(
                            _where(engine),
                            1,
                            1,
                            "no history recorded here yet "
                            "(record one with: siteaudit check DIR --record DB)",
                        )
                    ]
                )
            if version < s.LATEST:
                conn.rollback()
                with writing(engine):
                    pass
            elif version > s.LATEST:
                raise _too_new(engine, version)
            yield conn
    except sa.exc.DatabaseError as exc:
        raise _problem(engine, exc) from None


def _where(engine: sa.Engine) -> str:
    return (
        engine.url.database or str(engine.url)
        if engine.dialect.name == "sqlite"
        else (engine.url.render_as_string(hide_password=True))
    )


def _problem(engine: sa.Engine, exc: Exception) -> SiteError:
    what = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:300]
    return SiteError([Problem(_where(engine), 1, 1, f"database error: {what}")])


def _too_new(engine: sa.Engine, version: int) -> SiteError:
    return SiteError(
        [
            Problem(
                _where(engine),
                1,
                1,
                f"history database version {version} is "
                f"newer than this siteaudit reads ({s.LATEST}): upgrade siteaudit",
            )
        ]
    )


def _version(conn: sa.Connection) -> int:
    if not sa.inspect(conn).has_table("meta"):
        return 0
    row = conn.execute(sa.select(s.meta.c.value).where(s.meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0


def migrate(conn: sa.Connection) -> None:
    """Bring the schema to ``LATEST`` (inside the caller's locked transaction)."""
    version = _version(conn)
    if version > s.LATEST:
        raise _too_new(conn.engine, version)
    for step in s.MIGRATIONS[version:]:
        step(conn)
    if version < s.LATEST:
        conn.execute(sa.delete(s.meta).where(s.meta.c.key == "schema_version"))
        conn.execute(sa.insert(s.meta).values(key="schema_version", value=str(s.LATEST)))


CHUNK = 500
"""Sites written per batch of statements: one query finds their open lapses, one
``executemany`` per table writes them (a statement per site cost more than the audit)."""


def record(engine: sa.Engine, run: RunInfo, sites: Iterable[SiteRecord]) -> int:
    """Write one run and its sites; returns the run's id. ``sites`` is read inside the
    transaction (it may be a stream): all of it lands, or nothing does."""
    with writing(engine) as conn:
        inserted = conn.execute(
            sa.insert(s.runs).values(
                run_date=run.run_date,
                recorded_at=run.recorded_at,
                revision=run.revision,
                tool_version=run.tool_version,
                checklists=run.checklists,
                label=run.label,
            )
        ).inserted_primary_key
        assert inserted is not None
        run_id = int(inserted[0])
        batch: list[SiteRecord] = []
        for site in sites:
            batch.append(site)
            if len(batch) >= CHUNK:
                _record_sites(conn, run_id, run.run_date, batch)
                batch = []
        if batch:
            _record_sites(conn, run_id, run.run_date, batch)
    return run_id


def _site_row(run_id: int, site: SiteRecord) -> dict[str, Any]:
    counts = dict.fromkeys(SEVERITIES, 0)
    gaps = waived = 0
    for lapse in site.lapses:
        if lapse.waived:
            waived += 1
        elif lapse.gap:
            gaps += 1
        else:
            counts[lapse.severity] += 1
    return {
        "run_id": run_id,
        "site": site.site,
        "file": site.file,
        "audited": site.audited,
        "gaps": gaps,
        "waived": waived,
        **counts,
    }


def _record_sites(conn: sa.Connection, run_id: int, day: dt.date, batch: list[SiteRecord]) -> None:
    conn.execute(sa.insert(s.site_runs), [_site_row(run_id, x) for x in batch])
    audited = [x for x in batch if x.audited]  # a file that failed to load says nothing
    if not audited:
        return
    open_rows: dict[tuple[str, str], int] = {
        (row.site, row.fingerprint): row.id
        for row in conn.execute(
            sa.select(s.lapses.c.id, s.lapses.c.site, s.lapses.c.fingerprint).where(
                s.lapses.c.site.in_(sorted({x.site for x in audited})),
                s.lapses.c.closed_run.is_(None),
            )
        )
    }
    seen = {(x.site, lapse.fingerprint): lapse for x in audited for lapse in x.lapses}
    closed = [open_rows[k] for k in sorted(set(open_rows) - set(seen))]
    if closed:
        conn.execute(
            sa.update(s.lapses)
            .where(s.lapses.c.id.in_(closed))
            .values(closed_on=day, closed_run=run_id)
        )
    still = sorted(set(seen) & set(open_rows))
    if still:
        conn.execute(
            sa.update(s.lapses)
            .where(s.lapses.c.id == sa.bindparam("row_id"))
            .values(
                severity=sa.bindparam("sev"),
                waived=sa.bindparam("w"),
                last_on=day,
                last_run=run_id,
            ),
            [{"row_id": open_rows[k], "sev": seen[k].severity, "w": seen[k].waived} for k in still],
        )
    new = sorted(set(seen) - set(open_rows))
    if new:
        conn.execute(
            sa.insert(s.lapses),
            [
                {
                    "site": site,
                    "fingerprint": fp,
                    "rule": x.rule,
                    "severity": x.severity,
                    "element": x.element,
                    "gap": x.gap,
                    "waived": x.waived,
                    "opened_on": day,
                    "opened_run": run_id,
                    "last_on": day,
                    "last_run": run_id,
                }
                for site, fp in new
                for x in (seen[(site, fp)],)
            ],
        )
    metrics = [
        {
            "run_id": run_id,
            "site": x.site,
            "asset": m.asset,
            "threat": m.threat,
            "p_interruption": m.p_interruption,
            "p_effectiveness": m.p_effectiveness,
            "goal": m.goal,
            "below": m.below,
        }
        for x in audited
        for m in x.metrics
    ]
    if metrics:
        conn.execute(sa.insert(s.metrics), metrics)
    waivers = [
        {
            "run_id": run_id,
            "site": x.site,
            "rule": w.rule,
            "element": w.element,
            "owner": w.owner,
            "expires": w.expires,
        }
        for x in audited
        for w in x.waivers
    ]
    if waivers:
        conn.execute(sa.insert(s.waivers), waivers)


def prune(engine: sa.Engine, *, older_than_days: int, today: dt.date) -> int:
    """Delete runs older than ``older_than_days`` (their per-run rows with them); lapse
    intervals stay, so first and last sightings and fix times survive. Returns how many
    runs were deleted. The latest run of each site is always kept."""
    cutoff = today - dt.timedelta(days=older_than_days)
    with writing(engine) as conn:
        latest = sa.select(sa.func.max(s.site_runs.c.run_id)).group_by(s.site_runs.c.site)
        doomed = [
            r[0]
            for r in conn.execute(
                sa.select(s.runs.c.id).where(s.runs.c.run_date < cutoff, s.runs.c.id.not_in(latest))
            )
        ]
        if doomed:
            for table in (s.site_runs, s.metrics, s.waivers):
                conn.execute(sa.delete(table).where(table.c.run_id.in_(doomed)))
            conn.execute(sa.delete(s.runs).where(s.runs.c.id.in_(doomed)))
    return len(doomed)
