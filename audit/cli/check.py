"""``siteaudit check``: audit site files (or folders of them) against the checklists and
write every report asked for in one run.

Registered on the ``siteaudit`` group by ``audit.cli.main``; heavy modules are imported
inside the command, so that start-up stays light.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from audit.app.contract import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, guard, report_errors
from audit.cli import options as opt
from audit.report import FORMATS


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@opt.rule_options
@opt.selection_options
@opt.fail_on_option(None, "Exit 1 when a finding is at or above this severity (default: high).")
@click.option(
    "--at",
    callback=opt.moment,
    help='Judge one moment instead of the week: "fri 19:00", or "19:00" on every day.',
)
@click.option("--today", callback=opt.date, help="Date for waiver expiry (default: today).")
@opt.format_option(*FORMATS)
@opt.output_option
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 1024), help="Parallel workers (default: cores)."
)
@opt.config_options
@click.option(
    "--baseline",
    "baseline_in",
    type=click.Path(dir_okay=False),
    help="Fail only on findings not in this baseline; report those since fixed.",
)
@click.option(
    "--write-baseline",
    "baseline_out",
    type=click.Path(dir_okay=False),
    help="Record today's findings as the baseline and exit 0.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Data gaps (facts a rule needs that the site file does not record) fail the run too.",
)
@click.option(
    "--plan",
    is_flag=True,
    help="Add each site's upgrade plan (as siteaudit improve, shipped prices) to the HTML, "
    "Markdown and JSON reports, in place of the three worst lapses; takes as long as improve.",
)
@click.option(
    "--record",
    "record_db",
    metavar="DB",
    help="Also record this run in a history database (a SQLite file, created if missing, or "
    "a postgresql:// URL); see siteaudit history.",
)
@opt.quiet_option("Text: print only the summary table; other formats: no summary on stderr.")
@opt.color_option
@click.option(
    "--report",
    "reports",
    multiple=True,
    callback=lambda c, p, v: opt.reports(v),
    metavar="FORMAT=FILE",
    help="Also write this format to this file in the same run (repeatable), "
    "e.g. --report sarif=siteaudit.sarif --report html=report.html.",
)
def check(
    paths: tuple[str, ...],
    checklists: tuple[str, ...],
    no_builtin: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    at: str | None,
    today: Any,
    fmt: str,
    output: str | None,
    jobs: int | None,
    config_path: str | None,
    no_config: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    baseline_in: str | None,
    baseline_out: str | None,
    strict: bool,
    plan: bool,
    record_db: str | None,
    quiet: bool,
    color: str,
    reports: list[tuple[str, str]],
) -> None:
    """Audit site files (or folders of them) against the checklists and report every lapse.

    A PATH of - reads one site file from standard input.
    """

    def run() -> int:
        import datetime as dt

        from audit.app.batch import Job, audit_many, default_jobs, discover, duplicate_sites
        from audit.common.files import check_outputs, protect, write_output
        from audit.findings import accepted as bl
        from audit.findings import failing
        from audit.report import NEED_MODEL, SHOW_PATHS, formatter
        from audit.report.views.table import summary_table

        cfg = opt.load_cfg(config_path, no_config)
        opts, loaded = opt.configured(
            cfg,
            checklists,
            no_builtin,
            select,
            ignore,
            fail_on=fail_on,
            jobs=jobs,
            include=include,
            exclude=exclude,
        )
        use_builtin = cfg.builtin and not no_builtin
        recorded = bl.load(baseline_in) if baseline_in else None
        walk_errors: list[Any] = []
        files = discover(paths, opts["include"], opts["exclude"], walk_errors)
        if not files and not walk_errors:
            raise click.UsageError(
                f"no site files found in {', '.join(paths)} (include: {', '.join(opts['include'])})"
            )
        protect([*files, *opts["checklists"], *([cfg.path] if cfg.path else [])])
        if baseline_in:
            protect([baseline_in])
        if record_db and ("://" not in record_db or record_db.startswith("sqlite:///")):
            protect([record_db.removeprefix("sqlite:///")])
        check_outputs([output, baseline_out, *(p for _, p in reports)])
        shown = set() if quiet and fmt == "text" else {fmt}
        job = Job(
            tuple(opts["checklists"]),
            use_builtin,
            tuple(opts["select"]),
            tuple(opts["ignore"]),
            at,
            today or dt.date.today(),
            plan,
            opts["fail_on"],
            # (a quiet text run writes the summary table alone: its least P(I) is worked out
            # without the paths, ``SiteResult.freeze``)
            paths=bool(SHOW_PATHS & {*shown, *(f for f, _ in reports)}) or bool(record_db),
            # one file: --jobs puts its path analysis in processes of its own
            site_jobs=(opts["jobs"] or 1) if len(files) == 1 else 1,
            keep_model=bool(NEED_MODEL & {fmt, *(f for f, _ in reports)}),
            # the history records P(I) and P(E) per asset: built in the worker, before the
            # result is slimmed, so recording keeps no analysis until the run ends
            record=bool(record_db),
            least=fmt == "text",
        )
        workers = min(opts["jobs"] or default_jobs(), len(files)) or 1
        if fmt == "text" and not (reports or baseline_in or baseline_out):
            return folded(files, job, workers, loaded, walk_errors, opts["fail_on"])
        if sys.stderr.isatty() and len(files) > 1 and not quiet:
            with click.progressbar(length=len(files), label="auditing", file=sys.stderr) as bar:
                outcome = audit_many(files, job, jobs=workers, progress=bar.update, loaded=loaded)
        else:
            outcome = audit_many(files, job, jobs=workers, loaded=loaded)
        results = [result for _, result, problems in outcome if not problems]
        errors = walk_errors + [p for _, _, problems in outcome for p in problems or []]
        errors += duplicate_sites(outcome)
        report_errors(errors)
        if record_db:
            from audit.app.record import record_outcome, records_of

            run_id = record_outcome(record_db, records_of(outcome), loaded[1], job.today, paths)
            opt.wrote(record_db, f"run {run_id} with {len(outcome)} site file(s)", quiet)
        if not results:
            return EXIT_INPUT  # nothing audited: no report, so none can be mistaken for clean
        if baseline_out:
            if errors:
                return EXIT_INPUT
            write_output(bl.dumps(results), baseline_out)
            opt.wrote(
                baseline_out,
                f"{len(bl.entries(results))} findings in {len(results)} site file(s)",
                quiet,
            )
            return EXIT_OK
        comparison = bl.compare(results, recorded) if recorded is not None else None
        colored = fmt == "text" and output is None and opt.use_color(color)
        common = {
            "fail_on": opts["fail_on"],
            "baseline": comparison,
            "errors": errors,
            "strict": strict,
        }
        text = "" if (quiet and fmt == "text") else formatter(fmt)(results, color=colored, **common)
        if fmt == "text" and (len(files) > 1 or quiet):
            text += ("\n" if text else "") + summary_table(results, errors, color=colored)
        for extra_fmt, path in reports:
            write_output(formatter(extra_fmt)(results, **common), path)
        write_output(text, output)
        everything = [f for r in results for f in r.findings]
        for written in [output, *(p for _, p in reports)]:
            opt.wrote(written, f"{opt.counts(everything)} in {len(results)} site file(s)", quiet)
        candidates = (
            comparison.new if comparison is not None else [f for f in everything if not f.waived]
        )
        fails = failing(candidates, opts["fail_on"], strict=strict)
        if errors:
            return EXIT_INPUT
        return EXIT_FINDINGS if fails else EXIT_OK

    def folded(
        files: list[str], job: Any, workers: int, loaded: Any, walk_errors: list, fail_on: str
    ) -> int:
        """The text report of a folder, each site folded in as it finishes (``app.fold``):
        byte for byte what rendering every result at the end gives."""
        from audit.app.fold import fold_text
        from audit.common.files import write_output
        from audit.report import formatter
        from audit.report.views.table import summary_table

        colored = output is None and opt.use_color(color)
        text_of = formatter("text")

        def render(one: list[Any]) -> str:
            return text_of(one, color=colored, fail_on=fail_on, strict=strict)

        def go(progress: Any = None) -> Any:
            return fold_text(
                files,
                job,
                jobs=workers,
                loaded=loaded,
                render=None if quiet else render,
                fail_on=fail_on,
                strict=strict,
                progress=progress,
            )

        if sys.stderr.isatty() and len(files) > 1 and not quiet:
            with click.progressbar(length=len(files), label="auditing", file=sys.stderr) as bar:
                done = go(bar.update)
        else:
            done = go()
        errors = walk_errors + done.errors
        report_errors(errors)
        if record_db:
            from audit.app.record import record_outcome

            run_id = record_outcome(record_db, done.records, loaded[1], job.today, paths)
            opt.wrote(record_db, f"run {run_id} with {len(done.records)} site file(s)", quiet)
        if not done.rows:
            return EXIT_INPUT
        text = "\n".join(done.text)
        if len(files) > 1 or quiet:
            text += ("\n" if text else "") + summary_table(done.rows, errors, color=colored)
        write_output(text, output)
        opt.wrote(output, f"{opt.counts_of(done.summary)} in {len(done.rows)} site file(s)", quiet)
        if errors:
            return EXIT_INPUT
        return EXIT_FINDINGS if done.fails else EXIT_OK

    guard(run)
