"""README's examples come from real runs: these tests keep them true."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import KPO, ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _subset(example, real, where="") -> None:
    """Every key and value the example shows is in the real output (lists: the shown items)."""
    if isinstance(example, dict):
        assert isinstance(real, dict), where
        for key, value in example.items():
            assert key in real, f"{where}.{key}"
            _subset(value, real[key], f"{where}.{key}")
    elif isinstance(example, list) and example and isinstance(example[0], dict):
        for item in example:
            match = [
                r
                for r in real
                if r.get("rule", r.get("file")) == item.get("rule", item.get("file"))
            ]
            assert match, f"{where}: {item.get('rule')}"
            _subset(item, match[0], where)
    else:
        assert example == real, f"{where}: README says {example!r}, a real run gives {real!r}"


def test_json_example_matches_a_real_run():
    (example,) = [b for b in _blocks("json") if '"sites"' in b]
    shown = json.loads(example)
    real = json.loads(
        run_cli("check", str(KPO.relative_to(ROOT)), "--format", "json", cwd=ROOT).stdout
    )
    _subset(shown, real)
    finding = shown["sites"][0]["findings"][0]
    real_finding = next(f for f in real["sites"][0]["findings"] if f["rule"] == finding["rule"])
    assert set(finding) == set(real_finding)


def test_config_example_works_in_siteaudit_toml_and_pyproject(tmp_path):
    from audit.app.config import load_config

    (block,) = [b for b in _blocks("toml") if "[tool.siteaudit]" in b]
    for name in ("siteaudit.toml", "pyproject.toml"):
        path = tmp_path / name
        path.write_text(block, encoding="utf-8")
        cfg = load_config(path)
        assert cfg.fail_on == "high" and cfg.jobs == 4
        assert cfg.ignore == ["SA-CAM-003"]


def test_include_and_exclude_examples(tmp_path):
    lines = [ln for b in _blocks("sh") for ln in b.splitlines()]
    line = next(ln for ln in lines if "--include '" in ln)
    include = re.search(r"--include '([^']+)'", line).group(1)
    exclude = re.search(r"--exclude '([^']+)'", line).group(1)
    from audit.app.batch import discover

    estate = tmp_path / "sites"
    for rel in (
        "region-north/x.yaml",
        "region-north/a/b.yaml",
        "region-south/archive/old.yaml",
        "other/y.yaml",
        "region-east.yaml",
    ):
        (estate / rel).parent.mkdir(parents=True, exist_ok=True)
        (estate / rel).write_text("x: 1\n")
    found = discover([str(estate)], [include], [exclude])
    rels = sorted(Path(f).relative_to(estate).as_posix() for f in found)
    assert rels == ["region-north/a/b.yaml", "region-north/x.yaml"]


def test_single_star_does_not_cross_folders(tmp_path):
    from audit.app.batch import discover

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "x.yaml").write_text("x: 1\n")
    (tmp_path / "a" / "b" / "y.yaml").write_text("x: 1\n")
    found = discover([str(tmp_path)], ["a/*.yaml"], [])
    assert [Path(f).name for f in found] == ["x.yaml"]


def test_readme_names_no_file_outside_the_repository():
    assert "DESIGN.md" not in README
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if "://" not in target:
            assert (ROOT / target).exists(), target


def test_every_format_is_documented():
    from audit.report import FORMATS

    for fmt in FORMATS:
        assert f"`{fmt}`" in README, fmt


def test_starter_example_validates(tmp_path):
    shutil.copy(ROOT / "sites" / "riverside-school.yaml", tmp_path / "s.yaml")
    assert run_cli("validate", str(tmp_path / "s.yaml")).returncode == 0


def test_rule_count_in_readme_is_current():
    from audit.rules.checklist import load_rules

    assert f"holds {len(load_rules([]))} rules" in README


def test_paths_example_matches_a_real_run():
    match = re.search(
        r"```\n(sites/karachi-police-office.yaml: adversary paths \(kpo\)\n.*?)```", README, re.S
    )
    real = run_cli(
        "paths",
        "sites/karachi-police-office.yaml",
        "--at",
        "19:00",
        "--asset",
        "chief-office",
        cwd=ROOT,
    )
    assert match.group(1) == real.stdout
