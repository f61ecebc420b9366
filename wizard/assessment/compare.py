"""`zelfscan compare OUD NIEUW`: a progress report between two assessments of one municipality.

`compare(q, old, new)` is pure (given the scoring configuration and support rules): both
answer sets are scored and advised with the same questionnaire, so differences come from
the answers, not from the rules. Answers files made with an older version of the
questionnaire can be compared too: questions are matched by id; answers to questions that
no longer exist are reported as removed, questions the old file did not know as added.

`render_comparison(c)` gives the Dutch Markdown report (voortgang.md);
`comparison_section_markdown(c)` the same content as one section of a new plan
(`zelfscan batch --vorige`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.assessment.results import Advice, Priority, Profile, Recommendation
from wizard.errors import (
    Problem,
    ZelfscanError,
)
from wizard.questionnaire.model import Questionnaire

TOP_PRIORITIES = 3  # the plan lists advice.top(3) as its priorities
EPSILON = 0.05  # level changes smaller than this count as 'gelijk gebleven'
REPORT_MD = "voortgang.md"
REPORT_HTML = "voortgang.html"



@dataclass(frozen=True)
class ComponentChange:
    id: str
    title: str
    old_level: float | None
    new_level: float | None
    old_required: int | None
    new_required: int | None
    old_status: str
    new_status: str
    change: str  # 'verbeterd' | 'achteruit' | 'gelijk' | 'onbekend' | 'nieuw' | 'vervallen'


@dataclass(frozen=True)
class Comparison:
    municipality: str
    old_date: str | None
    new_date: str | None
    old_version: int
    new_version: int
    old_profile: Profile
    new_profile: Profile
    components: tuple[ComponentChange, ...]
    priorities_closed: tuple[Priority, ...]  # from the old advice
    priorities_new: tuple[Priority, ...]  # from the new advice
    priorities_kept: tuple[Priority, ...]  # from the new advice
    recommendations_added: tuple[Recommendation, ...]  # new advice, with their reasons
    recommendations_dropped: tuple[Recommendation, ...]  # old advice, with old reasons
    questions_added: tuple[str, ...] = ()
    questions_removed: tuple[str, ...] = ()
    answers_changed: int = 0

    def by_change(self, kind: str) -> tuple[ComponentChange, ...]:
        return tuple(c for c in self.components if c.change == kind)


def same_municipality(a: Any, b: Any) -> bool:
    """Two answers to intake.gemeente name the same municipality (case, spacing ignored)."""
    norm = lambda s: " ".join(str(s or "").split()).casefold()
    return norm(a) == norm(b)


_same_name = same_municipality  # the older private name (render imports it)


def _change(old: float | None, new: float | None) -> str:
    if old is None or new is None:
        return "onbekend"
    if new - old >= EPSILON:
        return "verbeterd"
    if old - new >= EPSILON:
        return "achteruit"
    return "gelijk"


def _open_priorities(advice: Advice) -> dict[str, Priority]:
    """The plan's top priorities that still have work in them (a component already at its
    required level is no longer a priority, even when it is listed in the top three)."""
    return {p.component_id: p for p in advice.top(TOP_PRIORITIES)
            if p.gap is None or p.gap > 0}


def compare(
    q: Questionnaire,
    old_answers: Any,
    new_answers: Any,
    *,
    config: Any = None,
    rules: Any = None,
    questions_removed: tuple[str, ...] = (),
    questions_added: tuple[str, ...] = (),
) -> Comparison:
    """Compare two assessments of one municipality (ZelfscanError if municipalities differ)."""
    from wizard.assessment import advice as advice_mod
    from wizard.assessment import scoring

    old_name = old_answers.values.get("intake.gemeente")
    new_name = new_answers.values.get("intake.gemeente")
    if not same_municipality(old_name, new_name):
        raise ZelfscanError(
            f"de zelfscans horen bij verschillende gemeenten ('{old_name}' en '{new_name}')",
            file=getattr(new_answers, "source_file", None),
            hint="Vergelijk twee zelfscans van dezelfde gemeente (vraag intake.gemeente).",
        )
    config = config if config is not None else scoring.load_config(q)
    rules = rules if rules is not None else advice_mod.load_rules(q)
    old_p = scoring.score(q, old_answers, config)
    new_p = scoring.score(q, new_answers, config)
    old_a = advice_mod.advise(q, old_answers, old_p, rules)
    new_a = advice_mod.advise(q, new_answers, new_p, rules)
    return build_comparison(
        str(new_name), old_answers, new_answers, old_p, new_p, old_a, new_a,
        questions_added=questions_added, questions_removed=questions_removed,
    )


def build_comparison(
    municipality: str,
    old_answers: Any,
    new_answers: Any,
    old_p: Profile,
    new_p: Profile,
    old_a: Advice,
    new_a: Advice,
    *,
    questions_added: tuple[str, ...] = (),
    questions_removed: tuple[str, ...] = (),
) -> Comparison:
    """The comparison from already computed profiles and advice (pure)."""
    old_c = {c.id: c for c in old_p.components}
    new_c = {c.id: c for c in new_p.components}
    changes: list[ComponentChange] = []
    for c in new_p.components:
        o = old_c.get(c.id)
        if o is None:
            changes.append(ComponentChange(c.id, c.title, None, c.level, None, c.required,
                                           "", c.status, "nieuw"))
        else:
            changes.append(ComponentChange(c.id, c.title, o.level, c.level, o.required,
                                           c.required, o.status, c.status,
                                           _change(o.level, c.level)))
    for o in old_p.components:
        if o.id not in new_c:
            changes.append(ComponentChange(o.id, o.title, o.level, None, o.required, None,
                                           o.status, "", "vervallen"))

    old_top = _open_priorities(old_a)
    new_top = _open_priorities(new_a)
    closed = tuple(p for cid, p in old_top.items() if cid not in new_top)
    opened = tuple(p for cid, p in new_top.items() if cid not in old_top)
    kept = tuple(p for cid, p in new_top.items() if cid in old_top)

    old_r = {r.body_id: r for r in old_a.recommendations}
    new_r = {r.body_id: r for r in new_a.recommendations}
    added = tuple(r for bid, r in new_r.items() if bid not in old_r)
    dropped = tuple(r for bid, r in old_r.items() if bid not in new_r)

    ov, nv = old_answers.values, new_answers.values
    changed = sum(1 for k in set(ov) | set(nv) if ov.get(k) != nv.get(k))
    return Comparison(
        municipality=municipality,
        old_date=getattr(old_answers, "date", None),
        new_date=getattr(new_answers, "date", None),
        old_version=int(getattr(old_answers, "questionnaire_version", 0) or 0),
        new_version=int(getattr(new_answers, "questionnaire_version", 0) or 0),
        old_profile=old_p,
        new_profile=new_p,
        components=tuple(changes),
        priorities_closed=closed,
        priorities_new=opened,
        priorities_kept=kept,
        recommendations_added=added,
        recommendations_dropped=dropped,
        questions_added=tuple(questions_added),
        questions_removed=tuple(questions_removed),
        answers_changed=changed,
    )




# --------------------------------------------------------------------------- loading


def load_for_compare(path: str | Path, q: Questionnaire) -> tuple[Any, tuple[str, ...],
                                                                   tuple[str, ...]]:
    """Load an answers file, also when it was made with another questionnaire version.

    Returns (answers, question ids the questionnaire no longer has, questionnaire question
    ids the file does not mention). For the current version this is plain `load_any_answers`.
    """
    from wizard.answers.xlsx import load_any_answers

    p = str(path)
    if p.lower().endswith((".xlsx", ".xlsm")):
        return load_any_answers(p, q), (), ()
    from wizard.answers.store import answers_from_doc
    from wizard.files.yamlio import YamlDoc, load_yaml

    doc = load_yaml(p, what="antwoordbestand")
    data = doc.data
    if not isinstance(data, dict) or data.get("versie") == q.version:
        return answers_from_doc(doc, q), (), ()  # read once, not again by load_answers
    # Another version: keep the answers whose question still exists, by id.
    data = dict(data)
    removed: set[str] = set()
    mentioned: set[str] = set()
    for key in ("antwoorden", "toelichtingen"):
        part = data.get(key)
        if isinstance(part, dict):
            mentioned |= {str(k) for k in part}
            removed |= {str(k) for k in part if not q.has_question(str(k))}
            data[key] = {k: v for k, v in part.items() if q.has_question(str(k))}
    for key in ("bespreken", "overgeslagen"):
        part = data.get(key)
        if isinstance(part, list):
            mentioned |= {str(k) for k in part}
            removed |= {str(k) for k in part if not q.has_question(str(k))}
            data[key] = [k for k in part if isinstance(k, str) and q.has_question(k)]
    old_version = data.get("versie")
    data["versie"] = q.version
    answers = answers_from_doc(YamlDoc(data, doc.file, doc.lines), q)
    if isinstance(old_version, int) and not isinstance(old_version, bool):
        answers.questionnaire_version = old_version
    added = tuple(qq.id for qq in q.questions() if qq.id not in mentioned)
    return answers, tuple(sorted(removed)), added


def compare_files(old_path: str | Path, new_path: str | Path, q: Questionnaire,
                  config: Any = None, rules: Any = None) -> Comparison:
    old, removed, added_old = load_for_compare(old_path, q)
    new, removed_new, _ = load_for_compare(new_path, q)
    # 'Added' questions: only meaningful when the old file was made for another version;
    # report those the new assessment actually answered.
    added: tuple[str, ...] = ()
    if old.questionnaire_version != new.questionnaire_version:
        added = tuple(x for x in added_old if x in new.values)
    removed = tuple(sorted(set(removed) | set(removed_new)))
    return compare(q, old, new, config=config, rules=rules, questions_added=added,
                   questions_removed=removed)


def compare_with_previous(previous_path: str | Path, q: Questionnaire, new_answers: Any,
                          config: Any = None, rules: Any = None) -> Comparison | None:
    """`--vorige FILE` against this new assessment, or None when FILE belongs to another
    municipality."""
    old, removed, added_old = load_for_compare(previous_path, q)
    if not same_municipality(old.values.get("intake.gemeente"),
                             new_answers.values.get("intake.gemeente")):
        return None
    added: tuple[str, ...] = ()
    if old.questionnaire_version != new_answers.questionnaire_version:
        added = tuple(x for x in added_old if x in new_answers.values)
    return compare(q, old, new_answers, config=config, rules=rules,
                   questions_added=added, questions_removed=removed)


__all__ = [
    "Comparison",
    "ComponentChange",
    "Problem",
    "build_comparison",
    "compare",
    "compare_files",
    "compare_with_previous",
    "load_for_compare",
    "same_municipality",
]
