"""The ``siteaudit`` command: a thin layer over the library.

Heavy modules (pydantic, networkx) are imported inside the commands so that
``siteaudit --version`` and ``--help`` start instantly.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

import click

from audit import __version__
from audit.app.contract import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, guard, report_errors
from audit.cli import options as opt
from audit.report import FORMATS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="siteaudit")
def main() -> None:
    """Audit the physical security of guarded facilities described in YAML site files."""
    # A site is loaded once and lives to the end, so the collector's default (a pass every
    # 700 allocations, each over every object alive) spent a quarter of a 10,000-zone check
    # re-scanning it; collect rarely instead, as mypy does (its tune_gc).
    gc.set_threshold(200_000, 30, 30)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@opt.config_options
@opt.quiet_option("Print only the errors, not one OK line per good file.")
def validate(
    paths: tuple[str, ...],
    config_path: str | None,
    no_config: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    quiet: bool,
) -> None:
    """Check that site files (or folders of them) are well formed; one OK line per good file.

    A PATH of - reads one site file from standard input.
    """

    def run() -> int:
        from audit.app.batch import discover
        from audit.app.config import merged
        from audit.common.errors import SiteError
        from audit.common.escape import printable
        from audit.site.load import load_site

        cfg = opt.load_cfg(config_path, no_config)
        o = merged(cfg, include=include, exclude=exclude)
        walk_errors: list[Any] = []
        files = discover(paths, o["include"], o["exclude"], walk_errors)
        report_errors(walk_errors)
        if not files and not walk_errors:
            raise click.UsageError(f"no site files found in {', '.join(paths)}")
        code = EXIT_INPUT if walk_errors else EXIT_OK
        for path in files:
            try:
                site = load_site(path)
            except SiteError as exc:
                report_errors(exc.problems)
                code = EXIT_INPUT
                continue
            if not quiet:
                n = len(site.elements())
                click.echo(f"{printable(site.path)}: OK ({site.site.id}, {n} elements)")
        return code

    guard(run)


@main.command()
@click.option("--kind", type=click.Choice(["site", "checklist"]), default="site", show_default=True)
@opt.output_option
@opt.quiet_option()
def schema(kind: str, output: str | None, quiet: bool) -> None:
    """Print the JSON Schema of site files or checklists (for editors and CI)."""

    def run() -> int:
        from audit.common.files import check_outputs, write_output
        from audit.site.schema import dumps, site_schema

        check_outputs([output])
        if kind == "checklist":
            from audit.rules.checklist import checklist_schema

            write_output(dumps(checklist_schema()), output)
        else:
            write_output(dumps(site_schema()), output)
        opt.wrote(output, f"the JSON Schema of {kind} files", quiet)
        return EXIT_OK

    guard(run)


@main.command()
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
        job = Job(
            tuple(opts["checklists"]),
            use_builtin,
            tuple(opts["select"]),
            tuple(opts["ignore"]),
            at,
            today or dt.date.today(),
            plan,
            opts["fail_on"],
            paths=bool(SHOW_PATHS & {fmt, *(f for f, _ in reports)}) or bool(record_db),
            # one file: --jobs puts its path analysis in processes of its own
            site_jobs=(opts["jobs"] or 1) if len(files) == 1 else 1,
            # the history records P(I) and P(E) per asset: it needs the analysis kept
            keep_model=bool(NEED_MODEL & {fmt, *(f for f, _ in reports)}) or bool(record_db),
        )
        workers = min(opts["jobs"] or default_jobs(), len(files)) or 1
        if fmt == "text" and not (reports or baseline_in or baseline_out or record_db):
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
            from audit.app.record import record_outcome

            run_id = record_outcome(record_db, outcome, loaded[1], job.today, paths)
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


@main.command()
@opt.rule_options
@click.option("--checks", "show_checks", is_flag=True, help="List the registered checks instead.")
@opt.format_option("text", "json")
@opt.quiet_option("Print only the ids.")
def rules(
    checklists: tuple[str, ...], no_builtin: bool, show_checks: bool, fmt: str, quiet: bool
) -> None:
    """List the rules of the active checklists (or, with --checks, the checks they can use)."""

    def run() -> int:
        import json

        if show_checks:
            from audit.checks import REGISTRY

            rows = [
                {"check": c.name, "params": sorted(c.params.model_fields), "doc": c.doc}
                for c in sorted(REGISTRY.values(), key=lambda c: c.name)
            ]
            if fmt == "json":
                click.echo(json.dumps(rows, indent=2))
            else:
                for row in rows:
                    params = ", ".join(row["params"]) or "no parameters"
                    click.echo(row["check"] if quiet else f"{row['check']:<22} ({params})")
                    if not quiet:
                        click.echo(f"    {row['doc']}")
            return EXIT_OK
        loaded = opt.load_rules(checklists, no_builtin)
        if fmt == "json":
            click.echo(json.dumps([r.spec.model_dump() for r in loaded], indent=2))
        else:
            for r in loaded:
                s = r.spec
                if quiet:
                    click.echo(s.id)
                    continue
                click.echo(f"{s.id:<12} {s.severity:<8} {s.category:<22} {s.title}")
                click.echo(f"{'':<13}{'; '.join(s.references)}")
        return EXIT_OK

    guard(run)


@main.command()
@click.argument("rule_id", shell_complete=opt.rule_names)
@opt.rule_options
@opt.quiet_option("Print only the rule's id and title.")
def explain(rule_id: str, checklists: tuple[str, ...], no_builtin: bool, quiet: bool) -> None:
    """Print one rule in full: what it checks, why, the standard, and the fix."""

    def run() -> int:

        from audit.checks import REGISTRY
        from audit.common.errors import did_you_mean

        loaded = opt.load_rules(checklists, no_builtin)
        match = next((r for r in loaded if r.id.lower() == rule_id.lower()), None)
        if match is None:
            raise click.BadParameter(
                f"no rule {rule_id!r}{did_you_mean(rule_id, [r.id for r in loaded])}",
                param_hint="RULE_ID",
            )
        from audit.report.views.rule import explain_text

        click.echo(explain_text(match, REGISTRY[match.spec.check], brief=quiet), nl=False)
        return EXIT_OK

    guard(run)


@main.command()
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


@main.command()
@click.argument("path", default="site.yaml", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@opt.quiet_option()
def init(path: str, force: bool, quiet: bool) -> None:
    """Write a commented starter site file (default: site.yaml) that validates."""

    def run() -> int:
        import os
        from pathlib import Path

        from audit.common.files import write_output
        from audit.site.starter import schema_text, starter_text

        target = Path(path)
        if target.exists() and not force:
            raise click.UsageError(f"{path} exists; use --force to overwrite it")
        text, schema = starter_text(target)
        write_output(text, path)
        schema_note = ""
        if schema is not None:
            write_output(schema_text(), str(schema))
            schema_note = f" and {os.path.relpath(schema)} (its schema, for editors)"
        if not quiet:
            click.echo(
                f"wrote {path}{schema_note}; next: siteaudit validate {path} "
                f"&& siteaudit check {path}",
                err=True,
            )
        return EXIT_OK

    guard(run)


def _register() -> None:
    from audit.cli.analysis import graph, improve, paths
    from audit.cli.geometry import geometry, plan
    from audit.cli.history import history
    from audit.cli.survey import survey

    for command in (graph, paths, improve, geometry, plan, history, survey):
        main.add_command(command)


_register()
