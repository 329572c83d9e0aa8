"""Property: any generated site runs through every rule and every report format without error."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate_site  # noqa: E402

from audit.report import FORMATS, formatter  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from audit.run import audit_file  # noqa: E402

RULES = load_rules([])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    zones=st.integers(3, 40),
    seed=st.integers(0, 10_000),
    secure=st.booleans(),
    at=st.sampled_from([None, "19:00", "sat 03:15"]),
)
def test_every_rule_and_format_on_generated_sites(tmp_path, zones, seed, secure, at):
    path = tmp_path / f"g{seed}.yaml"
    path.write_text(yaml.safe_dump(generate_site(zones, seed, secure=secure), sort_keys=False))
    result = audit_file(Path(path), RULES, at=at)
    for f in result.findings:
        assert f.line >= 1 and f.rule and f.message
    for fmt in FORMATS:
        first = formatter(fmt)([result], fail_on="high")
        again = formatter(fmt)([result], fail_on="high")
        assert first == again and first.endswith("\n")
