"""Patrols detect with the chance that a pass falls within the crossing."""

from __future__ import annotations

from audit.analysis.elements import ElementValues
from audit.site.load import load_site

SITE = """\
site: {id: t, name: T}
zones: [{id: lane, kind: public}, {id: yard, kind: compound, crossing_m: 150}]
walls: [{id: rear, between: [lane, yard], height_m: 2.0, delay_s: 30}]
patrols:
  - {id: round, route: [rear, yard], interval_min: 30,
     hours: [{from: "20:00", to: "06:00"}]}
"""


def test_patrol_detection_is_crossing_time_over_interval(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SITE)
    site = load_site(path)
    values = ElementValues(site)
    night, day = 22 * 4, 12 * 4
    assert abs(values.p_detect(site.get("rear"), night) - 0.5 * 30 / 1800) < 1e-12
    assert abs(values.p_detect(site.get("yard"), night) - 0.5 * 60 / 1800) < 1e-12  # 150 m
    assert values.p_detect(site.get("rear"), day) == 0.0  # the patrol runs at night only


def test_patrol_route_must_name_elements(tmp_path):
    import pytest

    from audit.common.errors import SiteError

    path = tmp_path / "s.yaml"
    path.write_text(SITE.replace("route: [rear, yard]", "route: [reer]"))
    with pytest.raises(SiteError, match='did you mean "rear"'):
        load_site(path)
