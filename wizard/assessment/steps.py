"""Next steps that follow the answers: stappen.yaml read and validated, and the choice per component.

Per component, stappen.yaml lists candidate steps in order of preference. A step applies
to a component status ('voor': tekort, op orde, onbekend) and may have a condition ('als')
on the statements, open answers or intake answers, keyed on question ids. So a step that
presupposes something (evaluate closed cases, evaluate the process agreements) appears
only when the answers say it exists, and the step for a short statement fits that
statement. The first `maximaal_per_onderdeel` that hold are the component's steps; when
none holds, the band steps of scoring.yaml ('standaardstappen') apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard.assessment import results
from wizard.assessment.actions import ActionRule, build, parse_action
from wizard.assessment.config import STATUS_OK, STATUS_SHORT, STATUS_UNKNOWN, ScoringConfig
from wizard.assessment.reader import Reader
from wizard.assessment.support import fact_refs, make_reason
from wizard.errors import ValidationError
from wizard.files.yamlio import YamlDoc
from wizard.questionnaire import conditions
from wizard.questionnaire.model import Questionnaire

STATUSES = (STATUS_SHORT, STATUS_OK, STATUS_UNKNOWN)
DEFAULT_MAX = 3


@dataclass(frozen=True)
class StepRule:
    action: ActionRule
    statuses: tuple[str, ...] = (STATUS_SHORT,)


@dataclass(frozen=True)
class Steps:
    per_component: Mapping[str, tuple[StepRule, ...]] = field(default_factory=dict)
    max_per_component: int = DEFAULT_MAX
    effort: Mapping[str, str] = field(default_factory=dict)  # threat level -> default inzet
    owner: str = "aandachtsfunctionaris"


def parse_steps(doc: YamlDoc, q: Questionnaire, levels: tuple[str, ...],
                body_ids: set[str]) -> Steps:
    r = Reader(doc)
    if not isinstance(doc.data, dict):
        r.bad((), "het bestand moet de sleutel 'onderdelen' bevatten")
        raise ValidationError(r.problems, summary="Fouten in de stappen (stappen.yaml):")
    r.unknown_keys((), doc.data, ("versie", "maximaal_per_onderdeel", "standaard_inzet",
                                  "standaard_trekker", "onderdelen"))
    max_n = int(r.number(("maximaal_per_onderdeel",), float(DEFAULT_MAX), lo=1, hi=10,
                         integer=True))
    effort: dict[str, str] = {}
    for lid in r.mapping(("standaard_inzet",), required=False):
        if lid not in levels:
            r.bad(("standaard_inzet", lid), f"onbekend dreigingsniveau '{lid}'",
                  "Bekende niveaus: " + ", ".join(levels) + ".")
            continue
        effort[str(lid)] = r.text(("standaard_inzet", lid))
    owner = r.text(("standaard_trekker",), required=False) or "aandachtsfunctionaris"
    component_ids = [s.id for s in q.components()]
    per: dict[str, tuple[StepRule, ...]] = {}
    seen: set[str] = set()
    for cid in r.mapping(("onderdelen",)):
        if cid not in component_ids:
            r.bad(("onderdelen", cid), f"onbekend onderdeel '{cid}'",
                  "Gebruik het id van een onderdeel (een rij van het sjabloon), "
                  "bijvoorbeeld: " + ", ".join(component_ids[:3]) + ".")
            continue
        rules: list[StepRule] = []
        for i, _ in enumerate(r.seq(("onderdelen", cid))):
            p = ("onderdelen", cid, i)
            rule = parse_action(r, p, q, levels, body_ids, "stap", ("voor",))
            if rule.id in seen:
                r.bad(p + ("id",), f"stap '{rule.id}' komt twee keer voor")
            seen.add(rule.id)
            statuses = r.strings(p + ("voor",)) or (STATUS_SHORT,)
            for s in statuses:
                if s not in STATUSES:
                    r.bad(p + ("voor",), f"'voor' moet {', '.join(STATUSES)} zijn, niet '{s}'")
            rules.append(StepRule(rule, tuple(s for s in statuses if s in STATUSES)))
        per[str(cid)] = tuple(rules)
    if r.problems:
        raise ValidationError(r.problems, summary="Fouten in de stappen (stappen.yaml):")
    return Steps(per, max_n, effort, owner)


def default_term(status: str, urgency: str) -> str:
    if status == STATUS_OK:
        return "doorlopend"
    if status == STATUS_UNKNOWN or urgency == "hoog":
        return "0–3 maanden"
    return "3–12 maanden"


def choose(q: Questionnaire, values: Mapping[str, Any], profile: results.Profile,
           comp: results.ComponentResult, steps: Steps, config: ScoringConfig,
           ctx: conditions.Context, fields: Mapping[str, str],
           urgency: str, skip: frozenset[str] = frozenset()) -> tuple[results.Action, ...]:
    """The steps for one component, in order; the fallback band steps when none holds.
    A step whose text is in `skip` (already on the agenda as 'nu regelen') is passed over."""
    status = comp.status
    level = profile.threat.level
    term = default_term(status, urgency)
    effort = steps.effort.get(level, "")
    out: list[results.Action] = []
    for sr in steps.per_component.get(comp.id, ()):
        if status not in sr.statuses:
            continue
        facts = conditions.explain(sr.action.condition, ctx)
        if facts is None or sr.action.text.format_map(dict(fields)) in skip:
            continue
        qids, sids, _ = fact_refs(q, facts, values, profile)
        reason = make_reason(q, values, sr.action.reason.format_map(dict(fields)),
                             qids, sids + [comp.id]) if sr.action.reason else None
        out.append(build(sr.action, component_id=comp.id, fields=fields, level=level,
                         reason=reason, acute=False, term=term, owner=steps.owner,
                         effort=effort))
        if len(out) >= steps.max_per_component:
            break
    if out:
        return tuple(out)
    band = "borgen" if status == STATUS_OK else config.step_band(comp.level)
    return tuple(
        results.Action(id=f"{comp.id}.{band}.{i}", component_id=comp.id,
                       text=text.format_map(dict(fields)), owner=steps.owner, term=term,
                       effort=effort)
        for i, text in enumerate(config.steps(comp.id, band), start=1))
