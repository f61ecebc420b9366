"""plan.md -> plan.docx: the plan as an editable Word document.

Converting the plan's own Markdown (rather than rendering the results a second time)
guarantees Word shows exactly what plan.md says. The Markdown is turned into HTML with the
markdown package, parsed into a small tree and walked into python-docx:
- headings use Word's built-in styles Heading 1–3, so the navigation pane works;
- Markdown tables become Word tables (style "Table Grid"), header row bold;
- lists use "List Bullet" / "List Number" (nested: "... 2" / "... 3");
- bold, italic and code become run formatting; the officer's open answers stay ordinary,
  editable paragraphs;
- images (the SVG charts) are given as their alternative text, because Word cannot
  embed SVG through python-docx.

Deterministic: core properties (created/modified) are set to the assessment date and the
zip is rewritten with fixed timestamps, so the same answers give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import markdown
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from wizard.files.yamlio import atomic_write_bytes

LANGUAGE = "nl-NL"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_VOID = {"br", "hr", "img", "input", "meta", "link", "col", "wbr"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre",
           "hr", "div", "dl", "section", "details", "figure"}


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving HTML -> tree parser (raw HTML inside Markdown must never crash us)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        node = _Node(tag, {k: (v or "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.stack[-1].children.append(_Node(tag, {k: (v or "") for k, v in attrs}))

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.stack[-1].children.append(data)


@cache
def _markdown_converter() -> markdown.Markdown:
    """One converter per process, reset per document: "extra" + "sane_lists", with the
    extensions passed as instances (in "extra"'s own order). By name, Markdown looks them
    up through package entry points (~30 ms per process)."""
    from markdown.extensions.abbr import AbbrExtension
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.md_in_html import MarkdownInHtmlExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    return markdown.Markdown(extensions=[
        FencedCodeExtension(), FootnoteExtension(), AttrListExtension(), DefListExtension(),
        TableExtension(), AbbrExtension(), MarkdownInHtmlExtension(), SaneListExtension()])


def _parse_markdown(md_text: str) -> _Node:
    converter = _markdown_converter()
    converter.reset()
    html_text = converter.convert(md_text)
    builder = _TreeBuilder()
    builder.feed(html_text)
    builder.close()
    return builder.root


def _text_of(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "img":
        return node.attrs.get("alt", "")
    return "".join(_text_of(c) for c in node.children)


class _Writer:
    def __init__(self, doc) -> None:  # type: ignore[no-untyped-def]
        self.doc = doc
        self.styles = {s.name for s in doc.styles}
        # python-docx resolves a style name by scanning every style on each assignment,
        # which made a plan take ~1 s; look the ids up once and set them directly.
        self.style_ids = {s.name: s.style_id for s in doc.styles}
        default = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default_style = default.name if default is not None else "Normal"

    def add_paragraph(self, style: str):  # type: ignore[no-untyped-def]
        para = self.doc.add_paragraph()
        if style != self.default_style and style in self.style_ids:
            para._p.get_or_add_pPr().style = self.style_ids[style]
        return para

    def style(self, name: str, fallback: str = "Normal") -> str:
        return name if name in self.styles else fallback

    # Inline content -------------------------------------------------------------------
    def inline(self, para, node: _Node | str, fmt: dict) -> None:  # type: ignore[no-untyped-def]
        if isinstance(node, str):
            text = " ".join(node.split("\n")) if not fmt.get("pre") else node
            if not text:
                return
            if not fmt.get("pre"):
                # HTML collapses whitespace; keep single spaces between words.
                import re

                text = re.sub(r"\s+", " ", text)
            run = para.add_run(text)
            run.bold = fmt.get("bold") or None
            run.italic = fmt.get("italic") or None
            if fmt.get("code"):
                run.font.name = "Consolas"
            if fmt.get("underline"):
                run.underline = True
            return
        tag = node.tag
        if tag == "br":
            para.add_run().add_break(WD_BREAK.LINE)
            return
        if tag == "img":
            alt = node.attrs.get("alt", "").strip()
            if alt:
                run = para.add_run(alt)
                run.italic = True
            return
        sub = dict(fmt)
        if tag in ("strong", "b"):
            sub["bold"] = True
        elif tag in ("em", "i"):
            sub["italic"] = True
        elif tag == "code":
            sub["code"] = True
        elif tag == "a":
            sub["underline"] = True
        for child in node.children:
            self.inline(para, child, sub)
        if tag == "a":
            href = node.attrs.get("href", "")
            text = _text_of(node).strip()
            if href and not href.startswith("#") and href != text:
                para.add_run(f" ({href})")

    def paragraph(self, nodes: list, style: str = "Normal", fmt: dict | None = None):  # type: ignore[no-untyped-def]
        para = self.add_paragraph(self.style(style))
        for n in nodes:
            self.inline(para, n, fmt or {})
        # Trim leading/trailing whitespace runs produced by HTML formatting.
        if para.runs:
            # Only rewrite a run when it needs trimming: setting run.text is costly.
            first, last = para.runs[0], para.runs[-1]
            if first.text.startswith(" "):
                first.text = first.text.lstrip(" ")
            if last.text.endswith(" "):
                last.text = last.text.rstrip(" ")
        return para

    # Blocks ----------------------------------------------------------------------------
    def blocks(self, node: _Node, list_depth: int = 0, quote: bool = False) -> None:
        inline_buf: list = []

        def flush() -> None:
            if any(_text_of(n).strip() for n in inline_buf):
                self.paragraph(inline_buf, "Quote" if quote else "Normal")
            inline_buf.clear()

        for child in node.children:
            if isinstance(child, str) or child.tag not in _BLOCKS | {"li"}:
                inline_buf.append(child)
                continue
            flush()
            self.block(child, list_depth, quote)
        flush()

    def block(self, node: _Node, list_depth: int, quote: bool) -> None:
        tag = node.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = min(int(tag[1]), 3)
            para = self.add_paragraph(self.style(f"Heading {level}"))
            for c in node.children:
                self.inline(para, c, {})
            if para.runs:
                para.runs[0].text = para.runs[0].text.lstrip()
                para.runs[-1].text = para.runs[-1].text.rstrip()
        elif tag == "p":
            style = "Quote" if quote else "Normal"
            lead, rest = _split_label(node.children)
            if lead:
                # '_Question?_  \nanswer': the answer gets its own, freely editable paragraph.
                self.paragraph(lead, style)
                self.paragraph(rest, style)
            else:
                self.paragraph(node.children, style)
        elif tag in ("ul", "ol"):
            base = "List Bullet" if tag == "ul" else "List Number"
            depth = min(list_depth + 1, 3)
            style = base if depth == 1 else f"{base} {depth}"
            for li in node.children:
                if isinstance(li, str):
                    continue
                self.list_item(li, style, list_depth + 1, quote)
        elif tag == "table":
            self.table(node)
        elif tag == "blockquote":
            self.blocks(node, list_depth, quote=True)
        elif tag == "pre":
            self.paragraph(node.children, "Normal", {"pre": True, "code": True})
        elif tag == "hr":
            return
        else:  # div, section, dl, ...: walk through
            self.blocks(node, list_depth, quote)

    def list_item(self, li: _Node, style: str, depth: int, quote: bool) -> None:
        inline: list = []
        rest: list[_Node] = []
        for c in li.children:
            if not isinstance(c, str) and c.tag in _BLOCKS:
                if c.tag == "p" and not rest and not any(_text_of(x).strip() for x in inline):
                    inline.extend(c.children)  # loose list: first <p> is the item text
                else:
                    rest.append(c)
            elif not rest:
                inline.append(c)
            else:
                rest.append(_Node("p", children=[c]) if isinstance(c, str) else c)
        self.paragraph(inline, self.style(style, "List Bullet"))
        for c in rest:
            if isinstance(c, _Node) and c.tag == "p" and not _text_of(c).strip():
                continue
            self.block(c, depth, quote)

    def table(self, node: _Node) -> None:
        rows: list[tuple[bool, list[_Node]]] = []

        def collect(n: _Node, header: bool) -> None:
            for c in n.children:
                if isinstance(c, str):
                    continue
                if c.tag == "tr":
                    cells = [x for x in c.children if not isinstance(x, str) and x.tag in ("td", "th")]
                    rows.append((header or all(x.tag == "th" for x in cells), cells))
                elif c.tag in ("thead", "tbody", "tfoot"):
                    collect(c, c.tag == "thead")

        collect(node, False)
        if not rows:
            return
        ncols = max(len(cells) for _, cells in rows)
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = self.style("Table Grid", table.style.name if table.style else "Normal")
        for header, cells in rows:
            row = table.add_row()
            if header:
                _mark_header_row(row)
            for i in range(ncols):
                cell = row.cells[i]
                para = cell.paragraphs[0]
                if i < len(cells):
                    for c in cells[i].children:
                        if isinstance(c, _Node) and c.tag in ("p", "ul", "ol"):
                            if para.runs:
                                para = cell.add_paragraph()
                            for cc in (c.children if c.tag == "p" else [c]):
                                self.inline(para, _flatten_list(cc), {"bold": header})
                        else:
                            self.inline(para, c, {"bold": header})
                if para.runs:
                    para.runs[-1].text = para.runs[-1].text.rstrip()
                    para.runs[0].text = para.runs[0].text.lstrip()
        self.doc.add_paragraph()  # Word glues consecutive tables together otherwise


def _split_label(children: list) -> tuple[list, list]:
    """([label], [rest]) when a paragraph opens with an emphasised label and a line break."""
    items = [c for c in children if not (isinstance(c, str) and not c.strip())]
    if (len(items) >= 3 and isinstance(items[0], _Node) and items[0].tag in ("em", "strong")
            and isinstance(items[1], _Node) and items[1].tag == "br"):
        i = children.index(items[1])
        return children[:i], children[i + 1:]
    return [], children


def _flatten_list(node: _Node | str) -> _Node | str:
    """A list inside a table cell: items on their own lines, with a dash."""
    if isinstance(node, str) or node.tag not in ("ul", "ol"):
        return node
    out = _Node("span")
    first = True
    for li in node.children:
        if isinstance(li, str):
            continue
        if not first:
            out.children.append(_Node("br"))
        out.children.append("– ")
        out.children.extend(li.children)
        first = False
    return out


def _mark_header_row(row) -> None:  # type: ignore[no-untyped-def]
    """Repeat the header row on every page (Word's 'Herhalen als veldnamenrij')."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _set_language(doc, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Dutch spelling and hyphenation for the whole document (document defaults)."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPrDefault"))
    if rpr is None:
        return
    r_pr = rpr.find(qn("w:rPr"))
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


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps (python-docx uses 'now')."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return buf.getvalue()


def markdown_to_docx_bytes(md_text: str, title: str, date: str | None = None) -> bytes:
    """The Word document for `md_text`, as bytes (deterministic for the same input)."""
    doc = Document()
    _set_language(doc, LANGUAGE)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    props = doc.core_properties
    # Word's core properties hold at most 255 characters; a long municipality name must
    # not stop the document from being written.
    props.title = title if len(title) <= 255 else title[:254] + "…"
    props.language = LANGUAGE
    props.author = "Zelfscan"
    props.last_modified_by = "Zelfscan"
    props.subject = "Concept plan van aanpak radicalisering en extremisme"
    props.keywords = "zelfscan; plan van aanpak; radicalisering; extremisme"
    props.comments = "Concept, gemaakt met Zelfscan. Bewerk dit document vrij."
    props.revision = 1
    when = _date_time(date)
    props.created = when
    props.modified = when
    props.last_printed = when
    Writer = _Writer(doc)
    Writer.blocks(_parse_markdown(md_text))
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue())


def markdown_to_docx(md_text: str, path: str | Path, title: str, date: str | None = None) -> Path:
    """Write plan Markdown as a Word document at `path` (atomically). Returns the path."""
    p = Path(path)
    atomic_write_bytes(p, markdown_to_docx_bytes(md_text, title, date))
    return p
