"""Shared test settings and helpers."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests draw the same examples every run, so a red build is reproducible
# and never depends on luck; locally they explore new examples each run.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# ------------------------------------------------------------------ chat test helpers
# Shared by test_chat.py, test_plain.py and test_chat_pty.py (`from conftest import ...`).


@pytest.fixture(scope="module")
def q():
    """The built-in questionnaire (a test module may define its own `q`)."""
    from wizard.questionnaire.loader import load_questionnaire

    return load_questionnaire()


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file directly in `folder`, by name, as bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def batch_files(session: Path, out: Path) -> dict[str, bytes]:
    """What `zelfscan batch` writes for one answers file, by name, as bytes."""
    from wizard.batch import run_batch

    code, results = run_batch([str(session)], out, out=io.StringIO(), err=io.StringIO())
    assert code == 0, results[0].error
    return files_in(out / results[0].folder)


def full_answers(q, **overrides):
    """A complete Answers object, built with the engine the way the chat builds it."""
    from wizard.answers.store import Answers
    from wizard.assessment.engine import Session
    from wizard.questionnaire.model import CHOICE, NUMBER, SCALE

    a = Answers.empty(q, "2026-11-23")
    s = Session(q, a)
    while s.current is not None:
        cur = s.current
        if cur.id in overrides:
            s.answer(overrides[cur.id])
        elif cur.kind == SCALE:
            s.answer(1 if cur.section_id == "dreiging" else 2)
        elif cur.kind == CHOICE:
            s.answer(cur.options[1].value)
        elif cur.kind == NUMBER:
            s.answer(23000)
        else:
            s.answer("Testdorp" if cur.id == "intake.gemeente" else f"Tekst {cur.id}")
    return a


# ------------------------------------------------------------------ plan test helpers


def chapter(md: str, title: str, level: int = 2) -> str:
    """The text of the Markdown section '## [n] <title>' (chapter numbers vary with the
    content: 'Nu regelen' only appears when there are acute actions), up to the next
    heading of the same or a higher level; '' when there is no such section."""
    import re

    head = re.compile(rf"^#{{{level}}} (?:\d+ )?{re.escape(title)}\n", re.MULTILINE)
    m = head.search(md)
    if not m:
        return ""
    rest = md[m.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[:end.start()] if end else rest


def chapters(md: str) -> list[str]:
    """The chapter titles ('## 3 Besluitpunten ...' -> 'Besluitpunten ...'), in order."""
    import re

    return [re.sub(r"^\d+ ", "", t) for t in re.findall(r"^## (.+)$", md, re.MULTILINE)]


# ------------------------------------------------------------------ large questionnaires


def big_questionnaire(dst: Path, n: int, per_section: int = 50) -> Path:
    """A copy of the built-in questionnaire plus a module of `n` extra questions (text and
    scale in turn, `per_section` a section), as a custom questionnaire may have. Returns the
    manifest's path."""
    import shutil

    from wizard.files.resources import data_dir

    shutil.copytree(data_dir(), dst)
    lines = ["secties:"]
    for start in range(0, n, per_section):
        sid = f"extra-{start // per_section}"
        lines += [f"  - id: {sid}", f"    titel: Extra {start // per_section}",
                  "    soort: overig", "    vragen:"]
        for i in range(start, min(n, start + per_section)):
            kind = "schaal\n        schaal: volwassenheid" if i % 2 else "tekst"
            lines += [f"      - id: {sid}.v{i}", f"        soort: {kind}",
                      f"        tekst: Vraag {i}?"]
    (dst / "extra.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = dst / "zelfscan.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "aanpak.yaml]" in text
    manifest.write_text(text.replace("aanpak.yaml]", "aanpak.yaml, extra.yaml]", 1),
                        encoding="utf-8")
    return manifest


def terminal_signals() -> None:
    """preexec_fn for a chat started in a pseudo-terminal: the signal dispositions a program
    started in a real terminal has. A test run under `nohup` (or a CI runner) passes SIGHUP
    ignored on to its children, and then a closed terminal would not stop the chat; a run
    started in the background by a shell (`cmd &`) passes SIGINT and SIGQUIT ignored, and
    then Ctrl-C in the plain chat would do nothing (seen: a CI run started with `&`)."""
    import signal

    for sig in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_DFL)
