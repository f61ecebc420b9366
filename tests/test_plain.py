"""The plain mode (`--eenvoudig`, TERM=dumb): the same conversation as plain lines, for screen
readers. Real pseudo-terminal runs check the raw bytes (no escape sequence at all) and that
prompt_toolkit is never imported; in-process runs check the commands on the saved file."""

from __future__ import annotations

import argparse
import io
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import batch_files, files_in, full_answers, terminal_signals

from wizard.answers.store import Answers, load_answers, save_answers
from wizard.assessment.engine import Session
from wizard.chat.conversation import Chat
from wizard.chat.numbering import Numbering
from wizard.chat.plain import PlainFrontend
from wizard.commands.chat import wants_plain
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import CHOICE, NUMBER, SCALE, TEXT, Question

ROOT = Path(__file__).resolve().parent.parent

# Runs the CLI and says afterwards, in a line of its own, whether prompt_toolkit was loaded.
MARKER_CODE = (
    "import atexit, sys\n"
    "def _report():\n"
    "    loaded = any(m.split('.')[0] == 'prompt_toolkit' for m in sys.modules)\n"
    "    sys.stdout.write('\\nPTK-GELADEN\\n' if loaded else '\\nPTK-NIET-GELADEN\\n')\n"
    "    sys.stdout.flush()\n"
    "atexit.register(_report)\n"
    "from wizard.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def spawn(args: list[str], term: str) -> tuple[pexpect.spawn, io.BytesIO]:
    env = dict(os.environ, TERM=term, PYTHONPATH=str(ROOT))
    env.pop("NO_COLOR", None)  # plain mode must be colourless by itself
    child = pexpect.spawn(sys.executable, ["-c", MARKER_CODE, *args], cwd=str(ROOT), env=env,
                          dimensions=(24, 80), timeout=20, preexec_fn=terminal_signals)
    raw = io.BytesIO()
    child.logfile_read = raw  # every byte the chat wrote to the terminal
    return child, raw


def typed(question: Question, n: int) -> list[str]:
    """The lines a user types for a question; free text alternates the two ways to end."""
    if question.id == "intake.gemeente":
        return ["Testdorp"]
    if question.kind == SCALE:
        return ["1" if question.section_id == "dreiging" else "2"]
    if question.kind == CHOICE:
        return ["2"]
    if question.kind == NUMBER:
        return ["23.000"]
    assert question.kind == TEXT
    text = f"Antwoord op {question.id.split('.')[-1]}"
    if question.section_id == "intake":
        return [text]
    return [text, "tweede regel", "." if n % 2 else ""]


def stored(question: Question, lines: list[str]):
    if question.kind == TEXT:
        return "\n".join(x for x in lines if x not in ("", "."))
    if question.kind == SCALE:
        return int(lines[0])
    if question.kind == CHOICE:
        return question.options[int(lines[0]) - 1].value
    return 23000


# ------------------------------------------------------------------------ pseudo-terminal


@pytest.mark.timeout(120)
def test_whole_session_term_dumb_no_escape_bytes_and_batch_plan(tmp_path, q):
    """TERM=dumb alone selects plain mode; a whole session to the plan, in a real terminal."""
    child, raw = spawn(["start", "--map", str(tmp_path)], "dumb")
    child.expect_exact(b"Korte of volledige scan? (k/v) > ")
    child.sendline("v")
    shadow = Session(q, Answers.empty(q, "2026-01-01"))  # knows which question is on screen
    numbers = Numbering(shadow.walk())
    n = 0
    asked_progress = False
    while shadow.current is not None:
        cur = shadow.current
        p = shadow.progress()
        child.expect_exact(f"Vraag {numbers.label(cur.id)} van {numbers.total}: ".encode())
        child.expect_exact(b"\n> ")
        if not asked_progress and cur.section_id != "intake":
            asked_progress = True
            child.sendline(":voortgang")  # progress as a line, on request
            child.expect_exact(f"{p.answered} van de {p.total} vragen beantwoord".encode())
            child.expect_exact(b"\n> ")
        lines = typed(cur, n)
        child.sendline(lines[0])
        for line in lines[1:]:
            child.expect_exact(b"vervolg> ")
            child.sendline(line)
        shadow.answer(stored(cur, lines))
        n += 1
    child.expect_exact(b"nakijken> ")
    child.sendline(":klaar")
    child.expect_exact(b"Klaar! Het concept plan van aanpak staat in:")
    child.expect_exact(b"PTK-NIET-GELADEN")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    out = raw.getvalue()
    assert b"\x1b" not in out  # no colour, no cursor movement, no redraw: not one ESC byte
    text = " ".join(out.decode("utf-8").split())  # the chat wraps at 80 columns
    assert "Onderdeel: Borgen van de aanpak" in text and "──" not in text
    assert "Voortgang: " in text  # printed after each section instead of a toolbar
    assert "↑" not in text and "pijltjes" not in text and "F2" not in text
    assert "een regel met alleen een punt" in text
    # Same answers, same session file contents, same plan as `zelfscan batch`.
    session = tmp_path / "sessies" / "testdorp.yaml"
    saved = load_answers(session, q)
    assert saved.values == shadow.answers.values
    assert saved.session["status"] == "klaar"
    chat_files = files_in(tmp_path / "testdorp")
    assert {"plan.md", "plan.html", "plan.docx"} <= set(chat_files)
    assert chat_files == batch_files(session, tmp_path / "batch")


@pytest.mark.timeout(60)
def test_eenvoudig_with_normal_term_ctrl_c_and_resume(tmp_path, q):
    """--eenvoudig with a colour terminal: still plain. Ctrl-C asks; EOF (Ctrl-D) keeps all."""
    child, raw = spawn(["start", "--eenvoudig", "--volledig", "--map", str(tmp_path)],
                       "xterm-256color")
    child.expect_exact(b"Vraag 1 van")
    child.expect_exact(b"\n> ")
    child.sendline("Testdorp")
    child.expect_exact(b"Vraag 2 van")
    child.expect_exact(b"\n> ")
    child.sendintr()  # Ctrl-C at the prompt: asks, keeps everything
    child.expect_exact(b"Wilt u stoppen? Uw antwoorden zijn bewaard in")
    child.expect_exact(b"Stoppen? (j/n) > ")
    child.sendline("n")
    child.expect_exact(b"Goed, we gaan verder.")
    child.expect_exact(b"\n> ")
    child.sendline("23000")
    child.expect_exact(b"Vraag 3 van")
    child.expect_exact(b"\n> ")
    child.sendeof()  # Ctrl-D: stops, keeps everything
    child.expect_exact(b"Later verder gaan:\r\n")
    child.expect_exact(b" -m wizard resume ")
    child.expect_exact(b"PTK-NIET-GELADEN")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert b"\x1b" not in raw.getvalue()
    session = tmp_path / "sessies" / "testdorp.yaml"
    assert load_answers(session, q).values == {"intake.gemeente": "Testdorp",
                                               "intake.inwoners": 23000}

    child, raw = spawn(["resume", str(session), "--eenvoudig"], "xterm-256color")
    child.expect_exact(b"Welkom terug")
    child.expect_exact(b"Vraag 3 van")
    child.expect_exact(b"\n> ")
    child.sendline("3")
    child.expect_exact(b"Vraag 4 van")
    child.expect_exact(b"\n> ")
    child.kill(signal.SIGHUP)  # the terminal window is closed
    child.expect(pexpect.EOF)
    child.close()
    assert b"\x1b" not in raw.getvalue()
    assert load_answers(session, q).values["intake.provincie"] == "drenthe"


@pytest.mark.timeout(30)
def test_normal_mode_is_not_plain(tmp_path):
    """The contrast: the same start without --eenvoudig and a colour TERM uses prompt_toolkit."""
    child, raw = spawn(["start", "--volledig", "--map", str(tmp_path)], "xterm-256color")
    child.expect_exact(b"Typ uw antwoord en druk op Enter.")
    child.send(":stop\r")
    child.expect_exact(b"PTK-GELADEN")
    child.expect(pexpect.EOF)
    child.close()
    assert b"\x1b" in raw.getvalue()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("term, flag", [("dumb", []), ("xterm-256color", ["--eenvoudig"])])
def test_plain_mode_without_a_terminal_override_does_not_import_prompt_toolkit(tmp_path, term,
                                                                               flag):
    """In-process with the test override for the terminal check: sys.modules is clean."""
    code = (
        "import argparse, io, sys\n"
        "from wizard.commands.chat import command_start\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(b'Testdorp\\n23000\\n:stop\\n'))\n"
        f"args = argparse.Namespace(map={str(tmp_path)!r}, rol=None, vragenlijst=None,"
        f" eenvoudig={bool(flag)}, volledig=True)\n"
        "rc = command_start(args, _require_terminal=False)\n"
        "print('RC', rc)\n"
        "print('PTK', any(m.split('.')[0] == 'prompt_toolkit' for m in sys.modules))\n"
    )
    env = dict(os.environ, TERM=term, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=str(tmp_path), timeout=25, check=False)
    assert "RC 0" in out.stdout and "PTK False" in out.stdout, out.stderr
    assert "\x1b" not in out.stdout
    a = load_answers(tmp_path / "sessies" / "testdorp.yaml", load_questionnaire())
    assert a.values["intake.inwoners"] == 23000


def test_wants_plain(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    assert wants_plain(argparse.Namespace(eenvoudig=True))
    assert not wants_plain(argparse.Namespace(eenvoudig=False))
    assert not wants_plain(None)
    monkeypatch.setenv("TERM", "dumb")
    assert wants_plain(argparse.Namespace(eenvoudig=False))


@pytest.mark.timeout(30)
def test_no_terminal_still_refused_in_plain_mode(tmp_path):
    """Plain mode is for screen readers in a terminal, not for pipes."""
    for args, term in ((["start", "--eenvoudig"], "xterm"), (["start"], "dumb")):
        proc = subprocess.run([sys.executable, "-m", "wizard", *args, "--map", str(tmp_path)],
                              input=b"Testdorp\n", capture_output=True, timeout=20,
                              env=dict(os.environ, TERM=term, PYTHONPATH=str(ROOT)), check=False)
        assert proc.returncode == 2
        assert "het gesprek heeft een terminal nodig" in proc.stderr.decode("utf-8")
        assert not (tmp_path / "sessies").exists()


# ------------------------------------------------------------------------ in-process


class Keyboard(io.StringIO):
    """Scripted input; the item KeyboardInterrupt stands for Ctrl-C at that prompt."""

    def __init__(self, *items):
        super().__init__()
        self.items = list(items)

    def readline(self, *_):  # type: ignore[override]
        if not self.items:
            return ""  # end of input, like Ctrl-D
        item = self.items.pop(0)
        if item is KeyboardInterrupt:
            raise KeyboardInterrupt
        return item + "\n"


def chat(q, tmp_path, *lines, answers=None, path=None):
    out = io.StringIO()
    fe = PlainFrontend(stdin=Keyboard(*lines), stdout=out, width=80)
    c = Chat(q, fe, base_dir=tmp_path, answers=answers, session_path=path)
    rc = c.run()
    return rc, out.getvalue(), c


def test_back_skip_jump_note_mark_in_plain_mode(tmp_path, q):
    rc, out, _c = chat(
        q, tmp_path,
        "Testdorp", "23000",
        ":terug", "",                  # back to inwoners; Enter keeps 23000
        ":over",                       # skip provincie
        "w",                           # politieregio: weet niet
        ":bespreek",                   # mark intake.rol
        ":notitie", "eerste regel", "tweede regel", ".",   # multi-line note, ends with '.'
        "2",                           # rol = adviseur
        ":ga 3", "3",                  # jump back to provincie; then on to the first open
        ":voortgang",
        ":hulp",
        ":stop",
    )
    assert rc == 0
    a = load_answers(tmp_path / "sessies" / "testdorp.yaml", q)
    assert a.values["intake.inwoners"] == 23000
    assert a.values["intake.provincie"] == "drenthe" and a.skipped == []
    assert a.values["intake.politieregio"] == "weet_niet"
    assert a.values["intake.rol"] == "adviseur"
    assert a.marked == ["intake.rol"]
    assert a.notes == {"intake.rol": "eerste regel\ntweede regel"}
    assert a.session["huidige_vraag"] == "intake.plan-aanwezig"
    flat = " ".join(out.split())
    assert "Klaar: een lege regel of een regel met alleen een punt." in flat
    assert re.search(r"5 van de \d+ vragen beantwoord", flat)
    assert "  :terug           terug naar de vorige vraag\n" in out  # no 'F2' in plain help
    assert "F1" not in out and "F2" not in out and "pijltjes" not in out and "↑" not in out
    assert "\x1b" not in out


def test_free_text_ends_with_empty_line_or_dot_and_commands_finish_at_once(tmp_path, q):
    a = full_answers(q)
    t1 = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
    text_qs = [x.id for x in Session(q, a).visible() if x.kind == TEXT
               and x.section_id == "borgen-van-de-aanpak"]
    t2 = next(x for x in text_qs if x != t1)
    del a.values[t1], a.values[t2]
    a.session = {"huidige_vraag": t1}
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    rc, out, _c = chat(
        q, tmp_path,
        "?",                                # help at once, not the first line of an answer
        "OOV", "",                          # an empty line ends the answer
        f":ga {t2}",
        "Eerste alinea", "vervolg", ".",    # a lone '.' ends too
        ":stop",
        answers=load_answers(path, q, require_complete=False), path=path,
    )
    assert rc == 0
    saved = load_answers(path, q)
    assert saved.values[t1] == "OOV"
    assert saved.values[t2] == "Eerste alinea\nvervolg"
    assert "Uitleg bij deze vraag:" in out or "Wat het sjabloon zegt" in out
    assert ("Meerdere regels mogen. Klaar? Druk op Enter op een lege regel, of typ een regel "
            "met alleen een punt.") in " ".join(out.split())


def test_ctrl_c_asks_and_eof_keeps_everything(tmp_path, q):
    rc, out, _c = chat(q, tmp_path, "Testdorp", KeyboardInterrupt, "n", "23000",
                      KeyboardInterrupt, "j")
    assert rc == 0
    assert "Wilt u stoppen? Uw antwoorden zijn bewaard in" in " ".join(out.split())
    assert "Goed, we gaan verder." in out
    a = load_answers(tmp_path / "sessies" / "testdorp.yaml", q)
    assert a.values == {"intake.gemeente": "Testdorp", "intake.inwoners": 23000}
    rc, out, _c = chat(q, tmp_path / "eof", "Elders", "12000")  # then the input ends
    assert rc == 0 and "Uw antwoorden zijn bewaard in" in out
    a = load_answers(tmp_path / "eof" / "sessies" / "elders.yaml", q)
    assert a.values == {"intake.gemeente": "Elders", "intake.inwoners": 12000}


def test_review_edit_and_plan_equals_batch(tmp_path, q):
    a = full_answers(q, **{"dreiging.casussen": 2})
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    numbers = Numbering(Session(q, load_answers(path, q)).walk())  # as on screen
    text_q = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
    casussen = numbers.label("dreiging.casussen")
    rc, out, _c = chat(
        q, tmp_path,
        numbers.label(text_q), "",               # review: open a text answer, Enter = keep
        casussen, "0",                           # change: the follow-up no longer applies
        ":klaar",
        answers=load_answers(path, q, require_complete=False), path=path,
    )
    assert rc == 0, out
    flat = " ".join(out.split())
    assert f"Huidig antwoord: Tekst {text_q}; typ de nieuwe tekst, of alleen Enter" in flat
    assert "Niets veranderd." in out
    assert "gelden deze vragen niet meer" in flat
    assert "Nakijken\n" in out and "Samenvatting voor Testdorp\n" in out
    assert "──" not in out and "\x1b" not in out
    # The end chart in words: no bars a screen reader would read out '#' by '#'.
    assert "Per onderdeel: niveau nu en nodig\n" in out
    assert re.search(r"Borgen van de aanpak: nu 2, nodig \d, (tekort|op orde)\.", out)
    assert "#" not in out and "|" not in out
    assert f"Vraag {casussen} van {numbers.total}: " in out  # its own number, not the last
    saved = load_answers(path, q)
    assert saved.values["dreiging.casussen"] == 0
    assert saved.values[text_q] == f"Tekst {text_q}"
    assert files_in(tmp_path / "testdorp") == batch_files(path, tmp_path / "batch")


def test_warnings_and_levels_are_in_words(tmp_path, q):
    """Colour never carries meaning alone: errors say 'Let op', levels are spelled out."""
    _rc, out, _c = chat(q, tmp_path, "Testdorp", "veel", ":onzin", ":stop")
    assert "Let op: 'veel' is geen getal." in out
    assert "Let op: Onbekende opdracht ':onzin'" in out


def test_ctrl_c_in_free_text_then_go_on_shows_and_continues_the_draft(tmp_path, q):
    a = full_answers(q)
    qid = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
    del a.values[qid]
    a.session = {"huidige_vraag": qid}
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    rc, out, _c = chat(
        q, tmp_path,
        "eerste regel", "tweede regel", KeyboardInterrupt, "n",
        "derde regel", "",
        ":stop",
        answers=load_answers(path, q, require_complete=False), path=path,
    )
    assert rc == 0
    assert "Wat u al had getypt:\n  eerste regel\n  tweede regel\n" in out
    assert "Typ verder; dat komt eronder." in out
    assert load_answers(path, q).values[qid] == "eerste regel\ntweede regel\nderde regel"
    # Going on with only Enter keeps the draft as it was.
    save_answers(a, path, q)  # `a` still has the question open
    rc, out, _c = chat(q, tmp_path, "alleen dit", KeyboardInterrupt, "n", "", ":stop",
                      answers=load_answers(path, q, require_complete=False), path=path)
    assert load_answers(path, q).values[qid] == "alleen dit"


@pytest.mark.parametrize("stop", [[":stop"], [KeyboardInterrupt, "j"],
                                  [KeyboardInterrupt, KeyboardInterrupt], []],
                         ids=["stop", "ctrl-c-j", "ctrl-c-twice", "ctrl-d"])
def test_every_way_of_stopping_exits_0_with_the_resume_hint(tmp_path, q, stop):
    rc, out, _c = chat(q, tmp_path, "Testdorp", "23000", *stop)
    assert rc == 0
    assert "Later verder gaan:\n  zelfscan resume" in out
    assert load_answers(tmp_path / "sessies" / "testdorp.yaml", q).values[
        "intake.inwoners"] == 23000
