"""The search on shapes from the second generator (``bench/generate2.py``): meshes, braids,
long detected chains with bypasses, complete layers, campuses with rotas and threats.

Small sizes, so brute force can enumerate every simple path: at a few moments of the
week, for every asset (and every asset against each declared threat), the search's
value equals the brute-force minimum, or, where it stops at a budget, the true minimum
lies between its proven lower bound and the real path it reports.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
import yaml

from audit.analysis.paths import Analyzer
from audit.analysis.search import all_simple_paths_min, most_vulnerable_path
from audit.site.load import load_site
from audit.site.threats import declared

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate2 import generate_site2  # noqa: E402

SLOTS = (0, 2 * 96 + 40, 5 * 96 + 80)  # mon 00:00, wed 10:00, sat 20:00
SHAPES = [("mesh", 10, {}), ("braid", 11, {}), ("chain", 12, {}), ("layers", 14, {})]


def _site(tmp_path: Path, shape: str, zones: int, options: dict):
    path = tmp_path / f"{shape}.yaml"
    path.write_text(yaml.safe_dump(generate_site2(shape, zones, **options)), encoding="utf-8")
    return load_site(path)


def _agree(problem, budget: int | None = None) -> None:
    brute = all_simple_paths_min(problem)
    found = (
        most_vulnerable_path(problem)
        if budget is None
        else most_vulnerable_path(problem, max_work=budget, max_work_mean=budget)
    )
    if math.isnan(brute):
        assert math.isnan(found.p_interruption)
        return
    if found.exact:
        assert math.isclose(found.p_interruption, brute, rel_tol=1e-9, abs_tol=1e-12)
    else:
        assert found.lower is not None
        assert found.lower <= brute + 1e-12 <= found.p_interruption + 2e-12


@pytest.mark.parametrize(("shape", "zones", "options"), SHAPES)
def test_exact_on_second_generator_shapes(tmp_path, shape, zones, options):
    site = _site(tmp_path, shape, zones, options)
    an = Analyzer(site)
    for asset in site.assets:
        for slot in SLOTS:
            _agree(an.problem(asset, slot))


@pytest.mark.parametrize(("shape", "zones", "options"), SHAPES)
def test_bounds_hold_when_the_budget_runs_out(tmp_path, shape, zones, options):
    site = _site(tmp_path, shape, zones, options)
    an = Analyzer(site)
    for asset in site.assets:
        for budget in (0, 5, 50):
            _agree(an.problem(asset, 0), budget)


def test_campus_threats_exact_or_bounded(tmp_path):
    """A campus of two quads (too many paths to enumerate): against the forcing outsider and
    the insider with keys, every search is exact or reports a bound below its value."""
    site = _site(tmp_path, "campus", 70, {"assets_every": 9})
    threats = declared(site)
    assert {t.kind for t in threats} == {"outsider", "insider"}
    for threat in threats:
        an = Analyzer(site, threat)
        for asset in site.assets:
            for slot in SLOTS:
                res = an.search(asset, slot)
                assert res.exact or res.lower <= res.p_interruption
