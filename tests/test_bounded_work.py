"""Issue 18, item 7: every check on free text is linear in its length. The worst shapes known
for the loaders, the value checks, the error hints and the chat's input are fed at the size
limit (an answers file of just under 5 MiB) and at half of it, and one plan (Markdown and
HTML) at two sizes; twice the text must cost about twice the time, never four times.

The privacy checks (e-mail, postcode shapes) are tested with their owner (issue 18, item 9);
`bench/reliability.py --vormen` reports the time of every shape, Word included.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.files.yamlio import MAX_FILE_BYTES

TEXT_Q = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
HEAD = ("vragenlijst: zelfscan\nversie: 1\ndatum: '2026-11-23'\nantwoorden:\n"
        "  intake.gemeente: Testdorp\n")
BUDGET = int(MAX_FILE_BYTES * 0.95) - 200


def _block(unit: str, size: int) -> str:
    """A text answer under |- made of `unit` lines, `size` bytes in all."""
    line = "      " + unit + "\n"
    return HEAD + f"  {TEXT_Q}: |-\n" + line * max(1, size // len(line.encode()))


def _plain(unit: str, size: int) -> str:
    return HEAD + f"  {TEXT_Q}: " + unit * max(1, size // len(unit.encode())) + "\n"


# name -> (file text of a given size, does it validate?)
SHAPES = {
    # The 150,000-line answer and more: one line per regel.
    "veel regels": (lambda n: _block("regel 12345", n), True),
    # One word of millions of characters (no space to wrap or split at).
    "één lang woord": (lambda n: _plain("a", n), True),
    # Everything Markdown, YAML or a regular expression might treat specially.
    "bijzondere tekens": (lambda n: _block("*_`[]<>&#|\\'\":@%!{}", n), True),
    # Many comments after text and many typed numbers: the 'as typed' checks.
    "hekjes en getallen": (lambda n: _block("OOV #1 12:30 017600 #2 a: b", n), True),
    # A syntax error on one very long line: the Dutch hint quotes only its start.
    "lange foute regel": (lambda n: _plain("@" + "x" * 10, n), False),
    # A character no format can hold at the very end of a long text.
    "teken aan het eind": (lambda n: _block("tekst", n) + '  toelichtingen: {x: "\\x07"}\n',
                           False),
}


def _validate(path: Path, capsys) -> tuple[float, int, str]:
    started = time.perf_counter()
    code = main(["validate", str(path)])
    elapsed = time.perf_counter() - started
    return elapsed, code, capsys.readouterr().err


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", list(SHAPES))
def test_checks_are_linear_at_the_size_limit(tmp_path, capsys, name):
    make, ok = SHAPES[name]
    times = {}
    for size in (BUDGET // 2, BUDGET):
        path = tmp_path / f"{size}.yaml"
        path.write_text(make(size), encoding="utf-8")
        assert path.stat().st_size < MAX_FILE_BYTES
        times[size], code, err = _validate(path, capsys)
        assert (code == 0) == ok, err[:2000]
        assert "interne fout" not in err
        assert len(err) < 5000, "a message repeats the whole text"
    # Linear: twice the text costs about twice the time (quadratic would be four times).
    assert times[BUDGET] < 3.0 * times[BUDGET // 2] + 0.5, times
    assert times[BUDGET] < 60, times


@pytest.mark.timeout(300)
def test_the_chat_checks_typed_text_in_linear_time(q):
    from wizard.chat.conversation import Chat
    from wizard.chat.plain import PlainFrontend

    times = {}
    for n in (400_000, 800_000):
        line = ("OOV #1 & jeugd 12:30 " * (n // 21))[:n]
        out = io.StringIO()
        chat = Chat(q, PlainFrontend(stdin=io.StringIO(line + "\x07\n:stop\n"), stdout=out,
                                     width=200), base_dir=Path("/nonexistent-unused"))
        started = time.perf_counter()
        assert chat.run() == 0
        times[n] = time.perf_counter() - started
        assert "stuurteken (U+0007)" in out.getvalue()
    assert times[800_000] < 3.0 * times[400_000] + 0.5, times


@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", ["veel regels", "bijzondere tekens", "één lang woord"])
def test_one_plan_is_linear_in_the_length_of_an_answer(tmp_path, name):
    """The issue's 150,000-line answer took 87 s for one plan (the Markdown-to-HTML step was
    quadratic); Markdown and HTML now cost time in proportion to the text. Word is left out
    here (python-docx is linear but slow: the benchmark reports it)."""
    from wizard.batch import run_batch

    make, _ = SHAPES[name]
    times = {}
    for size in (1_200_000, 2_400_000):
        path = tmp_path / f"{size}.yaml"
        path.write_text(make(size), encoding="utf-8")
        started = time.perf_counter()
        code, results = run_batch([str(path)], tmp_path / f"uit-{size}", word=False,
                                  out=io.StringIO(), err=io.StringIO())
        times[size] = time.perf_counter() - started
        assert code == 0, results[0].error
    assert times[2_400_000] < 3.0 * times[1_200_000] + 1.0, times
