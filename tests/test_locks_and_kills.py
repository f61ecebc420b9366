"""Issue 18, items 4 and 10, with real processes: two batch runs into one folder never both
write; a killed batch leaves no worker behind and its lock is taken over; `--hervat`
finishes an interrupted run (skipping complete plans of identical input) with a complete
overview; the lock file itself: busy, stale, released, and without flock."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wizard.files import lock as lockmod
from wizard.files.lock import FileLock, LockBusy

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NAMES = ("hoornewaard", "lindenvoort", "schelderhoven", "turfwolde", "welderbroek")


def _inputs(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        text = (EXAMPLES / f"{NAMES[i % 5]}.yaml").read_text(encoding="utf-8")
        name = re.search(r"intake.gemeente: (.+)", text).group(1)  # type: ignore[union-attr]
        p = folder / f"g{i:02d}.yaml"
        p.write_text(text.replace(f"intake.gemeente: {name}", f"intake.gemeente: Plaats{i:02d}"),
                     encoding="utf-8")
        out.append(str(p))
    return out


def _batch(files: list[str], out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "wizard", "batch", *files, "-o", str(out),
                             *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def _wait_for(cond, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def _children(pid: int) -> set[int]:
    """Process ids whose parent is `pid` (Linux /proc)."""
    kids = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.add(int(d.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


def _plans(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}


# ------------------------------------------------------------------ the lock file itself


def test_lock_busy_names_the_holder_and_release_frees_it(tmp_path):
    a = FileLock(tmp_path / ".x.lock", "gesprek")
    a.acquire()
    b = FileLock(tmp_path / ".x.lock")
    with pytest.raises(LockBusy) as exc:
        b.acquire()
    holder = exc.value.holder
    assert holder is not None and holder.pid == os.getpid() and holder.what == "gesprek"
    assert holder.since_text().startswith("sinds ") and "op deze computer" in holder.where_text()
    a.release()
    assert not (tmp_path / ".x.lock").exists()
    b.acquire()
    assert b.took_over is None  # released properly: nothing stale
    b.release()


def test_a_killed_holders_lock_is_taken_over(tmp_path):
    path = tmp_path / ".x.lock"
    code = ("import sys, time; from wizard.files.lock import FileLock\n"
            f"l = FileLock({str(path)!r}, 'batch'); l.acquire(); print('ok', flush=True)\n"
            "time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ok"
    with pytest.raises(LockBusy) as exc:
        FileLock(path).acquire()
    assert exc.value.holder is not None and exc.value.holder.pid == proc.pid
    proc.kill()
    proc.wait()
    lock = FileLock(path)
    lock.acquire()  # free at once: the kernel let go of the dead process's lock
    assert lock.took_over is not None and lock.took_over.pid == proc.pid
    lock.release()


def test_without_flock_a_stale_lock_file_is_detected_by_its_pid(tmp_path, monkeypatch):
    monkeypatch.setattr(lockmod, "fcntl", None)
    path = tmp_path / ".x.lock"
    a = FileLock(path)
    a.acquire()
    with pytest.raises(LockBusy):
        FileLock(path).acquire()
    a.fd = None  # as if the process died without cleaning up: the file stays
    lockmod._HELD.clear()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    text = path.read_text().replace(f'"pid": {os.getpid()}', f'"pid": {dead.stdout.strip()}')
    path.write_text(text)
    b = FileLock(path)
    b.acquire()
    assert b.took_over is not None and b.took_over.pid == int(dead.stdout)
    b.release()


# ------------------------------------------------------------------ two batch runs


@pytest.mark.timeout(300)
def test_two_batch_runs_into_one_folder_never_both_write(tmp_path):
    files = _inputs(tmp_path / "in", 12)
    out = tmp_path / "uit"
    first = _batch(files, out, "--zonder-word")
    lock_file = out / ".zelfscan" / "batch.lock"
    _wait_for(lock_file.exists, what="the first run's lock")
    os.killpg(first.pid, signal.SIGSTOP)  # hold it mid-run, lock taken
    try:
        second = subprocess.run([sys.executable, "-m", "wizard", "batch", *files, "-o", str(out),
                                 "--zonder-word"], cwd=ROOT, capture_output=True, text=True,
                                timeout=120, check=False)
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    assert second.returncode == 1
    assert "in deze uitvoermap loopt al een andere batch (sinds " in second.stderr
    assert f"proces {first.pid}" in second.stderr and "-o" in second.stderr
    assert second.stdout == ""  # it wrote nothing, claimed nothing
    stdout, stderr = first.communicate(timeout=240)
    assert first.returncode == 0, stderr
    assert "12 van 12 plannen geschreven" in stdout
    assert not lock_file.exists()


@pytest.mark.timeout(300)
def test_killed_batch_leaves_no_workers_and_hervat_finishes_it(tmp_path):
    files = _inputs(tmp_path / "in", 16)
    out = tmp_path / "uit"
    proc = _batch(files, out)  # with Word: slow enough to be killed halfway
    _wait_for(lambda: len(_children(proc.pid)) >= 2, what="worker processes")
    workers = _children(proc.pid)
    _wait_for(lambda: len(list((out / ".zelfscan" / "plannen").glob("*.json"))) >= 3
              if (out / ".zelfscan" / "plannen").exists() else False, timeout=180,
              what="three finished plans")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    try:
        # The workers end with the batch process (PR_SET_PDEATHSIG), not minutes later.
        _wait_for(lambda: not any(_alive(w) for w in workers), timeout=10,
                  what="the workers to end")
    finally:
        for w in workers:  # never leave an orphan behind, also when this test fails
            try:
                os.kill(w, signal.SIGKILL)
            except ProcessLookupError:
                pass
    assert not (out / "overzicht.md").exists()
    done_before = len(list((out / ".zelfscan" / "plannen").glob("*.json")))
    assert done_before < 16

    resumed = subprocess.run([sys.executable, "-m", "wizard", "batch", *files, "-o", str(out),
                              "--hervat"], cwd=ROOT, capture_output=True, text=True,
                             timeout=240, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert "niet netjes beëindigd" in resumed.stderr  # the dead run's lock, taken over
    assert "16 van 16 plannen klaar" in resumed.stdout
    assert f"{16 - done_before} nu geschreven, {done_before} al klaar" in resumed.stdout
    overview = (out / "overzicht.md").read_text(encoding="utf-8")
    assert all(f"Plaats{i:02d}" in overview for i in range(16))

    # A plain rerun writes nothing over them and points to --hervat.
    again = subprocess.run([sys.executable, "-m", "wizard", "batch", *files, "-o", str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert again.returncode == 1
    assert "gemaakt van precies dit antwoordbestand" in again.stderr
    assert "--hervat" in again.stderr and "niet netjes" not in again.stderr

    # Exactly what one uninterrupted run writes.
    clean = tmp_path / "schoon"
    ok = subprocess.run([sys.executable, "-m", "wizard", "batch", *files, "-o", str(clean)],
                        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert ok.returncode == 0, ok.stderr
    assert _plans(out) == _plans(clean)


@pytest.mark.timeout(120)
def test_hervat_leaves_a_finished_plan_of_other_input_alone(tmp_path):
    from wizard.batch import run_batch

    files = _inputs(tmp_path / "in", 2)
    out = tmp_path / "uit"
    import io

    assert run_batch(files, out, word=False, out=io.StringIO(), err=io.StringIO())[0] == 0
    plan = out / "plaats00" / "plan.md"
    plan.write_text("eigen versie", encoding="utf-8")
    changed = Path(files[0])
    changed.write_text(changed.read_text(encoding="utf-8").replace("'2026-", "'2025-"),
                       encoding="utf-8")
    err = io.StringIO()
    code, results = run_batch(files, out, word=False, resume=True, out=io.StringIO(), err=err)
    assert code == 1  # the changed file's plan is not silently replaced
    assert results[1].ok and results[1].resumed
    assert "al een plan" in results[0].error and "--force" in results[0].error
    assert plan.read_text(encoding="utf-8") == "eigen versie"
    shutil.rmtree(out / "plaats00")
    code, results = run_batch(files, out, word=False, resume=True, out=io.StringIO(),
                              err=io.StringIO())
    assert code == 0 and results[0].ok and not results[0].resumed
