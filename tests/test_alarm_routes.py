"""Remote alarm monitoring is detection: an alarm route to responders who assess on arrival."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import FIXTURES

from audit.analysis.paths import analyse
from audit.common.errors import SiteError
from audit.rules.checklist import load_rules, run_rules
from audit.site.load import load_site

SITE = (FIXTURES / "sites" / "remote-alarm.yaml").read_text(encoding="utf-8")
ASSESS = [r for r in load_rules([]) if r.id == "SA-ASSESS-001"]
TODAY = dt.date(2026, 11, 25)


def _site(tmp_path, text: str):
    p = tmp_path / "site.yaml"
    p.write_text(text, encoding="utf-8")
    return load_site(p)


def _assess(tmp_path, text: str) -> list[tuple[str, str]]:
    found = run_rules(_site(tmp_path, text), ASSESS, today=TODAY)
    return [(f.element, f.message) for f in found if not f.gap]


def _safe(tmp_path, text: str):
    return analyse(_site(tmp_path, text)).assets[0]


def test_an_alarm_that_reaches_the_police_is_assessed(tmp_path):
    assert _assess(tmp_path, SITE) == []


def test_without_the_route_nobody_assesses_it(tmp_path):
    text = SITE.replace(", route: to-police", "")
    assert [e for e, _ in _assess(tmp_path, text)] == ["door-contact", "vault-pir"]
    assert _safe(tmp_path, text).p_interruption == 0.0


def test_a_remote_alarm_interrupts_behind_a_long_delay(tmp_path):
    safe = _safe(tmp_path, SITE)
    # 30 minutes of vault door against the police: detection at the door is timely
    assert safe.p_interruption > 0.8


def test_the_response_time_includes_the_route_and_the_walk_in(tmp_path):
    safe = _safe(tmp_path, SITE)
    walk = safe.response_s - 600 - 60 - 120
    assert 0 < walk < 60  # from the street through the shop door to the vault
    direct = _safe(tmp_path, SITE.replace(", arrives_at: street", ""))
    assert direct.response_s == 600 + 60 + 120


def test_the_route_is_down_when_its_centre_is_not_staffed(tmp_path):
    text = SITE.replace(
        "name: ARC, p_comm: 0.98, delay_s: 60}",
        'name: ARC, p_comm: 0.98, delay_s: 60, hours: [{from: "18:00", to: "08:00"}]}',
    )
    found = _assess(tmp_path, text)
    assert [e for e, _ in found] == ["door-contact", "vault-pir"]
    assert "08:00-18:00" in found[0][1] and "alarm route to-police" in found[0][1]


def test_the_route_p_comm_weighs_its_detection(tmp_path):
    sure = _safe(tmp_path, SITE.replace("p_comm: 0.98", "p_comm: 1.0"))
    lossy = _safe(tmp_path, SITE.replace("p_comm: 0.98", "p_comm: 0.5"))
    assert lossy.p_interruption < sure.p_interruption


def test_a_route_naming_no_responder_is_an_error(tmp_path):
    with pytest.raises(SiteError) as err:
        _site(tmp_path, SITE.replace("responders: [police]", "responders: [polise]"))
    assert 'did you mean "police"' in str(err.value)
