"""wizard.startup: no garbage collection while the program starts, as normal for the work."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from wizard import startup
from wizard.cli import main

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "tests" / "fixtures" / "answers" / "voorbeeld.yaml"


def test_started_without_hold_changes_nothing() -> None:
    frozen = gc.get_freeze_count()
    startup.started()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_call_from_code_never_touches_the_collector(tmp_path, capsys) -> None:
    frozen = gc.get_freeze_count()
    main(["batch", str(ANSWERS), "-o", str(tmp_path / "o"), "--zonder-word"])
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_the_program_collects_as_normal_once_started(tmp_path) -> None:
    answers = ANSWERS
    code = (
        "import gc, sys\n"
        "import wizard.batch as b\n"
        "seen = []\n"
        "work = b.process_one\n"
        "def spy(*a, **k):\n"
        "    seen.append(gc.isenabled())\n"
        "    return work(*a, **k)\n"
        "b.process_one = spy\n"
        "held = []\n"
        "load = b.load_context\n"
        "def spy_load(*a, **k):\n"
        "    held.append(gc.isenabled())\n"
        "    return load(*a, **k)\n"
        "b.load_context = spy_load\n"
        f"sys.argv = ['zelfscan', 'batch', {str(answers)!r}, '-o', {str(tmp_path / 'o')!r},"
        " '--zonder-word']\n"
        "from wizard.cli import main\n"
        "code = main()\n"
        "print(held, seen, gc.isenabled(), gc.get_freeze_count() > 0)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True).stdout.strip().splitlines()[-1]
    assert out == "[False] [True] True True"
