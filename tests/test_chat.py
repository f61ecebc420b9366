"""The chat driven in-process through prompt_toolkit's pipe input, with the real engine and
the real questionnaire. Every step is checked on the saved session file; the final plan is
compared byte for byte with `zelfscan batch` on the same answers."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import batch_files, full_answers
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from wizard.answers.store import load_answers, save_answers
from wizard.assessment.engine import Session
from wizard.chat.conversation import Chat
from wizard.chat.frontend import Ask
from wizard.chat.numbering import Numbering
from wizard.chat.terminal import TerminalFrontend
from wizard.cli import main as cli_main
from wizard.commands.chat import command_resume, command_start, invocation
from wizard.errors import ZelfscanError
from wizard.questionnaire.model import CHOICE, NUMBER, SCALE, TEXT, Question

PROGRAM = invocation()  # how hints name the program in this test process
ENTER = "\r"
DOWN = "\x1b[B"
CTRL_C = "\x03"
CTRL_D = "\x04"
ALT_ENTER = "\x1b\r"


class Driver(TerminalFrontend):
    """A real TerminalFrontend whose keys come from a script, one chunk per prompt.

    `script(driver, req)` returns the keys for this prompt, or None to close the input
    (the prompt then ends with EOFError, like a closed terminal). Before every prompt the
    session file is read, so tests can check what was saved after each step.
    """

    def __init__(self, inp, script: Callable, session_file: Callable[[], Path | None]):
        self.out = io.StringIO()
        super().__init__(transcript=self.out, width=80)
        self.inp = inp
        self.script = script
        self.session_file = session_file
        self.snapshots: list[str | None] = []
        self.prompts: list[str] = []
        self.reqs: list[Ask] = []
        self.chat: Chat | None = None

    def ask(self, req: Ask) -> str:
        path = self.session_file()
        self.snapshots.append(path.read_text("utf-8") if path and path.exists() else None)
        self.prompts.append(req.prompt)
        self.reqs.append(req)
        keys = self.script(self, req)
        if keys is None:
            self.inp.close()
        elif isinstance(keys, tuple):  # (keys, 'sluit'): type, then the terminal closes
            self.inp.send_text(keys[0])
            self.inp.close()
        else:
            self.inp.send_text(keys)
        return super().ask(req)

    @property
    def text(self) -> str:
        """The transcript with line wrapping undone (the chat wraps at 80 columns)."""
        return " ".join(self.out.getvalue().split())


def steps(*chunks: str) -> Callable:
    """A script that types the given chunks in order, then closes the input."""
    todo = list(chunks)

    def script(_driver, _req):
        return todo.pop(0) if todo else None

    return script


def run(tmp_path: Path, script: Callable, *, resume: Path | None = None, rol: str | None = None,
        chat_direct: bool = False, q=None, kort: bool = False, ask: bool = False,
        volledig: bool = False) -> tuple[int, Driver]:
    """Run `zelfscan start` (or resume) with the driver as front end."""
    holder: dict[str, Path | None] = {"path": resume}
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        driver = Driver(inp, script, lambda: holder["path"] or _find_session(tmp_path))
        if chat_direct:
            chat = Chat(q, driver, base_dir=tmp_path, role=rol)
            driver.chat = chat
            rc = chat.run()
        elif resume is None:
            args = argparse.Namespace(map=str(tmp_path), rol=rol, vragenlijst=None, kort=kort,
                                      volledig=not kort and not ask)
            rc = command_start(args, _frontend_override=driver, _require_terminal=False)
        else:
            args = argparse.Namespace(bestand=str(resume), rol=rol, vragenlijst=None,
                                      volledig=volledig)
            rc = command_resume(args, _frontend_override=driver, _require_terminal=False)
    return rc, driver


def _find_session(base: Path) -> Path | None:
    files = sorted((base / "sessies").glob("*.yaml")) if (base / "sessies").exists() else []
    return files[0] if files else None


def keys_for(question: Question, chat: Chat) -> str:
    """A plausible answer for every kind, as typed."""
    if question.id == "intake.gemeente":
        return "Testdorp" + ENTER
    if question.kind == SCALE:
        top = max(int(o.value) for o in question.options)
        return ("1" if question.section_id == "dreiging" else str(min(2, top))) + ENTER
    if question.kind == CHOICE:
        return "2" + ENTER
    if question.kind == NUMBER:
        return "23.000" + ENTER
    assert question.kind == TEXT
    line = f"Antwoord op {question.id.split('.')[-1]}"
    return line + ENTER + (ENTER if chat._multiline(question) else "")


def answer_everything(driver: Driver, req: Ask) -> str | None:
    chat = driver.chat
    if req.prompt == "> ":
        return keys_for(chat.session.current, chat)
    if req.prompt == "nakijken> ":
        return ":klaar" + ENTER
    return None


# ------------------------------------------------------------------------ whole session


def test_whole_session_writes_the_batch_plan(tmp_path, q):
    rc, d = run(tmp_path, answer_everything, chat_direct=True, q=q)
    assert rc == 0, d.text
    session = tmp_path / "sessies" / "testdorp.yaml"
    saved = load_answers(session, q)
    assert saved.session["status"] == "klaar"
    assert saved.date == dt.date.today().isoformat()
    assert saved.values["intake.inwoners"] == 23000
    # The follow-up of dreiging.casussen (shown because casussen >= 1) was asked too.
    assert saved.values["dreiging.toelichting-casussen"] == "Antwoord op toelichting-casussen"
    assert stat.S_IMODE(os.stat(session).st_mode) == 0o600
    # Role comes from the intake question; the timestamp only in the session block.
    [who] = saved.session["deelnemers"]
    assert who["rol"] == "adviseur" and who["vanaf"].startswith(saved.date)
    # Reflections after sections, in words; the end summary with priorities.
    assert "Borgen van de aanpak: niveau 2 van 4 (nodig: " in d.text
    assert "Dreiging tot nu toe: " in d.text
    assert "Eerst aanpakken: 1. " in d.text
    chat_files = {p.name: p.read_bytes() for p in (tmp_path / "testdorp").iterdir()}
    assert {"plan.md", "plan.html"} <= set(chat_files)
    assert chat_files == batch_files(session, tmp_path / "batch")
    assert "vanaf" not in chat_files["plan.md"].decode()
    assert str(tmp_path / "testdorp" / "plan.md") in d.text


# ------------------------------------------------------------------------ commands


def _yaml(snapshot: str | None, q, tmp_path: Path):
    assert snapshot is not None
    p = tmp_path / "snap.yaml"
    p.write_text(snapshot, "utf-8")
    return load_answers(p, q, require_complete=False)


def test_every_command_saves_at_once(tmp_path, q):
    rc, d = run(tmp_path, steps(
        "Testdorp" + ENTER,            # 0 -> saved file
        "23000" + ENTER,               # 1
        ":terug" + ENTER,              # 2 back to inwoners
        ENTER,                         # 3 Enter keeps 23000
        ":over" + ENTER,               # 4 skip provincie
        "w" + ENTER,                   # 5 politieregio: weet niet
        ":bespreek" + ENTER,           # 6 mark intake.rol
        ":notitie samen met OOV" + ENTER,  # 7
        "2" + ENTER,                   # 8 rol = adviseur
        ":ga 3" + ENTER,               # 9 jump back to provincie
        "3" + ENTER,                   # 10 drenthe; on to the first open question
        ":hulp" + ENTER,               # 11
        ":definities" + ENTER,         # 12
        "?" + ENTER,                   # 13
        ":overzicht" + ENTER,          # 14
        ":onzin" + ENTER,              # 15
        "9" + ENTER,                   # 16 not an option
        ":voortgang" + ENTER,          # 17
        ":stop" + ENTER,               # 18
    ), q=q)
    assert rc == 0
    snaps = d.snapshots
    visible = len(Session(q, _yaml(snaps[-1], q, tmp_path)).visible())
    assert snaps[0] is None  # nothing to save before the municipality is known
    a = _yaml(snaps[1], q, tmp_path)
    assert a.values == {"intake.gemeente": "Testdorp"}
    assert a.session["huidige_vraag"] == "intake.inwoners"
    assert _yaml(snaps[2], q, tmp_path).values["intake.inwoners"] == 23000
    assert _yaml(snaps[3], q, tmp_path).session["huidige_vraag"] == "intake.inwoners"
    assert _yaml(snaps[4], q, tmp_path).session["huidige_vraag"] == "intake.provincie"
    assert _yaml(snaps[5], q, tmp_path).skipped == ["intake.provincie"]
    assert _yaml(snaps[6], q, tmp_path).values["intake.politieregio"] == "weet_niet"
    assert _yaml(snaps[7], q, tmp_path).marked == ["intake.rol"]
    assert _yaml(snaps[8], q, tmp_path).notes == {"intake.rol": "samen met OOV"}
    a = _yaml(snaps[9], q, tmp_path)
    assert a.values["intake.rol"] == "adviseur"
    assert a.session["deelnemers"][0]["rol"] == "adviseur"
    assert _yaml(snaps[10], q, tmp_path).session["huidige_vraag"] == "intake.provincie"
    a = _yaml(snaps[11], q, tmp_path)
    assert a.values["intake.provincie"] == "drenthe" and a.skipped == []
    assert a.session["huidige_vraag"] == "intake.plan-aanwezig"
    # The bottom toolbar: section, question n of N, % answered, key hints; fits 80 columns.
    toolbar = d.reqs[1].toolbar
    assert toolbar[0] == f"Over uw gemeente · vraag 2 van {visible} · 1% beantwoord"
    assert "F2 terug" in toolbar[1] and all(len(line) < 80 for line in toolbar)
    assert d.reqs[1].options == () and d.reqs[4].options[0] == "1 – Groningen"
    text = d.text
    assert ":terug" in text and ":bespreek" in text  # help lists the commands
    assert "Radicalisering" in text and "Nationaal Coördinator" in text
    assert "'Verouderd' betekent" in text  # the question's help after '?'
    assert "3. In welke provincie ligt de gemeente? — Drenthe" in text
    assert "[bespreken] [notitie]" in text
    assert "Onbekende opdracht ':onzin'" in text
    assert "'9' is geen van de opties" in text
    assert f"5 van de {visible} vragen beantwoord (" in text
    assert f"Later verder gaan: {PROGRAM} resume" in text


def test_ctrl_c_asks_and_continues_then_stops(tmp_path, q):
    rc, d = run(tmp_path, steps(
        "Testdorp" + ENTER, CTRL_C, "n" + ENTER, "23000" + ENTER, CTRL_C, "j" + ENTER,
    ), q=q)
    assert rc == 0
    session = tmp_path / "sessies" / "testdorp.yaml"
    assert f"Wilt u stoppen? Uw antwoorden zijn bewaard in {session} (j/n)" in d.text
    assert "Goed, we gaan verder." in d.text
    a = load_answers(session, q)
    assert a.values == {"intake.gemeente": "Testdorp", "intake.inwoners": 23000}
    assert a.session["status"] == "bezig"


def test_ctrl_d_or_closed_input_keeps_everything(tmp_path, q):
    rc, d = run(tmp_path, steps("Testdorp" + ENTER, ("4", "sluit")), q=q)
    assert rc == 0
    a = load_answers(tmp_path / "sessies" / "testdorp.yaml", q)
    assert a.values == {"intake.gemeente": "Testdorp"}  # only the line being typed is lost
    rc, d = run(tmp_path / "d", steps("Dorp" + ENTER, CTRL_D), q=q)  # Ctrl-D on empty line
    assert rc == 0 and "Uw antwoorden zijn bewaard in" in d.text
    rc, d = run(tmp_path / "x", steps("Elders" + ENTER), q=q)  # input simply ends
    assert rc == 0
    assert load_answers(tmp_path / "x" / "sessies" / "elders.yaml", q).values


def test_arrows_multiline_and_alt_enter(tmp_path, q):
    a = full_answers(q)
    for qid in list(a.values):
        if not qid.startswith("intake.gemeente"):
            del a.values[qid]
    a.session = {"huidige_vraag": "intake.provincie"}
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    text_q = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
    rc, d = run(tmp_path, steps(
        DOWN + DOWN + ENTER,                     # provincie: option 2 (Fryslân)
        DOWN + DOWN + DOWN + "\x1b[A" + ENTER,   # politieregio: 3 then back to 2
        f":ga {text_q}" + ENTER,
        "OOV" + ENTER + "Sociaal domein" + ENTER + ENTER,
        ":ga " + text_q + ENTER,
        ALT_ENTER,                               # existing text kept as is
        ":notitie" + ENTER,
        "eerste" + ENTER + "tweede" + ALT_ENTER,
        ":stop" + ENTER,
    ), resume=path, q=q)
    assert rc == 0, d.text
    a = load_answers(path, q)
    assert a.values["intake.provincie"] == "friesland"
    assert a.values["intake.politieregio"] == "oost-nederland"
    assert a.values[text_q] == "OOV\nSociaal domein"
    assert "Meerdere regels mogen. Klaar? Druk op Enter op een lege regel" in d.text
    notes = list(a.notes.values())
    assert notes == ["eerste\ntweede"]


def test_change_in_review_reports_answers_that_no_longer_apply(tmp_path, q):
    a = full_answers(q, **{"dreiging.casussen": 2})
    follow = "dreiging.toelichting-casussen"
    assert follow in a.values
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    chat_probe = Session(q, load_answers(path, q))
    number = [x.id for x in chat_probe.visible()].index("dreiging.casussen") + 1
    rc, d = run(tmp_path, steps(
        str(number) + ENTER,   # review: change casussen
        "0" + ENTER,           # -> the follow-up no longer applies
        str(number) + ENTER,
        ENTER,                 # Enter = nothing changed
        ":klaar" + ENTER,
    ), resume=path, q=q)
    assert rc == 0, d.text
    assert d.prompts[:3] == ["nakijken> ", "nieuw antwoord> ", "nakijken> "]
    assert "gelden deze vragen niet meer" in d.text
    assert "Niets veranderd." in d.text
    saved = load_answers(path, q)
    assert saved.values["dreiging.casussen"] == 0
    assert follow not in saved.values and follow in saved.inactive
    assert "Telt niet mee" in path.read_text("utf-8")
    chat_files = {p.name: p.read_bytes() for p in (tmp_path / "testdorp").iterdir()}
    assert chat_files == batch_files(path, tmp_path / "batch")
    # The file was built without participants; resuming records who answers now.
    assert len(saved.session["deelnemers"]) == 1


def test_start_offers_to_resume_an_unfinished_session(tmp_path, q):
    rc, _ = run(tmp_path, steps("Testdorp" + ENTER, "23000" + ENTER, ":stop" + ENTER), q=q)
    old = tmp_path / "sessies" / "testdorp.yaml"
    before = old.read_bytes()
    rc, d = run(tmp_path, steps("Testdorp" + ENTER, "n" + ENTER, ":stop" + ENTER), q=q)
    assert "nog niet af is" in d.text
    assert old.read_bytes() == before  # the earlier session is left alone
    new = tmp_path / "sessies" / "testdorp-2.yaml"
    assert load_answers(new, q).values == {"intake.gemeente": "Testdorp"}
    # The newest unfinished session is offered (the one started last), and the other named.
    rc, d = run(tmp_path, steps("Testdorp" + ENTER, "j" + ENTER, "23000" + ENTER, "3" + ENTER,
                                ":stop" + ENTER), q=q)
    assert rc == 0
    assert "testdorp-2.yaml" in d.text and "nog 1 ander gesprek" in d.text
    a = load_answers(new, q)
    assert a.values["intake.inwoners"] == 23000 and a.values["intake.provincie"] == "drenthe"
    assert [p["rol"] for p in a.session["deelnemers"]] == ["onbekend", "onbekend"]
    assert "Welkom terug" in d.text
    assert old.read_bytes() == before


def test_rol_option_answers_the_role_question(tmp_path, q):
    _rc, _d = run(tmp_path, steps("Testdorp" + ENTER, ":stop" + ENTER), rol="ambtenaar", q=q)
    a = load_answers(tmp_path / "sessies" / "testdorp.yaml", q)
    assert a.values["intake.rol"] == "ambtenaar"
    assert a.session["deelnemers"][0]["rol"] == "ambtenaar"


def test_personal_data_warning_and_required_question(tmp_path, q):
    a = full_answers(q)
    text_q = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
    del a.values[text_q]
    a.session = {"huidige_vraag": text_q}
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    _rc, d = run(tmp_path, steps("mail jan@example.nl" + ENTER + ENTER, ENTER,
                                 ":stop" + ENTER), resume=path, q=q)
    assert "Let op: dit antwoord bevat mogelijk een e-mailadres" in d.text
    assert load_answers(path, q).values[text_q] == "mail jan@example.nl"
    _rc, d = run(tmp_path / "nieuw", steps(":over" + ENTER, ":stop" + ENTER), q=q)
    assert "Deze vraag is verplicht" in d.text
    assert "Er was nog niets om te bewaren" in d.text
    assert not (tmp_path / "nieuw").exists()


def test_existing_plan_is_not_overwritten_without_consent(tmp_path, q):
    a = full_answers(q)
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    (tmp_path / "testdorp").mkdir()
    (tmp_path / "testdorp" / "plan.md").write_text("eigen werk", "utf-8")
    rc, d = run(tmp_path, steps(":klaar" + ENTER, "n" + ENTER), resume=path, q=q)
    assert rc == 0
    assert (tmp_path / "testdorp" / "plan.md").read_text("utf-8") == "eigen werk"
    assert "Overschrijven? (j/n)" in d.text and "--force" in d.text


# ------------------------------------------------------------------------ errors


def test_resume_corrupt_file_is_left_untouched(tmp_path, q, capsys):
    bad = tmp_path / "kapot.yaml"
    bad.write_bytes(b"vragenlijst: zelfscan\nversie: 1\nantwoorden: [\n")
    before = bad.read_bytes()
    with pytest.raises(ZelfscanError) as err:
        command_resume(argparse.Namespace(bestand=str(bad), rol=None, vragenlijst=None),
                       _require_terminal=False)
    assert "kan niet worden hervat" in str(err.value)
    assert bad.read_bytes() == before
    # Through the CLI: Dutch message, no traceback, exit code != 0. The terminal check comes
    # first under pytest (no TTY), so the CLI answer here is the 'needs a terminal' one.
    code = cli_main(["resume", str(bad)])
    out = capsys.readouterr()
    assert code != 0 and "Traceback" not in out.err
    assert bad.read_bytes() == before


def test_no_terminal_exits_2_with_dutch_message(capsys, tmp_path):
    code = cli_main(["start", "--map", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "het gesprek heeft een terminal nodig" in err and f"'{PROGRAM} batch BESTAND'" in err
    assert not (tmp_path / "sessies").exists()


# ------------------------------------------------------------------------ pure parts


def test_parsing_answers_and_commands(q):
    from wizard.chat import parse

    scale = next(x for x in q.questions() if x.kind == SCALE and x.allows_na)
    assert parse.parse_answer(scale, " 3 ") == 3
    assert parse.parse_answer(scale, "2 – Gedeeltelijk ingericht") == 2  # from the arrows
    assert parse.parse_answer(scale, "W") == "weet_niet"
    assert parse.parse_answer(scale, "n.v.t.") == "nvt"
    with pytest.raises(parse.AnswerError, match="geen van de opties"):
        parse.parse_answer(scale, "7")
    inwoners = q.question("intake.inwoners")
    assert parse.parse_answer(inwoners, "23.000") == 23000
    assert parse.parse_answer(inwoners, "23 000") == 23000
    with pytest.raises(parse.AnswerError, match="te groot"):
        parse.parse_answer(inwoners, "2000000")
    with pytest.raises(parse.AnswerError, match="weet niet"):
        parse.parse_answer(inwoners, "w")  # this question has no 'weet niet'
    provincie = q.question("intake.provincie")
    assert parse.parse_answer(provincie, "12") == "limburg"
    assert parse.parse_answer(provincie, "fryslân") == "friesland"
    assert parse.parse_answer(provincie, "zee") == "zeeland"
    with pytest.raises(parse.AnswerError):
        parse.parse_answer(provincie, "noord")  # two provinces start with it
    assert parse.parse_command(":ga 12") == parse.Command("ga", "12", ":ga 12")
    assert parse.parse_command(":VORIGE").name == "terug"
    assert parse.parse_command("?").name == "uitleg"
    assert parse.parse_command(":bestaatniet").name == ""
    assert parse.parse_command("tekst met : erin") is None


def test_conversation_logic_does_not_import_prompt_toolkit():
    code = ("import sys, wizard.chat.conversation, wizard.chat.parse, wizard.chat.base, "
            "wizard.chat.texts, wizard.chat.commands, wizard.chat.sessionfiles, "
            "wizard.chat.numbering, wizard.chat.plain; "
            "print(any(m.startswith('prompt_toolkit') for m in sys.modules))")
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(Path(__file__).resolve().parent.parent), timeout=30, check=False)
    assert out.stdout.strip() == "False", out.stderr


# ------------------------------------------------------------------------ fixes


def test_ctrl_c_at_the_earlier_session_question_names_that_session(tmp_path, q):
    earlier = full_answers(q)
    del earlier.values["intake.rol"]
    earlier.session = {"status": "bezig"}
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(earlier, path, q)
    before = path.read_bytes()
    rc, d = run(tmp_path, steps("Testdorp" + ENTER, CTRL_C, "j" + ENTER), q=q)
    assert rc == 0
    assert "de naam van de gemeente ontbreekt" not in d.text  # it was just typed
    assert (f"Van dit nieuwe gesprek is nog niets bewaard; het eerdere gesprek in {path} "
            "blijft zoals het is.") in d.text
    assert f"Daarmee verder gaan: {PROGRAM} resume {path}" in d.text
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["testdorp.yaml"]


def _one_text_question_open(q, tmp_path):
    a = full_answers(q)
    qid = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
    del a.values[qid]
    a.session = {"huidige_vraag": qid}
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    return qid, path


def test_ctrl_c_then_go_on_puts_the_draft_back(tmp_path, q):
    qid, path = _one_text_question_open(q, tmp_path)
    rc, d = run(tmp_path, steps(
        "eerste regel" + ENTER + "tweede" + CTRL_C,
        "n" + ENTER,
        " erbij" + ENTER + ENTER,          # typed after the restored text
        ":stop" + ENTER,
    ), resume=path, q=q)
    assert rc == 0
    assert d.reqs[2].draft == "eerste regel\ntweede" and d.reqs[2].multiline
    assert "Wat u al had getypt, staat weer in de invoer." in d.text
    assert load_answers(path, q).values[qid] == "eerste regel\ntweede erbij"


def test_ctrl_c_while_the_plan_is_written_leaves_status_bezig(tmp_path, q, monkeypatch):
    import wizard.plan.output

    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(full_answers(q), path, q)

    def interrupted(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(wizard.plan.output, "write_outputs", interrupted)
    rc, d = run(tmp_path, steps(":klaar" + ENTER), resume=path, q=q)
    assert rc == 130
    assert load_answers(path, q).session["status"] == "bezig"
    assert "Onderbroken: het plan is niet (helemaal) gemaakt." in d.text
    assert f"Het plan alsnog maken: {PROGRAM} resume {path}" in d.text


def test_ctrl_c_at_overwrite_question_leaves_status_bezig(tmp_path, q):
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(full_answers(q), path, q)
    (tmp_path / "testdorp").mkdir()
    (tmp_path / "testdorp" / "plan.md").write_text("eigen werk", "utf-8")
    rc, _d = run(tmp_path, steps(":klaar" + ENTER, CTRL_C, "j" + ENTER), resume=path, q=q)
    assert rc == 0
    assert load_answers(path, q).session["status"] == "bezig"
    assert (tmp_path / "testdorp" / "plan.md").read_text("utf-8") == "eigen werk"


@pytest.mark.parametrize("keys", [
    [":stop" + ENTER], [CTRL_C, "j" + ENTER], [CTRL_C, CTRL_C], [CTRL_D], [None],
], ids=["stop", "ctrl-c-j", "ctrl-c-twice", "ctrl-d", "closed"])
def test_every_way_of_stopping_exits_0_with_the_resume_hint(tmp_path, q, keys):
    rc, d = run(tmp_path, steps("Testdorp" + ENTER, "23000" + ENTER, *[k for k in keys if k]),
                q=q)
    session = tmp_path / "sessies" / "testdorp.yaml"
    assert rc == 0
    assert f"Later verder gaan: {PROGRAM} resume {session}" in d.text
    assert load_answers(session, q).values["intake.inwoners"] == 23000


def test_start_with_a_file_as_folder_fails_before_the_first_question(tmp_path, capsys):
    f = tmp_path / "f.txt"
    f.write_text("x", "utf-8")
    assert cli_main(["start", "--map", str(f)]) == 2
    err = capsys.readouterr().err
    assert f"de map {f} is een bestand, geen map" in err and "--map" in err
    assert cli_main(["start", "--map", str(f / "sub")]) == 2
    assert f"ligt in {f}, en dat is een bestand" in capsys.readouterr().err
    assert f.read_text("utf-8") == "x"


def test_resume_a_missing_file_says_it_does_not_exist(tmp_path, capsys):
    assert cli_main(["resume", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"het sessiebestand {tmp_path / 'nope.yaml'} bestaat niet" in err
    assert "niet veranderd" not in err and "terminal" not in err
    assert cli_main(["resume", str(tmp_path)]) == 2
    assert "is een map, geen sessiebestand" in capsys.readouterr().err


def test_resume_a_workbook_goes_on_in_yaml_next_to_it(tmp_path, q):
    from wizard.answers.xlsx import write_blank_xlsx

    book = tmp_path / "w.xlsx"
    write_blank_xlsx(q, book)
    (tmp_path / "w.yaml").write_text("iets anders\n", "utf-8")  # never overwritten
    before = book.read_bytes()
    session = tmp_path / "w-2.yaml"
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        d = Driver(inp, steps("Testdorp" + ENTER, "23000" + ENTER, ":stop" + ENTER),
                   lambda: session)
        args = argparse.Namespace(bestand=str(book), rol=None, vragenlijst=None)
        rc = command_resume(args, _frontend_override=d, _require_terminal=False)
    assert rc == 0
    assert (f"De antwoorden uit het werkboek {book} zijn ingelezen. Het gesprek wordt "
            f"bewaard in {session}") in d.text
    assert load_answers(session, q).values == {"intake.gemeente": "Testdorp",
                                               "intake.inwoners": 23000}
    assert book.read_bytes() == before
    assert (tmp_path / "w.yaml").read_text("utf-8") == "iets anders\n"


def test_messages_name_the_question_by_number_not_id(tmp_path, q):
    rc, d = run(tmp_path, steps("x" * 300 + ENTER, ":stop" + ENTER), q=q)
    assert rc == 0
    assert "Vraag 1: de naam van de gemeente is te lang" in d.text
    assert "intake.gemeente" not in d.text


def test_editing_from_the_review_shows_the_questions_own_number(tmp_path, q):
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(full_answers(q), path, q)
    rc, d = run(tmp_path, steps("8" + ENTER, ENTER, ":stop" + ENTER), resume=path, q=q)
    assert rc == 0
    total = Numbering(Session(q, load_answers(path, q)).walk()).total
    assert f"Vraag 8 van {total}: " in d.text
    assert f"Vraag {total} van {total}" not in d.text


def test_end_of_chat_shows_the_text_chart(tmp_path, q):
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(full_answers(q), path, q)
    rc, d = run(tmp_path, steps(":klaar" + ENTER), resume=path, q=q)
    assert rc == 0
    out = d.out.getvalue()
    assert "# = nu, . = nog nodig, | = vereist niveau" in out
    chart = out[out.index("Onderdeel "):out.index("# = nu")]
    assert "Borgen van de aanpak" in chart and "|" in chart
    assert max(len(line) for line in chart.splitlines()) <= 80
    assert out.index("Eerst aanpakken:") < out.index("# = nu") < out.index("Klaar!")


# ------------------------------------------------------------------------ latency


def test_say_writes_the_same_bytes_as_print_formatted_text():
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.output.vt100 import Vt100_Output

    from wizard.chat import terminal

    def output(sink):
        return Vt100_Output(sink, lambda: Size(rows=24, columns=80), term="xterm")

    for style in ("bot", "kop", "fout", "goed", "hint"):
        sinks = []
        for way in ("old", "new"):
            sink = io.StringIO()
            with create_pipe_input() as inp, create_app_session(input=inp, output=output(sink)):
                fe = terminal.TerminalFrontend(width=80)
                start = len(sink.getvalue())
                if way == "old":
                    print_formatted_text(FormattedText([(f"class:{style}", "Vraag 1: één")]),
                                         style=terminal._style())
                else:
                    fe.say("Vraag 1: één", style)
                sinks.append(sink.getvalue()[start:])
        assert sinks[0] == sinks[1] and "Vraag 1: één" in sinks[0] and "\x1b[" in sinks[0]


def test_one_save_per_answer(tmp_path, q, monkeypatch):
    """Every answer is saved exactly once (it used to be twice). The time per answer is a
    budget measured by bench/run.py, not asserted here: timed unit tests are flaky."""
    import time

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    from wizard.chat import sessionfiles

    saves: list[int] = []
    real_save = sessionfiles.save_answers
    monkeypatch.setattr(sessionfiles, "save_answers", lambda *a: (saves.append(1), real_save(*a)))

    class Timed(TerminalFrontend):
        def __init__(self):
            super().__init__(width=80)
            self.mark: float | None = None
            self.times: list[float] = []
            self.asked = 0

        def ask(self, req):
            if self.mark is not None:
                self.times.append(time.perf_counter() - self.mark)
            self.asked += 1
            cur = chat.session.current
            if req.prompt != "> " or cur is None:
                raise EOFError
            saves.clear()
            keys = keys_for(cur, chat).replace(ENTER, "\n").split("\n")[0]
            self.mark = time.perf_counter()
            return keys

    out = Vt100_Output(io.StringIO(), lambda: Size(rows=24, columns=80), term="xterm")
    with create_pipe_input() as inp, create_app_session(input=inp, output=out):
        fe = Timed()
        chat = Chat(q, fe, base_dir=tmp_path)
        per_answer_saves = []
        real_ask = fe.ask

        def ask(req):
            if fe.mark is not None:
                per_answer_saves.append(len(saves))
            return real_ask(req)

        fe.ask = ask  # type: ignore[method-assign]
        assert chat.run() == 0
    assert len(fe.times) >= 80
    # The first answer names the file (nothing to save before); after that exactly one save.
    assert set(per_answer_saves[1:]) == {1}, per_answer_saves


# ------------------------------------------------------------------------ privacy (issue 14)

CASE = "De gedetineerde uit de Molenbuurt keert binnenkort terug bij zijn moeder"
TEXT_Q = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"


def _at_text_question(tmp_path: Path, q) -> Path:
    a = full_answers(q)
    del a.values[TEXT_Q]
    a.session = {"huidige_vraag": TEXT_Q}
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    return path


@pytest.mark.parametrize("choice,public", [(ENTER, False), ("1" + ENTER, False),
                                           ("3" + ENTER, True)])
def test_case_answer_offers_confidential_or_public(tmp_path, q, choice, public):
    path = _at_text_question(tmp_path, q)
    _rc, d = run(tmp_path, steps(CASE + ENTER + ENTER, choice, ":stop" + ENTER),
                 resume=path, q=q)
    said = d.text.split(CASE)[-1]
    assert "Let op: dit antwoord lijkt over personen of een casus te gaan" in said
    warning = said.split("Let op: dit antwoord", 1)[1].split("keuze>", 1)[0]
    after = said.split("keuze>", 1)[1].split("──", 1)[0]  # up to the review list
    assert "detentie" in warning and "familie" in warning  # the kinds of clue ...
    for word in ("gedetineerde", "Molenbuurt", "moeder"):  # ... never the words
        assert word not in warning and word not in after
    assert d.prompts.count("keuze> ") == 1
    a = load_answers(path, q)
    assert a.values[TEXT_Q] == CASE
    assert a.confirmed_public == ([TEXT_Q] if public else [])
    assert ("komt in het openbare plan" in after) == public
    assert ("komt in de vertrouwelijke bijlage" in after) == (not public)


def test_rephrase_asks_the_question_again_and_a_new_answer_drops_the_confirmation(tmp_path, q):
    path = _at_text_question(tmp_path, q)
    _rc, d = run(tmp_path, steps(CASE + ENTER + ENTER, "2" + ENTER,
                                 "OOV en het sociaal domein" + ENTER + ENTER, ":stop" + ENTER),
                 resume=path, q=q)
    assert d.prompts.count("keuze> ") == 1
    assert "Typ het antwoord opnieuw" in d.text
    assert load_answers(path, q).values[TEXT_Q] == "OOV en het sociaal domein"
    # Confirmed once, then changed: the new text is not confirmed.
    a = load_answers(path, q)
    a.confirmed_public = [TEXT_Q]
    a.session = {"huidige_vraag": TEXT_Q}
    save_answers(a, path, q)
    run(tmp_path, steps("OOV, jeugd" + ENTER + ENTER, ":stop" + ENTER), resume=path, q=q)
    assert load_answers(path, q).confirmed_public == []


def test_note_says_where_it_goes(tmp_path, q):
    path = _at_text_question(tmp_path, q)
    _rc, d = run(tmp_path, steps(":notitie Zijn broer belde gisteren" + ENTER, ":stop" + ENTER),
                 resume=path, q=q)
    assert "Notitie bewaard. Notities zijn vertrouwelijk: die komt in de vertrouwelijke " \
           "bijlage" in d.text
    assert "komt bij deze vraag in het plan" not in d.text
    assert "Let op: deze notitie lijkt over personen of een casus te gaan" not in d.text


def test_a_case_answer_typed_in_the_review_gets_the_same_offer(tmp_path, q):
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(full_answers(q), path, q)
    number = Numbering(Session(q, load_answers(path, q)).walk()).label(TEXT_Q)
    # The editor shows the old text in the input: Ctrl-U clears it before typing.
    _rc, d = run(tmp_path, steps(number + ENTER, "\x15" + CASE + ENTER + ENTER, "3" + ENTER,
                                 ":stop" + ENTER), resume=path, q=q)
    assert d.prompts[:3] == ["nakijken> ", "nieuw antwoord> ", "keuze> "]
    assert "Let op: dit antwoord lijkt over personen of een casus te gaan" in d.text
    a = load_answers(path, q)
    assert a.values[TEXT_Q] == CASE and a.confirmed_public == [TEXT_Q]
