"""An asset's work shared over the week (``Analyzer.grouped``): with budgets far too small
to finish, every answer still holds the true minimum between its two ends, says it is
exact exactly where no bound is left, and P(E) reports the same way as P(I)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from audit.analysis import paths
from audit.analysis.effectiveness import assess
from audit.analysis.paths import analyse
from audit.site.load import load_site

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate2 import generate_site2  # noqa: E402


def _both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, work: int, mean: int):
    path = tmp_path / "campus.yaml"
    data = generate_site2("campus", 60, seed=3, threats=True, assets_every=6)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    site = load_site(path)
    full = (analyse(site), assess(site))
    with monkeypatch.context() as m:
        m.setattr(paths, "ASSET_WORK", work)
        m.setattr(paths, "MAX_WORK", work)
        m.setattr(paths, "MAX_WORK_MEAN", mean)
        tight = (analyse(site), assess(site))
    return full, tight


@pytest.mark.parametrize("work,mean", [(40, 40), (400, 400), (4000, 2000)])
def test_small_budgets_keep_the_truth_between_the_two_ends(tmp_path, monkeypatch, work, mean):
    (full_pi, full_pe), (pi, pe) = _both(tmp_path, monkeypatch, work, mean)
    assert all(a.exact for a in full_pi.assets)
    bounded = 0
    for exact, found in zip(full_pi.assets, pi.assets, strict=True):
        assert found.exact == (found.lower is None)
        assert found.p_interruption >= exact.p_interruption - 1e-9
        if found.lower is None:
            assert abs(found.p_interruption - exact.p_interruption) < 1e-9
        else:
            bounded += 1
            assert found.lower <= exact.p_interruption + 1e-9
    for threat_full, threat in zip(full_pe, pe, strict=True):
        for exact, found in zip(threat_full.assets, threat.assets, strict=True):
            assert exact.exact
            assert found.exact == (found.lower is None)
            assert found.p_effectiveness >= exact.p_effectiveness - 1e-6
            if found.lower is None:
                assert abs(found.p_effectiveness - exact.p_effectiveness) < 1e-6
            else:
                bounded += 1
                assert found.lower <= exact.p_effectiveness + 1e-6
    if work == 40:
        assert bounded  # the budget does stop searches here
