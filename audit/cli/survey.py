"""``siteaudit survey``: the survey page of a site file (or of a folder of them), and
``siteaudit survey apply`` to write the answers back. Registered by ``audit.cli.main``."""

from __future__ import annotations

from typing import Any

import click

from audit.app.contract import EXIT_OK, guard
from audit.cli import options as opt


class _Survey(click.Group):
    """``survey PATH`` makes pages; ``survey apply ...`` is the one subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["make", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "SITE|DIR [-o OUT]  |  apply SITE ANSWERS")


@click.group(cls=_Survey, context_settings={"help_option_names": ["-h", "--help"]})
def survey() -> None:
    """A survey of what the site file leaves unknown, to fill on site on a phone or a clipboard.

    `siteaudit survey SITE -o survey.html` writes one self-contained page (offline; answers kept
    in the browser as they are typed and exported as JSON); `siteaudit survey DIR -o OUTDIR`
    writes one page per site and an index, most unknown where it matters first;
    `siteaudit survey apply SITE answers.json` writes the answers into the site file.
    """


@survey.command("make", hidden=True)
@click.argument("path", type=click.Path())
@click.option(
    "-o",
    "--output",
    help="The page (SITE; default: standard output) or the folder of pages (DIR; required).",
)
@opt.fail_on_option("high", "The verdict a fact's worth is judged by: lapses at or above this.")
@click.option("--today", callback=opt.date, help="Date for waiver expiry (default: today).")
@opt.rule_options
@opt.selection_options
@opt.quiet_option()
def make(
    path: str,
    output: str | None,
    fail_on: str,
    today: Any,
    checklists: tuple[str, ...],
    no_builtin: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
) -> None:
    def run() -> int:
        import os

        from audit.common.files import check_outputs, protect, read_bytes, write_output
        from audit.survey.make import survey_of
        from audit.survey.page import render

        protect([path, *checklists])
        _, rules = opt.active_rules(checklists, no_builtin, opt.split(select), opt.split(ignore))
        if os.path.isdir(path):
            return _folder(path, output, rules, fail_on, today, quiet)
        check_outputs([output])
        s = survey_of(path, read_bytes(path, what="site file"), rules, fail_on=fail_on, today=today)
        write_output(render(s), output)
        opt.wrote(output, f"{len(s.facts)} fact(s) to survey, {s.deciding} deciding", quiet)
        return EXIT_OK

    guard(run)


def _folder(
    path: str, output: str | None, rules: list[Any], fail_on: str, today: Any, quiet: bool
) -> int:
    import os
    from pathlib import Path

    from audit.app.batch import discover
    from audit.common.errors import SiteError
    from audit.common.files import read_bytes, write_output
    from audit.survey.make import index_entry, index_order, survey_of
    from audit.survey.page import render, render_index

    if output is None:
        raise click.UsageError("a folder of sites needs -o OUTDIR for its pages")
    if os.path.exists(output) and not os.path.isdir(output):
        raise click.UsageError(f"{output} exists and is not a folder")
    problems: list[Any] = []
    files = discover([path], ["*.yaml", "*.yml"], [], problems)
    surveys = []
    for f in files:
        try:
            surveys.append(survey_of(f, read_bytes(f), rules, fail_on=fail_on, today=today))
        except SiteError as exc:
            problems += exc.problems
    if problems:
        raise SiteError(problems)
    os.makedirs(output, exist_ok=True)
    entries: list[dict[str, Any]] = []
    names: set[str] = set()
    for s in surveys:
        stem = Path(os.path.relpath(s.file, path)).with_suffix("").as_posix().replace("/", "--")
        name = f"{stem}.html"
        while name in names:
            name = f"{stem}-{len(names)}.html"
        names.add(name)
        write_output(render(s), os.path.join(output, name))
        entries.append(index_entry(s, name))
    entries.sort(key=index_order)
    write_output(render_index(entries), os.path.join(output, "index.html"))
    opt.wrote(output, f"{len(surveys)} survey page(s) and index.html", quiet)
    return EXIT_OK


@survey.command("apply")
@click.argument("site", type=click.Path(dir_okay=False))
@click.argument("answers", type=click.Path(dir_okay=False))
@click.option("--today", callback=opt.date, help="Date for waiver expiry (default: today).")
@opt.rule_options
@opt.selection_options
@opt.quiet_option()
def apply(
    site: str,
    answers: str,
    today: Any,
    checklists: tuple[str, ...],
    no_builtin: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
) -> None:
    """Write the answers of a survey (the JSON its page exports) into SITE: only the answered
    values change, every comment and the key order stay, each new fact gets a comment with
    the survey date and auditor. Refuses answers for another site or another version of the
    file; an answer of the wrong type, out of range or for an unknown element is an error
    naming it (exit 2, SITE untouched). Prints the change in findings and P(E)."""

    def run() -> int:
        import datetime as dt

        from audit.app import diff as d
        from audit.app.run import audit_site
        from audit.common.files import protect, read_bytes, update_input
        from audit.report.views.diff_report import render
        from audit.survey.apply import apply_answers

        if site == "-":
            raise click.UsageError("survey apply writes the answers into SITE: give a file, not -")
        protect([answers, *checklists])
        known, rules = opt.active_rules(
            checklists, no_builtin, opt.split(select), opt.split(ignore)
        )
        raw = read_bytes(site, what="site file")
        done = apply_answers(site, raw, answers)
        day = today or dt.date.today()
        before = audit_site(done.old, rules, today=day, known=known)
        before.file = f"{site} before the survey"
        after = audit_site(done.new, rules, today=day, known=known)
        update_input(done.text, site)
        if not quiet:
            given = done.answers.given
            click.echo(f"wrote {len(given)} answer(s) into {site}", err=True)
            for a in done.answers.answers:
                if a.unchecked:
                    click.echo(f"  not checked: {a.field} of {a.label}", err=True)
            click.echo(render(d.diff(before, after), "text"), nl=False)
        return EXIT_OK

    guard(run)
