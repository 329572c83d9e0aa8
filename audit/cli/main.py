"""The ``siteaudit`` command: a thin layer over the library.

The group is here; each command lives in the module of its concept (``site``: validate,
schema, init; ``check``; ``rules``: rules, explain; ``review``: diff; ``analysis``:
graph, paths, improve; ``geometry``; ``history``; ``survey``). Heavy modules (pydantic,
networkx) are imported inside the commands so that ``siteaudit --version`` and ``--help``
start instantly.
"""

from __future__ import annotations

import gc

import click

from audit import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="siteaudit")
def main() -> None:
    """Audit the physical security of guarded facilities described in YAML site files."""
    # A site is loaded once and lives to the end, so the collector's default (a pass every
    # 700 allocations, each over every object alive) spent a quarter of a 10,000-zone check
    # re-scanning it; collect rarely instead, as mypy does (its tune_gc).
    gc.set_threshold(200_000, 30, 30)


def _register() -> None:
    from audit.cli.analysis import graph, improve, paths
    from audit.cli.check import check
    from audit.cli.geometry import geometry, plan
    from audit.cli.history import history
    from audit.cli.review import diff
    from audit.cli.rules import explain, rules
    from audit.cli.site import init, schema, validate
    from audit.cli.survey import survey

    for command in (validate, schema, check, rules, explain, diff, init):
        main.add_command(command)
    for command in (graph, paths, improve, geometry, plan, history, survey):
        main.add_command(command)


_register()
