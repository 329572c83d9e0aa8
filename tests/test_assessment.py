"""Detection needs assessment: an alarm counts only while someone can look at what it covers."""

from __future__ import annotations

from audit.analysis.elements import ElementValues
from audit.site.load import load_site

SITE = """\
site: {id: t, name: T, dark: {from: "18:00", to: "06:00"}}
zones: [{id: road, kind: public}, {id: yard, kind: compound}, {id: control, kind: room}]
walls: [{id: fence, kind: fence, between: [road, yard], height_m: 2.4}]
sensors: [{id: taut, kind: taut_wire, covers: [fence]}]
stations:
  - {id: ops, in: control, shifts: [{from: "08:00", to: "20:00", guards: 1}]}
%s
"""


def _p(tmp_path, cameras: str, slot: int) -> float:
    path = tmp_path / "s.yaml"
    path.write_text(SITE % cameras)
    site = load_site(path)
    return ElementValues(site).p_detect(site.get("fence"), slot)


NOON, MIDNIGHT = 12 * 4, 0


def test_unassessed_sensor_detects_nothing(tmp_path):
    assert _p(tmp_path, "", NOON) == 0.0


def test_watched_camera_assesses_the_sensor(tmp_path):
    cams = "cameras: [{id: c, covers: [fence], monitored: true, night: true}]"
    p = _p(tmp_path, cams, MIDNIGHT)
    assert abs(p - (1 - (1 - 0.9) * (1 - 0.7))) < 1e-12  # taut wire 0.9, watched camera 0.7


def test_station_hours_bound_assessment(tmp_path):
    cams = "cameras: [{id: c, covers: [fence], station: ops, night: true}]"
    assert _p(tmp_path, cams, NOON) > 0.9
    assert _p(tmp_path, cams, MIDNIGHT) == 0.0  # the station closes at 20:00


POST = """\
site: {id: t, name: T}
zones: [{id: road, kind: public}, {id: yard, kind: compound}]
gates: [{id: g, kind: vehicle_gate, between: [road, yard]}]
checkpoints:
  - {id: cp, at: g, %s shifts: [{from: "00:00", to: "24:00", guards: 1}]}
"""


def test_a_post_that_cannot_raise_the_alarm_detects_less(tmp_path):
    """P(C) per post: p'_i = 1 - prod(1 - p_s * c_s); c_s = 0.5 [assumed] with neither a radio
    nor a duress alarm recorded, 1 otherwise (unrecorded counts as working)."""
    path = tmp_path / "p.yaml"
    found = {}
    for case, fields in (
        ("radio", "radio: true,"),
        ("unknown", ""),
        ("none", "radio: false,"),
        ("duress", "radio: false, duress_alarm: true,"),
        ("telephone", "radio: false, telephone: true,"),
    ):
        path.write_text(POST % fields)
        site = load_site(path)
        found[case] = ElementValues(site).p_detect(site.get("g"), 0)
    assert found["radio"] == found["unknown"] == found["duress"] == found["telephone"] == 0.9
    assert abs(found["none"] - 0.45) < 1e-12
