"""Start-up (issue 17): no cyclic garbage collection while the program starts.

Starting `zelfscan batch` or the chat makes tens of thousands of objects that live as long
as the process: modules, classes, the questionnaire and rules, prompt_toolkit. Python's
collector walks each of them again and again while they are made (~25 ms of a one-plan run),
and never finds garbage among them. So the program (cli.main, for the commands that start
up heavily) holds collection until start-up is over; then `started()` freezes what exists
(gc.freeze: later collections skip it, and forked batch workers share it without copying)
and collection goes on as normal for the work itself. Only for a real start of the program:
in-process callers (tests) are never affected.
"""

from __future__ import annotations

import gc

_held = False


def hold_gc() -> None:
    """No collection until started() (only if collection is on now)."""
    global _held
    if gc.isenabled() and not _held:
        gc.disable()
        _held = True


def started() -> None:
    """Start-up is over: freeze what it made and collect as normal again. Harmless when
    hold_gc() was not called (then nothing happens)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
