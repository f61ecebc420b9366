"""Support as a route: ondersteuning.yaml read and validated, and the bodies to contact in order.

A rule recommends a body with a reason; a body is recommended once, with all its reasons
(no duplicates). The route orders the bodies by *wanneer* (nu, dit kwartaal, bij behoefte),
then by the summed weight of their reasons; at most `maximaal_aanbevolen` are recommended,
the others are 'ook beschikbaar'. A body with a hard constraint (`alleen_als`, e.g. the
VAR only for the Rotterdam police unit) is never recommended when it does not hold.

Each body gets a public reason: for a rule that rests on confidential answers, its
`openbaar` text (the body's role and the theme in general terms), so a council reads why
without case detail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wizard.assessment import results
from wizard.assessment.reader import Reader
from wizard.errors import ValidationError
from wizard.files.yamlio import YamlDoc
from wizard.questionnaire import conditions
from wizard.questionnaire.model import CONFIDENTIAL, NVT, WEET_NIET, Questionnaire

REASON_FIELDS = ("gemeente", "dreiging", "feiten")
WHEN = ("nu", "dit kwartaal", "bij behoefte")  # in the order to act
DEFAULT_WHEN = "dit kwartaal"
DEFAULT_MAX = 4


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    for_whom: str
    offers: str
    contact: str
    only_if: Mapping[str, Any] | None = None  # hard constraint, checked for every rule
    role: str = ""  # one line: what this body is for (public reasons start from it)


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
    when: str = DEFAULT_WHEN
    public: str = ""  # general wording for the public plan (role + theme)


@dataclass(frozen=True)
class Support:
    bodies: tuple[Body, ...]
    rules: tuple[Rule, ...]
    max_recommended: int = DEFAULT_MAX


def confidential_questions(cond: Any, q: Questionnaire) -> list[str]:
    """The confidential questions a condition looks at ('dreigingsniveau' for a condition
    on the threat level, which rests on the confidential threat answers)."""
    out: list[str] = []
    if isinstance(cond, list):
        for c in cond:
            out += confidential_questions(c, q)
    elif isinstance(cond, dict):
        if "dreiging" in cond:
            out.append("dreigingsniveau")
        qid = cond.get("vraag")
        if isinstance(qid, str) and q.has_question(qid) and \
                q.question(qid).classification == CONFIDENTIAL:
            out.append(qid)
        for v in cond.values():
            if isinstance(v, (dict, list)):
                out += confidential_questions(v, q)
    return out


def parse_support(doc: YamlDoc, q: Questionnaire, levels: tuple[str, ...]) -> Support:
    r = Reader(doc)
    if not isinstance(doc.data, dict):
        r.bad((), "het bestand moet de sleutels 'instanties' en 'regels' bevatten")
        raise ValidationError(r.problems, summary="Fouten in de ondersteuningsregels:")
    r.unknown_keys((), doc.data, ("versie", "maximaal_aanbevolen", "instanties", "regels"))
    max_rec = int(r.number(("maximaal_aanbevolen",), float(DEFAULT_MAX), lo=1, hi=20,
                           integer=True))
    question_ids = {qq.id for qq in q.questions()}
    section_ids = {s.id for s in q.sections}

    bodies: list[Body] = []
    for i, _ in enumerate(r.seq(("instanties",))):
        p = ("instanties", i)
        item = r.mapping(p)
        r.unknown_keys(p, item, ("id", "naam", "voor_wie", "biedt", "contact", "alleen_als",
                                 "rol"))
        bid = r.text(p + ("id",))
        if bid and any(b.id == bid for b in bodies):
            r.bad(p + ("id",), f"instantie '{bid}' komt twee keer voor")
        only_if = r.condition(p + ("alleen_als",), q, levels=levels, where=f"instantie '{bid}'")
        bodies.append(Body(bid, r.text(p + ("naam",)), r.text(p + ("voor_wie",)),
                           r.text(p + ("biedt",)), r.text(p + ("contact",)), only_if,
                           r.text(p + ("rol",), required=False)))
    body_ids = [b.id for b in bodies]

    rules: list[Rule] = []
    for i, _ in enumerate(r.seq(("regels",))):
        p = ("regels", i)
        item = r.mapping(p)
        r.unknown_keys(p, item, ("id", "instantie", "als", "bij_veel_onbekend", "reden",
                                 "gewicht", "onderbouwing", "wanneer", "openbaar"))
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
            cond = r.condition(p + ("als",), q, levels=levels, where=f"regel '{rid}'")
        cites: list[str] = []
        for j, ref in enumerate(r.seq(p + ("onderbouwing",), required=False)):
            if not isinstance(ref, str) or (ref not in question_ids and ref not in section_ids):
                r.bad(p + ("onderbouwing", j), f"onbekende vraag of onderdeel '{ref}'",
                      "Gebruik het id van een vraag of van een onderdeel uit de vragenlijst.")
            else:
                cites.append(ref)
        when = item.get("wanneer", DEFAULT_WHEN)
        if when not in WHEN:
            r.bad(p + ("wanneer",), f"'wanneer' moet een van {', '.join(WHEN)} zijn, niet "
                  f"'{when}'")
            when = DEFAULT_WHEN
        public = r.text(p + ("openbaar",), required=False)
        secret = confidential_questions(cond, q) + [
            c for c in cites if q.has_question(c)
            and q.question(c).classification == CONFIDENTIAL]
        if secret and not public:
            r.bad(p, f"regel '{rid}' steunt op een vertrouwelijke vraag ({secret[0]}) maar "
                  "heeft geen 'openbaar'",
                  "Schrijf onder 'openbaar' de reden in algemene termen (de rol van de "
                  "instantie en het thema), zonder feiten uit de vertrouwelijke antwoorden.")
        rules.append(Rule(
            id=rid, body_id=str(body), condition=cond,
            reason=r.text(p + ("reden",), fields=REASON_FIELDS),
            weight=r.number(p + ("gewicht",), 1.0, lo=0),
            when_uncertain=r.flag(p + ("bij_veel_onbekend",)), cites=tuple(cites),
            line=doc.line(*p), when=str(when), public=public))

    if r.problems:
        raise ValidationError(r.problems,
                              summary="Fouten in de ondersteuningsregels (ondersteuning.yaml):")
    return Support(tuple(bodies), tuple(rules), max_rec)


# --------------------------------------------------------------------------- the route


def has_real_answer(value: Any) -> bool:
    """An answer that says something: not missing, empty or 'weet niet'."""
    return value is not None and value != WEET_NIET and not (
        isinstance(value, str) and not value.strip())


def is_confidential(q: Questionnaire, qids: tuple[str, ...], values: Mapping[str, Any]) -> bool:
    """A reason is confidential only when it rests on a real answer to a confidential
    question: that a threat question is unanswered or 'weet niet' is not confidential."""
    return any(q.has_question(x) and q.question(x).classification == CONFIDENTIAL
               and has_real_answer(values.get(x)) for x in qids)


def make_reason(q: Questionnaire, values: Mapping[str, Any], text: str,
                qids: list[str] | tuple[str, ...],
                sids: list[str] | tuple[str, ...] = ()) -> results.Reason:
    qt = tuple(dict.fromkeys(qids))
    return results.Reason(text, qt, tuple(dict.fromkeys(sids)), is_confidential(q, qt, values))


def known_threat_ids(q: Questionnaire, values: Mapping[str, Any]) -> list[str]:
    from wizard.assessment.config import threat_questions

    return [qq.id for qq in threat_questions(q)
            if isinstance(values.get(qq.id), (int, float))
            and not isinstance(values.get(qq.id), bool)]


def fact_refs(q: Questionnaire, facts: list[conditions.Fact], values: Mapping[str, Any],
              profile: results.Profile) -> tuple[list[str], list[str], list[str]]:
    """(question ids, section ids, Dutch descriptions) for the facts behind a rule."""
    from wizard.assessment.reader import fmt

    qids: list[str] = []
    sids: list[str] = []
    texts: list[str] = []
    for f in facts:
        if f.kind == "vraag" and q.has_question(f.ref):
            qq = q.question(f.ref)
            qids.append(qq.id)
            sids.append(qq.section_id)
            if qq.kind in ("tekst",):  # free text: quote the question, not the answer
                texts.append(qq.text.strip().rstrip("?.:"))
            else:
                texts.append(f"{qq.text.strip().rstrip('?.:')}: {qq.label_for(values.get(qq.id))}")
        elif f.kind == "dreiging":
            qids += known_threat_ids(q, values) or list(profile.threat.unknown_ids)
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
                texts.append(f"{c.title}: niveau {fmt(round(c.level, 1))}, nodig {c.required}")
    return qids, sids, list(dict.fromkeys(texts))


@dataclass(frozen=True)
class Linked:
    """A body named by a step of a component with a shortfall: 'helpt bij de stap ...'."""

    body_id: str
    reason: results.Reason
    when: str
    weight: float = 1.0


def linked_reasons(q: Questionnaire, values: Mapping[str, Any],
                   priorities: tuple[results.Priority, ...]) -> list[Linked]:
    out: list[Linked] = []
    for p in priorities:
        if p.status not in ("tekort", "onbekend"):
            continue
        when = "dit kwartaal" if p.urgency == "hoog" else "bij behoefte"
        for step in p.steps:
            base = step.reason
            for bid in step.support:
                text = f"Helpt bij de stap '{step.text.rstrip('.')}' (onderdeel '{p.title}')."
                qids = base.question_ids if base else ()
                out.append(Linked(bid, make_reason(q, values, text, qids, (p.component_id,)),
                                  when))
    return out


def route(q: Questionnaire, values: Mapping[str, Any], profile: results.Profile,
          support: Support, ctx: conditions.Context, phrase: str,
          linked: list[Linked] | None = None,
          ) -> tuple[tuple[results.Recommendation, ...], tuple[results.Recommendation, ...]]:
    """(recommended, also available): the bodies in the order to contact them."""
    municipality = values.get("intake.gemeente")
    if not isinstance(municipality, str) or not municipality.strip():
        municipality = "de gemeente"
    bodies = {b.id: b for b in support.bodies}
    found: dict[str, list[tuple[float, int, results.Reason, Rule]]] = {}
    for idx, rule in enumerate(support.rules):
        body = bodies[rule.body_id]
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
        qids, sids, texts = fact_refs(q, facts + gate, values, profile)
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
        items = found.setdefault(body.id, [])
        if any(existing.text == text for _, _, existing, _ in items):
            continue  # the same reason twice under one body says nothing more
        items.append((rule.weight, idx, make_reason(q, values, text, qids, sids), rule))
    for n, lk in enumerate(linked or ()):
        lbody = bodies.get(lk.body_id)
        if lbody is None or (lbody.only_if is not None
                             and conditions.explain(lbody.only_if, ctx) is None):
            continue
        items = found.setdefault(lbody.id, [])
        if any(existing.text == lk.reason.text for _, _, existing, _ in items):
            continue
        pseudo = Rule(id=f"stap-{n}", body_id=lbody.id, condition={"altijd": True},
                      reason=lk.reason.text, weight=lk.weight, when=lk.when,
                      public="" if lk.reason.confidential else lk.reason.text)
        items.append((lk.weight, len(support.rules) + n, lk.reason, pseudo))

    order = {b.id: i for i, b in enumerate(support.bodies)}

    def when_of(items: list) -> str:
        return min((r.when for _, _, _, r in items), key=WHEN.index)

    ranked = sorted(found.items(), key=lambda kv: (
        WHEN.index(when_of(kv[1])), -sum(w for w, _, _, _ in kv[1]), order[kv[0]]))
    out: list[results.Recommendation] = []
    for rank, (bid, items) in enumerate(ranked, start=1):
        body = bodies[bid]
        items.sort(key=lambda t: (WHEN.index(t[3].when), -t[0], t[1]))
        out.append(results.Recommendation(
            body_id=bid, name=body.name, offers=body.offers, contact=body.contact,
            reasons=tuple(r for _, _, r, _ in items), rank=rank, when=when_of(items),
            public_reason=_public_reason(items) or body.role or body.offers))
    return tuple(out[:support.max_recommended]), tuple(out[support.max_recommended:])


def _public_reason(items: list[tuple[float, int, results.Reason, Rule]]) -> str:
    """The strongest reason in words a council may read: the rule's general wording when
    the reason rests on confidential answers (or when the rule gives one)."""
    for _, _, reason, rule in items:
        text = rule.public or ("" if reason.confidential else reason.text)
        if text:
            return text
    return ""
