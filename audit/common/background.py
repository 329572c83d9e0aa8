"""Heavy parts of one site's audit computed in forked processes while the rules run.

With ``--jobs`` of 2 or more on a single site file, the path analysis (and P(E) against
declared threats) starts in a child process forked after the site is loaded, so the
child shares the loaded site without pickling it; the parent runs every other rule
meanwhile and takes the result when a rule or report first asks for it. Whatever goes
wrong in a child (a crash, an exception, a kill) only means the parent computes the
part itself, as it would with one job: the output never depends on ``--jobs``.
"""

from __future__ import annotations

import os
import signal
from typing import Any

MISSING = object()
"""What ``Pending.result`` gives when the child did not deliver."""


class Pending:
    """One property of a ``checks.Context`` being computed in a forked child."""

    def __init__(self, ctx: Any, name: str) -> None:
        import multiprocessing

        mp = multiprocessing.get_context("fork")
        self._recv, send = mp.Pipe(duplex=False)
        self._proc = mp.Process(target=_child, args=(ctx, name, send), daemon=True)
        self._proc.start()
        send.close()

    def result(self) -> Any:
        """The child's value, or ``MISSING`` when it failed in any way."""
        try:
            ok, value = self._recv.recv()
        except (EOFError, OSError):
            ok, value = False, None
        finally:
            self._recv.close()
            self._proc.join(timeout=5)
            if self._proc.is_alive():
                self._proc.kill()
        return value if ok else MISSING


def available() -> bool:
    """Forking is how a child gets the loaded site for free; without it, one process."""
    return hasattr(os, "fork")


def _child(ctx: Any, name: str, send: Any) -> None:
    # A forked child inherits the parent's handlers, which raise to unwind the run and print
    # its message: here that would be a traceback from the child. The parent handles Ctrl-C
    # and stops its children with SIGTERM (multiprocessing ends daemons so), which ends one
    # at once, as it ends the folder workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        send.send((True, getattr(ctx, name)))
    except Exception:  # noqa: BLE001 - the parent recomputes and reports it as its own
        send.send((False, None))
    finally:
        send.close()
