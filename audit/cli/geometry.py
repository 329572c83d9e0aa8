"""``siteaudit geometry export`` and ``geometry import``: the site's geometry as GeoJSON,
and back.

Registered on the ``siteaudit`` group by ``audit.cli.main``; a thin layer over
``audit.geometry.geojson``. ``siteaudit plan``, its name in 0.1.0, still works as a
hidden alias with a notice on stderr: "plan" is the upgrade plan (``check --plan``,
``improve --write-plan``).
"""

from __future__ import annotations

from typing import Any

import click

from audit.app.contract import EXIT_OK, guard
from audit.cli import options as opt


@click.group()
def geometry() -> None:
    """The site's geometry as GeoJSON (open it in QGIS or any GeoJSON viewer), and back."""


@click.group(hidden=True)
def plan() -> None:
    """The old name of siteaudit geometry (deprecated)."""
    opt.deprecated("siteaudit plan", "siteaudit geometry")


@geometry.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--origin",
    metavar="LON,LAT",
    callback=lambda ctx, param, value: _lonlat(value),
    help="For a plan on a local grid: the longitude and latitude of its 0,0 (the file is "
    "then written in EPSG:4326, as RFC 7946 asks).",
)
@opt.output_option
@opt.quiet_option()
def export_geometry(
    file: str, origin: tuple[float, float] | None, output: str | None, quiet: bool
) -> None:
    """Write the geometry of site FILE as a GeoJSON FeatureCollection: zone and building
    outlines, wall courses, gates and cameras, each with its fields as properties."""

    def run() -> int:
        import json

        from audit.common.errors import SiteError
        from audit.common.files import check_outputs, protect, write_output
        from audit.geometry.geojson import export
        from audit.site.load import site_from_document
        from audit.site.source import read_document

        protect([file])
        check_outputs([output])
        doc = read_document(file)
        site_from_document(doc)  # a plan is only exported from a valid site file
        try:
            collection = export(doc.data, origin)
        except ValueError as exc:
            raise SiteError([doc.problem(("site", "crs"), str(exc))]) from None
        text = json.dumps(collection, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        write_output(text, output)
        opt.wrote(output, f"{len(collection['features'])} feature(s)", quiet)
        return EXIT_OK

    guard(run)


def _lonlat(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        lon, lat = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter(f"expected LON,LAT in degrees, got {value!r}") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise click.BadParameter(
            f"expected a longitude in -180..180 and a latitude in -90..90, got {value!r}"
        )
    return lon, lat


@geometry.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--area",
    metavar="AREA",
    help="For OpenStreetMap data (.osm, .osm.pbf): the site, as way/ID or relation/ID (its "
    "outline) or a box W,S,E,N in degrees.",
)
@opt.output_option
@opt.quiet_option()
def import_geometry(file: str, area: str | None, output: str | None, quiet: bool) -> None:
    """Write a site file (YAML) from a GeoJSON FeatureCollection whose features carry a
    ``section`` (zones, buildings, walls, gates, cameras) and the element's fields, or from
    OpenStreetMap data for one --area; fill in what a plan cannot say, then run
    ``siteaudit check`` on it."""

    def run() -> int:
        import yaml

        from audit.common.files import check_outputs, protect, read_bytes, write_output
        from audit.common.jsonfile import parse_json
        from audit.geometry.osm import is_osm

        protect([file])
        check_outputs([output])
        if is_osm(file) or area is not None:
            data, header = osm_site(file, area)
            text = header + yaml.dump(
                data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100
            )
            write_output(text, output)
            count = sum(len(v) for v in data.values() if isinstance(v, list))
            opt.wrote(output, f"{count} element(s) from OpenStreetMap", quiet)
            return EXIT_OK
        raw = read_bytes(file, what="GeoJSON file")
        name = "<stdin>" if file == "-" else file
        collection = parse_json(raw, name, what="GeoJSON file")
        data = site_data(name, raw.decode("utf-8-sig"), collection)
        text = f"# site file from the GeoJSON {file} (siteaudit geometry import)\n" + yaml.dump(
            data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100
        )
        write_output(text, output)
        count = sum(len(v) for v in data.values() if isinstance(v, list))
        opt.wrote(output, f"{count} element(s)", quiet)
        return EXIT_OK

    guard(run)


plan.add_command(export_geometry)
plan.add_command(import_geometry)


def osm_site(file: str, area: str | None) -> tuple[dict, str]:
    """A site file's plain data, and the comment that heads it, from OpenStreetMap data for
    ``area``; raises SiteError."""
    import os

    from audit.common.errors import Problem, SiteError
    from audit.geometry.osm import MAX_BYTES, OsmError, is_osm, read_area
    from audit.geometry.osm_site import site_data as osm_data

    def fail(message: str) -> SiteError:
        return SiteError([Problem(file, 1, 1, message)])

    if not is_osm(file):
        raise fail("--area is for OpenStreetMap data (.osm, .osm.pbf); expected such a file")
    if area is None:
        raise fail("name the site in the OpenStreetMap data: --area way/ID, relation/ID or W,S,E,N")
    try:
        size = os.stat(file).st_size
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise fail(f"{size:,} bytes; at most {MAX_BYTES:,}: cut an extract around the site")
    try:
        data = osm_data(read_area(file, area))
    except (OsmError, ValueError) as exc:
        raise fail(str(exc)) from None
    header = (
        f"# site file from OpenStreetMap data {os.path.basename(file)}, area {area}\n"
        "# (map data (c) OpenStreetMap contributors, ODbL: openstreetmap.org/copyright).\n"
        "# Walls with no height and the parts under site.not_surveyed are not in the map:\n"
        "# survey them; `siteaudit check` lists them as facts to survey.\n"
    )
    return data, header


def site_data(file: str, source: str, collection: object) -> dict:
    """A site file's plain data from a parsed FeatureCollection (``source``: its text, for
    the line of a feature at fault); raises SiteError."""
    from audit.common.errors import Problem, SiteError
    from audit.geometry.geojson import FeatureError, import_features
    from audit.geometry.geojson_lines import feature_lines

    try:
        return import_features(collection, section_fields())
    except FeatureError as exc:
        lines = feature_lines(source) if exc.index is not None else []
        line = lines[exc.index] if exc.index is not None and exc.index < len(lines) else 1
        raise SiteError([Problem(file, line, 1, str(exc))]) from None


def section_fields() -> dict[str, frozenset[str]]:
    """The fields a site file knows in each section with a place on the plan."""
    from typing import get_args

    from audit.geometry.geojson import GEOMETRY_FIELD
    from audit.site.model import Site

    out = {}
    for section in GEOMETRY_FIELD:
        (model,) = get_args(Site.model_fields[section].annotation)
        names = {f.alias or name for name, f in model.model_fields.items()}
        out[section] = frozenset(names)
    return out


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
