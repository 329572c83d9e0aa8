"""Detection timing follows the detector, and the task at the asset is an element of its own."""

from __future__ import annotations

import pytest

from audit.analysis.paths import Analyzer, analyse
from audit.site.load import load_site

SITE = """\
site: {id: t, name: T}
zones:
  - {id: road, kind: public}
  - {id: yard, kind: compound}
  - {id: room, kind: room, crossing_m: 5}
walls: [{id: w, between: [road, yard], height_m: 2.4}]
gates: [{id: d, kind: door, between: [yard, room], locked: true}]
stations: [{id: st, in: room, shifts: [{from: "00:00", to: "24:00", guards: 1}]}]
responders: [{id: r, response_s: 60}]
assets: [{id: safe, zone: room, task_s: 90}]
%s
"""


def _values(tmp_path, extra):
    path = tmp_path / "s.yaml"
    path.write_text(SITE % extra)
    site = load_site(path)
    return site, Analyzer(site)


CAM = "cameras: [{id: c, covers: [d, w, room, safe], station: st, night: true, p_detect: 0.05}]"


@pytest.mark.parametrize(
    "extra, element, expected",
    [
        # sensors count only when assessed: the camera assesses; each detects at its point
        ("sensors: [{id: s, kind: door_contact, covers: [d]}]", "d", "B+E"),
        ("sensors: [{id: s, kind: fence_vibration, covers: [w]}]", "w", "B"),
        ("sensors: [{id: s, kind: pir, covers: [room]}]", "room", "M"),
        ("", "d", "B"),
        ("", "room", "M"),
    ],
)
def test_detection_point_follows_the_detector(tmp_path, extra, element, expected):
    site, an = _values(tmp_path, extra + "\n" + CAM)
    assert an.value(site.get(element), 0).detect_at == expected


@pytest.mark.parametrize("element, expected", [("d", "B"), ("room", "M")])
def test_with_no_detector_the_defaults_hold(tmp_path, element, expected):
    site, an = _values(tmp_path, "")
    assert an.value(site.get(element), 0).detect_at == expected


def test_a_second_detector_never_lowers_p_interruption(tmp_path):
    """Each detector at its own point (easi.Composite): a door contact added to a watched
    camera adds a later chance; it never moves the camera's earlier one."""
    cam = "cameras: [{id: c, covers: [d], station: st, night: true, p_detect: 0.7}]"
    both = cam + "\nsensors: [{id: s, kind: door_contact, covers: [d]}]"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    alone = analyse(_values(tmp_path / "a", cam)[0], at="mon 12:00").assets[0]
    more = analyse(_values(tmp_path / "b", both)[0], at="mon 12:00").assets[0]
    assert more.p_interruption >= alone.p_interruption
    door = next(s for s in more.path if s.element == "d")
    assert door.detect_at == "B+E"
    assert door.p_detect == pytest.approx(1 - 0.3 * 0.05)


def test_the_task_is_the_last_element_with_its_own_detection(tmp_path):
    extra = "sensors: [{id: s, kind: pir, covers: [safe], p_detect: 0.6}]\n" + CAM
    site, an = _values(tmp_path, extra)
    result = analyse(site, at="mon 12:00").assets[0]
    task = result.path[-1]
    assert (task.element, task.kind, task.delay_s) == ("safe", "task", 90.0)
    assert task.p_detect == pytest.approx(1 - 0.4 * 0.95)
    assert result.path[-2].element == "room" and result.path[-2].delay_s == 2.0


def test_without_a_detector_on_the_asset_the_zone_keeps_watching(tmp_path):
    site, an = _values(
        tmp_path, "sensors: [{id: s, kind: pir, covers: [room]}]\n" + CAM.replace(", safe", "")
    )
    task = an.tv.task(site.get("safe"), 0)
    assert task.p_detect == an.value(site.get("room"), 0).p_detect > 0


@pytest.mark.parametrize("px, expected", [(None, 0.7), (62.5, 0.7), (30, 0.42), (20, 0.0)])
def test_camera_assessment_follows_its_pixel_density(tmp_path, px, expected):
    """IEC 62676-4: below 25 px/m nobody is detected; below 62.5 px/m an operator cannot
    observe what they do (x 0.6 [assumed])."""
    density = "" if px is None else f", pixel_density_px_m: {px}"
    camera = "cameras: [{id: c, covers: [room], station: st, night: true" + density + "}]"
    site, an = _values(tmp_path, camera)
    assert an.value(site.get("room"), 0).p_detect == pytest.approx(expected)
