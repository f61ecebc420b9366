"""bench/make_answers.py writes valid, varied, deterministic answers files (no timing here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from wizard.answers.store import load_answers
from wizard.questionnaire.loader import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent


def _make(out: Path, seed: int) -> list[Path]:
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_answers.py"), "--count", "3",
         "--output", str(out), "--seed", str(seed)],
        check=True, capture_output=True, text=True, timeout=60,
    )
    return sorted(out.glob("*.yaml"))


def test_make_answers_writes_three_valid_distinct_files(tmp_path: Path) -> None:
    files = _make(tmp_path / "a", seed=5)
    assert [f.name for f in files] == ["gemeente-001.yaml", "gemeente-002.yaml",
                                       "gemeente-003.yaml"]
    q = load_questionnaire()
    loaded = [load_answers(f, q) for f in files]
    names = [a.values["intake.gemeente"] for a in loaded]
    assert len(set(names)) == 3
    for a in loaded:
        assert 5_000 <= a.values["intake.inwoners"] <= 200_000
        assert a.date is not None
    # The first file is in the 'below 25,000' third.
    assert loaded[0].values["intake.inwoners"] < 25_000
    # Same seed, same bytes; another seed, other files.
    again = _make(tmp_path / "b", seed=5)
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in again]
    other = _make(tmp_path / "c", seed=6)
    assert [f.read_bytes() for f in files] != [f.read_bytes() for f in other]


def test_libyaml_fast_path_reads_exactly_like_the_python_reader(tmp_path: Path,
                                                               monkeypatch) -> None:
    """The performance path in yamlio (libyaml events) gives the same data, lines and errors."""
    import pytest

    from wizard.errors import ZelfscanError
    from wizard.files import yamlio

    assert yamlio._CParser is not None, "PyYAML without libyaml: the fast path is not tested"
    texts = [f.read_text("utf-8") for f in _make(tmp_path / "a", seed=9)]
    texts += [p.read_text("utf-8") for p in (ROOT / "questionnaires").glob("*.yaml")]
    bad = ["a: &x 1\nb: *x\n", "a: !!python/object:os.system x\n", "a: 1\na: 2\n",
           "a:\n\tb: 1\n", "x: " + "[" * 60 + "]" * 60 + "\n", "a: 'x\n", "a: \x07\n",
           "a: 1\n---\nb: 2\n", "<<: {a: 1}\n", "? [a]\n: 1\n"]

    def read_all() -> list:
        out = []
        for text in texts + bad:
            try:
                doc = yamlio.parse_yaml(text, "f.yaml")
                out.append((doc.data, doc.lines))
            except ZelfscanError as err:
                out.append(str(err))
        return out

    fast = read_all()
    monkeypatch.setattr(yamlio, "_CParser", None)
    slow = read_all()
    assert fast == slow
    assert all(isinstance(x, str) for x in fast[len(texts):])  # every bad text refused
    with pytest.raises(ZelfscanError, match="ankers"):
        monkeypatch.undo()
        yamlio.parse_yaml("a: &x 1\nb: *x\n", "f.yaml")
