"""plan.docx: the plan Markdown as a real Word document (styles, tables, Dutch, stable)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from wizard.answers.store import Answers
from wizard.assessment import advice, scoring
from wizard.plan.docx_out import markdown_to_docx, markdown_to_docx_bytes
from wizard.plan.render import plan_title, render_plan
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import CHOICE, SCALE, TEXT

Q = load_questionnaire()
OPEN_ID = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
OPEN_TEXT = "OOV, Sociaal domein en Jeugd; het team Veiligheid coördineert."


def _answers() -> Answers:
    a = Answers(Q.id, Q.version, "2026-11-23")
    for i, qq in enumerate(Q.questions()):
        if qq.id == "intake.gemeente":
            a.values[qq.id] = "Voorbeeldstad"
        elif qq.id == "intake.inwoners":
            a.values[qq.id] = 23000
        elif qq.kind == CHOICE:
            a.values[qq.id] = qq.options[0].value
        elif qq.kind == SCALE:
            a.values[qq.id] = i % 3
        elif qq.kind == TEXT:
            a.values[qq.id] = f"Lokale uitwerking {i}."
    a.values[OPEN_ID] = OPEN_TEXT
    return a


@pytest.fixture(scope="module")
def plan() -> tuple[str, str]:
    a = _answers()
    p = scoring.score(Q, a, scoring.load_config(Q))
    adv = advice.advise(Q, a, p, advice.load_rules(Q))
    return render_plan(Q, a, p, adv), plan_title(a)


@pytest.fixture(scope="module")
def document(plan, tmp_path_factory) -> tuple[Path, docx.document.Document]:
    path = tmp_path_factory.mktemp("docx") / "plan.docx"
    markdown_to_docx(plan[0], path, plan[1], "2026-11-23")
    return path, docx.Document(str(path))


def test_headings_use_word_heading_styles(plan, document):
    _, d = document
    by_style: dict[str, list[str]] = {}
    for p in d.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Heading 1"] == [plan[0].splitlines()[0].lstrip("# ").strip()]
    assert "Samenvatting" in by_style["Heading 2"]
    assert any(t.endswith("Borgen van de aanpak") for t in by_style["Heading 3"])
    # Every Markdown heading became a Word heading (navigation pane shows them all).
    n_md = sum(1 for line in plan[0].splitlines() if line.startswith("#"))
    assert sum(len(v) for k, v in by_style.items() if k.startswith("Heading")) == n_md


def test_tables_and_open_answers(document):
    _, d = document
    assert d.tables, "the plan's tables must become Word tables"
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    assert "Welke afdelingen ga ik betrekken?" in cells  # the annex: every answer
    header = [c.text for c in d.tables[-1].rows[0].cells]
    assert header == ["Onderdeel", "Vraag", "Antwoord"]
    # The open answer is an ordinary, editable body paragraph (not only in a table).
    body = [p for p in d.paragraphs if p.text.strip() == OPEN_TEXT]
    assert body and body[0].style.name in ("Normal", "Quote", "Body Text")
    assert not any(p.text.startswith("|") for p in d.paragraphs)  # no raw Markdown left
    assert not any("**" in p.text for p in d.paragraphs)


def test_dutch_properties_and_deterministic_bytes(plan, document):
    path, d = document
    props = d.core_properties
    assert props.language == "nl-NL"
    assert props.title == plan[1]
    assert props.created.date().isoformat() == "2026-11-23"
    assert props.modified == props.created
    styles_xml = d.styles.element.xml
    assert 'w:val="nl-NL"' in styles_xml
    again = markdown_to_docx_bytes(plan[0], plan[1], "2026-11-23")
    assert again == path.read_bytes()
    assert markdown_to_docx_bytes(plan[0], plan[1], "2026-11-24") != again


def test_lists_and_inline_formatting():
    md = "# T\n\nEen **vet** en *schuin* woord.\n\n- een\n- twee\n\n1. eerst\n2. dan\n"
    d = docx.Document(io.BytesIO(markdown_to_docx_bytes(md, "T")))
    styles = [(p.style.name, p.text) for p in d.paragraphs]
    assert ("List Bullet", "een") in styles and ("List Number", "dan") in styles
    para = next(p for p in d.paragraphs if "vet" in p.text)
    assert [r.text for r in para.runs if r.bold] == ["vet"]
    assert [r.text for r in para.runs if r.italic] == ["schuin"]


def test_libreoffice_converts_to_pdf(document, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) ontbreekt: installeer het Debian-pakket "
                    "libreoffice-writer om plan.docx te controleren")
    path, _ = document
    env = dict(os.environ, HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=120, env=env, check=False)
    pdf = tmp_path / "plan.pdf"
    assert pdf.exists(), proc.stdout + proc.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 5
