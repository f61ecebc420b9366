"""Advice: priorities and support bodies, each with reasons that cite real answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.assessment import advice, scoring
from wizard.errors import ValidationError
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import (
    CHOICE,
    CONFIDENTIAL,
    SCALE,
    TEXT,
    WEET_NIET,
    Option,
    Question,
    Questionnaire,
    Scale,
    Section,
)

DATA = Path(__file__).resolve().parent.parent / "questionnaires"
THREAT_IDS = ("dreiging.signalen", "dreiging.casussen", "dreiging.terugkeerders",
              "dreiging.polarisatie", "dreiging.online", "dreiging.groeperingen",
              "dreiging.incidenten-scholen", "dreiging.incidenten-gebedshuizen",
              "dreiging.families")
COMPONENT_IDS = ("borgen-van-de-aanpak", "aandachtsfunctionaris-adviseur-radicalisering",
                 "lokaal-beeld", "samenwerking", "preventieve-maatregelen",
                 "signaleren-en-melden", "persoonsgerichte-aanpak-pga-r",
                 "deskundigheidsbevordering", "bondgenotennetwerk-sleutelfigurennetwerk",
                 "handhaving", "externe-ondersteuning")
REGIONS = ("noord-nederland", "oost-nederland", "midden-nederland", "noord-holland",
           "amsterdam", "den-haag", "rotterdam", "zeeland-west-brabant", "oost-brabant",
           "limburg")


def build_q() -> Questionnaire:
    """A small questionnaire with the real ids (2 statements per component)."""
    vol = Scale("volwassenheid", "Ingericht?", tuple(Option(i, f"n{i}") for i in range(5)))
    thr = Scale("dreiging", "Hoe vaak?", tuple(Option(i, f"d{i}") for i in range(4)))
    intake = Section("intake", "Intake", "intake", (
        Question("intake.gemeente", TEXT, "Welke gemeente?", "intake"),
        Question("intake.politieregio", CHOICE, "Welke politieregio?", "intake",
                 options=tuple(Option(r, r.capitalize()) for r in REGIONS)),
        Question("intake.plan-aanwezig", CHOICE, "Is er een plan?", "intake",
                 options=(Option("ja", "Ja"), Option("verouderd", "Verouderd"),
                          Option("nee", "Nee"))),
    ))
    threat = Section("dreiging", "Dreiging", "dreiging", tuple(
        Question(t, SCALE, f"Vraag {t}?", "dreiging", scale_id="dreiging", options=thr.options,
                 classification=CONFIDENTIAL) for t in THREAT_IDS))
    comps = tuple(
        Section(cid, cid.replace("-", " ").capitalize(), "component", tuple(
            Question(f"{cid}.stelling-{i}", SCALE, f"Stelling {i}", cid,
                     scale_id="volwassenheid", options=vol.options, allows_na=True)
            for i in range(2)))
        for cid in COMPONENT_IDS)
    return Questionnaire("zelfscan", 1, "Test", (intake, threat) + comps,
                         scales={"volwassenheid": vol, "dreiging": thr},
                         config_files={"scoring": str(DATA / "scoring.yaml"),
                                       "ondersteuning": str(DATA / "ondersteuning.yaml")})


Q = build_q()
RULES = advice.load_rules(Q)
CFG = RULES.scoring
ALL_IDS = {x.id for x in Q.questions()}


def full(threat: object = 0, level: object = 2, region: str = "oost-nederland") -> dict:
    a: dict = {"intake.gemeente": "Testdorp", "intake.politieregio": region,
               "intake.plan-aanwezig": "ja"}
    a.update({t: threat for t in THREAT_IDS})
    for s in Q.components():
        for stm in s.statements():
            a[stm.id] = level
    return a


def set_component(a: dict, cid: str, value: object) -> dict:
    for stm in Q.section(cid).statements():
        a[stm.id] = value
    return a


def run(a: dict, q: Questionnaire = Q, rules: advice.SupportRules = RULES):
    profile = scoring.score(q, a, rules.scoring)
    return profile, advice.advise(q, a, profile, rules)


def bodies(adv) -> list[str]:
    return [r.body_id for r in adv.recommendations]


def rec(adv, bid: str):
    return next(r for r in adv.recommendations if r.body_id == bid)


# --------------------------------------------------------------------------- recommendations


def test_zvh_always_recommended_with_stronger_reason_for_cases() -> None:
    _, calm = run(full())
    assert "zvh" in bodies(calm)
    assert len(rec(calm, "zvh").reasons) == 1
    a = full()
    a["dreiging.casussen"] = 2
    _, cases = run(a)
    zvh = rec(cases, "zvh")
    assert "casusoverleg" in zvh.reasons[0].text  # strongest reason first
    assert zvh.when == "nu" and "casusoverleg" in zvh.public_reason
    assert "personen uit de gemeente" not in zvh.public_reason  # no case facts in public
    assert "dreiging.casussen" in zvh.reasons[0].question_ids
    assert zvh.reasons[0].confidential
    assert bodies(cases).index("zvh") <= bodies(calm).index("zvh")


def test_lse_for_worried_families() -> None:
    _, none = run(full())
    assert "lse" not in bodies(none)
    a = full()
    a["dreiging.families"] = 1
    _, adv = run(a)
    lse = rec(adv, "lse")
    assert lse.contact == "088 20 80 080, info@hetlse.nl."
    r = lse.reasons[0]
    assert "familie" in r.text and r.question_ids == ("dreiging.families",)
    assert lse.when == "nu" and "families en naasten" in lse.public_reason
    assert r.confidential  # threat answers are vertrouwelijk
    assert "Familiesteunpunt" in r.text


def test_ess_for_polarisation_without_key_figure_network() -> None:
    a = full(level=4)
    a["dreiging.polarisatie"] = 2
    set_component(a, "bondgenotennetwerk-sleutelfigurennetwerk", 0)
    _, adv = run(a)
    texts = [r.text for r in rec(adv, "ess").reasons]
    assert any("netwerk van sleutelfiguren" in t for t in texts)
    key = next(r for r in rec(adv, "ess").reasons if "netwerk van sleutelfiguren" in r.text)
    assert "dreiging.polarisatie" in key.question_ids
    assert "bondgenotennetwerk-sleutelfigurennetwerk.stelling-0" in key.question_ids
    assert "bondgenotennetwerk-sleutelfigurennetwerk" in key.section_ids

    set_component(a, "bondgenotennetwerk-sleutelfigurennetwerk", 4)
    _, adv2 = run(a)
    assert not any("netwerk van sleutelfiguren" in r.text for r in rec(adv2, "ess").reasons)
    a["dreiging.polarisatie"] = 0
    _, adv3 = run(a)
    assert "ess" not in bodies(adv3)


def test_var_only_in_rotterdam_region() -> None:
    _, rdam = run(full(region="rotterdam"))
    assert "var" in bodies(rdam)
    assert "intake.politieregio" in rec(rdam, "var").reasons[0].question_ids
    for region in REGIONS:
        if region != "rotterdam":
            _, adv = run(full(region=region, threat=WEET_NIET, level=WEET_NIET))
            assert "var" not in bodies(adv), region


answer_for = {
    "threat": st.sampled_from([0, 1, 2, 3, WEET_NIET, None]),
    "statement": st.sampled_from([0, 1, 2, 3, 4, WEET_NIET, "nvt", None]),
    "region": st.sampled_from(list(REGIONS) + [WEET_NIET, None]),
    "plan": st.sampled_from(["ja", "verouderd", "nee", None]),
}
STATEMENT_IDS = [stm.id for s in Q.components() for stm in s.statements()]


@st.composite
def random_answers(draw) -> dict:
    a: dict = {"intake.gemeente": "Testdorp"}
    for key, qid in (("region", "intake.politieregio"), ("plan", "intake.plan-aanwezig")):
        v = draw(answer_for[key])
        if v is not None:
            a[qid] = v
    for t in THREAT_IDS:
        v = draw(answer_for["threat"])
        if v is not None:
            a[t] = v
    for sid in STATEMENT_IDS:
        v = draw(answer_for["statement"])
        if v is not None:
            a[sid] = v
    return a


@settings(max_examples=150, deadline=None)
@given(random_answers())
def test_var_never_outside_rotterdam_and_every_item_has_reasons(a: dict) -> None:
    profile, adv = run(a)
    route = bodies(adv) + [r.body_id for r in adv.also_available]
    if a.get("intake.politieregio") != "rotterdam":
        assert "var" not in route
    else:
        assert "var" in route
    assert "zvh" in route
    assert len(adv.recommendations) <= RULES.max_recommended
    assert len(route) == len(set(route))  # a body once, recommended or also available
    order = ["nu", "dit kwartaal", "bij behoefte"]
    assert [order.index(r.when) for r in adv.recommendations] == \
        sorted(order.index(r.when) for r in adv.recommendations)
    for r in list(adv.recommendations) + list(adv.also_available):
        assert r.reasons and r.public_reason and r.when in order
        assert len({x.text for x in r.reasons}) == len(r.reasons)  # no duplicate reasons
    assert [p.component_id for p in adv.priorities] and \
        sorted(p.component_id for p in adv.priorities) == sorted(COMPONENT_IDS)
    assert [p.rank for p in adv.priorities] == list(range(1, 12))
    for item in list(adv.priorities) + list(adv.recommendations) + list(adv.also_available):
        assert item.reasons
        cited = [x for r in item.reasons for x in r.question_ids]
        rows = [x for r in item.reasons for x in r.section_ids]
        # A reason rests on answers or on template rows (the always-on ZVH reason cites the
        # Samenwerking row, and its statements only when they were answered).
        assert cited or rows, item
        assert set(cited) <= ALL_IDS
        assert set(rows) <= set(COMPONENT_IDS) | {s.split(".")[0] for s in ALL_IDS}
        for r in item.reasons:
            assert r.text and "{" not in r.text
            # Confidential only when it rests on a real threat answer, not on 'weet niet'.
            assert r.confidential == any(x.startswith("dreiging.") and a.get(x) not in
                                         (None, "weet_niet") for x in r.question_ids)
    for p in adv.priorities:
        assert p.next_steps and p.urgency in ("hoog", "middel", "laag")
    # Deterministic: same answers, same advice.
    assert advice.advise(Q, dict(a), scoring.score(Q, dict(a), CFG), RULES) == adv
    if profile.low_confidence:
        assert any(n.startswith("Begin met het vormen van een lokaal beeld") for n in adv.notes)


def test_many_unknowns_recommend_help_with_lokaal_beeld() -> None:
    profile, adv = run(full(threat=WEET_NIET, level=WEET_NIET, region="rotterdam"))
    assert profile.low_confidence
    nctv = rec(adv, "nctv")
    assert any("eerste lokaal beeld" in r.text for r in nctv.reasons)
    assert any("eerste lokaal beeld" in r.text for r in rec(adv, "var").reasons)
    assert adv.notes[0].startswith("Begin met het vormen van een lokaal beeld")
    _, calm = run(full())
    assert not any("eerste lokaal beeld" in r.text for r in rec(calm, "zvh").reasons)
    assert "nctv" not in bodies(calm)


def test_unknown_threat_is_not_confidential_but_a_real_threat_answer_is() -> None:
    # Everything unknown: the reasons cite the unanswered threat questions, yet that the
    # threat is unknown is no secret, so the public plan can show the reason itself.
    _, adv = run(full(threat=WEET_NIET, level=WEET_NIET))
    beeld = next(r for r in rec(adv, "nctv").reasons if "eerste lokaal beeld" in r.text)
    assert set(THREAT_IDS) <= set(beeld.question_ids)
    assert not beeld.confidential
    # One real threat answer among the unknowns makes a reason citing it confidential.
    a = full(threat=WEET_NIET, level=WEET_NIET)
    a["dreiging.signalen"] = 2
    _, adv = run(a)
    cited = [r for p in adv.priorities for r in p.reasons if "dreiging.signalen" in r.question_ids]
    assert cited and all(r.confidential for r in cited)


def test_assumed_threat_reason_says_the_threat_is_largely_unknown() -> None:
    a = full(threat=WEET_NIET, level=1)
    a["dreiging.polarisatie"] = 0  # a single known answer must not be cited as the reason
    profile, adv = run(a)
    assert profile.threat.assumed
    p = next(p for p in adv.priorities if p.required > CFG.component(p.component_id).base)
    r = next(r for r in p.reasons if r.text.startswith("De dreiging is grotendeels onbekend ("))
    assert f"de scan gaat daarom uit van een {profile.threat.phrase}" in r.text
    assert "dreiging.polarisatie" not in r.question_ids
    assert set(r.question_ids) == set(profile.threat.unknown_ids) and not r.confidential


def test_recommendations_ranked_by_summed_weight() -> None:
    a = full(threat=0, level=0)
    a["dreiging.families"] = 2
    a["dreiging.casussen"] = 2
    _, adv = run(a)
    weights = {r.id: r.weight for r in RULES.rules}
    by_reason_count = [len(r.reasons) for r in adv.recommendations]
    assert all(n >= 1 for n in by_reason_count)
    assert adv.recommendations[0].body_id in ("zvh", "lse", "nctv")
    assert [r.rank for r in adv.recommendations] == list(range(1, len(adv.recommendations) + 1))
    assert weights["lse-families"] == 3


# --------------------------------------------------------------------------- priorities


def test_priority_reason_cites_levels_and_template_row() -> None:
    a = full(threat=1, level=3)
    set_component(a, "signaleren-en-melden", 1)
    profile, adv = run(a)
    assert profile.threat.level == "verhoogd"
    top = adv.priorities[0]
    assert top.component_id == "signaleren-en-melden" and top.urgency == "hoog"
    # Families came with worries (answer 1): that theme asks one level more of the route.
    assert top.reasons[0].text == ("Huidig niveau 1 van 4, nodig bij verhoogde dreiging: 4 "
                                   "(onderdeel 'Signaleren en melden').")
    assert top.reasons[0].question_ids == ("signaleren-en-melden.stelling-0",
                                           "signaleren-en-melden.stelling-1")
    assert top.reasons[0].section_ids == ("signaleren-en-melden",)
    assert not top.reasons[0].confidential
    assert top.current == 1 and top.required == 4 and top.gap == 3
    assert any("steun aan families en naasten" in r.text for r in top.reasons)


def test_low_threat_at_basis_ranks_low_and_missing_basis_ranks_high() -> None:
    a = full(threat=0, level=1)
    set_component(a, "aandachtsfunctionaris-adviseur-radicalisering", 0)
    profile, adv = run(a)
    assert profile.threat.level == "laag"
    first = adv.priorities[0]
    assert first.component_id == "aandachtsfunctionaris-adviseur-radicalisering"
    assert first.urgency == "hoog"
    assert first.steps[0].term == "0–3 maanden"  # urgency 'hoog': within three months
    at_basis = next(p for p in adv.priorities if p.component_id == "preventieve-maatregelen")
    assert at_basis.urgency == "laag" and at_basis.gap == 0
    assert at_basis.rank > first.rank
    # A component at its required level gets maintenance steps, not a programme.
    assert at_basis.next_steps == tuple(s.replace("{titel}", at_basis.title)
                                        for s in CFG.steps("preventieve-maatregelen", "borgen"))


def test_unknown_level_ranks_high_when_threat_is_not_low() -> None:
    a = full(threat=2, level=4)
    set_component(a, "lokaal-beeld", WEET_NIET)
    _, adv = run(a)
    first = adv.priorities[0]
    assert first.component_id == "lokaal-beeld" and first.urgency == "hoog"
    assert first.current is None
    assert "Niveau onbekend" in first.reasons[0].text
    assert set(first.reasons[0].question_ids) == {"lokaal-beeld.stelling-0",
                                                  "lokaal-beeld.stelling-1"}
    a_low = set_component(full(threat=0, level=4), "lokaal-beeld", WEET_NIET)
    _, adv_low = run(a_low)
    low = next(p for p in adv_low.priorities if p.component_id == "lokaal-beeld")
    assert low.urgency != "hoog"


def test_ties_broken_by_questionnaire_order() -> None:
    _, adv = run(full(threat=0, level=4))
    assert [p.component_id for p in adv.priorities] == list(COMPONENT_IDS)


def test_real_questionnaire_advice() -> None:
    q = load_questionnaire()
    rules = advice.load_rules(q)
    a = {"intake.gemeente": "Testdorp", "intake.politieregio": "noord-nederland"}
    a.update({t.id: 1 for t in scoring.threat_questions(q)})
    for s in q.components():
        for stm in s.statements():
            a[stm.id] = 1
    profile = scoring.score(q, a, rules.scoring)
    adv = advice.advise(q, a, profile, rules)
    ids = {x.id for x in q.questions()}
    assert len(adv.priorities) == len(q.components())
    assert "var" not in bodies(adv) and {"zvh", "lse", "nctv"} <= set(bodies(adv))
    for item in list(adv.priorities) + list(adv.recommendations):
        cited = {x for r in item.reasons for x in r.question_ids}
        assert cited and cited <= ids


# --------------------------------------------------------------------------- bad files


def _variant(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    text = (DATA / "ondersteuning.yaml").read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    p = tmp_path / "ondersteuning.yaml"
    p.write_text(text, encoding="utf-8")
    return p, text[: text.index(new)].count("\n") + 1


@pytest.mark.parametrize("old,new,message", [
    ("    instantie: ssv\n", "    instantie: svv\n", "onbekende instantie 'svv'"),
    ("    als: {vraag: dreiging.families, minstens: 1}\n",
     "    als: {vraag: dreiging.familie, minstens: 1}\n", "onbekende vraag 'dreiging.familie'"),
    ("        - component: {id: deskundigheidsbevordering, tekort_minstens: 0.5}\n",
     "        - component: {id: deskundigheid, tekort_minstens: 0.5}\n",
     "onbekend onderdeel 'deskundigheid'"),
    ("(helpdesk, expertbezoek, training van docenten).\n    gewicht: 2\n",
     "(helpdesk, expertbezoek, training van docenten).\n    gewicht: veel\n",
     "'gewicht' moet een getal zijn"),
    ("    wanneer: nu\n", "    wanneer: morgen\n", "'wanneer' moet een van"),
    ("      is: rotterdam\n", "      is: Rotterdam\n", "'Rotterdam' is geen keuze"),
    ("    als: {dreiging: {minstens: hoog}}\n", "    als: {dreiging: {minstens: heel-hoog}}\n",
     "onbekend dreigingsniveau 'heel-hoog'"),
    ("    reden: \"De deskundigheid in de eigen organisatie blijft achter bij wat nodig is ({feiten})",
     "    reden: \"De deskundigheid in de eigen organisatie blijft achter bij wat nodig is ({feit})",
     "onbekend invulveld"),
])
def test_malformed_ondersteuning_yaml_gives_file_and_line(tmp_path: Path, old: str, new: str,
                                                          message: str) -> None:
    path, line = _variant(tmp_path, old, new)
    if "gewicht: veel" in new:
        line += 1  # the bad number is on the line after 'openbaar'
    with pytest.raises(ValidationError) as err:
        advice.load_rules(Q, path)
    hits = [p for p in err.value.problems if message in p.message]
    assert hits, [p.format() for p in err.value.problems]
    assert hits[0].file == str(path) and hits[0].line == line


def test_hard_constraint_cannot_be_bypassed_by_a_rule(tmp_path: Path) -> None:
    text = (DATA / "ondersteuning.yaml").read_text(encoding="utf-8")
    text += ("\n  - id: var-altijd\n    instantie: var\n    als: {altijd: ja}\n"
             "    onderbouwing: [lokaal-beeld]\n    reden: Altijd de VAR.\n    gewicht: 10\n")
    p = tmp_path / "o.yaml"
    p.write_text(text, encoding="utf-8")
    rules = advice.load_rules(Q, p)
    _, adv = run(full(region="noord-nederland"), rules=rules)
    assert "var" not in bodies(adv)
    _, adv = run(full(region="rotterdam"), rules=rules)
    assert bodies(adv)[0] == "var"
