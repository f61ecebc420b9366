"""Issue 18: anything that is not a regular file (FIFO, socket, device, folder) is refused at
once with a Dutch message, before it is opened for reading; a FIFO never hangs a command,
and in a batch the good files next to it are still written."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import time
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.errors import ZelfscanError
from wizard.files import yamlio

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _specials(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, what the message calls it). Sockets and FIFOs are made here."""
    fifo = folder / "pijp.yaml"
    os.mkfifo(fifo)
    sock_path = folder / "s.yaml"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))  # left bound: the file exists as long as the test runs
    sock.close()
    (folder / "map.yaml").mkdir()
    out = {"fifo": (fifo, "een pijp (FIFO)"), "socket": (sock_path, "een socket"),
           "map": (folder / "map.yaml", "dit is een map")}
    if Path("/dev/zero").exists():
        out["apparaat"] = (Path("/dev/zero"), "een apparaat")
    return out


def _run(argv: list[str], capsys) -> tuple[int, str]:
    started = time.monotonic()
    code = main(argv)
    assert time.monotonic() - started < 20
    return code, capsys.readouterr().err


@pytest.mark.timeout(60)
def test_every_reading_command_refuses_special_files_at_once(tmp_path, capsys):
    specials = _specials(tmp_path)
    good = str(EXAMPLES / "hoornewaard.yaml")
    for kind, (path, said) in specials.items():
        p = str(path)
        for argv in (["validate", p], ["--vragenlijst", p, "validate"],
                     ["compare", p, good, "-o", str(tmp_path / "uit")],
                     ["compare", good, p, "-o", str(tmp_path / "uit")],
                     ["generate", "--check", "-o", str(tmp_path / "gen"), p],
                     ["resume", p, "--eenvoudig"]):
            code, err = _run(argv, capsys)
            assert code != 0, (kind, argv)
            assert p in err and (said in err or "geen gewoon bestand" in err
                                 or "is een map" in err), (kind, argv, err)
            assert "interne fout" not in err and "Traceback" not in err


@pytest.mark.timeout(90)
@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_with_special_files_writes_the_good_plans(tmp_path, capsys, jobs):
    from wizard.batch import PARALLEL_FROM, run_batch

    specials = _specials(tmp_path)
    good = [EXAMPLES / n for n in ("hoornewaard.yaml", "lindenvoort.yaml", "turfwolde.yaml",
                                   "welderbroek.yaml", "schelderhoven.yaml")]
    files = [str(good[0])]
    for i, (path, _) in enumerate(specials.values()):
        files += [str(path), str(good[1 + i % 4])] if i < 4 else [str(path)]
    files += [str(tmp_path / "pijp.xlsx")]  # a FIFO named like a workbook
    os.mkfifo(tmp_path / "pijp.xlsx")
    assert jobs == 1 or len(files) >= PARALLEL_FROM, "too few files for the parallel path"
    import io

    err = io.StringIO()
    code, results = run_batch(files, tmp_path / "uit", out=io.StringIO(), err=err,
                              word=False, jobs=jobs)
    assert code == 1
    by_path = {r.path: r for r in results}
    for g in {str(p) for p in good} & set(files):
        assert by_path[g].ok, by_path[g].error
        assert (tmp_path / "uit" / by_path[g].folder / "plan.html").is_file()
    for f in files:
        if f not in {str(p) for p in good}:
            assert not by_path[f].ok and f in by_path[f].error
    assert (tmp_path / "uit" / "overzicht.md").is_file()
    assert "interne fout" not in err.getvalue()


def test_a_fifo_swapped_in_after_the_check_does_not_hang(tmp_path, monkeypatch):
    """The name is checked with stat(), then opened non-blocking and checked again on the
    open descriptor: a FIFO put in place between the two is refused, not read."""
    fifo = tmp_path / "wissel.yaml"
    os.mkfifo(fifo)
    regular = tmp_path / "gewoon.yaml"
    regular.write_text("a: 1\n")
    real_stat = os.stat

    def stat_sees_a_regular_file(path, *a, **kw):  # the state at the time of the check
        return real_stat(regular if str(path) == str(fifo) else path, *a, **kw)

    monkeypatch.setattr(yamlio.os, "stat", stat_sees_a_regular_file)
    started = time.monotonic()
    with pytest.raises(ZelfscanError) as exc:
        yamlio.read_text(fifo)
    assert time.monotonic() - started < 2
    assert "een pijp (FIFO), geen gewoon bestand" in str(exc.value)


def test_a_symlink_to_a_regular_file_is_read(tmp_path):
    target = tmp_path / "echt.yaml"
    shutil.copy(EXAMPLES / "hoornewaard.yaml", target)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert stat.S_ISLNK(os.lstat(link).st_mode)
    assert main(["validate", str(link)]) == 0
