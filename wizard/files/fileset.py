"""Write several files as one set: readers see the old set or the new one, never half a file.

Each file goes to a hidden temp file next to its target; only when all are complete are
they renamed into place. Durability is per set, not per file (issue 17): the data of all
temp files is flushed with one `syncfs` of their file system before the first rename, and
the renames (and any new folders) with one more afterwards. That gives the same guarantees
as an fsync per file plus one per folder, with two flushes instead of one per file:

- a kill (SIGKILL, a closed terminal) leaves the old set and hidden temp files, which the
  next write of those files removes; only a kill inside the short rename loop can leave
  complete files of both versions (tests/test_atomic.py). That loop is kept short: an old
  file that is replaced gets a hidden extra name (a hard link) first, so that the rename
  does not also have to free its blocks (~3 ms a file on ext4); the extra names are
  removed after the loop;
- a power cut never leaves a renamed file whose content was not yet on disk: every rename
  comes after the flush of all data.

A set may end with one marker file (`last`: batch's "this plan is complete" stamp). Its data
is flushed with the set's, and it is renamed into place only after the set's renames are on
disk, so even after a power cut a marker never speaks for a set that is not there. The
marker is not flushed on its own (losing it only means the set is made again): that saves
the two fsyncs of a separate atomic write per set.

Where `syncfs` is not available (not Linux) every temp file is fsynced and every folder
after the renames, as before. Temp names follow wizard.files.yamlio's pattern, so its
clean-up of stale temp files applies to them too.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from wizard.errors import WriteError

FileSpec = tuple[Path, bytes, bool]  # (target, content, private: mode 0600)

_SYNCFS: list[Callable[[int], int] | None] = []


def _syncfs() -> Callable[[int], int] | None:
    """libc's syncfs(fd) (returns 0 or an errno), found once per process; None where there
    is none."""
    if not _SYNCFS:
        _SYNCFS.append(_find_syncfs() if sys.platform.startswith("linux") else None)
    return _SYNCFS[0]


def _find_syncfs() -> Callable[[int], int] | None:
    try:
        import ctypes

        raw = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError, ImportError):
        return None
    raw.argtypes = [ctypes.c_int]
    raw.restype = ctypes.c_int

    def syncfs(fd: int) -> int:
        return 0 if raw(fd) == 0 else (ctypes.get_errno() or errno.EIO)

    return syncfs


def write_file_set(files: list[FileSpec], *, last: FileSpec | None = None) -> None:
    """Write (target, content, private) files as one set; see the module docstring.

    An error halfway (a full disk on the last file) removes the temp files and leaves the
    old set untouched; any OSError is raised as WriteError naming the file. `last`: a marker
    renamed into place after the set is on disk (see the module docstring); an error there
    is raised as WriteError with the set itself complete.
    """
    temps: list[tuple[Path, Path]] = []
    fds: list[tuple[int, Path]] = []
    kept: list[Path] = []
    marker: Path | None = None  # the marker's temp file, until it is renamed
    syncfs = _syncfs()
    try:
        for path, data, private in files if last is None else [*files, last]:
            try:
                tmp, fd = _write_temp(path, data, private)
            except WriteError:
                raise
            except OSError as e:
                raise WriteError(e, path) from None
            temps.append((tmp, path))
            fds.append((fd, path))
            if syncfs is None:
                _fsync(fd, path)
        if syncfs is not None:
            _flush_file_systems(syncfs, fds)
        _close_all(fds)
        if last is not None:
            marker = temps.pop()[0]
        kept = _keep_old_files([path for _, path in temps])
        while temps:
            tmp, path = temps[0]
            try:
                os.replace(tmp, path)
            except OSError as e:
                raise WriteError(e, path) from None
            temps.pop(0)
        _remove(kept)
        folders = sorted({path.parent for path, _, _ in files})
        _make_renames_durable(syncfs, folders)
        if last is not None and marker is not None:
            try:
                os.replace(marker, last[0])
            except OSError as e:
                raise WriteError(e, last[0]) from None
            marker = None
    except BaseException:
        _close_all(fds)
        _remove([tmp for tmp, _ in temps] + kept + ([marker] if marker else []))
        raise
    # Not in the marker's folder: it holds one marker per set (batch: per plan), so a scan
    # per set would make a batch quadratic; batch clears it once per run.
    for folder in sorted({path.parent for path, _, _ in files}):
        remove_stale_temps(folder, {path.name for path, _, _ in files if path.parent == folder})


def _write_temp(path: Path, data: bytes, private: bool) -> tuple[Path, int]:
    """`data` in a new hidden temp file next to `path` (created exclusively); the file
    stays open for the flush."""
    import secrets  # here, not at the top: it pulls in hmac/hashlib

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where the folder should be
        raise NotADirectoryError(errno.ENOTDIR, "not a directory") from None
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except BaseException:
        os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return tmp, fd


def _keep_old_files(targets: list[Path]) -> list[Path]:
    """A hidden extra name for every target that exists now (see the module docstring);
    where the file system has no hard links nothing is kept and the renames free the old
    files themselves."""
    import secrets

    kept: list[Path] = []
    for path in targets:
        keep = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            os.link(path, keep, follow_symlinks=False)
        except OSError:
            continue  # no old file, or no hard links here
        kept.append(keep)
    return kept


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass


def _fsync(fd: int, path: Path) -> None:
    try:
        os.fsync(fd)
    except OSError as e:
        raise WriteError(e, path) from None


def _flush_file_systems(syncfs: Callable[[int], int], fds: list[tuple[int, Path]]) -> None:
    """One syncfs per file system the temp files are on (nearly always one)."""
    seen: set[int] = set()
    for fd, path in fds:
        dev = os.fstat(fd).st_dev
        if dev in seen:
            continue
        seen.add(dev)
        err = syncfs(fd)
        if err:
            raise WriteError(OSError(err, os.strerror(err)), path)


def _close_all(fds: list[tuple[int, Path]]) -> None:
    while fds:
        fd, _ = fds.pop()
        try:
            os.close(fd)
        except OSError:
            pass


def _make_renames_durable(syncfs: Callable[[int], int] | None, folders: list[Path]) -> None:
    """The renames (and folders made for the set) on disk: one syncfs per file system,
    else an fsync of every folder. Best effort: the files themselves are complete."""
    seen: set[int] = set()
    for folder in folders:
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            if syncfs is None:
                os.fsync(fd)
                continue
            dev = os.fstat(fd).st_dev
            if dev not in seen:
                seen.add(dev)
                syncfs(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def remove_stale_temps(folder: Path, names: Iterable[str] | None) -> None:
    """Delete temp files of `names` (None: of any name) in `folder` left by writers that
    were killed (their pid is gone): one listing of the folder for the whole set."""
    wanted = set(names) if names is not None else None
    try:
        entries = [e.name for e in os.scandir(folder)]
    except OSError:
        return
    me = os.getpid()
    for entry in entries:
        if not (entry.startswith(".") and entry.endswith(".tmp")):
            continue
        # .<name>.<pid>.<hex>.tmp
        parts = entry[1:-4].rsplit(".", 2)
        if len(parts) != 3 or not parts[1].isdigit() or (
                wanted is not None and parts[0] not in wanted):
            continue
        pid = int(parts[1])
        if pid == me or _pid_alive(pid):
            continue
        try:
            os.unlink(folder / entry)
        except OSError:
            pass


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists but not ours, or unknown: leave its file alone
    return True
