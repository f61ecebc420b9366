"""The session as a pure state machine: where we are, what was answered, what comes next.

No I/O, no prompt_toolkit, no jinja2, no clock: the chat (and tests) drive it and save the
Answers it updates. The walk follows questionnaire order over the *visible* questions (those
whose `toon_als` condition holds, given the answers that count).

Changed answers that hide a follow-up: the follow-up's answer is kept but ignored — it moves
from `answers.values` to `answers.inactive` (see wizard.answers.store), so the plan never uses it,
and it comes back if the condition holds again. `set()` and `answer()` return those ids so the
caller can tell the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.answers.store import (
    FULL,
    SCAN_KEY,
    Answers,
    BadValue,
    check_value,
    is_empty,
    parse_input,
    scope_ids,
    split_applicable,
    visible_ids,
)
from wizard.errors import ZelfscanError, did_you_mean
from wizard.questionnaire.model import TEXT, Question, Questionnaire, Section

CURRENT_KEY = "huidige_vraag"  # in answers.session: where to resume


@dataclass(frozen=True)
class Progress:
    section_title: str
    index_in_section: int  # 1-based position of the current question among visible ones
    section_total: int  # visible questions in the current section
    position: int  # 1-based position among all visible questions (total when at the end)
    total: int  # visible questions
    answered: int  # visible questions with an answer
    percent: int  # answered / total, 0..100


class Session:
    """Walk a questionnaire, filling `answers` in place."""

    def __init__(self, q: Questionnaire, answers: Answers) -> None:
        self.q = q
        self.answers = answers
        self._order: list[Question] = []
        self._index: dict[str, int] = {}
        self._scope()
        self._visible: set[str] = set()
        # The section that the last answer()/skip() completed, for a one-line reflection.
        self.just_finished: Section | None = None
        self._refresh()
        start = answers.session.get(CURRENT_KEY) if isinstance(answers.session, dict) else None
        if isinstance(start, str) and self.is_visible(start):
            self._pos = self._index[start]
        else:
            first = self.first_unanswered()
            self._pos = self._index[first.id] if first else len(self._order)
        self._remember()

    def _scope(self) -> None:
        """The questions this scan walks: all of them, or only the short scan's."""
        scope = scope_ids(self.q, self.answers)
        self._order = [qu for qu in self.q.questions() if scope is None or qu.id in scope]
        self._index = {qu.id: i for i, qu in enumerate(self._order)}

    def widen(self) -> None:
        """Go on from a short scan to the full scan: every question, nothing asked twice
        (answers stay), continuing at the first question without an answer."""
        if not isinstance(self.answers.session, dict):
            self.answers.session = {}
        self.answers.session[SCAN_KEY] = FULL
        self._scope()
        self.just_finished = None
        first = self.first_unanswered()
        self._pos = self._index[first.id] if first else len(self._order)
        self._remember()

    # ------------------------------------------------------------------ state

    @property
    def current(self) -> Question | None:
        """The question to ask now; None when past the last visible question."""
        if self._pos >= len(self._order):
            return None
        return self._order[self._pos]

    def visible(self) -> list[Question]:
        return [qu for qu in self._order if qu.id in self._visible]

    def walk(self) -> list[Question]:
        """Every question of this scan in order, visible now or not (for stable numbers)."""
        return list(self._order)

    def is_visible(self, qid: str) -> bool:
        return qid in self._visible and qid in self._index

    def is_answered(self, qid: str) -> bool:
        return qid in self.answers.values

    def unanswered(self) -> list[Question]:
        """Visible questions without an answer (skipped ones included)."""
        return [qu for qu in self.visible() if qu.id not in self.answers.values]

    def first_unanswered(self) -> Question | None:
        """The first visible question neither answered nor skipped."""
        for qu in self.visible():
            if qu.id not in self.answers.values and qu.id not in self.answers.skipped:
                return qu
        return None

    def is_complete(self) -> bool:
        """Every visible question was answered or deliberately skipped."""
        return self.first_unanswered() is None

    def section_done(self, section_id: str) -> bool:
        """Every visible question of the section answered or skipped."""
        qs = [qu for qu in self.visible() if qu.section_id == section_id]
        return all(qu.id in self.answers.values or qu.id in self.answers.skipped for qu in qs)

    def progress(self) -> Progress:
        vis = self.visible()
        total = len(vis)
        answered = sum(1 for qu in vis if qu.id in self.answers.values)
        cur = self.current
        if cur is not None:
            position = vis.index(cur) + 1
            sid = cur.section_id
        else:
            position = total
            sid = vis[-1].section_id if vis else (self.q.sections[-1].id if self.q.sections
                                                  else "")
        in_section = [qu for qu in vis if qu.section_id == sid]
        index = in_section.index(cur) + 1 if cur is not None else len(in_section)
        title = self.q.section(sid).title if sid else ""
        percent = round(100 * answered / total) if total else 100
        return Progress(title, index, len(in_section), position, total, answered, percent)

    # ------------------------------------------------------------------ moves

    def answer(self, value: Any) -> list[str]:
        """Answer the current question and move on. Returns ids that no longer apply.

        Strings typed for scale/number questions are read as numbers first ("2" -> 2).
        Invalid values raise ZelfscanError (Dutch) and change nothing.
        """
        cur = self.current
        if cur is None:
            raise ZelfscanError("alle vragen zijn al gesteld; er is geen huidige vraag",
                                hint="Ga terug of spring naar een vraag om iets te wijzigen.")
        was_done = self.section_done(cur.section_id)
        dropped = self._store(cur, value)
        self._advance_from(self._index[cur.id])
        self._note_finished(cur.section_id, was_done)
        return dropped

    def skip(self) -> None:
        """Leave the current question open and move on (an existing answer is kept)."""
        cur = self.current
        if cur is None:
            return
        was_done = self.section_done(cur.section_id)
        if cur.id not in self.answers.values and cur.id not in self.answers.skipped:
            self.answers.skipped.append(cur.id)
        self._advance_from(self._index[cur.id])
        self._note_finished(cur.section_id, was_done)

    def back(self) -> bool:
        """Go to the previous visible question; False (and stay) at the first one."""
        self.just_finished = None
        for i in range(self._pos - 1, -1, -1):
            if self._order[i].id in self._visible:
                self._pos = i
                self._remember()
                return True
        return False

    def jump(self, qid: str) -> Question:
        """Go to any visible question by id."""
        self.just_finished = None
        question = self._question(qid)
        if qid not in self._index:
            raise ZelfscanError(
                f"vraag '{qid}' hoort niet bij de korte scan",
                hint="Ga verder met de volledige scan om alle vragen te beantwoorden.",
            )
        if qid not in self._visible:
            raise ZelfscanError(
                f"vraag '{qid}' geldt nu niet: de voorwaarde is niet vervuld",
                hint="Deze vraag verschijnt pas na een ander antwoord op een eerdere vraag.",
            )
        self._pos = self._index[qid]
        self._remember()
        return question

    def set(self, qid: str, value: Any) -> list[str]:
        """Change any answer (e.g. from a review); None or '' clears it.

        Re-evaluates conditions and returns the ids of answers that no longer apply (kept in
        answers.inactive, ignored by the plan). The current position stays, unless the
        current question became hidden: then it moves to the next visible one.
        """
        question = self._question(qid)
        if is_empty(value):
            self.answers.values.pop(qid, None)
            self.answers.inactive.pop(qid, None)
            return self._after_change()
        return self._store(question, value)

    def note(self, qid: str, text: str | None) -> None:
        """Set (or with empty text remove) the note on a question."""
        self._question(qid)
        if text is None or not text.strip():
            self.answers.notes.pop(qid, None)
        else:
            self.answers.notes[qid] = text

    def toggle_mark(self, qid: str) -> bool:
        """Mark or unmark a question for discussion; returns the new state."""
        self._question(qid)
        if qid in self.answers.marked:
            self.answers.marked.remove(qid)
            return False
        self.answers.marked.append(qid)
        return True

    # ------------------------------------------------------------------ internals

    def _question(self, qid: str) -> Question:
        if not isinstance(qid, str) or not self.q.has_question(qid):
            raise ZelfscanError(
                f"onbekende vraag '{qid}'",
                hint=did_you_mean(qid, self._index) or "Kies een vraag uit het overzicht.",
            )
        return self.q.question(qid)

    def _store(self, question: Question, value: Any) -> list[str]:
        if is_empty(value):
            raise ZelfscanError("er is geen antwoord gegeven",
                                hint="Geef een antwoord, of sla de vraag over.")
        if isinstance(value, str) and question.kind != TEXT:
            value = parse_input(question, value)  # typed input: "2" means 2
        try:
            stored = check_value(question, value)
        except BadValue as e:
            raise ZelfscanError(f"{question.id}: {e.message}", hint=e.hint) from None
        self.answers.inactive.pop(question.id, None)
        self.answers.values[question.id] = stored
        if question.id in self.answers.skipped:
            self.answers.skipped.remove(question.id)
        return self._after_change()

    def _after_change(self) -> list[str]:
        before = set(self.answers.inactive)
        self._refresh()
        dropped = [qu.id for qu in self._order
                   if qu.id in self.answers.inactive and qu.id not in before]
        if self.current is not None and self.current.id not in self._visible:
            self._advance_from(self._pos)
        return dropped

    def _refresh(self) -> None:
        pool = {**self.answers.inactive, **self.answers.values}
        active, inactive = split_applicable(self.q, pool)
        # Keep the dict objects (callers may hold them); update in place.
        self.answers.values.clear()
        self.answers.values.update(active)
        self.answers.inactive.clear()
        self.answers.inactive.update(inactive)
        self._visible = visible_ids(self.q, self.answers.values)

    def _advance_from(self, index: int) -> None:
        # Forward means on to the work still to do: a question that already has an answer
        # (or was skipped on purpose) is not asked again -- after going back to change one
        # answer, or after the short scan when the full scan goes on. :terug, :ga and the
        # review still reach every question.
        done = self.answers.values.keys() | set(self.answers.skipped)
        for i in range(index + 1, len(self._order)):
            qid = self._order[i].id
            if qid in self._visible and qid not in done:
                self._pos = i
                break
        else:
            self._pos = len(self._order)
        self._remember()

    def _note_finished(self, section_id: str, was_done: bool) -> None:
        done = self.section_done(section_id)
        self.just_finished = self.q.section(section_id) if done and not was_done else None

    def _remember(self) -> None:
        cur = self.current
        if not isinstance(self.answers.session, dict):
            self.answers.session = {}
        if cur is None:
            self.answers.session.pop(CURRENT_KEY, None)
        else:
            self.answers.session[CURRENT_KEY] = cur.id
