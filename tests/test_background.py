"""--jobs on one site file: the path analysis beside the rules, the same output."""

from __future__ import annotations

import datetime as dt
import os
import sys

import pytest
import yaml
from conftest import KPO, ROOT, run_cli

from audit.app.run import audit_site
from audit.common import background
from audit.rules.checklist import load_rules
from audit.site.load import load_site

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate_site  # noqa: E402

pytestmark = pytest.mark.skipif(not background.available(), reason="needs os.fork")
TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize("fmt", ["json", "sarif", "html"])
def test_jobs_do_not_change_one_sites_output(tmp_path, fmt):
    """KPO declares threats (P(E) in the background) and the HTML shows the paths."""
    out = {}
    for jobs in ("1", "2", "3"):
        target = tmp_path / f"out-{jobs}.{fmt}"
        done = run_cli(
            "check", str(KPO), "--no-config", "--format", fmt, "-j", jobs, "-o", str(target),
            "--today", "2026-11-25",
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        out[jobs] = target.read_bytes()
    assert out["1"] == out["2"] == out["3"]


def test_generated_estate_same_findings_and_paths_with_two_jobs(tmp_path, monkeypatch):
    path = tmp_path / "estate.yaml"
    path.write_text(yaml.safe_dump(generate_site(300, secure=True), sort_keys=False))
    delivered = []
    take = background.Pending.result
    monkeypatch.setattr(
        background.Pending, "result", lambda p: delivered.append(take(p)) or delivered[-1]
    )
    rules = load_rules([])
    one = audit_site(load_site(path), rules, today=TODAY)
    assert not delivered
    two = audit_site(load_site(path), rules, today=TODAY, jobs=2, paths=True)
    assert [f.sort_key() for f in one.findings] == [f.sort_key() for f in two.findings]
    assert len(delivered) == 1 and delivered[0] is not background.MISSING  # from the child
    assert one.analysis == two.analysis == delivered[0]


def test_a_child_that_dies_leaves_the_work_to_the_parent(tmp_path, monkeypatch):
    """A killed or crashed child only costs time: the parent computes the part itself."""
    monkeypatch.setattr(background, "_child", lambda ctx, name, send: os._exit(3))
    rules = load_rules([])
    one = audit_site(load_site(KPO), rules, today=TODAY)
    two = audit_site(load_site(KPO), rules, today=TODAY, jobs=3, paths=True)
    assert [f.sort_key() for f in one.findings] == [f.sort_key() for f in two.findings]
    assert one.analysis == two.analysis
    assert one.effectiveness == two.effectiveness


def test_a_child_that_raises_sends_nothing(monkeypatch):
    site = load_site(KPO)
    from audit.checks import Context

    ctx = Context(site)
    monkeypatch.setattr(Context, "analysis", property(lambda self: 1 / 0))
    assert background.Pending(ctx, "analysis").result() is background.MISSING
