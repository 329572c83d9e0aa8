"""The drawings of the HTML report: the worst path drawn over the rest, camera views whole
(the plan grows to hold them), and no stretch of wall too short to draw."""

from __future__ import annotations

import re

import pytest
from conftest import KPO, SITES, run_cli

from audit.app.run import audit_file
from audit.report.views.site_plan import site_plan
from audit.rules.checklist import load_rules

WITH_VIEWS = [p for p in sorted(SITES.glob("*.yaml")) if "view:" in p.read_text()]


def _numbers(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]


@pytest.mark.parametrize("path", WITH_VIEWS, ids=lambda p: p.stem)
def test_camera_views_are_drawn_whole_inside_the_plan(path):
    from shapely import Polygon

    result = audit_file(path, load_rules([]))
    plan = site_plan(result, set())
    views = result.watch.plan.views
    assert plan is not None and plan.views
    k = plan.scale_px / plan.scale_m
    for v in plan.views:
        pts = _numbers(v["d"])
        assert all(0 <= x <= plan.width and 0 <= y <= plan.height for x, y in pts), v["id"]
    for cid, whole in views.items():
        drawn = sum(Polygon(_numbers(v["d"])).area for v in plan.views if v["id"] == cid)
        assert drawn == pytest.approx(whole.area * k * k, rel=0.01), cid


@pytest.mark.parametrize("path", WITH_VIEWS, ids=lambda p: p.stem)
def test_no_stretch_of_wall_is_too_short_to_draw_or_says_0_0(path):
    result = audit_file(path, load_rules([]))
    plan = site_plan(result, set())
    for w in [*plan.walls, *plan.dark]:
        pts = _numbers(w["d"])
        assert len(set(pts)) >= 2, w
        assert "metres 0-0 " not in w.get("title", ""), w


def test_the_worst_path_is_drawn_over_the_other_links():
    html = run_cli("check", str(KPO), "--format", "html").stdout
    diagram = html.split('<div class="diagram"', 1)[1].split("</svg>", 1)[0]
    strokes = re.findall(
        r'<path d="[^"]+" fill="none" stroke="([^"]+)" stroke-width="(9|2.2)"', diagram
    )
    first_path = next(i for i, (_, w) in enumerate(strokes) if w == "9")
    after = [w for _, w in strokes[first_path:]]
    before = [w for _, w in strokes[:first_path]]
    assert before and "9" not in before and after.count("9") >= 3  # every path link last


def _curve_mid(d: str) -> tuple[float, float]:
    (ax, ay), (cx, cy), (bx, by) = _numbers(d)
    return 0.25 * ax + 0.5 * cx + 0.25 * bx, 0.25 * ay + 0.5 * cy + 0.25 * by


@pytest.mark.parametrize("path", [KPO, SITES / "riverside-school.yaml"], ids=lambda p: p.stem)
def test_the_worst_paths_labels_sit_at_their_edges(path):
    """Labels of the worst path are placed first, at the middle of their own curve: only a
    zone box or another label of the path moves one (the others make room), so the attack
    route's names do not float away from it."""
    from audit.report.views.diagram import _free_spot
    from audit.report.views.summary import summarize_site

    s = summarize_site(audit_file(path, load_rules([])))
    steps = s.worst.steps[0::2]  # the path's elements, in its order (zones between them)
    on_path = sorted(
        (lk for lk in s.layout.links if lk["on_path"]), key=lambda lk: steps.index(lk["id"])
    )
    assert len(on_path) >= 2
    placed = [
        (z["x"] - 2, z["y"] - 2, z["x"] + z["w"] + 2, z["y"] + z["h"] + 2) for z in s.layout.zones
    ]
    for link in on_path:
        mx, my = _curve_mid(link["d"])
        x, y = _free_spot(placed, mx, my, 5.6 * len(link["id"]) + 16)
        assert (link["lx"], link["ly"]) == (round(x), round(y)), link["id"]


@pytest.mark.parametrize("path", [KPO, SITES / "riverside-school.yaml"], ids=lambda p: p.stem)
def test_a_link_to_the_next_band_runs_straight_down(path):
    """The diagram's bands run to and fro, so the link from the last layer of a band to the
    first of the next is drawn straight down, not as a diagonal across the page."""
    from audit.report.views.diagram import PER_BAND
    from audit.report.views.summary import summarize_site

    layout = summarize_site(audit_file(path, load_rules([]))).layout
    bands = sorted({z["y"] // 1 for z in layout.zones})
    assert len(layout.arrows) >= 1 and len(bands) > 1
    crossing = 0
    for link in layout.links:
        (ax, ay), _, (bx, by) = _numbers(link["d"])
        if abs(by - ay) > 80 and abs(bx - ax) > 0:  # another band, sideways
            assert abs(bx - ax) < 240 * (PER_BAND - 1), link["id"]
        crossing += abs(by - ay) > 80 and ax == bx
    assert crossing >= 1
