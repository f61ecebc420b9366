"""bench/make_answers.py writes valid, varied, deterministic answers files (no timing here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from wizard.answers import load_answers
from wizard.loader import load_questionnaire

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
