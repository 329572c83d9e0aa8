"""Options shared by the commands, and what they mean: one meaning everywhere.

Time (``--at``), dates, severities, rule selection with shell completion of
rule ids, colour (``--color``, ``NO_COLOR``, ``FORCE_COLOR``), quiet, and
output files with their one-line summary on stderr.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from audit.findings import SEVERITIES


def split(values: tuple[str, ...]) -> list[str]:
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def moment(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from audit.site.schedule import parse_at

    if value is not None:
        try:
            parse_at(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


def date(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


class Number(click.ParamType):
    """A number option validated as every number from outside is (``audit.common.numbers``):
    finite, in range, and the message says the unit."""

    name = "number"

    def __init__(self, rng: Any) -> None:
        self.rng = rng

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "INTEGER" if self.rng.integer else "NUMBER"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from audit.common.numbers import parse

        if isinstance(value, int | float) and not isinstance(value, bool):
            problem = self.rng.problem(value)
            if problem is None:
                return value
            self.fail(problem, param, ctx)
        try:
            return parse(str(value), self.rng)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def fail_on_option(default: str | None, help_text: str) -> Callable:
    """--fail-on, shared by check (default from the config file) and diff."""
    return click.option(
        "--fail-on",
        type=click.Choice(SEVERITIES),
        default=default,
        show_default=default is not None,
        help=help_text,
    )


def selection_options(fn: Callable) -> Callable:
    """--select and --ignore, shared by the commands that run rules."""
    fn = click.option(
        "--ignore",
        multiple=True,
        shell_complete=rule_names,
        help="Skip these rule ids or categories (wildcards).",
    )(fn)
    return click.option(
        "--select",
        multiple=True,
        shell_complete=rule_names,
        help="Only these rule ids or categories (wildcards).",
    )(fn)


def reports(values: tuple[str, ...]) -> list[tuple[str, str]]:
    from audit.report import FORMATS

    out = []
    for v in values:
        fmt, sep, path = v.partition("=")
        if not sep or not path or fmt not in FORMATS:
            raise click.BadParameter(
                f"expected FORMAT=FILE with FORMAT one of {', '.join(FORMATS)}, got {v!r}",
                param_hint="--report",
            )
        out.append((fmt, path))
    return out


def deprecated(old: str, new: str) -> None:
    """The one-line notice on stderr that an old spelling was used (it still works)."""
    click.echo(f"siteaudit: warning: {old} is deprecated: use {new}", err=True)


def rule_options(fn: Callable) -> Callable:
    """Options shared by every command that loads checklists. ``--no-baseline``, the old
    spelling of ``--no-builtin``, still works (hidden; a notice on stderr): the command
    sees only ``no_builtin``."""

    @functools.wraps(fn)
    def command(*args: Any, no_baseline: bool, **kwargs: Any) -> Any:
        if no_baseline:
            deprecated("--no-baseline", "--no-builtin")
            kwargs["no_builtin"] = True
        return fn(*args, **kwargs)

    command = click.option(
        "--checklist",
        "checklists",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="An extra checklist file (repeatable).",
    )(command)
    command = click.option(
        "--no-builtin", is_flag=True, help="Do not load the built-in checklist."
    )(command)
    return click.option("--no-baseline", "no_baseline", is_flag=True, hidden=True)(command)


def load_rules(checklists: tuple[str, ...], no_builtin: bool) -> list[Any]:
    from audit.rules.checklist import load_rules, renamed

    for path in checklists:
        new = renamed(path)
        if new is not None:  # the shipped checklist by its old name: said as the user spelt it
            from pathlib import Path

            from audit.common.escape import printable

            deprecated(printable(path), printable(str(Path(path).with_name(new.name))))
    rules = load_rules(list(checklists), builtin=not no_builtin)
    if not rules:
        raise click.UsageError("no rules loaded: give --checklist or drop --no-builtin")
    return rules


def active_rules(
    checklists: tuple[str, ...], no_builtin: bool, select: list[str], ignore: list[str]
) -> tuple[list[Any], list[Any]]:
    """(every rule loaded, the rules selected); a pattern matching nothing is a usage error."""
    from audit.rules.checklist import select_rules

    known = load_rules(checklists, no_builtin)
    check_patterns(known, select, "--select")
    check_patterns(known, ignore, "--ignore")
    chosen = select_rules(known, select, ignore)
    if select:
        warn_unselected(known, chosen)
    return known, chosen


def warn_unselected(known: list[Any], chosen: list[Any]) -> None:
    """A checklist added and then left out whole by ``select`` is a slip, not a choice: say
    so on stderr (the run goes on)."""
    from audit.common.escape import printable

    kept = {r.file for r in chosen}
    for path in sorted({r.file for r in known} - kept):
        ids = sorted(r.id for r in known if r.file == path)
        if path.endswith(("builtin.yaml", "baseline.yaml")) and ids[0].startswith("SA-"):
            continue  # the built-in checklist: leaving it out by select is a choice
        prefix = ids[0].split("-")[0]
        click.echo(
            f"siteaudit: warning: select leaves out all {len(ids)} rule(s) of "
            f"{printable(path)}; add {prefix}-* to select to run them",
            err=True,
        )


def configured(
    cfg: Any,
    checklists: tuple[str, ...],
    no_builtin: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    **flags: Any,
) -> tuple[dict[str, Any], tuple[list[Any], list[Any]]]:
    """The options in force (the config file under the flags given) and the rules they load:
    (options, (every rule loaded, the rules selected))."""
    from audit.app.config import merged

    opts = merged(cfg, checklists=checklists, select=split(select), ignore=split(ignore), **flags)
    use_builtin = cfg.builtin and not no_builtin
    loaded = active_rules(
        tuple(opts["checklists"]), not use_builtin, opts["select"], opts["ignore"]
    )
    return opts, loaded


def check_patterns(rules: list[Any], patterns: list[str], option: str) -> None:
    from fnmatch import fnmatchcase

    from audit.common.errors import did_you_mean

    names = {r.id for r in rules} | {r.spec.category for r in rules}
    for p in patterns:
        if not any(fnmatchcase(n, p) for n in names):
            raise click.BadParameter(
                f"{p!r} matches no rule id or category{did_you_mean(p, names)}",
                param_hint=option,
            )


def rule_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion: the built-in rule ids and categories starting with ``incomplete``."""
    from click.shell_completion import CompletionItem

    try:
        from audit.rules.checklist import load_rules as load

        rules = load([], builtin=True)
    except Exception:  # completion must never print a traceback into the shell
        return []
    names = sorted({r.id for r in rules} | {r.spec.category for r in rules})
    low = incomplete.lower()
    return [CompletionItem(n) for n in names if n.lower().startswith(low)]


def color_option(fn: Callable) -> Callable:
    return click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour in text output; auto follows NO_COLOR, FORCE_COLOR and the terminal.",
    )(fn)


def use_color(choice: str, stream: Any = None) -> bool:
    """``--color`` first; then NO_COLOR (any value) and FORCE_COLOR; then whether it is a TTY."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def format_option(*choices: str, help_text: str | None = None) -> Callable:
    """``--format`` with these choices, the first the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help_text,
    )


def quiet_option(help_text: str = "Print nothing but errors.") -> Callable:
    return click.option("-q", "--quiet", is_flag=True, help=help_text)


def output_option(fn: Callable) -> Callable:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False),
        help="Write here (atomically) and print a one-line summary on stderr.",
    )(fn)


def wrote(path: str | None, summary: str, quiet: bool) -> None:
    """After writing a file: one line on stderr saying what is in it (not with -q or stdout)."""
    if path is None or path == "-" or quiet:
        return
    from audit.common.escape import printable

    click.echo(f"wrote {printable(path)}: {summary}", err=True)


def config_options(fn: Callable) -> Callable:
    """--config and --no-config, and folder discovery (--include, --exclude)."""
    fn = click.option(
        "--exclude", multiple=True, help="Skip files in folders that match (.gitignore rules)."
    )(fn)
    fn = click.option(
        "--include",
        multiple=True,
        help='Audit files in folders that match (.gitignore rules; default "**/*.yaml").',
    )(fn)
    fn = click.option("--no-config", is_flag=True, help="Ignore siteaudit.toml / pyproject.toml.")(
        fn
    )
    return click.option(
        "--config", "config_path", type=click.Path(dir_okay=False), help="Config file."
    )(fn)


def load_cfg(config_path: str | None, no_config: bool) -> Any:
    """The config in force: none, the file named, or the nearest one upwards."""
    from pathlib import Path

    from audit.app.config import Config, find_config, load_config

    if no_config:
        return Config()
    cfg = load_config(Path(config_path) if config_path else find_config())
    for note in cfg.notes:
        click.echo(note, err=True)
    return cfg


def counts(findings: list[Any]) -> str:
    """'23 findings (5 critical, 16 high, ...), 4 facts to survey', for one-line summaries."""
    from audit.findings import summarize

    return counts_of(summarize(findings))


def counts_of(s: dict[str, Any]) -> str:
    """``counts`` of a summary (``findings.summarize``, or the sum of several)."""
    parts = [f"{n} {sev}" for sev, n in s["by_severity"].items() if n]
    if s["waived"]:
        parts.append(f"{s['waived']} waived")
    n = s["data_gaps"]
    gaps = f", {n} {'fact' if n == 1 else 'facts'} to survey" if n else ""
    return f"{s['total']} findings" + (f" ({', '.join(parts)})" if parts else "") + gaps
