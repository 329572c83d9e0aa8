"""``siteaudit diff``: review a change to a site file, the findings it adds and removes
and P(I) before and after.

Registered on the ``siteaudit`` group by ``audit.cli.main``; named for what it is used for,
not ``diff``, which ``audit.app.diff`` already is.
"""

from __future__ import annotations

from typing import Any

import click

from audit.app.contract import EXIT_FINDINGS, EXIT_OK, guard
from audit.cli import options as opt


@click.command()
@click.argument("old")
@click.argument("new")
@opt.rule_options
@opt.selection_options
@opt.fail_on_option("high", "Exit 1 when an added finding is at or above this severity.")
@click.option("--today", callback=opt.date, help="Date for waiver expiry (default: today).")
@opt.format_option("text", "json", "markdown")
@opt.output_option
@opt.quiet_option()
def diff(
    old: str,
    new: str,
    checklists: tuple[str, ...],
    no_builtin: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str,
    today: Any,
    fmt: str,
    output: str | None,
    quiet: bool,
) -> None:
    """Compare two site files, or one file at two git revisions (FILE@REV).

    Shows the findings added and removed and P(I) per asset before and after:
    what a reviewer reads on a change to a site file.
    """

    def run() -> int:
        import datetime as dt
        import os

        from audit.app import diff as d
        from audit.app.run import audit_site
        from audit.common.errors import SiteError
        from audit.common.files import check_outputs, protect, write_output
        from audit.findings import failing
        from audit.report.views.diff_report import render

        protect([spec for spec in (old, new) if os.path.exists(spec)] + list(checklists))
        check_outputs([output])
        known, rules = opt.active_rules(
            checklists, no_builtin, opt.split(select), opt.split(ignore)
        )
        day = today or dt.date.today()
        sides, problems = [], []
        for spec in (old, new):
            try:
                site = d.load_spec(spec)
            except SiteError as exc:
                problems += exc.problems
                continue
            sides.append(audit_site(site, rules, today=day, known=known))
        if problems:
            raise SiteError(problems)
        result = d.diff(*sides)
        if not (quiet and output is None):
            write_output(render(result, fmt), output)
        opt.wrote(output, f"{len(result.added)} added, {len(result.removed)} removed", quiet)
        worse = failing(result.added, fail_on)
        return EXIT_FINDINGS if worse else EXIT_OK

    guard(run)
