"""CI formats as the tools that read them judge them: Microsoft's SARIF multitool and the
Jenkins xunit schema. The tools are found where ``.ci/run`` installs them (the multitool
from npm, or ``$SARIF_MULTITOOL``; junit-10.xsd from pytest's sdist, or ``$JUNIT_XSD``);
a test skips, saying why, where they are not."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import KPO, ROOT, SHARED, run_cli

MULTITOOL = Path(
    os.environ.get("SARIF_MULTITOOL")
    or ROOT / ".ci" / "node" / "node_modules" / ".bin" / "sarif-multitool"
)
SPACED = Path("my sites") / "école #1.yaml"


@pytest.fixture
def spaced(tmp_path: Path) -> Path:
    """The founding case in a folder whose name has a space, under a name with a non-ASCII
    letter and a ``#`` (each must be percent-encoded in a URI)."""
    (tmp_path / SPACED).parent.mkdir()
    shutil.copy(KPO, tmp_path / SPACED)
    return tmp_path


def _sarif(folder: Path) -> dict:
    result = run_cli("check", str(SPACED), "--format", "sarif", cwd=folder)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_sarif_uris_are_percent_encoded_and_name_the_file(spaced):
    doc = _sarif(spaced)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in doc["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert uris == {"my%20sites/%C3%A9cole%20%231.yaml"}
    assert unquote(uris.pop()) == SPACED.as_posix()
    artifacts = doc["runs"][0]["artifacts"]
    assert [a["location"]["uri"] for a in artifacts] == ["my%20sites/%C3%A9cole%20%231.yaml"]


def test_github_and_gitlab_keep_the_raw_path(spaced):
    github = run_cli("check", str(SPACED), "--format", "github", cwd=spaced).stdout
    assert "file=my sites/école #1.yaml," in github and "%20" not in github
    gitlab = json.loads(run_cli("check", str(SPACED), "--format", "gitlab", cwd=spaced).stdout)
    assert {i["location"]["path"] for i in gitlab} == {"my sites/école #1.yaml"}


def test_sarif_multitool_finds_no_error(spaced, tmp_path):
    """Before the URIs were encoded the multitool gave 61 SARIF1002 errors on this file."""
    if not MULTITOOL.exists():
        pytest.skip(f"Microsoft's SARIF multitool not installed at {MULTITOOL} (.ci/run does)")
    sarif = tmp_path / "out.sarif"
    sarif.write_text(json.dumps(_sarif(spaced)), encoding="utf-8")
    verdict = tmp_path / "verdict.sarif"
    done = subprocess.run(
        [str(MULTITOOL), "validate", str(sarif), "-o", str(verdict)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(verdict.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [(r["ruleId"], r["message"]) for r in results if r.get("level") == "error"] == []


def _xsd() -> Path:
    """$JUNIT_XSD, else where .ci/run puts it (from pytest's sdist), else in shared/."""
    places = [ROOT / ".ci" / "xsd" / "junit-10.xsd", SHARED / "schemas" / "junit-10.xsd"]
    if os.environ.get("JUNIT_XSD"):
        places.insert(0, Path(os.environ["JUNIT_XSD"]))
    for path in places:
        if path.exists():
            return path
    pytest.skip(f"the Jenkins xunit junit-10.xsd is not at {places[0]} (.ci/run puts it there)")


def test_junit_validates_against_the_jenkins_xunit_schema(tmp_path):
    """Findings, a clean file and a file that does not load, all in one report."""
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(_xsd()))
    broken = tmp_path / "broken.yaml"
    broken.write_text("site: {id: b}\nzones: [1]\n", encoding="utf-8")
    clean = ROOT / "sites" / "karachi-police-office-remediated.yaml"
    out = tmp_path / "report.xml"
    result = run_cli(
        "check", str(KPO), str(clean), str(broken), "--format", "junit", "-o", str(out)
    )
    assert result.returncode in (1, 2), result.stderr
    errors = [str(e) for e in schema.iter_errors(str(out))]
    assert errors == []
    text = out.read_text(encoding="utf-8")
    assert f'file="{KPO}"' in text and "<error " in text
