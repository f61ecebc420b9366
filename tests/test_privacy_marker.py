"""Case facts typed into public open questions never reach a public file (issue 14).

Realistic case sentences (tests/fixtures/privacy/casus.txt) go into every public open
question of two assessments of one municipality. Everything a reader of the public files
sees - plan.md, plan.html, plan.docx (unzipped), the chart SVGs, overzicht.md/.html of a
batch, voortgang.md/.html of `zelfscan compare` and the progress section of
`batch --vorige` - must hold none of them, not even five words in a row; the annex holds
every one. After `openbaar_bevestigd` the same sentences are in the plan (so the check can
fail).
"""

from __future__ import annotations

import dataclasses
import html
import re
import zipfile
from pathlib import Path

import pytest

from wizard.answers.store import dump_answers, load_answers
from wizard.cli import main
from wizard.plan.output import write_outputs
from wizard.questionnaire.model import CONFIDENTIAL, PUBLIC, TEXT

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CASES = [ln for ln in (ROOT / "tests" / "fixtures" / "privacy" / "casus.txt")
         .read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


def public_open_questions(q) -> list[str]:
    return [qq.id for qq in q.questions()
            if qq.kind == TEXT and qq.classification != CONFIDENTIAL
            and q.section(qq.section_id).kind != "intake"]


def with_case_sentences(q, source: Path, target: Path, sentences: list[str],
                        confirm: bool = False) -> dict[str, str]:
    """`source` with a case sentence in every public open question; returns qid -> text."""
    answers = load_answers(source, q)
    placed = dict(zip(public_open_questions(q), sentences))
    assert len(placed) == len(public_open_questions(q))
    answers.values.update(placed)
    answers.inactive = {k: v for k, v in answers.inactive.items() if k not in placed}
    if confirm:
        answers.confirmed_public = list(placed)
    target.write_text(dump_answers(answers, q), encoding="utf-8")
    return placed


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                       if n.endswith(".xml"))
    return html.unescape(re.sub(r"<[^>]+>", "", xml))


def readable(paths: list[Path]) -> str:
    """What a reader sees in these files: tags, Markdown escapes and entities removed."""
    parts = []
    for p in paths:
        if p.suffix == ".docx":
            parts.append(_docx_text(p))
        else:
            text = p.read_text(encoding="utf-8")
            parts.append(text)
            parts.append(html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\\", ""))
    return " ".join(" ".join(parts).split())


def windows(sentence: str, size: int = 5) -> list[str]:
    words = sentence.rstrip(".").split()
    return [" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))]


def leaked(sentences, text: str) -> list[str]:
    return [s for s in sentences if any(w in text for w in windows(s))]


@pytest.fixture(scope="module")
def runs(tmp_path_factory, q):
    work = tmp_path_factory.mktemp("marker")
    n = len(public_open_questions(q))
    assert n >= 20 and len(CASES) >= 2 * n
    old, new = work / "zwaanrecht-2025.yaml", work / "zwaanrecht-2026.yaml"
    placed = list(with_case_sentences(q, EXAMPLES / "zwaanrecht-2025.yaml", old,
                                      CASES[:n]).values())
    placed += list(with_case_sentences(q, EXAMPLES / "zwaanrecht-2026.yaml", new,
                                       CASES[n:2 * n]).values())
    batch, vorige, compare = work / "batch", work / "vorige", work / "compare"
    assert main(["batch", str(old), str(new), str(EXAMPLES / "welderbroek.yaml"),
                 "-o", str(batch)]) == 0
    assert main(["batch", str(new), "--vorige", str(old), "-o", str(vorige)]) == 0
    assert main(["compare", str(old), str(new), "-o", str(compare)]) == 0
    return placed, batch, vorige, compare


def test_case_sentences_reach_no_public_file(runs):
    placed, batch, vorige, compare = runs
    public = [p for folder in (batch, vorige, compare) for p in folder.rglob("*")
              if p.is_file() and not p.name.startswith("bijlage")
              and p.name != "antwoorden.yaml"]
    names = {p.name for p in public}
    assert {"plan.md", "plan.html", "plan.docx", "overzicht.md", "overzicht.html",
            "voortgang.md", "voortgang.html"} <= names, names
    assert len([p for p in public if p.name == "plan.md"]) == 4
    assert any("Voortgang sinds de vorige zelfscan" in p.read_text(encoding="utf-8")
               for p in public if p.name == "plan.md")
    assert leaked(placed, readable(public)) == []


def test_every_case_sentence_is_in_the_annex(runs):
    placed, batch, _vorige, _compare = runs
    annexes = [p for p in batch.rglob("bijlage-vertrouwelijk.*")]
    assert len(annexes) == 9  # three plans, .md/.html/.docx each
    text = readable(annexes)
    assert [s for s in placed if s.rstrip(".") not in text] == []
    assert "openbaar_bevestigd" in text  # the annex says how to publish one after all


def test_confirmed_answers_are_public(q, tmp_path):
    """'openbaar_bevestigd' puts them back in the plan: the check above can fail."""
    n = len(public_open_questions(q))
    f = tmp_path / "bevestigd.yaml"
    placed = list(with_case_sentences(q, EXAMPLES / "zwaanrecht-2026.yaml", f, CASES[:n],
                                      confirm=True).values())
    assert main(["batch", str(f), "-o", str(tmp_path / "uit")]) == 0
    plan = readable([next((tmp_path / "uit").rglob("plan.md"))])
    assert leaked(placed, plan) == placed


def test_a_public_note_with_case_facts_stays_in_the_annex(q, tmp_path):
    """With `toelichtingen_classificatie: openbaar` a note is public, and the same check
    applies to it."""
    public_notes = dataclasses.replace(q, notes_classification=PUBLIC)
    answers = load_answers(EXAMPLES / "welderbroek.yaml", public_notes)
    qid = public_open_questions(q)[0]
    answers.notes = {qid: CASES[0], "lokaal-beeld.welke-tools-gebruik-ik-hiervoor":
                     "We gebruiken het lokale beeld van de politie."}
    write_outputs(public_notes, answers, tmp_path / "a")
    plan = readable([tmp_path / "a" / "plan.md"])
    assert leaked([CASES[0]], plan) == []
    assert "lokale beeld van de politie" in plan  # an ordinary public note is shown
    answers.confirmed_public = [qid]
    write_outputs(public_notes, answers, tmp_path / "b")
    assert leaked([CASES[0]], readable([tmp_path / "b" / "plan.md"])) == [CASES[0]]


def test_an_answer_edited_in_place_is_screened_again(q, tmp_path):
    """The chat edits one Answers in place and writes the plan again: the findings kept
    for a plan (screen.flags, privacy.scan_answers, the Censor's ids) never outlive an
    edit, in either direction."""
    answers = load_answers(EXAMPLES / "welderbroek.yaml", q)
    qid = public_open_questions(q)[0]
    plain = "We werken samen met de wijkteams en de politie."
    answers.values[qid] = plain
    write_outputs(q, answers, tmp_path / "a")
    assert plain in readable([tmp_path / "a" / "plan.md"])
    answers.values[qid] = CASES[0]  # the same dict, a case sentence now
    write_outputs(q, answers, tmp_path / "b")
    assert leaked([CASES[0]], readable([tmp_path / "b" / "plan.md"])) == []
    assert CASES[0] in readable([tmp_path / "b" / "bijlage-vertrouwelijk.md"])
    mail = "Mail naar j.jansen@example.nl voor het overleg."
    answers.values[qid] = mail
    write_outputs(q, answers, tmp_path / "c")
    assert "een e-mailadres" in readable([tmp_path / "c" / "bijlage-vertrouwelijk.md"])
    answers.values[qid] = plain  # and back: public again, nothing flagged
    write_outputs(q, answers, tmp_path / "d")
    assert plain in readable([tmp_path / "d" / "plan.md"])
    assert "een e-mailadres" not in readable([tmp_path / "d" / "bijlage-vertrouwelijk.md"])
