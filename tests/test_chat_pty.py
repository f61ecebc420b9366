"""The chat in a real pseudo-terminal (80×24): kill it mid-way, resume, finish, and get the
same plan as `zelfscan batch`. Also: no terminal -> exit 2 at once, with a Dutch message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest
from conftest import batch_files, files_in, terminal_signals

from wizard.answers.store import load_answers
from wizard.questionnaire.loader import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent


def spawn(*args: str) -> pexpect.spawn:
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    return pexpect.spawn(sys.executable, ["-m", "wizard", *args], cwd=str(ROOT), env=env,
                         dimensions=(24, 80), encoding="utf-8", timeout=15,
                         preexec_fn=terminal_signals)


@pytest.mark.timeout(90)
def test_kill_resume_finish_equals_batch(tmp_path):
    q = load_questionnaire()
    child = spawn("start", "--volledig", "--map", str(tmp_path))
    child.expect_exact("Vraag 1 van")
    child.send("Testdorp\r")
    child.expect_exact("Vraag 2 van")
    child.send("23000\r")
    child.expect_exact("Vraag 3 van")
    child.send("3\r")
    child.expect_exact("Vraag 4 van")
    child.send("Rotter")  # being typed when the process dies: may be lost
    child.kill(signal.SIGKILL)
    child.wait()

    session = tmp_path / "sessies" / "testdorp.yaml"
    saved = load_answers(session, q)
    assert saved.values == {"intake.gemeente": "Testdorp", "intake.inwoners": 23000,
                            "intake.provincie": "drenthe"}

    child = spawn("resume", str(session))
    child.expect_exact("Welkom terug")
    child.expect_exact("Vraag 4 van")  # where it was
    child.send("w\r")
    child.expect_exact("Vraag 5 van")
    child.send("\x03")  # Ctrl-C: asks, keeps everything
    child.expect_exact("Wilt u stoppen?")
    child.send("n\r")
    child.expect_exact("we gaan verder")
    child.send("1\r")
    child.expect_exact("Vraag 6 van")
    child.kill(signal.SIGHUP)  # terminal closed
    child.wait()
    saved = load_answers(session, q)
    assert saved.values["intake.politieregio"] == "weet_niet"
    assert saved.values["intake.rol"] == "ambtenaar"

    child = spawn("resume", str(session))
    child.expect_exact("Vraag 6 van")
    child.send(":nakijken\r")
    child.expect_exact("nakijken>")
    child.send(":klaar\r")
    child.expect_exact("vragen zijn onbeantwoord")  # says how many, and asks
    child.expect_exact("Toch het plan maken? (j/n)")
    child.send("j\r")
    child.expect_exact("Klaar! Het concept plan van aanpak staat in:")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    chat_files = files_in(tmp_path / "testdorp")
    assert "plan.md" in chat_files
    assert chat_files == batch_files(session, tmp_path / "batch")
    final = load_answers(session, q)
    assert final.session["status"] == "klaar"
    assert len(final.session["deelnemers"]) == 3  # start + two resumes


@pytest.mark.timeout(30)
@pytest.mark.parametrize("command", [["start"], ["resume", "x.yaml"], []])
def test_no_terminal_exits_2_quickly(tmp_path, command):
    (tmp_path / "x.yaml").write_text("antwoorden: {}\n", "utf-8")  # exists: the terminal
    t0 = time.monotonic()                                             # check is what fails
    proc = subprocess.run([sys.executable, "-m", "wizard", *command], cwd=str(tmp_path),
                          capture_output=True, input=b"Testdorp\n", timeout=20,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), check=False)
    assert time.monotonic() - t0 < 5
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "het gesprek heeft een terminal nodig" in err
    # Hints name the program the way it was started (here: python -m wizard).
    assert f"'{sys.executable} -m wizard blank'" in err
    assert f"'{sys.executable} -m wizard batch BESTAND'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "outputs").exists()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("no_color", [False, True])
def test_no_color_is_honoured(tmp_path, no_color):
    child = spawn("start", "--volledig", "--map", str(tmp_path))
    if no_color:
        child.close(force=True)
        env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color", NO_COLOR="1")
        child = pexpect.spawn(sys.executable, ["-m", "wizard", "start", "--volledig", "--map",
                                               str(tmp_path)],
                              cwd=str(ROOT), env=env, dimensions=(24, 80), encoding="utf-8",
                              timeout=15)
    child.expect_exact("Typ uw antwoord en druk op Enter.")
    coloured = "\x1b[0;38;5;" in child.before
    child.send(":stop\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert coloured is not no_color


def _type_for(question) -> str:  # type: ignore[no-untyped-def]
    from wizard.questionnaire.model import CHOICE, NUMBER, SCALE

    if question.id == "intake.gemeente":
        return "Pexdorp\r"
    if question.kind == SCALE:
        return ("1" if question.section_id == "dreiging" else "2") + "\r"
    if question.kind == CHOICE:
        return "1\r"
    if question.kind == NUMBER:
        return "25.000\r"
    return "w\r"  # free text: 'weet niet', finished at once


def _answer_until_review(child, shadow, numbers, seen: list[str]) -> int:  # type: ignore[no-untyped-def]
    """Answer what the chat asks, checking each question's stable number; the count."""
    n = 0
    while shadow.current is not None:
        cur = shadow.current
        child.expect_exact(f"Vraag {numbers.label(cur.id)} van {numbers.total}: ")
        seen.append(cur.id)
        keys = _type_for(cur)
        child.send(keys)
        shadow.answer("weet_niet" if keys == "w\r" else
                      cur.options[0].value if keys == "1\r" and cur.kind == "choice" else
                      keys.strip().replace(".", ""))
        n += 1
    child.expect_exact("nakijken>")
    return n


@pytest.mark.timeout(240)
def test_short_scan_to_a_plan_then_the_full_scan_in_a_terminal(tmp_path):
    """Issue 15, done when: a short scan takes at most 30 answers to a plan, and going on to
    the full scan asks nothing twice. In a real 80x24 terminal, as an officer would."""
    from wizard.answers.store import Answers
    from wizard.assessment.engine import Session
    from wizard.chat.numbering import Numbering

    q = load_questionnaire()
    child = spawn("start", "--map", str(tmp_path))
    child.expect_exact("Korte of volledige scan? (k/v)")
    child.send("k\r")
    shadow_answers = Answers.empty(q, "2026-01-01")
    shadow_answers.session["soort"] = "kort"
    shadow = Session(q, shadow_answers)
    seen: list[str] = []
    short = _answer_until_review(child, shadow, Numbering(shadow.walk()), seen)
    assert short <= 30
    child.send(":klaar\r")
    child.expect_exact("Samenvatting voor Pexdorp (korte scan)")
    child.expect_exact("Klaar! Het concept plan van aanpak staat in:")
    plan = tmp_path / "pexdorp" / "plan.md"
    child.expect_exact("Wilt u nu verder met de volledige scan?")
    assert "korte scan" in plan.read_text("utf-8")
    child.send("j\r")
    shadow.widen()
    full = _answer_until_review(child, shadow, Numbering(shadow.walk()), seen)
    assert len(seen) == len(set(seen)) == short + full  # nothing asked twice
    child.send(":klaar\r")
    child.expect_exact("Overschrijven? (j/n)")
    child.send("j\r")
    child.expect_exact("Klaar! Het concept plan van aanpak staat in:")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    session = tmp_path / "sessies" / "pexdorp.yaml"
    assert load_answers(session, q).session["soort"] == "volledig"
    assert "korte scan" not in plan.read_text("utf-8")
    assert files_in(tmp_path / "pexdorp") == batch_files(session, tmp_path / "batch")
