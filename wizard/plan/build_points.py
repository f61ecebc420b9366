"""Open points: what is still to be worked out, for the plan (public questions) and the
annex (confidential questions). An open answer that says nothing ('w', 'weet niet', '-')
is an open point, not plan text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wizard.plan.build_common import Ctx
from wizard.plan.confidential import notes_public
from wizard.plan.document import Block, ListBlock, Section, Text, bullets, inline, para
from wizard.plan.text import clean, clip, counted, is_empty, percent, shorten
from wizard.questionnaire.model import TEXT


def _here(ctx: Ctx, qid: str) -> bool:
    """Does this document list points for this question (plan: public, annex: the rest)?
    A question the short scan did not ask is no open point."""
    return ctx.censor.secret(qid) != ctx.public and ctx.asked(qid)


def _grouped(ctx: Ctx, ids: Iterable[str]) -> ListBlock | None:
    """One line per section: 'Section: question; question'."""
    groups: dict[str, list[str]] = {}
    for qid in ctx.ordered(ids):
        sid = ctx.q.question(qid).section_id if ctx.q.has_question(qid) else ""
        groups.setdefault(ctx.section_title(sid) if sid else "Overig", []).append(
            clip(ctx.qtext(qid), 90))
    if not groups:
        return None
    return ListBlock(tuple(inline(Text(title + ": ", bold=True), "; ".join(qs) + ".")
                           for title, qs in groups.items()))


def _to_work_out(ctx: Ctx) -> list[tuple[str, str]]:
    """(section title, heading) of open questions without a usable answer."""
    out = []
    for s in ctx.q.sections:
        if s.kind not in ("component", "doelstellingen"):
            continue
        for oq in s.open_questions():
            if not ctx.visible(oq) or not _here(ctx, oq.id):
                continue
            ans = ctx.local(oq).kind if ctx.public else _annex_local(ctx, oq)
            if ans in ("leeg", "zegt niets"):
                suffix = " (het antwoord zegt nog niets)" if ans == "zegt niets" else ""
                out.append((s.title, ctx.heading(oq) + suffix))
    return out


def _annex_local(ctx: Ctx, oq: Any) -> str:
    value = ctx.values.get(oq.id)
    if is_empty(value) or not clean(value):
        return "leeg"
    return "zegt niets" if ctx.says_nothing(value) else "tekst"


def open_points(ctx: Ctx, title: str = "Openstaande punten") -> Section:
    p = ctx.profile
    subs: list[Section] = []
    intro: list[Block] = []
    work = _to_work_out(ctx)
    if work:
        groups: dict[str, list[str]] = {}
        for sec, q in work:
            groups.setdefault(sec, []).append(q)
        subs.append(Section("Nog uit te werken", (
            ListBlock(tuple(inline(Text(sec + ": ", bold=True), " ".join(qs))
                            for sec, qs in groups.items())),)))
    open_text = {oq.id for s in ctx.q.sections for oq in s.questions if oq.kind == TEXT}
    unknown = [i for i in p.unknown_ids if _here(ctx, i)]
    skipped = [i for i in list(getattr(ctx.answers, "skipped", None) or []) +
               list(p.skipped_ids) if _here(ctx, i) and i not in open_text]
    marked = [i for i in getattr(ctx.answers, "marked", None) or [] if _here(ctx, i)]
    for heading, ids in (("Beantwoord met 'weet niet'", unknown),
                         ("Niet beantwoord of overgeslagen", skipped)):
        block = _grouped(ctx, ids)
        if block is not None:
            subs.append(Section(heading, (block,)))
    if marked:
        subs.append(Section("Gemarkeerd om te bespreken",
                            (bullets(clip(ctx.qtext(i), 120) for i in ctx.ordered(marked)),)))
    privacy = _privacy(ctx)
    if privacy:
        subs.append(Section("Mogelijke persoonsgegevens", (
            para("Een plan van aanpak wordt gedeeld. Controleer deze antwoorden voordat u "
                 "het plan verspreidt:"), bullets(privacy))))
    notes = [i for i in ctx.ordered(ctx.notes) if not is_empty(ctx.notes[i])
             and (notes_public(ctx.q) and not ctx.censor.secret(i)) == ctx.public]
    elsewhere = _notes_in_annex(ctx, notes) if ctx.public else []
    if (notes or elsewhere) and ctx.public:
        note_blocks: list[Block] = [b for i in notes for b in (
            para(Text(shorten(ctx.qtext(i)), italic=True)), para(clean(ctx.notes[i])))]
        if elsewhere:
            total = sum(n for _, n in elsewhere)
            note_blocks.append(para(
                f"{'Eén notitie' if total == 1 else f'{total} notities'} bij de vragen "
                f"{'staat' if total == 1 else 'staan'} in de vertrouwelijke bijlage"
                + ("" if notes_public(ctx.q) else ": notities zijn vertrouwelijk")
                + ". Per onderdeel:"))
            note_blocks.append(bullets(f"{title}: {n}" for title, n in elsewhere))
        subs.append(Section("Toelichtingen bij vragen", tuple(note_blocks)))
    weak = [c for c in p.components if (c.total - c.not_applicable) and c.confidence < 0.5]
    if ctx.public and (weak or p.low_confidence):
        blocks: list[Block] = []
        if p.low_confidence:
            blocks.append(para(f"Slechts {percent(p.confidence)} van de vragen is met een "
                               "waarde beantwoord. Het hele advies is daarom voorlopig: vorm "
                               "eerst een lokaal beeld en doe de zelfscan daarna opnieuw."))
        if weak:
            blocks.append(bullets(
                f"{c.title}: {c.answered} van "
                f"{counted(c.total - c.not_applicable, 'stelling', 'stellingen')} met een "
                "waarde beantwoord; controleer het advies voor dit onderdeel." for c in weak))
        subs.append(Section("Advies met weinig onderbouwing", tuple(blocks)))
    if ctx.public:
        hidden = {i for i in list(p.unknown_ids) + list(p.skipped_ids) + marked +
                  list(getattr(ctx.answers, "skipped", None) or []) +
                  list(getattr(ctx.answers, "marked", None) or []) if ctx.censor.secret(i)}
        if hidden:
            intro.append(para(f"Openstaande punten bij vertrouwelijke vragen ({len(hidden)}) "
                              "staan in de vertrouwelijke bijlage."))
    if not subs and not intro:
        intro.append(para("Er zijn geen openstaande punten."))
    return Section(title, tuple(intro), tuple(subs))


def _notes_in_annex(ctx: Ctx, shown: list[str]) -> list[tuple[str, int]]:
    """(section title, count) of the notes that are in the annex, not in the plan: the plan
    says where they are (issue 14 item 3; the chat promises the same)."""
    counts: dict[str, int] = {}
    for i in ctx.ordered(ctx.notes):
        if i in shown or is_empty(ctx.notes[i]) or not clean(ctx.notes[i]) or \
                not ctx.q.has_question(i):
            continue
        title = ctx.section_title(ctx.q.question(i).section_id)
        counts[title] = counts.get(title, 0) + 1
    return list(counts.items())


def _privacy(ctx: Ctx) -> list[str]:
    """Possible personal data (BSN, e-mail, phone, address) in free text, named by question
    and kind, never by value; listed where the text itself is shown."""
    from wizard.answers.privacy import open_point, scan_answers

    grouped: dict[tuple[str, str], list[Any]] = {}
    for hit in scan_answers(ctx.answers):
        grouped.setdefault((hit.question_id, hit.field), []).append(hit.finding)
    out = []
    for (qid, field), findings in sorted(grouped.items(),
                                         key=lambda kv: (ctx.position(kv[0][0]), kv[0])):
        note = field == "toelichting"
        confidential = ctx.censor.secret(qid) or (note and not notes_public(ctx.q))
        if confidential == ctx.public:
            continue
        out.append(open_point(f"‘{shorten(ctx.qtext(qid))}’", findings, note=note))
    return out
