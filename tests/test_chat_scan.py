"""The conversation as an officer lives it (issue 15), in-process on the plain front end:
the short scan and going on to the full scan, 'w' in free text, numbers that hold still,
section introductions in full, finding an earlier session by name, paged overviews, hints
that name the program as started, :klaar that asks, and plain lines that are never wrapped."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import batch_files, files_in, full_answers

from wizard.answers.store import Answers, load_answers, save_answers
from wizard.chat import parse
from wizard.chat.conversation import ASK, Chat
from wizard.chat.numbering import Numbering
from wizard.chat.plain import PlainFrontend
from wizard.chat.sessionfiles import municipality_key
from wizard.commands.chat import invocation
from wizard.questionnaire.model import CHOICE, NUMBER, SCALE, TEXT, WEET_NIET, Question


class Script(io.StringIO):
    """Input that answers what is asked: `answer(chat, prompt)` gives the next line, or None
    for the end of input (Ctrl-D). Also records every question shown, by its number."""

    def __init__(self, answer: Callable[[Chat, str], str | None]) -> None:
        super().__init__()
        self.answer = answer
        self.chat: Chat | None = None
        self.prompt = ""

    def readline(self, *_):  # type: ignore[override]
        assert self.chat is not None
        line = self.answer(self.chat, self.prompt)
        return "" if line is None else line + "\n"


class Screen(io.StringIO):
    """stdout that remembers the last prompt written (the text after the last newline)."""

    def __init__(self, script: Script) -> None:
        super().__init__()
        self.script = script

    def write(self, text: str) -> int:
        if "\n" not in text:
            self.script.prompt = text
        return super().write(text)


def talk(q, tmp_path: Path, answer, *, scan=None, answers=None, path=None, height=24,
         program="zelfscan") -> tuple[int, str, Chat]:
    script = Script(answer)
    out = Screen(script)
    fe = PlainFrontend(stdin=script, stdout=out, width=80, height=height)
    chat = Chat(q, fe, base_dir=tmp_path, answers=answers, session_path=path, scan=scan,
                program=program)
    script.chat = chat
    rc = chat.run()
    return rc, out.getvalue(), chat


def lines(*items: str):
    """An `answer` that types the given lines in order, then ends the input."""
    todo = list(items)
    return lambda _chat, _prompt: todo.pop(0) if todo else None


def typed_for(question: Question) -> list[str]:
    if question.id == "intake.gemeente":
        return ["Heidebroek"]
    if question.kind == SCALE:
        return ["1" if question.section_id == "dreiging" else "2"]
    if question.kind == CHOICE:
        return ["1"]
    if question.kind == NUMBER:
        return ["25.000"]
    assert question.kind == TEXT
    return [f"Tekst voor {question.id}", ""] if question.section_id != "intake" else ["x"]


class Officer:
    """Answers every question it is asked, counts the answers and which questions it saw."""

    def __init__(self, first: list[str], *, finish: list[str]) -> None:
        self.todo = list(first)
        self.finish = list(finish)
        self.asked: list[str] = []
        self.answers = 0

    def __call__(self, chat: Chat, prompt: str) -> str | None:
        if self.todo:
            return self.todo.pop(0)
        if prompt == "> " and chat.session.current is not None:
            cur = chat.session.current
            self.asked.append(cur.id)
            self.answers += 1
            keys = typed_for(cur)
            self.todo = keys[1:]
            return keys[0]
        if prompt.startswith("vervolg> "):
            return ""
        return self.finish.pop(0) if self.finish else None


# ------------------------------------------------------------------------ the short scan


def test_short_scan_to_a_plan_then_the_full_scan_asks_nothing_twice(tmp_path, q):
    officer = Officer(["k"], finish=[":klaar", "j", ":klaar", "j", "j"])
    rc, out, _chat = talk(q, tmp_path, officer, scan=ASK)
    assert rc == 0, out[-2000:]
    text = " ".join(out.split())
    assert "Welke scan wilt u doen?" in text and "Korte scan: 26 vragen" in text
    short = [qid for qid in officer.asked if qid in q.short_ids()]
    first_plan = officer.asked.index(next(i for i in officer.asked if i not in q.short_ids()))
    assert len(officer.asked[:first_plan]) <= 30  # the short scan: at most 30 answers
    assert set(officer.asked[:first_plan]) == set(short)
    assert len(officer.asked) == len(set(officer.asked))  # nothing asked twice
    assert "Samenvatting voor Heidebroek (korte scan)" in text
    assert "Wilt u nu verder met de volledige scan?" in text
    session = tmp_path / "sessies" / "heidebroek.yaml"
    saved = load_answers(session, q)
    assert saved.session["soort"] == "volledig" and saved.session["status"] == "klaar"
    assert files_in(tmp_path / "heidebroek") == batch_files(session, tmp_path / "batch")
    assert "korte scan" not in (tmp_path / "heidebroek" / "plan.md").read_text("utf-8")


def test_the_short_scans_plan_says_it_is_a_quick_scan(tmp_path, q):
    officer = Officer([], finish=[":klaar", "n"])
    rc, out, _chat = talk(q, tmp_path, officer, scan="kort")
    assert rc == 0
    assert len(officer.asked) <= 30
    plan = (tmp_path / "heidebroek" / "plan.md").read_text("utf-8")
    assert "**Soort zelfscan:** korte scan (26 vragen)" in plan
    assert "Dit plan rust op de korte scan" in plan
    assert "_Niet gevraagd in de korte scan_" in plan and "niet beantwoord" not in plan
    annex = (tmp_path / "heidebroek" / "bijlage-vertrouwelijk.md").read_text("utf-8")
    assert "korte scan" in annex
    text = " ".join(out.split())
    assert "Later verder met de volledige scan: zelfscan resume" in text
    assert "--volledig" in text


def test_resume_volledig_goes_on_from_a_short_scan(tmp_path, q):
    officer = Officer([], finish=[":klaar", "n"])
    talk(q, tmp_path, officer, scan="kort")
    path = tmp_path / "sessies" / "heidebroek.yaml"
    short_done = set(load_answers(path, q).values)
    again = Officer([], finish=[])
    rc, out, _chat = talk(q, tmp_path, again, scan="volledig",
                          answers=load_answers(path, q, require_complete=False), path=path)
    assert rc == 0
    assert again.asked and not set(again.asked) & short_done
    assert "We gaan verder met de volledige scan" in " ".join(out.split())


def test_start_finds_a_finished_short_scan_and_offers_the_full_scan(tmp_path, q):
    talk(q, tmp_path, Officer([], finish=[":klaar", "n"]), scan="kort")
    officer = Officer(["Gemeente  HEIDEBROEK", "j"], finish=[])
    _rc, out, chat = talk(q, tmp_path, officer, scan="volledig")
    text = " ".join(out.split())
    assert "is eerder de korte scan gedaan" in text and "verder gaan met de volledige scan" in text
    assert chat.path == tmp_path / "sessies" / "heidebroek.yaml"
    assert officer.asked and officer.asked[0] not in q.short_ids()


# ------------------------------------------------------------------------ weet niet, numbers


def test_w_in_free_text_records_weet_niet(tmp_path, q):
    a = full_answers(q)
    qid = "borgen-van-de-aanpak.welk-budget-heb-ik-beschikbaar"
    del a.values[qid]
    a.session["huidige_vraag"] = qid
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    rc, _out, _chat = talk(q, tmp_path, lines("w", ":stop"),
                           answers=load_answers(path, q, require_complete=False), path=path)
    assert rc == 0
    assert load_answers(path, q).values[qid] == WEET_NIET


def test_numbers_hold_still_when_a_follow_up_appears(tmp_path, q):
    numbers = Numbering(q.questions())
    casussen, follow_up = numbers.label("dreiging.casussen"), \
        numbers.label("dreiging.toelichting-casussen")
    assert follow_up == casussen + "a"
    after = numbers.label("dreiging.terugkeerders")
    assert int(after) == int(casussen) + 1
    # The screen: the question after the follow-up keeps its number whether or not the
    # follow-up is shown; ':ga <that number>' opens exactly that question.
    a = full_answers(q, **{"dreiging.casussen": 0})
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    rc, out, _chat = talk(q, tmp_path, lines(f":ga {after}", ":stop"),
                          answers=load_answers(path, q), path=path)
    assert rc == 0
    assert f"Vraag {after} van {numbers.total}: Hoeveel gedetineerden" in " ".join(out.split())
    a = full_answers(q, **{"dreiging.casussen": 2})
    save_answers(a, path, q)
    rc, out, _chat = talk(q, tmp_path, lines(f":ga {after}", f":ga {follow_up}", ":stop"),
                          answers=load_answers(path, q), path=path)
    flat = " ".join(out.split())
    assert f"Vraag {after} van {numbers.total}: Hoeveel gedetineerden" in flat
    assert f"Vraag {follow_up} van {numbers.total}: Beschrijf in algemene termen" in flat


def test_review_takes_the_numbers_the_screen_shows(tmp_path, q):
    a = full_answers(q, **{"dreiging.casussen": 2})
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    numbers = Numbering(q.questions())
    after = numbers.label("dreiging.terugkeerders")
    rc, out, _chat = talk(q, tmp_path, lines(after, "", ":stop"),
                          answers=load_answers(path, q), path=path)
    assert rc == 0
    assert f"Vraag {after} van {numbers.total}: Hoeveel gedetineerden" in " ".join(out.split())


# ------------------------------------------------------------------------ what is said


def test_section_introduction_in_full_and_under_question_mark(tmp_path, q):
    a = Answers.empty(q, "2026-11-23")
    for qq in q.section("intake").questions:
        a.values[qq.id] = "Testdorp" if qq.id == "intake.gemeente" else \
            (25000 if qq.kind == NUMBER else qq.options[0].value)
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    rc, out, _chat = talk(q, tmp_path, lines("?", ":stop"),
                          answers=load_answers(path, q, require_complete=False), path=path)
    assert rc == 0
    flat = " ".join(out.split())
    said = "Deze antwoorden zijn vertrouwelijk en komen niet in het openbare deel van het plan."
    reassurance = "Dat telt als onbekend, nooit als 'geen dreiging'."
    assert flat.count(said) == 2 and flat.count(reassurance) == 2  # at the start, and under ?


def test_plain_mode_wraps_at_word_boundaries_never_inside_a_word(tmp_path, q):
    long_name = "Sessies-" + "x" * 90
    base = tmp_path / long_name
    rc, out, _chat = talk(q, base, lines("Testdorp", ":stop"), program="zelfscan")
    assert rc == 0
    path = base / "sessies" / "testdorp.yaml"
    assert str(path) in out  # the file name whole, never broken
    assert f"\n  zelfscan resume {path}\n" in out  # the command whole, on a line of its own
    for line in out.splitlines():
        # Only a single unbreakable word may be longer than the width (and a command to
        # copy, on its own line); no hanging indent.
        assert len(line) <= 79 or " " not in line.strip() or line.startswith("  zelfscan "), \
            line
    assert "\n  beeld: de dreiging" not in out and "\nbeeld: de dreiging" in out


def test_plain_mode_follows_a_terminal_made_narrower(tmp_path, q, monkeypatch):
    import os
    import shutil

    size = {"columns": 80}
    monkeypatch.setattr(shutil, "get_terminal_size",
                        lambda fallback=(80, 24): os.terminal_size((size["columns"], 24)))
    script = Script(lines("Testdorp", "?", ":stop"))
    out = Screen(script)
    fe = PlainFrontend(stdin=script, stdout=out)
    chat = Chat(q, fe, base_dir=tmp_path)
    script.chat = chat
    size["columns"] = 50  # the window is made narrower after the start
    assert chat.run() == 0
    after = out.getvalue().split("Onderdeel: Over uw gemeente", 1)[1]
    assert max(len(line) for line in after.splitlines()
               if " " in line.strip() and not line.startswith("  zelfscan ")) <= 49


def test_hints_name_the_program_as_started(tmp_path, q):
    rc, out, _chat = talk(q, tmp_path, lines("Testdorp", ":stop"), program=".venv/bin/zelfscan")
    assert rc == 0
    path = tmp_path / "sessies" / "testdorp.yaml"
    assert f"\n  .venv/bin/zelfscan resume {path}\n" in out
    assert "zelfscan resume" not in out.replace(".venv/bin/zelfscan resume", "")


def test_invocation_is_how_the_program_can_be_typed_again(tmp_path, monkeypatch):
    script = tmp_path / "venv" / "bin" / "zelfscan"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n", "utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert invocation(str(script), cwd=str(tmp_path)) == "venv/bin/zelfscan"
    assert invocation(str(script), cwd="/") == str(script)
    monkeypatch.setenv("PATH", f"{script.parent}:/usr/bin:/bin")
    assert invocation(str(script), cwd=str(tmp_path)) == "zelfscan"
    assert invocation("/x/lib/wizard/__main__.py", executable="/usr/bin/python3",
                      cwd=str(tmp_path)).endswith("python3 -m wizard")
    assert invocation("/a b/zelfscan", cwd="/") == "'/a b/zelfscan'"


def test_mistyped_chat_command_gets_a_suggestion(tmp_path, q):
    rc, out, _chat = talk(q, tmp_path, lines("Testdorp", ":overzciht", ":stop"))
    assert rc == 0
    assert "Onbekende opdracht ':overzciht'. Bedoelde u :overzicht?" in " ".join(out.split())


# ------------------------------------------------------------------------ sessions


@pytest.mark.parametrize("earlier, typed", [
    ("Heidebroek", "Gemeente Heidebroek"),
    ("Súdwest-Fryslân", "sudwest fryslan"),
    ("Gemeente Bergen (L.)", "BERGEN (L.)"),
])
def test_session_matching_ignores_gemeente_case_accents_and_spaces(tmp_path, q, earlier, typed):
    assert municipality_key(earlier) == municipality_key(typed)
    rc, _out, _chat = talk(q, tmp_path, lines(earlier, "25000", ":stop"))
    files = sorted((tmp_path / "sessies").glob("*.yaml"))
    assert len(files) == 1
    rc, out, chat = talk(q, tmp_path, lines(typed, "j", ":stop"))
    assert rc == 0
    assert "nog niet af is" in " ".join(out.split())
    assert sorted((tmp_path / "sessies").glob("*.yaml")) == files  # no second, empty session
    assert chat.path == files[0]
    assert load_answers(files[0], q).values["intake.inwoners"] == 25000


def test_gemeente_is_left_out_of_the_name(tmp_path, q):
    rc, out, chat = talk(q, tmp_path, lines("Gemeente Heidebroek", ":stop"))
    assert rc == 0
    assert "Ik noteer de naam zonder 'gemeente': Heidebroek." in out
    assert chat.answers.municipality == "Heidebroek"


# ------------------------------------------------------------------------ overview, review


def test_overview_is_per_section_paged_to_the_screen_and_says_onbeantwoord(tmp_path, q):
    rc, out, _chat = talk(q, tmp_path, lines("Testdorp", ":overzicht", "", "", "q", ":stop"),
                          height=24)
    assert rc == 0
    assert "(open)" not in out and "onbeantwoord" in out
    pages = out.split("Meer: Enter · stoppen: q > ")
    assert len(pages) == 4  # three pages shown, then 'q'
    listing = [pages[0][pages[0].rindex("> ") + 2:]] + pages[1:3]
    for page in listing:
        assert len(page.rstrip("\n").splitlines()) <= 22, page  # fits above the prompt
    assert listing[0].startswith("Over uw gemeente\n")
    assert "Dreiging in uw gemeente\n" in listing[0]
    assert "Externe ondersteuning" not in out  # 'q' stopped the listing there
    assert "Terug naar vraag 2:" in pages[3]


def test_overzicht_open_lists_only_questions_without_an_answer(tmp_path, q):
    a = full_answers(q)
    gone = ["lokaal-beeld.welke-tools-gebruik-ik-hiervoor",
            "handhaving.welke-procesafspraken-maak-ik-hierover-met"]
    for qid in gone:
        del a.values[qid]
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(a, path, q)
    rc, out, _chat = talk(q, tmp_path, lines(":overzicht open", ":stop"),
                          answers=load_answers(path, q, require_complete=False), path=path)
    assert rc == 0
    listed = re.findall(r"^ *\d+[a-z]*\. .* — (.*)$", out, re.MULTILINE)
    assert listed == ["onbeantwoord", "onbeantwoord"]


def test_klaar_asks_when_many_questions_are_unanswered(tmp_path, q):
    rc, out, _chat = talk(q, tmp_path, lines("Testdorp", ":nakijken", ":klaar", "n", ":stop"))
    assert rc == 0
    n = len([qq for qq in q.questions() if qq.condition is None]) - 1
    assert f"Nog {n} vragen zijn onbeantwoord." in " ".join(out.split())
    assert "Toch het plan maken? (j/n)" in " ".join(out.split())
    assert not (tmp_path / "testdorp").exists()  # 'n': no plan


def test_klaar_with_everything_answered_does_not_ask(tmp_path, q):
    path = tmp_path / "sessies" / "testdorp.yaml"
    save_answers(full_answers(q), path, q)
    rc, out, _chat = talk(q, tmp_path, lines(":klaar"), answers=load_answers(path, q),
                          path=path)
    assert rc == 0 and "Toch het plan maken" not in out
    assert (tmp_path / "testdorp" / "plan.md").exists()


def test_parse_suggests_commands():
    assert parse.suggest_command(":overzciht") == "overzicht"
    assert parse.suggest_command(":hlup") == "hulp"
    assert parse.suggest_command(":xyz") is None
