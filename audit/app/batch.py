"""Audit many site files: find them, run them in parallel, keep going past bad ones.

Each worker process loads the checklists once, then audits the files it is
given; a bad file comes back as its problems instead of a result, so one
broken file never stops the others. Results come back in file order, so the
output does not depend on ``--jobs``.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ALWAYS_EXCLUDED = (".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__")


MAX_FOLDER_DEPTH = 100
"""Levels of folders below a folder given that are searched for site files."""
MAX_PATTERN = 1000
"""Characters of one --include or --exclude pattern."""


def _spec(patterns: Iterable[str], what: str) -> Any:
    """Patterns with .gitignore rules: ``*`` stays in one folder, ``**/`` matches zero or more.
    A pattern that is not one is a usage error naming it (exit 2), never an internal error."""
    import re

    import click
    import pathspec

    from audit.common.errors import excerpt

    patterns = list(patterns)
    for p in patterns:
        why = f"longer than {MAX_PATTERN} characters" if len(p) > MAX_PATTERN else ""
        if not why:
            try:
                pathspec.GitIgnoreSpec.from_lines([p])
            except (re.error, ValueError, RecursionError) as exc:
                why = str(exc).split(":")[0] if isinstance(exc, ValueError) else str(exc)
        if why:
            raise click.UsageError(
                f"{what} pattern {excerpt(p)} is not valid ({why[:80]}); expected .gitignore "
                'rules, e.g. "**/*.yaml" or "sites/*.yml"'
            )
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _matches(spec: Any, full: Path, rel: str) -> bool:
    """Matched against the path below the folder given, and the path below the working folder."""
    if spec.match_file(rel):
        return True
    try:
        here = full.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return False
    return here != rel and spec.match_file(here)


def discover(
    args: Iterable[str],
    include: list[str],
    exclude: list[str],
    problems: list[Any] | None = None,
) -> list[str]:
    """Site files named by ``args``: files as given, directories searched recursively.

    Folders that cannot be read are added to ``problems`` (when given) rather
    than skipped in silence.
    """
    from audit.common.errors import Problem

    def unreadable(exc: OSError) -> None:
        if problems is not None:
            why = (exc.strerror or str(exc)).lower()
            problems.append(Problem(str(exc.filename or "?"), 1, 1, f"cannot read folder: {why}"))

    found: list[str] = []
    seen: set[str] = set()
    wanted, unwanted = _spec(include, "include"), _spec(exclude, "exclude")
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            hits = []
            for dirpath, dirnames, filenames in os.walk(p, onerror=unreadable):
                dirnames[:] = sorted(d for d in dirnames if d not in ALWAYS_EXCLUDED)
                if dirnames and len(Path(dirpath).relative_to(p).parts) >= MAX_FOLDER_DEPTH:
                    # os.walk recurses once per level: stop well before Python's limit
                    if problems is not None:
                        problems.append(
                            Problem(
                                str(Path(dirpath) / dirnames[0]),
                                1,
                                1,
                                f"folder is more than {MAX_FOLDER_DEPTH} levels below {arg}; "
                                "not searched (name the folder itself to audit it)",
                            )
                        )
                    dirnames[:] = []
                for name in filenames:
                    full = Path(dirpath) / name
                    rel = full.relative_to(p).as_posix()
                    if _matches(wanted, full, rel) and not _matches(unwanted, full, rel):
                        hits.append(str(full))
            candidates = sorted(hits)
        else:
            candidates = [arg]
        for c in candidates:
            if c not in seen:
                seen.add(c)
                found.append(c)
    return found


@dataclass(frozen=True)
class Job:
    checklists: tuple[str, ...]
    builtin: bool
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    at: str | None
    today: dt.date
    plan: bool = False
    """Add each site's upgrade plan (``siteaudit improve``) to its result."""
    fail_on: str = "high"
    paths: bool = True
    """Compute the path analysis for the reports even where no rule needed it."""
    site_jobs: int = 1
    """Processes for one site's own audit (``run.audit_site``): more than 1 only when a
    single file is audited with ``--jobs``."""
    keep_model: bool = True
    """Keep each result's model and analysis (reports that draw them need them); else each
    result is slimmed as it finishes, in its worker (``SiteResult.slim``)."""
    least: bool = False
    """The summary table is written: keep each site's least P(I) (``SiteResult.freeze``)."""
    record: bool = False
    """Build each site's history record (``history.records.from_result``: findings, P(I) and
    P(E) per asset) in its worker, before it is slimmed: ``check --record`` then needs
    neither the model nor the analysis kept, and holds a few kilobytes a site."""


_STATE: dict[str, Any] = {}


def _init(job: Job, loaded: tuple[list[Any], list[Any]] | None = None) -> None:
    """Load the rules once per process (a forked worker inherits them from the parent)."""
    from audit.rules.checklist import load_rules, select_rules

    if loaded is None and os.getpid() != _STATE.get("parent"):
        # a worker: the parent handles Ctrl-C and SIGTERM and stops the workers
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _STATE.get("job") == job:
        return
    if loaded is None:
        known = load_rules(list(job.checklists), builtin=job.builtin)
        loaded = known, select_rules(known, list(job.select), list(job.ignore))
    _STATE["job"] = job
    _STATE["known"], _STATE["rules"] = loaded


def _audit_one(path: str) -> tuple[str, Any, list[Any] | None]:
    from audit.app.run import audit_file
    from audit.common.errors import SiteError

    job: Job = _STATE["job"]
    try:
        result = audit_file(
            path,
            _STATE["rules"],
            at=job.at,
            today=job.today,
            known=_STATE["known"],
            jobs=job.site_jobs,
            paths=job.paths,
        )
    except SiteError as exc:
        return path, None, exc.problems
    if job.plan:
        result.plan = _plan(path, job)
    result.freeze(paths=job.paths, least=job.least and not job.keep_model)
    if job.record:
        from audit.history.records import from_result

        result.record = from_result(result)
    if not job.keep_model:
        result.slim()
    _sweep()
    return path, result, None


SWEEP = 64
"""Sites a process audits between full garbage collections (``_sweep``)."""


def _sweep() -> None:
    """Collect the cyclic garbage a site leaves (a networkx graph keeps views of itself;
    until the path analysis's response force held its values by a proxy, the whole model
    was such garbage, 6,000 objects on a typical site) as soon as it is done, while little
    else is young. Left to the collector's own threshold, those collections came in the
    middle of a later site and went through all of its live work too: a fifth of a fleet's
    time. A full collection every ``SWEEP`` sites frees what grew old before
    it became garbage; what lives after the second site (the modules, the rules) is frozen
    out of those collections then. (A caller that turned the collector off is left alone.)"""
    if not gc.isenabled():
        return
    done = _STATE["swept"] = _STATE.get("swept", 0) + 1
    gc.collect(2 if done == 2 or done % SWEEP == 0 else 0)
    if done == 2:  # (not after the first: a run of one site would pay for it alone)
        gc.freeze()


def _audit_sent(path: str) -> tuple[str, Any, list[Any] | None]:
    """``_audit_one`` in a worker: the result goes back without its rules, which the parent
    loaded too (unpickling them took the parent more than a site's share of a fleet)."""
    item = _audit_one(path)
    if item[1] is not None:
        item[1].rules = []
    return item


def _plan(path: str, job: Job) -> dict[str, Any]:
    """The site's upgrade plan with the shipped prices, closing findings at ``job.fail_on``."""
    from audit.report.views.improve import to_dict
    from audit.site.source import read_document
    from audit.upgrade.candidates import merge_costs
    from audit.upgrade.plan import improve

    plan = improve(
        read_document(path),
        costs=merge_costs(None),
        rules=_STATE["rules"],
        fail_on=job.fail_on,
        today=job.today,
    )
    return to_dict(plan)


def audit_many(
    files: list[str],
    job: Job,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    loaded: tuple[list[Any], list[Any]] | None = None,
) -> list[tuple[str, Any, list[Any] | None]]:
    """(file, result or None, problems or None) for every file, in the order given.

    ``loaded`` is (every rule, the rules selected) when the caller has them already.
    """
    return list(each_audit(files, job, jobs=jobs, progress=progress, loaded=loaded))


def each_audit(
    files: list[str],
    job: Job,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    loaded: tuple[list[Any], list[Any]] | None = None,
) -> Iterator[tuple[str, Any, list[Any] | None]]:
    """``audit_many``, one file at a time as each finishes, in the order given: a caller
    that folds each result in and lets it go holds one site at a time, not the fleet."""
    _STATE["parent"] = os.getpid()
    _init(job, loaded)
    if jobs <= 1 or len(files) <= 1:
        for f in files:
            yield _audit_one(f)
            if progress:
                progress(1)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init, initargs=(job,))
    try:
        chunk = max(1, min(16, len(files) // (jobs * 4) or 1))
        for item in pool.map(_audit_sent, files, chunksize=chunk):  # (in the order given)
            if item[1] is not None:
                item[1].rules = _STATE["rules"]
            yield item
            if progress:
                progress(1)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _stop(pool: Any) -> None:
    """Stop the workers now (on Ctrl-C, SIGTERM or a dead worker): they hold the output pipes."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    for w in workers:
        if w.is_alive():
            w.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for w in workers:
        w.join(timeout=5)


def duplicate_sites(outcome: list[tuple[str, Any, list[Any] | None]]) -> list[Any]:
    """A problem for every audited file whose ``site.id`` an earlier file already uses
    (baselines and reports key on it)."""
    from audit.common.errors import Problem, excerpt

    owners: dict[str, str] = {}
    clashes = []
    for path, result, problems in outcome:
        if problems:
            continue
        first = owners.setdefault(result.site, path)
        if first != path:
            clashes.append(
                Problem(
                    path,
                    1,
                    1,
                    f"site id {excerpt(result.site)} is also the id of {first}; "
                    "give each site file its own site.id",
                )
            )
    return clashes


def default_jobs() -> int:
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return max(1, count or 1)
