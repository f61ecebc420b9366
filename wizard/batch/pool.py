"""Worker processes for `zelfscan batch`: all cores, input order, and no orphans.

- Workers are forked, so the loaded questionnaire and rules are inherited, not pickled.
- A worker ends when the batch process ends, however it ends (also SIGKILL): on Linux the
  kernel sends it SIGTERM (prctl PR_SET_PDEATHSIG); elsewhere a thread watches the parent.
  A worker stopped in the middle of a plan unwinds first, so its temp files are removed.
- Ctrl-C goes to the batch process only; it stops the run after the plans in progress.
- A worker that dies (killed, out of memory) costs only the file it was working on: the
  files it and its siblings had not finished are each run again in a fresh process, and a
  file that kills its own fresh process too is that file's failure.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

AHEAD_PER_WORKER = 16  # items submitted ahead of the one whose result is read
_END = object()

_PARENT_PID: int | None = None
_IN_TASK = False
_PARENT_GONE = False  # SIGTERM came: the batch process is gone


class _ParentGone(BaseException):
    """Raised in a worker whose batch process died, to unwind the plan being written."""


def _on_term(_signum: int, _frame: object) -> None:
    global _PARENT_GONE
    _PARENT_GONE = True
    if _IN_TASK:
        raise _ParentGone()
    os._exit(1)


def _die_with_parent() -> bool:
    """Ask Linux to send SIGTERM when the parent dies; False when not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        return libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


def init_worker(parent: int) -> None:
    """Pool initializer: no Ctrl-C (the batch process handles it), end with the parent."""
    global _PARENT_PID
    _PARENT_PID = parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # died before we asked to be told
        os._exit(1)


def guarded(fn: Callable[[T], R], item: T) -> R:
    """Run one task in a worker; if the parent dies meanwhile, unwind and exit."""
    global _IN_TASK
    _IN_TASK = True
    try:
        return fn(item)
    except _ParentGone:
        os._exit(1)
    finally:
        _IN_TASK = False
        # The signal can arrive while Python code runs inside a callback from C (a __del__;
        # nh3's attribute filter, until html_out.sanitize held signals): there the exception
        # is printed and dropped, the task goes on to its end, and the worker would then wait
        # for work forever. Seen in CI.
        if _PARENT_GONE:
            os._exit(1)


def make_pool(workers: int) -> Any:
    """A fork-based process pool whose workers end with this process; None without fork."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("fork"),
                               initializer=init_worker, initargs=(os.getpid(),))


class Workers:
    """A process pool that survives the death of a worker (see the module docstring)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = make_pool(workers)

    @property
    def available(self) -> bool:
        return self.pool is not None

    def map(self, fn: Callable[[T], R], items: Sequence[T], died: Callable[[T], R],
            retry: Callable[[T], T] | None = None) -> Iterator[R]:
        """fn over items, results in input order.

        When the pool breaks, the first unfinished item is run again on its own in a fresh
        process (`died(item)` is its result if that process dies too) and the rest go to a
        fresh pool, so one killer file costs only itself. `retry(item)` gives the item to run
        again (a broken worker may have finished its work without reporting it).
        """
        start = 0
        while start < len(items):
            rest = items[start:]
            todo = iter(rest if retry is None or start == 0 else (retry(item) for item in rest))
            # Only a few items are in flight at a time (enough to keep every worker busy):
            # a future keeps its result, so submitting everything at once kept every result
            # of the run twice until the end (3,420 files: +20 % peak memory; issue 17).
            window: deque[Future] = deque()
            ahead = max(2, self.workers * AHEAD_PER_WORKER)

            broke = stalled = False
            try:
                self._fill(window, todo, fn, ahead)
            except BrokenProcessPool:
                broke = True
            while window and not broke:
                fut = window.popleft()
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    broke = True
                    break
                start += 1
                if not stalled:
                    try:
                        self._fill(window, todo, fn, ahead)
                    except BrokenProcessPool:
                        stalled = True  # what is in flight still reports; then start afresh
                del fut
                yield result
            if stalled and not broke and start < len(items):
                # The pool broke after the last result without failing one in flight.
                self._end_broken_pool()
                self.pool = make_pool(self.workers)
                continue
            if broke:
                self._end_broken_pool()
                again = items[start] if retry is None else retry(items[start])
                yield run_isolated(fn, again, died)
                start += 1
                self.pool = make_pool(self.workers)

    def _fill(self, window: deque[Future], todo: Iterator[Any], fn: Callable[[Any], Any],
              ahead: int) -> None:
        """Submit items from `todo` until `ahead` are in flight (raises BrokenProcessPool)."""
        while len(window) < ahead:
            item = next(todo, _END)
            if item is _END:
                return
            window.append(self.pool.submit(guarded, fn, item))

    def close(self, *, wait: bool = True) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)

    def _end_broken_pool(self) -> None:
        """Stop what is left of a broken pool before starting a fresh one.

        A surviving worker can be blocked writing a result that nobody reads any more; the
        executor's own clean-up then joins it forever and the batch process never exits
        (seen at interpreter exit). SIGTERM ends such a worker at once, and a worker in the
        middle of a plan unwinds first (see `_on_term`), so no temp file stays behind.
        """
        processes = getattr(self.pool, "_processes", None) or {}  # CPython's executor
        alive = [proc for proc in list(processes.values()) if proc.is_alive()]
        for proc in alive:
            proc.terminate()
        for proc in alive:  # unwound before a fresh pool writes the same plans again
            proc.join(timeout=5)
        self.pool.shutdown(wait=False, cancel_futures=True)


def run_isolated(fn: Callable[[T], R], item: T, died: Callable[[T], R]) -> R:
    pool = make_pool(1)
    if pool is None:
        return fn(item)
    try:
        return pool.submit(guarded, fn, item).result()
    except BrokenProcessPool:
        return died(item)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
