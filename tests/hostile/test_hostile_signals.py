"""Family 9, signals: SIGTERM and SIGINT stop the run, its folder workers and the forked
child of one site's audit, leave no temp file and no traceback, and exit 143/130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import STARTER


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def _start_pool(estate: Path, cwd: Path, *args: str) -> tuple[subprocess.Popen, list[int]]:
    """Start a folder audit with --jobs 2; return once both workers exist."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "audit", "check", str(estate), "--jobs", "2", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    return proc, workers


@pytest.fixture
def estate(tmp_path) -> Path:
    text = STARTER.read_text(encoding="utf-8")
    folder = tmp_path / "estate"
    folder.mkdir()
    for i in range(2000):  # (enough that the run is still going when the signal comes)
        (folder / f"s{i:03d}.yaml").write_text(text.replace("id: my-site", f"id: site-{i}", 1))
    return folder


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_stops_workers_and_exits(estate, tmp_path, sig, code):
    proc, workers = _start_pool(estate, tmp_path, "--format", "json", "-o", str(tmp_path / "r"))
    assert len(workers) >= 2, "the worker pool never started"
    time.sleep(0.5)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    time.sleep(0.2)
    assert not [w for w in workers if _alive(w)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["estate"]


def test_sigterm_at_any_moment_leaves_old_or_new_file_and_no_temp(tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text(STARTER.read_text(encoding="utf-8"))
    out = tmp_path / "report.txt"
    out.write_text("old\n")
    full = subprocess.run(
        [sys.executable, "-m", "audit", "check", str(site), "-o", str(out)], cwd=tmp_path
    )
    new = out.read_text()
    assert full.returncode == 1 and new != "old\n"
    for i in range(12):
        out.write_text("old\n")
        proc = subprocess.Popen(
            [sys.executable, "-m", "audit", "check", str(site), "-o", str(out)],
            cwd=tmp_path,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.1 + 0.05 * i)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode in (1, 143, -signal.SIGTERM), err
        assert "Traceback" not in err
        assert out.read_text() in ("old\n", new)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt", "site.yaml"]


def test_killed_worker_is_exit_2_not_findings(estate, tmp_path):
    proc, workers = _start_pool(estate, tmp_path, "-o", str(tmp_path / "r.txt"))
    assert workers
    time.sleep(0.3)
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert "a worker process died" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["estate"]


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    """A site whose path analysis takes seconds: --jobs 2 forks a child for it."""
    from hostile import ROOT

    out = tmp_path_factory.mktemp("big") / "big.yaml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--zones", "400", "-o", str(out)],
        check=True,
    )
    return out


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_during_forked_check_of_one_file(big_site, tmp_path, sig, code):
    """The forked child of one site's audit (``--jobs 2``) resets the parent's handlers: a
    signal to the whole group (Ctrl-C at a terminal, SIGTERM from CI) ends it quietly."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "audit", "check", str(big_site), "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    children: list[int] = []
    while time.monotonic() < deadline and not children:
        children = _children(proc.pid)
        time.sleep(0.02)
    assert children, "no child was forked"
    time.sleep(0.3)
    os.killpg(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err and "Terminated" not in err, err
    assert err.strip().splitlines() == [
        f"siteaudit: {'terminated' if code == 143 else 'interrupted'}"
    ]
    time.sleep(0.2)
    assert not [c for c in children if _alive(c)]
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_stop_signal_wrapped_by_a_library_is_still_a_stop(monkeypatch):
    """SIGTERM while pydantic builds a model's schema surfaces as its SchemaError: still 143,
    never an internal error (seen when the signal lands during the model's import)."""
    import pytest

    from audit.app import contract

    def body() -> int:
        contract._signalled.append(signal.SIGTERM)
        raise ValueError("SchemaError: Error building validator")

    monkeypatch.setattr(contract, "_signalled", [])
    with pytest.raises(SystemExit) as stop:
        contract.guard(body)
    assert stop.value.code == contract.EXIT_TERMINATED


def test_a_pool_thread_error_after_a_stop_signal_is_not_shown(capsys, monkeypatch):
    """Stopping a folder audit cancels its pending results; the pool's thread may still hand
    one to a cancelled future as it goes. Once a stop signal has come, that thread's error
    is not shown (no traceback); before one, a thread's error is."""
    import threading

    from audit.app import contract

    args = threading.ExceptHookArgs((RuntimeError, RuntimeError("late result"), None, None))
    monkeypatch.setattr(contract, "_signalled", [signal.SIGINT])
    contract._quiet_thread(args)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(contract, "_signalled", [])
    contract._quiet_thread(args)
    assert "late result" in capsys.readouterr().err
