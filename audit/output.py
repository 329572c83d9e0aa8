"""Write output all at once: to stdout, or to a file through a temp file and rename."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write_output(text: str, path: str | None) -> None:
    """Write ``text`` to ``path`` atomically (never half-written), or to stdout when None/'-'."""
    if path is None or path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
