"""What the plan and the annex builders share: titles, the register, levels in words, local
answers cleaned for a plan, and the questions in the order of the questionnaire."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from wizard.assessment.results import Advice, Profile
from wizard.plan.confidential import Censor
from wizard.plan.document import CONFIDENTIAL, PUBLIC, Paragraph, Text, inline
from wizard.plan.text import clean, is_empty, level_words, lines, nl_date, one_line, third_person
from wizard.plan.texts import PlanTexts
from wizard.questionnaire.model import NVT, TEXT, WEET_NIET, Question, Questionnaire

MUNICIPALITY_QID = "intake.gemeente"
PLAN_FILE_HINT = "plan.md, plan.html, plan.docx"
TITLE = "Concept plan van aanpak radicalisering en extremisme"
ANNEX_TITLE = "Vertrouwelijke bijlage bij het concept plan van aanpak"
# The marking on every page of each document (Markdown line, HTML banner and print
# header, Word header).
MARKINGS = {PUBLIC: "Openbaar concept", CONFIDENTIAL: "VERTROUWELIJK — niet openbaar maken"}


def municipality(answers: Any) -> str:
    name = (getattr(answers, "values", None) or {}).get(MUNICIPALITY_QID)
    return one_line(name) if not is_empty(name) and one_line(name) else "(gemeente onbekend)"


def plan_title(answers: Any) -> str:
    return f"{TITLE} — gemeente {municipality(answers)}"


def annex_title(answers: Any) -> str:
    return f"{ANNEX_TITLE} — gemeente {municipality(answers)}"


def register(profile: Profile) -> str:
    """Which register the plan speaks in: a local picture first, a basis, targeted work,
    or a full approach."""
    t = profile.threat
    if profile.low_confidence or t.score is None or t.assumed:
        return "beeld"
    if t.rank <= 0:
        return "basis"
    return "gericht" if t.rank == 1 else "stevig"


@dataclass(frozen=True)
class LocalAnswer:
    """An open question's answer as a plan shows it."""

    kind: str  # 'tekst' | 'vertrouwelijk' | 'leeg' | 'zegt niets' | 'niet gevraagd'
    text: str = ""

    @property
    def usable(self) -> bool:
        return self.kind == "tekst"


_NORMALISE = re.compile(r"[^\w]+", re.UNICODE)


def _normal(text: str) -> str:
    """Lower case, words only, single spaces: how answers are compared with plan texts.
    Asked for every open answer by several chapters: kept for texts of ordinary length
    (a bounded cache of short strings keeps memory flat, also with very long answers)."""
    return _normal_kept(text) if len(text) <= 2000 else _normalise(text)


def _normalise(text: str) -> str:
    return " ".join(_NORMALISE.sub(" ", text.lower()).split())


_normal_kept = lru_cache(maxsize=1024)(_normalise)


@dataclass
class Ctx:
    q: Questionnaire
    answers: Any
    profile: Profile
    advice: Advice
    texts: PlanTexts
    public: bool
    censor: Censor = field(init=False)
    scope: frozenset[str] | None = field(init=False)
    values: dict[str, Any] = field(init=False)
    notes: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        from wizard.answers.store import scope_ids

        self.censor = Censor(self.q, self.answers, self.public)
        # A short scan (sessie.soort: kort) asked only its own questions; None: the full scan.
        self.scope = scope_ids(self.q, self.answers)
        self.values = dict(getattr(self.answers, "values", None) or {})
        self.notes = dict(getattr(self.answers, "notes", None) or {})
        self._order = {qq.id: i for i, qq in enumerate(self.q.questions())}
        self._labels: dict[int, str] = {}
        self._max = 4
        self._nothing: frozenset[str] | None = None
        self._replaced: dict[str, Any] | None = None
        for s in self.q.components():
            for st in s.statements():
                scale = self.q.scales.get(st.scale_id or "")
                if scale is not None and not self._labels:
                    self._labels = {int(o.value): o.label for o in scale.options}
                    self._max = scale.max_value

    # -- names and order
    @property
    def gemeente(self) -> str:
        return municipality(self.answers)

    @property
    def register(self) -> str:
        return register(self.profile)

    @property
    def date(self) -> str:
        return nl_date(getattr(self.answers, "date", None))

    def level(self, value: float | None) -> str:
        return level_words(value, self._labels, self._max)

    def level_short(self, value: float | None) -> str:
        return "onbekend" if value is None else f"{level_words(value, {}, self._max)}"

    def position(self, qid: str) -> int:
        return self._order.get(qid, len(self._order))

    def ordered(self, ids: Iterable[str]) -> list[str]:
        return sorted(set(ids), key=lambda i: (self._order.get(i, len(self._order)), i))

    def qtext(self, qid: str) -> str:
        return self.q.question(qid).text if self.q.has_question(qid) else qid

    def section_title(self, sid: str) -> str:
        try:
            return self.q.section(sid).title
        except KeyError:
            return sid

    def heading(self, question: Question) -> str:
        """An open question as a third-person subheading."""
        overrides = self.texts.get("koppen")
        if question.id in overrides:
            return one_line(overrides[question.id])
        return third_person(one_line(question.text))

    def asked(self, qid: str) -> bool:
        """Was this question part of the scan (a short scan leaves most out)?"""
        return self.scope is None or qid in self.scope

    @property
    def short_total(self) -> int:
        """The short scan's questions, counted as the chat numbers them (follow-ups not)."""
        return sum(1 for qq in self.q.questions()
                   if self.scope is not None and qq.id in self.scope and qq.condition is None)

    def visible(self, question: Question) -> bool:
        if not question.condition:
            return True
        from wizard.questionnaire.conditions import AnswersContext, evaluate

        return bool(evaluate(question.condition, AnswersContext(self.values)))

    # -- answers
    def label(self, question: Question, value: Any) -> str:
        """The answer as words (free text cleaned, line breaks kept)."""
        if is_empty(value):
            return ""
        if question.kind == TEXT and value not in (WEET_NIET, NVT):
            return clean(value)
        return question.label_for(value)

    def says_nothing(self, value: Any) -> bool:
        words = _normal(one_line(value))
        if len(words.replace(" ", "")) <= 2:
            return True
        if self._nothing is None:  # the plan texts' list, normalised once per document
            self._nothing = frozenset(_normal(str(x)) for x in self.texts.get("zegt_niets"))
        return words in self._nothing

    def local(self, question: Question) -> LocalAnswer:
        """An open answer for the plan: never a confidential one in public, never an
        answer that says nothing ('w', 'weet niet', '-'): those become open points."""
        value = self.values.get(question.id)
        if is_empty(value) and not self.asked(question.id):
            return LocalAnswer("niet gevraagd")
        if not self.censor.shown(question.id):
            return LocalAnswer("vertrouwelijk" if not is_empty(value) else "leeg")
        if is_empty(value) or not lines(value):
            return LocalAnswer("leeg")
        if value in (WEET_NIET, NVT) or self.says_nothing(value):
            return LocalAnswer("zegt niets", one_line(value))
        text = clean(value)
        first = _normal(text)
        if self._replaced is None:  # once per document
            self._replaced = {k.lower(): v for k, v in self.texts.get("eerste_persoon").items()}
        replaced = self._replaced
        if first in replaced:
            text = one_line(replaced[first])
            text = text[:1].upper() + text[1:]
        return LocalAnswer("tekst", text)

    def open_questions(self, section_id: str) -> list[Question]:
        try:
            sec = self.q.section(section_id)
        except KeyError:
            return []
        return [oq for oq in sec.open_questions() if self.visible(oq)]


SHORT_SCAN = "Niet gevraagd in de korte scan"


def meta(ctx: Ctx, rows: list[tuple[str, str]]) -> Paragraph:
    """'Label: value' lines as one paragraph (the title block); a short scan says so."""
    if ctx.scope is not None:
        kind = f"korte scan ({ctx.short_total} vragen): een eerste beeld"
        rows = [*rows[:-1], ("Soort zelfscan", kind), rows[-1]]
    parts: list[Text] = []
    for i, (label, value) in enumerate(rows):
        if i:
            parts.append(Text("\n"))
        parts.append(Text(label + ": ", bold=True))
        parts.append(Text(value))
    return Paragraph(inline(*parts))
