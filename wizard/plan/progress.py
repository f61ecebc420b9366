"""The progress report (`zelfscan compare`, `batch --vorige`): a Comparison as a Document.

The comparison itself is pure (`wizard.assessment.compare`); this module only words it:
the report (voortgang.md / .html) and the 'Voortgang sinds de vorige zelfscan' section of
a new plan (public wording) and of its annex (in full).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from wizard.assessment.compare import REPORT_HTML, REPORT_MD, Comparison
from wizard.errors import ZelfscanError, os_hint, os_reason
from wizard.plan.build_common import MARKINGS, MUNICIPALITY_QID
from wizard.plan.confidential import (
    SECRET_POINTER,
    THREAT_POINTER,
    confidential_ids,
    secret_strings,
    threat_ids,
)
from wizard.plan.document import (
    PUBLIC,
    Block,
    Document,
    ListBlock,
    Section,
    Text,
    bullets,
    inline,
    outline,
    para,
    table,
)
from wizard.plan.text import lines, nl_date, nl_number, one_line
from wizard.questionnaire.model import NVT, TEXT, WEET_NIET, Questionnaire

TITLE = "Voortgang sinds de vorige zelfscan"
POINTER = ("De vergelijking met de vorige zelfscan noemt vertrouwelijke antwoorden en staat "
           "daarom in de vertrouwelijke bijlage.")
_STATUS = {"op orde": "op orde", "tekort": "tekort", "onbekend": "onbekend", "": "—"}
_GROUPS = (
    ("verbeterd", "Verbeterd"),
    ("achteruit", "Achteruitgegaan"),
    ("gelijk", "Gelijk gebleven"),
    ("onbekend", "Niet te vergelijken"),
    ("nieuw", "Nieuw in de vragenlijst"),
    ("vervallen", "Niet meer in de vragenlijst"),
)


def _reasons(reasons: Iterable[Any]) -> list[str]:
    out = []
    for r in reasons:
        if getattr(r, "confidential", False):
            # Confidential answers (counts of cases, incidents) never travel into a report
            # that may be shared: keep the general reason, drop the quoted answers.
            general = _strip_parentheses(r.text)
            if general != r.text.strip() and general:
                out.append(one_line(general) + " (details: zie de vertrouwelijke bijlage)")
            else:
                out.append("(een vertrouwelijke reden; zie de vertrouwelijke bijlage van het plan)")
        else:
            out.append(one_line(r.text))
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


def _with_reasons(head: list[str | Text], reasons: list[str]) -> Any:
    parts: list[str | Text] = list(head)
    for r in reasons:
        parts += [Text("\n"), "– " + r]
    return inline(*parts)


def _sections(c: Comparison) -> list[Section]:
    old_p, new_p = c.old_profile, c.new_profile
    then, now = nl_date(c.old_date), nl_date(c.new_date)
    ok_old = sum(1 for x in old_p.components if x.status == "op orde")
    ok_new = sum(1 for x in new_p.components if x.status == "op orde")
    summary: list[Block] = [table(("Onderwerp", f"Toen ({then})", f"Nu ({now})"), [
        ("Dreiging", old_p.threat.label, new_p.threat.label),
        ("Weerbaarheid", f"{old_p.resilience_label} ({nl_number(old_p.resilience)} van 4)",
         f"{new_p.resilience_label} ({nl_number(new_p.resilience)} van 4)"),
        ("Kwadrant", old_p.quadrant.name, new_p.quadrant.name),
        ("Onderdelen op orde", f"{ok_old} van {len(old_p.components)}",
         f"{ok_new} van {len(new_p.components)}"),
    ], widths=(2, 3, 3))]
    if old_p.threat.rank != new_p.threat.rank:
        word = "hoger" if new_p.threat.rank > old_p.threat.rank else "lager"
        summary.append(para(f"De dreiging is {word} ingeschat dan bij de vorige zelfscan "
                            f"({old_p.threat.label.lower()} → {new_p.threat.label.lower()}). "
                            "Daardoor verandert ook het niveau dat elk onderdeel nodig heeft."))
    else:
        summary.append(para("De dreiging is even hoog ingeschat als bij de vorige zelfscan "
                            f"({new_p.threat.label.lower()})."))
    n_imp, n_slip = len(c.by_change("verbeterd")), len(c.by_change("achteruit"))
    summary.append(para(
        f"{n_imp} {'onderdeel is' if n_imp == 1 else 'onderdelen zijn'} verbeterd, {n_slip} "
        f"{'is' if n_slip == 1 else 'zijn'} achteruitgegaan. {c.answers_changed} "
        f"{'antwoord is' if c.answers_changed == 1 else 'antwoorden zijn'} anders dan de "
        "vorige keer."))

    per: list[Section] = []
    for kind, heading in _GROUPS:
        items = []
        for x in c.by_change(kind):
            req = x.new_required if x.new_required is not None else x.old_required
            status = _STATUS.get(x.new_status or x.old_status, x.new_status)
            if x.old_status and x.new_status and x.old_status != x.new_status:
                status = (f"was {_STATUS.get(x.old_status, x.old_status)}, nu "
                          f"{_STATUS.get(x.new_status, x.new_status)}")
            items.append(inline(Text(x.title, bold=True), f": van {nl_number(x.old_level)} "
                                f"naar {nl_number(x.new_level)} (nodig: "
                                f"{req if req is not None else '—'}; {status})"))
        if items:
            per.append(Section(heading, (ListBlock(tuple(items)),)))

    prio: list[Section] = []
    if c.priorities_closed:
        items = []
        for p in c.priorities_closed:
            change = next((y for y in c.components if y.id == p.component_id), None)
            if change and change.new_status == "op orde":
                why = "nu op orde"
            elif change and change.new_status == "tekort":
                why = "nog niet op het nodige niveau, maar andere onderdelen gaan nu voor"
            else:
                why = "niet meer te beoordelen"
            items.append(inline(Text(p.title, bold=True), f" (was prioriteit {p.rank}; niveau "
                                f"van {nl_number(p.current)} naar "
                                f"{nl_number(change.new_level if change else None)}: {why})"))
        prio.append(Section("Geen topprioriteit meer", (ListBlock(tuple(items)),)))
    if c.priorities_new:
        prio.append(Section("Nieuw: nu een topprioriteit", (ListBlock(tuple(
            _with_reasons([Text(p.title, bold=True), (f" (prioriteit {p.rank}, urgentie "
                           f"{p.urgency}; nu {nl_number(p.current)}, nodig {p.required})")],
                          _reasons(p.reasons)) for p in c.priorities_new)),)))
    if c.priorities_kept:
        prio.append(Section("Nog steeds een topprioriteit", (ListBlock(tuple(
            inline(Text(p.title, bold=True), f" (prioriteit {p.rank}; nu "
                   f"{nl_number(p.current)}, nodig {p.required})")
            for p in c.priorities_kept)),)))

    support: list[Section] = []
    if c.recommendations_added:
        support.append(Section("Nieuw aanbevolen", (ListBlock(tuple(
            _with_reasons([Text(r.name, bold=True), ", omdat:"],
                          _reasons(r.reasons) or ["(geen reden vastgelegd)"])
            for r in c.recommendations_added)),)))
    if c.recommendations_dropped:
        support.append(Section("Niet meer aanbevolen", (ListBlock(tuple(
            _with_reasons([Text(r.name, bold=True), (": de redenen van toen gelden niet "
                           "meer. Toen aanbevolen omdat:")],
                          _reasons(r.reasons) or ["(geen reden vastgelegd)"])
            for r in c.recommendations_dropped)),)))

    out = [
        Section("Samenvatting", tuple(summary)),
        Section("Per onderdeel", (para("Niveau op de schaal 0 tot 4 (gemiddelde van de "
                                       "stellingen); 'nodig' is het niveau dat past bij de "
                                       "dreiging."),), tuple(per)),
        Section("Prioriteiten", () if prio else (para("Er zijn geen prioriteiten."),),
                tuple(prio)),
        Section("Externe ondersteuning", () if support else (
            para("De aanbevolen ondersteuning is niet veranderd."),), tuple(support)),
    ]
    if c.old_version != c.new_version or c.questions_added or c.questions_removed:
        blocks: list[Block] = []
        if c.old_version != c.new_version:
            blocks.append(para(f"De vorige zelfscan gebruikte versie {c.old_version} van de "
                               f"vragenlijst, deze zelfscan versie {c.new_version}. Vragen zijn "
                               "vergeleken op hun id."))
        if c.questions_added:
            blocks += [para(f"Nieuwe vragen ({len(c.questions_added)}), niet in de vorige "
                            "zelfscan:"), bullets(c.questions_added)]
        if c.questions_removed:
            blocks += [para(f"Vervallen vragen ({len(c.questions_removed)}): hun antwoorden "
                            "van toen tellen niet mee in deze vergelijking:"),
                       bullets(c.questions_removed)]
        out.append(Section("Vragenlijst", tuple(blocks)))
    return out


def report(c: Comparison) -> Document:
    """The progress report as a document (voortgang.md / .html)."""
    return Document(
        f"Voortgang zelfscan {one_line(c.municipality)}", PUBLIC, MARKINGS[PUBLIC],
        (para(f"Vergelijking van de zelfscan van {nl_date(c.old_date)} met die van "
              f"{nl_date(c.new_date)}. Concept: bespreek de uitkomst voordat u hem deelt."),),
        tuple(_sections(c)), date=None if c.new_date is None else str(c.new_date),
        subject="Voortgang zelfscan radicalisering en extremisme")


def section(c: Comparison) -> Section:
    """The comparison as one section at the end of a new plan (or its annex)."""
    return Section(TITLE, (para(f"Vergeleken met de zelfscan van {nl_date(c.old_date)}."),),
                   tuple(_sections(c)))


def render_comparison(c: Comparison) -> str:
    """The progress report as Markdown (deterministic)."""
    from wizard.plan import markdown_out

    return markdown_out.render(report(c))


def write_report(c: Comparison, out_dir: str | Path) -> list[Path]:
    """Write DIR/<gemeente>/voortgang.md and .html (atomically). Returns the paths."""
    from wizard.files.safepath import safe_folder_name
    from wizard.files.yamlio import atomic_write_text
    from wizard.plan import html_out, markdown_out

    folder = Path(out_dir) / safe_folder_name(c.municipality)
    doc = report(c)
    paths = [folder / REPORT_MD, folder / REPORT_HTML]
    try:
        atomic_write_text(paths[0], markdown_out.render(doc))
        atomic_write_text(paths[1], html_out.render(doc))
    except OSError as e:
        raise ZelfscanError(
            f"het voortgangsrapport kan niet worden geschreven ({os_reason(e, writing=True)})",
            file=folder, hint=os_hint(e, writing=True)) from None
    return paths


def previous_sections(previous_path: str | Path, q: Questionnaire, answers: Any,
                      config: Any = None, rules: Any = None) -> tuple[Section, Section] | None:
    """`--vorige FILE`: (section for the public plan, section for the annex), or None when
    FILE is of another municipality.

    The annex gets the comparison in full. The public plan gets the same comparison with
    the reasons that cite confidential answers made general the way the plan does it (a
    computed level text stays, an authored rule text becomes a pointer); if a confidential
    answer of either assessment would still show, the public plan only gets a pointer.
    """
    from wizard.assessment.compare import compare, load_for_compare, same_municipality

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
    annex = section(c)
    # Asked per question and per cited answer below: found once for each set of answers.
    secret_now, secret_old = confidential_ids(q, answers), confidential_ids(q, old)
    secrets = [x for x in secret_strings(q, old, secret_old)
               + secret_strings(q, answers, secret_now)
               if len(x.strip()) >= 4]  # short labels and counts read like levels
    threat = threat_ids(q)

    def general(reasons: Iterable[Any], computed: bool) -> tuple:
        out = []
        for r in reasons:
            cited = [i for i in r.question_ids if i in secret_now]
            if not (r.confidential or cited):
                out.append(r)
            elif computed and not any(x in r.text for x in secrets):
                out.append(replace(r, confidential=True))  # worded with a pointer
            else:
                text = THREAT_POINTER if (not cited or any(i in threat for i in cited)) \
                    else SECRET_POINTER
                out.append(replace(r, text=text, question_ids=(), confidential=False))
        return tuple(out)

    def prios(items: Iterable[Any]) -> tuple:
        return tuple(replace(p, reasons=general(p.reasons, True)) for p in items)

    def recs(items: Iterable[Any]) -> tuple:
        return tuple(replace(r, reasons=general(r.reasons, False)) for r in items)

    public = section(replace(
        c, priorities_closed=prios(c.priorities_closed), priorities_new=prios(c.priorities_new),
        priorities_kept=prios(c.priorities_kept),
        recommendations_added=recs(c.recommendations_added),
        recommendations_dropped=recs(c.recommendations_dropped)))
    # Last check on what was typed: a confidential free-text answer must never show. (Option
    # labels such as 'Geen' are left out here: they are ordinary words in the section.)
    typed = [line for qq in q.questions()
             if qq.kind == TEXT and (qq.id in secret_now or qq.id in secret_old)
             for vals in (old.values, answers.values)
             if isinstance(vals.get(qq.id), str) and vals[qq.id] not in (WEET_NIET, NVT)
             for line in lines(vals[qq.id]) if len(line) >= 4]
    o = outline(Document("", PUBLIC, "", (), (public,)))
    text = "\n".join(o.headings + o.paragraphs + o.cells)
    if any(x in text for x in typed):
        public = Section(TITLE, (para(POINTER),))
    return public, annex
