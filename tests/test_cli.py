"""CLI start-up and conventions."""

from __future__ import annotations

import subprocess
import sys

from conftest import run_cli

from audit import __version__


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_version_does_not_import_heavy_modules():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from audit.cli.main import main\n"
        "r = CliRunner().invoke(main, ['--version'])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = [m for m in ('networkx', 'pydantic', 'yaml') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_import_audit_is_light():
    code = (
        "import sys, audit; print(sorted(m for m in ('networkx','pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_command_is_usage_error():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
