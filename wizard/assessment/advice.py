"""Advice: ranked priorities per component and the support bodies that fit, with reasons.

`load_rules(q)` reads and validates questionnaires/ondersteuning.yaml (support bodies and
the rules that recommend them) together with scoring.yaml (urgency bands and next steps).
`advise(q, answers, profile, rules)` is pure and deterministic.

Every priority and recommendation carries Reasons that cite the answers (question ids)
and template rows (section ids) behind it, so a plan can show why. A body with a hard
constraint (`alleen_als`, e.g. the VAR only for the Rotterdam police region) is never
recommended when the constraint does not hold, whatever rule matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.assessment import results
from wizard.assessment.scoring import (
    STATUS_NA,
    STATUS_OK,
    STATUS_UNKNOWN,
    ScoringConfig,
    _fmt,
    _Reader,
    config_path,
    load_config,
    threat_questions,
    visible_values,
)
from wizard.errors import Problem, ValidationError
from wizard.files.yamlio import YamlDoc, load_yaml
from wizard.questionnaire import conditions
from wizard.questionnaire.conditions import normalise_condition, yes_no
from wizard.questionnaire.model import CHOICE, CONFIDENTIAL, NVT, WEET_NIET, Questionnaire

REASON_FIELDS = ("gemeente", "dreiging", "feiten")


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    for_whom: str
    offers: str
    contact: str
    only_if: Mapping[str, Any] | None = None  # hard constraint, checked for every rule


@dataclass(frozen=True)
class Rule:
    id: str
    body_id: str
    condition: Mapping[str, Any]
    reason: str  # Dutch template with {gemeente}, {dreiging}, {feiten}
    weight: float
    when_uncertain: bool = False  # only when the profile has low confidence
    cites: tuple[str, ...] = ()  # question or section ids the reason rests on
    line: int | None = None


@dataclass(frozen=True)
class SupportRules:
    file: str
    bodies: tuple[Body, ...]
    rules: tuple[Rule, ...]
    scoring: ScoringConfig

    def body(self, bid: str) -> Body:
        for b in self.bodies:
            if b.id == bid:
                return b
        raise KeyError(bid)


# --------------------------------------------------------------------------- loading


def load_rules(q: Questionnaire, path: str | Path | None = None,
               config: ScoringConfig | None = None) -> SupportRules:
    """Read and validate ondersteuning.yaml (and scoring.yaml unless `config` is given)."""
    config = config or load_config(q)
    doc = load_yaml(path or config_path(q, "ondersteuning"),
                    what="ondersteuningsregels (ondersteuning.yaml)")
    return parse_rules(doc, q, config)


def parse_rules(doc: YamlDoc, q: Questionnaire, config: ScoringConfig) -> SupportRules:
    r = _Reader(doc)
    if not isinstance(doc.data, dict):
        r.bad((), "het bestand moet de sleutels 'instanties' en 'regels' bevatten")
        raise ValidationError(r.problems, summary="Fouten in de ondersteuningsregels:")
    r.unknown_keys((), doc.data, ("versie", "instanties", "regels"))
    question_ids = {qq.id for qq in q.questions()}
    section_ids = {s.id for s in q.sections}
    component_ids = {s.id for s in q.components()}
    levels = {lv.id for lv in config.threat_levels}

    def check_condition(cond: Any, path: tuple, where: str) -> None:
        r.problems.extend(conditions.check(
            cond, file=doc.file, line_of=doc.line, path=path, question_ids=question_ids,
            component_ids=component_ids, threat_levels=levels, allow_advice_terms=True,
            where=where))
        r.problems.extend(_check_choice_values(cond, path, q, doc))

    bodies: list[Body] = []
    for i, _ in enumerate(r.seq(("instanties",))):
        p = ("instanties", i)
        item = r.mapping(p)
        r.unknown_keys(p, item, ("id", "naam", "voor_wie", "biedt", "contact", "alleen_als"))
        bid = r.text(p + ("id",))
        if bid and any(b.id == bid for b in bodies):
            r.bad(p + ("id",), f"instantie '{bid}' komt twee keer voor")
        only_if = None
        if "alleen_als" in item:
            only_if = normalise_condition(item["alleen_als"])
            check_condition(only_if, p + ("alleen_als",), f"instantie '{bid}'")
        bodies.append(Body(bid, r.text(p + ("naam",)), r.text(p + ("voor_wie",)),
                           r.text(p + ("biedt",)), r.text(p + ("contact",)), only_if))
    body_ids = [b.id for b in bodies]

    rules: list[Rule] = []
    for i, _ in enumerate(r.seq(("regels",))):
        p = ("regels", i)
        item = r.mapping(p)
        r.unknown_keys(p, item, ("id", "instantie", "als", "bij_veel_onbekend", "reden",
                                 "gewicht", "onderbouwing"))
        rid = r.text(p + ("id",))
        if rid and any(x.id == rid for x in rules):
            r.bad(p + ("id",), f"regel '{rid}' komt twee keer voor")
        body = item.get("instantie")
        if body not in body_ids:
            r.bad(p + ("instantie",), f"onbekende instantie '{body}'",
                  "Gebruik een id uit 'instanties': " + ", ".join(body_ids) + ".")
        if "als" not in item:
            r.bad(p, f"regel '{rid}' heeft geen 'als'",
                  "Schrijf 'als: {altijd: ja}' voor een regel die altijd geldt.")
            cond: Any = {"altijd": False}
        else:
            cond = normalise_condition(item["als"])
            check_condition(cond, p + ("als",), f"regel '{rid}'")
        uncertain = False
        if "bij_veel_onbekend" in item:
            yn = yes_no(item["bij_veel_onbekend"])
            if yn is None:
                r.bad(p + ("bij_veel_onbekend",), "'bij_veel_onbekend' moet ja of nee zijn")
            uncertain = bool(yn)
        cites: list[str] = []
        for j, ref in enumerate(r.seq(p + ("onderbouwing",), required=False)):
            if not isinstance(ref, str) or (ref not in question_ids and ref not in section_ids):
                r.bad(p + ("onderbouwing", j), f"onbekende vraag of onderdeel '{ref}'",
                      "Gebruik het id van een vraag of van een onderdeel uit de vragenlijst.")
            else:
                cites.append(ref)
        rules.append(Rule(
            id=rid, body_id=str(body), condition=cond,
            reason=r.text(p + ("reden",), fields=REASON_FIELDS),
            weight=r.number(p + ("gewicht",), 1.0, lo=0),
            when_uncertain=uncertain, cites=tuple(cites), line=doc.line(*p)))

    if r.problems:
        raise ValidationError(r.problems,
                              summary="Fouten in de ondersteuningsregels (ondersteuning.yaml):")
    return SupportRules(doc.file, tuple(bodies), tuple(rules), config)


def _check_choice_values(cond: Any, path: tuple, q: Questionnaire, doc: YamlDoc) -> list[Problem]:
    """`is`/`niet_is`/`in` on a choice question must name one of its options (a typo such
    as 'Rotterdam' would otherwise silently never match)."""
    out: list[Problem] = []
    if isinstance(cond, list):
        for i, c in enumerate(cond):
            out += _check_choice_values(c, path + (i,), q, doc)
        return out
    if not isinstance(cond, dict):
        return out
    qid = cond.get("vraag")
    if isinstance(qid, str) and q.has_question(qid) and q.question(qid).kind == CHOICE:
        allowed = [str(v) for v in q.question(qid).allowed_values()]
        for op in ("is", "niet_is", "in"):
            if op not in cond:
                continue
            vals = cond[op] if op == "in" and isinstance(cond[op], list) else [cond[op]]
            for v in vals:
                if str(v) not in allowed:
                    out.append(Problem(
                        f"'{v}' is geen keuze bij vraag '{qid}'", doc.file,
                        doc.line(*path, op), "Mogelijke keuzes: " + ", ".join(allowed) + "."))
    for k, v in cond.items():
        if isinstance(v, (dict, list)):
            out += _check_choice_values(v, path + (k,), q, doc)
    return out


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
    """Priorities for every component and the support bodies that fit, each with reasons."""
    config = rules.scoring
    _, values = visible_values(q, answers)
    ctx = _AdviceContext(values, profile, config)
    priorities = _priorities(q, values, profile, config)
    recommendations = _recommendations(q, values, profile, rules, ctx)
    return results.Advice(priorities, recommendations, _notes(profile, config))


def has_real_answer(value: Any) -> bool:
    """An answer that says something: not missing, empty or 'weet niet'."""
    return value is not None and value != WEET_NIET and not (
        isinstance(value, str) and not value.strip())


def _confidential(q: Questionnaire, qids: tuple[str, ...], values: Mapping[str, Any]) -> bool:
    """A reason is confidential only when it rests on a real answer to a confidential
    question: that a threat question is unanswered or 'weet niet' is not confidential."""
    return any(q.has_question(x) and q.question(x).classification == CONFIDENTIAL
               and has_real_answer(values.get(x)) for x in qids)


def _reason(q: Questionnaire, values: Mapping[str, Any], text: str,
            qids: list[str] | tuple[str, ...],
            sids: list[str] | tuple[str, ...] = ()) -> results.Reason:
    qt = tuple(dict.fromkeys(qids))
    return results.Reason(text, qt, tuple(dict.fromkeys(sids)), _confidential(q, qt, values))


def _stellingen(n: int) -> str:
    return "stelling" if n == 1 else "stellingen"


def _known_threat_ids(q: Questionnaire, values: Mapping[str, Any]) -> list[str]:
    return [qq.id for qq in threat_questions(q)
            if isinstance(values.get(qq.id), (int, float)) and not isinstance(values.get(qq.id), bool)]


def _priority_score(c: results.ComponentResult, profile: results.Profile,
                    config: ScoringConfig) -> float:
    if c.status == STATUS_NA:
        return 0.0
    factor = config.level(profile.threat.level).factor
    if c.level is None:
        gap = config.unknown_gap if profile.threat.rank > 0 else config.unknown_gap_low_threat
    else:
        gap = max(0.0, c.gap or 0.0)
    return gap * factor * config.component(c.id).importance


def _priorities(q: Questionnaire, values: Mapping[str, Any], profile: results.Profile,
                config: ScoringConfig) -> tuple[results.Priority, ...]:
    order = {s.id: i for i, s in enumerate(q.sections)}
    level = config.level(profile.threat.level)
    scored = sorted(((_priority_score(c, profile, config), c) for c in profile.components),
                    key=lambda t: (-t[0], order.get(t[1].id, len(order)), t[1].id))
    out: list[results.Priority] = []
    for rank, (pscore, c) in enumerate(scored, start=1):
        section = q.section(c.id)
        shown = [st.id for st in section.statements()
                 if st.id in values or st.id in c.unknown_ids]
        answered = [x for x in shown if x not in c.unknown_ids and values.get(x) != NVT]
        row = f"onderdeel '{c.title}'"
        reasons: list[results.Reason] = []
        if c.status == STATUS_NA:
            reasons.append(_reason(
                q, values, f"Alle stellingen zijn 'niet van toepassing' ({row}).",
                shown, [c.id]))
        elif c.level is None:
            reasons.append(_reason(
                q, values, f"Niveau onbekend: {c.unknown} van de {c.total} {_stellingen(c.total)} 'weet niet' of "
                   f"niet beantwoord; nodig bij {level.phrase}: {c.required} ({row}).",
                c.unknown_ids, [c.id]))
        else:
            reasons.append(_reason(
                q, values, f"Huidig niveau {_fmt(round(c.level, 1))} van 4, nodig bij {level.phrase}: "
                   f"{c.required} ({row}).", answered, [c.id]))
            if c.unknown:
                reasons.append(_reason(
                    q, values, f"{c.unknown} van de {c.total} {_stellingen(c.total)} 'weet niet' of niet "
                       f"beantwoord; het niveau rust op de overige stellingen ({row}).",
                    c.unknown_ids, [c.id]))
        if c.status != STATUS_NA and c.required > c.base:
            basis = f"{c.base}" if profile.threat.rank == 0 else f"{c.base} bij lage dreiging"
            t = profile.threat
            if t.assumed:
                # The level rests on what is unknown, not on the few known answers.
                reasons.append(_reason(
                    q, values, f"De dreiging is grotendeels onbekend ({t.unknown} van de "
                               f"{t.total} vragen over dreiging 'weet niet' of niet beantwoord); "
                               f"de scan gaat daarom uit van een {level.phrase}, en dan ligt het "
                               f"nodige niveau hoger dan de basis ({basis}).",
                    t.unknown_ids, [c.id]))
            else:
                threat_ids = _known_threat_ids(q, values) or list(t.unknown_ids)
                reasons.append(_reason(
                    q, values, f"Dreigingsniveau {t.label.lower()}: het nodige niveau ligt "
                               f"hoger dan de basis ({basis}).", threat_ids, [c.id]))
        if c.base > config.default_base:
            reasons.append(_reason(
                q, values, f"Basisonderdeel: elke gemeente heeft dit nodig, ook bij lage dreiging "
                   f"(minstens niveau {c.base}).", shown, [c.id]))
        band = "borgen" if c.status == STATUS_OK else config.step_band(c.level)
        fields = {"titel": c.title, "nodig": str(c.required), "dreiging": level.phrase,
                  "niveau": "onbekend" if c.level is None else _fmt(round(c.level, 1))}
        steps = tuple(s.format_map(fields) for s in config.steps(c.id, band))
        urgency = config.urgency_for(pscore)
        out.append(results.Priority(
            component_id=c.id, title=c.title, rank=rank, urgency=urgency.id,
            current=c.level, required=c.required, gap=c.gap, reasons=tuple(reasons),
            next_steps=steps))
    return tuple(out)


def _fact_refs(q: Questionnaire, facts: list[conditions.Fact], values: Mapping[str, Any],
               profile: results.Profile) -> tuple[list[str], list[str], list[str]]:
    """(question ids, section ids, Dutch descriptions) for the facts behind a rule."""
    qids: list[str] = []
    sids: list[str] = []
    texts: list[str] = []
    for f in facts:
        if f.kind == "vraag" and q.has_question(f.ref):
            qq = q.question(f.ref)
            qids.append(qq.id)
            sids.append(qq.section_id)
            texts.append(f"{qq.text.strip().rstrip('?.:')}: {qq.label_for(values.get(qq.id))}")
        elif f.kind == "dreiging":
            qids += _known_threat_ids(q, values) or list(profile.threat.unknown_ids)
            texts.append(f"dreigingsniveau {profile.threat.label.lower()}")
        elif f.kind == "component":
            try:
                c = profile.component(f.ref)
            except KeyError:
                continue
            sids.append(c.id)
            sec = q.section(c.id)
            qids += [st.id for st in sec.statements()
                     if st.id in values and values.get(st.id) not in (NVT,)]
            qids += list(c.unknown_ids)
            if c.level is None:
                texts.append(f"{c.title}: niveau onbekend")
            else:
                texts.append(f"{c.title}: niveau {_fmt(round(c.level, 1))}, nodig {c.required}")
    return qids, sids, list(dict.fromkeys(texts))


def _recommendations(q: Questionnaire, values: Mapping[str, Any], profile: results.Profile,
                     rules: SupportRules, ctx: _AdviceContext) -> tuple[results.Recommendation, ...]:
    municipality = values.get("intake.gemeente")
    if not isinstance(municipality, str) or not municipality.strip():
        municipality = "de gemeente"
    phrase = rules.scoring.level(profile.threat.level).phrase
    found: dict[str, list[tuple[float, int, results.Reason]]] = {}
    for idx, rule in enumerate(rules.rules):
        body = rules.body(rule.body_id)
        gate: list[conditions.Fact] = []
        if body.only_if is not None:
            g = conditions.explain(body.only_if, ctx)
            if g is None:
                continue  # hard constraint: never recommend this body here
            gate = g
        if rule.when_uncertain and not profile.low_confidence:
            continue
        facts = conditions.explain(rule.condition, ctx)
        if facts is None:
            continue
        qids, sids, texts = _fact_refs(q, facts + gate, values, profile)
        if rule.when_uncertain:
            qids += list(profile.threat.unknown_ids)
            qids += [x for c in profile.components for x in c.unknown_ids]
        for ref in rule.cites:
            if q.has_question(ref):
                qids.append(ref)
            else:
                sids.append(ref)
                qids += [st.id for st in q.section(ref).statements() if st.id in values]
        feiten = "; ".join(texts) if texts else "zie de antwoorden"
        text = rule.reason.format_map({"gemeente": municipality, "dreiging": phrase,
                                       "feiten": feiten})
        found.setdefault(body.id, []).append(
            (rule.weight, idx, _reason(q, values, text, qids, sids)))
    body_order = {b.id: i for i, b in enumerate(rules.bodies)}
    ranked = sorted(found.items(),
                    key=lambda kv: (-sum(w for w, _, _ in kv[1]), body_order[kv[0]]))
    out: list[results.Recommendation] = []
    for rank, (bid, items) in enumerate(ranked, start=1):
        body = rules.body(bid)
        items.sort(key=lambda t: (-t[0], t[1]))
        out.append(results.Recommendation(
            body_id=bid, name=body.name, offers=body.offers, contact=body.contact,
            reasons=tuple(r for _, _, r in items), rank=rank))
    return tuple(out)


def _notes(profile: results.Profile, config: ScoringConfig) -> tuple[str, ...]:
    fields = {"onbekend": str(profile.scored_unknown), "totaal": str(profile.scored_total),
              "dreiging": config.level(profile.threat.level).phrase}
    notes: list[str] = []
    if profile.low_confidence:
        notes.append(config.notes["onzeker_beeld"].format_map(fields))
    if profile.threat.assumed:
        notes.append(config.notes["dreiging_onbekend"].format_map(fields))
    qd = next((x for x in config.quadrants if x.id == profile.quadrant.id), None)
    if qd is not None and not qd.uncertain and qd.resilience_ok is False:
        key = "urgent" if qd.threat_high else "basis_eerst"
        notes.append(config.notes[key].format_map(fields))
    return tuple(notes)


__all__ = ["WEET_NIET", "Body", "Rule", "SupportRules", "advise", "load_rules", "parse_rules"]
