"""Batch on several cores gives exactly the files of a sequential run; --zonder-word."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from wizard.batch import PARALLEL_FROM, run_batch

ROOT = Path(__file__).resolve().parent.parent


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_parallel_batch_equals_sequential(tmp_path):
    src = tmp_path / "in"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_answers.py"), "--count",
                    str(PARALLEL_FROM + 2), "--output", str(src)], check=True,
                   capture_output=True)
    files = sorted(str(p) for p in src.glob("*.yaml"))
    out_seq, out_par = io.StringIO(), io.StringIO()
    code_seq, res_seq = run_batch(files, tmp_path / "seq", jobs=1, word=False, out=out_seq,
                                  err=io.StringIO())
    code_par, res_par = run_batch(files, tmp_path / "par", jobs=2, word=False, out=out_par,
                                  err=io.StringIO())
    assert code_seq == code_par == 0
    assert [r.folder for r in res_seq] == [r.folder for r in res_par]
    seq, par = _tree(tmp_path / "seq"), _tree(tmp_path / "par")
    assert len(seq) > len(files) * 5
    assert seq == par
    table_seq = out_seq.getvalue().replace(str(tmp_path / "seq"), "OUT")
    table_par = out_par.getvalue().replace(str(tmp_path / "par"), "OUT")
    assert table_seq == table_par


def test_zonder_word_writes_no_docx(tmp_path, capsys):
    from wizard.cli import main

    code = main(["batch", str(ROOT / "examples" / "welderbroek.yaml"), "-o", str(tmp_path),
                 "--zonder-word"])
    assert code == 0
    written = {p.name for p in (tmp_path / "welderbroek").iterdir()}
    assert "plan.md" in written and "plan.html" in written
    assert not any(name.endswith(".docx") for name in written)


_SWALLOWED = """
import sys
from wizard.batch import pool

class Dropped:
    def __del__(self):  # Python code run from C: an exception raised here is only printed
        pool._on_term(15, None)

def task(_item):
    Dropped()  # the batch process 'dies' here; the SIGTERM's exception is dropped
    return 'klaar'

print(pool.guarded(task, None))
"""


def test_a_worker_whose_stop_signal_was_swallowed_still_stops_after_its_task():
    """SIGTERM (the batch process died) can arrive while Python runs inside a C callback,
    such as nh3's attribute filter; the exception that should unwind the task is dropped
    there. The worker must still exit when the task ends, not wait for work forever."""
    done = subprocess.run([sys.executable, "-c", _SWALLOWED], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert "_ParentGone" in done.stderr  # the exception was indeed dropped
    assert done.returncode == 1 and "klaar" not in done.stdout


def test_a_stop_signal_during_html_cleaning_is_not_lost_in_nh3():
    """nh3 calls back into Python for every attribute (html_out._keep). A signal handler
    that raises there (Ctrl-C, the stop of a worker whose batch died) had its exception
    printed and dropped by nh3, and the page came out without that attribute, complete
    and wrong (seen in CI: a resumed batch kept such an annex). The signal now waits until
    nh3 is done and then stops the work."""
    import os
    import signal

    import pytest

    from wizard.plan import html_out

    class Stop(Exception):
        pass

    def stop(_signum, _frame):  # type: ignore[no-untyped-def]
        raise Stop()

    calls = 0
    real_keep = html_out._keep

    def keep_then_signal(tag, attr, value):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 1:
            os.kill(os.getpid(), signal.SIGTERM)
        return real_keep(tag, attr, value)

    old = signal.signal(signal.SIGTERM, stop)
    html_out._keep = keep_then_signal
    try:
        with pytest.raises(Stop):
            html_out.sanitize('<h2 id="a">Kop</h2><p class="klein">tekst</p>')
    finally:
        html_out._keep = real_keep
        signal.signal(signal.SIGTERM, old)
    assert calls >= 1
