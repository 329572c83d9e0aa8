"""Folder audits, configuration, baselines and diffs: the head office and CI side."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import KPO, KPO_FIXED, ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate_site  # noqa: E402

TODAY = ("--today", "2026-11-25")


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    """200 generated site files in nested folders, one of them broken, one non-site file."""
    root = tmp_path_factory.mktemp("estate")
    for i in range(200):
        sub = root / f"region-{i % 4}"
        sub.mkdir(exist_ok=True)
        data = generate_site(12 + i % 10, seed=i)
        data["site"]["id"] = f"site-{i:03d}"
        (sub / f"site-{i:03d}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    (root / "region-1" / "site-077.yaml").write_text(
        "site: {id: broken, name: Broken}\nzones:\n  - {id: a, kind: pubic}\n"
    )
    (root / "notes.txt").write_text("not a site file")
    return root


def test_folder_audit_in_parallel_keeps_going_past_a_broken_file(estate):
    result = run_cli("check", str(estate), "--jobs", "2", "--format", "json", *TODAY)
    assert result.returncode == 2
    assert "site-077.yaml:3:" in result.stderr and "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    files = [s["file"] for s in data["sites"]]
    assert len(files) == 199 and files == sorted(files)
    assert data["errors"][0]["file"].endswith("site-077.yaml")
    serial = run_cli("check", str(estate), "--jobs", "1", "--format", "json", *TODAY)
    assert serial.stdout == result.stdout


def test_folder_summary_table_worst_first(estate):
    result = run_cli("check", str(estate), "--jobs", "2", "--quiet", *TODAY)
    lines = result.stdout.strip().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("site file"))
    rows = lines[header + 1 : header + 200]
    crit = [int(r.split()[1]) for r in rows]
    assert crit == sorted(crit, reverse=True)
    assert "200 site file(s) found: 199 audited, 1 with errors" in result.stdout
    assert "error:" in result.stdout and "site-077.yaml" in result.stdout


def test_include_and_exclude_globs(estate):
    result = run_cli(
        "check",
        str(estate),
        "--include",
        "region-1/*.yaml",
        "--exclude",
        "**/site-0[0-4]*",
        "--format",
        "json",
        *TODAY,
    )
    files = [Path(s["file"]).name for s in json.loads(result.stdout)["sites"]]
    assert files and all(int(f[5:8]) % 4 == 1 and int(f[5:8]) >= 50 for f in files)


def test_no_site_files_is_usage_error(tmp_path):
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 2 and "no site files found" in result.stderr


# --- configuration ---------------------------------------------------------


def _copy(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    return dst


def test_config_found_upwards_and_flags_win(tmp_path):
    _copy(KPO, tmp_path / "sites" / "kpo.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.siteaudit]\nselect = ["SA-CP-001"]\nfail-on = "critical"\n'
    )
    deep = tmp_path / "sites"
    result = run_cli("check", "kpo.yaml", "--format", "json", *TODAY, cwd=deep)
    rules = {f["rule"] for f in json.loads(result.stdout)["sites"][0]["findings"]}
    assert rules == {"SA-CP-001"} and result.returncode == 1
    flags = run_cli(
        "check", "kpo.yaml", "--select", "SA-TOP-001", "--format", "json", *TODAY, cwd=deep
    )
    assert {f["rule"] for f in json.loads(flags.stdout)["sites"][0]["findings"]} == {"SA-TOP-001"}
    assert flags.returncode == 0  # fail-on critical from the file; SA-TOP-001 is high
    (tmp_path / "siteaudit.toml").write_text('ignore = ["unmanned-checkpoint"]\n')
    own = run_cli("check", "kpo.yaml", "--format", "json", *TODAY, cwd=deep)
    cats = {f["category"] for f in json.loads(own.stdout)["sites"][0]["findings"]}
    assert "unmanned-checkpoint" not in cats and len(cats) > 3


def test_bad_config_is_an_error_with_line(tmp_path):
    _copy(KPO, tmp_path / "kpo.yaml")
    (tmp_path / "siteaudit.toml").write_text('select = ["SA-CP-001"]\nfail_on = "high"\n')
    result = run_cli("check", "kpo.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "siteaudit.toml:2:1" in result.stderr and 'did you mean "fail-on"' in result.stderr


# --- baselines -------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_baseline_unchanged_when_lines_move(tmp_path):
    site = _copy(KPO, tmp_path / "kpo.yaml")
    base = tmp_path / "baseline.json"
    wrote = run_cli("check", str(site), "--write-baseline", str(base), *TODAY)
    assert wrote.returncode == 0 and base.exists()
    # moved lines: no change
    site.write_text("# moved\n\n\n" + site.read_text(encoding="utf-8"), encoding="utf-8")
    same = run_cli("check", str(site), "--baseline", str(base), "--format", "json", *TODAY)
    assert same.returncode == 0, same.stdout[-500:]
    summary = json.loads(same.stdout)["baseline"]
    assert summary["new"] == 0 and summary["fixed"] == [] and summary["unchanged"] > 20


def test_baseline_reports_new_and_fixed(tmp_path):
    site = _copy(KPO, tmp_path / "kpo.yaml")
    base = tmp_path / "baseline.json"
    assert run_cli("check", str(site), "--write-baseline", str(base), *TODAY).returncode == 0
    text = site.read_text(encoding="utf-8")
    side_start = text.index("  - id: side-wall")
    side_end = text.index("gates:")
    side = text[side_start:side_end].replace("condition: intact", "condition: cut")
    text = text[:side_start] + side + text[side_end:]
    text = text.replace(
        "topping: {kind: barbed_wire, condition: cut}   # cut long before",
        "topping: {kind: razor_wire, condition: intact}   # repaired; was cut",
    )
    site.write_text(text, encoding="utf-8")
    result = run_cli("check", str(site), "--baseline", str(base), "--format", "json", *TODAY)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    new = [f for f in data["sites"][0]["findings"] if f.get("baseline") == "new"]
    assert [(f["rule"], f["element"]) for f in new] == [("SA-TOP-001", "side-wall")]
    fixed = [(e["rule"], e["element"]) for e in data["baseline"]["fixed"]]
    assert ("SA-TOP-001", "rear-wall") in fixed
    text_out = run_cli("check", str(site), "--baseline", str(base), *TODAY).stdout
    assert "baseline: 1 new" in text_out and "fixed: kpo  SA-TOP-001  rear-wall" in text_out


def test_bad_baseline_file(tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text("{not json")
    result = run_cli("check", str(KPO), "--baseline", str(bad))
    assert result.returncode == 2 and f"{bad}:1:2" in result.stderr


# --- diff ------------------------------------------------------------------


def test_diff_two_files():
    result = run_cli("diff", str(KPO), str(KPO_FIXED), "--format", "json", *TODAY)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["added"] == [] and len(data["removed"]) > 20
    chief = next(a for a in data["assets"] if a["asset"] == "chief-office")
    assert chief["before"] < 0.01 and chief["after"] > 0.9
    pe = next(
        a
        for a in data["effectiveness"]
        if (a["asset"], a["threat"]) == ("chief-office", "outsider-force")
    )
    assert pe["before"] < 0.01 and pe["after"] >= 0.9
    worse = run_cli("diff", str(KPO_FIXED), str(KPO), *TODAY)
    assert "P(E) by threat and asset" in worse.stdout
    assert worse.returncode == 1
    assert "WORSE by" in worse.stdout and "+ critical" in worse.stdout


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_diff_file_at_git_revisions(tmp_path):
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "config", "user.email", "t@example.invalid")
    _git(tmp_path, "config", "user.name", "t")
    site = _copy(KPO, tmp_path / "sites" / "kpo.yaml")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "one")
    site.write_text("# moved down\n\n" + site.read_text(encoding="utf-8"), encoding="utf-8")
    _git(tmp_path, "commit", "-qam", "moved lines")
    moved = run_cli(
        "diff",
        "sites/kpo.yaml@HEAD~1",
        "sites/kpo.yaml@HEAD",
        "--format",
        "json",
        *TODAY,
        cwd=tmp_path,
    )
    assert moved.returncode == 0, moved.stderr
    data = json.loads(moved.stdout)
    assert data["added"] == [] and data["removed"] == []
    _edit(site, "guards: 2, armed: true}", "guards: 0, armed: true}")
    worse = run_cli(
        "diff", "sites/kpo.yaml@HEAD", "sites/kpo.yaml", "--format", "json", *TODAY, cwd=tmp_path
    )
    added = {(f["rule"], f["element"]) for f in json.loads(worse.stdout)["added"]}
    assert ("SA-CP-001", "cp-main-gate") in added and worse.returncode == 1
    bad = run_cli("diff", "sites/kpo.yaml@nope", "sites/kpo.yaml", cwd=tmp_path)
    assert bad.returncode == 2 and "sites/kpo.yaml@nope:1:1" in bad.stderr


# --- init ------------------------------------------------------------------


def test_init_writes_a_starter_that_validates(tmp_path):
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 0
    assert run_cli("validate", "site.yaml", cwd=tmp_path).returncode == 0
    assert run_cli("check", "site.yaml", cwd=tmp_path).returncode in (0, 1)
    again = run_cli("init", cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr


# --- baselines keyed on the file; duplicate site ids --------------------------


def test_duplicate_site_ids_in_one_run_are_an_error_naming_both(tmp_path):
    import shutil

    shutil.copy(KPO, tmp_path / "a.yaml")
    shutil.copy(KPO, tmp_path / "b.yaml")
    result = run_cli("check", str(tmp_path), "--write-baseline", str(tmp_path / "base.json"))
    assert result.returncode == 2
    assert (
        f'{tmp_path / "b.yaml"}:1:1: error: site id "kpo" is also the id of {tmp_path / "a.yaml"}'
        in (result.stderr)
    )
    assert not (tmp_path / "base.json").exists()


def test_baseline_is_keyed_on_the_file(tmp_path):
    text = KPO.read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text)
    base = tmp_path / "base.json"
    assert run_cli("check", str(tmp_path), "--write-baseline", str(base)).returncode == 0
    entries = json.loads(base.read_text())["findings"]
    assert {e["file"] for e in entries} == {str(tmp_path / "a.yaml")}
    (tmp_path / "a.yaml").rename(tmp_path / "renamed.yaml")
    result = run_cli("check", str(tmp_path), "--baseline", str(base), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["baseline"]["new"] == len(entries)


def test_version_1_baseline_still_matches_on_site_id(tmp_path):
    base = tmp_path / "v1.json"
    run_cli("check", str(KPO), "--write-baseline", str(base))
    doc = json.loads(base.read_text())
    doc["version"] = 1
    for e in doc["findings"]:
        del e["file"]
    base.write_text(json.dumps(doc))
    result = run_cli("check", str(KPO), "--baseline", str(base), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["baseline"]["new"] == 0
