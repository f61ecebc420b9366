"""Scoring: threat versus resilience, proportionate.

`load_config(q)` reads and validates questionnaires/scoring.yaml (see `config`);
`score(q, answers, config)` turns answers into a `results.Profile`.

Principles (see ../shared/DOMAIN.md):
- 'weet_niet' and unanswered questions are never scored as 0 or as the maximum: they are
  counted as unknown, lower the confidence and are listed. 'nvt' is excluded entirely.
- An unknown threat is not a low threat: with too few known threat answers the level is at
  least the configured fallback level; a serious single fact sets a floor (see `threat`).
- The required level of a component = its base + the rise of the threat level + the
  raises of the threat themes that are present (capped at the scale maximum), so every
  municipality needs a basis, none a programme it does not need, and the components that
  fit what the threat consists of are asked the most.
- Resilience is the share of components at or above their required level; a component
  whose level is unknown counts as not at level, so 'weet niet' never raises resilience.

score() is pure and deterministic: no I/O, no clock, no randomness.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from wizard.answers.store import scope_ids
from wizard.assessment import results
from wizard.assessment.config import (  # noqa: F401  (re-exported: the public names)
    NOTE_FIELDS,
    NOTE_KEYS,
    STATUS_NA,
    STATUS_OK,
    STATUS_SHORT,
    STATUS_UNKNOWN,
    STEP_BANDS,
    STEP_FIELDS,
    UNKNOWN_BAND,
    Band,
    ComponentConfig,
    Floor,
    QuadrantDef,
    ScoringConfig,
    Theme,
    ThreatLevel,
    load_config,
    parse_config,
    threat_questions,
)
from wizard.assessment.reader import Reader, config_path, fmt  # noqa: F401
from wizard.assessment.threat import assess as assess_threat
from wizard.assessment.threat import component_raises, known_share
from wizard.questionnaire import conditions
from wizard.questionnaire.conditions import AnswersContext
from wizard.questionnaire.model import NVT, SCALE, WEET_NIET, Question, Questionnaire, Section

_Reader = Reader  # older names, kept for callers outside this package
_fmt = fmt


# --------------------------------------------------------------------------- answers


def answer_values(answers: Any) -> Mapping[str, Any]:
    """The answer values from an Answers object (`.values`) or a plain mapping."""
    if isinstance(answers, Mapping):
        return answers
    values = getattr(answers, "values", None)
    return values if isinstance(values, Mapping) else {}


AnswerContext = AnswersContext  # shared with the engine and scoring


def visible_values(q: Questionnaire, answers: Any) -> tuple[list[Question], dict[str, Any]]:
    """The visible questions in order, and the answers that count (hidden ones dropped).

    Conditions are evaluated in questionnaire order; an answer to a question that is
    itself hidden never makes another question visible. A short scan (`sessie.soort: kort`)
    shows only its own questions, so the rest is neither counted nor listed as open.
    """
    raw = answer_values(answers)
    scope = scope_ids(q, answers)
    hidden: set[str] = set()

    class _Masked(AnswerContext):
        def answer(self, qid: str) -> Any:
            return None if qid in hidden else raw.get(qid)

    ctx = _Masked(raw)
    shown: list[Question] = []
    for qq in q.questions():
        if scope is not None and qq.id not in scope:
            hidden.add(qq.id)
        elif qq.condition is None or conditions.evaluate(qq.condition, ctx):
            shown.append(qq)
        else:
            hidden.add(qq.id)
    vals = {qq.id: raw[qq.id] for qq in shown if qq.id in raw}
    return shown, vals


def _is_value(v: Any) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


# --------------------------------------------------------------------------- score


def score(q: Questionnaire, answers: Any, config: ScoringConfig) -> results.Profile:
    """Answers -> Profile (threat, components, resilience, quadrant, confidence)."""
    shown, vals = visible_values(q, answers)
    shown_ids = {qq.id for qq in shown}

    unknown_ids = tuple(qq.id for qq in shown if vals.get(qq.id) == WEET_NIET)
    skipped_ids = tuple(qq.id for qq in shown if _is_empty(vals.get(qq.id)))

    threat = assess_threat(q, vals, shown_ids, config)
    raises = component_raises(config, threat)
    comps = tuple(_component(s, vals, shown_ids, threat.level, config, raises.get(s.id, 0))
                  for s in q.components())

    # Resilience: share of (applicable) components at their required level.
    applicable = [c for c in comps if c.status != STATUS_NA]
    share = (sum(1 for c in applicable if c.status == STATUS_OK) / len(applicable)
             if applicable else None)
    known_levels = [c.level for c in comps if c.level is not None]
    mean_level = round(sum(known_levels) / len(known_levels), 2) if known_levels else None
    band = _band(config.resilience_bands, share)

    # Confidence over every scored question shown: threat questions and statements.
    scored = [qq for qq in threat_questions(q) if qq.id in shown_ids]
    scored += [st for s in q.components() for st in s.statements() if st.id in shown_ids]
    counted = [qq for qq in scored if vals.get(qq.id) != NVT]
    known = sum(1 for qq in counted if _is_value(vals.get(qq.id)))
    confidence = known / len(counted) if counted else 0.0
    unknown_share = 1 - confidence if counted else 1.0
    low_conf = (known_share(q, vals, shown_ids, config) < config.min_known_threat
                or unknown_share > config.max_unknown_share)

    quadrant = _quadrant(config, threat, band, low_conf)
    objectives = tuple(
        results.ObjectiveResult(qq.id, qq.text, vals.get(qq.id), qq.label_for(vals.get(qq.id)))
        for s in q.sections if s.kind == "doelstellingen" for qq in s.questions
        if qq.id in shown_ids and qq.kind == SCALE
    )
    return results.Profile(
        threat=threat,
        components=comps,
        resilience=mean_level,
        resilience_label=band.label if band else "Onbekend",
        quadrant=quadrant,
        confidence=round(confidence, 4),
        unknown_ids=unknown_ids,
        skipped_ids=skipped_ids,
        objectives=objectives,
        low_confidence=low_conf,
        resilience_share=None if share is None else round(share, 4),
        resilience_level=band.id if band else "onbekend",
        scored_total=len(counted),
        scored_unknown=len(counted) - known,
    )


def _component(s: Section, vals: Mapping[str, Any], shown_ids: set[str], threat_level: str,
               config: ScoringConfig, extra: int = 0) -> results.ComponentResult:
    statements = [st for st in s.statements() if st.id in shown_ids]
    scale_max = 4
    levels: list[tuple[float, float]] = []
    unknown: list[str] = []
    na = 0
    for st in statements:
        v = vals.get(st.id)
        if v == NVT:
            na += 1
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            levels.append((float(v), st.weight))
        else:
            unknown.append(st.id)
    if statements and statements[0].options:
        try:
            scale_max = max(int(o.value) for o in statements[0].options)
        except (TypeError, ValueError):
            scale_max = 4
    required = config.required_level(s.id, threat_level, scale_max, extra)
    wsum = sum(w for _, w in levels)
    if levels and wsum > 0:
        level: float | None = round(sum(v * w for v, w in levels) / wsum, 2)
    elif levels:
        level = round(sum(v for v, _ in levels) / len(levels), 2)
    else:
        level = None
    if statements and na == len(statements):
        status, gap = STATUS_NA, None
    elif level is None:
        status, gap = STATUS_UNKNOWN, None
    else:
        gap = round(required - level, 2)
        status = STATUS_SHORT if gap > 0 else STATUS_OK
    return results.ComponentResult(
        id=s.id, title=s.title, level=level, required=required, gap=gap,
        answered=len(levels), unknown=len(unknown), not_applicable=na,
        total=len(statements), status=status, unknown_ids=tuple(unknown),
        base=config.component(s.id).base,
    )


def _band(bands: tuple[Band, ...], value: float | None) -> Band | None:
    if value is None or not bands:
        return None
    chosen = bands[0]
    for b in bands:
        if value >= b.threshold - 1e-9:
            chosen = b
    return chosen


def _quadrant(config: ScoringConfig, threat: results.ThreatResult, band: Band | None,
              low_conf: bool) -> results.Quadrant:
    if low_conf or band is None:
        qd = next(x for x in config.quadrants if x.uncertain)
    else:
        high = threat.rank >= (config.level_rank(config.high_threat_from) or 0)
        ids = [b.id for b in config.resilience_bands]
        ok = ids.index(band.id) >= ids.index(config.sufficient_resilience_from)
        qd = next(x for x in config.quadrants
                  if not x.uncertain and x.threat_high == high and x.resilience_ok == ok)
    return results.Quadrant(qd.id, qd.name, qd.meaning)
