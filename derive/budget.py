"""Run a computation under a wall-clock budget that works in any thread."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from derive.errors import BudgetExceeded

T = TypeVar("T")

#: Seconds after which an expired budget fires again, should its first signal have been swallowed.
_REARM = 0.05


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """The result of :func:`run_with_budget`: a value, or ``timed_out``.

    Examples
    --------
    >>> Outcome(value=3, timed_out=False).value
    3
    """

    value: T | None
    timed_out: bool


def _alarm_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _run_with_alarm(fn: Callable[[], T], seconds: float) -> Outcome[T]:
    def expire(signum: int, frame: Any) -> None:
        # An exception raised while a GC callback or __del__ runs is swallowed by the interpreter;
        # re-arm so the budget still ends the computation a moment later.
        signal.setitimer(signal.ITIMER_REAL, _REARM)
        raise BudgetExceeded(f"budget of {seconds:g} s exceeded", seconds=seconds)

    outer_left = signal.getitimer(signal.ITIMER_REAL)[0]
    start = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left > 0 else seconds)
    try:
        return Outcome(fn(), False)
    except (BudgetExceeded, RecursionError):
        return Outcome(None, True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:  # an enclosing budget is running: hand its remainder back
            left = outer_left - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6))


def _child(fn: Callable[[], Any], conn: Any) -> None:  # pragma: no cover - runs in a fork
    try:
        conn.send(("ok", fn()))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("error", exc))
    finally:
        conn.close()


def _run_in_process(fn: Callable[[], T], seconds: float) -> Outcome[T]:
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, child), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            return Outcome(None, True)
        status, payload = parent.recv()
    except EOFError:
        return Outcome(None, True)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if status == "error":
        raise payload
    return Outcome(payload, False)


def run_with_budget(fn: Callable[[], T], seconds: float) -> Outcome[T]:
    """Call ``fn()`` and give up after ``seconds`` of wall-clock time.

    In the main thread an interval timer interrupts the computation; in any
    other thread (where signals cannot be delivered) the call runs in a forked
    process that is killed when the budget expires, so the budget holds in
    threads and subprocesses alike. Exceptions raised by ``fn`` propagate.

    Parameters
    ----------
    fn : callable
        A function of no arguments. Its result must be picklable when the
        call runs outside the main thread.
    seconds : float
        The budget; must be positive.

    Returns
    -------
    Outcome
        ``Outcome(value, False)`` on success, ``Outcome(None, True)`` on expiry.

    Examples
    --------
    >>> run_with_budget(lambda: 2 + 2, 1.0)
    Outcome(value=4, timed_out=False)
    """
    if seconds <= 0:
        raise ValueError("the budget must be positive")
    if _alarm_usable():
        return _run_with_alarm(fn, seconds)
    if os.name == "posix":
        return _run_in_process(fn, seconds)
    return Outcome(fn(), False)  # pragma: no cover - no way to interrupt here
