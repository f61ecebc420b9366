"""What may appear in the public plan, decided in one place.

`confidential_ids(q, answers)` is THE rule (`is_confidential(q, qid, answers)` asks it for
one question): every builder follows it through the Censor, for answers, open points,
citations and notes. A question is confidential when its `classificatie` (or its
section's) is `vertrouwelijk`, or when its public free text was flagged as case facts or
personal data (issue 14, `wizard.answers.screen`) and not confirmed as public.

A reason that rests on a confidential answer is never shown as written in the public plan:
an authored rule text becomes a pointer to the annex (THREAT_POINTER / SECRET_POINTER); a
text computed by the advice (levels, counts of statements) stays, with ANNEX_POINTER, when
it quotes no confidential answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from wizard.assessment.advice import has_real_answer
from wizard.assessment.results import Reason
from wizard.plan.text import lines
from wizard.questionnaire.model import (
    CONFIDENTIAL,
    NUMBER,
    NVT,
    PUBLIC,
    TEXT,
    WEET_NIET,
    Questionnaire,
)

THREAT_POINTER = "Op basis van het dreigingsbeeld (zie de vertrouwelijke bijlage)."
SECRET_POINTER = "Op basis van vertrouwelijke antwoorden (zie de vertrouwelijke bijlage)."
ANNEX_POINTER = "(Onderbouwing: zie de vertrouwelijke bijlage.)"
SECRET_ANSWER = "Vertrouwelijk: het antwoord staat in de vertrouwelijke bijlage."


def confidential_ids(q: Questionnaire, answers: Any = None) -> frozenset[str]:
    """THE rule: the questions whose answer (and the fact that it was answered) belong in
    the confidential annex, not in the public plan: the questionnaire classifies them as
    confidential, or (given the answers; issue 14) their public free text (or public note)
    reads like a case or holds personal data and the officer did not confirm that it may be
    public (`openbaar_bevestigd`; `wizard.answers.screen.withheld_ids`).
    A snapshot of the answers as they are now: a plan asks once per document (the Censor);
    after an edit, ask again. Any id not in the set is not confidential."""
    # q.question(id): the question an id names (the first, should ids repeat).
    classified = {qq.id for qq in q.questions()
                  if q.question(qq.id).classification == CONFIDENTIAL}
    if answers is None or not hasattr(answers, "values"):
        return frozenset(classified)
    from wizard.answers.screen import withheld_ids

    return frozenset(classified | withheld_ids(q, answers))


def is_confidential(q: Questionnaire, qid: str, answers: Any = None) -> bool:
    """THE rule (`confidential_ids`) for one question."""
    return qid in confidential_ids(q, answers)


def notes_public(q: Questionnaire) -> bool:
    """Notes (toelichtingen) are confidential unless the manifest says otherwise."""
    return getattr(q, "notes_classification", CONFIDENTIAL) == PUBLIC


def threat_ids(q: Questionnaire) -> set[str]:
    return {qq.id for s in q.sections if s.kind == "dreiging" for qq in s.questions}


def secret_strings(q: Questionnaire, answers: Any,
                   confidential: frozenset[str] | None = None) -> list[str]:
    """Every confidential answer as it could appear inside a sentence (labels, free text,
    numbers, the start of the question), to test computed reason texts against.
    `confidential`: `confidential_ids(q, answers)`, when the caller has it already."""
    values: Mapping[str, Any] = getattr(answers, "values", answers) or {}
    secret = confidential_ids(q, answers) if confidential is None else confidential
    out: list[str] = []
    for qq in q.questions():
        value = values.get(qq.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if qq.id not in secret:
            continue
        out.append(" ".join(qq.text.split()[:4]))
        if qq.kind == TEXT and value not in (WEET_NIET, NVT):
            out += lines(value)
            continue
        out.append(qq.label_for(value))
        out += [o.label for o in qq.options if o.value == value]
        if qq.kind == NUMBER and not isinstance(value, str):
            out.append(str(value))  # a count typed in; a scale's 0..3 is not telling
    return [s for s in out if s.strip()]


@dataclass(frozen=True)
class ShownReason:
    """A reason as one document shows it."""

    text: str
    question_ids: tuple[str, ...]
    section_ids: tuple[str, ...]
    annex: bool  # the full reason is in the annex


class Censor:
    """Applies the rules above for one document (public plan or annex)."""

    def __init__(self, q: Questionnaire, answers: Any, public: bool) -> None:
        self.q = q
        self.answers = answers
        self.public = public
        self.values: Mapping[str, Any] = getattr(answers, "values", None) or {}
        self._threat = threat_ids(q)
        # Asked for every question of the document: found once, for the answers as they are
        # now (a Censor lives for one document build; an edit makes a new one).
        self._confidential = confidential_ids(q, answers)
        self._secrets = secret_strings(q, answers, self._confidential) if public else []

    def secret(self, qid: str) -> bool:
        return qid in self._confidential

    def shown(self, qid: str) -> bool:
        """May this question's answer (or that it was answered) appear in this document?"""
        return not (self.public and self.secret(qid))

    def secret_answer(self, qid: str) -> bool:
        """A real answer (not missing or 'weet niet') to a confidential question."""
        return self.secret(qid) and has_real_answer(self.values.get(qid))

    def section_secret(self, sid: str) -> bool:
        try:
            sec = self.q.section(sid)
        except KeyError:
            return False
        return sec.kind == "dreiging" or sec.classification == CONFIDENTIAL

    def leaks(self, text: str) -> bool:
        return any(s in text for s in self._secrets)

    def reason(self, r: Reason, computed: bool = False) -> ShownReason:
        qids = tuple(r.question_ids)
        sids = tuple(r.section_ids)
        text = r.text
        annex = False
        # Only a real answer to a confidential question makes a reason confidential: that
        # a threat question is unanswered or 'weet niet' is not (advice does the same).
        if self.public and (r.confidential or any(map(self.secret_answer, qids))):
            annex = True
            if not computed or self.leaks(text):
                cited = [i for i in qids if self.secret_answer(i)]
                text = THREAT_POINTER if (not cited or any(i in self._threat for i in cited)) \
                    else SECRET_POINTER
            else:
                text = text.rstrip() + " " + ANNEX_POINTER
        if self.public:  # a confidential question is never quoted in the plan
            qids = tuple(i for i in qids if not self.secret(i))
            sids = tuple(s for s in sids if not self.section_secret(s))
        return ShownReason(text, qids, sids, annex)

    def reasons(self, rs: Iterable[Reason], computed: bool = False) -> list[ShownReason]:
        out: list[ShownReason] = []
        for r in rs:
            shown = self.reason(r, computed)
            if all(shown.text != o.text for o in out):  # two may read the same in public
                out.append(shown)
        return out
