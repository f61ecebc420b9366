"""Document -> one standalone, sanitised HTML5 page (plan.html, bijlage-vertrouwelijk.html, ...).

Written straight from the model with html.escape (no Markdown in between). The page is then
cleaned once more with nh3 (an allow list), so that even a mistake here cannot let a script,
a style attribute or an external resource through; figures are embedded as data: URIs after
that, and the Content-Security-Policy allows nothing else.

The classification is a banner on screen and the @page top-center text on every printed page
(a page margin box: it sits in the margin, so it can never overlap the text).
"""

from __future__ import annotations

import base64
import dataclasses
import html
import re
import signal
from collections.abc import Iterator
from functools import cache, lru_cache

import nh3

from wizard.files import resources
from wizard.files.slug import slugify
from wizard.plan.document import (
    CONFIDENTIAL,
    Block,
    Cell,
    CellCache,
    Document,
    Figure,
    Inline,
    LazyRows,
    ListBlock,
    Paragraph,
    Section,
    Table,
)

# Only what this renderer writes. No scripts, forms, styles or external images.
_TAGS = {
    "a", "br", "caption", "div", "em", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "img", "li", "nav", "ol", "p", "small", "strong", "table", "tbody",
    "td", "th", "thead", "tr", "ul", "span",
}
_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "div": {"class"}, "nav": {"class"}, "span": {"class"}, "p": {"class"},
    "table": {"class"}, "figure": {"class"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}
_FIGURE_SRC = "zelfscan-figuur-"  # placeholder src, replaced by the data: URI after sanitising


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _runs(parts: Inline) -> str:
    if len(parts) == 1:  # the usual case: one run
        t = parts[0]
        return _run(t.text, t.bold, t.italic).strip()
    return "".join([_run(t.text, t.bold, t.italic) for t in parts]).strip()


@lru_cache(maxsize=1024)  # pure; a batch renders the same question and advice texts per plan
def _run(text: str, bold: bool, italic: bool) -> str:
    # html.escape leaves '\n' alone, so escaping first and then marking the breaks is the
    # same as escaping each line.
    body = esc(text).replace("\n", "<br>")
    if bold:
        body = f"<strong>{body}</strong>"
    if italic:
        body = f"<em>{body}</em>"
    return body


def _list(b: ListBlock) -> str:
    tag = "ol" if b.ordered else "ul"
    items = "".join(f"<li>{_runs(i)}</li>" for i in b.items)
    return f"<{tag}>{items}</{tag}>"


def _cell_html(c: Cell) -> str:
    inner = "".join([f"<p>{_runs(b.parts)}</p>" if isinstance(b, Paragraph) else _list(b)
                     for b in c.blocks])
    return f"<td>{inner}</td>"


_cell = CellCache(_cell_html)  # a batch renders the same cells in every plan


def _table(b: Table) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in b.header)
    rows = "".join("<tr>" + "".join(_cell(c) for c in r) + "</tr>" for r in b.rows)
    cls = "tabel" + (f" tabel-{b.kind}" if b.kind else "") + (" klein" if b.small else "")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _block(b: Block, figures: dict[str, str]) -> str:
    if isinstance(b, Paragraph):
        text = _runs(b.parts)
        return f'<p class="klein">{text}</p>' if b.small else f"<p>{text}</p>"
    if isinstance(b, ListBlock):
        return _list(b)
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Figure):
        figures[b.name] = b.svg
        return (f'<figure class="figuur"><img alt="{esc(b.alt)}" src="{_FIGURE_SRC}{esc(b.name)}">'
                f"<figcaption>{esc(b.alt)}</figcaption></figure>")
    raise TypeError(type(b))


def anchor(title: str, used: set[str]) -> str:
    """A short, unique id for a heading (a title may hold a long, typed name)."""
    base = _anchor_base(title)
    out, n = base, 2
    while out in used:
        out, n = f"{base}-{n}", n + 1
    used.add(out)
    return out


@lru_cache(maxsize=1024)  # pure; the same chapter titles in every plan of a batch
def _anchor_base(title: str) -> str:
    return slugify(title)[:60].rstrip("-") or "kop"


def _anchors(doc: Document) -> tuple[str, list[str], list[tuple[int, str, str]]]:
    """The id of the title and of every section (in reading order), and the contents
    (levels 2 and 3): known before any section is written, so the page can be streamed."""
    used: set[str] = set()
    title = anchor(doc.title, used)
    ids: list[str] = []
    toc: list[tuple[int, str, str]] = []

    def visit(s: Section, level: int) -> None:
        ident = anchor(s.anchor or s.title, used)
        ids.append(ident)
        if level <= 3:
            toc.append((level, ident, s.title))
        for sub in s.sections:
            visit(sub, level + 1)

    for s in doc.sections:
        visit(s, 2)
    return title, ids, toc


def _section(s: Section, level: int, ids: Iterator[str],
             figures: dict[str, str]) -> Iterator[Piece]:
    ident = next(ids)
    yield f'<h{min(level, 6)} id="{ident}">{esc(s.title)}</h{min(level, 6)}>'
    for b in s.blocks:
        yield _piece(b, figures)
    for sub in s.sections:
        yield from _section(sub, level + 1, ids, figures)


def _toc(entries: list[tuple[int, str, str]]) -> str:
    """Contents (chapters and their sections), as nested lists of in-page links."""
    if not entries:
        return ""
    out = ['<nav class="toc"><p class="toctitle">Inhoud</p><ul>']
    open_sub = False
    for level, ident, title in entries:
        if level == 2:
            if open_sub:
                out.append("</ul></li>")
                open_sub = False
            elif len(out) > 1:
                out.append("</li>")
            out.append(f'<li><a href="#{ident}">{esc(title)}</a>')
        else:
            if not open_sub:
                out.append("<ul>")
                open_sub = True
            out.append(f'<li><a href="#{ident}">{esc(title)}</a></li>')
    out.append("</ul></li></ul></nav>" if open_sub else "</li></ul></nav>")
    return "".join(out)


def _keep(tag: str, attr: str, value: str) -> str | None:
    if attr == "href":  # in-page anchors only: a plan works offline and never calls out
        return value if re.fullmatch(r"#[\w-]*", value) else None
    if attr == "src":  # our own figures only; they become data: URIs after sanitising
        return value if value.startswith(_FIGURE_SRC) else None
    return value


# Signals whose handlers raise (Ctrl-C, stop, a batch worker's 'parent gone'). nh3 calls
# _keep from Rust for every attribute; an exception raised there by a signal handler is
# printed and dropped, and the page comes out without that attribute: complete and wrong.
# They are held while nh3 runs and handled right after it (Unix; elsewhere not needed for
# the workers, which need fork).
_HELD = ({signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
         if hasattr(signal, "pthread_sigmask") and hasattr(signal, "SIGHUP") else set())


def sanitize(body: str, images: bool = True) -> str:
    if not _HELD:
        return _clean(body, images)
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        return _clean(body, images)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _clean(body: str, images: bool) -> str:
    return nh3.clean(body, tags=_TAGS if images else _TAGS - {"img"}, attributes=_ATTRIBUTES,
                     attribute_filter=_keep, link_rel=None, strip_comments=True,
                     url_schemes=set())


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _embed(body: str, figures: dict[str, str]) -> str:
    def repl(m: re.Match[str]) -> str:
        name = html.unescape(m.group(1))
        return f'src="{svg_data_uri(figures[name])}"' if name in figures else 'src=""'

    return re.sub(r'src="' + re.escape(_FIGURE_SRC) + r'([^"]*)"', repl, body)


@cache
def _css() -> str:
    css = (resources.templates_dir() / "plan.css").read_text(encoding="utf-8")
    return css.replace("</", "<\\/")  # can never close the <style> element


def _marking_css(marking: str) -> str:
    text = marking.replace("\\", "").replace('"', "")
    return (f'@page {{ @top-center {{ content: "{text}"; }} '
            '@bottom-right { content: "Pagina " counter(page) " van " counter(pages); } }')


Piece = str | Table  # a Table here has LazyRows: sanitised and written in parts


def _piece(b: Block, figures: dict[str, str]) -> Piece:
    return b if isinstance(b, Table) and isinstance(b.rows, LazyRows) else _block(b, figures)


def _pieces(doc: Document, figures: dict[str, str]) -> Iterator[Piece]:
    title, ids, toc = _anchors(doc)
    yield f'<h1 id="{title}">{esc(doc.title)}</h1>'
    for b in doc.blocks:
        yield _piece(b, figures)
    if doc.toc:
        yield _toc(toc)
    sections = iter(ids)
    for s in doc.sections:
        yield from _section(s, 2, sections, figures)


CHUNK = 256 * 1024  # HTML sanitised per chunk of about this size (whole blocks; see stream)
ROWS_PER_CHUNK = 256


def stream(doc: Document) -> Iterator[str]:
    """The document as a standalone HTML page (deterministic), in chunks.

    Blocks are sanitised in groups of whole top-level blocks, a table of LazyRows in groups
    of rows inside its own table frame: the result is the same as sanitising the page in one
    piece (tested), but the overview of thousands of plans is never held whole (issue 17)."""
    figures: dict[str, str] = {}
    level = "vertrouwelijk" if doc.classification == CONFIDENTIAL else "openbaar"
    head, tail = frame(doc.title, doc.marking, level)
    yield head
    buffer: list[str] = []
    size = 0
    sep = ""
    for piece in _pieces(doc, figures):
        if isinstance(piece, str):
            buffer.append(piece)
            size += len(piece)
            if size < CHUNK:
                continue
        if buffer:
            yield sep + _embed(sanitize("\n".join(buffer)), figures)
            sep, buffer, size = "\n", [], 0
        if isinstance(piece, Table):
            yield sep
            yield from _lazy_table(piece)
            sep = "\n"
    if buffer:
        yield sep + _embed(sanitize("\n".join(buffer)), figures)
    yield tail


def _lazy_table(b: Table) -> Iterator[str]:
    """A table of LazyRows, sanitised a group of rows at a time inside the table's own
    frame (rows alone are not valid HTML to sanitise); the frame is written once."""
    frame = _table(dataclasses.replace(b, rows=()))
    opening, closing = frame[: -len(_CLOSE)], _CLOSE
    clean_frame = sanitize(frame)
    if not clean_frame.endswith(closing):  # never with this renderer: then in one piece
        yield sanitize(_table(b))
        return
    clean_open = clean_frame[: -len(closing)]
    yield clean_open
    group: list[str] = []
    for r in b.rows:
        group.append("<tr>" + "".join(_cell(c) for c in r) + "</tr>")
        if len(group) >= ROWS_PER_CHUNK:
            yield _rows(opening, clean_open, group)
            group = []
    if group:
        yield _rows(opening, clean_open, group)
    yield closing


_CLOSE = "</tbody></table>"


def _rows(opening: str, clean_open: str, rows: list[str]) -> str:
    clean = sanitize(opening + "".join(rows) + _CLOSE)
    if not (clean.startswith(clean_open) and clean.endswith(_CLOSE)):
        raise ValueError("HTML-tabel: opschonen veranderde het kader van de tabel")
    return clean[len(clean_open): -len(_CLOSE)]


def render(doc: Document) -> str:
    """The document as a standalone HTML page (deterministic)."""
    return "".join(stream(doc))


_CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">")


def page(title: str, body: str, marking: str, level: str) -> str:
    """The HTML5 frame: strict CSP, inline CSS, the classification banner."""
    head, tail = frame(title, marking, level)
    return head + body + tail


def frame(title: str, marking: str, level: str) -> tuple[str, str]:
    """The page before and after its body (see `page`)."""
    head = "\n".join([
        "<!DOCTYPE html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        _CSP,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{esc(title)} ({esc(marking)})</title>",
        "<style>",
        _css(),
        _marking_css(marking),
        "</style>",
        "</head>",
        "<body>",
        f'<div class="markering markering-{level}" role="note">{esc(marking)}</div>',
        "<main>",
        "",
    ])
    return head, "\n</main>\n</body>\n</html>\n"
