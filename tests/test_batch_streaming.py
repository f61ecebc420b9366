"""A batch keeps only small summaries of the plans it wrote (issue 17: flat memory for
thousands of files), and the overview made from them is the overview made from the full
answers, profiles and advice."""

from __future__ import annotations

from pathlib import Path

from wizard.answers.store import load_answers
from wizard.assessment import advice as advice_mod
from wizard.assessment import scoring
from wizard.batch import run_batch
from wizard.batch.model import AnswersHead
from wizard.plan import markdown_out
from wizard.plan.overview import PlanRow, Summary, overview_document, summarize
from wizard.questionnaire.loader import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent


def test_overview_from_summaries_is_the_overview_from_the_results(tmp_path: Path) -> None:
    from bench.make_answers import generate

    q = load_questionnaire()
    config, rules = scoring.load_config(q), advice_mod.load_rules(q)
    files = sorted((ROOT / "examples").glob("*.yaml")) + generate(12, tmp_path, seed=31)
    items = []
    for path in files:
        answers = load_answers(path, q)
        profile = scoring.score(q, answers, config)
        items.append((q, answers, profile, advice_mod.advise(q, answers, profile, rules)))
    full_rows = [PlanRow(f"G{i}", "2026-01-01", f"g{i}", it[2], it[3])
                 for i, it in enumerate(items)]
    sums = [summarize(*it[1:]) for it in items]
    small_rows = [PlanRow(f"G{i}", "2026-01-01", f"g{i}", summary=s) for i, s in enumerate(sums)]
    full = markdown_out.render(overview_document(full_rows, ["kapot.yaml"], items))
    small = markdown_out.render(overview_document(small_rows, ["kapot.yaml"], sums))
    assert small == full
    assert "Regionaal beeld" in full and "Samen oppakken" in full


def test_a_pool_run_keeps_no_answers(tmp_path: Path) -> None:
    import io

    from bench.make_answers import generate

    files = [str(p) for p in generate(10, tmp_path / "in", seed=5)]  # >= 8: the pool
    code, results = run_batch(files, tmp_path / "uit", word=False, jobs=2,
                              out=io.StringIO(), err=io.StringIO())
    assert code == 0 and all(r.ok for r in results)
    assert all(isinstance(r.outcome, Summary) for r in results)
    assert AnswersHead.of(load_answers(files[0], load_questionnaire())).values == {
        "intake.gemeente": results[0].municipality}


def _square(n: int) -> int:
    return n * n


def _died(n: int) -> int:
    return -1


def test_the_pool_keeps_only_a_window_of_work_in_flight() -> None:
    """Results are read in input order while only a few items are submitted ahead: a future
    keeps its result, so submitting all at once kept every result of a run until its end."""
    from wizard.batch import pool

    workers = pool.Workers(2)
    assert workers.available
    submitted = 0
    real_submit = workers.pool.submit

    def counting_submit(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal submitted
        submitted += 1
        return real_submit(*args, **kwargs)

    workers.pool.submit = counting_submit  # type: ignore[method-assign]
    ahead = 2 * pool.AHEAD_PER_WORKER
    try:
        got = []
        for i, value in enumerate(workers.map(_square, list(range(300)), _died), start=1):
            assert submitted <= i + ahead  # never more than the window beyond what was read
            got.append(value)
    finally:
        workers.close()
    assert got == [n * n for n in range(300)]
    assert submitted == 300


def test_a_batch_holds_no_results_while_it_reports(tmp_path: Path, monkeypatch) -> None:
    """Results go to disk as they arrive (wizard.batch.spill): when the overview is made, the
    batch process holds no result or plan summary per file."""
    import gc

    import wizard.batch as batch_mod
    from bench.make_answers import generate
    from wizard.batch.model import FileResult

    files = [str(p) for p in generate(12, tmp_path / "in", seed=7)]
    alive: list[tuple[int, int]] = []
    real = batch_mod._write_overview

    def counting(ctx, results, report):  # type: ignore[no-untyped-def]
        gc.collect()
        objects = gc.get_objects()
        alive.append((sum(type(o) is FileResult for o in objects),
                      sum(type(o) is Summary for o in objects)))
        return real(ctx, results, report)

    monkeypatch.setattr(batch_mod, "_write_overview", counting)
    for jobs in (1, 2):
        code, results = run_batch(files, tmp_path / f"uit-{jobs}", word=False, jobs=jobs,
                                  out=_Sink(), err=_Sink())
        assert code == 0 and len(results) == 12
    # At most the last result, still in the loop's hands; not one per file.
    assert len(alive) == 2 and all(n <= 1 and m <= 1 for n, m in alive), alive


def test_the_result_log_reads_back_what_was_written(tmp_path: Path) -> None:
    from wizard.batch.model import FileResult
    from wizard.batch.spill import ResultLog

    log = ResultLog(tmp_path / ".zelfscan")
    made = [FileResult(f"g{i}.yaml", municipality=f"Gemeente {i}", ok=i % 3 != 0,
                       priorities=["Regie"] * i, privacy=["x"] if i == 4 else [])
            for i in range(7)]
    for r in made:
        log.append(r)
    log[2]  # reading in between does not disturb writing
    log.append(FileResult("laatste.yaml"))
    made.append(FileResult("laatste.yaml"))
    assert len(log) == 8 and list(log) == made
    assert log[-1] == made[-1] and log[1:4] == made[1:4] and log[::3] == made[::3]
    for bad in (8, -9):
        try:
            log[bad]
        except IndexError:
            pass
        else:
            raise AssertionError(f"log[{bad}] should be out of range")
    assert [p.name for p in (tmp_path / ".zelfscan").iterdir()] == []  # no file left visible
    log.close()


def test_the_overview_written_as_it_is_made_is_the_overview_made_in_memory(
        tmp_path: Path, monkeypatch) -> None:
    """The batch writes the overview from its results on disk, in chunks (the HTML table a
    few rows at a time); the bytes are those of the whole document rendered at once."""
    from bench.make_answers import generate
    from wizard.plan import html_out
    from wizard.plan.overview import PlanRow

    monkeypatch.setattr(html_out, "ROWS_PER_CHUNK", 3)  # several chunks with a few files
    monkeypatch.setattr(html_out, "CHUNK", 200)
    files = [str(p) for p in generate(9, tmp_path / "in", seed=11)]
    broken = tmp_path / "in" / "kapot.yaml"
    broken.write_text("antwoorden: [", encoding="utf-8")
    twice = tmp_path / "in" / "tweede-keer.yaml"  # the same municipality, a later date
    twice.write_text(Path(files[0]).read_text(encoding="utf-8").replace(
        "2026-", "2027-", 1), encoding="utf-8")
    out = tmp_path / "uit"
    code, results = run_batch([*files, str(broken), str(twice)], out, word=False, jobs=2,
                              out=_Sink(), err=_Sink())
    assert code != 0 and sum(r.ok for r in results) == 10
    done = sorted((r for r in results if r.ok),
                  key=lambda r: (r.municipality.casefold(), r.date, r.folder))
    latest: dict[str, object] = {}
    for r in done:
        key = " ".join(r.municipality.split()).casefold()
        if key not in latest or r.date >= latest[key].date:  # type: ignore[attr-defined]
            latest[key] = r
    doc = overview_document([PlanRow(r.municipality, r.date, r.folder, summary=r.outcome)
                             for r in done], ["kapot.yaml"],
                            [r.outcome for r in latest.values()])  # type: ignore[attr-defined]
    md = (out / "overzicht.md").read_text(encoding="utf-8")
    assert md == markdown_out.render(doc)
    monkeypatch.setattr(html_out, "CHUNK", 10**9)  # in memory: sanitised in one piece
    assert (out / "overzicht.html").read_text(encoding="utf-8") == html_out.render(doc)
    assert "Regionaal beeld" in md and "kapot.yaml" in md and len(latest) == 9


class _Sink:
    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def test_html_sanitised_in_parts_is_html_sanitised_whole(monkeypatch) -> None:
    """Plans and annexes of every situation fixture, sanitised block by block (the least a
    chunk can be) and in one piece: the same page."""
    from wizard.plan import html_out
    from wizard.plan.output import documents

    q = load_questionnaire()
    fixtures = [p for p in sorted((ROOT / "tests" / "fixtures" / "situations").glob("*.yaml"))
                if p.name != "verwacht.yaml"]  # the expectations, not a municipality
    assert len(fixtures) >= 10
    for path in fixtures:
        plan, annex, _figs = documents(q, load_answers(path, q))
        for doc in (plan, annex):
            monkeypatch.setattr(html_out, "CHUNK", 10**9)
            whole = html_out.render(doc)
            monkeypatch.setattr(html_out, "CHUNK", 1)
            assert html_out.render(doc) == whole, f"{path.name}: {doc.title}"


def test_a_full_disk_under_the_result_log_is_a_dutch_message(tmp_path: Path, monkeypatch,
                                                            capsys) -> None:
    """The results go to disk as they arrive: when that fails (a full disk), the run stops
    with a Dutch message naming the folder and a non-zero exit, never a traceback; the plans
    already written stay, complete, for --hervat."""

    from bench.make_answers import generate
    from wizard.batch import spill
    from wizard.cli import main

    files = [str(p) for p in generate(3, tmp_path / "in", seed=3)]
    real = spill.ResultLog.append
    calls = 0

    def full(self, result):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            self._file = _FullDisk()
        return real(self, result)

    monkeypatch.setattr(spill.ResultLog, "append", full)
    out = tmp_path / "uit"
    code = main(["batch", *files, "-o", str(out), "--zonder-word"])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert "tussenresultaten van deze batch" in err and str(out / ".zelfscan") in err
    assert "schijf" in err.lower(), err
    stamps = sorted((out / ".zelfscan" / "plannen").glob("*.json"))
    assert len(stamps) >= 1  # the plans written before it stay, stamped for --hervat


class _FullDisk:
    def seek(self, _pos: int) -> None:
        pass

    def write(self, _data: bytes) -> int:
        import errno

        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self) -> None:
        pass


def test_the_result_log_falls_back_to_the_temp_folder(tmp_path: Path, monkeypatch) -> None:
    """An output folder (a network share, say) that cannot hold a file without a name: the
    log goes to the user's temp folder; when that fails too, a Dutch WriteError."""
    import errno
    import tempfile

    import pytest

    from wizard.batch.model import FileResult
    from wizard.batch.spill import ResultLog
    from wizard.errors import WriteError

    real = tempfile.TemporaryFile

    def no_share(*args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("dir") is not None:
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", no_share)
    log = ResultLog(tmp_path / ".zelfscan")
    log.append(FileResult("a.yaml", ok=True))
    assert log[0] == FileResult("a.yaml", ok=True)
    log.close()

    def nowhere(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", nowhere)
    with pytest.raises(WriteError) as caught:
        ResultLog(tmp_path / ".zelfscan")
    assert "tussenresultaten" in str(caught.value) and ".zelfscan" in str(caught.value)


def test_a_large_run_without_workers_keeps_no_answers(tmp_path: Path, monkeypatch) -> None:
    """Without worker processes (no fork: Windows, macOS; or jobs=1) a run of many files also
    keeps only name and date of each file between the first pass and its plan: while plans
    are made, at most the answers of the plan in hand are alive, not one set per file."""
    import gc

    import wizard.batch as batch_mod
    from bench.make_answers import generate
    from wizard.answers.store import Answers

    files = [str(p) for p in generate(12, tmp_path / "in", seed=9)]
    alive: list[int] = []
    real = batch_mod.process_one

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        gc.collect()
        alive.append(sum(type(o) is Answers for o in gc.get_objects()))
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_mod, "process_one", counting)
    code, results = run_batch(files, tmp_path / "uit", word=False, jobs=1, out=_Sink(),
                              err=_Sink())
    assert code == 0 and len(results) == 12 and len(alive) == 12
    assert max(alive) <= 1, alive
