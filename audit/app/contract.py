"""The exit-code contract every command runs under.

0 clean, 1 findings, 2 bad input or any failure to read or write (never a
traceback), 130 on Ctrl-C, 141 when the reader of standard output went away,
143 on SIGTERM. A command's body is a function returning its code; ``guard``
runs it, turns every failure into a ``file:line:col: error:`` message or a
one-line ``siteaudit: error:``, and exits.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE, EXIT_TERMINATED = 130, 141, 143


def report_errors(errors: Iterable[Any]) -> None:
    for problem in errors:
        click.echo(str(problem), err=True)


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that clean-up runs and workers stop."""


_signalled: list[int] = []


def _on_signal(signum: int, frame: Any) -> None:
    """Remember the signal, then stop the run where it stands.

    Python may deliver the exception inside a callback that swallows it (a
    weakref or import-lock callback); the run then goes on, so ``_guard``
    also checks what was remembered and exits 130 or 143 all the same.
    """
    import signal

    _signalled.append(signum)
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def _quiet_unraisable(unraisable: Any) -> None:
    """Say nothing of a stop signal swallowed by a callback (``_guard`` acts on it)."""
    if isinstance(unraisable.exc_value, Terminated | KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


def _quiet_thread(args: Any) -> None:
    """Say nothing of a helper thread's error once a stop signal has come: stopping a folder
    audit cancels its pending results, and the pool's own thread may still hand one to a
    cancelled future (``InvalidStateError``) as it goes. Any other thread error is shown."""
    import threading

    if _signalled:
        return
    threading.__excepthook__(args)


def guard(fn: Callable[[], int]) -> None:
    """Run ``fn`` under the exit-code contract.

    0 clean, 1 findings, 2 bad input or any failure to read or write (never a
    traceback), 130 on Ctrl-C, 141 when the reader of standard output went away,
    143 on SIGTERM.
    """
    import os
    import signal
    import threading

    from audit.common.errors import SiteError, printable

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    sys.unraisablehook = _quiet_unraisable
    threading.excepthook = _quiet_thread
    try:
        code = fn()
        if _signalled:
            raise Terminated if _signalled[0] == signal.SIGTERM else KeyboardInterrupt
    except SiteError as exc:
        report_errors(exc.problems)
        code = EXIT_INPUT
    except click.ClickException:
        raise
    except KeyboardInterrupt:
        click.echo("siteaudit: interrupted", err=True)
        code = EXIT_INTERRUPTED
    except Terminated:
        click.echo("siteaudit: terminated", err=True)
        code = EXIT_TERMINATED
    except BrokenPipeError:
        # the reader went away (`| head`): say nothing more, as a process killed by SIGPIPE
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_BROKEN_PIPE
    except OSError as exc:
        where = f"{printable(str(exc.filename))}: " if exc.filename else ""
        click.echo(f"siteaudit: error: {where}{exc.strerror or exc}", err=True)
        code = EXIT_INPUT
    except MemoryError:
        click.echo("siteaudit: error: out of memory", err=True)
        code = EXIT_INPUT
    except Exception as exc:
        if _signalled:
            # the stop signal's exception surfaced inside a library that wrapped it (pydantic
            # building a model's schema when SIGTERM lands reports a SchemaError)
            stopped = _signalled[0] == signal.SIGTERM
            click.echo("siteaudit: terminated" if stopped else "siteaudit: interrupted", err=True)
            code = EXIT_TERMINATED if stopped else EXIT_INTERRUPTED
        elif type(exc).__name__ == "BrokenProcessPool":
            click.echo(
                "siteaudit: error: a worker process died (killed, or out of memory); "
                "nothing was written; try --jobs 1",
                err=True,
            )
            code = EXIT_INPUT
        elif os.environ.get("SITEAUDIT_DEBUG"):
            raise
        else:
            click.echo(
                f"siteaudit: internal error: {type(exc).__name__}: {printable(str(exc))[:300]} "
                "(set SITEAUDIT_DEBUG=1 for the traceback, and please report it)",
                err=True,
            )
            code = EXIT_INPUT
    sys.exit(code)
