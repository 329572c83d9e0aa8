"""The ``siteaudit`` command: a thin layer over the library.

Heavy modules (pydantic, networkx) are imported inside the commands so that
``siteaudit --version`` and ``--help`` start instantly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

from audit import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _report_errors(errors: Iterable[Any]) -> None:
    for problem in errors:
        click.echo(str(problem), err=True)


def _guard(fn: Callable[[], int]) -> None:
    """Run ``fn``; turn input errors into file:line messages and exit code 2."""
    from audit.errors import SiteError

    try:
        code = fn()
    except SiteError as exc:
        _report_errors(exc.problems)
        sys.exit(EXIT_INPUT)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="siteaudit")
def main() -> None:
    """Audit the physical security of guarded facilities described in YAML site files."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check that site FILES are well formed; print one OK line per good file."""

    def run() -> int:
        from audit.errors import SiteError
        from audit.load import load_site

        code = EXIT_OK
        for path in files:
            try:
                site = load_site(path)
            except SiteError as exc:
                _report_errors(exc.problems)
                code = EXIT_INPUT
                continue
            n = len(site.elements())
            click.echo(f"{path}: OK ({site.site.id}, {n} elements)")
        return code

    _guard(run)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "dot", "graphml"]),
    default="json",
    show_default=True,
    help="json is networkx node-link data.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (atomically).")
def graph(file: str, fmt: str, output: str | None) -> None:
    """Export the access graph of a site FILE."""

    def run() -> int:
        from audit import graph as g
        from audit.load import load_site
        from audit.output import write_output

        access = g.build_graph(load_site(file))
        render = {"json": g.to_json, "dot": g.to_dot, "graphml": g.to_graphml}[fmt]
        write_output(render(access), output)
        return EXIT_OK

    _guard(run)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (atomically).")
def schema(output: str | None) -> None:
    """Print the JSON Schema of site files (for yaml-language-server in editors)."""
    from audit.output import write_output
    from audit.schema import dumps, site_schema

    write_output(dumps(site_schema()), output)
