"""wizard.files.fileset: a set of files written as one, durable per set (issue 17).

The kill test for the set is in tests/test_atomic.py (with the other writers)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from wizard.errors import WriteError
from wizard.files import fileset
from wizard.files.fileset import remove_stale_temps, write_file_set


def _set(folder: Path, tag: str, n: int = 10) -> list[tuple[Path, bytes, bool]]:
    return [(folder / f"f{i}.md", f"{tag} {i}\n".encode() * (200 * (i + 1)), i % 3 == 0)
            for i in range(n)]


class Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, with_syncfs: bool) -> None:
        self.fsyncs = 0
        self.syncfs = 0
        real_fsync = os.fsync
        real_syncfs = fileset._syncfs()
        assert real_syncfs is not None, "Linux without syncfs: the fast route is not tested"

        def fsync(fd: int) -> None:
            self.fsyncs += 1
            real_fsync(fd)

        def syncfs(fd: int) -> int:
            self.syncfs += 1
            return real_syncfs(fd)

        monkeypatch.setattr(fileset.os, "fsync", fsync)
        monkeypatch.setattr(fileset, "_SYNCFS", [syncfs if with_syncfs else None])


def test_a_set_is_written_whole_with_its_modes(tmp_path: Path) -> None:
    files = _set(tmp_path / "nieuw" / "map", "A")
    old = os.umask(0o022)
    try:
        write_file_set(files)
    finally:
        os.umask(old)
    for path, data, private in files:
        assert path.read_bytes() == data
        assert path.stat().st_mode & 0o777 == (0o600 if private else 0o644)
    assert sorted(p.name for p in (tmp_path / "nieuw" / "map").iterdir()) == \
        sorted(p.name for p, _, _ in files)  # no temp files left


def test_two_flushes_per_set_instead_of_one_per_file(tmp_path: Path, monkeypatch) -> None:
    count = Counter(monkeypatch, with_syncfs=True)
    write_file_set(_set(tmp_path, "A"))
    assert (count.syncfs, count.fsyncs) == (2, 0)
    # Two folders on one file system: still two.
    count.syncfs = 0
    write_file_set(_set(tmp_path / "a", "B", 3) + _set(tmp_path / "b", "B", 3))
    assert (count.syncfs, count.fsyncs) == (2, 0)


def test_without_syncfs_every_file_and_folder_is_fsynced(tmp_path: Path, monkeypatch) -> None:
    count = Counter(monkeypatch, with_syncfs=False)
    files = _set(tmp_path, "A")
    write_file_set(files)
    assert (count.syncfs, count.fsyncs) == (0, len(files) + 1)
    assert all(p.read_bytes() == d for p, d, _ in files)


def _flushes_and_renames(monkeypatch, label) -> list[str]:  # type: ignore[no-untyped-def]
    """The file set's flushes ('flush') and renames (`label(target)`), in order, as they
    happen (the real calls still run)."""
    events: list[str] = []
    real_replace = os.replace
    real_syncfs = fileset._syncfs()
    assert real_syncfs is not None

    def syncfs(fd: int) -> int:
        events.append("flush")
        return real_syncfs(fd)

    def replace(a, b) -> None:  # type: ignore[no-untyped-def]
        events.append(label(b))
        real_replace(a, b)

    monkeypatch.setattr(fileset, "_SYNCFS", [syncfs])
    monkeypatch.setattr(fileset.os, "replace", replace)
    return events


def test_the_data_is_flushed_before_the_first_rename(tmp_path: Path, monkeypatch) -> None:
    events = _flushes_and_renames(monkeypatch, lambda target: "rename")
    write_file_set(_set(tmp_path, "A", 4))
    assert events == ["flush", "rename", "rename", "rename", "rename", "flush"]


def test_an_error_halfway_leaves_the_old_set_and_no_temp_files(tmp_path: Path,
                                                                monkeypatch) -> None:
    old = _set(tmp_path, "OUD")
    write_file_set(old)
    real_write = os.write
    calls = {"n": 0}

    def full_disk(fd: int, data) -> int:  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 6:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(fileset.os, "write", full_disk)
    with pytest.raises(WriteError) as err:
        write_file_set(_set(tmp_path, "NIEUW"))
    assert "f5.md" in str(err.value)
    assert [p.read_bytes() for p, _, _ in old] == [d for _, d, _ in old]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p, _, _ in old)


def test_a_failed_flush_renames_nothing(tmp_path: Path, monkeypatch) -> None:
    old = _set(tmp_path, "OUD", 3)
    write_file_set(old)
    monkeypatch.setattr(fileset, "_SYNCFS", [lambda fd: errno.EIO])
    with pytest.raises(WriteError):
        write_file_set(_set(tmp_path, "NIEUW", 3))
    assert [p.read_bytes() for p, _, _ in old] == [d for _, d, _ in old]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p, _, _ in old)


def test_stale_temps_of_dead_writers_go_and_others_stay(tmp_path: Path) -> None:
    dead = 2**22 + 7  # above the default pid_max: no such process
    (tmp_path / f".plan.md.{dead}.ab12cd34.tmp").write_text("half")
    (tmp_path / f".plan.md.{os.getpid()}.ab12cd34.tmp").write_text("mine, being written")
    (tmp_path / f".ander.md.{dead}.ab12cd34.tmp").write_text("not in this set")
    (tmp_path / ".verborgen.tmp").write_text("not ours")
    remove_stale_temps(tmp_path, {"plan.md"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([
        f".plan.md.{os.getpid()}.ab12cd34.tmp", f".ander.md.{dead}.ab12cd34.tmp",
        ".verborgen.tmp"])


def test_replaced_files_are_freed_after_the_rename_loop(tmp_path: Path, monkeypatch) -> None:
    # Each old file has a second (hidden) name while the renames run, so a rename does not
    # free its blocks inside the loop where a kill would leave a mixed set; afterwards only
    # the targets are left.
    write_file_set(_set(tmp_path, "OUD", 4))
    links: list[int] = []
    real_replace = os.replace

    def replace(a, b) -> None:  # type: ignore[no-untyped-def]
        links.append(os.stat(b).st_nlink if os.path.exists(b) else 0)
        real_replace(a, b)

    monkeypatch.setattr(fileset.os, "replace", replace)
    new = _set(tmp_path, "NIEUW", 4) + [(tmp_path / "extra.md", b"nieuw bestand\n", False)]
    write_file_set(new)
    assert links == [2, 2, 2, 2, 0]  # extra.md did not exist: nothing to keep
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p, _, _ in new)
    assert all(p.read_bytes() == d and p.stat().st_nlink == 1 for p, d, _ in new)


def test_a_marker_comes_after_the_set_is_on_disk(tmp_path: Path, monkeypatch) -> None:
    """batch's stamp ('this plan is complete'): its data is flushed with the set, its rename
    comes after the set's renames are on disk, and it costs no flush of its own."""
    events = _flushes_and_renames(monkeypatch, lambda target: f"rename {Path(target).name}")
    marker = (tmp_path / ".state" / "klaar.json", b"{}\n", True)
    files = _set(tmp_path / "plan", "A", 2)
    write_file_set(files, last=marker)
    assert events == ["flush", "rename f0.md", "rename f1.md", "flush", "rename klaar.json"]
    assert marker[0].read_bytes() == b"{}\n" and marker[0].stat().st_mode & 0o777 == 0o600
    assert all(p.read_bytes() == d for p, d, _ in files)
    assert [p.name for p in marker[0].parent.iterdir()] == ["klaar.json"]  # no temp left


def test_no_marker_when_the_set_fails(tmp_path: Path, monkeypatch) -> None:
    marker = tmp_path / "klaar.json"
    monkeypatch.setattr(fileset, "_SYNCFS", [lambda fd: errno.EIO])
    with pytest.raises(WriteError):
        write_file_set(_set(tmp_path, "A", 3), last=(marker, b"{}\n", True))
    assert sorted(tmp_path.iterdir()) == []  # no file, no temp file, no marker


def test_a_failed_marker_leaves_the_set_complete(tmp_path: Path, monkeypatch) -> None:
    marker = tmp_path / "klaar.json"
    files = _set(tmp_path, "A", 3)
    real_replace = os.replace

    def replace(a, b) -> None:  # type: ignore[no-untyped-def]
        if Path(b) == marker:
            raise OSError(errno.EIO, "I/O error")
        real_replace(a, b)

    monkeypatch.setattr(fileset.os, "replace", replace)
    with pytest.raises(WriteError) as err:
        write_file_set(files, last=(marker, b"{}\n", True))
    assert "klaar.json" in str(err.value)
    assert all(p.read_bytes() == d for p, d, _ in files)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p, _, _ in files)


def test_stale_temps_of_any_name_for_a_marker_folder(tmp_path: Path) -> None:
    # batch clears its stamp folder once per run (a scan per plan would be quadratic)
    dead = 2**22 + 7
    (tmp_path / f".a.json.{dead}.ab12cd34.tmp").write_text("half")
    (tmp_path / f".b.json.{os.getpid()}.ab12cd34.tmp").write_text("being written")
    (tmp_path / "c.json").write_text("{}")
    remove_stale_temps(tmp_path, None)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".b.json.{os.getpid()}.ab12cd34.tmp", "c.json"]


def test_a_batch_clears_stale_stamp_temps_once(tmp_path: Path) -> None:
    from wizard.cli import main

    example = min((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
    out = tmp_path / "uit"
    stamps = out / ".zelfscan" / "plannen"
    stamps.mkdir(parents=True)
    stale = stamps / f".weg.json.{2**22 + 7}.ab12cd34.tmp"
    stale.write_text("half")
    assert main(["batch", str(example), "-o", str(out), "--zonder-word"]) == 0
    assert [p.name for p in stamps.iterdir() if p.name.startswith(".")] == []
    assert len(list(stamps.glob("*.json"))) == 1
