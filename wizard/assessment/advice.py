"""Advice: acute actions first, ranked priorities with steps that follow the answers, and
support as a route.

`load_rules(q)` reads and validates the rule files of the questionnaire: scoring.yaml
(levels, themes, urgency), ondersteuning.yaml (support bodies and rules, see `support`),
stappen.yaml (steps per component, see `steps`) and acuut.yaml ('nu regelen', see `acute`).
`advise(q, answers, profile, rules)` is pure and deterministic.

Every priority, step, acute action and recommendation carries Reasons that cite the
answers (question ids) and template rows (section ids) behind it, so a plan can show why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.assessment import results
from wizard.assessment.acute import AcuteRule, acute_actions, parse_acute
from wizard.assessment.config import (
    STATUS_NA,
    STATUS_UNKNOWN,
    ScoringConfig,
    load_config,
)
from wizard.assessment.reader import config_path, fmt, optional_config
from wizard.assessment.scoring import visible_values
from wizard.assessment.steps import Steps, choose, parse_steps
from wizard.assessment.support import (  # noqa: F401  (re-exported)
    REASON_FIELDS,
    Body,
    Rule,
    Support,
    has_real_answer,
    known_threat_ids,
    linked_reasons,
    make_reason,
    parse_support,
    route,
)
from wizard.assessment.threat import component_raises, raised_by
from wizard.files.yamlio import YamlDoc, load_yaml
from wizard.questionnaire.model import NVT, WEET_NIET, Questionnaire


@dataclass(frozen=True)
class SupportRules:
    """Everything advise() needs besides the answers and the profile."""

    file: str
    bodies: tuple[Body, ...]
    rules: tuple[Rule, ...]
    scoring: ScoringConfig
    max_recommended: int = 4
    steps: Steps = field(default_factory=Steps)
    acute: tuple[AcuteRule, ...] = ()

    def body(self, bid: str) -> Body:
        for b in self.bodies:
            if b.id == bid:
                return b
        raise KeyError(bid)


# --------------------------------------------------------------------------- loading


def load_rules(q: Questionnaire, path: str | Path | None = None,
               config: ScoringConfig | None = None) -> SupportRules:
    """Read and validate ondersteuning.yaml, stappen.yaml and acuut.yaml (and scoring.yaml
    unless `config` is given). ValidationError lists every problem with file:line."""
    config = config or load_config(q)
    doc = load_yaml(path or config_path(q, "ondersteuning"),
                    what="ondersteuningsregels (ondersteuning.yaml)")
    rules = parse_rules(doc, q, config)
    levels = tuple(lv.id for lv in config.threat_levels)
    body_ids = {b.id for b in rules.bodies}
    steps = Steps()
    p = optional_config(q, "stappen")
    if p is not None:
        steps = parse_steps(load_yaml(p, what="stappen (stappen.yaml)"), q, levels, body_ids)
    acute: tuple[AcuteRule, ...] = ()
    p = optional_config(q, "acuut")
    if p is not None:
        acute = parse_acute(load_yaml(p, what="acute acties (acuut.yaml)"), q, levels,
                            body_ids)
    return SupportRules(rules.file, rules.bodies, rules.rules, config,
                        rules.max_recommended, steps, acute)


def parse_rules(doc: YamlDoc, q: Questionnaire, config: ScoringConfig) -> SupportRules:
    """ondersteuning.yaml alone (no steps, no acute actions)."""
    levels = tuple(lv.id for lv in config.threat_levels)
    s = parse_support(doc, q, levels)
    return SupportRules(doc.file, s.bodies, s.rules, config, s.max_recommended)


# --------------------------------------------------------------------------- advising


class _AdviceContext:
    def __init__(self, values: Mapping[str, Any], profile: results.Profile,
                 config: ScoringConfig) -> None:
        self.values = values
        self.profile = profile
        self.config = config
        self.states = {c.id: {"level": c.level, "gap": c.gap,
                              "unknown": c.status == STATUS_UNKNOWN}
                       for c in profile.components}

    def answer(self, qid: str) -> Any:
        return self.values.get(qid)

    def threat_rank(self, level: str) -> int | None:
        return self.config.level_rank(level)

    def current_threat_rank(self) -> int | None:
        return self.profile.threat.rank

    def component_state(self, cid: str) -> Mapping[str, Any] | None:
        return self.states.get(cid)


def advise(q: Questionnaire, answers: Any, profile: results.Profile,
           rules: SupportRules) -> results.Advice:
    """Acute actions, priorities with steps for every component, and the support route."""
    config = rules.scoring
    _, values = visible_values(q, answers)
    ctx = _AdviceContext(values, profile, config)
    fields = _fields(values, profile, config)
    acute = acute_actions(q, values, profile, rules.acute, ctx, fields)
    priorities = _priorities(q, values, profile, rules, ctx, fields,
                             {a.text for a in acute})
    support = Support(rules.bodies, rules.rules, rules.max_recommended)
    recommended, also = route(q, values, profile, support, ctx,
                              config.level(profile.threat.level).phrase,
                              linked_reasons(q, values, priorities))
    notes = _notes(q, profile, config, priorities)
    return results.Advice(priorities, recommended, notes, acute=acute, also_available=also)


def _fields(values: Mapping[str, Any], profile: results.Profile,
            config: ScoringConfig) -> dict[str, str]:
    name = values.get("intake.gemeente")
    return {"gemeente": name.strip() if isinstance(name, str) and name.strip()
            else "de gemeente",
            "dreiging": config.level(profile.threat.level).phrase,
            "titel": "", "niveau": "", "nodig": ""}


def _stellingen(n: int) -> str:
    return "stelling" if n == 1 else "stellingen"


def _priority_score(c: results.ComponentResult, profile: results.Profile,
                    config: ScoringConfig) -> float:
    if c.status == STATUS_NA:
        return 0.0
    factor = config.level(profile.threat.level).factor
    if c.level is None:
        gap = config.unknown_gap if profile.threat.rank > 0 else config.unknown_gap_low_threat
        # A component the threat themes ask more of stays high even when unknown.
        gap += max(0, c.required - config.required_level(c.id, profile.threat.level))
    else:
        gap = max(0.0, c.gap or 0.0)
    # What the threat consists of weighs too: at high threat every component needs 4, and
    # still the one a present theme asks for (a case: the PGA-R) comes first.
    themed = 1 + config.theme_weight * component_raises(config, profile.threat).get(c.id, 0)
    return gap * factor * config.component(c.id).importance * themed


def _priorities(q: Questionnaire, values: Mapping[str, Any], profile: results.Profile,
                rules: SupportRules, ctx: _AdviceContext, fields: Mapping[str, str],
                acute_texts: set[str]) -> tuple[results.Priority, ...]:
    config = rules.scoring
    order = {s.id: i for i, s in enumerate(q.sections)}
    level = config.level(profile.threat.level)
    first = config.uncertain_first if profile.low_confidence else ""
    scored = sorted(((_priority_score(c, profile, config), c) for c in profile.components),
                    key=lambda t: (t[1].id != first, -t[0], order.get(t[1].id, len(order)),
                                   t[1].id))
    out: list[results.Priority] = []
    for rank, (pscore, c) in enumerate(scored, start=1):
        reasons = _component_reasons(q, values, profile, config, c, level.phrase)
        if c.id == first:
            reasons.insert(0, make_reason(
                q, values, "Er is veel onbekend over de dreiging en de aanpak: eerst een lokaal "
                           "beeld, dan kan de rest van de aanpak worden gericht.",
                list(profile.threat.unknown_ids), [c.id]))
        urgency = config.urgency_for(pscore)
        if c.id == first and urgency.id != config.urgency[0].id:
            urgency = config.urgency[0]
        f = dict(fields, titel=c.title, nodig=str(c.required),
                 niveau="onbekend" if c.level is None else fmt(round(c.level, 1)))
        # A step already on the agenda as 'nu regelen' is not repeated under its component.
        steps = choose(q, values, profile, c, rules.steps, config, ctx, f, urgency.id,
                       frozenset(acute_texts))
        out.append(results.Priority(
            component_id=c.id, title=c.title, rank=rank, urgency=urgency.id,
            current=c.level, required=c.required, gap=c.gap, reasons=tuple(reasons),
            next_steps=tuple(s.text for s in steps), steps=steps, status=c.status))
    return tuple(out)


def _component_reasons(q: Questionnaire, values: Mapping[str, Any], profile: results.Profile,
                       config: ScoringConfig, c: results.ComponentResult,
                       phrase: str) -> list[results.Reason]:
    section = q.section(c.id)
    shown = [st.id for st in section.statements() if st.id in values or st.id in c.unknown_ids]
    answered = [x for x in shown if x not in c.unknown_ids and values.get(x) != NVT]
    row = f"onderdeel '{c.title}'"
    reasons: list[results.Reason] = []
    if c.status == STATUS_NA:
        return [make_reason(q, values, f"Alle stellingen zijn 'niet van toepassing' ({row}).",
                            shown, [c.id])]
    if c.level is None:
        reasons.append(make_reason(
            q, values, f"Niveau onbekend: {c.unknown} van de {c.total} {_stellingen(c.total)} "
                       f"'weet niet' of niet beantwoord; nodig bij {phrase}: {c.required} "
                       f"({row}).", c.unknown_ids, [c.id]))
    else:
        reasons.append(make_reason(
            q, values, f"Huidig niveau {fmt(round(c.level, 1))} van 4, nodig bij {phrase}: "
                       f"{c.required} ({row}).", answered, [c.id]))
        if c.unknown:
            reasons.append(make_reason(
                q, values, f"{c.unknown} van de {c.total} {_stellingen(c.total)} 'weet niet' "
                           f"of niet beantwoord; het niveau rust op de overige stellingen "
                           f"({row}).", c.unknown_ids, [c.id]))
    t = profile.threat
    plain = config.required_level(c.id, t.level)
    if plain > c.base:
        basis = f"{c.base}" if t.rank == 0 else f"{c.base} bij lage dreiging"
        if t.assumed:
            # The level rests on what is unknown, not on the few known answers.
            reasons.append(make_reason(
                q, values, f"De dreiging is grotendeels onbekend ({t.unknown} van de "
                           f"{t.total} vragen over dreiging 'weet niet' of niet beantwoord); "
                           f"de scan gaat daarom uit van een {phrase}, en dan ligt het "
                           f"nodige niveau hoger dan de basis ({basis}).",
                t.unknown_ids, [c.id]))
        else:
            threat_ids = known_threat_ids(q, values) or list(t.unknown_ids)
            reasons.append(make_reason(
                q, values, f"Dreigingsniveau {t.label.lower()}: het nodige niveau ligt "
                           f"hoger dan de basis ({basis}).", threat_ids, [c.id]))
    themes = raised_by(config, t, c.id)
    if themes and c.required > plain:
        labels = _join([tr.label for tr in themes])
        reasons.append(make_reason(
            q, values, f"Het dreigingsbeeld raakt aan {labels}; dat vraagt van dit onderdeel "
                       f"meer (nodig {c.required} in plaats van {plain}).",
            _present_ids(config, themes, values), [c.id]))
    elif c.required > plain and t.gaps:
        reasons.append(make_reason(
            q, values, f"Het dreigingsbeeld heeft een gat (een belangrijke dreigingsvraag is "
                       f"'weet niet'); dat vraagt van dit onderdeel meer (nodig {c.required} "
                       f"in plaats van {plain}).", list(t.gaps), [c.id]))
    if c.base > config.default_base:
        reasons.append(make_reason(
            q, values, f"Basisonderdeel: elke gemeente heeft dit nodig, ook bij lage dreiging "
                       f"(minstens niveau {c.base}).", shown, [c.id]))
    return reasons


def _present_ids(config: ScoringConfig, themes: list[results.ThemeResult],
                 values: Mapping[str, Any]) -> list[str]:
    """The threat questions that made these themes present (not every question of them)."""
    by_id = {t.id: t for t in config.themes}
    out: list[str] = []
    for tr in themes:
        for qid, at in by_id[tr.id].questions.items():
            v = values.get(qid)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v >= at:
                out.append(qid)
    return out


def _join(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _notes(q: Questionnaire, profile: results.Profile, config: ScoringConfig,
           priorities: tuple[results.Priority, ...]) -> tuple[str, ...]:
    t = profile.threat
    gap_labels = [tr.label for tr in t.themes if set(tr.question_ids) & set(t.gaps)]
    nxt = next((lv for lv in config.threat_levels if lv.threshold > config.level(t.level)
                .threshold), None)
    fields = {"onbekend": str(profile.scored_unknown), "totaal": str(profile.scored_total),
              "dreiging": config.level(t.level).phrase,
              "vragen": _join(gap_labels) if gap_labels else "",
              "niveau": nxt.phrase if nxt else ""}
    notes: list[str] = []
    if profile.low_confidence:
        notes.append(config.notes["onzeker_beeld"].format_map(fields))
    if t.assumed:
        notes.append(config.notes["dreiging_onbekend"].format_map(fields))
    if gap_labels and config.notes.get("gaten"):
        notes.append(config.notes["gaten"].format_map(fields))
    if t.borderline and nxt and config.notes.get("grensgeval"):
        notes.append(config.notes["grensgeval"].format_map(fields))
    shortfall = any(p.status in ("tekort", STATUS_UNKNOWN) for p in priorities)
    qd = next((x for x in config.quadrants if x.id == profile.quadrant.id), None)
    if not shortfall and config.notes.get("bijhouden"):
        notes.append(config.notes["bijhouden"].format_map(fields))
    elif qd is not None and not qd.uncertain and qd.resilience_ok is False:
        key = "urgent" if qd.threat_high else "basis_eerst"
        notes.append(config.notes[key].format_map(fields))
    return tuple(notes)


__all__ = ["WEET_NIET", "Body", "Rule", "SupportRules", "advise", "load_rules", "parse_rules"]
