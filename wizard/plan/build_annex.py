"""Results -> the confidential annex (a Document): the threat picture with every answer, the
acute actions in detail, confidential answers, the reasoning behind every piece of advice
(with the answers it rests on), notes, open points of confidential questions, and the table
of all answers."""

from __future__ import annotations

from collections.abc import Iterable

from wizard.assessment.results import Reason, ThemeResult
from wizard.plan.build_common import MARKINGS, PLAN_FILE_HINT, Ctx, annex_title, meta
from wizard.plan.build_points import open_points
from wizard.plan.confidential import notes_public
from wizard.plan.document import (
    CONFIDENTIAL,
    Block,
    Document,
    ListBlock,
    Section,
    Text,
    bullets,
    inline,
    para,
    table,
)
from wizard.plan.text import clean, clip, counted, nl_number, one_line, plural, sentence
from wizard.questionnaire.model import NVT, SCALE

MAX_CITED = 4  # citations per reason; the rest as a count


def citations(ctx: Ctx, qids: Iterable[str], sids: Iterable[str]) -> list[tuple[str, int]]:
    """What a reason rests on, short: the statements of one component as one line
    ("onderdeel 'Samenwerking': 3 stellingen, gemiddeld niveau 1"), another question as its
    first ~60 characters with the answer. (text, number of answers) pairs."""
    qids = [i for i in ctx.ordered(qids)]
    per_section: dict[str, list[str]] = {}
    other: list[tuple[str, int]] = []
    order: list[str] = []
    # The cited questions, looked up once, and how many of them each section holds.
    found = {i: ctx.q.question(i) for i in qids if ctx.q.has_question(i)}
    in_section: dict[str, int] = {}
    for qq in found.values():
        in_section[qq.section_id] = in_section.get(qq.section_id, 0) + 1
    for qid in qids:
        question = found.get(qid)
        if question is None:
            other.append((qid, 1))
            continue
        sid = question.section_id
        kind = ctx.q.section(sid).kind
        many = in_section[sid] >= MAX_CITED
        if (question.kind == SCALE and kind == "component") or many:
            if sid not in per_section:
                per_section[sid] = []
                order.append(sid)
            per_section[sid].append(qid)
        else:
            label = ctx.label(question, ctx.values.get(qid))
            order.append(qid)
            other.append((f"'{clip(question.text)}'" + (f" (antwoord: {one_line(label)})"
                                                        if label else ""), 1))
    out: list[tuple[str, int]] = []
    it = iter(other)
    # Many sections (e.g. every unknown statement): one line for all of them.
    many = len(per_section) > MAX_CITED - 1
    every = [i for ids in per_section.values() for i in ids]
    for key in order:
        if key in per_section and many:
            if key == next(iter(per_section)):
                out.append((_summary(ctx, "", every, len(per_section)), len(every)))
        elif key in per_section:
            ids = per_section[key]
            out.append((_summary(ctx, key, ids), len(ids)))
        else:
            out.append(next(it))
    out += [x for x in it]
    covered = {qq.section_id for qq in found.values()}
    out += [(f"onderdeel '{ctx.section_title(s)}'", 0) for s in sids if s not in covered]
    return out


def _summary(ctx: Ctx, sid: str, ids: list[str], n_sections: int = 1) -> str:
    values = [ctx.values.get(i) for i in ids]
    known = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    na = sum(1 for v in values if v == NVT)
    unknown = len(ids) - len(known) - na
    kind = ctx.q.section(sid).kind if sid else "component"
    what = counted(len(ids), "stelling", "stellingen") if kind == "component" else \
        counted(len(ids), "vraag", "vragen")
    if n_sections > 1:
        what = f"{len(ids)} antwoorden in {n_sections} onderdelen"
    parts = [what]
    if known:
        mean = sum(known) / len(known)
        parts.append(f"{'niveau' if len(known) == 1 else 'gemiddeld niveau'} {nl_number(mean)}")
    if unknown:
        parts.append(f"{unknown} keer 'weet niet' of niet beantwoord")
    if na:
        parts.append(f"{na} niet van toepassing")
    if n_sections > 1:
        return ", ".join(parts)
    return f"onderdeel '{ctx.section_title(sid)}': " + ", ".join(parts)


def _reason_items(ctx: Ctx, reasons: Iterable[Reason],
                  kept: dict[tuple, list[tuple[str, int]]] | None = None) -> ListBlock:
    """`kept`: citations already made for this chapter (many reasons rest on the same
    answers; a third of the calls repeat one)."""
    items = []
    for r in reasons:
        key = (tuple(r.question_ids), tuple(r.section_ids))
        cites = kept.get(key) if kept is not None else None
        if cites is None:
            cites = citations(ctx, r.question_ids, r.section_ids)
            if kept is not None:
                kept[key] = cites
        more = sum(n for _, n in cites[MAX_CITED:])
        cited = "; ".join(t for t, _ in cites[:MAX_CITED])
        if more:
            cited += f"; en nog {more} {plural(more, 'antwoord', 'antwoorden')}"
        items.append(inline(one_line(r.text), Text("\nOp basis van: ", italic=True),
                            sentence(cited)) if cited else inline(one_line(r.text)))
    return ListBlock(tuple(items) or (inline("Geen reden vastgelegd."),))


def dreigingsbeeld(ctx: Ctx) -> Section:
    t = ctx.profile.threat
    blocks: list[Block] = [para(Text("Dreigingsniveau: ", bold=True),
                                f"{t.label}. {t.meaning}".strip())]
    if t.known == t.total and t.total > 1:
        count = f"Alle {t.total} vragen over dreiging zijn"
    else:
        count = f"{t.known} van de {t.total} vragen over dreiging {plural(t.known, 'is', 'zijn')}"
    count += " met een waarde beantwoord"
    if t.unknown:
        count += f"; {t.unknown} met 'weet niet' of niet beantwoord"
    count += "."
    if t.assumed:
        count += (f" Omdat te weinig bekend is, gaat het advies uit van een {t.phrase}."
                  if t.phrase else f" Omdat te weinig bekend is, gaat het advies uit van het "
                                   f"niveau '{t.label}'.")
    blocks.append(para(count))
    if t.floor:
        blocks.append(para(Text("Ondergrens: ", bold=True), sentence(one_line(t.floor))))
    if t.borderline:
        blocks.append(para("De score ligt dicht bij de grens van het volgende niveau."))
    if t.themes:
        shared = {th.label for th in t.themes
                  if sum(o.label == th.label for o in t.themes) > 1}

        def theme_name(th: ThemeResult) -> str:
            # A general label two themes share (for the public plan) is told apart here by
            # the question the theme rests on: the annex may be specific.
            if th.label in shared and th.question_ids:
                return f"{th.label} ({clip(ctx.qtext(th.question_ids[0]).strip(), 90)})"
            return th.label

        blocks.append(table(("Thema", "Aanwezig"), [
            (theme_name(th), {True: "ja", False: "nee", None: "onbekend"}[th.present])
            for th in t.themes], widths=(3, 1)))
    if t.gaps:
        blocks.append(para(Text("Nog onbekend (zware vragen met 'weet niet'):", bold=True)))
        blocks.append(bullets(clip(ctx.qtext(g), 140) for g in t.gaps))
    rows = [(tq.text, ctx.label(tq, ctx.values.get(tq.id)) or "niet beantwoord")
            for s in ctx.q.sections if s.kind == "dreiging" for tq in s.questions
            if ctx.visible(tq)]
    if rows:
        blocks.append(table(("Vraag", "Antwoord"), rows, widths=(3, 2)))
    return Section("Dreigingsbeeld", tuple(blocks))


def acute(ctx: Ctx) -> Section | None:
    actions = ctx.advice.acute
    if not actions:
        return None
    items = []
    for a in actions:
        parts: list[str | Text] = [Text(one_line(a.text), bold=True)]
        if a.detail:
            parts.append("\n" + clean(a.detail))
        if a.reason is not None:
            parts += [Text("\nWaarom: ", italic=True), one_line(a.reason.text)]
        items.append(inline(*parts))
    return Section("Nu regelen: de uitwerking", (
        para("De acute acties uit het plan, met de details die niet in het openbare plan "
             "staan."), ListBlock(tuple(items), ordered=True)))


def secret_answers(ctx: Ctx) -> Section:
    subs = []
    for s in ctx.q.sections:
        if s.kind == "dreiging":
            continue
        qs = [qq for qq in s.questions if ctx.censor.secret(qq.id) and ctx.visible(qq)]
        if not qs:
            continue
        blocks: list[Block] = []
        for qq in qs:
            blocks.append(para(Text(ctx.heading(qq) if qq in s.open_questions() else qq.text,
                                    bold=True)))
            blocks.append(para(ctx.label(qq, ctx.values.get(qq.id)) or
                               Text("Nog niet ingevuld.", italic=True)))
        subs.append(Section(s.title, tuple(blocks)))
    intro: tuple[Block, ...] = () if subs else (
        para("Er zijn geen andere vertrouwelijke vragen."),)
    withheld = _withheld(ctx)
    if withheld:
        intro = withheld + intro
    return Section("Vertrouwelijke antwoorden bij de aanpak", intro, tuple(subs))


def _withheld(ctx: Ctx) -> tuple[Block, ...]:
    """Issue 14: which public open answers (or notes) are here instead of in the plan, and
    why (the kinds of clue, never the text), and how to publish one after all."""
    from wizard.answers.screen import NOTE, flags

    found = [f for f in flags(ctx.q, ctx.answers) if f.withheld]
    if not found:
        return ()
    items = [inline(*(("De toelichting bij ",) if f.field == NOTE else ()),
                    Text(ctx.qtext(f.question_id).strip().rstrip(":"), italic=True),
                    ": " + f.what() + ".") for f in found]
    return (
        para("Deze open antwoorden zijn in de vragenlijst openbaar, maar staan hier en niet in "
             "het openbare plan: Zelfscan vond er aanwijzingen in dat ze over personen of een "
             "casus gaan, of een persoonsgegeven bevatten. In het openbare plan staat op hun "
             "plaats alleen een verwijzing naar deze bijlage."),
        ListBlock(tuple(items)),
        para("Mag een van deze antwoorden na controle toch openbaar? Formuleer het dan "
             "algemener (rollen en afspraken, geen personen), of zet het vraag-id in het "
             "antwoordbestand onder 'openbaar_bevestigd' (in een Excel-werkmap: 'ja' in "
             "kolom G, openbaar bevestigd; in het gesprek: kies 'toch openbaar') en maak het "
             "plan opnieuw."),
    )


def reasoning(ctx: Ctx) -> Section:
    kept: dict[tuple, list[tuple[str, int]]] = {}
    prio = [Section(f"Prioriteit {p.rank}: {p.title}", (
        para(f"Urgentie {p.urgency}; nu {ctx.level(p.current)}, nodig {ctx.level(p.required)}."),
        _reason_items(ctx, p.reasons, kept))) for p in ctx.advice.priorities if p.reasons]
    recs = [Section(f"Ondersteuning: {r.name}", (_reason_items(ctx, r.reasons, kept),))
            for r in list(ctx.advice.recommendations) + list(ctx.advice.also_available)]
    return Section("Onderbouwing van het advies", (
        para("Waarop elk advies steunt, met de antwoorden erbij. In het openbare plan staan "
             "redenen die op vertrouwelijke antwoorden steunen in algemene termen, met een "
             "verwijzing naar deze bijlage."),), tuple(prio + recs))


def notes(ctx: Ctx) -> Section:
    ids = [i for i in ctx.ordered(ctx.notes) if clean(ctx.notes[i])
           and (not notes_public(ctx.q) or ctx.censor.secret(i))]
    blocks: list[Block] = [b for i in ids for b in (
        para(Text(ctx.qtext(i), italic=True)), para(clean(ctx.notes[i])))]
    if not blocks:
        blocks = [para("Er zijn geen " + ("vertrouwelijke " if notes_public(ctx.q) else "")
                       + "toelichtingen vastgelegd.")]
    return Section("Toelichtingen bij vragen", tuple(blocks))


def all_answers(ctx: Ctx) -> Section:
    rows = [(s.title, qq.text, ctx.label(qq, ctx.values.get(qq.id)) or "niet beantwoord")
            for s in ctx.q.sections for qq in s.questions
            if ctx.visible(qq) and ctx.asked(qq.id)]
    return Section("Alle antwoorden", (
        para("Elk antwoord uit de zelfscan, openbaar en vertrouwelijk."),
        table(("Onderdeel", "Vraag", "Antwoord"), rows, widths=(2.5, 6, 4), small=True)))


def build_annex(ctx: Ctx, progress: Section | None = None) -> Document:
    chapters = [dreigingsbeeld(ctx), acute(ctx), secret_answers(ctx), reasoning(ctx),
                notes(ctx), open_points(ctx, "Openstaande punten bij vertrouwelijke vragen"),
                all_answers(ctx), progress]
    numbered = tuple(Section(f"{i} {s.title}", s.blocks, s.sections, anchor=s.title)
                     for i, s in enumerate((c for c in chapters if c is not None), start=1))
    intro = (
        meta(ctx, [("Gemeente", ctx.gemeente), ("Datum van de zelfscan", ctx.date),
                   ("Classificatie", ("vertrouwelijk — niet openbaar maken, niet "
                                      "meesturen met het plan"))]),
        para(f"Deze bijlage hoort bij het concept plan van aanpak ({PLAN_FILE_HINT}). Het plan "
             "zelf is openbaar en noemt de dreiging alleen in algemene termen; deze bijlage "
             "bevat wat vertrouwelijk is."),
        para("Deel deze bijlage alleen met wie haar voor de aanpak nodig heeft. Ook het "
             "antwoordbestand (antwoorden.yaml) naast het plan is vertrouwelijk en alleen "
             "leesbaar voor wie het plan maakte. Ook hier gaat het om de gemeente en de "
             "organisatie, nooit om personen: noem geen namen of details die iemand "
             "herkenbaar maken."),
    )
    date = getattr(ctx.answers, "date", None)
    return Document(annex_title(ctx.answers), CONFIDENTIAL, MARKINGS[CONFIDENTIAL], intro,
                    numbered, date=None if date is None else str(date),
                    subject="Vertrouwelijke bijlage bij het concept plan van aanpak")
