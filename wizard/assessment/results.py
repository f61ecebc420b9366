"""Results of scoring and advice: plain frozen dataclasses shared by render, chat and batch.

Produced by `wizard.assessment.scoring.score()` and `wizard.assessment.advice.advise()`; no I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ThemeResult:
    """One threat theme (scoring.yaml 'themas'): whether it is present and what it raises."""

    id: str  # e.g. 'personen', 'terugkeer', 'families', 'spanningen', 'scholen', 'online'
    label: str  # Dutch, general terms fit for the public plan ("steun aan families en naasten")
    present: bool | None  # True: a question of the theme answered above 0; None: unknown
    question_ids: tuple[str, ...] = ()
    raises: tuple[tuple[str, int], ...] = ()  # (component id, levels) applied when present


@dataclass(frozen=True)
class ThreatResult:
    level: str  # level id from scoring.yaml, e.g. 'laag', 'verhoogd', 'hoog'
    label: str  # Dutch label, e.g. 'Verhoogd'
    rank: int  # 0 = lowest
    score: float | None  # 0..1 over the answered threat questions; None if none answered
    known: int  # threat questions answered with a value
    unknown: int  # answered 'weet niet' or skipped
    total: int
    unknown_ids: tuple[str, ...] = ()
    meaning: str = ""  # one Dutch sentence
    assumed: bool = False  # too few known answers: level raised to the configured fallback
    phrase: str = ""  # for sentences, e.g. 'verhoogde dreiging'
    themes: tuple[ThemeResult, ...] = ()
    floor: str = ""  # Dutch reason when a serious single fact lifted the level (a floor)
    floor_public: str = ""  # the same in general terms, for the public plan
    borderline: bool = False  # just under the next level's threshold
    gaps: tuple[str, ...] = ()  # heavy threat questions answered 'weet niet' (named as gaps)

    @property
    def confidence(self) -> float:
        return self.known / self.total if self.total else 0.0


@dataclass(frozen=True)
class ComponentResult:
    id: str
    title: str
    level: float | None  # 0..4 mean over answered statements; None if none answered
    required: int  # level this municipality needs, given its threat
    gap: float | None  # required - level (>0 means short), None if level unknown
    answered: int
    unknown: int  # 'weet niet' or skipped statements
    not_applicable: int
    total: int
    status: str  # 'op orde' | 'tekort' | 'onbekend' | 'nvt' (every statement nvt)
    unknown_ids: tuple[str, ...] = ()
    base: int = 0  # required level at the lowest threat (scoring.yaml 'basis')

    @property
    def confidence(self) -> float:
        scored = self.total - self.not_applicable
        return self.answered / scored if scored else 0.0


@dataclass(frozen=True)
class Quadrant:
    id: str
    name: str  # plain Dutch name
    meaning: str  # what it means for this municipality, one or two sentences


@dataclass(frozen=True)
class ObjectiveResult:
    id: str
    text: str
    value: Any  # answer (0..4, 'weet_niet', None)
    label: str


@dataclass(frozen=True)
class Profile:
    threat: ThreatResult
    components: tuple[ComponentResult, ...]
    resilience: float | None  # mean component level 0..4
    resilience_label: str  # e.g. 'Laag', 'Gemiddeld', 'Hoog'
    quadrant: Quadrant
    confidence: float  # share of scored questions answered with a value
    unknown_ids: tuple[str, ...]  # every 'weet niet' answer
    skipped_ids: tuple[str, ...]  # questions shown but not answered
    objectives: tuple[ObjectiveResult, ...] = ()
    low_confidence: bool = False  # too many unknowns: first form a lokaal beeld
    # Share (0..1) of applicable components at or above their required level; the
    # resilience band (resilience_label) is chosen on this share, not on the mean level.
    resilience_share: float | None = None
    resilience_level: str = ""  # band id from scoring.yaml, e.g. 'laag'
    scored_total: int = 0  # scored questions shown (threat + statements, nvt excluded)
    scored_unknown: int = 0  # of which 'weet niet' or unanswered

    def component(self, cid: str) -> ComponentResult:
        for c in self.components:
            if c.id == cid:
                return c
        raise KeyError(cid)


@dataclass(frozen=True)
class Reason:
    """Why something is advised: a sentence plus the answers and template rows behind it."""

    text: str  # Dutch, fit for a plan
    question_ids: tuple[str, ...] = ()
    section_ids: tuple[str, ...] = ()
    confidential: bool = False  # cites a confidential answer (issue 8)


@dataclass(frozen=True)
class Action:
    """One line of the plan's agenda: an acute action ('nu regelen') or a component step."""

    id: str
    component_id: str  # '' for an acute action not tied to one component
    text: str  # public wording: the kind of action, never case facts
    detail: str = ""  # confidential wording for the annex ('' when `text` says it all)
    owner: str = ""  # trekker: a role (aandachtsfunctionaris, burgemeester, team OOV, ...)
    partners: tuple[str, ...] = ()
    term: str = ""  # 'nu' | '0–3 maanden' | '3–12 maanden' | 'doorlopend'
    effort: str = ""  # inzet: hours or budget indication, proportional to the threat
    result: str = ""  # how the result is seen
    reason: Reason | None = None
    acute: bool = False
    support: tuple[str, ...] = ()  # support body ids involved


@dataclass(frozen=True)
class Priority:
    component_id: str
    title: str
    rank: int  # 1 = first
    urgency: str  # 'hoog' | 'middel' | 'laag'
    current: float | None
    required: int
    gap: float | None
    reasons: tuple[Reason, ...]
    next_steps: tuple[str, ...] = ()
    steps: tuple[Action, ...] = ()  # the next steps as agenda actions (same order as next_steps)
    status: str = ""  # the component's status: 'op orde' | 'tekort' | 'onbekend' | 'nvt'


@dataclass(frozen=True)
class Recommendation:
    body_id: str
    name: str
    offers: str
    contact: str
    reasons: tuple[Reason, ...]
    rank: int = 0
    when: str = ""  # 'nu' | 'dit kwartaal' | 'bij behoefte': when to contact this body
    public_reason: str = ""  # the body's role and the theme in general terms (public plan)


@dataclass(frozen=True)
class Advice:
    priorities: tuple[Priority, ...]  # all components, most urgent first
    recommendations: tuple[Recommendation, ...]  # support bodies that fit, strongest first
    notes: tuple[str, ...] = ()  # general remarks, e.g. "many unknowns: start with lokaal beeld"
    acute: tuple[Action, ...] = ()  # 'nu regelen': time-bound actions before everything else
    also_available: tuple[Recommendation, ...] = ()  # bodies that fit, beyond the route

    def top(self, n: int = 3) -> tuple[Priority, ...]:
        return self.priorities[:n]

    @property
    def has_shortfall(self) -> bool:
        """False when every component is at its required level: 'bijhouden', no priorities.

        A component whose level is unknown is not known to be at level: it counts as work
        (finding out), as in the plan's summary."""
        return any(p.status in ("tekort", "onbekend") if p.status
                   else (p.gap is not None and p.gap > 0) for p in self.priorities)
