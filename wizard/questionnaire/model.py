"""The questionnaire model: frozen dataclasses, no I/O.

YAML files use Dutch keys (they are read by non-programmers); the model uses English names.
`wizard.questionnaire.loader` maps one onto the other and validates.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# Special answer values, allowed where the question says so.
WEET_NIET = "weet_niet"  # "don't know": never scored as 0 or as 4, lowers confidence
NVT = "nvt"  # "not applicable": excluded from scoring

SPECIAL_LABELS = {WEET_NIET: "Weet niet", NVT: "Niet van toepassing"}

# Question kinds (YAML: soort)
SCALE = "scale"  # schaal: ordinal options 0..n
TEXT = "text"  # tekst: free text, may be several lines
CHOICE = "choice"  # keuze: one of a list of named options
NUMBER = "number"  # getal: a whole number

KIND_FROM_YAML = {"schaal": SCALE, "tekst": TEXT, "keuze": CHOICE, "getal": NUMBER}
KIND_TO_YAML = {v: k for k, v in KIND_FROM_YAML.items()}

# Classification (YAML: classificatie)
PUBLIC = "openbaar"
CONFIDENTIAL = "vertrouwelijk"
CLASSIFICATIONS = (PUBLIC, CONFIDENTIAL)

# Section kinds (YAML: soort)
SECTION_KINDS = ("intake", "dreiging", "doelstellingen", "component", "overig")


@dataclass(frozen=True)
class Option:
    """One answer option. For scales `value` is an int (0..n); for choices a short id."""

    value: int | str
    label: str


@dataclass(frozen=True)
class Scale:
    id: str
    description: str
    options: tuple[Option, ...]
    allows_unknown: bool = True  # weet niet
    allows_na: bool = False  # niet van toepassing

    @property
    def max_value(self) -> int:
        return max(int(o.value) for o in self.options)

    @property
    def min_value(self) -> int:
        return min(int(o.value) for o in self.options)


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: str
    section_id: str
    help: str = ""
    scale_id: str | None = None
    # Options as shown: for a scale, per-question anchors ("0 signalen", "1–2") or the
    # scale's own labels; for a choice, the named options.
    options: tuple[Option, ...] = ()
    allows_unknown: bool = True
    allows_na: bool = False
    required: bool = False
    # Condition (YAML: toon_als) in the rule language of wizard.questionnaire.conditions; None = always.
    condition: Mapping[str, Any] | None = None
    classification: str = PUBLIC
    weight: float = 1.0
    source: str = ""  # where the question comes from (template row and column)
    minimum: int | None = None  # for numbers
    maximum: int | None = None
    tags: tuple[str, ...] = ()  # free labels used by rules, e.g. 'sleutelfiguren'
    short: bool = False  # part of the short scan (YAML: kort)

    def allowed_values(self) -> list[int | str]:
        """Every valid stored value (not for text/number questions)."""
        vals: list[int | str] = [o.value for o in self.options]
        if self.allows_unknown:
            vals.append(WEET_NIET)
        if self.allows_na:
            vals.append(NVT)
        return vals

    def label_for(self, value: Any) -> str:
        """The Dutch label of a stored value, for plans and reviews."""
        if value is None:
            return "(niet beantwoord)"
        if isinstance(value, str) and value in SPECIAL_LABELS:
            return SPECIAL_LABELS[value]
        for o in self.options:
            if o.value == value:
                if self.kind == SCALE:
                    return f"{o.value} – {o.label}"
                return o.label
        return str(value)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    kind: str
    questions: tuple[Question, ...]
    intro: str = ""  # shown before the first question (chat) / under the heading (plan)
    short_intro: str = ""  # the same in the short scan (YAML: inleiding_kort); "" = intro
    subtitle: str = ""  # the template's one-line subtitle under *Wat*
    what: str = ""  # the template's *Wat* cell as written (e.g. upper case)
    how: str = ""  # the template's *Hoe* text, paragraphs separated by blank lines
    classification: str = PUBLIC
    source: str = ""

    @property
    def is_component(self) -> bool:
        return self.kind == "component"

    def statements(self) -> tuple[Question, ...]:
        """The scaled questions that measure how far this component is in place."""
        return tuple(q for q in self.questions if q.kind == SCALE)

    def open_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == TEXT)


@dataclass(frozen=True)
class Definition:
    term: str
    text: str
    source: str = ""


@dataclass(frozen=True)
class Objective:
    id: str
    text: str


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: str
    sections: tuple[Section, ...]
    scales: Mapping[str, Scale] = field(default_factory=dict)
    definitions: tuple[Definition, ...] = ()
    ambition: str = ""
    objectives: tuple[Objective, ...] = ()
    # Where files were read from (for messages) and where the rule files live.
    source_file: str = ""
    config_files: Mapping[str, str] = field(default_factory=dict)
    # Classification of notes (toelichtingen); manifest key `toelichtingen_classificatie`.
    notes_classification: str = CONFIDENTIAL
    # Ids of questions dropped from the questionnaire (module key `vervallen`): an answers
    # file that still names one is valid; the answer is kept in the file and never counted.
    retired: frozenset[str] = frozenset()

    def questions(self) -> Iterator[Question]:
        for s in self.sections:
            yield from s.questions

    def question(self, qid: str) -> Question:
        """The question with this id; KeyError if there is none."""
        return self._index()[qid]

    def has_question(self, qid: str) -> bool:
        return qid in self._index()

    def section(self, sid: str) -> Section:
        """The section with this id; KeyError if there is none. A dict lookup: callers ask
        once per question, which was quadratic for large questionnaires."""
        idx = self.__dict__.get("_sindex")
        if idx is None:
            idx = {}
            for s in self.sections:
                idx.setdefault(s.id, s)  # the first, as the loop this replaces returned
            object.__setattr__(self, "_sindex", idx)  # cache on a frozen instance
        return idx[sid]

    def short_ids(self) -> frozenset[str]:
        """Ids of the questions of the short scan (YAML: kort)."""
        return frozenset(q.id for q in self.questions() if q.short)

    def components(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.is_component)

    def _index(self) -> dict[str, Question]:
        idx = self.__dict__.get("_qindex")
        if idx is None:
            idx = {q.id: q for q in self.questions()}
            object.__setattr__(self, "_qindex", idx)  # cache on a frozen instance
        return idx
