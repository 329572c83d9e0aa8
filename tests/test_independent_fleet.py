"""Sites from a generator this project's code did not shape (``bench/generate3.py``, written
by a separate session from README, the schema and the shipped sites alone): they load
without a problem, every asset's P(I) and P(E) is exact, and a quiet folder audit's
summary is the one the whole analysis gives."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import independent_sites


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    return independent_sites(tmp_path_factory.mktemp("independent"), 16, seed=1)


def test_independent_sites_load_and_every_asset_is_exact(fleet):
    from audit.analysis.effectiveness import assess
    from audit.analysis.elements import ElementValues
    from audit.analysis.paths import analyse
    from audit.site.load import load_site

    threats = assets = 0
    for path in fleet:
        site = load_site(path)
        values = ElementValues(site)
        for a in analyse(site, values=values).assets:
            assert a.exact and a.lower is None, (path, a.asset, a.method)
            assets += 1
        for t in assess(site, values=values):
            for a in t.assets:
                assert a.exact and a.lower is None, (path, t.threat.id, a.asset)
                threats += 1
    assert assets >= 16 and threats >= 8  # (the shapes did reach the searches)


def test_independent_fleet_quiet_summary_is_the_full_one(fleet):
    from audit.app.batch import Job, audit_many
    from audit.report.views.table import summary_table

    day = dt.date(2026, 12, 5)
    full = [r for _, r, p in audit_many(fleet, Job((), True, (), (), None, day)) if not p]
    quiet = Job((), True, (), (), None, day, paths=False, keep_model=False, least=True)
    thin = [r for _, r, p in audit_many(fleet, quiet, jobs=2) if not p]
    assert len(full) == len(thin) == len(fleet)
    assert summary_table(thin, []) == summary_table(full, [])
