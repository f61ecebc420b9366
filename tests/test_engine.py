"""The session state machine: walking, conditions, changes, progress, resume."""

from __future__ import annotations

import pytest
from test_answers import small_questionnaire

from wizard.answers.store import Answers, dump_answers
from wizard.assessment.engine import Progress, Session
from wizard.errors import ZelfscanError

Q = small_questionnaire()


def new_session(**values) -> Session:
    return Session(Q, Answers("zelfscan", 1, "2026-11-23", values=dict(values)))


def ids(qs) -> list[str]:
    return [x.id for x in qs]


def test_walk_answer_skip_to_the_end():
    s = new_session()
    assert s.current.id == "intake.gemeente"
    s.answer("Voorbeeldstad")
    assert s.current.id == "intake.inwoners"
    s.answer("23000")  # typed text is read as a number
    s.skip()
    assert s.answers.skipped == ["intake.rol"]
    assert s.current.id == "dreiging.signalen"
    s.answer(0)  # no signals: the follow-ups stay hidden
    assert s.current.id == "borgen.stelling-a"
    s.answer("nvt")
    s.answer("OOV en zorg")
    assert s.current is None
    assert s.is_complete()
    assert s.answers.values == {
        "intake.gemeente": "Voorbeeldstad", "intake.inwoners": 23000, "dreiging.signalen": 0,
        "borgen.stelling-a": "nvt", "borgen.welke-afdelingen": "OOV en zorg",
    }
    assert ids(s.unanswered()) == ["intake.rol"]
    assert "huidige_vraag" not in s.answers.session


def test_condition_shows_follow_up_chain():
    s = new_session(**{"intake.gemeente": "X"})
    s.jump("dreiging.signalen")
    s.answer(2)
    assert s.current.id == "dreiging.pga"
    s.answer(1)
    assert s.current.id == "dreiging.pga-welke"
    assert "dreiging.pga-welke" in ids(s.visible())


def test_invalid_answer_raises_dutch_and_changes_nothing():
    s = new_session(**{"intake.gemeente": "X"})
    s.jump("dreiging.signalen")
    with pytest.raises(ZelfscanError) as exc:
        s.answer(7)
    assert "dreiging.signalen: 7 valt buiten de schaal" in str(exc.value)
    assert "Toegestaan: 0 = 0 signalen" in str(exc.value)
    with pytest.raises(ZelfscanError, match="niet van toepassing"):
        s.answer("nvt")
    with pytest.raises(ZelfscanError, match="geen antwoord"):
        s.answer("  ")
    assert s.current.id == "dreiging.signalen"
    assert "dreiging.signalen" not in s.answers.values
    s.jump("intake.rol")
    s.answer("adviseur")
    assert s.answers.values["intake.rol"] == "adviseur"
    s.back()
    with pytest.raises(ZelfscanError, match="geen van de keuzes"):
        s.answer("wethouder")


def test_back_at_start_and_from_the_end():
    s = new_session()
    assert s.back() is False
    assert s.current.id == "intake.gemeente"
    s.answer("X")
    assert s.back() is True
    assert s.current.id == "intake.gemeente"
    # From the end, back goes to the last visible question, skipping hidden ones.
    s.jump("borgen.welke-afdelingen")
    s.answer("tekst")
    assert s.current is None
    assert s.back() and s.current.id == "borgen.welke-afdelingen"
    assert s.back() and s.current.id == "borgen.stelling-a"
    assert s.back() and s.current.id == "dreiging.signalen"  # pga hidden: not visited


def test_jump_unknown_and_hidden():
    s = new_session()
    with pytest.raises(ZelfscanError) as exc:
        s.jump("dreiging.signaal")
    assert "onbekende vraag 'dreiging.signaal'" in str(exc.value)
    assert "Bedoelde u 'dreiging.signalen'?" in str(exc.value)
    with pytest.raises(ZelfscanError, match="geldt nu niet"):
        s.jump("dreiging.pga")
    assert s.current.id == "intake.gemeente"
    assert s.jump("borgen.stelling-a").id == "borgen.stelling-a"
    assert s.answers.session["huidige_vraag"] == "borgen.stelling-a"


def test_changing_an_answer_hides_follow_ups_and_reports_them():
    s = new_session(**{"intake.gemeente": "X", "dreiging.signalen": 2, "dreiging.pga": 1,
                       "dreiging.pga-welke": "jihadistisch"})
    assert s.answers.inactive == {}
    gone = s.set("dreiging.signalen", 0)
    assert gone == ["dreiging.pga", "dreiging.pga-welke"]  # the chain, in order
    assert "dreiging.pga" not in s.answers.values
    assert s.answers.inactive == {"dreiging.pga": 1, "dreiging.pga-welke": "jihadistisch"}
    assert "dreiging.pga" not in ids(s.visible())
    # Kept in the file, marked as not counting.
    assert "# Telt niet mee" in dump_answers(s.answers, Q)
    # Back on: the earlier answers count again, nothing reported.
    assert s.set("dreiging.signalen", 1) == []
    assert s.answers.values["dreiging.pga-welke"] == "jihadistisch"
    # Only the second link changes.
    assert s.set("dreiging.pga", 0) == ["dreiging.pga-welke"]
    # Clearing an answer.
    assert s.set("dreiging.signalen", None) == ["dreiging.pga"]
    assert "dreiging.signalen" not in s.answers.values


def test_current_question_hidden_by_a_change_moves_on():
    s = new_session(**{"intake.gemeente": "X", "dreiging.signalen": 2})
    s.jump("dreiging.pga")
    s.set("dreiging.signalen", 0)
    assert s.current.id == "borgen.stelling-a"


def test_answer_that_hides_follow_up_reports_it():
    s = new_session(**{"intake.gemeente": "X", "dreiging.signalen": 2, "dreiging.pga": 1})
    s.jump("dreiging.signalen")
    assert s.answer(0) == ["dreiging.pga"]
    assert s.current.id == "borgen.stelling-a"


def test_progress_numbers():
    s = new_session()
    assert s.progress() == Progress("Intake", 1, 3, 1, 6, 0, 0)
    s.answer("X")
    s.answer(100)
    assert s.progress() == Progress("Intake", 3, 3, 3, 6, 2, 33)
    s.skip()
    s.answer(1)  # shows dreiging.pga: one more visible question
    assert s.progress() == Progress("Dreiging", 2, 2, 5, 7, 3, 43)
    s.jump("borgen.welke-afdelingen")
    s.answer("x")
    assert s.progress() == Progress("Borgen van de aanpak", 2, 2, 7, 7, 4, 57)


def test_section_just_finished():
    s = new_session()
    s.answer("X")
    assert s.just_finished is None
    s.answer(5)
    assert s.just_finished is None
    assert not s.section_done("intake")
    s.skip()  # the last intake question: skipped counts as done
    assert s.just_finished is not None and s.just_finished.id == "intake"
    assert s.section_done("intake")
    s.answer(0)
    assert s.just_finished.id == "dreiging"  # follow-ups hidden: section done
    s.back()
    assert s.just_finished is None
    s.answer(0)  # answering again in a done section: not "just finished"
    assert s.just_finished is None


def test_resume_position():
    a = Answers("zelfscan", 1, values={"intake.gemeente": "X", "intake.inwoners": 5},
                skipped=["intake.rol"])
    assert Session(Q, a).current.id == "dreiging.signalen"  # first neither answered nor skipped
    a.session["huidige_vraag"] = "intake.inwoners"
    assert Session(Q, a).current.id == "intake.inwoners"
    a.session["huidige_vraag"] = "dreiging.pga"  # hidden: ignored
    assert Session(Q, a).current.id == "dreiging.signalen"
    a.session["huidige_vraag"] = "bestaat.niet"
    assert Session(Q, a).current.id == "dreiging.signalen"


def test_notes_marks_and_skip_keeps_answer():
    s = new_session(**{"intake.gemeente": "X"})
    s.note("intake.gemeente", "Samen met de buurgemeente.")
    assert s.answers.notes == {"intake.gemeente": "Samen met de buurgemeente."}
    s.note("intake.gemeente", "")
    assert s.answers.notes == {}
    assert s.toggle_mark("borgen.stelling-a") is True
    assert s.answers.marked == ["borgen.stelling-a"]
    assert s.toggle_mark("borgen.stelling-a") is False
    assert s.answers.marked == []
    with pytest.raises(ZelfscanError):
        s.note("geen.vraag", "x")
    s.jump("intake.gemeente")
    s.skip()  # already answered: the answer stays, nothing recorded as skipped
    assert s.answers.values["intake.gemeente"] == "X" and s.answers.skipped == []
    # Answering a skipped question removes it from the skipped list.
    s.skip()
    assert s.answers.skipped == ["intake.inwoners"]
    s.back()
    s.answer(10)
    assert s.answers.skipped == []


def test_answer_at_the_end_is_an_error():
    s = new_session()
    s.jump("borgen.welke-afdelingen")
    s.answer("x")
    with pytest.raises(ZelfscanError, match="geen huidige vraag"):
        s.answer("y")


def test_real_questionnaire_walk():
    from wizard.questionnaire.loader import load_questionnaire

    q = load_questionnaire()
    s = Session(q, Answers(q.id, q.version))
    assert s.current.id == "intake.gemeente"
    total = len(s.visible())
    seen = 0
    while s.current is not None:
        seen += 1
        s.skip()
    assert seen == total == s.progress().total
    assert s.is_complete() and s.answers.values == {}
