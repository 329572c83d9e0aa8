"""``siteaudit validate``, ``schema`` and ``init``: the site file itself (well formed, its
JSON Schema, a starter), before any audit.

Registered on the ``siteaudit`` group by ``audit.cli.main``.
"""

from __future__ import annotations

from typing import Any

import click

from audit.app.contract import EXIT_INPUT, EXIT_OK, guard, report_errors
from audit.cli import options as opt


@click.command()
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


@click.command()
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


@click.command()
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
