"""python-docx's own way of building a Word document: the reference for the direct writer in
wizard.plan.docx_out / docx_body (issue 17). This is the code that wrote every plan.docx
before; tests/test_docx_fast.py proves the direct writer gives the same bytes, and that
wizard/plan/templates/zelfscan.docx (the styles, page, header and footer the direct writer
fills) is what this code makes (`python tests/docx_reference.py` writes it again).

Keep it as it is: a change to the Word output is made in docx_out/docx_body and here alike
(and the template written again), and the tests show both agree.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from wizard.files.docdate import document_datetime
from wizard.plan import docx_out
from wizard.plan.document import (
    CONFIDENTIAL,
    PUBLIC,
    Block,
    Cell,
    Document,
    Figure,
    Inline,
    ListBlock,
    Paragraph,
    Section,
    Table,
    Text,
)
from wizard.plan.docx_out import (
    LANGUAGE,
    SMALL_TABLE_TEXT,
    SMALL_TEXT,
    TABLE_TEXT,
    xml_safe,
)
from wizard.plan.docx_zip import ZLIB_MARK

_TEXT_WIDTH_CM = docx_out._TEXT_WIDTH_CM
_ACCENT = RGBColor(0x15, 0x42, 0x73)
_RED = RGBColor(0x8B, 0x00, 0x00)
TEMPLATE = Path(docx_out.__file__).parent / "templates" / "zelfscan.docx"


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
        """Runs with line breaks; no stray spaces at either end of the paragraph."""
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


def _new_word(doc: Document) -> Any:
    """A python-docx document with the styles, page, header, footer and properties."""
    word = new_document()
    _styles(word)
    title = xml_safe(doc.title)
    _page_setup(word, doc.marking, doc.classification == CONFIDENTIAL, title)
    props = word.core_properties
    props.title = title if len(title) <= 255 else title[:254] + "…"
    props.language = LANGUAGE
    props.author = "Zelfscan"
    props.last_modified_by = "Zelfscan"
    props.subject = xml_safe(doc.subject)[:255]
    props.keywords = "zelfscan; plan van aanpak; radicalisering; extremisme"
    props.comments = f"{doc.marking}. Concept, gemaakt met Zelfscan. Bewerk dit document vrij."
    props.revision = 1
    when = document_datetime(doc.date)
    props.created = props.modified = props.last_printed = when
    return word


class ReferenceWriter(_Writer):
    def list_block(self, b: ListBlock, container: Any = None, size: float | None = None) -> None:
        num_id = None
        if b.ordered:  # a new numbering instance per list: every list restarts at 1
            num = self.numbering.add_num(self.abstract_id)
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
            num_id = num.numId
        for item in b.items:
            para = self.paragraph("List Number" if b.ordered else "List Bullet", container)
            if num_id is not None:
                num_pr = para._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            self.runs(para, item, size)

    def cell(self, target: Any, c: Cell, size: float, style: str) -> None:
        first = True
        for b in c.blocks:
            if isinstance(b, Paragraph):
                para = target.paragraphs[0] if first else target.add_paragraph()
                para._p.get_or_add_pPr().style = self.style_ids[style]
                self.runs(para, b.parts)
            else:
                if first:  # the cell's own empty paragraph would stay above the list
                    target._tc.remove(target.paragraphs[0]._p)
                self.list_block(b, target, size)  # list styles keep their numbering
            first = False

    def table(self, b: Table) -> None:
        size = 8.0 if b.small else 9.0
        style = SMALL_TABLE_TEXT if b.small else TABLE_TEXT
        t = self.doc.add_table(rows=1, cols=len(b.header))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        _fixed_layout(t)
        widths = b.widths or tuple(1.0 for _ in b.header)
        total = sum(widths) or 1.0
        cms = [Cm(_TEXT_WIDTH_CM * w / total) for w in widths]
        for i, col in enumerate(t.columns):
            col.width = cms[i]
        header = t.rows[0]
        _repeat_header(header)
        for i, h in enumerate(b.header):
            c = header.cells[i]
            c.width = cms[i]  # a fixed layout takes its widths from the first row
            para = c.paragraphs[0]
            para._p.get_or_add_pPr().style = self.style_ids[style]
            para.add_run(xml_safe(h)).bold = True
            _shade(c, "E6ECF4")
        for row in b.rows:
            new = t.add_row()
            cells = new.cells
            for i, c in enumerate(row):
                self.cell(cells[i], c, size, style)
            if sum(len(c.text) for c in row) < 250:  # a short row stays on one page
                _cant_split(new)
        self.doc.add_paragraph()  # Word glues consecutive tables together otherwise


    def block(self, b: Block) -> None:
        if isinstance(b, Paragraph):
            para = self.paragraph(SMALL_TEXT if b.small else "")
            self.runs(para, b.parts)
        elif isinstance(b, ListBlock):
            self.list_block(b)
        elif isinstance(b, Table):
            self.table(b)
        elif isinstance(b, Figure):
            self.figure(b)

    def section(self, s: Section, level: int) -> None:
        para = self.paragraph(f"Heading {min(level, 9)}")
        para.add_run(xml_safe(s.title))
        for b in s.blocks:
            self.block(b)
        for sub in s.sections:
            self.section(sub, level + 1)




def _fixed_layout(table: Any) -> None:
    """Column widths as given, not stretched to the content (Word and LibreOffice)."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(_TEXT_WIDTH_CM / 2.54 * 1440)))


def _repeat_header(row: Any) -> None:
    """Repeat the header row on every page (Word's 'Herhalen als veldnamenrij')."""
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _cant_split(row: Any) -> None:
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _shade(cell: Any, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)




def reference_body(w: _Writer, doc: Document) -> None:
    ref = ReferenceWriter(w.doc)
    for b in doc.blocks:
        ref.block(b)
    for s in doc.sections:
        ref.section(s, 2)


def reference_save(word: Any) -> bytes:
    """python-docx's save, then the package rewritten with fixed timestamps."""
    buf = io.BytesIO()
    word.save(buf)
    return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps (python-docx uses 'now')."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return buf.getvalue()



def reference_render(doc: Document) -> bytes:
    """The document as python-docx made it before the direct writer."""
    word = _new_word(doc)
    w = ReferenceWriter(word)
    title = xml_safe(doc.title)
    heading = w.paragraph("Heading 1")
    heading.add_run(title)
    mark = w.paragraph()
    run = mark.add_run(xml_safe(doc.marking))
    run.bold = True
    run.font.color.rgb = _RED if doc.classification == CONFIDENTIAL else _ACCENT
    reference_body(w, doc)
    return reference_save(word)


def template_bytes() -> bytes:
    """wizard/plan/templates/zelfscan.docx: the styles, page, header and footer, no body."""
    data = io.BytesIO(reference_save(_new_word(Document("", PUBLIC, ""))))
    with zipfile.ZipFile(data, "a") as z:  # which zlib compressed it (wizard.plan.docx_zip)
        z.comment = ZLIB_MARK
    return data.getvalue()


if __name__ == "__main__":
    TEMPLATE.write_bytes(template_bytes())
    sys.exit(0)
