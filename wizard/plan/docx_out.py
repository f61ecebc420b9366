"""Document -> Word (.docx) with python-docx: the format the officer will edit.

Written straight from the document model (no Markdown in between):
- A4 with 2 cm margins; a header with the classification ('Openbaar concept' /
  'VERTROUWELIJK — niet openbaar maken') and a footer with 'Pagina X van Y' on every page;
- Word's own heading styles (the navigation pane works), 'Table Grid' tables with a bold,
  shaded header row that repeats on every page, column widths per table;
- bullet lists in 'List Bullet'; numbered lists in 'List Number', each list restarting at 1;
- figures as PNG pictures (drawn with Pillow from the same geometry as the SVG), with their
  description as alt text and caption;
- Dutch as document language; the assessment date as created/modified date.

Deterministic: core properties come from the document, and the zip is rewritten with fixed
timestamps, so the same answers give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from typing import Any

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from wizard.plan.document import (
    CONFIDENTIAL,
    Document,
    Figure,
    Inline,
    Text,
)

LANGUAGE = "nl-NL"
# Our own paragraph styles (the officer can change them once for the whole document).
TABLE_TEXT = "Tabeltekst"
SMALL_TABLE_TEXT = "Tabeltekst klein"
SMALL_TEXT = "Kleine tekst"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_TEXT_WIDTH_CM = 17.0  # A4 (21 cm) minus 2 x 2 cm margins
_ACCENT = RGBColor(0x15, 0x42, 0x73)
_RED = RGBColor(0x8B, 0x00, 0x00)
# Characters XML 1.0 cannot hold (lxml raises on them): never written.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


class _Writer:
    def __init__(self, doc: Any) -> None:
        self.doc = doc
        # python-docx resolves a style name by scanning every style on each assignment;
        # look the ids up once and set them directly.
        self.style_ids = {s.name: s.style_id for s in doc.styles}
        numbering = doc.part.numbering_part.element
        list_number = doc.styles["List Number"].element
        num_id = list_number.pPr.numPr.numId.val
        self.numbering = numbering
        self.abstract_id = numbering.num_having_numId(num_id).abstractNumId.val

    def paragraph(self, style: str = "", container: Any = None) -> Any:
        para = (container or self.doc).add_paragraph()
        if style and style in self.style_ids and style != "Normal":
            para._p.get_or_add_pPr().style = self.style_ids[style]
        return para

    def runs(self, para: Any, parts: Inline, size: float | None = None) -> None:
        """Runs with line breaks; no stray spaces at either end of the paragraph. (Trimmed
        as strings before they become runs: reading run.text back is slow in python-docx.)"""
        pieces: list[tuple[str, Any]] = []  # (text or '\n', the Text it came from)
        for t in parts:
            for i, piece in enumerate(xml_safe(t.text).split("\n")):
                if i:
                    pieces.append(("\n", t))
                if piece:
                    pieces.append((piece, t))
        texts = [i for i, (x, _) in enumerate(pieces) if x != "\n"]
        if texts:
            first, last = texts[0], texts[-1]
            pieces[first] = (pieces[first][0].lstrip(), pieces[first][1])
            pieces[last] = (pieces[last][0].rstrip(), pieces[last][1])
        for text, t in pieces:
            if text == "\n":
                para.add_run().add_break(WD_BREAK.LINE)
                continue
            if not text:
                continue
            run = para.add_run(text)
            if t.bold:
                run.bold = True
            if t.italic:
                run.italic = True
            if size:
                run.font.size = Pt(size)

    def figure(self, b: Figure) -> None:
        para = self.paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run()
        from wizard.plan.figures import to_png

        shape = run.add_picture(io.BytesIO(to_png(b.scene)), width=Cm(b.width_cm))
        shape._inline.docPr.set("descr", xml_safe(b.alt))
        shape._inline.docPr.set("name", xml_safe(b.name))
        caption = self.paragraph("Caption" if "Caption" in self.style_ids else SMALL_TEXT)
        self.runs(caption, (Text(b.alt, italic=True),))

def _field(para: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in per page."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    para._p.append(fld)


def _page_setup(doc: Any, marking: str, confidential: bool, title: str) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.0))
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
        section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = head.add_run(xml_safe(marking))
        run.bold = True
        run.font.size = Pt(9)
        run.font.color.rgb = _RED if confidential else _ACCENT
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        short = title if len(title) <= 90 else title[:89] + "…"
        r = foot.add_run(f"{xml_safe(short)} — {xml_safe(marking)} — pagina ")
        r.font.size = Pt(8)
        _field(foot, "PAGE")
        r = foot.add_run(" van ")
        r.font.size = Pt(8)
        _field(foot, "NUMPAGES")


def _styles(doc: Any) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.0
    sizes = {1: 17, 2: 13, 3: 11.5, 4: 10.5}
    for level, size in sizes.items():
        st = styles[f"Heading {level}"]
        st.font.size = Pt(size)
        st.font.color.rgb = _ACCENT
        st.paragraph_format.keep_with_next = True
        st.paragraph_format.space_before = Pt(12 if level <= 2 else 6)
        st.paragraph_format.space_after = Pt(3)
    for name, size, after in ((TABLE_TEXT, 9, 2), (SMALL_TABLE_TEXT, 8, 2), (SMALL_TEXT, 8.5, 3)):
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.font.size = Pt(size)
        st.paragraph_format.space_after = Pt(after)
    _set_language(doc, LANGUAGE)


def _set_language(doc: Any, lang: str) -> None:
    """Dutch spelling and hyphenation for the whole document (document defaults)."""
    r_pr = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = r_pr.find(qn("w:rPrDefault")) if r_pr is not None else None
    r_pr = r_pr.find(qn("w:rPr")) if r_pr is not None else None
    if r_pr is None:
        return
    lang_el = r_pr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        r_pr.append(lang_el)
    lang_el.set(qn("w:val"), lang)
    lang_el.set(qn("w:eastAsia"), lang)
    lang_el.set(qn("w:bidi"), "ar-SA")


def _date_time(date: str | None) -> _dt.datetime:
    try:
        d = _dt.date.fromisoformat(str(date)[:10]) if date else _dt.date(2000, 1, 1)
    except ValueError:
        d = _dt.date(2000, 1, 1)
    return _dt.datetime(d.year, d.month, d.day, 12, 0, 0)


def _write_body(w: _Writer, doc: Document) -> None:
    """The blocks and sections, written as WordprocessingML text (wizard.plan.docx_body)."""
    from docx.oxml.parser import parse_xml

    from wizard.plan.docx_body import W_NS, BodyWriter

    body_el = w.doc.element.body
    sect_pr = body_el.find(qn("w:sectPr"))

    def emit(xml: str) -> None:
        for child in list(parse_xml(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>')):
            if sect_pr is not None:
                sect_pr.addprevious(child)
            else:
                body_el.append(child)

    def add_num() -> int:
        num = w.numbering.add_num(w.abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(num.numId)

    bw = BodyWriter(emit, w.style_ids, add_num, w.figure, _half_points, _twips, xml_safe,
                    _TEXT_WIDTH_CM, str(round(_TEXT_WIDTH_CM / 2.54 * 1440)),
                    (TABLE_TEXT, SMALL_TABLE_TEXT, SMALL_TEXT))
    for b in doc.blocks:
        bw.block(b)
    for s in doc.sections:
        bw.section(s, 2)
    bw.flush()


def _half_points(size: float) -> str:
    """A run's font size as python-docx writes it (w:sz, half points)."""
    from docx.oxml.simpletypes import ST_HpsMeasure

    return ST_HpsMeasure.convert_to_xml(Pt(size))


def _twips(cm: float) -> int:
    """A column or cell width as python-docx writes it (w:gridCol, w:tcW)."""
    return int(Cm(cm).twips)


def render(doc: Document, body: Any = None, save: Any = None) -> bytes:
    """The document as a .docx file (bytes; deterministic for the same document).

    `body(writer, doc)` writes the blocks and sections and `save(word)` packs the file
    (tests pass python-docx's own ways, to prove the bytes are the same)."""
    word = new_document()
    _styles(word)
    title = xml_safe(doc.title)
    _page_setup(word, doc.marking, doc.classification == CONFIDENTIAL, title)
    props = word.core_properties
    # Word's core properties hold at most 255 characters; a long municipality name must
    # not stop the document from being written.
    props.title = title if len(title) <= 255 else title[:254] + "…"
    props.language = LANGUAGE
    props.author = "Zelfscan"
    props.last_modified_by = "Zelfscan"
    props.subject = xml_safe(doc.subject)[:255]
    props.keywords = "zelfscan; plan van aanpak; radicalisering; extremisme"
    props.comments = f"{doc.marking}. Concept, gemaakt met Zelfscan. Bewerk dit document vrij."
    props.revision = 1
    when = _date_time(doc.date)
    props.created = props.modified = props.last_printed = when
    w = _Writer(word)
    heading = w.paragraph("Heading 1")
    heading.add_run(title)
    mark = w.paragraph()
    run = mark.add_run(xml_safe(doc.marking))
    run.bold = True
    run.font.color.rgb = _RED if doc.classification == CONFIDENTIAL else _ACCENT
    (body or _write_body)(w, doc)
    return (save or _package)(word)


def _package(word: Any) -> bytes:
    """The package as word.save() and _normalise_zip() made it, without compressing the
    parts that are the same in every document again (wizard.plan.docx_zip)."""
    from docx.opc.pkgwriter import PackageWriter

    from wizard.plan.docx_zip import zip_members

    class Members:
        def __init__(self) -> None:
            self.items: list[tuple[str, bytes]] = []

        def write(self, pack_uri: Any, blob: bytes) -> None:
            self.items.append((pack_uri.membername, blob))

    pkg = word.part.package
    parts = list(pkg.parts)
    for part in parts:
        part.before_marshal()
    members = Members()
    writer: Any = members  # python-docx's physical-writer interface: write(uri, blob)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, pkg.rels)
    PackageWriter._write_parts(writer, parts)
    return zip_members(members.items)
