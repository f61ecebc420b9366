"""Issue 18 in the chat: a character no output format can hold is refused at typing time, so
a chat can always finish (`:klaar` writes the plan); and a session file has one writer: a
second window hears that it is open elsewhere and since when, and goes on in a copy or waits
(two real processes in pseudo-terminals)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import full_answers

from wizard.answers.store import load_answers, save_answers
from wizard.assessment.engine import Session
from wizard.chat.conversation import Chat
from wizard.chat.plain import PlainFrontend
from wizard.questionnaire.model import TEXT

ROOT = Path(__file__).resolve().parent.parent


def _session(tmp_path: Path, q) -> Path:
    path = tmp_path / "sessies" / "testdorp.yaml"
    path.parent.mkdir(parents=True)
    answers = full_answers(q, **{"intake.gemeente": "Testdorp"})
    save_answers(answers, path, q)
    return path


def _plain_chat(tmp_path, q):  # type: ignore[no-untyped-def]
    """A plain-mode chat on a saved session, its first open (non-intake) question, and its
    input and output."""
    path = _session(tmp_path, q)
    answers = load_answers(path, q)
    target = next(x for x in Session(q, answers).visible()
                  if x.kind == TEXT and q.section(x.section_id).kind != "intake")
    stdin = io.StringIO()
    out = io.StringIO()
    chat = Chat(q, PlainFrontend(stdin=stdin, stdout=out, width=200),
                base_dir=tmp_path, answers=answers, session_path=path)
    return chat, target, stdin, out, path


@pytest.mark.timeout(120)
@pytest.mark.parametrize("bad", ["OOV\x07 en jeugd", "OOV \ud800 en jeugd", "OOV \ufffe",
                                 "OOV \x9b31m", "regel\x00"])
def test_a_hostile_character_is_refused_while_typing_and_the_chat_still_finishes(
        tmp_path, q, bad):
    chat, target, stdin, out, path = _plain_chat(tmp_path, q)
    number = chat.numbers.label(target.id)  # the number the chat shows for that question
    stdin.write(f"{number}\n{bad}\n\nOOV en jeugd\n\n:klaar\n")
    stdin.seek(0)
    assert chat.run() == 0
    text = " ".join(out.getvalue().split())
    assert "zo'n teken kan niet in het plan. Typ het opnieuw zonder dat teken." in text
    assert "Gewijzigd: OOV en jeugd." in text
    assert "Klaar! Het concept plan van aanpak staat in:" in text
    saved = load_answers(path, q)
    assert saved.values[target.id] == "OOV en jeugd"
    assert saved.session["status"] == "klaar"
    plan = tmp_path / "testdorp" / "plan.md"
    assert plan.is_file() and (tmp_path / "testdorp" / "plan.docx").is_file()
    both = plan.read_text(encoding="utf-8") + (
        tmp_path / "testdorp" / "bijlage-vertrouwelijk.md").read_text(encoding="utf-8")
    assert "OOV en jeugd" in both


def _spawn(*args: str) -> pexpect.spawn:
    env = dict(os.environ, TERM="dumb", PYTHONPATH=str(ROOT))
    child = pexpect.spawn(sys.executable, ["-m", "wizard", *args], cwd=str(ROOT), env=env,
                          dimensions=(24, 200), timeout=30, encoding="utf-8")
    return child


def _close(child: pexpect.spawn) -> None:
    if child.isalive():
        child.terminate(force=True)


@pytest.mark.timeout(240)
def test_two_windows_on_one_session_never_both_write(tmp_path, q):
    base = str(tmp_path)
    a = _spawn("start", "--volledig", "--map", base)
    b = c = None
    try:
        a.expect_exact("Vraag 1 van")
        a.expect_exact("\n> ")
        a.sendline("Testdorp")
        a.expect_exact("Vraag 2 van")
        a.expect_exact("\n> ")
        session = tmp_path / "sessies" / "testdorp.yaml"
        assert session.is_file()

        # A second `zelfscan start` for the same municipality that goes on with it: open
        # elsewhere, since when.
        b = _spawn("start", "--volledig", "--map", base)
        b.expect_exact("Vraag 1 van")
        b.expect_exact("\n> ")
        b.sendline("Testdorp")
        b.expect_exact("Wilt u daarmee verder gaan? (j/n)")
        b.expect_exact("(j/n) > ")
        b.sendline("j")
        b.expect_exact("is al geopend in een ander venster of door een collega (sinds ")
        b.expect_exact(f"proces {a.pid})")
        b.expect_exact("(k/w/s) > ")
        b.sendline("k")
        b.expect_exact("U werkt nu in een kopie:")
        b.expect_exact("testdorp-kopie.yaml")
        b.expect_exact("\n> ")
        b.sendline("12345")  # goes into the copy, not into A's file
        b.expect_exact("\n> ")
        b.sendline(":stop")
        b.expect(pexpect.EOF)
        copy = tmp_path / "sessies" / "testdorp-kopie.yaml"
        assert load_answers(copy, q, require_complete=False).values["intake.inwoners"] == 12345
        assert "intake.inwoners" not in load_answers(session, q,
                                                     require_complete=False).values

        # `zelfscan resume` of the open file: wait until A closes it, then go on with
        # A's latest answers.
        c = _spawn("resume", str(session))
        c.expect_exact("is al geopend in een ander venster")
        c.expect_exact("(k/w/s) > ")
        c.sendline("w")
        c.expect_exact("Ik wacht tot het gesprek in het andere venster wordt gesloten")
        a.sendline("23000")  # A answers on while C waits
        a.expect_exact("Vraag 3 van")
        a.expect_exact("\n> ")
        a.sendline(":stop")
        a.expect(pexpect.EOF)
        c.expect_exact("Het andere venster heeft het gesprek gesloten; u kunt verder.")
        c.expect_exact("Vraag 3 van")  # A's answer to question 2 is there
        c.expect_exact("\n> ")
        c.sendline("3")
        c.expect_exact("Vraag 4 van")
        c.expect_exact("\n> ")
        c.sendline(":stop")
        c.expect(pexpect.EOF)
        values = load_answers(session, q, require_complete=False).values
        assert values["intake.inwoners"] == 23000 and values["intake.provincie"] == "drenthe"
        assert not list((tmp_path / "sessies").glob(".*.lock"))  # all released
    finally:
        for child in (a, b, c):
            if child is not None:
                _close(child)


@pytest.mark.timeout(120)
def test_a_changed_answer_that_ends_in_a_full_stop_is_confirmed_with_one(tmp_path, q):
    chat, target, stdin, out, _path = _plain_chat(tmp_path, q)
    stdin.write(f"{chat.numbers.label(target.id)}\nOOV en jeugd.\n\n:klaar\n")
    stdin.seek(0)
    assert chat.run() == 0
    text = " ".join(out.getvalue().split())
    assert "Gewijzigd: OOV en jeugd." in text
    assert "Gewijzigd: OOV en jeugd.." not in text
