"""Coverage computed from the plan, checked against hand calculations (shapely 2)."""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.geometry.lighting import SAMPLE_M
from audit.geometry.model import CameraView
from audit.geometry.sight import PlanCoverage
from audit.geometry.viewshed import visible
from audit.geometry.wall_cover import wall_cover
from audit.site.load import site_from_document
from audit.site.source import parse_document

pytest.importorskip("shapely")


def _site(cameras, walls, buildings=(), gates=()):
    data = {
        "site": {"id": "t", "name": "T"},
        "zones": [{"id": "road", "kind": "public"}, {"id": "yard", "kind": "compound"}],
        "walls": list(walls),
        "gates": list(gates),
        "cameras": list(cameras),
        "buildings": list(buildings),
    }
    doc = parse_document(yaml.safe_dump(data).encode(), "plan.yaml")
    return site_from_document(doc)


def _wall(course, wid="w"):
    return {"id": wid, "between": ["road", "yard"], "height_m": 2.4, "course": course}


def _camera(at, heading, fov, px, cid="c", **more):
    view = {"at": at, "heading_deg": heading, "fov_deg": fov, "resolution_px": px, **more}
    return {"id": cid, "covers": ["yard"], "monitored": True, "view": view}


@given(
    d=st.floats(2.0, 40.0),
    fov=st.floats(10.0, 120.0),
)
@settings(max_examples=40, deadline=None)
def test_a_camera_square_to_a_wall_sees_2_d_tan_half_fov(d, fov):
    """A camera d metres from a long straight wall, looking straight at it, sees
    2 d tan(fov / 2) metres of it (within 1 mm), when its density reaches that far."""
    site = _site([_camera([0, 0], 0, fov, 100_000)], [_wall([[-500, d], [500, d]])])
    cover = PlanCoverage(site).walls["w"]
    seen = sum(s.length_m for s in cover.stretches if s.cameras)
    assert seen == pytest.approx(2 * d * math.tan(math.radians(fov) / 2), abs=1e-3)


@given(d=st.floats(1.0, 200.0), fov=st.floats(5.0, 170.0), px=st.integers(320, 8000))
def test_pixel_density_at_distance(d, fov, px):
    view = CameraView(at=[0, 0], heading_deg=0, fov_deg=fov, resolution_px=px)
    assert view.px_per_m(d) == pytest.approx(px / (2 * d * math.tan(math.radians(fov) / 2)))
    reach = view.reach(25.0)
    assert view.px_per_m(reach) == pytest.approx(25.0)


def test_density_limits_what_a_camera_sees():
    """1920 px over 90 degrees resolves 25 px/m out to 1920 / (2 x 25) = 38.4 m: a wall
    50 m away is not seen at detection density; of one 30 m away it sees the chord
    2 sqrt(38.4^2 - 30^2) = 47.94 m (the arc is drawn in 1-degree steps: within 5 cm)."""
    far = _site([_camera([0, 0], 0, 90, 1920)], [_wall([[-100, 50], [100, 50]])])
    assert not any(s.cameras for s in PlanCoverage(far).walls["w"].stretches)
    near = _site([_camera([0, 0], 0, 90, 1920)], [_wall([[-100, 30], [100, 30]])])
    assert PlanCoverage(near).walls["w"].unseen() != []  # outside the 60 m it sees
    seen = [s for s in PlanCoverage(near).walls["w"].stretches if s.cameras]
    chord = 2 * math.sqrt(38.4**2 - 30**2)
    assert sum(s.length_m for s in seen) == pytest.approx(chord, abs=0.05)


def test_a_building_between_camera_and_wall_hides_the_stretch_behind_it():
    """A 4 m wide building 10 m in front of the camera, centred, casts a shadow that covers
    8 m of a wall 20 m away (similar triangles: 4 x 20 / 10)."""
    building = {"id": "b", "footprint": [[-2, 10], [2, 10], [2, 12], [-2, 12]]}
    site = _site([_camera([0, 0], 0, 90, 100_000)], [_wall([[-50, 20], [50, 20]])], [building])
    cover = PlanCoverage(site).walls["w"]
    hidden = [s for s in cover.unseen() if 30 < s.start_m < 70]
    assert len(hidden) == 1
    assert hidden[0].start_m == pytest.approx(50 - 4, abs=1e-3)
    assert hidden[0].end_m == pytest.approx(50 + 4, abs=1e-3)
    assert cover.weakest.cameras == ()


def test_computed_coverage_replaces_the_declared_one():
    """The camera declares it covers the wall; the plan shows it sees only part of it, so for
    the rules and the analysis it does not (the adversary picks the unseen stretch)."""
    cam = _camera([0, 0], 0, 60, 100_000)
    cam["covers"] = ["w", "yard"]
    site = _site([cam], [_wall([[-20, 10], [20, 10]])])
    plan = PlanCoverage(site)
    assert plan.targets(site.cameras[0]) == ["yard"]
    # two more cameras see -32..2 and -2..32 metres across: together the whole wall
    both = _site(
        [
            cam,
            _camera([-15, 0], 0, 120, 100_000, cid="c2"),
            _camera([15, 0], 0, 120, 100_000, cid="c3"),
        ],
        [_wall([[-20, 10], [20, 10]])],
    )
    plan = PlanCoverage(both)
    assert plan.walls["w"].unseen() == []
    assert "w" in plan.targets(both.cameras[1]) or "w" in plan.targets(both.cameras[2])


def test_a_gate_is_covered_when_its_point_is_in_view():
    gates = [
        {"id": "g1", "kind": "pedestrian_gate", "between": ["road", "yard"], "point": [0, 10]},
        {"id": "g2", "kind": "pedestrian_gate", "between": ["road", "yard"], "point": [80, 10]},
    ]
    site = _site([_camera([0, 0], 0, 60, 100_000)], [], gates=gates)
    assert PlanCoverage(site).targets(site.cameras[0]) == ["yard", "g1"]


def test_outlines_must_enclose_an_area(tmp_path):
    from conftest import run_cli

    path = tmp_path / "s.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "site": {"id": "t", "name": "T"},
                "zones": [{"id": "road", "kind": "public"}],
                "buildings": [{"id": "b", "footprint": [[0, 0], [1, 1], [2, 2]]}],
            }
        )
    )
    result = run_cli("check", str(path))
    assert result.returncode == 2
    assert "encloses no area" in result.stderr and f"{path}:" in result.stderr


def test_wall_cover_pieces_partition_the_wall():
    from shapely import LineString

    view = CameraView(at=[0, 0], heading_deg=0, fov_deg=90, resolution_px=100_000)
    line = LineString([[-30, 5], [30, 5], [30, 40]])
    cover = wall_cover("w", line, {"c": visible(view, [])})
    assert cover.stretches[0].start_m == 0 and cover.stretches[-1].end_m == pytest.approx(
        line.length
    )
    for a, b in zip(cover.stretches, cover.stretches[1:], strict=False):
        assert a.end_m == pytest.approx(b.start_m)


PLANNED_SITE = """\
site: {id: p, name: Planned}
zones:
  - {id: road, kind: public, outline: [[-60, 10], [60, 10], [60, 30], [-60, 30]]}
  - {id: yard, kind: compound, outline: [[-60, -40], [60, -40], [60, 10], [-60, 10]]}
  - {id: room, kind: room}
walls:
  - {id: front, side: front, between: [road, yard], height_m: 2.4, course: [[-60, 10], [60, 10]]}
gates:
  - {id: g, kind: pedestrian_gate, between: [road, yard], locked: true, point: [0, 10]}
  - {id: d, kind: door, between: [yard, room]}
buildings:
  - {id: block, footprint: [[-20, -30], [20, -30], [20, -10], [-20, -10]], height_m: 9}
cameras:
  - {id: c, covers: [yard], monitored: true, night: true,
     view: {at: [0, 0], heading_deg: 0, fov_deg: 90, resolution_px: 1920}}
responders: [{id: r, response_s: 60, response_sd_s: 10}]
assets: [{id: a, zone: room, task_s: 120}]
"""


def test_the_report_draws_the_plan_to_scale_and_it_fits_the_page(tmp_path):
    """Real Chromium: the plan is drawn (walls by stretch, camera view, scale bar, north) in a
    frame that fits the width of the page at a phone's and a desktop's width; where the plan
    would shrink its labels below the minimum size, it pans inside the frame instead."""
    from conftest import run_cli
    from playwright.sync_api import sync_playwright
    from test_reports import _launch

    from audit.report.formats.html import MIN_LABEL_PX

    site = tmp_path / "p.yaml"
    site.write_text(PLANNED_SITE, encoding="utf-8")
    html = tmp_path / "p.html"
    run_cli("check", str(site), "--format", "html", "-o", str(html))
    page_text = html.read_text(encoding="utf-8")
    assert "<h3>Site plan</h3>" in page_text and "seen by no camera" in page_text
    with sync_playwright() as p:
        browser = _launch(p)
        for width in (420, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(html.as_uri())
            frame = page.locator(".pan").bounding_box()
            box = page.locator("svg.plan").bounding_box()
            assert box["width"] > 300 and frame["x"] >= 0
            assert frame["x"] + frame["width"] <= width
            label = page.eval_on_selector(
                "svg.plan text",
                "t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a",
            )
            assert label >= MIN_LABEL_PX - 0.01
            pans = page.eval_on_selector(".pan", "f => f.scrollWidth > f.clientWidth")
            assert pans == (box["width"] > frame["width"])
            assert page.locator("svg.plan path[stroke='#c62828']").count() >= 1
            assert page.locator("svg.plan path[stroke='#2e7d32']").count() >= 1
            page.close()
        browser.close()


def test_plan_export_and_import_round_trip(tmp_path):
    """Every element with a place on the plan comes back from GeoJSON as it was written."""
    import json

    from conftest import run_cli

    text = PLANNED_SITE.replace("name: Planned}", 'name: Planned, crs: "EPSG:32642"}')
    site = tmp_path / "p.yaml"
    site.write_text(text, encoding="utf-8")
    geo, back = tmp_path / "p.geojson", tmp_path / "back.yaml"
    assert run_cli("geometry", "export", str(site), "-o", str(geo)).returncode == 0
    collection = json.loads(geo.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    kinds = {f["properties"]["section"]: f["geometry"]["type"] for f in collection["features"]}
    assert kinds == {
        "zones": "Polygon",
        "buildings": "Polygon",
        "walls": "LineString",
        "gates": "Point",
        "cameras": "Point",
    }
    ring = next(f for f in collection["features"] if f["id"] == "road")["geometry"]
    assert ring["coordinates"][0][0] == ring["coordinates"][0][-1]  # closed, as RFC 7946 asks
    assert collection["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::32642"
    assert run_cli("geometry", "import", str(geo), "-o", str(back)).returncode == 0
    original = yaml.safe_load(text)
    again = yaml.safe_load(back.read_text(encoding="utf-8"))
    assert again["site"] == original["site"]
    for section in ("buildings", "walls", "cameras"):
        assert again[section] == original[section]
    placed = [z for z in original["zones"] if "outline" in z]
    assert again["zones"] == placed
    assert again["gates"] == [g for g in original["gates"] if "point" in g]


def test_plan_import_names_what_is_wrong(tmp_path):
    from conftest import run_cli

    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection",\n "features": [}', encoding="utf-8")
    result = run_cli("geometry", "import", str(bad), "-o", str(tmp_path / "x.yaml"))
    assert (
        result.returncode == 2
        and f"{bad}:2:" in result.stderr
        and "not valid JSON" in result.stderr
    )
    odd = tmp_path / "odd.geojson"
    odd.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"section": "walls"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}',
        encoding="utf-8",
    )
    result = run_cli("geometry", "import", str(odd), "-o", str(tmp_path / "y.yaml"))
    assert result.returncode == 2 and "feature 1 (walls): expected a LineString" in result.stderr
    assert not (tmp_path / "x.yaml").exists() and not (tmp_path / "y.yaml").exists()


def test_the_coverage_rules_name_the_unseen_stretches(tmp_path):
    """One lapse, one finding: the frontage and unobserved-wall rules say which metres no
    camera sees, where the plan has the wall."""
    import json

    from conftest import run_cli

    site = tmp_path / "p.yaml"
    site.write_text(PLANNED_SITE, encoding="utf-8")
    data = json.loads(run_cli("check", str(site), "--format", "json").stdout)
    front = [f for f in data["sites"][0]["findings"] if f["element"] == "front"]
    lead = next(f for f in front if f["rule"] == "SA-FRONT-001")
    assert "metres 0-" in lead["message"] and "seen by no working camera" in lead["message"]
    assert lead["details"]["unseen_m"][0][0] == 0.0 and lead["details"]["length_m"] == 120.0
    assert not any(f["rule"].startswith("SA-PLAN") for f in front)


def _lamp_site(lamps, wall=((-50, 0), (50, 0))):
    lights = [
        {"id": f"l{i}", "covers": ["w"], "backup_power": True, "lamp": lamp}
        for i, lamp in enumerate(lamps)
    ]
    data = {
        "site": {"id": "t", "name": "T"},
        "zones": [{"id": "road", "kind": "public"}, {"id": "yard", "kind": "compound"}],
        "walls": [_wall([list(p) for p in wall])],
        "lights": lights,
    }
    return site_from_document(parse_document(yaml.safe_dump(data).encode(), "l.yaml"))


@given(h=st.floats(2.0, 30.0), cd=st.floats(100.0, 50_000.0))
@settings(max_examples=30, deadline=None)
def test_lux_under_a_lamp_is_i_over_h_squared(h, cd):
    site = _lamp_site([{"at": [0, 0], "height_m": h, "candela": cd}])
    profile = PlanCoverage(site).lux["w"]
    under = profile.lux[profile.at_m.index(50.0)]
    assert under == pytest.approx(cd / h**2, rel=1e-9)
    # off to the side the cosine of incidence and the inverse square: I h / (h^2 + d^2)^1.5
    at_20 = profile.lux[profile.at_m.index(70.0)]
    assert at_20 == pytest.approx(cd * h / (h * h + 400) ** 1.5, rel=1e-9)


def test_lumens_spread_over_the_lower_hemisphere():
    site = _lamp_site([{"at": [0, 0], "height_m": 5, "lumens": 2 * math.pi * 1000}])
    assert PlanCoverage(site).lux["w"].lux[100] == pytest.approx(1000 / 25)


def test_dark_stretches_are_reported_with_the_level_needed(tmp_path):
    """One 2,000 cd lamp 6 m up in the middle of a 100 m perimeter wall: 2 lux reach
    sqrt((2000 x 6 / 2)^(2/3) - 36) = 17.1 m either side; the rest is dark."""
    import json

    from conftest import run_cli

    path = tmp_path / "l.yaml"
    path.write_text(_LAMP_YAML, encoding="utf-8")
    site = _lamp_site([{"at": [0, 0], "height_m": 6, "candela": 2000}])
    plan = PlanCoverage(site)
    reach = math.sqrt((2000 * 6 / 2) ** (2 / 3) - 36)
    dark = plan.lux["w"].below(2.0)
    assert len(dark) == 2 and dark[0].start_m == 0 and dark[1].end_m == 100
    assert dark[0].end_m == pytest.approx(50 - reach, abs=SAMPLE_M)
    assert dark[1].start_m == pytest.approx(50 + reach, abs=SAMPLE_M)
    assert plan.lit("w") is False
    found = json.loads(run_cli("check", str(path), "--format", "json").stdout)
    # a wall on a public road is a non-isolated boundary: 4 lux (TM 5-811-1 Table 11-1)
    lux = next(f for f in found["sites"][0]["findings"] if f["rule"] == "SA-LIGHT-006")
    assert "TM 5-811-1 asks for 4 lux" in lux["message"] and len(lux["details"]["dark_m"]) == 2


_LAMP_YAML = """\
site: {id: t, name: T}
zones: [{id: road, kind: public}, {id: yard, kind: compound}]
walls: [{id: w, between: [road, yard], height_m: 2.4, course: [[-50, 0], [50, 0]]}]
lights:
  - {id: l0, covers: [w], backup_power: true, lamp: {at: [0, 0], height_m: 6, candela: 2000}}
"""


def test_standoff_is_measured_on_the_plan(tmp_path):
    """A car park whose nearest edge is 12 m from the building's footprint: SA-VEH-001 says
    12 m (the polygon distance), not what standoff_m claims."""
    import json

    from conftest import run_cli

    text = """\
site: {id: t, name: T}
zones:
  - {id: road, kind: public}
  - {id: yard, kind: compound}
  - {id: hq-ground, kind: floor, building: hq, level: 0}
buildings: [{id: hq, footprint: [[0, 0], [40, 0], [40, 20], [0, 20]]}]
vehicle_approaches:
  - {id: park, from: road, to: hq-ground, standoff_m: 50, building_use: primary_gathering,
     outline: [[52, 0], [80, 0], [80, 30], [52, 30]]}
"""
    path = tmp_path / "v.yaml"
    path.write_text(text, encoding="utf-8")
    found = json.loads(run_cli("check", str(path), "--format", "json").stdout)
    veh = next(f for f in found["sites"][0]["findings"] if f["rule"] == "SA-VEH-001")
    assert "can stop 12 m from hq-ground" in veh["message"]
    assert "measured on the plan: 12" in veh["evidence"]


VANTAGE = """\
site: {id: t, name: T}
zones:
  - {id: road, kind: public}
  - {id: yard, kind: compound, outline: [[0, 0], [50, 0], [50, 50], [0, 50]]}
  - {id: hq-roof, kind: roof, building: hq}
buildings:
  - {id: hq, footprint: [[10, 10], [30, 10], [30, 30], [10, 30]], height_m: 12}
  - {id: wall-block, footprint: [[60, 0], [62, 0], [62, 50], [60, 50]], height_m: BLOCK}
vantage_points:
  - {id: tower, overlooks: [yard, hq-roof], height_m: 20, at: [100, 20]}
"""


@pytest.mark.parametrize(
    ("block", "fires", "distance"),
    [(5, True, 50.0), (30, False, None), ("null", False, None)],
)
def test_vantage_sightlines_over_building_heights(tmp_path, block, fires, distance):
    """A tower 20 m up, 50 m from the compound's edge, beyond a block 2 m thick: a 5 m block
    leaves the sightline clear (it is 15 m up there), a 30 m block hides everything, and a
    block of unknown height is taken to hide it (unknown is not unsafe)."""
    import json

    from conftest import run_cli

    path = tmp_path / "v.yaml"
    path.write_text(VANTAGE.replace("BLOCK", str(block)), encoding="utf-8")
    site = site_from_document(parse_document(path.read_bytes(), str(path)))
    lines = {x.target: x for x in PlanCoverage(site).sightlines(site.vantage_points[0])}
    assert set(lines) == {"yard", "hq-roof"}
    found = json.loads(run_cli("check", str(path), "--format", "json").stdout)
    vant = [f for f in found["sites"][0]["findings"] if f["rule"] == "SA-VANT-001"]
    assert bool(vant) is fires
    if distance is not None:
        assert lines["yard"].blocked_by is None
        assert lines["yard"].distance_m == pytest.approx(distance)
        assert lines["hq-roof"].distance_m == pytest.approx(70.0)
    else:
        assert lines["yard"].blocked_by == "wall-block"


def test_the_founding_case_plan_shows_the_unseen_frontage_and_the_cut_rear_wall():
    from conftest import KPO, run_cli

    page = run_cli("check", str(KPO), "--format", "html").stdout
    assert "<h3>Site plan</h3>" in page
    assert "front-wall: metres 22-120 seen by no camera" in page
    assert "rear-wall: metres 0-120 seen by no camera" in page
    assert "rear-wall: topping cut" in page


def test_a_gate_must_stand_on_its_wall(tmp_path):
    from conftest import run_cli

    text = PLANNED_SITE.replace("point: [0, 10]", "point: [0, 14]")
    path = tmp_path / "g.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.returncode == 2
    assert f"{path}:9:" in result.stderr
    assert 'gate "g" is 4.0 m from the course of its wall (front)' in result.stderr


LONLAT_SITE = """\
site: {id: ll, name: Lon-lat, crs: "EPSG:4326"}
zones: [{id: road, kind: public}, {id: yard, kind: compound}]
walls:
  - {id: w, between: [road, yard], height_m: 2.4, course: [[67.0300, 24.8500], [67.0310, 24.8500]]}
gates:
  - {id: g, kind: pedestrian_gate, between: [road, yard], point: [67.0305, 24.8500]}
"""


def test_a_plan_in_longitude_and_latitude_is_projected_to_metres(tmp_path):
    """0.001 degree of longitude at 24.85 N is 111,320 x cos(24.85) x 0.001 = 101.0 m."""
    import json

    from conftest import run_cli

    site = site_from_document(parse_document(LONLAT_SITE.encode(), "ll.yaml"))
    (x0, y0), (x1, y1) = site.walls[0].course
    assert math.hypot(x1 - x0, y1 - y0) == pytest.approx(
        111_320 * math.cos(math.radians(24.85)) * 0.001, rel=0.005
    )
    assert site.gates[0].point == pytest.approx([0.0, 0.0], abs=0.5)  # the site's centre
    path = tmp_path / "ll.yaml"
    path.write_text(LONLAT_SITE, encoding="utf-8")
    geo = json.loads(run_cli("geometry", "export", str(path)).stdout)
    wall = next(f for f in geo["features"] if f["id"] == "w")
    assert wall["geometry"]["coordinates"][0] == [67.03, 24.85]  # RFC 7946: lon, lat as written
    bad = tmp_path / "bad.yaml"
    bad.write_text(LONLAT_SITE.replace("EPSG:4326", "EPSG:999999"), encoding="utf-8")
    result = run_cli("check", str(bad))
    assert result.returncode == 2 and f"{bad}:1:" in result.stderr
    assert 'unknown coordinate system "EPSG:999999"' in result.stderr


def test_density_bands_of_a_wall():
    """1920 px over 90 degrees: detection (25 px/m) reaches 38.4 m, observation (62.5 px/m)
    15.4 m; a wall 30 m away is detected along its 47.9 m chord and observed nowhere."""
    near = _site([_camera([0, 0], 0, 90, 1920)], [_wall([[-100, 30], [100, 30]])])
    bands = PlanCoverage(near).bands("w")
    assert bands["detect"] == pytest.approx(2 * math.sqrt(38.4**2 - 30**2), abs=0.05)
    assert bands["observe"] == 0 and bands["identify"] == 0


def test_an_outline_whose_edges_cross_is_an_error(tmp_path):
    from conftest import run_cli

    text = PLANNED_SITE.replace(
        "footprint: [[-20, -30], [20, -30], [20, -10], [-20, -10]]",
        "footprint: [[-20, -30], [20, -10], [20, -30], [-20, -4]]",
    )
    path = tmp_path / "bow.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.returncode == 2 and f"{path}:12:" in result.stderr
    assert "the footprint is not a simple polygon (self-intersection)" in result.stderr


def test_a_malformed_crs_says_what_is_expected(tmp_path):
    from conftest import run_cli

    path = tmp_path / "c.yaml"
    path.write_text(LONLAT_SITE.replace("EPSG:4326", "WGS84"), encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.returncode == 2 and f"{path}:1:" in result.stderr
    assert 'expected "local" or an EPSG code such as "EPSG:4326"' in result.stderr
    assert "Traceback" not in result.stderr
