"""Bounded reads and safe writes: the file side of the exit-code contract.

Reads never trust the size a file reports (``/dev/zero`` and FIFOs say 0):
they accept regular files only, opened without blocking, and read at most a
fixed number of bytes from the stream. Writes replace a regular file
atomically (temp file beside it, then rename; the old file's mode kept),
write through to anything else (``/dev/null``, a FIFO, a terminal), follow
symlinks to their target, and refuse to touch any file this run reads.
Every failure is a ``SiteError`` (exit code 2), never a traceback.
"""

from __future__ import annotations

import os
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from audit.common.errors import Problem, SiteError

MAX_BYTES = 32 * 1024 * 1024
MAX_VALUES = 1_000_000
"""Values (YAML nodes, JSON values) in one input file: bounds the memory of any file."""
MAX_DEPTH = 64
"""Levels of nesting in one input file."""
_CHUNK = 1 << 20
_inputs: set[tuple[int, int]] = set()


def _fail(path: str | os.PathLike[str], message: str) -> SiteError:
    return SiteError([Problem(str(path), 1, 1, message)])


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def protect(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Record ``paths`` as inputs of this run: no output may be written over them."""
    for p in paths:
        try:
            st = os.stat(p)
        except (OSError, ValueError):
            continue
        _inputs.add((st.st_dev, st.st_ino))


def read_bytes(
    path: str | os.PathLike[str], *, what: str = "file", limit: int = MAX_BYTES
) -> bytes:
    """The bytes of regular file ``path``, at most ``limit`` of them; ``-`` is standard input."""
    if str(path) == "-":
        return _read_stream(sys.stdin.buffer, "<stdin>", what, limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as exc:
        raise _fail(path, f"cannot read {what}: {_reason(exc)}") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise _fail(path, f"cannot read {what}: it is {_kind(st.st_mode)}; expected a file")
    with os.fdopen(fd, "rb", buffering=0) as fh:
        if st.st_size > limit:
            raise _fail(path, f"{what} is {st.st_size} bytes; the limit is {limit} bytes")
        _inputs.add((st.st_dev, st.st_ino))
        return _read_stream(fh, str(path), what, limit)


def _read_stream(fh: object, name: str, what: str, limit: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    try:
        while True:
            chunk = fh.read(min(_CHUNK, limit + 1 - total))  # type: ignore[attr-defined]
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _fail(name, f"{what} is more than {limit} bytes; the limit is {limit} bytes")
    except OSError as exc:
        raise _fail(name, f"cannot read {what}: {_reason(exc)}") from None
    return b"".join(parts)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower() if exc.strerror[:1].isupper() else exc.strerror
    return str(exc) or type(exc).__name__


def check_outputs(paths: Iterable[str | None]) -> None:
    """Refuse, before any work is done, outputs that would overwrite an input or a folder."""
    problems = []
    seen: dict[str, str] = {}
    for p in paths:
        if p is None or p == "-":
            continue
        real = os.path.realpath(p)
        if real in seen:
            problems.append(
                Problem(p, 1, 1, f"two outputs of this run name the same file ({seen[real]})")
            )
            continue
        seen[real] = p
        try:
            st = os.stat(p)
        except (OSError, ValueError):
            continue
        if (st.st_dev, st.st_ino) in _inputs:
            problems.append(
                Problem(p, 1, 1, "refusing to write over a file this run reads; choose another")
            )
        elif stat.S_ISDIR(st.st_mode):
            problems.append(Problem(p, 1, 1, "cannot write: it is a directory; expected a file"))
    if problems:
        raise SiteError(problems)


def write_output(text: str, path: str | None) -> None:
    """Write ``text`` to ``path`` (stdout when None or ``-``), never half-written.

    SIGINT and SIGTERM wait while a file is replaced, so an interrupted run
    leaves either the old file or the new one, and no temp file.
    """
    if path is None or path == "-":
        _to_stdout(text)
        return
    check_outputs([path])
    data = text.encode("utf-8")
    try:
        _write(data, path)
    except OSError as exc:
        raise _fail(path, f"cannot write: {_reason(exc)}") from None


def _to_stdout(text: str) -> None:
    """All of ``text`` to standard output, or BrokenPipeError (exit 141) when the reader went
    away. With PYTHONUNBUFFERED (usual in containers and CI) stdout has no buffer, and a text
    write that the pipe takes only in part (``| head``) is dropped in silence: so the bytes
    go out through the descriptor until every one is written."""
    out = sys.stdout
    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):  # a stream in memory (tests, CliRunner)
        out.write(text)
        out.flush()
        return
    out.flush()
    view = memoryview(text.encode(out.encoding or "utf-8", out.errors or "strict"))
    while view:
        view = view[os.write(fd, view) :]


def update_input(text: str, path: str) -> None:
    """Write ``text`` over ``path``, a file this run read on purpose to change it (``survey
    apply``), the same way as ``write_output``: never half-written, its mode kept."""
    try:
        _write(text.encode("utf-8"), path)
    except OSError as exc:
        raise _fail(path, f"cannot write: {_reason(exc)}") from None


def _write(data: bytes, path: str) -> None:
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "is a directory")
        with open(path, "wb") as fh:
            fh.write(data)
        return
    target = Path(os.path.realpath(path))
    blocked = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        _replace(data, target, st)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _replace(data: bytes, target: Path, st: os.stat_result | None) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:200]}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if st is not None:
                os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))
                if os.geteuid() == 0:
                    os.fchown(fh.fileno(), st.st_uid, st.st_gid)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(fh.fileno(), 0o666 & ~umask)
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
