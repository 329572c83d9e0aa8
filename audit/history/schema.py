"""The history database's tables and their versions.

Versioned migrations, not a generated diff: ``MIGRATIONS[n]`` takes a database at version
``n`` to ``n + 1``, and a database records its version in ``meta``. A later siteaudit opens
an older database by applying what is missing, in one locked transaction, so two processes
that open a new database at once migrate it once; an older siteaudit refuses a newer
database rather than misread it.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_date", sa.Date, nullable=False, index=True),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("revision", sa.String(80)),
    sa.Column("tool_version", sa.String(40), nullable=False),
    sa.Column("checklists", sa.String(80), nullable=False),
    sa.Column("label", sa.String(200)),
)

site_runs = sa.Table(
    "site_runs",
    metadata,
    sa.Column("run_id", sa.Integer, primary_key=True),
    sa.Column("site", sa.String(300), primary_key=True),
    sa.Column("file", sa.String(1000), nullable=False),
    sa.Column("audited", sa.Boolean, nullable=False),
    sa.Column("critical", sa.Integer, nullable=False),
    sa.Column("high", sa.Integer, nullable=False),
    sa.Column("medium", sa.Integer, nullable=False),
    sa.Column("low", sa.Integer, nullable=False),
    sa.Column("info", sa.Integer, nullable=False),
    sa.Column("gaps", sa.Integer, nullable=False),
    sa.Column("waived", sa.Integer, nullable=False),
)

lapses = sa.Table(
    "lapses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("site", sa.String(300), nullable=False),
    sa.Column("fingerprint", sa.String(40), nullable=False),
    sa.Column("rule", sa.String(80), nullable=False),
    sa.Column("severity", sa.String(10), nullable=False),
    sa.Column("element", sa.String(300), nullable=False),
    sa.Column("gap", sa.Boolean, nullable=False),
    sa.Column("waived", sa.Boolean, nullable=False),
    sa.Column("opened_on", sa.Date, nullable=False),
    sa.Column("opened_run", sa.Integer, nullable=False),
    sa.Column("last_on", sa.Date, nullable=False),
    sa.Column("last_run", sa.Integer, nullable=False),
    sa.Column("closed_on", sa.Date),
    sa.Column("closed_run", sa.Integer),
    sa.Index("lapses_open", "site", "closed_run"),
)
"""One row per interval a finding was seen: opened on its first sighting, closed on the
first run that audited the site without it. A finding seen again opens a new interval (a
reopened lapse). Intervals outlive the runs pruned from ``runs``."""

metrics = sa.Table(
    "metrics",
    metadata,
    sa.Column("run_id", sa.Integer, primary_key=True),
    sa.Column("site", sa.String(300), primary_key=True),
    sa.Column("asset", sa.String(300), primary_key=True),
    sa.Column("threat", sa.String(300), primary_key=True),
    sa.Column("p_interruption", sa.Float, nullable=False),
    sa.Column("p_effectiveness", sa.Float),
    sa.Column("goal", sa.Float, nullable=False),
    sa.Column("below", sa.Boolean, nullable=False),
)

waivers = sa.Table(
    "waivers",
    metadata,
    sa.Column("run_id", sa.Integer, nullable=False, index=True),
    sa.Column("site", sa.String(300), nullable=False),
    sa.Column("rule", sa.String(80), nullable=False),
    sa.Column("element", sa.String(300), nullable=False),
    sa.Column("owner", sa.String(300), nullable=False),
    sa.Column("expires", sa.Date, nullable=False),
)


def _create_v1(conn: sa.Connection) -> None:
    metadata.create_all(conn)


MIGRATIONS: list[Callable[[sa.Connection], None]] = [_create_v1]
"""``MIGRATIONS[n]``: version n -> n + 1 (0 is an empty database)."""
LATEST = len(MIGRATIONS)
