"""Markdown, HTML and Word carry the same content: headings, paragraphs and table cells are
read back from each format (with an independent reader per format) and compared, for the
plan and the annex of every example, and for the overview and the progress report."""

from __future__ import annotations

import io
import re
import typing
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from markdown_it import MarkdownIt

from wizard.answers.store import load_answers
from wizard.plan import docx_out, html_out, markdown_out
from wizard.plan.document import Document, outline
from wizard.plan.output import documents
from wizard.questionnaire.loader import load_questionnaire

Q = load_questionnaire()
EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


def norm(text: str) -> str:
    return " ".join(text.split())


Content = tuple[list[str], list[str], list[str]]


# --------------------------------------------------------------------------- Markdown


def _inline_text(tok) -> str:
    out = []
    for c in tok.children or []:
        if c.type in ("text", "code_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak") or c.type == "html_inline" and c.content == "<br>":
            out.append(" ")
        elif c.type == "image":
            out.append("")
    return "".join(out)


def from_markdown(md: str, marking: str) -> Content:
    heads, paras, cells = [], [], []
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    in_heading = in_cell = False
    for tok in tokens:
        if tok.type == "heading_open":
            in_heading = True
        elif tok.type == "heading_close":
            in_heading = False
        elif tok.type in ("th_open", "td_open"):
            in_cell = True
        elif tok.type in ("th_close", "td_close"):
            in_cell = False
        elif tok.type == "inline":
            text = _inline_text(tok)
            if in_heading:
                heads.append(text)
            elif in_cell:
                # A list inside a cell is written with a bullet or number per item.
                text = re.sub(r"(^| )(•|\d+\.) ", r"\1", text)
                cells.append(text)
            elif not text.strip() or norm(text) == marking:
                continue  # a figure (image only) or the marking line
            else:
                paras.append(text)
    return [norm(x) for x in heads], [norm(x) for x in paras], [norm(x) for x in cells]


# --------------------------------------------------------------------------- HTML


class _HtmlReader(HTMLParser):
    BLOCK: typing.ClassVar[set[str]] = {"p", "li"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.heads: list[str] = []
        self.paras: list[str] = []
        self.cells: list[str] = []
        self.stack: list[str] = []
        self.buf: list[str] | None = None
        self.cell: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class", "")
        if tag == "nav" or (tag == "div" and "markering" in cls) or tag in ("figcaption",
                                                                              "title", "style"):
            self.skip += 1
            self.stack.append("skip:" + tag)
            return
        self.stack.append(tag)
        if self.skip:
            return
        if tag in ("td", "th"):
            self.cell = []
        elif re.fullmatch(r"h[1-6]", tag) or (tag in self.BLOCK and self.cell is None):
            self.buf = []
        elif tag == "br":
            self.handle_startendtag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            target = self.cell if self.cell is not None else self.buf
            if target is not None:
                target.append(" ")

    def handle_endtag(self, tag):
        while self.stack:
            top = self.stack.pop()
            if top == "skip:" + tag:
                self.skip -= 1
                return
            if top == tag:
                break
        if self.skip:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.cells.append(norm("".join(self.cell)))
            self.cell = None
        elif self.cell is not None and tag in self.BLOCK:
            self.cell.append(" ")
        elif re.fullmatch(r"h[1-6]", tag) and self.buf is not None:
            self.heads.append(norm("".join(self.buf)))
            self.buf = None
        elif tag in self.BLOCK and self.buf is not None:
            self.paras.append(norm("".join(self.buf)))
            self.buf = None

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.buf is not None:
            self.buf.append(data)


def from_html(html: str) -> Content:
    r = _HtmlReader()
    r.feed(html)
    return r.heads, [p for p in r.paras if p], r.cells


# --------------------------------------------------------------------------- Word


def _para_text(p) -> str:
    out = []
    for el in p._p.iter():
        if el.tag == qn("w:t"):
            out.append(el.text or "")
        elif el.tag in (qn("w:br"), qn("w:tab")):
            out.append(" ")
    return "".join(out)


def from_word(data: bytes, marking: str) -> Content:
    d = docx.Document(io.BytesIO(data))
    heads, paras, cells = [], [], []
    body = d.element.body
    for el in body.iterchildren():
        if el.tag == qn("w:p"):
            p = docx.text.paragraph.Paragraph(el, d)
            text = norm(_para_text(p))
            style = p.style.name if p.style is not None else ""
            if style.startswith("Heading"):
                heads.append(text)
            elif style == "Caption" or not text or text == marking:
                continue  # a figure, its caption, a spacer, the marking under the title
            else:
                paras.append(text)
        elif el.tag == qn("w:tbl"):
            t = docx.table.Table(el, d)
            for row in t.rows:
                for c in row.cells:
                    cells.append(norm(" ".join(_para_text(p) for p in c.paragraphs)))
    return heads, paras, cells


# --------------------------------------------------------------------------- tests


def assert_same(doc: Document) -> None:
    model = outline(doc)
    expect = ([norm(x) for x in model.headings], [norm(x) for x in model.paragraphs],
              [norm(x) for x in model.cells])
    got = {
        "Markdown": from_markdown(markdown_out.render(doc), doc.marking),
        "HTML": from_html(html_out.render(doc)),
        "Word": from_word(docx_out.render(doc), doc.marking),
    }
    for fmt, content in got.items():
        for what, want, have in zip(("koppen", "alinea's", "tabelcellen"), expect, content):
            assert have == want, f"{fmt}: {what} wijken af van het document"
    assert expect[0] and expect[1]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_plan_and_annex_say_the_same_in_every_format(path):
    plan, annex, _ = documents(Q, load_answers(path, Q))
    assert plan.sections and annex.sections
    assert_same(plan)
    assert_same(annex)


def test_overview_and_progress_say_the_same_in_every_format():
    from wizard.assessment.compare import compare_files
    from wizard.plan.output import results
    from wizard.plan.overview import PlanRow, overview_document
    from wizard.plan.progress import report

    items, rows = [], []
    for path in EXAMPLES:
        a = load_answers(path, Q)
        p, adv = results(Q, a)
        items.append((Q, a, p, adv))
        rows.append(PlanRow(str(a.values["intake.gemeente"]), str(a.date), path.stem, p, adv))
    assert_same(overview_document(rows, ["kapot.yaml"], items[:-1]))
    old = next(p for p in EXAMPLES if p.name.endswith("2025.yaml"))
    new = next(p for p in EXAMPLES if p.name.endswith("2026.yaml"))
    assert_same(report(compare_files(old, new, Q)))


def test_free_text_line_breaks_survive_in_every_format(tmp_path):
    a = load_answers(EXAMPLES[0], Q)
    a.values["borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"] = "Eerste regel\nTweede regel"
    plan, _, _ = documents(Q, a)
    assert "Eerste regel<br>Tweede regel" in markdown_out.render(plan)
    assert "Eerste regel<br>Tweede regel" in html_out.render(plan)
    d = docx.Document(io.BytesIO(docx_out.render(plan)))
    xml = [c._tc.xml for t in d.tables for r in t.rows for c in r.cells
           if "Eerste regel" in c.text]
    assert xml and re.search(r"Eerste regel</w:t>.*<w:br/>.*Tweede regel", xml[0], re.DOTALL)
