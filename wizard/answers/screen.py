"""Which free text may appear in the public plan (issue 14).

A public open answer that contains personal data (BSN, e-mail address, phone number,
address: wizard.answers.privacy) or reads like a case (persons, detention, family, ages:
wizard.answers.cases) goes to the confidential annex, with a neutral pointer in the plan,
unless the officer confirmed that it may be public (`Answers.confirmed_public`, the
answers file's `openbaar_bevestigd`). The same holds for a note when notes are public.

    withheld_ids(q, answers) -> frozenset[str]   questions whose text stays out of the plan
    flags(q, answers) -> list[Flag]              every finding, for the terminal and the annex
    terminal_lines(q, answers) -> list[str]      what validate/batch print (never the value)
    review(q, question, text) -> Flag | None     one text, for the chat

Pure: no I/O except reading the case-word list of the questionnaire (cached).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wizard.answers import privacy
from wizard.answers.cases import case_signals
from wizard.answers.casewords import CaseWords, case_words_for
from wizard.questionnaire.model import CONFIDENTIAL, NVT, PUBLIC, TEXT, WEET_NIET, Questionnaire

ANSWER, NOTE = "antwoord", "toelichting"


@dataclass(frozen=True)
class Flag:
    """A finding in the answer or note of one question. Holds kinds, never the text."""

    question_id: str
    field: str  # ANSWER or NOTE
    personal: tuple[str, ...]  # labels of personal data, e.g. 'een e-mailadres'
    case: tuple[str, ...]  # labels of case clues, e.g. 'een leeftijd'
    public: bool  # without this check, the text would be in the public plan
    confirmed: bool  # the officer confirmed it may be public
    location: str = ""  # 'file:line' (or 'file:Blad!E14') when read from a file

    @property
    def withheld(self) -> bool:
        return self.public and not self.confirmed

    def what(self) -> str:
        """Dutch: what was noticed, e.g. 'lijkt over personen of een casus te gaan (een
        leeftijd) en bevat mogelijk een e-mailadres'."""
        parts = []
        if self.case:
            parts.append("lijkt over personen of een casus te gaan (" + "; ".join(self.case)
                         + ")")
        if self.personal:
            parts.append("bevat mogelijk " + _and(self.personal))
        return " en ".join(parts)


def _and(items: tuple[str, ...] | list[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


@lru_cache(maxsize=1024)
def _personal(text: str) -> tuple[str, ...]:
    labels: list[str] = []
    for f in privacy.find_personal_data(text):
        if f.label not in labels:
            labels.append(f.label)
    return tuple(labels)


@lru_cache(maxsize=1024)
def _case(text: str, words_key: int) -> tuple[str, ...]:
    return tuple(s.label for s in case_signals(text, _WORDS[words_key]))


# The case-word lists in use, by id (CaseWords holds dicts, so it is not hashable itself;
# load_case_words keeps each list alive, so an id is never reused for another list).
_WORDS: dict[int, CaseWords] = {}


def _words_key(words: CaseWords) -> int:
    _WORDS[id(words)] = words
    return id(words)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value not in (WEET_NIET, NVT) and bool(value.strip())


def review(q: Questionnaire, qid: str, text: Any, *, field: str = ANSWER,
           confirmed: bool = False, location: str = "",
           words: Callable[[], CaseWords] | None = None,
           personal: tuple[str, ...] | None = None) -> Flag | None:
    """The finding for one text (the answer or note of question `qid`), or None.

    Answers are checked for free-text questions outside the intake (the intake's answers,
    such as the municipality's name, are the plan's own data); notes for every question.
    Case clues only count where the text would be public: a confidential answer is expected
    to be about cases, that is why it is confidential. Personal data counts everywhere.
    `words`: gives the questionnaire's case-word list (default `case_words_for(q)`), so
    that `flags` finds it once for all texts; `personal`: the labels of the personal data
    in `text` when the caller found them already (`flags`: from `privacy.scan_answers`)."""
    if not _is_text(text) or not q.has_question(qid):
        return None
    question = q.question(qid)
    confidential = question.classification == CONFIDENTIAL
    if field == ANSWER:
        if question.kind != TEXT or q.section(question.section_id).kind == "intake":
            return None
        public = not confidential
    else:
        public = not confidential and \
            getattr(q, "notes_classification", CONFIDENTIAL) == PUBLIC
    if personal is None:
        personal = _personal(text)
    case = _case(text, _words_key(words() if words else case_words_for(q))) if public else ()
    if not (personal or case):
        return None
    return Flag(qid, field, personal, case, public, confirmed, location)


def flags(q: Questionnaire, answers: Any) -> list[Flag]:
    """Every finding in the answers and notes, in questionnaire order (answer before note).

    A plan asks this several times (batch's terminal lines, the withheld ids, the annex), so
    the result is kept for the same questionnaire and the same texts: the key is a snapshot
    of everything the findings depend on (the texts themselves, not a copy), so an answer
    edited in place (the chat) gives another key and is checked again."""
    values = getattr(answers, "values", None) or {}
    notes = getattr(answers, "notes", None) or {}
    confirmed = tuple(getattr(answers, "confirmed_public", None) or ())
    where = getattr(answers, "locations", None) or {}
    # Only text is ever flagged (review: _is_text), so other values need not be in the key.
    key = (id(q), tuple((k, v) for k, v in values.items() if isinstance(v, str)),
           tuple((k, v) for k, v in notes.items() if isinstance(v, str)), confirmed,
           tuple(where.items()))
    cached = _FLAGS.get(key)
    if cached is not None and cached[0] is q:
        return list(cached[1])
    # The plan lists personal data itself (scan_answers, kept for the same texts): one
    # search per text serves both.
    personal: dict[tuple[str, str], list[str]] = {}
    for hit in privacy.scan_answers(answers):
        labels = personal.setdefault((hit.field, hit.question_id), [])
        if hit.finding.label not in labels:
            labels.append(hit.finding.label)
    result = _flags(q, values, notes, set(confirmed), where,
                    {k: tuple(v) for k, v in personal.items()})
    if len(_FLAGS) >= _KEEP:  # a few plans' worth: nothing accumulates over a batch
        _FLAGS.pop(next(iter(_FLAGS)))
    _FLAGS[key] = (q, tuple(result))
    return result


def _flags(q: Questionnaire, values: Any, notes: Any, confirmed: set[str],
           where: Any, personal: dict[tuple[str, str], tuple[str, ...]]) -> list[Flag]:
    found: list[CaseWords] = []

    def words() -> CaseWords:  # looked up once, and only when a public text needs it
        if not found:
            found.append(case_words_for(q))
        return found[0]

    out: list[Flag] = []
    for question in q.questions():
        qid = question.id
        for field, mapping in ((ANSWER, values), (NOTE, notes)):
            if qid not in mapping:
                continue
            flag = review(q, qid, mapping[qid], field=field, confirmed=qid in confirmed,
                          location=where.get((field, qid), ""), words=words,
                          personal=personal.get((field, qid), ()))
            if flag is not None:
                out.append(flag)
    return out


_KEEP = 4
# Snapshot key -> (questionnaire, flags); the questionnaire is kept to check identity.
_FLAGS: dict[tuple, tuple[Questionnaire, tuple[Flag, ...]]] = {}


def withheld_ids(q: Questionnaire, answers: Any) -> frozenset[str]:
    """Questions whose answer (and note) stay out of the public plan because the text
    was flagged and the officer did not confirm that it may be public. Callers that ask
    for many questions ask once and keep the set (`wizard.plan.confidential.Censor`)."""
    if answers is None:
        return frozenset()
    return frozenset(f.question_id for f in flags(q, answers) if f.withheld)


def terminal_lines(q: Questionnaire, answers: Any) -> list[str]:
    """The findings as validate and batch print them: file:line, the question, what was
    noticed, what happens and what to do. Never the value itself."""
    out = []
    workbook = str(getattr(answers, "source_file", "") or "").lower().endswith((".xlsx", ".xlsm"))
    confirm = ("zet 'ja' in kolom G (openbaar bevestigd) in de rij van deze vraag in de werkmap"
               if workbook else
               "zet het vraag-id onder 'openbaar_bevestigd' in het antwoordbestand")
    for f in flags(q, answers):
        text = " ".join(q.question(f.question_id).text.split())
        short = text if len(text) <= 60 else text[:59].rstrip() + "…"
        where = f"{f.location}: " if f.location else ""
        subject = "de toelichting bij vraag" if f.field == NOTE else "vraag"
        line = f"Let op (privacy): {where}{subject} '{short}' ({f.question_id}) {f.what()}"
        if f.withheld:
            line += (". Het komt daarom in de vertrouwelijke bijlage, niet in het openbare "
                     "plan.\n    → Beschrijf rollen en afspraken in plaats van personen, of "
                     f"{confirm} als het na controle toch openbaar mag.")
        elif f.public:
            line += ("; u hebt bevestigd dat het openbaar mag (openbaar_bevestigd), dus het "
                     "staat in het openbare plan.\n    → Controleer het nog eens voordat u "
                     "het plan deelt.")
        else:
            line += (". Het staat alleen in de vertrouwelijke bijlage.\n    → Noem ook daar "
                     "liever een functie of rol dan een persoon.")
        out.append(line)
    return out
