"""The progress report (`zelfscan compare`, `batch --vorige`): a Comparison as Markdown/HTML."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wizard.assessment.compare import (
    REPORT_HTML,
    REPORT_MD,
    Comparison,
    compare_with_previous,
)
from wizard.errors import ZelfscanError, os_hint, os_reason
from wizard.plan.render import (
    MUNICIPALITY_QID,
    SECRET_POINTER,
    THREAT_POINTER,
    _lines,
    _secret_strings,
    _threat_ids,
    is_confidential,
    markdown_to_html,
    md_inline,
)
from wizard.questionnaire.model import CONFIDENTIAL, NVT, TEXT, WEET_NIET, Questionnaire

PROGRESS_POINTER = (
    "## Voortgang sinds de vorige zelfscan\n\n"
    "De vergelijking met de vorige zelfscan noemt vertrouwelijke antwoorden en staat daarom "
    "in de vertrouwelijke bijlage.\n"
)

_STATUS = {"op orde": "op orde", "tekort": "tekort", "onbekend": "onbekend", "": "—"}
_CHANGE = {
    "verbeterd": "verbeterd",
    "achteruit": "achteruitgegaan",
    "gelijk": "gelijk gebleven",
    "onbekend": "niet te vergelijken (onbekend)",
    "nieuw": "nieuw onderdeel",
    "vervallen": "vervallen onderdeel",
}
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


def _esc(value: Any) -> str:
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
        (f"| Weerbaarheid | {_esc(old_p.resilience_label)} ({_num(old_p.resilience)} van 4) | "
        f"{_esc(new_p.resilience_label)} ({_num(new_p.resilience)} van 4) |"),
        f"| Kwadrant | {_esc(old_p.quadrant.name)} | {_esc(new_p.quadrant.name)} |",
        (f"| Onderdelen op orde | {ok_old} van {len(old_p.components)} | "
        f"{ok_new} van {len(new_p.components)} |"),
        "",
    ]
    if old_p.threat.rank != new_p.threat.rank:
        word = "hoger" if new_p.threat.rank > old_p.threat.rank else "lager"
        out += [(f"De dreiging is {word} ingeschat dan bij de vorige zelfscan "
                f"({_esc(old_p.threat.label.lower())} → {_esc(new_p.threat.label.lower())}). "
                "Daardoor verandert ook het niveau dat elk onderdeel nodig heeft."), ""]
    else:
        out += [(f"De dreiging is even hoog ingeschat als bij de vorige zelfscan "
                f"({_esc(new_p.threat.label.lower())})."), ""]
    n_imp, n_slip = len(c.by_change("verbeterd")), len(c.by_change("achteruit"))
    out += [(f"{n_imp} {'onderdeel is' if n_imp == 1 else 'onderdelen zijn'} verbeterd, "
            f"{n_slip} {'is' if n_slip == 1 else 'zijn'} achteruitgegaan. "
            f"{c.answers_changed} {'antwoord is' if c.answers_changed == 1 else 'antwoorden zijn'}"
            " anders dan de vorige keer."), ""]

    out += [f"{H} Per onderdeel", "",
            ("Niveau op de schaal 0 tot 4 (gemiddelde van de stellingen); 'nodig' is het "
            "niveau dat past bij de dreiging."), ""]
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
            found = next((x for x in c.components if x.id == p.component_id), None)
            new_level = found.new_level if found else None
            if found and found.new_status == "op orde":
                why = "nu op orde"
            elif found and found.new_status == "tekort":
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
            out += [(f"De vorige zelfscan gebruikte versie {c.old_version} van de vragenlijst, "
                    f"deze zelfscan versie {c.new_version}. Vragen zijn vergeleken op hun id."),
                    ""]
        if c.questions_added:
            out += [f"Nieuwe vragen ({len(c.questions_added)}), niet in de vorige zelfscan:", ""]
            out += [f"- `{qid}`" for qid in c.questions_added] + [""]
        if c.questions_removed:
            out += [(f"Vervallen vragen ({len(c.questions_removed)}): hun antwoorden van "
                    "toen tellen niet mee in deze vergelijking:"), ""]
            out += [f"- `{qid}`" for qid in c.questions_removed] + [""]
    return out


def render_comparison(c: Comparison) -> str:
    """The progress report as Dutch Markdown (deterministic)."""
    lines = [
        f"# Voortgang zelfscan {_esc(c.municipality)}",
        "",
        (f"Vergelijking van de zelfscan van {_date(c.old_date)} met die van "
        f"{_date(c.new_date)}. Concept: bespreek de uitkomst voordat u hem deelt."),
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


def previous_section(previous_path: str | Path, q: Questionnaire, new_answers: Any,
                     config: Any = None, rules: Any = None) -> str:
    """For `zelfscan batch --vorige FILE`: the progress section for this new plan, or ''
    when FILE belongs to another municipality (batch runs hold several)."""
    c = compare_with_previous(previous_path, q, new_answers, config, rules)
    return comparison_section_markdown(c) if c is not None else ""


def write_report(c: Comparison, out_dir: str | Path) -> list[Path]:
    """Write DIR/<gemeente>/voortgang.md and .html (atomically). Returns the paths."""
    from wizard.files.safepath import safe_folder_name
    from wizard.files.yamlio import atomic_write_text

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


def previous_sections(previous_path: str | Path, q: Questionnaire, answers: Any,
                      config: Any = None, rules: Any = None) -> tuple[str, str] | None:
    """`--vorige FILE`: (section for the public plan, section for the annex), or None when
    FILE is of another municipality.

    The annex gets the comparison as `wizard.assessment.compare` writes it. The public plan gets the
    same comparison with the reasons that cite confidential answers made general the way
    the plan does it (a computed level text stays, an authored rule text becomes a
    pointer); if a confidential answer of either assessment would still show, the public
    plan only gets a pointer to the annex.
    """
    from dataclasses import replace

    from wizard.assessment.compare import compare, load_for_compare, same_municipality
    from wizard.plan.progress import comparison_section_markdown

    # Not compare_with_previous: the old answers are needed below for the confidentiality
    # checks, and that would read the file twice.
    old, removed, added_old = load_for_compare(previous_path, q)
    if not same_municipality(old.values.get(MUNICIPALITY_QID),
                             answers.values.get(MUNICIPALITY_QID)):
        return None
    added: tuple[str, ...] = ()
    if old.questionnaire_version != answers.questionnaire_version:
        added = tuple(x for x in added_old if x in answers.values)
    c = compare(q, old, answers, config=config, rules=rules,
                questions_added=added, questions_removed=removed)
    annex = comparison_section_markdown(c)

    secrets = [x for x in _secret_strings(q, old.values) + _secret_strings(q, answers.values)
               if len(x.strip()) >= 4]  # short labels and counts read like levels
    threat_ids = _threat_ids(q)

    def general(reasons: Iterable[Any], computed: bool) -> tuple:
        out = []
        for r in reasons:
            cited = [i for i in r.question_ids if is_confidential(q, i)]
            if not (r.confidential or cited):
                out.append(r)
            elif computed and not any(x in r.text for x in secrets):
                out.append(replace(r, confidential=True))  # compare adds the annex pointer
            else:
                text = THREAT_POINTER if (not cited or any(i in threat_ids for i in cited)) \
                    else SECRET_POINTER
                out.append(replace(r, text=text, question_ids=(), confidential=False))
        return tuple(out)

    def prios(items: Iterable[Any]) -> tuple:
        return tuple(replace(p, reasons=general(p.reasons, True)) for p in items)

    def recs(items: Iterable[Any]) -> tuple:
        return tuple(replace(r, reasons=general(r.reasons, False)) for r in items)

    public = comparison_section_markdown(replace(
        c, priorities_closed=prios(c.priorities_closed), priorities_new=prios(c.priorities_new),
        priorities_kept=prios(c.priorities_kept),
        recommendations_added=recs(c.recommendations_added),
        recommendations_dropped=recs(c.recommendations_dropped)))
    # Last check on what was typed: a confidential free-text answer must never show. (Option
    # labels such as 'Geen' are left out here: they are ordinary words in the section.)
    typed = [line for qq in q.questions()
             if qq.classification == CONFIDENTIAL and qq.kind == TEXT
             for vals in (old.values, answers.values)
             if isinstance(vals.get(qq.id), str) and vals[qq.id] not in (WEET_NIET, NVT)
             for line in _lines(vals[qq.id]) if len(line) >= 4]
    if any(x in public for x in typed):
        public = PROGRESS_POINTER
    return public, annex
