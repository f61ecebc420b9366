"""Results -> the public plan (a Document), in the shape a college and council can adopt.

Aanleiding, a one-page Samenvatting, Besluitpunten voor het college, Nu regelen (only when
there are acute actions), the Uitvoeringsagenda, Ambitie en doelstellingen, the template's
own three-column table (Wat | Hoe | Lokale uitwerking, the Hoe text shown once), Externe
ondersteuning as a route, Financiën, Monitoring en evaluatie, Communicatie and open points.

Public: no confidential answer, note or reason detail is put into this document (see
`confidential.Censor`); the answers table and the threat picture are in the annex.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from wizard.plan import agenda as agenda_mod
from wizard.plan.build_common import ANNEX_TITLE, MARKINGS, SHORT_SCAN, Ctx, meta, plan_title
from wizard.plan.build_points import open_points
from wizard.plan.confidential import ANNEX_POINTER, SECRET_ANSWER
from wizard.plan.document import (
    PUBLIC,
    Block,
    Cell,
    Document,
    Figure,
    ListBlock,
    Paragraph,
    Section,
    Text,
    bullets,
    cell,
    inline,
    para,
    table,
)
from wizard.plan.text import join_and, month_later, one_line, percent, sentence
from wizard.questionnaire.model import TEXT

HOE_BULLET = ("- ", "* ", "• ", "· ", "▪ ")


def _labelled(label: str, *rest: str | Text) -> Paragraph:
    return para(Text(label + ": ", bold=True), *rest)


def _how(text: str) -> list[Paragraph | ListBlock]:
    """The template's Hoe text: paragraphs (wrapped lines joined) and '- ' bullets."""
    out: list[Paragraph | ListBlock] = []
    words: list[str] = []
    items: list[str] = []

    def flush_words() -> None:
        if words:
            out.append(para(" ".join(words)))
            words.clear()

    def flush_items() -> None:
        if items:
            out.append(bullets(items))
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            flush_words()
            flush_items()
        elif line.startswith(HOE_BULLET):
            flush_words()
            items.append(line[2:].strip())
        else:
            flush_items()
            words.append(line)
    flush_words()
    flush_items()
    return out


@lru_cache(maxsize=256)
def _how_cell(text: str) -> Cell:
    """The template's Hoe text as a table cell: the same in every plan, so one Cell object
    per text (document objects are immutable), which the renderers then render once."""
    how = _how(text) or [para(Text("Geen beschrijving in het sjabloon.", italic=True))]
    return Cell(tuple(how))


def evaluation_month(ctx: Ctx) -> str:
    months = ctx.texts.get("monitoring", "herhalen_na_maanden")[ctx.register]
    return month_later(getattr(ctx.answers, "date", None), months) or \
        f"{months} maanden na deze zelfscan"


def priorities(ctx: Ctx) -> list[Any]:
    """The plan's top priorities that still have work in them (nothing when nothing falls
    short: then the plan speaks of keeping up the basis)."""
    if not (ctx.advice.has_shortfall or any(map(agenda_mod.needs_work, ctx.advice.priorities))):
        return []
    return [p for p in ctx.advice.top(3) if agenda_mod.needs_work(p)]


# --------------------------------------------------------------------------- chapters


def aanleiding(ctx: Ctx) -> Section:
    blocks: list[Block] = [para(t) for t in ctx.texts.texts(
        "aanleiding", gemeente=ctx.gemeente, datum=ctx.date)]
    plan_q = "intake.plan-aanwezig"
    if ctx.q.has_question(plan_q) and ctx.censor.shown(plan_q) and ctx.values.get(plan_q):
        blocks.append(_labelled("Bestaand plan", sentence(ctx.label(
            ctx.q.question(plan_q), ctx.values[plan_q]))))
    defs = [inline(Text(d.term + ": ", bold=True), one_line(d.text)) for d in ctx.q.definitions]
    sub: list[Section] = []
    if defs:
        source = join_and(sorted({d.source for d in ctx.q.definitions if d.source}))
        sub = [Section("Begrippen", (
            para("In dit plan gelden de definities van het landelijke sjabloon"
                 + (f" (bron: {source})." if source else ".")),
            ListBlock(tuple(defs))))]
    return Section("Aanleiding", tuple(blocks), tuple(sub))


def samenvatting(ctx: Ctx, figs: dict[str, Figure], agenda: list[agenda_mod.Row]) -> Section:
    p, t = ctx.profile, ctx.profile.threat
    threat = [Text("Dreiging: ", bold=True), Text(f"{t.label}. {t.meaning}".strip())]
    floor = t.floor_public if ctx.public else t.floor
    if floor:  # the reason itself may name the fact: the annex has it, the plan in general
        threat.append(Text(" " + sentence(one_line(floor))))
    if t.borderline:
        threat.append(Text(" De uitkomst ligt dicht bij de grens van het volgende niveau."))
    # Themes may share a general label (a case and a return are both 'persoonsgerichte
    # aanpak' in public): each label once.
    present = list(dict.fromkeys(th.label for th in t.themes if th.present))
    if present:
        threat.append(Text(f" Aandacht vraagt: {join_and(present)}."))
    if t.gaps:
        n = len(t.gaps)
        threat.append(Text(f" Over {n} zware {'dreigingsvraag' if n == 1 else 'dreigingsvragen'}"
                           " is nog niets bekend; dat wordt eerst uitgezocht."))
    short: list[Block] = []
    if ctx.scope is not None:
        short = [para(Text("Korte scan. ", bold=True), (
            "Dit plan rust op de korte scan: de vragen over de gemeente en de dreiging, en per "
            "onderdeel van de aanpak de stelling die het meest zegt. Het geeft een eerste "
            "profiel, de prioriteiten en advies over ondersteuning. De overige stellingen en "
            "de lokale uitwerking per onderdeel zijn nog niet gevraagd; de volledige zelfscan "
            "maakt het beeld en dit plan vollediger."))]
    scored = [c for c in p.components if c.status != "nvt"]
    ok = [c for c in scored if c.status == "op orde"]
    blocks: list[Block] = [
        *short,
        para(*threat),
        _labelled("Weerbaarheid", f"{p.resilience_label}: {len(ok)} van de {len(scored)} "
                  f"onderdelen {'staat' if len(ok) == 1 else 'staan'} op het niveau dat bij "
                  f"deze dreiging nodig is."),
        _labelled("Positie", f"{p.quadrant.name}. {p.quadrant.meaning}".strip()),
    ]
    # The percentage is over the questions that make the profile (threat and statements);
    # a 'weet niet' on an open question is counted apart so the two never contradict.
    open_unknown = sum(1 for i in p.unknown_ids
                       if ctx.q.has_question(i) and ctx.q.question(i).kind == TEXT)
    blocks.append(_labelled("Betrouwbaarheid", f"{percent(p.confidence)} van de vragen die het "
                            "profiel bepalen (dreiging en stellingen) is met een waarde "
                            "beantwoord" + (f"; bij {open_unknown} open "
                            f"{'vraag' if open_unknown == 1 else 'vragen'} is 'weet niet' "
                            "gekozen." if open_unknown else ".")))
    blocks.append(_labelled("Wat dit betekent", one_line(ctx.texts.get("betekenis")[ctx.register])))
    if ctx.advice.notes:
        blocks.append(bullets(one_line(n) for n in ctx.advice.notes))
    top = priorities(ctx)
    if top:
        blocks.append(para(Text("Prioriteiten", bold=True)))
        blocks.append(bullets([inline(Text(x.title, bold=True),
                                      f" (urgentie {x.urgency}): nu {ctx.level(x.current)}, "
                                      f"nodig {ctx.level(x.required)}.") for x in top],
                              ordered=True))
    else:
        keep = agenda_mod.maintained(ctx)
        blocks.append(para(Text("Bijhouden: ", bold=True), "geen onderdeel heeft een tekort; "
                           "houd de basis bij, vooral " + join_and(x.title for x in keep) + "."))
    acute = [r for r in agenda if r.acute]
    if acute:
        blocks.append(_labelled("Nu regelen", f"{len(acute)} "
                                f"{'actie kan' if len(acute) == 1 else 'acties kunnen'} niet "
                                "wachten; ze staan vooraan in de uitvoeringsagenda."))
    quadrant = figs.get("plan-kwadrant.svg")
    if quadrant is not None:  # after the text: the words come first, the picture fits after
        blocks.append(quadrant)
    return Section("Samenvatting", tuple(blocks))


def besluitpunten(ctx: Ctx, agenda: list[agenda_mod.Row]) -> Section:
    t = ctx.texts
    items = [one_line(t.get("besluitpunten", "ambitie")[ctx.register])]
    top = priorities(ctx)
    if top:
        items.append(t.text("besluitpunten", "prioriteiten",
                            prioriteiten=join_and(x.title for x in top)))
    else:
        items.append(t.text("besluitpunten", "bijhouden"))
    if any(r.acute for r in agenda):
        items.append(one_line(t.get("besluitpunten", "nu_regelen")))
    items.append(one_line(t.get("besluitpunten", "capaciteit")))
    items.append(one_line(t.text("besluitpunten", "evaluatie",
                                 evaluatiemaand=evaluation_month(ctx))))
    return Section("Besluitpunten voor het college", (
        para("Het college van burgemeester en wethouders:"),
        bullets((one_line(i) for i in items), ordered=True)))


def nu_regelen(agenda: list[agenda_mod.Row]) -> Section | None:
    acute = [r for r in agenda if r.acute]
    if not acute:
        return None
    items = [inline(Text(r.action.text, bold=True), f" Trekker: {r.action.owner}; termijn: "
                    f"{r.action.term}.") for r in acute]
    detail = any(r.action.detail for r in acute)
    return Section(agenda_mod.ACUTE, (
        para("Deze acties kunnen niet wachten op de rest van het plan. Dit plan noemt alleen "
             "de soort actie, nooit personen of feiten" + (
                 "; de uitwerking staat in de vertrouwelijke bijlage." if detail else ".")),
        bullets(items, ordered=True)))


AGENDA_HEADER = ("Onderdeel", "Actie", "Trekker", "Partners", "Termijn", "Inzet", "Resultaat")


def uitvoeringsagenda(ctx: Ctx, agenda: list[agenda_mod.Row]) -> Section:
    partners_default = ctx.texts.text("agenda", "partners")
    rows = [(r.onderdeel, r.action.text, r.action.owner,
             ", ".join(r.action.partners) or partners_default, r.action.term, r.action.effort,
             r.action.result) for r in agenda]
    intro = ("Per actie: wie trekt, met wie, wanneer, met welke inzet en waaraan het resultaat "
             "te zien is; acute acties eerst, dan de meest urgente onderdelen.")
    if not rows:
        return Section("Uitvoeringsagenda", (para(intro), para("Er zijn geen acties nodig.")))
    return Section("Uitvoeringsagenda", (
        para(intro),
        table(AGENDA_HEADER, rows, widths=(2.2, 4.6, 1.8, 2.0, 1.5, 1.7, 2.6), small=True,
              kind="agenda")))


def ambitie(ctx: Ctx) -> Section:
    blocks: list[Block] = []
    if ctx.q.ambition:
        blocks += _how(ctx.q.ambition)
    local = [oq for s in ctx.q.sections if s.kind == "doelstellingen"
             for oq in s.open_questions() if ctx.visible(oq)]
    objectives = [(o.text, o.label if ctx.censor.shown(o.id) else "")
                  for o in ctx.profile.objectives] or [(o.text, "") for o in ctx.q.objectives]
    for oq in local:
        if "ambitie" in oq.id:
            blocks += _local(ctx, oq, "Lokale ambitie")
    if objectives:
        blocks.append(para(Text("Doelstellingen", bold=True),
                           " (met hoever de gemeente is volgens de zelfscan)"))
        blocks.append(bullets(inline(one_line(text), f" Stand: {label}." if label else "")
                              for text, label in objectives))
    for oq in local:
        if "ambitie" not in oq.id:
            blocks += _local(ctx, oq, "Lokale doelstellingen")
    return Section("Ambitie en doelstellingen", tuple(blocks))


def _local(ctx: Ctx, oq: Any, label: str) -> list[Paragraph]:
    ans = ctx.local(oq)
    if ans.usable:
        return [para(Text(label + ": ", bold=True), ans.text)]
    if ans.kind == "vertrouwelijk":
        return [para(Text(label + ": ", bold=True), SECRET_ANSWER)]
    if ans.kind == "niet gevraagd":
        return [para(Text(label + ": ", bold=True), Text(SHORT_SCAN, italic=True))]
    return [para(Text(label + ": ", bold=True), Text("nog uit te werken (zie Openstaande "
                                                       "punten).", italic=True))]


SJABLOON_HEADER = ("Wat", "Hoe", "Lokale uitwerking")


def activiteiten(ctx: Ctx, figs: dict[str, Figure]) -> Section:
    results = {c.id: c for c in ctx.profile.components}
    rows: list[tuple[Cell, Cell, Cell]] = []
    for sec in ctx.q.components():
        wat: list[Paragraph | ListBlock] = [para(Text(sec.title, bold=True))]
        if sec.subtitle:
            wat.append(para(one_line(sec.subtitle)))
        res = results.get(sec.id)
        if res is not None and res.status != "nvt":
            verdict = {"tekort": "tekort", "op orde": "op orde"}.get(res.status, "onbekend")
            wat.append(para(Text(f"Nu {ctx.level_short(res.level)}, nodig {res.required}: "
                                 f"{verdict}.", italic=True)))
        local: list[Paragraph | ListBlock] = []
        for oq in ctx.open_questions(sec.id):
            ans = ctx.local(oq)
            local.append(para(Text(ctx.heading(oq), bold=True)))
            if ans.usable:
                local.append(para(ans.text))
            elif ans.kind == "vertrouwelijk":
                local.append(para(Text(SECRET_ANSWER, italic=True)))
            elif ans.kind == "niet gevraagd":
                local.append(para(Text(SHORT_SCAN, italic=True)))
            elif ctx.censor.secret(oq.id):
                local.append(para(Text("Nog uit te werken (zie de vertrouwelijke bijlage).",
                                       italic=True)))
            else:
                local.append(para(Text("Nog uit te werken (zie Openstaande punten).",
                                       italic=True)))
        if not local:
            local.append(para(Text("Geen open vragen in het sjabloon; zie de "
                                   "uitvoeringsagenda en de externe ondersteuning.",
                                   italic=True)))
        rows.append((Cell(tuple(wat)), _how_cell(sec.how), Cell(tuple(local))))
    blocks: list[Block] = [para(
        "De tabel van het landelijke sjabloon: per onderdeel wat het is, hoe het eruitziet als "
        "het goed geregeld is en de lokale uitwerking. Onder 'Wat' staat het niveau nu en het "
        "niveau dat bij deze dreiging nodig is (0 tot 4).")]
    figure = figs.get("plan-onderdelen.svg")
    if figure is not None:
        blocks.append(figure)
    blocks.append(table(SJABLOON_HEADER, rows, widths=(3.0, 8.6, 5.4), small=True,
                        kind="sjabloon"))
    return Section("Activiteiten", tuple(blocks))


ROUTE_HEADER = ("Wanneer", "Organisatie", "Waarom", "Contact")


def ondersteuning(ctx: Ctx) -> Section:
    stops, also = agenda_mod.route(ctx)
    if not stops:
        return Section("Externe ondersteuning", (para(
            "Op basis van de antwoorden is geen specifieke externe ondersteuning aanbevolen. "
            "Bij vragen kan de gemeente altijd terecht bij de lokaal adviseur van de NCTV."),))
    rows = []
    for s in stops:
        r = s.rec
        # The body's role in general terms (when the advice gives it) replaces the reasons
        # that rest on confidential answers, with a pointer to them; the others stay.
        shown = ctx.censor.reasons(r.reasons)
        hidden = any(x.annex for x in shown)
        why = ([sentence(one_line(r.public_reason)) + (" " + ANNEX_POINTER if hidden else "")]
               if r.public_reason else []) + [
            x.text for x in shown if not (x.annex and r.public_reason)]
        rows.append((cell(s.when), cell(para(Text(r.name, bold=True)),
                                        para(one_line(r.offers), small=True)),
                     Cell(tuple(para(one_line(w)) for w in dict.fromkeys(why or ["—"]))),
                     cell(one_line(r.contact) or "zie de website van de organisatie")))
    blocks: list[Block] = [
        para("De route langs de ondersteuning: wie de gemeente wanneer benadert, en waarom."),
        table(ROUTE_HEADER, rows, widths=(1.8, 5.0, 6.4, 3.8), small=True, kind="route")]
    if also:
        blocks.append(para(Text("Ook beschikbaar", bold=True), " (bij behoefte):"))
        blocks.append(bullets(inline(Text(r.name, bold=True), ": " + one_line(r.offers))
                              for r in also))
    return Section("Externe ondersteuning", tuple(blocks))


def financien(ctx: Ctx, agenda: list[agenda_mod.Row]) -> Section:
    t = ctx.texts
    qid = t.text("financien", "budgetvraag")
    blocks: list[Block] = []
    if ctx.q.has_question(qid):
        ans = ctx.local(ctx.q.question(qid))
        value: str | Text = ans.text if ans.usable else (
            SECRET_ANSWER if ans.kind == "vertrouwelijk"
            else Text("nog niet ingevuld (zie Openstaande punten).", italic=True))
        blocks.append(_labelled("Budget volgens de zelfscan", value))
    blocks.append(_labelled("Wat de agenda vraagt", one_line(
        t.get("financien", "register")[ctx.register])))
    default = t.get("agenda", "inzet")[ctx.register]
    efforts = Counter(r.action.effort for r in agenda if r.action.effort)
    if efforts and set(efforts) != {default}:  # the advice gave its own estimates
        blocks.append(para("Inzet per actie volgens de uitvoeringsagenda: " + join_and(
            f"{e} ({n} {'actie' if n == 1 else 'acties'})" for e, n in efforts.items()) + "."))
    support = t.texts("financien", "steun", gemeente=ctx.gemeente)
    if ctx.register in ("gericht", "stevig"):
        support += t.texts("financien", "steun_bij_verhoogde_dreiging", gemeente=ctx.gemeente)
    if len(support) == 1:
        blocks.append(_labelled("Waar steun te vinden is", one_line(support[0])))
    elif support:
        blocks.append(para(Text("Waar steun te vinden is", bold=True)))
        blocks.append(bullets(one_line(s) for s in support))
    return Section("Financiën", tuple(blocks))


def monitoring(ctx: Ctx) -> Section:
    t = ctx.texts
    when = evaluation_month(ctx)
    blocks: list[Block] = [para(one_line(x)) for x in t.texts(
        "monitoring", "tekst", evaluatiemaand=when, datum=ctx.date, gemeente=ctx.gemeente)]
    blocks.append(para(Text("Waar de evaluatie naar kijkt", bold=True)))
    blocks.append(bullets(one_line(x) for x in t.texts("monitoring", "kijken_naar")))
    return Section("Monitoring en evaluatie", tuple(blocks))


def communicatie(ctx: Ctx) -> Section:
    return Section("Communicatie", tuple(para(one_line(x)) for x in ctx.texts.texts(
        "communicatie", gemeente=ctx.gemeente)))


def build_plan(ctx: Ctx, figs: dict[str, Figure], progress: Section | None = None) -> Document:
    """The public plan. `figs`: the quadrant and components figures (charts.figures)."""
    rows = agenda_mod.agenda(ctx)
    chapters = [aanleiding(ctx), samenvatting(ctx, figs, rows), besluitpunten(ctx, rows),
                nu_regelen(rows), uitvoeringsagenda(ctx, rows), ambitie(ctx),
                activiteiten(ctx, figs), ondersteuning(ctx), financien(ctx, rows),
                monitoring(ctx), communicatie(ctx), open_points(ctx), progress]
    numbered = tuple(Section(f"{i} {s.title}", s.blocks, s.sections, anchor=s.title)
                     for i, s in enumerate((c for c in chapters if c is not None), start=1))
    intro = [
        meta(ctx, [("Gemeente", ctx.gemeente), ("Datum van de zelfscan", ctx.date),
                   ("Status", "concept, opgesteld met Zelfscan"),
                   ("Classificatie", ("openbaar concept; wat vertrouwelijk is, staat in "
                                      f"de {ANNEX_TITLE.lower()}"))]),
        para("Een concept op basis van de zelfscan: het startpunt voor het gesprek in de eigen "
             "organisatie, met partners en met het college. Pas het aan waar nodig."),
    ]
    return Document(plan_title(ctx.answers), PUBLIC, MARKINGS[PUBLIC], tuple(intro), numbered,
                    date=_iso(getattr(ctx.answers, "date", None)),
                    subject="Concept plan van aanpak radicalisering en extremisme")


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    iso = getattr(value, "isoformat", None)
    return iso() if callable(iso) else str(value)
