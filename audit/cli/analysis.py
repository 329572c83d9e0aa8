"""The commands of the path analysis and upgrade planning: ``graph``, ``paths``, ``improve``.

Registered on the ``siteaudit`` group by ``audit.cli.main``; like it, a thin layer:
heavy modules are imported inside the commands.
"""

from __future__ import annotations

from typing import Any

import click

from audit.app.contract import EXIT_FINDINGS, EXIT_OK, guard
from audit.cli import options as opt
from audit.common.numbers import Range
from audit.upgrade import KINDS as UPGRADE_KINDS


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@opt.format_option("json", "dot", "graphml", help_text="json is networkx node-link data.")
@click.option(
    "--at",
    callback=opt.moment,
    help='Add the EASI inputs (p_detect, delays, response) of one moment: "fri 19:00", '
    'or "19:00" for the worst day at that time.',
)
@click.option(
    "--threat",
    "threat_id",
    help="With --at: the inputs as this declared threat meets them (its tactic, tools, keys).",
)
@opt.output_option
@opt.quiet_option()
def graph(
    file: str, fmt: str, at: str | None, threat_id: str | None, output: str | None, quiet: bool
) -> None:
    """Export the access graph of a site FILE (- reads standard input)."""

    def run() -> int:
        from audit.common.files import check_outputs, protect, write_output
        from audit.graph import access as g
        from audit.site.load import load_site

        protect([file])
        check_outputs([output])
        if threat_id is not None and at is None:
            raise click.UsageError("--threat needs --at: the inputs are those of one moment")
        site = load_site(file)
        threat = _threat(site, threat_id) if threat_id is not None else None
        access = g.build_graph(site)
        if at is not None:
            from audit.analysis.export import annotate_graph

            annotate_graph(access, site, at, threat)
        render = {"json": g.to_json, "dot": g.to_dot, "graphml": g.to_graphml}[fmt]
        write_output(render(access), output)
        opt.wrote(
            output,
            f"{access.number_of_nodes()} zones, {access.number_of_edges()} crossings",
            quiet,
        )
        return EXIT_OK

    guard(run)


def _threat(site: Any, threat_id: str) -> Any:
    from audit.site.threats import find

    try:
        return find(site, threat_id)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--threat") from None


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--asset", "asset_id", help="Only this asset.")
@click.option(
    "--at",
    callback=opt.moment,
    help='One moment: "fri 19:00", or "19:00" for the worst day at that time.',
)
@click.option(
    "--threat",
    "threat_id",
    help="Only this declared threat (default: every threat the site declares, worst first).",
)
@opt.format_option("text", "json")
@click.option(
    "--fail-on",
    type=click.Choice(["goal", "never"]),
    default="goal",
    show_default=True,
    help="goal: exit 1 when any asset's worst P(I) is below the site's goal.",
)
@opt.output_option
@opt.quiet_option()
def paths(
    file: str,
    asset_id: str | None,
    at: str | None,
    threat_id: str | None,
    fmt: str,
    fail_on: str,
    output: str | None,
    quiet: bool,
) -> None:
    """The most vulnerable adversary path to each asset, with its EASI P(I) by the hour, and
    P(E) = P(I) x P(N) against each threat the site declares.

    FILE may be - for standard input.
    """

    def run() -> int:
        from audit.analysis.paths import analyse
        from audit.common.errors import did_you_mean
        from audit.common.files import check_outputs, protect, write_output
        from audit.report.views.path_report import render_json, render_text
        from audit.site.load import load_site

        protect([file])
        check_outputs([output])
        site = load_site(file)
        ids = [a.id for a in site.assets]
        if asset_id is not None and asset_id not in ids:
            raise click.BadParameter(
                f"no asset {asset_id!r} in {file}{did_you_mean(asset_id, ids)}",
                param_hint="--asset",
            )
        from audit.analysis.effectiveness import assess
        from audit.site.threats import declared

        known = [t.id for t in declared(site)]
        if threat_id is not None:
            _threat(site, threat_id)
        result = analyse(site, at=at, asset_id=asset_id)
        threats = assess(site, at=at, asset_id=asset_id, threat_id=threat_id) if known else None
        if not (quiet and output is None):
            render = render_json if fmt == "json" else render_text
            write_output(render(result, threats), output)
        if threats is not None:
            below: list[object] = [
                (t.threat, a.asset)
                for t in threats
                for a in t.assets
                if a.exposed and a.p_effectiveness < a.goal
            ]
            summary = f"{len(below)} asset-threat pair(s) below their P(E) goal"
        else:
            below = [a for a in result.assets if a.p_interruption < result.goal]
            summary = f"{len(below)} below the goal P(I) {result.goal:g}"
        opt.wrote(output, f"{len(result.assets)} asset(s), {summary}", quiet)
        return EXIT_FINDINGS if below and fail_on == "goal" else EXIT_OK

    guard(run)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--budget",
    type=opt.Number(Range("per year, in the costs' currency", 0, 1e12)),
    help="Most the plan may cost a year.",
)
@click.option(
    "--goal",
    type=opt.Number(Range("probability", 0, 1)),
    help="One goal for every asset (default: each asset's P(E) goal, or the site's P(I) goal).",
)
@click.option("--threat", "threat_id", help="Judge only this declared threat.")
@click.option(
    "--costs",
    "costs_file",
    type=click.Path(dir_okay=False),
    help="Your own unit costs (YAML in the format of audit/data/upgrades.yaml).",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(UPGRADE_KINDS),
    help="Consider only upgrades of this kind (repeatable).",
)
@click.option(
    "--max-evaluations",
    type=opt.Number(Range("site versions", 1, 1_000_000, integer=True)),
    default=100,
    show_default=True,
    help="Versions of the site the exact search may analyse before it turns greedy.",
)
@click.option(
    "--write-plan",
    type=click.Path(dir_okay=False),
    help="Write the upgraded site file here: only the changed values are rewritten; every "
    "comment and the key order of the original are kept.",
)
@opt.fail_on_option(
    None, "Close every finding at or above this severity too (default: high, or the config's)."
)
@click.option(
    "--goals-only", is_flag=True, help="Plan for the P(E) (or P(I)) goals only, not findings."
)
@click.option(
    "--today", callback=opt.date, help="Date for waiver expiry (default: today), as in check."
)
@opt.rule_options
@opt.selection_options
@opt.format_option("text", "json", "markdown", "html")
@opt.output_option
@opt.quiet_option()
def improve(
    file: str,
    budget: float | None,
    goal: float | None,
    threat_id: str | None,
    costs_file: str | None,
    kinds: tuple[str, ...],
    max_evaluations: int,
    write_plan: str | None,
    fail_on: str | None,
    goals_only: bool,
    today: Any,
    checklists: tuple[str, ...],
    no_builtin: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fmt: str,
    output: str | None,
    quiet: bool,
) -> None:
    """The cheapest upgrades that lift every asset of FILE to its goal and close its findings
    at or above --fail-on (with the fixes the rules name), in the order to make them, with their
    cost and P(E) (or P(I)) before and after. Exit 1 when the plan leaves a goal unmet or such a
    finding open."""

    def run() -> int:
        from audit.common.escape import printable
        from audit.common.files import check_outputs, protect, read_bytes, write_output
        from audit.report.views.improve import (
            render_html,
            render_json,
            render_markdown,
            render_text,
        )
        from audit.site.load import site_from_document
        from audit.site.source import parse_document
        from audit.upgrade.candidates import load_costs
        from audit.upgrade.plan import improve as plan_upgrades

        protect([file, *([costs_file] if costs_file else [])])
        check_outputs([output, write_plan])
        raw = read_bytes(file, what="site file")
        doc = parse_document(raw, "<stdin>" if file == "-" else file)
        site = site_from_document(doc)
        if threat_id is not None:
            _threat(site, threat_id)
        costs = load_costs(costs_file)
        rules, threshold = None, None
        if not goals_only:
            cfg = opt.load_cfg(None, False)
            opts, (_, rules) = opt.configured(
                cfg, checklists, no_builtin, select, ignore, fail_on=fail_on
            )
            threshold = opts["fail_on"]
        plan = plan_upgrades(
            doc,
            costs=costs,
            budget=budget,
            goal=goal,
            threat_id=threat_id,
            max_evaluations=max_evaluations,
            kinds=set(kinds) or None,
            rules=rules,
            fail_on=threshold,
            today=today,
        )
        if write_plan is not None:
            write_output(plan.site_file(file, raw.decode("utf-8-sig")), write_plan)
        render = {"json": render_json, "markdown": render_markdown, "html": render_html}.get(
            fmt, render_text
        )
        if not (quiet and output is None):
            write_output(render(plan), output)
        opt.wrote(
            output,
            f"{len(plan.steps)} upgrade(s), {plan.cost:,.0f} {printable(plan.currency)} a year, "
            + ("every goal met" if plan.goal_met else "goals not met")
            + (f", {len(plan.open_findings)} finding(s) left open" if plan.open_findings else ""),
            quiet,
        )
        return EXIT_OK if plan.done else EXIT_FINDINGS

    guard(run)
