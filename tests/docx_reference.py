"""python-docx's own way of building a Word document's body: the reference for the direct
writer in wizard.plan.docx_body (issue 17). This is the code that wrote every plan.docx
before; tests/test_docx_fast.py proves the direct writer gives the same bytes.

Keep it as it is: a change to the Word output is made in docx_body and here alike, and the
test shows both agree.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from wizard.plan import docx_out
from wizard.plan.document import Block, Cell, Document, Figure, ListBlock, Paragraph, Section, Table
from wizard.plan.docx_out import SMALL_TABLE_TEXT, SMALL_TEXT, TABLE_TEXT, _Writer, xml_safe

_TEXT_WIDTH_CM = docx_out._TEXT_WIDTH_CM


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
    return docx_out.render(doc, body=reference_body, save=reference_save)
