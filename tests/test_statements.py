"""Statements that can be rated (issue 15): every statement in the built questionnaire can be
answered on 'niet aanwezig … volledig ingericht en geborgd'. The curated overlay
(questionnaires/stellingen.yaml) rewrites, drops and marks generated statements by id; its
mistakes are Dutch errors with file:line; the short scan measures every component."""

from __future__ import annotations

import difflib
import itertools
import re
import shutil
from pathlib import Path

import pytest
import yaml

from wizard.answers.store import dump_answers, load_answers
from wizard.cli import main
from wizard.errors import ZelfscanError
from wizard.files.resources import data_dir
from wizard.questionnaire.generate import build_module
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.overlay import OVERLAY_NAME, load_overlay
from wizard.questionnaire.template import read_template

TEMPLATE = data_dir() / "bron" / "plan-van-aanpak.txt"
MATURITY = "volwassenheid"

# A statement of fact or about someone else's duty cannot be rated on a maturity scale.
NOT_RATEABLE = re.compile(
    r"\bis het aan\b|\bis de taak van\b|\bprimaire taak\b|\bdraagt (ook )?bij aan\b"
    r"|\bkan [^.]*een rol hebben\b"
    r"|\b(de politie|het OM|het Openbaar Ministerie|Reclassering)\b[^.,]* "
    r"(moet|moeten|treedt|treden|is verantwoordelijk|zijn verantwoordelijk)\b",
    re.IGNORECASE)
# Words every statement shares; they say nothing about what a statement is about.
_COMMON = {"radicalisering", "extremisme", "de", "het", "een", "en", "van", "in", "op", "om",
           "te", "voor", "met", "is", "zijn", "wordt", "worden", "er", "aan", "bij", "dat", "die",
           "of", "ook", "als", "tot", "door", "naar", "binnen", "zo", "onze", "gemeente", "we",
           "wat", "hoe"}
NEAR_DUPLICATE = 0.35


def _words(text: str) -> list[str]:
    text = re.sub(r"^in onze gemeente\s+", "", text.lower())
    return [w for w in re.findall(r"[a-zà-ÿ0-9-]+", text) if w not in _COMMON]


def similarity(a: str, b: str) -> float:
    """Word order (SequenceMatcher) or word overlap (Jaccard), whichever is higher."""
    wa, wb = _words(a), _words(b)
    overlap = len(set(wa) & set(wb)) / (len(set(wa) | set(wb)) or 1)
    return max(difflib.SequenceMatcher(None, wa, wb).ratio(), overlap)


def statement_problems(statements: list[tuple[str, str, str]]) -> list[str]:
    """(id, scale, text) -> what is wrong, one line per problem."""
    out: list[str] = []
    for qid, scale, text in statements:
        if scale == MATURITY and not text.startswith("In onze gemeente "):
            out.append(f"{qid}: begint niet met 'In onze gemeente'")
        if NOT_RATEABLE.search(text):
            out.append(f"{qid}: geen stelling om te beoordelen: {text}")
    for (a, _, ta), (b, _, tb) in itertools.combinations(statements, 2):
        if similarity(ta, tb) >= NEAR_DUPLICATE:
            out.append(f"{a} ~ {b}: bijna hetzelfde ({similarity(ta, tb):.2f})")
    return out


def built_statements() -> list[tuple[str, str, str]]:
    q = load_questionnaire()
    return [(qq.id, qq.scale_id or "", " ".join(qq.text.split())) for qq in q.questions()
            if qq.scale_id in (MATURITY, "realisatie")]


def template_statements() -> list[tuple[str, str, str]]:
    module = build_module(read_template(TEMPLATE), edits={})
    return [(qq["id"], qq["schaal"], qq["tekst"]) for s in module["secties"]
            for qq in s["vragen"] if qq["soort"] == "schaal"]


def test_every_statement_in_the_built_questionnaire_can_be_rated():
    statements = built_statements()
    assert len(statements) > 30
    assert statement_problems(statements) == []


def test_the_template_alone_fails_the_check():
    # What the check guards against is really in the template's Hoe text.
    problems = statement_problems(template_statements())
    assert any("is het aan de politie en het OM" in p for p in problems)
    assert any("~" in p for p in problems)  # a near-duplicate
    assert any("begint niet met" in p for p in problems)


def test_rewritten_statements_keep_their_ids():
    q = load_questionnaire()
    overlay = load_overlay()
    template_ids = {qid for qid, _, _ in template_statements()}
    for edit in overlay.values():
        assert edit.id in template_ids, edit.id
        if edit.drop:
            assert not q.has_question(edit.id) and edit.id in q.retired
        else:
            assert q.has_question(edit.id)
            if edit.text:
                assert " ".join(q.question(edit.id).text.split()) == edit.text
    worst = q.question("handhaving.stelling-in-gevallen-waar-radicalisering-en")
    assert "is het aan" not in worst.text and worst.text.startswith("In onze gemeente")


def test_short_scan_measures_every_component_and_asks_about_25_questions():
    q = load_questionnaire()
    short = q.short_ids()
    for section in q.components():
        assert any(st.id in short for st in section.statements()), section.id
    threat = [qq.id for s in q.sections if s.kind == "dreiging" for qq in s.questions]
    assert set(threat) <= short
    unconditional = [qq for qq in q.questions() if qq.id in short and qq.condition is None]
    assert 22 <= len(unconditional) <= 28
    assert len(short) <= 30


def test_a_dropped_statement_in_an_old_answers_file_is_valid_and_kept(tmp_path: Path):
    q = load_questionnaire()
    [dropped] = sorted(q.retired)
    path = tmp_path / "oud.yaml"
    path.write_text(yaml.safe_dump({
        "vragenlijst": q.id, "versie": q.version,
        "antwoorden": {"intake.gemeente": "Oudstad", dropped: 3}}), "utf-8")
    answers = load_answers(path, q)
    assert dropped not in answers.values and answers.inactive[dropped] == 3
    text = dump_answers(answers, q)
    assert f"{dropped}: 3" in text and "vervallen uit de vragenlijst" in text


def _copy(tmp_path: Path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    import wizard.files.resources

    data = tmp_path / "questionnaires"
    shutil.copytree(data_dir(), data)
    monkeypatch.setattr(wizard.files.resources, "data_dir", lambda: data)
    return data


@pytest.mark.parametrize("entry, message, line", [
    ("  - id: lokaal-beeld.stelling-eens-in-de-twee-jaar\n    kort: misschien\n",
     "'kort' moet ja of nee zijn", 3),
    ("  - id: lokaal-beeld.stelling-eens-in-de-twee-jaar\n    tekts: Iets.\n",
     "onbekende sleutel 'tekts'", 3),
    ("  - id: lokaal-beeld.stelling-eens-in-de-twee-jaar\n    vervalt: ja\n    kort: ja\n",
     "een vervallen vraag kan geen nieuwe 'tekst' of 'kort: ja' hebben", 3),
    ("  - id: lokaal-beeld.stelling-eens-in-de-twee-jaar\n", "dit item doet niets", 2),
])
def test_overlay_mistakes_are_dutch_with_file_and_line(tmp_path, entry, message, line):
    path = tmp_path / OVERLAY_NAME
    path.write_text("stellingen:\n" + entry, "utf-8")
    with pytest.raises(ZelfscanError) as err:
        load_overlay(path)
    text = str(err.value)
    assert message in text and f"{OVERLAY_NAME}:{line}" in text


def test_overlay_change_needs_regenerating_and_unknown_ids_are_named(tmp_path, monkeypatch,
                                                                     capsys):
    data = _copy(tmp_path, monkeypatch)
    overlay = data / OVERLAY_NAME
    overlay.write_text(overlay.read_text("utf-8") + "  - id: lokaal-beeld.stelling-bestaat-niet\n"
                       "    kort: ja\n", "utf-8")
    assert main(["generate", str(TEMPLATE), "--check"]) == 0  # an unknown id changes nothing
    err = capsys.readouterr().err
    assert "'lokaal-beeld.stelling-bestaat-niet' uit stellingen.yaml" in err
    text = overlay.read_text("utf-8").replace(
        "In onze gemeente heeft de aanpak vaste capaciteit", "In onze gemeente heeft de aanpak "
        "altijd vaste capaciteit")
    overlay.write_text(text, "utf-8")
    assert main(["generate", str(TEMPLATE), "--check"]) == 1
    assert main(["generate", str(TEMPLATE)]) == 0
    assert "altijd vaste capaciteit" in (data / "aanpak.yaml").read_text("utf-8")


def test_loader_refuses_a_short_scan_that_misses_a_component(tmp_path, monkeypatch):
    data = _copy(tmp_path, monkeypatch)
    text = (data / "aanpak.yaml").read_text("utf-8")
    start = text.index("- id: handhaving.stelling-ondanks-dat-dit-geen-primaire")
    end = text.index("- id: handhaving.welke-procesafspraken", start)
    (data / "aanpak.yaml").write_text(text[:start] + text[start:end].replace("        kort: ja\n",
                                                                             "") + text[end:])
    with pytest.raises(ZelfscanError) as err:
        load_questionnaire(data / "zelfscan.yaml")
    assert "de korte scan meet dit onderdeel niet" in str(err.value)
    assert "aanpak.yaml:" in str(err.value)
