"""``siteaudit plan export`` and ``plan import``: the site's geometry as GeoJSON, and back.

Registered on the ``siteaudit`` group by ``audit.cli.main``; a thin layer over
``audit.geometry.geojson``.
"""

from __future__ import annotations

from typing import Any

import click

from audit.app.contract import EXIT_OK, guard
from audit.cli import options as opt


@click.group()
def plan() -> None:
    """The site's plan as GeoJSON (open it in QGIS or any GeoJSON viewer), and back."""


@plan.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@opt.output_option
@opt.quiet_option()
def export_plan(file: str, output: str | None, quiet: bool) -> None:
    """Write the geometry of site FILE as a GeoJSON FeatureCollection: zone and building
    outlines, wall courses, gates and cameras, each with its fields as properties."""

    def run() -> int:
        import json

        from audit.common.files import check_outputs, protect, write_output
        from audit.geometry.geojson import export
        from audit.site.load import site_from_document
        from audit.site.source import read_document

        protect([file])
        check_outputs([output])
        doc = read_document(file)
        site_from_document(doc)  # a plan is only exported from a valid site file
        collection = export(doc.data)
        text = json.dumps(collection, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        write_output(text, output)
        opt.wrote(output, f"{len(collection['features'])} feature(s)", quiet)
        return EXIT_OK

    guard(run)


@plan.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@opt.output_option
@opt.quiet_option()
def import_plan(file: str, output: str | None, quiet: bool) -> None:
    """Write a site file (YAML) from a GeoJSON FeatureCollection whose features carry a
    ``section`` (zones, buildings, walls, gates, cameras) and the element's fields; fill in
    what a plan cannot say, then run ``siteaudit check`` on it."""

    def run() -> int:
        import yaml

        from audit.common.errors import Problem, SiteError
        from audit.common.files import check_outputs, protect, write_output
        from audit.common.jsonfile import read_json
        from audit.geometry.geojson import import_features

        protect([file])
        check_outputs([output])
        collection = read_json(file, what="GeoJSON file")
        try:
            data = import_features(collection)
        except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
            raise SiteError([Problem(file, 1, 1, str(exc))]) from None
        text = f"# site file from the plan {file} (siteaudit plan import)\n" + yaml.dump(
            data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100
        )
        write_output(text, output)
        count = sum(len(v) for v in data.values() if isinstance(v, list))
        opt.wrote(output, f"{count} element(s)", quiet)
        return EXIT_OK

    guard(run)


def _flow_numbers(dumper: Any, items: list) -> Any:
    """A point ([x, y]) on one line; other lists as blocks."""
    flow = all(isinstance(v, int | float) and not isinstance(v, bool) for v in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow or None)


def _dumper() -> type:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(list, _flow_numbers)
    return Dumper
