"""Invariants of the situation advice (issue 12) on the real questionnaire and rule files,
the contradiction table for steps, and file:line errors for stappen.yaml and acuut.yaml."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.answers.store import load_answers
from wizard.assessment import advice as advice_mod
from wizard.assessment import scoring
from wizard.cli import main
from wizard.files.resources import data_dir
from wizard.questionnaire.loader import load_questionnaire

Q = load_questionnaire()
CFG = scoring.load_config(Q)
RULES = advice_mod.load_rules(Q, config=CFG)
THREAT_IDS = [t.id for t in scoring.threat_questions(Q)]
STATEMENTS = [st_.id for s in Q.components() for st_ in s.statements()]
AFS = "aandachtsfunctionaris-adviseur-radicalisering"
ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
    p for p in (ROOT / "tests" / "fixtures" / "situations").glob("*.yaml")
    if p.name != "verwacht.yaml")


def num(v: Any) -> float | None:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def below(v: Any, n: float) -> bool:
    x = num(v)
    return x is not None and x < n


def mentions(v: Any, *words: str) -> bool:
    return isinstance(v, str) and any(w in v.casefold() for w in words)


# A step (matched on its text) that would contradict the answers when the predicate holds.
CONTRADICTIONS: list[tuple[str, Callable[[Mapping[str, Any]], bool]]] = [
    (r"Wijs een aandachtsfunctionaris aan",
     lambda a: (num(a.get(f"{AFS}.stelling-de-gemeente-stelt-een-interne")) or 0) >= 1),
    (r"wijs een vervanger aan|Regel vervanging",
     lambda a: mentions(a.get(f"{AFS}.wie-wordt-de-aandachtsfunctionaris-adviseur"),
                        "vervang", "back-up", "backup")),
    (r"Leg de aanwijzing van de aandachtsfunctionaris",
     lambda a: not 1 <= (num(a.get(f"{AFS}.stelling-de-gemeente-stelt-een-interne")) or 0) <= 2),
    (r"Evalueer afgesloten casussen",
     lambda a: not ((num(a.get("dreiging.casussen")) or 0) >= 1
                    or (num(a.get("dreiging.terugkeerders")) or 0) >= 1)),
    (r"Evalueer de procesafspraken",
     lambda a: below(a.get("handhaving.stelling-ondanks-dat-dit-geen-primaire"), 3)
     or a.get("handhaving.stelling-ondanks-dat-dit-geen-primaire") is None
     or mentions(a.get("handhaving.welke-procesafspraken-maak-ik-hierover-met"),
                 "geen afspraken", "geen aparte", "geen specifieke", "nog geen")),
    (r"Evalueer het plan van aanpak eens per twee jaar",
     lambda a: a.get("intake.plan-aanwezig") != "ja"),
    (r"Actualiseer het plan van aanpak", lambda a: a.get("intake.plan-aanwezig") != "verouderd"),
    (r"Stel met dit concept een plan van aanpak op", lambda a: a.get("intake.plan-aanwezig") != "nee"),
    (r"Houd het netwerk van sleutelfiguren warm",
     lambda a: below(a.get("bondgenotennetwerk-sleutelfigurennetwerk."
                           "stelling-er-worden-regelmatig-bijeenkomsten-of"), 2)),
    (r"Gebruik de Quickscan van de VAR", lambda a: a.get("intake.politieregio") != "rotterdam"),
    # Never point back at the tool: an unknown is found out with someone.
    (r"opnieuw in|zelfscan", lambda a: True),
]


def contradictions(values: Mapping[str, Any], adv: Any) -> list[str]:
    found = []
    for p in adv.priorities:
        for s in p.steps:
            for pattern, contradicts in CONTRADICTIONS:
                if re.search(pattern, s.text, flags=re.IGNORECASE) and contradicts(values):
                    found.append(f"{p.component_id}: {s.text}")
    return found


def run(a: Mapping[str, Any]):
    profile = scoring.score(Q, a, CFG)
    return profile, advice_mod.advise(Q, a, profile, RULES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_step_contradicts_an_answer_in_examples_and_situations(path):
    answers = load_answers(path, Q)
    _, adv = run(answers.values)
    assert contradictions(answers.values, adv) == []


threat_value = st.one_of(st.integers(0, 3), st.just("weet_niet"), st.none())
statement_value = st.one_of(st.integers(0, 4), st.just("weet_niet"), st.just("nvt"), st.none())
deputy = st.sampled_from([None, "De beleidsadviseur OOV.", "OOV, met een vervanger bij het sociaal team."])
agreements = st.sampled_from([None, "Geen specifieke afspraken.", "Vaste afspraken in de driehoek."])


@st.composite
def answers(draw) -> dict:
    a: dict = {"intake.gemeente": "Proefdorp"}
    a["intake.politieregio"] = draw(st.sampled_from(["rotterdam", "oost-nederland",
                                                     "noord-nederland", "weet_niet"]))
    a["intake.plan-aanwezig"] = draw(st.sampled_from(["ja", "nee", "verouderd", "weet_niet"]))
    for t in THREAT_IDS:
        v = draw(threat_value)
        if v is not None:
            a[t] = v
    for sid in STATEMENTS:
        v = draw(statement_value)
        if v is not None:
            a[sid] = v
    for qid, strat in ((f"{AFS}.wie-wordt-de-aandachtsfunctionaris-adviseur", deputy),
                       ("handhaving.welke-procesafspraken-maak-ik-hierover-met", agreements)):
        v = draw(strat)
        if v is not None:
            a[qid] = v
    return a


SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(answers())
def test_no_step_contradicts_an_answer_on_generated_answers(a):
    _, adv = run(a)
    assert contradictions(a, adv) == []


@SETTINGS
@given(answers(), st.data())
def test_adding_a_threat_fact_never_lowers_a_requirement_or_drops_an_acute_action(a, data):
    known = [t for t in THREAT_IDS if num(a.get(t)) is not None and a[t] < 3]
    if not known:
        return
    qid = data.draw(st.sampled_from(known))
    more = {**a, qid: data.draw(st.integers(int(a[qid]) + 1, 3))}
    before, adv_before = run(a)
    after, adv_after = run(more)
    assert after.threat.rank >= before.threat.rank
    for c in before.components:
        assert after.component(c.id).required >= c.required, c.id
    assert {x.id for x in adv_before.acute} <= {x.id for x in adv_after.acute}


@SETTINGS
@given(answers())
def test_every_body_has_a_reason_and_the_var_stays_in_rotterdam(a):
    _, adv = run(a)
    route = list(adv.recommendations) + list(adv.also_available)
    assert len(adv.recommendations) <= RULES.max_recommended
    for r in route:
        assert r.reasons and all(x.text for x in r.reasons) and r.public_reason
        assert len({x.text for x in r.reasons}) == len(r.reasons)
    if a.get("intake.politieregio") != "rotterdam":
        assert "var" not in {r.body_id for r in route}
    for act in adv.acute:  # each acute action has its reason and a term
        assert act.reason is not None and act.reason.text and act.term and act.owner
    for p in adv.priorities:
        assert p.steps and all(s.text and s.term for s in p.steps)


# --------------------------------------------------------------------------- bad rule files


def _copy_questionnaire(tmp_path: Path) -> Path:
    d = tmp_path / "vragenlijst"
    shutil.copytree(data_dir(), d)
    return d


@pytest.mark.parametrize("file,old,new,message", [
    ("stappen.yaml", "      als: {vraag: dreiging.incidenten-scholen, minstens: 1}\n      tekst: Zet samen",
     "      als: {vraag: dreiging.scholen, minstens: 1}\n      tekst: Zet samen",
     "onbekende vraag 'dreiging.scholen'"),
    ("stappen.yaml", "      termijn: 0–3 maanden\n      resultaat: Een actueel plan",
     "      termijn: 0-3 maanden\n      resultaat: Een actueel plan", "'termijn' moet een van"),
    ("stappen.yaml", "      voor: op orde\n      als: {vraag: intake.plan-aanwezig, is: ja}",
     "      voor: bijna\n      als: {vraag: intake.plan-aanwezig, is: ja}", "'voor' moet"),
    ("stappen.yaml", "      ondersteuning: [ror]\n    - id: afs-kennismaken",
     "      ondersteuning: [rorr]\n    - id: afs-kennismaken", "onbekende instantie 'rorr'"),
    ("acuut.yaml", "    als: {vraag: dreiging.families, minstens: 1}\n",
     "    als: {vraag: dreiging.familie, minstens: 1}\n", "onbekende vraag 'dreiging.familie'"),
    ("acuut.yaml", "    onderdeel: handhaving\n", "    onderdeel: handhaven\n",
     "onbekend onderdeel 'handhaven'"),
    ("scoring.yaml", "      vragen: {dreiging.online: 1}\n", "      vragen: {dreiging.internet: 1}\n",
     "onbekende dreigingsvraag 'dreiging.internet'"),
    ("scoring.yaml", "        lokaal-beeld: 1\n\n    - id: terugkeer",
     "        lokaalbeeld: 1\n\n    - id: terugkeer", "onbekend onderdeel 'lokaalbeeld'"),
    ("ondersteuning.yaml",
     "    openbaar: Stichting School en Veiligheid ondersteunt scholen bij polarisatie en radicalisering (helpdesk, expertbezoek, training van docenten).\n",
     "", "heeft geen 'openbaar'"),
])
def test_validate_reports_bad_rules_with_file_and_line(tmp_path, capsys, file, old, new, message):
    d = _copy_questionnaire(tmp_path)
    p = d / file
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    if "openbaar" in message:  # reported on the rule itself
        line = text[: text.rindex("  - id:", 0, text.index(old))].count("\n") + 1
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    code = main(["--vragenlijst", str(d / "zelfscan.yaml"), "validate"])
    err = capsys.readouterr().err
    assert code != 0 and message in err, err
    hit = next(ln for ln in err.splitlines() if message in ln)
    m = re.search(re.escape(file) + r":(\d+)", hit)
    assert m, hit
    assert line <= int(m.group(1)) <= line + 1 + old.count("\n"), (hit, line)
    assert "Traceback" not in err


def test_an_acute_action_without_a_situation_is_refused(tmp_path, capsys):
    d = _copy_questionnaire(tmp_path)
    p = d / "acuut.yaml"
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace("    als: {vraag: dreiging.families, minstens: 1}\n", "", 1),
                 encoding="utf-8")
    assert main(["--vragenlijst", str(d / "zelfscan.yaml"), "validate"]) != 0
    assert "heeft geen 'als'" in capsys.readouterr().err
