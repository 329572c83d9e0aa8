"""A folder audit keeps a few kilobytes a site, not the site (``SiteResult.slim``)."""

from __future__ import annotations

import datetime as dt
import sys

import yaml
from conftest import ROOT

from audit.app.batch import Job, audit_many
from audit.report.views.table import summary_table, worst_pi

sys.path.insert(0, str(ROOT / "bench"))
from bench_fleet import typical  # noqa: E402


def test_slim_results_report_as_the_full_ones(tmp_path):
    files = []
    for i in range(4):
        path = tmp_path / f"site-{i}.yaml"
        path.write_text(yaml.safe_dump(typical(i), sort_keys=False), encoding="utf-8")
        files.append(str(path))
    full = Job((), True, (), (), None, dt.date(2026, 12, 4))
    slim = Job((), True, (), (), None, dt.date(2026, 12, 4), keep_model=False)
    kept = [r for _, r, _ in audit_many(files, full)]
    thin = [r for _, r, _ in audit_many(files, slim)]
    assert all(r.model is None and r.frozen_analysis is None for r in thin)
    assert all(r.model is not None for r in kept)
    assert [worst_pi(r) for r in thin] == [worst_pi(r) for r in kept]
    assert any(worst_pi(r) is not None for r in thin)
    assert [r.summary for r in thin] == [r.summary for r in kept]
    assert summary_table(thin, []) == summary_table(kept, [])


def test_a_folded_folder_audit_reports_as_one_rendered_at_the_end(tmp_path):
    from audit.app.fold import fold_text
    from audit.findings import failing, summarize
    from audit.report import formatter

    files = []
    for i in range(5):
        path = tmp_path / f"site-{i}.yaml"
        path.write_text(yaml.safe_dump(typical(i), sort_keys=False), encoding="utf-8")
        files.append(str(path))
    (tmp_path / "broken.yaml").write_text("site: {id: b, name: B}\nzones: []\n")
    files.append(str(tmp_path / "broken.yaml"))
    job = Job((), True, (), (), None, dt.date(2026, 12, 4), keep_model=False)
    text = formatter("text")
    folded = fold_text(files, job, jobs=2, loaded=None, render=text, fail_on="high", strict=False)
    outcome = audit_many(files, Job((), True, (), (), None, dt.date(2026, 12, 4)))
    results = [r for _, r, problems in outcome if not problems]
    assert "\n".join(folded.text) == text(results)
    assert summary_table(folded.rows, folded.errors) == summary_table(results, folded.errors)
    everything = [f for r in results for f in r.findings]
    assert folded.summary == summarize(everything)
    assert folded.fails == failing(everything, "high")
    assert [p.file for p in folded.errors] == [str(tmp_path / "broken.yaml")]


def test_a_quiet_summary_works_out_the_least_p_i_alone(tmp_path):
    """A quiet text run keeps no paths: the summary's least P(I) of a site whose rules did
    not need the analysis (one declaring threats) is worked out alone, stopping at 0, and
    is the figure the whole analysis gives."""
    files = []
    for i in range(8):
        path = tmp_path / f"site-{i}.yaml"
        path.write_text(yaml.safe_dump(typical(i), sort_keys=False), encoding="utf-8")
        files.append(str(path))
    day = dt.date(2026, 12, 4)
    full = [r for _, r, _ in audit_many(files, Job((), True, (), (), None, day))]
    quiet = Job((), True, (), (), None, day, paths=False, keep_model=False, least=True)
    thin = [r for _, r, _ in audit_many(files, quiet, jobs=2)]
    threats = [i for i, r in enumerate(full) if r.model.threats]
    assert threats and all(thin[i].frozen_effectiveness is None for i in threats)
    assert [worst_pi(r) for r in thin] == [worst_pi(r) for r in full]
    assert summary_table(thin, []) == summary_table(full, [])
    # without ``least`` nothing is worked out that the rules did not need
    bare = Job((), True, (), (), None, day, paths=False, keep_model=False)
    kept = [r for _, r, _ in audit_many(files, bare)]
    assert all(kept[i].worst is None for i in threats)


def test_the_least_p_i_alone_is_the_analysis_least(tmp_path):
    from audit.analysis.paths import analyse, least_p_interruption
    from audit.site.load import load_site

    sys.path.insert(0, str(ROOT / "bench"))
    from generate2 import generate_site2

    seen = set()
    for i, shape in enumerate(["campus", "mesh", "chain", "braid"] * 2):
        options = {"threats": False, "assets_every": 5} if shape == "campus" else {}
        data = generate_site2(shape, 30 + 7 * i, seed=i, **options)
        path = tmp_path / f"{shape}-{i}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        site = load_site(path)
        least = min((a.p_interruption for a in analyse(site).assets), default=None)
        assert least_p_interruption(site) == least
        seen.add(least == 0.0)
    assert seen == {True, False}  # both the early stop and the whole week were tried


def test_a_site_audited_leaves_no_model_for_the_collector_to_find_later(tmp_path):
    """A site's model, graph and views point at one another, so only the cycle collector
    frees them: ``batch._sweep`` runs it as each site is done (while little else is
    young), not when its threshold falls in the middle of a later site."""
    import gc

    from audit.site.model import Site

    files = []
    for i in range(3):
        path = tmp_path / f"site-{i}.yaml"
        path.write_text(yaml.safe_dump(typical(i), sort_keys=False), encoding="utf-8")
        files.append(str(path))
    job = Job((), True, (), (), None, dt.date(2026, 12, 4), keep_model=False)
    before = gc.get_threshold()
    gc.collect()
    gc.set_threshold(10_000_000, 30, 30)  # (the collector on, but never due by itself)
    try:
        for _path, result, _problems in audit_many(files, job):
            assert result is not None and result.model is None
            assert not [o for o in gc.get_objects() if isinstance(o, Site)]
    finally:
        gc.set_threshold(*before)


def test_a_site_audited_is_freed_without_the_cycle_collector(tmp_path):
    """Nothing of a site's model is held in a reference cycle (the response force holds
    the values that share it by a proxy), so it is freed as soon as it is let go: the
    collector's work per site stays small."""
    import gc

    from audit.site.model import Site

    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(typical(1), sort_keys=False), encoding="utf-8")
    job = Job((), True, (), (), None, dt.date(2026, 12, 4), keep_model=False)
    gc.collect()
    gc.disable()
    try:
        ((_path, result, _problems),) = audit_many([str(path)], job)
        assert result is not None and result.model is None
        assert not [o for o in gc.get_objects() if isinstance(o, Site)]
    finally:
        gc.enable()
