"""Helpers for the hostile-input tests: run the real CLI, prove nothing else changed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTER = Path(str(resources.files("audit.data") / "starter.yaml"))


def siteaudit(*args: object, cwd: Path, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    """Run ``python -m audit`` in ``cwd``; never a traceback, whatever happens."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("SITEAUDIT_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "audit", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        **kw,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout
    return proc


def error_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in proc.stderr.splitlines() if ln.strip()]


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``folder``: (mode, sha256). Symlinks by their target text."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p)] = (0, os.readlink(p))
        elif p.is_file():
            out[str(p)] = (p.stat().st_mode, hashlib.sha256(p.read_bytes()).hexdigest())
        else:
            out[str(p)] = (p.stat().st_mode, "")
    return out
