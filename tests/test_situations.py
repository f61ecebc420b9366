"""Situations as a specification (issue 12): what an experienced adviser expects of the plan.

Each answers file in tests/fixtures/situations/ describes a municipality in a distinct
situation; verwacht.yaml says the headline level, what comes first, the acute actions, the
bodies recommended and not, and steps that must or must not appear. Asserted on the results
and on the plan and annex as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import chapter, chapters

from wizard.answers.store import load_answers
from wizard.assessment import advice as advice_mod
from wizard.assessment import scoring
from wizard.plan.markdown_out import md_inline
from wizard.plan.output import render_annex, render_plan
from wizard.plan.overview import regional_overview_markdown
from wizard.questionnaire.loader import load_questionnaire

HERE = Path(__file__).resolve().parent / "fixtures" / "situations"
EXPECTED = yaml.safe_load((HERE / "verwacht.yaml").read_text(encoding="utf-8"))
SHORT = ("tekort", "onbekend")


@pytest.fixture(scope="module")
def env():
    q = load_questionnaire()
    cfg = scoring.load_config(q)
    return q, cfg, advice_mod.load_rules(q, config=cfg)


@pytest.fixture(scope="module")
def outcomes(env):
    q, cfg, rules = env
    out = {}
    for name in EXPECTED:
        answers = load_answers(HERE / f"{name}.yaml", q)
        profile = scoring.score(q, answers, cfg)
        adv = advice_mod.advise(q, answers, profile, rules)
        out[name] = (answers, profile, adv, render_plan(q, answers, profile, adv),
                     render_annex(q, answers, profile, adv))
    return out


def test_at_least_twelve_distinct_situations():
    files = sorted(p.stem for p in HERE.glob("*.yaml") if p.name != "verwacht.yaml")
    assert files == sorted(EXPECTED) and len(files) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_results_follow_the_situation(outcomes, name):
    exp = EXPECTED[name]
    _, profile, adv, _, _ = outcomes[name]
    assert profile.threat.level == exp["dreiging"]
    short = [p for p in adv.priorities if p.status in SHORT]
    if exp["eerst"]:
        assert adv.has_shortfall
        assert short[0].component_id == exp["eerst"]
        assert adv.priorities[0].component_id == exp["eerst"]
        top3 = [p.component_id for p in adv.top(3)]
        assert set(exp.get("top3", [])) <= set(top3), top3
    else:
        assert not adv.has_shortfall and not short
    assert [a.id for a in adv.acute] == exp["acuut"]
    recommended = {r.body_id for r in adv.recommendations}
    assert set(exp["wel"]) <= recommended, recommended
    assert not set(exp["niet"]) & recommended, recommended
    steps = {s.id for p in adv.priorities for s in p.steps}
    assert set(exp.get("stappen", [])) <= steps, sorted(steps)
    assert not set(exp.get("geen_stappen", [])) & steps
    assert list(profile.threat.gaps) == exp.get("gaten", [])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_plan_says_it(outcomes, name):
    exp = EXPECTED[name]
    _, profile, adv, md, annex = outcomes[name]
    heads = chapters(md)
    summary = chapter(md, "Samenvatting")
    # 'Nu regelen' first, in general terms; the detail only in the annex.
    if adv.acute:
        assert heads.index("Nu regelen") < heads.index("Uitvoeringsagenda")
        now = chapter(md, "Nu regelen")
        agenda = chapter(md, "Uitvoeringsagenda")
        rows = [ln for ln in agenda.splitlines() if ln.startswith("| ")][1:]
        for i, a in enumerate(adv.acute):
            assert md_inline(a.text) in now
            assert md_inline(a.text) in rows[i]  # acute actions open the agenda
            if a.detail:
                assert md_inline(a.detail) not in md and md_inline(a.detail) in annex
            assert a.reason is not None and md_inline(a.reason.text) in annex
    else:
        assert "Nu regelen" not in md
    if exp["eerst"]:
        first = next(p for p in adv.priorities if p.status in SHORT)
        prio = summary.split("**Prioriteiten**", 1)[1]
        assert prio.strip().splitlines()[0].startswith(f"1. **{md_inline(first.title)}**")
    else:
        assert "**Bijhouden:** geen onderdeel heeft een tekort" in summary
        assert "urgentie" not in summary
    route = chapter(md, "Externe ondersteuning")
    rows = [ln for ln in route.splitlines() if ln.startswith("| ") and "| Wanneer |" not in ln]
    assert len(rows) == len(adv.recommendations)
    for r, row in zip(adv.recommendations, rows):  # in the order to contact them
        assert row.startswith(f"| {r.when} | **{md_inline(r.name)}**")
        assert md_inline(r.public_reason) in row
    # Every step the advice chose is in the plan's agenda.
    agenda = chapter(md, "Uitvoeringsagenda")
    for p in adv.priorities:
        if p.status in SHORT:
            for st in p.steps:
                assert md_inline(st.text) in agenda, st.id
    # A floor's reason may name the fact: annex only; the public plan says it in general.
    if profile.threat.floor:
        assert md_inline(profile.threat.floor) not in md
        assert md_inline(profile.threat.floor) in annex
        assert md_inline(profile.threat.floor_public) in md


def test_regional_overview_has_no_priorities_for_municipalities_without_shortfall(env, outcomes):
    q = env[0]
    items = [(q, answers, profile, adv) for answers, profile, adv, _, _ in outcomes.values()]
    md = regional_overview_markdown(items)
    shared = md.split("Samen oppakken", 1)[1].split("\n##", 1)[0]
    calm = [answers.values["intake.gemeente"] for answers, _, adv, _, _ in outcomes.values()
            if not adv.has_shortfall]
    assert calm
    for name in calm:
        assert name not in shared


def test_themes_that_share_a_public_label_are_named_once_in_the_plan_and_apart_in_the_annex(
        outcomes):
    """A live case and a return from detention are both 'persoonsgerichte aanpak' in public
    (a return is recognisable in a small municipality): the plan names it once; the
    confidential annex tells the two apart."""
    _, profile, _adv, md, annex = outcomes["hoge-dreiging-buiten-rotterdam"]
    present = {th.id for th in profile.threat.themes if th.present}
    assert {"personen", "terugkeer"} <= present
    attention = next(ln for ln in md.splitlines() if "Aandacht vraagt:" in ln)
    assert attention.count("persoonsgerichte aanpak") == 1
    rows = [ln for ln in annex.splitlines() if ln.startswith("| persoonsgerichte aanpak")]
    assert len(rows) == 2 and rows[0] != rows[1]
    assert "casusoverleg" in rows[0] and "gedetineerden" in rows[1]


def _reported(name: str, question: str) -> int:
    answers = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))["antwoorden"]
    value = answers.get(question)
    return value if isinstance(value, int) else 0


INCIDENT = sorted(n for n in EXPECTED if _reported(n, "dreiging.incidenten-gebedshuizen") >= 1)


def test_some_situations_report_an_incident():
    assert len(INCIDENT) >= 2


@pytest.mark.parametrize("name", INCIDENT)
def test_no_step_says_there_is_no_incident_where_there_was_one(outcomes, name):
    """A step is chosen because of the answers, so its text may not contradict them: where an
    incident at a place of worship was reported, no step speaks of 'no incident' (the key
    figures' step did: 'ook als er op dit moment geen incident is')."""
    assert "geen incident" not in outcomes[name][3]
