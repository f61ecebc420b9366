"""Atomic file writes: readers see the old or the new content, never half of it.

Also the clean-up of temp files that killed writers left behind, and `quarantine` for a
damaged session file.
"""

from __future__ import annotations

import errno as _errno
import os
from collections.abc import Iterable
from pathlib import Path

from wizard.errors import WriteError


def atomic_write_text(path: str | Path, text: str, *, private: bool = False) -> None:
    """Write a file so that readers see the old or the new content, never half of it.

    Writes to a temporary file in the same folder, fsyncs, then renames over the target.
    `private` creates the file readable by the user only (answers and session files).
    """
    atomic_write_bytes(path, text.encode("utf-8"), private=private)


def atomic_write_bytes(path: str | Path, data: bytes, *, private: bool = False) -> None:
    """See atomic_write_text. Any OSError is raised as WriteError (Dutch, file named)."""
    atomic_write_chunks(path, (data,), private=private)


def atomic_write_chunks(path: str | Path, chunks: Iterable[str | bytes], *,
                        private: bool = False) -> None:
    """See atomic_write_text, for a text made piece by piece (str as UTF-8): a large file
    (the overview of thousands of plans) is written without being held whole."""
    try:
        _atomic_write(Path(path), chunks, private)
    except WriteError:
        raise
    except OSError as e:
        # Read-only folder, full disk, a file where a folder should be: the user's to fix,
        # so a Dutch message instead of a crash report. Still an OSError for callers.
        if e.errno == _errno.EEXIST:  # mkdir of a folder whose name is taken by a file
            e = NotADirectoryError(_errno.ENOTDIR, "not a directory")
        raise WriteError(e, path) from None


def _atomic_write(p: Path, chunks: Iterable[str | bytes], private: bool) -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    # Unique per process and per call, created exclusively: two writers (threads or
    # processes) never share a temp file. Hidden and ending in .tmp, so no loader or
    # glob for *.yaml / *.md ever picks one up if a kill leaves it behind.
    import secrets  # here, not at the top: it pulls in hmac/hashlib (~8 ms at start-up)

    tmp = p.with_name(f".{p.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    mode = 0o600 if private else 0o644
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(p.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    _remove_stale_temps(p)


def _remove_stale_temps(p: Path) -> None:
    """Delete temp files of `p` left by writers that were killed (their pid is gone)."""
    try:
        candidates = list(p.parent.glob(f".{_glob_escape(p.name)}.*.tmp"))
    except OSError:
        return
    for tmp in candidates:
        parts = tmp.name[len(p.name) + 2 :].split(".")
        if len(parts) < 2 or not parts[0].isdigit():
            continue
        pid = int(parts[0])
        if pid == os.getpid() or _pid_alive(pid):
            continue
        try:
            tmp.unlink()
        except OSError:
            pass


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or unknown: leave its file alone
    return True


def quarantine(path: str | Path) -> Path:
    """Move a damaged file aside as `<stem>.beschadigd-<n><suffix>` and return the new path.

    Used when a session file cannot be read on resume: the user's data is kept (never
    overwritten by a fresh session) and the original name is free again. `n` is the
    lowest number not yet taken, so earlier quarantined copies are never replaced.
    """
    p = Path(path)
    n = 1
    while True:
        target = p.with_name(f"{p.stem}.beschadigd-{n}{p.suffix}")
        try:
            os.link(p, target)  # fails if target exists: no race overwrites a copy
        except FileExistsError:
            n += 1
            continue
        except OSError:
            if target.exists():
                n += 1
                continue
            os.replace(p, target)  # file systems without hard links
            return target
        os.unlink(p)
        return target
