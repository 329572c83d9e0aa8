"""``siteaudit history``: what the recorded runs say over time (``check --record`` writes
them). Registered on the ``siteaudit`` group by ``audit.cli.main``; a thin layer over
``audit.history``."""

from __future__ import annotations

import datetime as dt

import click

from audit.app.contract import EXIT_OK, guard
from audit.cli import options as opt


@click.command()
@click.argument("database")
@click.option("--site", "site_id", help="One site's timeline instead of the fleet views.")
@click.option(
    "--since", callback=opt.date, help="Worst movers since this date (default: 7 days ago)."
)
@click.option(
    "--today", callback=opt.date, help="The day to judge ages and expiry at (default: today)."
)
@click.option(
    "--weeks",
    type=click.IntRange(1, 520),
    default=12,
    show_default=True,
    help="Weeks of trend to show.",
)
@click.option(
    "--within",
    "within_days",
    type=click.IntRange(0, 3650),
    default=30,
    show_default=True,
    help="Waivers expiring within this many days.",
)
@click.option(
    "--prune",
    "prune_days",
    type=click.IntRange(1, 36500),
    help="Delete runs older than this many days first (lapse intervals, hence first and last "
    "sightings and fix times, are kept; so is each site's latest run).",
)
@opt.format_option("text", "json", "html")
@opt.output_option
@opt.quiet_option()
def history(
    database: str,
    site_id: str | None,
    since: dt.date | None,
    today: dt.date | None,
    weeks: int,
    within_days: int,
    prune_days: int | None,
    fmt: str,
    output: str | None,
    quiet: bool,
) -> None:
    """What the runs recorded in DATABASE say: open lapses by week, the worst movers, the
    oldest open lapses and fix times, waivers about to expire (or, with --site, one site's
    timeline). DATABASE is a SQLite file or a postgresql:// URL."""

    def run() -> int:
        from audit.common.errors import Problem, SiteError, did_you_mean
        from audit.common.files import check_outputs, protect, write_output
        from audit.history import store, views
        from audit.history.render import Answers, render_html, render_json, render_text

        day = today or dt.datetime.now(dt.UTC).date()
        if "://" not in database or database.startswith("sqlite:///"):
            path = database.removeprefix("sqlite:///")
            import os

            if not os.path.exists(path):
                raise SiteError([Problem(path, 1, 1, "no such history database")])
            protect([path])
        check_outputs([output])
        engine = store.engine_for(database)
        if prune_days is not None:
            gone = store.prune(engine, older_than_days=prune_days, today=day)
            if not quiet:
                click.echo(f"pruned {gone} run(s) older than {prune_days} days", err=True)
        with store.reading(engine) as conn:
            timeline = None
            if site_id is not None:
                known = views.sites(conn)
                if site_id not in known:
                    raise click.BadParameter(
                        f"no site {site_id!r} in this history{did_you_mean(site_id, known)}",
                        param_hint="--site",
                    )
                timeline = views.timeline(conn, site_id)
            answers = Answers(
                today=day,
                since=since or day - dt.timedelta(days=7),
                trend=views.trend(conn, day, weeks) if site_id is None else [],
                movers=views.movers(conn, since or day - dt.timedelta(days=7), day)
                if site_id is None
                else [],
                ages=views.ages(conn, day),
                expiring=views.expiring(conn, day, within_days) if site_id is None else [],
                within_days=within_days,
                site=site_id,
                timeline=timeline,
            )
        engine.dispose()
        render = {"text": render_text, "json": render_json, "html": render_html}[fmt]
        if not (quiet and output is None):
            write_output(render(answers), output)
        opt.wrote(output, f"history as of {day}", quiet)
        return EXIT_OK

    guard(run)
