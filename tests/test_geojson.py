"""GeoJSON in and out as RFC 7946 and GDAL read it: coordinate systems, ring orientation,
multi-part geometries, properties a site file does not know, and degrees mistaken for
metres (and back)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess

import pytest
import yaml
from conftest import run_cli
from hypothesis import given
from hypothesis import strategies as st

from audit.geometry.rings import counter_clockwise, signed_area

LOCAL = """\
site: {id: p, name: Planned}
zones:
  - {id: road, kind: public, outline: [[-60, 30], [60, 30], [60, 10], [-60, 10]]}
  - {id: yard, kind: compound, outline: [[-60, -40], [60, -40], [60, 10], [-60, 10]]}
walls:
  - {id: front, between: [road, yard], height_m: 2.4, course: [[-60, 10], [60, 10]]}
gates:
  - {id: g, kind: pedestrian_gate, between: [road, yard], point: [0, 10]}
buildings:
  - {id: block, footprint: [[-20, -10], [20, -10], [20, -30], [-20, -30]], height_m: 9}
"""
"""A plan on a local grid whose road and building outlines run clockwise."""

LONLAT = """\
site: {id: ll, name: Lon-lat, crs: "EPSG:4326"}
zones:
  - {id: road, kind: public, outline: [[67.03, 24.8503], [67.031, 24.8503], [67.031, 24.85], [67.03, 24.85]]}
  - {id: yard, kind: compound}
walls:
  - {id: w, between: [road, yard], height_m: 2.4, course: [[67.03, 24.85], [67.031, 24.85]]}
gates:
  - {id: g, kind: pedestrian_gate, between: [road, yard], point: [67.0305, 24.85]}
"""  # noqa: E501


def _export(tmp_path, text, *args):
    site = tmp_path / "site.yaml"
    site.write_text(text, encoding="utf-8")
    out = tmp_path / "plan.geojson"
    result = run_cli("geometry", "export", str(site), "-o", str(out), *args)
    return result, out


def _import(tmp_path, collection, name="in.geojson"):
    src = tmp_path / name
    src.write_text(
        collection if isinstance(collection, str) else json.dumps(collection, indent=1),
        encoding="utf-8",
    )
    out = tmp_path / (name + ".yaml")
    result = run_cli("geometry", "import", str(src), "-o", str(out))
    data = yaml.safe_load(out.read_text(encoding="utf-8")) if out.exists() else None
    return result, data, src, out


@given(
    st.lists(
        st.tuples(st.integers(-1000, 1000), st.integers(-1000, 1000)),
        min_size=3,
        max_size=12,
        unique=True,
    )
)
def test_rings_come_out_counter_clockwise_with_the_same_points(points):
    pts = [list(map(float, p)) for p in points]
    ring = counter_clockwise(pts)
    assert signed_area(ring) >= 0
    assert ring in (pts, pts[::-1])


def test_a_lonlat_site_exports_rfc_7946(tmp_path):
    """No crs member, longitude first, exterior rings counter-clockwise and closed."""
    result, out = _export(tmp_path, LONLAT)
    assert result.returncode == 0, result.stderr
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert "crs" not in collection
    placed = run_cli("geometry", "export", str(tmp_path / "site.yaml"), "--origin", "67,24")
    assert placed.returncode == 2 and 'in "EPSG:4326" already' in placed.stderr
    road = next(f for f in collection["features"] if f["id"] == "road")
    ring = road["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and signed_area(ring) > 0
    assert sorted(map(tuple, ring[:-1])) == sorted(
        [(67.03, 24.8503), (67.031, 24.8503), (67.031, 24.85), (67.03, 24.85)]
    )


def test_a_local_grid_is_refused_without_an_origin(tmp_path):
    result, out = _export(tmp_path, LOCAL)
    assert result.returncode == 2 and not out.exists()
    assert f"{tmp_path / 'site.yaml'}:1:" in result.stderr
    assert "local grid" in result.stderr and "--origin LON,LAT" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_local_grid_with_an_origin_is_written_in_lonlat(tmp_path):
    """The grid's 0,0 lands on the origin; 60 m east is 60 / (111,320 cos 24.85) degrees."""
    result, out = _export(tmp_path, LOCAL, "--origin", "67.03,24.85")
    assert result.returncode == 0, result.stderr
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert "crs" not in collection and collection["siteaudit"]["site"]["crs"] == "EPSG:4326"
    wall = next(f for f in collection["features"] if f["id"] == "front")
    (lon0, lat0), (lon1, lat1) = wall["geometry"]["coordinates"]
    gate = next(f for f in collection["features"] if f["id"] == "g")
    assert gate["geometry"]["coordinates"][0] == pytest.approx(67.03, abs=1e-7)
    degrees = 120 / (111_320 * math.cos(math.radians(24.85)))
    assert lon1 - lon0 == pytest.approx(degrees, rel=0.005)
    for f in collection["features"]:
        if f["geometry"]["type"] == "Polygon":
            assert signed_area(f["geometry"]["coordinates"][0]) > 0
    bad = run_cli("geometry", "export", str(tmp_path / "site.yaml"), "--origin", "67.03")
    assert bad.returncode == 2 and "LON,LAT" in bad.stderr


def _gdal(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True)


@pytest.mark.parametrize(
    ("text", "args", "srs"),
    [
        (LONLAT, (), "WGS 84"),
        (LOCAL, ("--origin", "67.03,24.85"), "WGS 84"),
        (LOCAL.replace("name: Planned}", 'name: Planned, crs: "EPSG:32642"}'), (), "UTM zone 42N"),
    ],
    ids=["lonlat", "local-with-origin", "utm"],
)
def test_gdal_reads_and_reprojects_every_export(tmp_path, text, args, srs):
    """ogrinfo names the right coordinate system; ogr2ogr -t_srs EPSG:3857 reprojects every
    feature (the gate of the lon-lat site lands at x = 6,378,137 x its longitude in
    radians, the Web Mercator formula)."""
    if shutil.which("ogrinfo") is None or shutil.which("ogr2ogr") is None:
        pytest.skip("GDAL's ogrinfo and ogr2ogr are not installed (.ci/run installs gdal-bin)")
    result, out = _export(tmp_path, text, *args)
    assert result.returncode == 0, result.stderr
    count = len(json.loads(out.read_text(encoding="utf-8"))["features"])
    info = _gdal("ogrinfo", "-ro", "-al", "-so", str(out))
    assert info.returncode == 0, info.stderr
    assert srs in info.stdout and f"Feature Count: {count}" in info.stdout
    mercator = tmp_path / "3857.geojson"
    done = _gdal("ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:3857", str(mercator), str(out))
    assert done.returncode == 0, done.stderr
    moved = json.loads(mercator.read_text(encoding="utf-8"))
    assert len(moved["features"]) == count
    assert "3857" in moved["crs"]["properties"]["name"]
    if text is LONLAT:
        gate = next(f for f in moved["features"] if f["id"] == "g")
        x = gate["geometry"]["coordinates"][0]
        assert x == pytest.approx(6_378_137 * math.radians(67.0305), abs=0.01)
    # and back: GDAL's crs member wins over the siteaudit member it copied along
    result, data, _, _ = _import(tmp_path, mercator.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert data["site"]["crs"] == "EPSG:3857"
    ids = {
        el["id"]
        for section in ("zones", "walls", "gates", "buildings")
        for el in data.get(section, [])
    }
    assert ids == {f["id"] for f in moved["features"]}


def test_import_keeps_a_crs_member_and_the_siteaudit_site(tmp_path):
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32642"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"section": "walls", "id": "w", "between": ["a", "b"]},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[500000, 2750000, 12], [500090, 2750000, 12]],
                },  # noqa: E501
            }
        ],
    }
    result, data, _, _ = _import(tmp_path, collection)
    assert result.returncode == 0, result.stderr
    assert data["site"]["crs"] == "EPSG:32642"
    assert data["walls"] == [
        {"id": "w", "between": ["a", "b"], "course": [[500000.0, 2750000.0], [500090.0, 2750000.0]]}
    ]


OSM_LIKE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "way/180464603",
            "properties": {"osm_way_id": "180464603", "amenity": "school", "name": "Helilän koulu"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[26.9306, 60.5201], [26.9332, 60.5207], [26.9319, 60.5219], [26.9306, 60.5201]]
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"building": "school", "osm_way_id": "1", "height": None},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [
                        [
                            [26.9310, 60.5205],
                            [26.9312, 60.5205],
                            [26.9312, 60.5206],
                            [26.9310, 60.5205],
                        ]
                    ],
                    [
                        [
                            [26.9314, 60.5205],
                            [26.9316, 60.5205],
                            [26.9316, 60.5206],
                            [26.9314, 60.5205],
                        ]
                    ],
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"barrier": "gate"},
            "geometry": {"type": "Point", "coordinates": [26.9319, 60.5219]},
        },
    ],
}


def test_import_of_map_data_reads_lonlat_and_keeps_unknown_properties_out(tmp_path):
    """No crs and no siteaudit member: RFC 7946 longitude and latitude. A MultiPolygon
    building becomes one building per part; OpenStreetMap's tags stay out of the elements
    (named in their notes) and nulls are dropped, so the fields that remain validate."""
    result, data, _, out = _import(tmp_path, OSM_LIKE)
    assert result.returncode == 0, result.stderr
    assert data["site"]["crs"] == "EPSG:4326"
    (zone,) = data["zones"]
    assert zone["id"] == "way/180464603" or zone["id"].startswith("way")
    assert set(zone) == {"id", "name", "notes", "outline"}
    assert "amenity=school" in zone["notes"] and "osm_way_id=180464603" in zone["notes"]
    assert [b["id"] for b in data["buildings"]] == ["building-2-1", "building-2-2"]
    assert all("height" not in b and "building=school" in b["notes"] for b in data["buildings"])
    assert data["gates"][0]["point"] == [26.9319, 60.5219]
    assert "osm_way_id" not in out.read_text(encoding="utf-8").split("notes")[0]


def test_a_zone_in_several_parts_is_a_clear_error(tmp_path):
    multi = json.loads(json.dumps(OSM_LIKE))
    multi["features"][1]["properties"] = {"section": "zones", "kind": "compound"}
    result, data, src, _ = _import(tmp_path, multi)
    assert result.returncode == 2 and data is None
    line = next(
        i for i, t in enumerate(src.read_text().splitlines(), 1) if '"type": "Feature"' in t
    )
    lines = [i for i, t in enumerate(src.read_text().splitlines(), 1) if t == "  {"]
    assert f"{src}:{lines[1]}:" in result.stderr and line <= lines[1]
    assert "feature 2 (zones): a MultiPolygon of 2 parts" in result.stderr


def test_metres_in_a_collection_without_crs_are_an_error_with_the_line(tmp_path):
    """The issue's trap: a plan drawn in metres, with no siteaudit member, was silently
    taken as metres; RFC 7946 says it is longitude and latitude, and 612 is not one."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"section": "gates"},
                "geometry": {"type": "Point", "coordinates": [10, 20]},
            },
            {
                "type": "Feature",
                "properties": {"section": "walls"},
                "geometry": {"type": "LineString", "coordinates": [[0, 0], [612, 30]]},
            },
        ],
    }
    result, data, src, _ = _import(tmp_path, collection)
    assert result.returncode == 2 and data is None
    second = [i for i, t in enumerate(src.read_text().splitlines(), 1) if t == "  {"][1]
    assert f"{src}:{second}:1: error: feature 2 (walls)" not in result.stderr
    assert f"{src}:{second}:1: error: feature 2: [612, 30] is not a longitude" in result.stderr
    # within range but 60 degrees across: metres all the same
    collection["features"][1]["geometry"]["coordinates"] = [[0, 0], [60, 30]]
    result, data, src, _ = _import(tmp_path, collection, "wide.geojson")
    assert result.returncode == 2 and "spans 60.0 degrees" in result.stderr


def test_lonlat_on_a_local_grid_is_an_error(tmp_path):
    collection = {
        "type": "FeatureCollection",
        "siteaudit": {"site": {"id": "s", "name": "S", "crs": "local"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"section": "walls", "id": "w"},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[67.03, 24.85], [67.031, 24.85]],
                },  # noqa: E501
            }
        ],
    }
    result, data, src, _ = _import(tmp_path, collection)
    assert result.returncode == 2 and data is None
    assert "look like longitude and latitude" in result.stderr
    first = src.read_text().splitlines().index("  {") + 1
    assert f"{src}:{first}:1:" in result.stderr


def test_a_crs_member_that_is_not_epsg_is_named(tmp_path):
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "+proj=tmerc"}},
        "features": [],
    }
    result, _, src, _ = _import(tmp_path, collection)
    assert result.returncode == 2 and f"{src}:1:1:" in result.stderr
    assert 'names "+proj=tmerc"; expected an EPSG code' in result.stderr


@given(
    st.lists(st.dictionaries(st.sampled_from(["a", "b", "id"]), st.integers()), max_size=6),
    st.sampled_from([None, 0, 1, 2]),
    st.booleans(),
)
def test_feature_lines_find_each_feature(props, indent, meta_first):
    """However the collection is laid out, each feature's line is the line its ``{`` is on."""
    from audit.geometry.geojson_lines import feature_lines

    features = [{"type": "Feature", "properties": p, "geometry": None} for p in props]
    head = {"siteaudit": {"site": {"id": "x"}}} if meta_first else {}
    text = json.dumps({**head, "type": "FeatureCollection", "features": features}, indent=indent)
    lines = feature_lines(text)
    assert len(lines) == len(features)
    if indent is None:  # all on one line
        assert set(lines) <= {1}
        return
    decoder = json.JSONDecoder()
    for line, feature in zip(lines, features, strict=True):
        start = sum(len(t) + 1 for t in text.splitlines()[: line - 1])
        at = text.index("{", start)
        assert decoder.raw_decode(text, at)[0] == feature


def test_a_small_shed_in_degrees_is_an_area_and_a_line_is_not(tmp_path):
    """2 x 2 m at 60 N is 0.000036 x 0.000018 degrees, 6.5e-10 square degrees: it was taken
    for points in a line (an absolute 1e-9 threshold); OpenStreetMap has such sheds."""
    shed = [[24.9, 60.2], [24.900036, 60.2], [24.900036, 60.200018], [24.9, 60.200018]]
    text = (
        'site: {id: s, name: S, crs: "EPSG:4326"}\nzones: [{id: road, kind: public}]\n'
        f"buildings: [{{id: shed, footprint: {shed}}}]\n"
    )
    site = tmp_path / "shed.yaml"
    site.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(site))
    assert result.returncode == 0, result.stderr
    line = [[24.9, 60.2], [24.90001, 60.20001], [24.90002, 60.20002]]
    site.write_text(text.replace(str(shed), str(line)), encoding="utf-8")
    result = run_cli("validate", str(site))
    assert result.returncode == 2 and "encloses no area" in result.stderr
