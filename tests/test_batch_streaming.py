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


def test_results_kept_by_a_batch_share_their_repeated_texts(tmp_path: Path) -> None:
    import pickle

    from bench.make_answers import generate

    files = generate(3, tmp_path / "in", seed=5)
    _code, results = run_batch([str(f) for f in files], tmp_path / "out", jobs=1,
                               word=False, out=_Sink(), err=_Sink())
    # As they arrive from a worker: unpickled, each with its own copy of every text.
    a, b = (pickle.loads(pickle.dumps(r)).compact() for r in results[:2])
    title_a, title_b = a.outcome.components[0][1], b.outcome.components[0][1]
    assert title_a == title_b and title_a is title_b
    assert a.outcome.resilience == results[0].outcome.resilience
    assert a.outcome == results[0].outcome and a.priorities == results[0].priorities


class _Sink:
    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass
