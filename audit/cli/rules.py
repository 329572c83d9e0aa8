"""``siteaudit rules`` and ``explain``: the rules of the active checklists, listed, or one
in full.

Registered on the ``siteaudit`` group by ``audit.cli.main``.
"""

from __future__ import annotations

import click

from audit.app.contract import EXIT_OK, guard
from audit.cli import options as opt


@click.command()
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


@click.command()
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
