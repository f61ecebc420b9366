"""One agenda line, as written in stappen.yaml and acuut.yaml, and how it becomes an Action.

Both files describe actions with the same keys (Dutch):
    id, als (condition), tekst (public), detail (annex), trekker, partners, termijn,
    inzet (text, or per threat level), resultaat, reden, ondersteuning (body ids)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard.assessment import results
from wizard.assessment.reader import Reader
from wizard.questionnaire.model import Questionnaire

TERMS = ("nu", "0–3 maanden", "3–12 maanden", "doorlopend")
TEXT_FIELDS = ("titel", "niveau", "nodig", "dreiging", "gemeente")
ACTION_KEYS = ("id", "als", "tekst", "detail", "trekker", "partners", "termijn", "inzet",
               "resultaat", "reden", "ondersteuning")


@dataclass(frozen=True)
class ActionRule:
    id: str
    condition: Any  # None: always
    text: str
    detail: str = ""
    owner: str = ""
    partners: tuple[str, ...] = ()
    term: str = ""
    effort: Mapping[str, str] = field(default_factory=dict)  # threat level (or '') -> text
    result: str = ""
    reason: str = ""
    support: tuple[str, ...] = ()
    line: int | None = None


def parse_action(r: Reader, p: tuple, q: Questionnaire, levels: tuple[str, ...],
                 body_ids: set[str], where: str, extra_keys: tuple[str, ...] = (),
                 require_reason: bool = False) -> ActionRule:
    item = r.mapping(p)
    r.unknown_keys(p, item, ACTION_KEYS + extra_keys)
    aid = r.text(p + ("id",))
    term = item.get("termijn", "")
    if term and term not in TERMS:
        r.bad(p + ("termijn",), f"'termijn' moet een van {', '.join(TERMS)} zijn, niet '{term}'",
              "Let op het lange streepje in '0–3 maanden' (kopieer het uit LEESMIJ.md).")
        term = ""
    effort: dict[str, str] = {}
    raw = item.get("inzet")
    if isinstance(raw, dict):
        for lid in raw:
            if lid not in levels:
                r.bad(p + ("inzet", lid), f"onbekend dreigingsniveau '{lid}'",
                      "Bekende niveaus: " + ", ".join(levels) + ".")
                continue
            effort[str(lid)] = r.text(p + ("inzet", lid), fields=TEXT_FIELDS)
    elif raw is not None:
        effort[""] = r.text(p + ("inzet",), fields=TEXT_FIELDS)
    support = r.strings(p + ("ondersteuning",))
    for j, bid in enumerate(support):
        if bid not in body_ids:
            r.bad(p + ("ondersteuning", j) if isinstance(item.get("ondersteuning"), list)
                  else p + ("ondersteuning",), f"onbekende instantie '{bid}'",
                  "Gebruik een id uit ondersteuning.yaml: " + ", ".join(sorted(body_ids)) + ".")
    return ActionRule(
        id=aid,
        condition=r.condition(p + ("als",), q, levels=levels, where=f"{where} '{aid}'"),
        text=r.text(p + ("tekst",), fields=TEXT_FIELDS),
        detail=r.text(p + ("detail",), required=False, fields=TEXT_FIELDS),
        owner=r.text(p + ("trekker",), required=False),
        partners=r.strings(p + ("partners",)),
        term=str(term),
        effort=effort,
        result=r.text(p + ("resultaat",), required=False, fields=TEXT_FIELDS),
        reason=r.text(p + ("reden",), required=require_reason, fields=TEXT_FIELDS),
        support=tuple(b for b in support if b in body_ids),
        line=r.doc.line(*p),
    )


def build(rule: ActionRule, *, component_id: str, fields: Mapping[str, str], level: str,
          reason: results.Reason | None, acute: bool, term: str = "", owner: str = "",
          effort: str = "") -> results.Action:
    """The Action for a rule that holds, its texts filled in."""
    f = dict(fields)
    eff = rule.effort.get(level) or rule.effort.get("") or effort
    return results.Action(
        id=rule.id,
        component_id=component_id,
        text=rule.text.format_map(f),
        detail=rule.detail.format_map(f),
        owner=rule.owner or owner,
        partners=rule.partners,
        term=rule.term or term,
        effort=eff.format_map(f) if eff else "",
        result=rule.result.format_map(f),
        reason=reason,
        acute=acute,
        support=rule.support,
    )
