"""'Nu regelen': acute actions from acuut.yaml, put before the component-by-component part.

A rule holds when its condition (the rule language of conditions.py) holds on the answers
and the profile: a current case, a returning (ex-)detainee, a worried family, an incident at
a school or a place of worship, or a gap on a heavy threat question. Each action has a
public wording (the kind of action, never case facts), a detail for the confidential annex,
an owner (trekker), partners, a term, an effort proportional to the threat, how the result
is seen, a reason and the support bodies involved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wizard.assessment import results
from wizard.assessment.actions import TERMS, ActionRule, build, parse_action
from wizard.assessment.reader import Reader
from wizard.assessment.support import fact_refs, make_reason
from wizard.errors import ValidationError
from wizard.files.yamlio import YamlDoc
from wizard.questionnaire import conditions
from wizard.questionnaire.model import Questionnaire


@dataclass(frozen=True)
class AcuteRule:
    action: ActionRule
    component_id: str = ""


def parse_acute(doc: YamlDoc, q: Questionnaire, levels: tuple[str, ...],
                body_ids: set[str]) -> tuple[AcuteRule, ...]:
    r = Reader(doc)
    if not isinstance(doc.data, dict):
        r.bad((), "het bestand moet de sleutel 'acties' bevatten")
        raise ValidationError(r.problems, summary="Fouten in de acute acties (acuut.yaml):")
    r.unknown_keys((), doc.data, ("versie", "acties"))
    component_ids = {s.id for s in q.components()}
    out: list[AcuteRule] = []
    for i, _ in enumerate(r.seq(("acties",))):
        p = ("acties", i)
        item = r.mapping(p)
        rule = parse_action(r, p, q, levels, body_ids, "actie", ("onderdeel",),
                            require_reason=True)
        if rule.id and any(a.action.id == rule.id for a in out):
            r.bad(p + ("id",), f"actie '{rule.id}' komt twee keer voor")
        if "als" not in item:
            r.bad(p, f"actie '{rule.id}' heeft geen 'als'",
                  "Een acute actie geldt alleen in een bepaalde situatie: schrijf die onder "
                  "'als' (bijvoorbeeld: vraag: dreiging.terugkeerders, minstens: 1).")
        cid = item.get("onderdeel", "")
        if cid and cid not in component_ids:
            r.bad(p + ("onderdeel",), f"onbekend onderdeel '{cid}'",
                  "Gebruik het id van een onderdeel uit de vragenlijst.")
            cid = ""
        out.append(AcuteRule(rule, str(cid or "")))
    if r.problems:
        raise ValidationError(r.problems, summary="Fouten in de acute acties (acuut.yaml):")
    # 'nu' first, then the later terms; within a term the order of acuut.yaml.
    return tuple(out)


def acute_actions(q: Questionnaire, values: Mapping[str, Any], profile: results.Profile,
                  rules: tuple[AcuteRule, ...], ctx: conditions.Context,
                  fields: Mapping[str, str]) -> tuple[results.Action, ...]:
    out: list[results.Action] = []
    for ar in rules:
        facts = conditions.explain(ar.action.condition, ctx)
        if facts is None:
            continue
        qids, sids, _ = fact_refs(q, facts, values, profile)
        f = dict(fields)
        if ar.component_id:
            sec = q.section(ar.component_id)
            f["titel"] = sec.title
            sids.append(sec.id)
        reason = make_reason(q, values, ar.action.reason.format_map(f), qids, sids)
        out.append(build(ar.action, component_id=ar.component_id, fields=f,
                         level=profile.threat.level, reason=reason, acute=True, term="nu",
                         owner="aandachtsfunctionaris"))
    # 'nu' first, then the later terms; within a term the order of acuut.yaml.
    return tuple(sorted(out, key=lambda a: TERMS.index(a.term) if a.term in TERMS else 0))
