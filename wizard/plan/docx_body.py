"""The body of a Word document as WordprocessingML text, written directly (issue 17).

python-docx builds every paragraph, run and table cell as objects, looking up where each
child element belongs; for a plan that took ~150 ms per document. Here the same elements
are written as text, exactly as python-docx and lxml wrote them: tests/test_docx_fast.py
compares the .docx bytes with python-docx's own way of building them
(tests/docx_reference.py) for the examples, generated answers and arbitrary documents.

What python-docx does that is reproduced here, so the bytes stay the same:
- a paragraph style as <w:pStyle> (not for 'Normal'); runs with <w:b/>, <w:i/>, <w:sz/>
  in that order; in a run's text a tab becomes <w:tab/>, CR or LF <w:br/>, and a <w:t>
  with space at either end gets xml:space="preserve";
- tables as python-docx makes them ('Table Grid', centred, fixed layout written twice,
  the default tblLook), widths in twips per column and per cell;
- numbered lists get a new numbering instance each (`add_num`, as python-docx numbered
  them); figures are written by the caller (`figure`), in their place between the text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from wizard.plan.document import Block, Cell, Figure, Inline, ListBlock, Paragraph, Section, Table

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TBL_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
             'w:noHBand="0" w:noVBand="1" w:val="04A0"/>')


def esc(text: str) -> str:
    """Text content as lxml writes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _t(text: str) -> str:
    if len(text.strip()) < len(text):
        return f'<w:t xml:space="preserve">{esc(text)}</w:t>'
    return f"<w:t>{esc(text)}</w:t>"


def run_content(text: str) -> str:
    """python-docx's run.text = text: tabs and line breaks become their own elements."""
    if "\t" not in text and "\r" not in text and "\n" not in text:
        return _t(text) if text else ""
    out: list[str] = []
    buf: list[str] = []
    for ch in text:
        if ch == "\t" or ch in "\r\n":
            if buf:
                out.append(_t("".join(buf)))
                buf.clear()
            out.append("<w:tab/>" if ch == "\t" else "<w:br/>")
        else:
            buf.append(ch)
    if buf:
        out.append(_t("".join(buf)))
    return "".join(out)


def run(text: str, bold: bool = False, italic: bool = False, size: str = "") -> str:
    rpr = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + \
        (f'<w:sz w:val="{size}"/>' if size else "")
    inner = (f"<w:rPr>{rpr}</w:rPr>" if rpr else "") + run_content(text)
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


def para(ppr: str, runs: str) -> str:
    inner = (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + runs
    return f"<w:p>{inner}</w:p>" if inner else "<w:p/>"


@lru_cache(maxsize=1024)  # pure; a batch writes the same question and advice texts per plan
def _runs(parts: Inline, size: str, xml_safe: Any) -> str:
    pieces: list[tuple[str, Any]] = []
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
    out = []
    for text, t in pieces:
        if text == "\n":
            out.append("<w:r><w:br/></w:r>")
        elif text:
            out.append(run(text, t.bold, t.italic, size))
    return "".join(out)


class BodyWriter:
    """Writes blocks and sections as text; `flush` hands the text written so far to
    `emit` (which puts it into the document), as it must before a figure is added.

    `style_ids`: style name -> id of the document; `add_num()`: a new numbering instance
    for a numbered list (returns its numId); `figure(block)`: writes a figure (after the
    text written so far has been emitted); `half_points(pt)`: run size as
    python-docx writes it; `twips(cm)`: a length in twips as python-docx writes it.
    """

    def __init__(self, emit: Any, style_ids: dict[str, str], add_num: Any, figure: Any,
                 half_points: Any, twips: Any, xml_safe: Any, text_width_cm: float,
                 table_width: str, styles: tuple[str, str, str]) -> None:
        self.emit = emit
        self.style_ids = style_ids
        self.add_num = add_num
        self.add_figure = figure
        self.half_points = half_points
        self.twips = twips
        self.xml_safe = xml_safe
        self.text_width_cm = text_width_cm
        self.table_width = table_width
        self.table_text, self.small_table_text, self.small_text = styles
        self.parts: list[str] = []

    # -------------------------------------------------------------- pieces

    def pstyle(self, style: str) -> str:
        if style and style in self.style_ids and style != "Normal":
            return f'<w:pStyle w:val="{self.style_ids[style]}"/>'
        return ""

    def runs(self, parts: Inline, size: str = "") -> str:
        """Line breaks as runs of their own, the paragraph trimmed (as python-docx did)."""
        return _runs(parts, size, self.xml_safe)

    def list_items(self, b: ListBlock, size: str = "") -> str:
        if b.ordered:  # a new numbering instance per list: every list restarts at 1
            num_id = self.add_num()
            ppr = (self.pstyle("List Number") + '<w:numPr><w:ilvl w:val="0"/>'
                   f'<w:numId w:val="{num_id}"/></w:numPr>')
        else:
            ppr = self.pstyle("List Bullet")
        return "".join(para(ppr, self.runs(item, size)) for item in b.items)

    def cell(self, c: Cell, width: str, size: str, style: str, header: str = "") -> str:
        tcpr = f'<w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{header}</w:tcPr>'
        body: list[str] = []
        for b in c.blocks:
            if isinstance(b, Paragraph):
                body.append(para(f'<w:pStyle w:val="{self.style_ids[style]}"/>',
                                 self.runs(b.parts)))
            else:
                body.append(self.list_items(b, size))
        # A cell keeps its own empty paragraph only when it has no blocks at all.
        return f"<w:tc>{tcpr}{''.join(body) if c.blocks else '<w:p/>'}</w:tc>"

    def table(self, b: Table) -> str:
        size = self.half_points(8.0 if b.small else 9.0)
        style = self.small_table_text if b.small else self.table_text
        widths = b.widths or tuple(1.0 for _ in b.header)
        total = sum(widths) or 1.0
        tw = [str(self.twips(self.text_width_cm * w / total)) for w in widths]
        out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
               f'<w:tblW w:type="dxa" w:w="{self.table_width}"/>'
               '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>' + _TBL_LOOK +
               '<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{w}"/>' for w in tw]
        out.append('</w:tblGrid><w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>')
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="E6ECF4"/>'
        pstyle = f'<w:pStyle w:val="{self.style_ids[style]}"/>'
        for i, h in enumerate(b.header):
            out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{tw[i]}"/>{shade}</w:tcPr>'
                       + para(pstyle, run(self.xml_safe(h), bold=True)) + "</w:tc>")
        out.append("</w:tr>")
        for row in b.rows:
            short = sum(len(c.text) for c in row) < 250  # a short row stays on one page
            out.append('<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>' if short
                       else "<w:tr>")
            out += [self.cell(c, tw[i], size, style) for i, c in enumerate(row)]
            out.append("</w:tr>")
        out.append("</w:tbl><w:p/>")  # Word glues consecutive tables together otherwise
        return "".join(out)

    # -------------------------------------------------------------- blocks

    def block(self, b: Block) -> None:
        if isinstance(b, Paragraph):
            self.parts.append(para(self.pstyle(self.small_text if b.small else ""),
                                   self.runs(b.parts)))
        elif isinstance(b, ListBlock):
            self.parts.append(self.list_items(b))
        elif isinstance(b, Table):
            self.parts.append(self.table(b))
        elif isinstance(b, Figure):
            self.flush()
            self.add_figure(b)

    def section(self, s: Section, level: int) -> None:
        self.parts.append(para(self.pstyle(f"Heading {min(level, 9)}"),
                               run(self.xml_safe(s.title))))
        for b in s.blocks:
            self.block(b)
        for sub in s.sections:
            self.section(sub, level + 1)

    def flush(self) -> None:
        if self.parts:
            self.emit("".join(self.parts))
            self.parts.clear()
