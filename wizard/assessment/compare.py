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

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.assessment.results import Advice, Priority, Profile, Recommendation
from wizard.errors import (
    Problem,
    UsageError,
    ZelfscanError,
    os_hint,
    os_reason,
)
from wizard.questionnaire.model import Questionnaire

TOP_PRIORITIES = 3  # the plan lists advice.top(3) as its priorities
EPSILON = 0.05  # level changes smaller than this count as 'gelijk gebleven'
REPORT_MD = "voortgang.md"
REPORT_HTML = "voortgang.html"

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


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


# --------------------------------------------------------------------------- Markdown


def _esc(value: Any) -> str:
    from wizard.plan.render import md_inline

    return md_inline(value)


def _num(value: float | None) -> str:
    if value is None:
        return "onbekend"
    v = round(float(value), 1)
    return str(int(v)) if v == int(v) else f"{v:.1f}".replace(".", ",")


def _date(value: Any) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(3))} {_MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
    return _esc(value) if value else "datum onbekend"


_STATUS = {"op orde": "op orde", "tekort": "tekort", "onbekend": "onbekend", "": "—"}
_CHANGE = {
    "verbeterd": "verbeterd",
    "achteruit": "achteruitgegaan",
    "gelijk": "gelijk gebleven",
    "onbekend": "niet te vergelijken (onbekend)",
    "nieuw": "nieuw onderdeel",
    "vervallen": "vervallen onderdeel",
}


def _reasons(reasons: tuple, then: bool = False) -> list[str]:
    out = []
    for r in reasons:
        if getattr(r, "confidential", False):
            # Confidential answers (counts of cases, incidents) never travel into a report
            # that may be shared: keep the general reason, drop the quoted answers.
            general = _strip_parentheses(r.text)
            if general != r.text.strip() and general:
                out.append(_esc(general) + " (details: zie de vertrouwelijke bijlage)")
            else:
                out.append("(een vertrouwelijke reden; zie de vertrouwelijke bijlage van het plan)")
        else:
            out.append(_esc(r.text))
    return out


def _strip_parentheses(text: str) -> str:
    """'Er zijn casussen (vraag: 1 – 1 persoon); het LSE ...' -> 'Er zijn casussen; het LSE ...'."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif depth == 0:
            out.append(ch)
    if depth:  # unbalanced: do not guess
        return ""
    return re.sub(r"\s+([;,.])", r"\1", re.sub(r"\s{2,}", " ", "".join(out))).strip()


def _body(c: Comparison, h: int) -> list[str]:
    """The report's sections, with top-level headings at level `h`."""
    H = "#" * h
    H2 = "#" * (h + 1)
    old_p, new_p = c.old_profile, c.new_profile
    then, now = _date(c.old_date), _date(c.new_date)
    out: list[str] = []

    out += [f"{H} Samenvatting", ""]
    ok_old = sum(1 for x in old_p.components if x.status == "op orde")
    ok_new = sum(1 for x in new_p.components if x.status == "op orde")
    out += [
        f"| | Toen ({then}) | Nu ({now}) |",
        "|---|---|---|",
        f"| Dreiging | {_esc(old_p.threat.label)} | {_esc(new_p.threat.label)} |",
        f"| Weerbaarheid | {_esc(old_p.resilience_label)} ({_num(old_p.resilience)} van 4) | "
        f"{_esc(new_p.resilience_label)} ({_num(new_p.resilience)} van 4) |",
        f"| Kwadrant | {_esc(old_p.quadrant.name)} | {_esc(new_p.quadrant.name)} |",
        f"| Onderdelen op orde | {ok_old} van {len(old_p.components)} | "
        f"{ok_new} van {len(new_p.components)} |",
        "",
    ]
    if old_p.threat.rank != new_p.threat.rank:
        word = "hoger" if new_p.threat.rank > old_p.threat.rank else "lager"
        out += [f"De dreiging is {word} ingeschat dan bij de vorige zelfscan "
                f"({_esc(old_p.threat.label.lower())} → {_esc(new_p.threat.label.lower())}). "
                "Daardoor verandert ook het niveau dat elk onderdeel nodig heeft.", ""]
    else:
        out += [f"De dreiging is even hoog ingeschat als bij de vorige zelfscan "
                f"({_esc(new_p.threat.label.lower())}).", ""]
    n_imp, n_slip = len(c.by_change("verbeterd")), len(c.by_change("achteruit"))
    out += [f"{n_imp} {'onderdeel is' if n_imp == 1 else 'onderdelen zijn'} verbeterd, "
            f"{n_slip} {'is' if n_slip == 1 else 'zijn'} achteruitgegaan. "
            f"{c.answers_changed} {'antwoord is' if c.answers_changed == 1 else 'antwoorden zijn'}"
            " anders dan de vorige keer.", ""]

    out += [f"{H} Per onderdeel", "",
            "Niveau op de schaal 0 tot 4 (gemiddelde van de stellingen); 'nodig' is het "
            "niveau dat past bij de dreiging.", ""]
    groups = (
        ("verbeterd", "Verbeterd"),
        ("achteruit", "Achteruitgegaan"),
        ("gelijk", "Gelijk gebleven"),
        ("onbekend", "Niet te vergelijken"),
        ("nieuw", "Nieuw in de vragenlijst"),
        ("vervallen", "Niet meer in de vragenlijst"),
    )
    for kind, heading in groups:
        items = c.by_change(kind)
        if not items:
            continue
        out += [f"{H2} {heading}", ""]
        for x in items:
            req = x.new_required if x.new_required is not None else x.old_required
            status = _STATUS.get(x.new_status or x.old_status, x.new_status)
            if x.old_status and x.new_status and x.old_status != x.new_status:
                status = f"was {_STATUS.get(x.old_status, x.old_status)}, nu " \
                         f"{_STATUS.get(x.new_status, x.new_status)}"
            out.append(f"- **{_esc(x.title)}**: van {_num(x.old_level)} naar "
                       f"{_num(x.new_level)} (nodig: {req if req is not None else '—'}; "
                       f"{status})")
        out.append("")

    out += [f"{H} Prioriteiten", ""]
    if c.priorities_closed:
        out += [f"{H2} Geen topprioriteit meer", ""]
        for p in c.priorities_closed:
            x = next((x for x in c.components if x.id == p.component_id), None)
            new_level = x.new_level if x else None
            if x and x.new_status == "op orde":
                why = "nu op orde"
            elif x and x.new_status == "tekort":
                why = "nog niet op het nodige niveau, maar andere onderdelen gaan nu voor"
            else:
                why = "niet meer te beoordelen"
            out.append(f"- **{_esc(p.title)}** (was prioriteit {p.rank}; niveau van "
                       f"{_num(p.current)} naar {_num(new_level)}: {why})")
        out.append("")
    if c.priorities_new:
        out += [f"{H2} Nieuw: nu een topprioriteit", ""]
        for p in c.priorities_new:
            out.append(f"- **{_esc(p.title)}** (prioriteit {p.rank}, urgentie "
                       f"{_esc(p.urgency)}; nu {_num(p.current)}, nodig {p.required})")
            out += [f"    - {r}" for r in _reasons(p.reasons)]
        out.append("")
    if c.priorities_kept:
        out += [f"{H2} Nog steeds een topprioriteit", ""]
        for p in c.priorities_kept:
            out.append(f"- **{_esc(p.title)}** (prioriteit {p.rank}; nu {_num(p.current)}, "
                       f"nodig {p.required})")
        out.append("")
    if not (c.priorities_closed or c.priorities_new or c.priorities_kept):
        out += ["Er zijn geen prioriteiten.", ""]

    out += [f"{H} Externe ondersteuning", ""]
    if c.recommendations_added:
        out += [f"{H2} Nieuw aanbevolen", ""]
        for r in c.recommendations_added:
            out.append(f"- **{_esc(r.name)}**, omdat:")
            out += [f"    - {t}" for t in _reasons(r.reasons)] or ["    - (geen reden vastgelegd)"]
        out.append("")
    if c.recommendations_dropped:
        out += [f"{H2} Niet meer aanbevolen", ""]
        for r in c.recommendations_dropped:
            out.append(f"- **{_esc(r.name)}**: de redenen van toen gelden niet meer. Toen "
                       "aanbevolen omdat:")
            out += [f"    - {t}" for t in _reasons(r.reasons)] or ["    - (geen reden vastgelegd)"]
        out.append("")
    if not (c.recommendations_added or c.recommendations_dropped):
        out += ["De aanbevolen ondersteuning is niet veranderd.", ""]

    if c.old_version != c.new_version or c.questions_added or c.questions_removed:
        out += [f"{H} Vragenlijst", ""]
        if c.old_version != c.new_version:
            out += [f"De vorige zelfscan gebruikte versie {c.old_version} van de vragenlijst, "
                    f"deze zelfscan versie {c.new_version}. Vragen zijn vergeleken op hun id.",
                    ""]
        if c.questions_added:
            out += [f"Nieuwe vragen ({len(c.questions_added)}), niet in de vorige zelfscan:", ""]
            out += [f"- `{qid}`" for qid in c.questions_added] + [""]
        if c.questions_removed:
            out += [f"Vervallen vragen ({len(c.questions_removed)}): hun antwoorden van "
                    "toen tellen niet mee in deze vergelijking:", ""]
            out += [f"- `{qid}`" for qid in c.questions_removed] + [""]
    return out


def render_comparison(c: Comparison) -> str:
    """The progress report as Dutch Markdown (deterministic)."""
    lines = [
        f"# Voortgang zelfscan {_esc(c.municipality)}",
        "",
        f"Vergelijking van de zelfscan van {_date(c.old_date)} met die van "
        f"{_date(c.new_date)}. Concept: bespreek de uitkomst voordat u hem deelt.",
        "",
    ]
    lines += _body(c, 2)
    return _tidy("\n".join(lines))


def comparison_section_markdown(c: Comparison) -> str:
    """The comparison as one section ('## Voortgang ...') for the end of a new plan."""
    lines = [
        "## Voortgang sinds de vorige zelfscan",
        "",
        f"Vergeleken met de zelfscan van {_date(c.old_date)}.",
        "",
    ]
    lines += _body(c, 3)
    return _tidy("\n".join(lines))


def _tidy(md: str) -> str:
    md = re.sub(r"\n{3,}", "\n\n", md)
    return md.strip() + "\n"


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


def previous_section(previous_path: str | Path, q: Questionnaire, new_answers: Any,
                     config: Any = None, rules: Any = None) -> str:
    """For `zelfscan batch --vorige FILE`: the progress section for this new plan, or ''
    when FILE belongs to another municipality (batch runs hold several)."""
    c = compare_with_previous(previous_path, q, new_answers, config, rules)
    return comparison_section_markdown(c) if c is not None else ""


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


def write_report(c: Comparison, out_dir: str | Path) -> list[Path]:
    """Write DIR/<gemeente>/voortgang.md and .html (atomically). Returns the paths."""
    from wizard.files.safepath import safe_folder_name
    from wizard.files.yamlio import atomic_write_text
    from wizard.plan.render import markdown_to_html

    folder = Path(out_dir) / safe_folder_name(c.municipality)
    md = render_comparison(c)
    html = markdown_to_html(md, f"Voortgang zelfscan {c.municipality}")
    paths = [folder / REPORT_MD, folder / REPORT_HTML]
    try:
        atomic_write_text(paths[0], md)
        atomic_write_text(paths[1], html)
    except OSError as e:
        raise ZelfscanError(f"het voortgangsrapport kan niet worden geschreven ({os_reason(e, writing=True)})",
                            file=folder, hint=os_hint(e, writing=True)) from None
    return paths


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # a missing file is reported when it is read
        return False


def command_compare(args: argparse.Namespace) -> int:
    """`zelfscan compare OUD NIEUW [-o MAP]`."""
    from wizard.questionnaire.loader import load_questionnaire

    if _same_file(args.oud, args.nieuw):
        # Comparing a scan with itself always says "no change": surely a typo.
        raise UsageError(
            "OUD en NIEUW zijn hetzelfde bestand; er valt niets te vergelijken",
            file=args.nieuw,
            hint="Geef eerst het antwoordbestand van de eerdere zelfscan en daarna dat van de "
                 "nieuwe, bijv. 'zelfscan compare gemeente-2025.yaml gemeente-2026.yaml'.")
    q = load_questionnaire(getattr(args, "vragenlijst", None))
    c = compare_files(args.oud, args.nieuw, q)
    if c.old_date and c.new_date and str(c.old_date) > str(c.new_date):
        # ISO dates compare as text. Not an error (a redo may be dated earlier), but a
        # swapped order turns every improvement into a decline.
        print(f"Let op: OUD ({args.oud}, {c.old_date}) is van na NIEUW ({args.nieuw}, "
              f"{c.new_date}). Bedoelde u 'zelfscan compare {args.nieuw} {args.oud}'?",
              file=sys.stderr)
    out_dir = getattr(args, "uitvoer", None) or "outputs"
    paths = write_report(c, out_dir)
    print(f"Voortgangsrapport geschreven: {paths[0]} en {paths[1]}")
    imp, slip = len(c.by_change("verbeterd")), len(c.by_change("achteruit"))
    print(f"{imp} onderdelen verbeterd, {slip} achteruitgegaan; "
          f"{len(c.priorities_closed)} prioriteiten afgerond, {len(c.priorities_new)} nieuw.")
    return 0


__all__ = [
    "Comparison",
    "ComponentChange",
    "Problem",
    "build_comparison",
    "command_compare",
    "compare",
    "compare_files",
    "compare_with_previous",
    "comparison_section_markdown",
    "load_for_compare",
    "previous_section",
    "render_comparison",
    "same_municipality",
    "write_report",
]
