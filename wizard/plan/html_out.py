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
import html
import re
from functools import cache, lru_cache

import nh3

from wizard.files import resources
from wizard.files.slug import slugify
from wizard.plan.document import (
    CONFIDENTIAL,
    Block,
    Cell,
    Document,
    Figure,
    Inline,
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


# Rendered cells by identity (see markdown_out._CELLS: shared, immutable Cell objects).
_CELLS: dict[int, tuple[Cell, str]] = {}


def _cell(c: Cell) -> str:
    hit = _CELLS.get(id(c))
    if hit is not None and hit[0] is c:
        return hit[1]
    if len(_CELLS) >= 1024:
        _CELLS.clear()
    inner = "".join([f"<p>{_runs(b.parts)}</p>" if isinstance(b, Paragraph) else _list(b)
                     for b in c.blocks])
    text = f"<td>{inner}</td>"
    _CELLS[id(c)] = (c, text)
    return text


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


def _section(s: Section, level: int, out: list[str], figures: dict[str, str],
             used: set[str], toc: list[tuple[int, str, str]]) -> None:
    ident = anchor(s.anchor or s.title, used)
    if level <= 3:
        toc.append((level, ident, s.title))
    out.append(f'<h{min(level, 6)} id="{ident}">{esc(s.title)}</h{min(level, 6)}>')
    out += [_block(b, figures) for b in s.blocks]
    for sub in s.sections:
        _section(sub, level + 1, out, figures, used, toc)


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


def sanitize(body: str, images: bool = True) -> str:
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


def render(doc: Document) -> str:
    """The document as a standalone HTML page (deterministic)."""
    figures: dict[str, str] = {}
    used: set[str] = set()
    toc: list[tuple[int, str, str]] = []
    body: list[str] = [f'<h1 id="{anchor(doc.title, used)}">{esc(doc.title)}</h1>']
    body += [_block(b, figures) for b in doc.blocks]
    sections: list[str] = []
    for s in doc.sections:
        _section(s, 2, sections, figures, used, toc)
    if doc.toc:
        body.append(_toc(toc))
    clean = _embed(sanitize("\n".join(body + sections)), figures)
    level = "vertrouwelijk" if doc.classification == CONFIDENTIAL else "openbaar"
    return page(doc.title, clean, doc.marking, level)


_CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">")


def page(title: str, body: str, marking: str, level: str) -> str:
    """The HTML5 frame: strict CSP, inline CSS, the classification banner."""
    return "\n".join([
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
        body,
        "</main>",
        "</body>",
        "</html>",
        "",
    ])
