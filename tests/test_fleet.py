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
