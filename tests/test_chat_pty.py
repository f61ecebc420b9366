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
from conftest import batch_files, files_in

from wizard.answers.store import load_answers
from wizard.questionnaire.loader import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent


def spawn(*args: str) -> pexpect.spawn:
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    return pexpect.spawn(sys.executable, ["-m", "wizard", *args], cwd=str(ROOT), env=env,
                         dimensions=(24, 80), encoding="utf-8", timeout=15)


@pytest.mark.timeout(90)
def test_kill_resume_finish_equals_batch(tmp_path):
    q = load_questionnaire()
    child = spawn("start", "--map", str(tmp_path))
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
    assert "zelfscan blank" in err and "zelfscan batch" in err
    assert "Traceback" not in err
    assert not (tmp_path / "outputs").exists()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("no_color", [False, True])
def test_no_color_is_honoured(tmp_path, no_color):
    child = spawn("start", "--map", str(tmp_path))
    if no_color:
        child.close(force=True)
        env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color", NO_COLOR="1")
        child = pexpect.spawn(sys.executable, ["-m", "wizard", "start", "--map", str(tmp_path)],
                              cwd=str(ROOT), env=env, dimensions=(24, 80), encoding="utf-8",
                              timeout=15)
    child.expect_exact("Typ uw antwoord en druk op Enter.")
    coloured = "\x1b[0;38;5;" in child.before
    child.send(":stop\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert coloured is not no_color
