"""Checks that span questions: every condition refers to an earlier question and to values it
can take; the short scan (`kort: ja`) covers what a first profile needs."""

from __future__ import annotations

from typing import Any

from wizard.questionnaire import conditions, model
from wizard.questionnaire.modules import Collector, State


def _condition_refs(cond: Any, path: tuple) -> list[tuple[str, tuple, dict]]:
    """Every (question id, path of its 'vraag' key, atom) in a condition."""
    found: list[tuple[str, tuple, dict]] = []
    if isinstance(cond, dict):
        if isinstance(cond.get("vraag"), str):
            found.append((cond["vraag"], path + ("vraag",), cond))
        for k, v in cond.items():
            if isinstance(v, (dict, list)):
                found += _condition_refs(v, path + (k,))
    elif isinstance(cond, list):
        for i, v in enumerate(cond):
            found += _condition_refs(v, path + (i,))
    return found


def check_conditions(st: State, external_ids: set[str]) -> None:
    all_ids = set(st.question_order) | external_ids
    for raw in st.pending:
        c = raw.file_c
        probs = conditions.check(raw.condition, file=c.file, line_of=c.doc.line, path=raw.path,
                                 question_ids=all_ids, where=raw.where + ", toon_als")
        st.problems.extend(probs)
        for ref, path, atom in _condition_refs(raw.condition, raw.path):
            if ref in external_ids or ref not in st.question_order:
                continue
            if st.question_order[ref] >= raw.index:
                c.add(raw.where + ", toon_als",
                      f"vraag '{ref}' komt niet eerder in de vragenlijst", path,
                      "Een voorwaarde kan alleen verwijzen naar een vraag die eerder gesteld "
                      "wordt; verplaats de vraag of de voorwaarde.")
                continue
            _check_condition_values(c, raw.where, st.questions[ref], atom, path[:-1])


def check_short_scan(st: State) -> None:
    """The short scan ('kort') must give a first profile: every component measured by at
    least one statement, and a short question's condition only naming short questions
    (otherwise it would never be asked in the short scan)."""
    if not any(q.short for q in st.questions.values()):
        return
    for sec in st.sections:
        c, p = st.section_at[sec.id]
        if sec.kind == "component" and sec.statements() and \
                not any(q.short for q in sec.statements()):
            c.add(f"sectie '{sec.id}'", "geen enkele stelling van dit onderdeel hoort bij de "
                  "korte scan, dus de korte scan meet dit onderdeel niet", p,
                  "Zet 'kort: ja' bij de stelling die het meest zegt (bij een gemaakte "
                  "module: in stellingen.yaml).")
    by_index = {i: qid for qid, i in st.question_order.items()}
    for raw in st.pending:
        question = st.questions.get(by_index.get(raw.index, ""))
        if question is None or not question.short:
            continue
        for ref, path, _atom in _condition_refs(raw.condition, raw.path):
            if ref in st.questions and not st.questions[ref].short:
                raw.file_c.add(raw.where + ", toon_als",
                               f"deze vraag hoort bij de korte scan, maar '{ref}' niet; in de "
                               "korte scan wordt ze dus nooit gesteld", path,
                               f"Zet ook bij '{ref}' 'kort: ja', of haal 'kort' hier weg.")


def _check_condition_values(c: Collector, where: str, q: model.Question, atom: dict,
                            p: tuple) -> None:
    """The compared values must be answers the referenced question can have."""
    where = where + ", toon_als"
    if q.kind in (model.SCALE, model.CHOICE):
        allowed = q.allowed_values()
        for op in ("is", "niet_is"):
            if op in atom and atom[op] not in allowed:
                c.add(where, f"'{atom[op]}' is geen mogelijk antwoord op '{q.id}'", p + (op,),
                      "Mogelijk: " + ", ".join(map(str, allowed)) + ".")
        if isinstance(atom.get("in"), list):
            for v in atom["in"]:
                if v not in allowed:
                    c.add(where, f"'{v}' is geen mogelijk antwoord op '{q.id}'", p + ("in",),
                          "Mogelijk: " + ", ".join(map(str, allowed)) + ".")
    for op in ("minstens", "hoogstens"):
        if op in atom and q.kind in (model.TEXT, model.CHOICE):
            c.add(where, f"'{op}' werkt alleen bij een schaal- of getalvraag; "
                         f"'{q.id}' is {model.KIND_TO_YAML[q.kind]}", p + (op,),
                  "Gebruik 'is' of 'in'.")
