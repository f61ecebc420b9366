"""plan.docx: the plan as a real Word document, written from the document model.

Checked with python-docx (styles, header and footer, lists, tables, figures, properties)
and with LibreOffice (PDF: the classification and page number on every page; page counts
within the limits the issue sets). Without LibreOffice these tests FAIL (they never skip).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from wizard.answers.store import Answers, load_answers
from wizard.plan import docx_out
from wizard.plan.document import (
    CONFIDENTIAL,
    PUBLIC,
    Document,
    Section,
    Text,
    bullets,
    cell,
    para,
    table,
)
from wizard.plan.output import write_outputs
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import CHOICE, SCALE, TEXT

Q = load_questionnaire()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
OPEN_ID = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
OPEN_TEXT = "OOV, Sociaal domein en Jeugd;\nhet team Veiligheid coördineert."


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
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx")
    write_outputs(Q, _answers(), out)
    return out


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("LibreOffice (soffice) ontbreekt: installeer het Debian-pakket "
                    "libreoffice-writer (.ci/run doet dat). Deze test wordt nooit overgeslagen.")
    return found


def pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        pytest.fail("pdftotext ontbreekt: installeer het Debian-pakket poppler-utils "
                    "(.ci/run doet dat). Deze test wordt nooit overgeslagen.")
    return found


def to_pdf(path: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HOME=str(out / "home"))
    proc = subprocess.run([soffice(), "--headless", "--norestore", "--convert-to", "pdf",
                           "--outdir", str(out), str(path)],
                          capture_output=True, text=True, timeout=180, env=env, check=False)
    pdf = out / (path.stem + ".pdf")
    assert pdf.exists(), proc.stdout + proc.stderr
    return pdf


def pages(pdf: Path) -> list[str]:
    text = subprocess.run([pdftotext(), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_headings_use_word_heading_styles(written):
    d = docx.Document(str(written / "plan.docx"))
    by_style: dict[str, list[str]] = {}
    for p in d.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    md = (written / "plan.md").read_text(encoding="utf-8")
    assert by_style["Heading 1"] == [md.splitlines()[0][2:]]
    assert "2 Samenvatting" in by_style["Heading 2"]
    assert "Begrippen" in by_style["Heading 3"]
    # Every Markdown heading became a Word heading (the navigation pane shows them all).
    n_md = sum(1 for line in md.splitlines() if line.startswith("#"))
    assert sum(len(v) for k, v in by_style.items() if k.startswith("Heading")) == n_md


def test_header_and_footer_carry_the_classification_and_page_numbers(written):
    for name, marking in (("plan.docx", "Openbaar concept"),
                          ("bijlage-vertrouwelijk.docx", "VERTROUWELIJK — niet openbaar maken")):
        d = docx.Document(str(written / name))
        for s in d.sections:
            assert s.header.paragraphs[0].text == marking
            footer = s.footer.paragraphs[0]
            assert marking in footer.text and "pagina" in footer.text
            instr = [f.get(docx.oxml.ns.qn("w:instr")) for f in
                     footer._p.iter(docx.oxml.ns.qn("w:fldSimple"))]
            assert instr == ["PAGE", "NUMPAGES"]
            assert round(s.page_width.cm, 1) == 21.0 and round(s.page_height.cm, 1) == 29.7


def test_tables_figures_and_open_answers(written):
    d = docx.Document(str(written / "plan.docx"))
    headers = [[c.text for c in t.rows[0].cells] for t in d.tables]
    assert ["Wat", "Hoe", "Lokale uitwerking"] in headers
    assert ["Onderdeel", "Actie", "Trekker", "Partners", "Termijn", "Inzet",
            "Resultaat"] in headers
    template = d.tables[headers.index(["Wat", "Hoe", "Lokale uitwerking"])]
    assert len(template.rows) == 1 + len(Q.components())
    for t in d.tables:
        assert t.style.name == "Table Grid"
        first = t.rows[0]._tr
        assert first.find(".//" + docx.oxml.ns.qn("w:tblHeader")) is not None  # repeats
        assert all(r.cells[0].paragraphs[0].runs for r in t.rows[:1])
        assert all(run.bold for run in t.rows[0].cells[0].paragraphs[0].runs)
    # The open answer keeps its line break and is editable text in the template table.
    cell_xml = [c._tc.xml for r in template.rows for c in r.cells if "OOV, Sociaal" in c.text]
    assert cell_xml and "<w:br/>" in cell_xml[0]
    # Two figures, as pictures with their description as alt text.
    pictures = d.inline_shapes
    assert len(pictures) == 2
    descr = [p._inline.docPr.get("descr") for p in pictures]
    assert all(x.startswith("Figuur:") for x in descr)
    media = [n for n in zipfile.ZipFile(written / "plan.docx").namelist()
             if n.startswith("word/media/")]
    assert len(media) == 2 and all(n.endswith(".png") for n in media)
    assert not any(p.text.startswith(("|", "#", " ")) for p in d.paragraphs)
    assert not any("**" in p.text for p in d.paragraphs)


def test_numbered_lists_restart_per_list_and_runs_keep_their_formatting():
    doc = Document("T", PUBLIC, "Openbaar concept", (), (
        Section("A", (bullets(["een", "twee"], ordered=True), para("tussen"),
                      bullets(["drie", "vier"], ordered=True),
                      para(Text("vet", bold=True), " en ", Text("schuin", italic=True)),
                      bullets(["punt"]))),))
    d = docx.Document(io.BytesIO(docx_out.render(doc)))
    numbered = [p for p in d.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["een", "twee", "drie", "vier"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] and num_ids[2] == num_ids[3] and num_ids[0] != num_ids[2]
    numbering = d.part.numbering_part.element
    for nid in (num_ids[0], num_ids[2]):
        num = numbering.num_having_numId(nid)
        assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]
    assert [p.text for p in d.paragraphs if p.style.name == "List Bullet"] == ["punt"]
    para_ = next(p for p in d.paragraphs if "vet" in p.text)
    assert [r.text for r in para_.runs if r.bold] == ["vet"]
    assert [r.text for r in para_.runs if r.italic] == ["schuin"]


def test_lists_inside_table_cells():
    doc = Document("T", PUBLIC, "m", (), (Section("A", (table(("K",), [(cell(
        para("kop"), bullets(["a", "b"])),)]),)),))
    d = docx.Document(io.BytesIO(docx_out.render(doc)))
    c = d.tables[0].rows[1].cells[0]
    assert [(p.style.name, p.text) for p in c.paragraphs] == [
        ("Tabeltekst", "kop"), ("List Bullet", "a"), ("List Bullet", "b")]


def test_dutch_properties_and_deterministic_bytes(written, tmp_path):
    d = docx.Document(str(written / "plan.docx"))
    props = d.core_properties
    assert props.language == "nl-NL"
    assert props.title == d.paragraphs[0].text
    assert props.created.date().isoformat() == "2026-11-23"
    assert props.modified == props.created
    assert 'w:val="nl-NL"' in d.styles.element.xml
    write_outputs(Q, _answers(), tmp_path)
    assert (tmp_path / "plan.docx").read_bytes() == (written / "plan.docx").read_bytes()
    a = _answers()
    a.date = "2026-11-24"
    write_outputs(Q, a, tmp_path / "later")
    assert (tmp_path / "later" / "plan.docx").read_bytes() != (written / "plan.docx").read_bytes()


def test_word_title_is_cut_at_255_characters():
    data = docx_out.render(Document("Titel " + "x" * 400, CONFIDENTIAL, "m", (), ()))
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    title = core.split("<dc:title>")[1].split("</dc:title>")[0]
    assert len(title) == 255 and title.endswith("…")


def test_text_xml_cannot_hold_is_left_out():
    data = docx_out.render(Document("T\x01", PUBLIC, "m", (para("a\x0bb\ufffe"),), ()))
    d = docx.Document(io.BytesIO(data))
    assert [p.text for p in d.paragraphs][:3] == ["T", "m", "ab"]


@pytest.mark.timeout(600)
def test_libreoffice_pages_header_on_every_page_and_lengths(tmp_path):
    """Every example: the header and the page number on every page of plan.docx and of
    the annex; a low-threat municipality with its basis in order fits on 6 A4 pages, no
    plan is longer than 12."""
    counts = {}
    for path in EXAMPLES:
        out = tmp_path / path.stem
        answers = load_answers(path, Q)
        write_outputs(Q, answers, out)
        for name, marking in (("plan.docx", "Openbaar concept"),
                              ("bijlage-vertrouwelijk.docx", "VERTROUWELIJK")):
            if name.startswith("bijlage") and path.stem != "zwaanrecht-2026":
                continue  # one annex is enough for the header check
            texts = pages(to_pdf(out / name, out / "pdf"))
            assert texts, name
            for i, page in enumerate(texts, start=1):
                first = page.strip().splitlines()[0].strip()
                assert first == marking or first.startswith(marking), (path.name, name, i)
                assert f"pagina {i} van {len(texts)}" in page, (path.name, name, i)
            if name == "plan.docx":
                counts[path.stem] = len(texts)
    assert counts["welderbroek"] <= 6, counts  # low threat, basis in order
    assert max(counts.values()) <= 12, counts
