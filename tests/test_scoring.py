"""Scoring: threat versus resilience, proportionate; 'weet niet' is information."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.assessment import scoring
from wizard.errors import ValidationError
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import (
    CHOICE,
    CONFIDENTIAL,
    NVT,
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
BASIS_COMPONENTS = ("aandachtsfunctionaris-adviseur-radicalisering", "signaleren-en-melden",
                    "samenwerking", "externe-ondersteuning")
REGIONS = ("noord-nederland", "oost-nederland", "midden-nederland", "noord-holland",
           "amsterdam", "den-haag", "rotterdam", "zeeland-west-brabant", "oost-brabant",
           "limburg")


def build_q(extra_components: tuple[str, ...] = (), statements: int = 2,
            scoring_file: Path | None = None) -> Questionnaire:
    """A small questionnaire with the real ids, so the shipped rule files validate."""
    vol = Scale("volwassenheid", "Ingericht?", tuple(Option(i, f"n{i}") for i in range(5)),
                True, True)
    thr = Scale("dreiging", "Hoe vaak?", tuple(Option(i, f"d{i}") for i in range(4)), True, False)
    intake = Section("intake", "Intake", "intake", (
        Question("intake.gemeente", TEXT, "Welke gemeente?", "intake"),
        Question("intake.politieregio", CHOICE, "Welke politieregio?", "intake",
                 options=tuple(Option(r, r) for r in REGIONS)),
        Question("intake.plan-aanwezig", CHOICE, "Is er een plan?", "intake",
                 options=(Option("ja", "Ja"), Option("verouderd", "Verouderd"),
                          Option("nee", "Nee"))),
    ))
    threat = Section("dreiging", "Dreiging", "dreiging", tuple(
        Question(t, SCALE, f"Vraag {t}?", "dreiging", scale_id="dreiging", options=thr.options,
                 classification=CONFIDENTIAL) for t in THREAT_IDS), classification=CONFIDENTIAL)
    comps = tuple(
        Section(cid, cid.replace("-", " ").capitalize(), "component", tuple(
            Question(f"{cid}.stelling-{i}", SCALE, f"Stelling {i}", cid, scale_id="volwassenheid",
                     options=vol.options, allows_na=True) for i in range(statements)
        ) + (Question(f"{cid}.open-vraag", TEXT, "Hoe?", cid),))
        for cid in COMPONENT_IDS + extra_components)
    return Questionnaire(
        "zelfscan", 1, "Test", (intake, threat) + comps, scales={"volwassenheid": vol,
                                                                "dreiging": thr},
        config_files={"scoring": str(scoring_file or DATA / "scoring.yaml"),
                      "ondersteuning": str(DATA / "ondersteuning.yaml")})


Q = build_q()
CFG = scoring.load_config(Q)


def full(threat: int | str = 0, level: int | str = 2, **over: object) -> dict:
    """Answers: every threat question `threat`, every statement `level`, plus overrides."""
    a: dict = {"intake.gemeente": "Testdorp", "intake.politieregio": "oost-nederland"}
    a.update({t: threat for t in THREAT_IDS})
    for s in Q.components():
        for stm in s.statements():
            a[stm.id] = level
    a.update({k.replace("__", "."): v for k, v in over.items()})
    return a


def set_component(a: dict, cid: str, value: object, q: Questionnaire = Q) -> dict:
    for stm in q.section(cid).statements():
        a[stm.id] = value
    return a


# --------------------------------------------------------------------------- config


def test_real_questionnaire_config_covers_every_component() -> None:
    q = load_questionnaire()
    cfg = scoring.load_config(q)
    assert {s.id for s in q.components()} == set(cfg.components)
    assert set(THREAT_IDS) <= {x.id for x in scoring.threat_questions(q)}
    for cid in BASIS_COMPONENTS:
        assert cfg.component(cid).base == 2
    for c in cfg.components.values():
        for band in ("beginnen", "opbouwen", "borgen", "onbekend"):
            assert 1 <= len(cfg.steps(c.id, band)) <= 4


def test_required_level_rises_with_threat_and_never_below_basis() -> None:
    for cid in COMPONENT_IDS + ("een-nieuwe-rij",):
        req = [CFG.required_level(cid, lv.id) for lv in CFG.threat_levels]
        assert req == sorted(req), cid
        assert all(CFG.component(cid).base <= r <= 4 for r in req), cid
    assert CFG.required_level("signaleren-en-melden", "laag") == 2
    assert CFG.required_level("signaleren-en-melden", "verhoogd") == 3
    assert CFG.required_level("preventieve-maatregelen", "laag") == 1
    assert CFG.required_level("samenwerking", "hoog") == 4


def test_required_levels_in_profile_follow_the_threat() -> None:
    low = scoring.score(Q, full(threat=0), CFG)
    high = scoring.score(Q, full(threat=3), CFG)
    assert low.threat.level == "laag" and high.threat.level == "hoog"
    for a, b in zip(low.components, high.components):
        assert b.required >= a.required >= a.base
    assert low.component("signaleren-en-melden").required == 2


# --------------------------------------------------------------------------- threat


@pytest.mark.parametrize("value,level", [(0, "laag"), (1, "verhoogd"), (2, "hoog"),
                                         (3, "hoog")])
def test_threat_level_moves_with_answers(value: int, level: str) -> None:
    p = scoring.score(Q, full(threat=value), CFG)
    assert p.threat.level == level
    assert p.threat.known == len(THREAT_IDS) and p.threat.unknown == 0
    assert p.threat.score == pytest.approx(value / 3, abs=1e-3)


def test_one_pga_case_raises_threat_above_low() -> None:
    p = scoring.score(Q, full(threat=0, dreiging__casussen=1), CFG)
    assert p.threat.level == "verhoogd"


def test_unknown_threat_is_not_a_low_threat() -> None:
    p = scoring.score(Q, full(threat=WEET_NIET), CFG)
    assert p.threat.score is None
    assert p.threat.level == "verhoogd" and p.threat.assumed
    assert "Onbekend" in p.threat.label
    assert p.threat.unknown_ids == THREAT_IDS
    assert p.low_confidence and p.quadrant.id == "eerst-beeld-vormen"
    assert set(THREAT_IDS) <= set(p.unknown_ids)


def test_skipped_threat_counts_as_unknown_not_as_zero() -> None:
    a = full(threat=0)
    for t in THREAT_IDS[:6]:
        del a[t]
    p = scoring.score(Q, a, CFG)
    assert p.threat.known == 3 and p.threat.unknown == 6
    assert p.threat.level != "laag"  # too little known: assume at least verhoogd
    assert set(THREAT_IDS[:6]) <= set(p.skipped_ids)


threat_value = st.sampled_from([0, 1, 2, 3, WEET_NIET, None])
statement_value = st.sampled_from([0, 1, 2, 3, 4, WEET_NIET, NVT, None])


def _answers(threats: list, statements: list) -> dict:
    a: dict = {}
    for t, v in zip(THREAT_IDS, threats):
        if v is not None:
            a[t] = v
    ids = [stm.id for s in Q.components() for stm in s.statements()]
    for i, v in zip(ids, statements):
        if v is not None:
            a[i] = v
    return a


N_STATEMENTS = sum(len(s.statements()) for s in Q.components())


@settings(max_examples=150, deadline=None)
@given(st.lists(threat_value, min_size=9, max_size=9),
       st.lists(statement_value, min_size=N_STATEMENTS, max_size=N_STATEMENTS),
       st.data())
def test_weet_niet_is_information_not_a_score(threats: list, statements: list, data) -> None:
    """Replacing any answer by weet_niet: component level as if the statement were removed,
    confidence lower, threat never lower than with a 0, resilience never higher than
    with a 4."""
    base = _answers(threats, statements)
    scored = [k for k, v in base.items() if isinstance(v, int)]
    if not scored:
        return
    qid = data.draw(st.sampled_from(sorted(scored)))
    orig = scoring.score(Q, base, CFG)
    wn = scoring.score(Q, {**base, qid: WEET_NIET}, CFG)
    removed = {k: v for k, v in base.items() if k != qid}
    rem = scoring.score(Q, removed, CFG)
    zero = scoring.score(Q, {**base, qid: 0}, CFG)
    top = scoring.score(Q, {**base, qid: 3 if qid.startswith("dreiging.") else 4}, CFG)

    assert [c.level for c in wn.components] == [c.level for c in rem.components]
    assert wn.threat.level == rem.threat.level
    assert wn.confidence < orig.confidence
    assert qid in wn.unknown_ids
    assert wn.threat.rank >= zero.threat.rank
    # For a statement, 4 is the best case: 'weet niet' never makes resilience higher. (For a
    # threat question the top answer also brings its theme, which asks more: no bound.)
    if not qid.startswith("dreiging.") and wn.threat.level == top.threat.level \
            and wn.resilience_share is not None:
        assert wn.resilience_share <= top.resilience_share
    if not qid.startswith("dreiging."):
        cid = qid.split(".")[0]
        comp = wn.component(cid)
        assert qid in comp.unknown_ids
        # Also equal to a questionnaire without that statement at all.
        sec = Q.section(cid)
        q2 = Questionnaire(Q.id, Q.version, Q.title, tuple(
            s if s.id != cid else Section(s.id, s.title, s.kind, tuple(
                x for x in s.questions if x.id != qid)) for s in Q.sections),
            scales=Q.scales, config_files=Q.config_files)
        assert scoring.score(q2, removed, CFG).component(cid).level == comp.level
        assert sec is not None


@settings(max_examples=80, deadline=None)
@given(st.lists(threat_value, min_size=9, max_size=9),
       st.lists(statement_value, min_size=N_STATEMENTS, max_size=N_STATEMENTS))
def test_raising_a_threat_answer_never_lowers_the_threat(threats: list, statements: list) -> None:
    base = _answers(threats, statements)
    before = scoring.score(Q, base, CFG)
    for t in THREAT_IDS:
        v = base.get(t)
        if isinstance(v, int) and v < 3:
            after = scoring.score(Q, {**base, t: v + 1}, CFG)
            assert after.threat.rank >= before.threat.rank


def test_all_unknown_component_is_never_on_level() -> None:
    a = set_component(full(threat=0, level=4), "samenwerking", WEET_NIET)
    p = scoring.score(Q, a, CFG)
    c = p.component("samenwerking")
    assert c.level is None and c.gap is None and c.status == "onbekend"
    assert c.unknown == 2 and c.answered == 0
    assert p.resilience_share == pytest.approx(10 / 11, abs=1e-3)


def test_nvt_is_excluded() -> None:
    a = full(threat=0, level=4)
    a["handhaving.stelling-0"] = NVT
    p = scoring.score(Q, a, CFG)
    c = p.component("handhaving")
    assert c.level == 4 and c.not_applicable == 1 and c.confidence == 1.0
    assert p.confidence == 1.0
    p2 = scoring.score(Q, set_component(full(threat=0, level=4), "handhaving", NVT), CFG)
    assert p2.component("handhaving").status == "nvt"
    assert p2.resilience_share == 1.0  # not counted as short


def test_component_level_is_mean_of_answered_statements() -> None:
    a = full(threat=0)
    a["lokaal-beeld.stelling-0"] = 1
    a["lokaal-beeld.stelling-1"] = 4
    c = scoring.score(Q, a, CFG).component("lokaal-beeld")
    assert c.level == 2.5 and c.required == 1 and c.gap == -1.5 and c.status == "op orde"


# --------------------------------------------------------------------------- quadrants


@pytest.mark.parametrize("threat,level,quadrant,resilience", [
    (0, 2, "basis-op-orde", "Hoog"),        # low threat, every component at basis (2 >= 1/2)
    (0, 1, "basis-versterken", "Gemiddeld"),  # basis components (2) short
    (3, 4, "alert-en-toegerust", "Hoog"),
    (3, 2, "urgent-versterken", "Laag"),
])
def test_four_quadrants(threat: int, level: int, quadrant: str, resilience: str) -> None:
    p = scoring.score(Q, full(threat=threat, level=level), CFG)
    assert not p.low_confidence and p.confidence == 1.0
    assert p.quadrant.id == quadrant
    assert p.resilience_label == resilience
    assert p.quadrant.name and p.quadrant.meaning


def test_low_confidence_quadrant_when_many_statements_unknown() -> None:
    a = full(threat=0, level=2)
    for cid in COMPONENT_IDS[:5]:
        set_component(a, cid, WEET_NIET)  # 10 of 31 scored unknown: under 40 %
    assert not scoring.score(Q, a, CFG).low_confidence
    set_component(a, COMPONENT_IDS[5], WEET_NIET)
    set_component(a, COMPONENT_IDS[6], None)
    a = {k: v for k, v in a.items() if v is not None}  # 14 of 31 unknown: over 40 %
    p = scoring.score(Q, a, CFG)
    assert p.low_confidence and p.quadrant.id == "eerst-beeld-vormen"
    assert p.scored_unknown == 14 and p.scored_total == 31


def test_hidden_questions_do_not_count() -> None:
    thr = Q.section("dreiging")
    gated = tuple(
        x if x.id != "dreiging.families" else Question(
            x.id, x.kind, x.text, x.section_id, scale_id=x.scale_id, options=x.options,
            classification=x.classification,
            condition={"vraag": "dreiging.casussen", "minstens": 1})
        for x in thr.questions)
    q2 = Questionnaire(Q.id, Q.version, Q.title, tuple(
        s if s.id != "dreiging" else Section(s.id, s.title, s.kind, gated) for s in Q.sections),
        scales=Q.scales, config_files=Q.config_files)
    p = scoring.score(q2, full(threat=0, dreiging__families=3), CFG)
    assert p.threat.total == 8 and p.threat.level == "laag"
    assert "dreiging.families" not in p.skipped_ids


def test_new_template_row_gets_defaults() -> None:
    q2 = build_q(extra_components=("nieuwe-rij",))
    cfg = scoring.load_config(q2)
    p = scoring.score(q2, set_component(full(threat=0), "nieuwe-rij", 0, q2), cfg)
    c = p.component("nieuwe-rij")
    assert c.required == 1 and c.base == 1 and c.status == "tekort"
    assert cfg.steps("nieuwe-rij", "beginnen") == cfg.default_steps["beginnen"]


def test_score_is_deterministic_and_accepts_answers_objects() -> None:
    class A:
        values = full(threat=1, level=3)
        skipped: ClassVar[list] = []

    assert scoring.score(Q, A(), CFG) == scoring.score(Q, dict(A.values), CFG)


def test_objectives_are_reported() -> None:
    real = load_questionnaire()
    cfg = scoring.load_config(real)
    obj = next(s for s in real.sections if s.kind == "doelstellingen").statements()[0]
    p = scoring.score(real, {obj.id: 3}, cfg)
    found = next(o for o in p.objectives if o.id == obj.id)
    assert found.value == 3 and found.label.startswith("3")


def test_real_questionnaire_scores_a_full_answer_set() -> None:
    real = load_questionnaire()
    cfg = scoring.load_config(real)
    a = {t.id: 1 for t in scoring.threat_questions(real)}
    for s in real.components():
        for stm in s.statements():
            a[stm.id] = 3
    p = scoring.score(real, a, cfg)
    assert p.threat.level == "verhoogd" and not p.low_confidence
    # Every theme is present (a case, a return, a family, ...): the components those themes
    # ask more of need 4 and fall short at 3; the others are at their level.
    raised = {cid for t in cfg.themes for cid in t.raises}
    assert {c.id for c in p.components if c.status == "tekort"} == \
        {c.id for c in p.components if c.id in raised and c.required == 4}
    assert p.component("persoonsgerichte-aanpak-pga-r").required == 4
    assert all(c.status == "op orde" for c in p.components if c.id not in raised)
    for s in real.components():
        for stm in s.statements():
            a[stm.id] = 4
    p = scoring.score(real, a, cfg)
    assert p.quadrant.id == "alert-en-toegerust"
    assert all(c.status == "op orde" for c in p.components)


# --------------------------------------------------------------------------- bad files


def _write_variant(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    text = (DATA / "scoring.yaml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    p = tmp_path / "scoring.yaml"
    p.write_text(text, encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 1 + new[: len(new) - len(new.lstrip("\n"))].count("\n")
    return p, line


@pytest.mark.parametrize("old,new,message", [
    ("    - id: lokaal-beeld\n", "    - id: lokaal-beeldd\n", "onbekend onderdeel 'lokaal-beeldd'"),
    ("    dreiging.online: 1\n", "    dreiging.onlien: 1\n", "onbekende dreigingsvraag 'dreiging.onlien'"),
    ("  maximaal_onbekend: 0.4", "  maximaal_onbekend: veertig", "moet een getal zijn"),
    ("  maximaal_onbekend: 0.4", "  maximaal_onbekend: 1.5", "tussen 0 en 1"),
    ("      basis: 2\n      belang: 1.5\n", "      basis: 2.5\n      belang: 1.5\n",
     "geheel getal"),
    ("  bij_onbekend: verhoogd", "  bij_onbekend: middel", "onbekend dreigingsniveau 'middel'"),
    ("betrokken zijn (bijvoorbeeld OOV", "betrokken zijn ({naam} OOV", "onbekend invulveld"),
])
def test_malformed_scoring_yaml_gives_file_and_line(tmp_path: Path, old: str, new: str,
                                                    message: str) -> None:
    path, line = _write_variant(tmp_path, old, new)
    with pytest.raises(ValidationError) as err:
        scoring.load_config(Q, path)
    hits = [p for p in err.value.problems if message in p.message]
    assert hits, [p.format() for p in err.value.problems]
    assert hits[0].file == str(path)
    assert hits[0].line == line


def test_malformed_scoring_yaml_reports_every_problem(tmp_path: Path) -> None:
    text = (DATA / "scoring.yaml").read_text(encoding="utf-8")
    text = text.replace("    - id: handhaving\n", "    - id: handhavingg\n")
    text = text.replace("  onbekend_tekort: 2\n", "  onbekend_tekort: twee\n")
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        scoring.load_config(Q, p)
    msgs = " | ".join(x.message for x in err.value.problems)
    assert "handhavingg" in msgs and "onbekend_tekort" in msgs
    assert all(x.line for x in err.value.problems)


def test_scoring_and_advice_do_not_import_ui_libraries() -> None:
    code = ("import sys, wizard.assessment.scoring, wizard.assessment.advice\n"
            "bad = [m for m in ('prompt_toolkit', 'jinja2') if m in sys.modules]\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=str(DATA.parent))
    assert out.stdout.strip() == ""
