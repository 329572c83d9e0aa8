"""Record one ``check`` run in a history database: which sites, which findings, what P(I)
and P(E), against which rules, at which commit of the site repository."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audit import __version__

if TYPE_CHECKING:
    from audit.history.records import SiteRecord
    from audit.rules.checklist import Rule


def revision(paths: Sequence[str]) -> str | None:
    """The git commit of the repository holding the audited paths, if they are in one."""
    where = Path(paths[0]) if paths else Path.cwd()
    folder = where if where.is_dir() else where.parent
    try:
        out = subprocess.run(  # noqa: S603 - fixed argv, no shell, no network
            ["git", "-C", str(folder or "."), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.stdout.strip()
    return text if out.returncode == 0 and len(text) in (40, 64) else None


def records_of(outcome: Iterable[tuple[str, Any, Any]]) -> list[SiteRecord]:
    """Each file's record: built in its worker where the job asked (``Job.record``), else
    from the result's analysis here; a file that failed to load, as such."""
    from audit.history.records import failed, from_result

    return [
        failed(path) if problems else (result.record or from_result(result))
        for path, result, problems in outcome
    ]


def record_outcome(
    target: str,
    records: list[SiteRecord],
    rules: list[Rule],
    today: dt.date,
    paths: Sequence[str],
) -> int:
    """Write the run (``records``: every file, audited or failed to load, ``records_of``)
    in one transaction; its id."""
    from audit.history import store

    run = store.RunInfo(
        run_date=today,
        recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        revision=revision(paths),
        tool_version=__version__,
        checklists=store.checklist_digest(rules),
    )
    engine = store.engine_for(target)
    try:
        return store.record(engine, run, sorted(records, key=lambda r: r.site))
    finally:
        engine.dispose()
