"""What the plan makes of the advice contract (results.py): acute actions first, steps as
agenda rows with trekker/partners/termijn/inzet/resultaat, the support route with 'wanneer'
and 'ook beschikbaar', threat themes, floors and gaps; clean local text; the one
confidentiality predicate. Hand-built results fill every field, so the plan shows them as
soon as the advice does."""

from __future__ import annotations

import pytest
from conftest import chapter, chapters

from wizard.answers.store import Answers, load_answers
from wizard.assessment.results import (
    Action,
    Reason,
    Recommendation,
    ThemeResult,
)
from wizard.plan import confidential
from wizard.plan.confidential import THREAT_POINTER
from wizard.plan.markdown_out import md_inline
from wizard.plan.output import documents, render_annex, render_plan, results
from wizard.plan.text import third_person
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import TEXT

Q = load_questionnaire()
SCHELDER = "examples/schelderhoven.yaml"
CASE_FACT = "terugkeer van een gedetineerde in de wijk Oost op 3 maart"


@pytest.fixture(scope="module")
def base():
    answers = load_answers(SCHELDER, Q)
    profile, advice = results(Q, answers)
    return answers, profile, advice


def _rich(profile, advice):
    """The same results with every contract field filled, as the advice engineer will."""
    from dataclasses import replace

    acute = (Action("terugkeer", "", "Bereid de terugkeer van een (ex-)gedetineerde voor in "
                    "het casusoverleg van het Zorg- en Veiligheidshuis.",
                    detail=f"Het gaat om de {CASE_FACT}.", owner="burgemeester",
                    partners=("reclassering", "politie"), term="nu", effort="8 uur per week",
                    result="Casusoverleg gepland vóór de vrijlating", acute=True,
                    support=("nctv",)),)
    first = advice.priorities[0]
    steps = (Action("s1", first.component_id, "Leg de meldroute vast op één A4.",
                    owner="team OOV", partners=("sociaal domein",), term="0–3 maanden",
                    effort="16 uur", result="Meldroute op intranet"),)
    priorities = (replace(first, steps=steps),) + advice.priorities[1:]
    recs = tuple(replace(r, when=w, public_reason=f"Publieke reden {r.body_id}.")
                 for r, w in zip(advice.recommendations, ("nu", "dit kwartaal", "bij behoefte",
                                                            "bij behoefte")))
    route, also = recs[:2], recs[2:]
    threat = replace(profile.threat, floor="Een terugkeer in de wijk Oost maakt het minstens "
                     "verhoogd", floor_public="Een ernstig signaal maakt de dreiging minstens "
                     "verhoogd",
                     borderline=True, gaps=("dreiging.casussen",), themes=(
                         ThemeResult("terugkeer", "terugkeer na detentie", True),
                         ThemeResult("online", "online radicalisering", False)))
    return (replace(profile, threat=threat),
            replace(advice, acute=acute, priorities=priorities, recommendations=route,
                    also_available=also))


def test_contract_fields_reach_the_plan_and_the_annex(base):
    answers, profile, advice = base
    profile, advice = _rich(profile, advice)
    md = render_plan(Q, answers, profile, advice)
    annex = render_annex(Q, answers, profile, advice)
    heads = chapters(md)
    assert heads.index("Nu regelen") == heads.index("Besluitpunten voor het college") + 1
    assert "Uitvoeringsagenda" in heads[heads.index("Nu regelen"):]
    # Acute actions: public wording first in the agenda, case facts only in the annex.
    rows = [ln for ln in chapter(md, "Uitvoeringsagenda").splitlines() if ln.startswith("| ")]
    assert rows[1].startswith("| Nu regelen | Bereid de terugkeer")  # not tied to a component
    assert "| burgemeester |" in rows[1] and "reclassering, politie" in rows[1]
    assert "| nu | 8 uur per week |" in rows[1]
    assert CASE_FACT not in md and CASE_FACT in chapter(annex, "Nu regelen: de uitwerking")
    assert "stemt in met de acties die niet kunnen wachten" in chapter(
        md, "Besluitpunten voor het college")
    # A step as an Action: every field of the row comes from the advice.
    step = next(r for r in rows if "Leg de meldroute vast" in r)
    assert "| team OOV | sociaal domein | 0–3 maanden | 16 uur | Meldroute op intranet |" in step
    # The effort per action is summed up under Financiën.
    assert "8 uur per week (1 actie)" in chapter(md, "Financiën")
    # The route: when, a public reason, and the rest as 'ook beschikbaar'.
    route = chapter(md, "Externe ondersteuning")
    assert "| nu | **" in route and "| dit kwartaal | **" in route
    assert "**Ook beschikbaar** (bij behoefte):" in route
    for r in advice.also_available:
        assert f"- **{md_inline(r.name)}**: " in route.split("**Ook beschikbaar**")[1]
    # A public reason from the advice is shown first, for every body that has one.
    assert "Publieke reden nctv." in route
    # Threat: floor, borderline and themes in general terms; the gap as a count in public,
    # the question itself in the annex.
    summary = chapter(md, "Samenvatting")
    assert "Een ernstig signaal maakt de dreiging minstens verhoogd." in summary
    assert "wijk Oost" not in md and "wijk Oost" in chapter(annex, "Dreigingsbeeld")
    assert "dicht bij de grens" in summary and "Aandacht vraagt: terugkeer na detentie." in summary
    assert "online radicalisering" not in summary  # not present
    assert "Over 1 zware dreigingsvraag is nog niets bekend" in summary
    assert md_inline(Q.question("dreiging.casussen").text)[:50] not in md
    assert Q.question("dreiging.casussen").text[:50] in chapter(annex, "Dreigingsbeeld")


def test_public_reason_replaces_a_confidential_reason(base):
    from dataclasses import replace

    answers, profile, advice = base
    secret = Reason("Er zijn 3 casussen in de wijk Oost.", ("dreiging.casussen",),
                    confidential=True)
    rec = Recommendation("lse", "LSE", "Advies", "088", (secret,))
    plain = render_plan(Q, answers, profile, replace(advice, recommendations=(rec,)))
    assert THREAT_POINTER in chapter(plain, "Externe ondersteuning")
    told = render_plan(Q, answers, profile, replace(advice, recommendations=(
        replace(rec, public_reason="Steun aan families en naasten."),)))
    route = chapter(told, "Externe ondersteuning")
    assert "Steun aan families en naasten." in route and THREAT_POINTER not in route
    assert "wijk Oost" not in told


def test_agenda_falls_back_to_next_steps_with_filled_columns(base):
    """Steps given only as text (Priority.next_steps): the plan fills trekker, termijn,
    inzet and resultaat from plan.yaml, so no column is empty."""
    from dataclasses import replace

    answers, profile, advice = base
    advice = replace(advice, acute=(), priorities=tuple(
        replace(p, steps=()) for p in advice.priorities))
    md = render_plan(Q, answers, profile, advice)
    rows = [ln for ln in chapter(md, "Uitvoeringsagenda").splitlines() if ln.startswith("| ")][1:]
    first = advice.priorities[0]
    assert rows[0].startswith(f"| {md_inline(first.title)} | {md_inline(first.next_steps[0])} |")
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[2] == "aandachtsfunctionaris" and cells[4] in (
            "0–3 maanden", "3–12 maanden", "doorlopend")
        assert cells[5] == "vaste uren per week"  # 'gericht': raised threat
        assert cells[6].startswith("niveau ")


@pytest.mark.parametrize("answer", ["w", "weet niet", "Weet ik niet.", "nvt", "-", "?", "  x "])
def test_answers_that_say_nothing_become_open_points(answer):
    qid = "borgen-van-de-aanpak.welk-budget-heb-ik-beschikbaar"
    a = load_answers("examples/welderbroek.yaml", Q)
    a.values[qid] = answer
    md = render_plan(Q, a)
    table = chapter(md, "Activiteiten")
    heading = "Welk budget heeft de gemeente beschikbaar?"
    assert f"**{heading}**<br>_Nog uit te werken (zie Openstaande punten)._" in table
    points = chapter(md, "Nog uit te werken", 3)
    assert f"{heading} (het antwoord zegt nog niets)" in points
    assert "nog niet ingevuld" in chapter(md, "Financiën")


def test_first_person_answers_and_subheadings_read_in_the_third_person():
    a = load_answers("examples/welderbroek.yaml", Q)
    a.values["aandachtsfunctionaris-adviseur-radicalisering.wie-wordt-de-aandachtsfunctionaris-"
             "adviseur"] = "Mijzelf"
    plan, annex, _ = documents(Q, a)
    from wizard.plan.markdown_out import render

    md = render(plan)
    assert "Mijzelf" not in md and "De opsteller van deze zelfscan" in md
    for doc in (md, render(annex)):
        for line in doc.splitlines():
            if line.startswith("**") or "**Wie" in line or "**Hoe" in line:
                assert " ik " not in line and "?** ik" not in line
    for s in Q.components():
        for oq in s.open_questions():
            heading = third_person(oq.text, None)
            if oq.id not in ("persoonsgerichte-aanpak-pga-r.bij-wie-haal-ik-informatie-op",
                             "persoonsgerichte-aanpak-pga-r.welke-contacten-binnen-politie-en-om"):
                assert " ik " not in f" {heading} ", heading


def test_confidentiality_is_decided_by_one_predicate(monkeypatch):
    """A rule about the answer itself (issue 14: flagged case facts) is one line in
    confidential.confidential_ids, THE rule (is_confidential asks it for one question): the
    plan and the annex follow it everywhere. The marker is one the screening itself lets
    through, so only the changed rule can move it."""
    qid = "borgen-van-de-aanpak.hoe-betrek-ik-het-college"
    marker = "Rode Zeegroen-overleg"
    a = load_answers("examples/welderbroek.yaml", Q)
    a.values[qid] = f"Het college bespreekt het plan met het {marker}."
    assert marker in render_plan(Q, a)  # public by the rule as it is
    real = confidential.confidential_ids

    def flagged(q, answers=None):
        values = getattr(answers, "values", None) or {}
        return real(q, answers) | {i for i, v in values.items()
                                   if isinstance(v, str) and marker in v}

    monkeypatch.setattr(confidential, "confidential_ids", flagged)
    assert confidential.is_confidential(Q, qid, a)
    md = render_plan(Q, a)
    annex = render_annex(Q, a)
    assert marker not in md
    assert "Vertrouwelijk: het antwoord staat in de vertrouwelijke bijlage." in chapter(
        md, "Activiteiten")
    assert marker in chapter(annex, "Vertrouwelijke antwoorden bij de aanpak")


def test_no_threat_question_or_answer_in_the_public_plan_even_with_themes(base):
    answers, profile, advice = base
    profile, advice = _rich(profile, advice)
    md = render_plan(Q, answers, profile, advice)
    for s in Q.sections:
        if s.kind == "dreiging":
            for qq in s.questions:
                assert md_inline(qq.text) not in md


def test_plan_document_has_no_confidential_element(base):
    answers, profile, advice = base
    plan, annex, _ = documents(Q, answers, *_rich(profile, advice))
    assert plan.leaks() == []
    assert annex.classification == "vertrouwelijk"


def test_empty_answers_still_give_a_complete_plan():
    a = Answers(Q.id, Q.version, "2026-11-23", {"intake.gemeente": "Leegdorp"})
    md = render_plan(Q, a)
    assert chapters(md)[:3] == ["Aanleiding", "Samenvatting", "Besluitpunten voor het college"]
    assert "eerst een lokaal beeld nodig" in chapter(md, "Besluitpunten voor het college")


def test_a_short_scan_plan_says_what_was_not_asked():
    from wizard.answers.store import SCAN_KEY, SHORT

    a = load_answers("examples/welderbroek.yaml", Q)
    a.values = {k: v for k, v in a.values.items() if k in Q.short_ids()}
    a.session[SCAN_KEY] = SHORT
    plan, annex, _ = documents(Q, a)
    from wizard.plan.markdown_out import render

    md, ann = render(plan), render(annex)
    assert "**Soort zelfscan:** korte scan (" in md and "**Soort zelfscan:** korte scan" in ann
    assert "_Niet gevraagd in de korte scan_" in chapter(md, "Activiteiten")
    # What the short scan did not ask is no open point, and not in the answers table.
    assert "Nog uit te werken" not in chapter(md, "Openstaande punten")
    asked = chapter(ann, "Alle antwoorden")
    for qq in Q.questions():
        if qq.id not in Q.short_ids() and len(qq.text) > 30:
            assert md_inline(qq.text) not in asked, qq.id


def test_reliability_line_separates_profile_questions_from_open_questions():
    # Every scored question answered, one open question 'weet niet': the plan must not say
    # "100% ... beantwoord" and "weet niet gekozen" about the same questions.
    answers = load_answers(SCHELDER, Q)
    text_q = next(qq for qq in Q.questions()
                  if qq.kind == TEXT and qq.allows_unknown and qq.id in answers.values)
    answers.values[text_q.id] = "weet_niet"
    profile, advice = results(Q, answers)
    line = next(ln for ln in render_plan(Q, answers, profile, advice).splitlines()
                if ln.startswith("**Betrouwbaarheid:**"))
    assert "die het profiel bepalen (dreiging en stellingen)" in line
    open_unknown = sum(1 for i in profile.unknown_ids if Q.question(i).kind == TEXT)
    assert open_unknown >= 1
    assert f"bij {open_unknown} open vra" in line
