"""Locks that keep two writers apart: a chat session file, a batch output folder.

A lock is a hidden file next to what it protects, holding who has it (process id, start
time of that process, computer, since when). On Unix the kernel lock (flock) decides, so a
lock whose holder was killed is free at once and is simply taken over; the file's content
is only information for the message ("open elsewhere since 10:42"). Where flock is not
available (some network shares, Windows), the lock file is created exclusively and a lock
whose process is gone (or whose process id now belongs to a process started later) counts
as stale and is taken over.

A forked child (a batch worker) closes its copy of every held lock at once, so a lock never
outlives the process that took it, whatever happens to its workers.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

# Descriptors of locks this process holds; closed in forked children (see above).
_HELD: set[int] = set()


def _close_in_child() -> None:
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


@dataclass(frozen=True)
class Holder:
    """Who holds (or held) a lock, as written in the lock file."""

    pid: int
    host: str
    since: str  # ISO time, local, seconds
    started: str = ""  # the holder process's own start time (pid reuse guard)
    what: str = ""  # e.g. "gesprek", "batch"

    def since_text(self) -> str:
        """'sinds 10:42' today, 'sinds 3 maart 10:42' on another day."""
        try:
            when = _dt.datetime.fromisoformat(self.since)
        except ValueError:
            return "sinds onbekende tijd"
        if when.date() == _dt.date.today():
            return f"sinds {when:%H:%M}"
        months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                  "september", "oktober", "november", "december")
        return f"sinds {when.day} {months[when.month - 1]} {when:%H:%M}"

    def where_text(self) -> str:
        here = self.host == socket.gethostname()
        return (f"op deze computer, proces {self.pid}" if here else
                f"op computer {self.host}, proces {self.pid}")


class LockBusy(Exception):
    """The lock is held by another live process."""

    def __init__(self, path: Path, holder: Holder | None) -> None:
        super().__init__(str(path))
        self.path = path
        self.holder = holder


def _proc_start(pid: int) -> str:
    """A process's start time (clock ticks since boot) on Linux; '' elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
        return stat.rsplit(")", 1)[1].split()[19]  # field 22 of the whole line
    except (OSError, IndexError):
        return ""


def _alive(holder: Holder) -> bool:
    if holder.host != socket.gethostname():
        return True  # another computer: we cannot tell, so assume it lives
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass  # exists, not ours
    started = _proc_start(holder.pid)
    return not (holder.started and started and started != holder.started)


def read_holder(path: Path) -> Holder | None:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.loads(fh.read(4096) or "{}")
        return Holder(int(data["pid"]), str(data["host"]), str(data["since"]),
                      str(data.get("started", "")), str(data.get("what", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class FileLock:
    """An exclusive lock on `path` (the lock file itself, e.g. `.gemeente.yaml.lock`).

    `acquire()` raises LockBusy with the holder; `took_over` then holds the previous
    holder when a stale lock (its process gone) was taken over. `release()` is safe to
    repeat.
    """

    def __init__(self, path: str | Path, what: str = "") -> None:
        self.path = Path(path)
        self.what = what
        self.fd: int | None = None
        self.took_over: Holder | None = None
        self._exclusive_file = False

    @property
    def held(self) -> bool:
        return self.fd is not None

    def acquire(self) -> None:
        if self.fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(50):  # only repeats when a holder removed the file in between
            if fcntl is None:
                if self._acquire_exclusive_file():
                    return
                continue
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise LockBusy(self.path, read_holder(self.path)) from None
            except OSError as e:
                os.close(fd)
                if e.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                    if self._acquire_exclusive_file():
                        return
                    continue
                raise
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the previous holder removed this file: take the new one
                os.close(fd)
                continue
            previous = read_holder(self.path)
            if previous is not None and not _alive(previous):
                self.took_over = previous
            self._write_holder(fd)
            self.fd = fd
            _HELD.add(fd)
            return
        raise LockBusy(self.path, read_holder(self.path))

    def _acquire_exclusive_file(self) -> bool:
        """Fallback without flock: create the file exclusively; a stale one is replaced."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            holder = read_holder(self.path)
            if holder is not None and _alive(holder):
                raise LockBusy(self.path, holder) from None
            if holder is None and time.time() - _mtime(self.path) < 5:
                # Being written this very moment by its creator.
                raise LockBusy(self.path, None) from None
            self.took_over = holder
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            return False
        self._write_holder(fd)
        self.fd = fd
        self._exclusive_file = True
        _HELD.add(fd)
        return True

    def _write_holder(self, fd: int) -> None:
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "since": _dt.datetime.now().replace(microsecond=0).isoformat(),
                "started": _proc_start(os.getpid()), "what": self.what}
        data = json.dumps(info, ensure_ascii=False).encode("utf-8")
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0) if hasattr(os, "pwrite") else os.write(fd, data)

    def release(self) -> None:
        fd = self.fd
        if fd is None:
            return
        self.fd = None
        _HELD.discard(fd)
        try:
            # Removed while still locked: whoever opened the old file re-checks the inode.
            os.unlink(self.path)
        except OSError:
            pass
        try:
            os.close(fd)
        except OSError:
            pass


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def wait_for(lock: FileLock, *, poll: float = 0.5, timeout: float | None = None,
             tick: Callable[[], Any] | None = None) -> bool:
    """Acquire `lock`, waiting while it is busy; False when `timeout` passed first.

    `tick` is called between attempts (e.g. to keep a terminal alive); KeyboardInterrupt
    passes through, so the user can stop waiting with Ctrl-C."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            lock.acquire()
            return True
        except LockBusy:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            if tick is not None:
                tick()
            time.sleep(poll)


def lock_path_for(path: str | Path) -> Path:
    """The lock file that guards `path`: hidden, next to it (`.naam.yaml.lock`)."""
    p = Path(path)
    return p.with_name(f".{p.name}.lock")
