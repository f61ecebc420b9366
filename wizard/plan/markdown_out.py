"""Document -> Markdown, the primary, readable output (plan.md, bijlage-vertrouwelijk.md, ...).

All text in the model is plain text: every run is escaped here so that nothing a
municipality typed can create a heading, list, table, link, image, code block or raw HTML.
Tables are pipe tables; a cell with several paragraphs or a list joins them with '<br>' (the
only HTML this renderer writes itself), so the template's three-column table stays one table.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from wizard.plan.document import (
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
from wizard.plan.text import lines

# Characters that mean something inline anywhere on a line. Parentheses, '.', '-', '+'
# and '#' only matter at a line start (list, heading) or after '[' (links), which is
# escaped, so they stay readable in plan.md.
_INLINE = re.compile(r"([\\`*_\[\]{}|!~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED = re.compile(r"^(\d+)([.)])")
_SPACES = re.compile(r" {2,}(?!\n)")


@lru_cache(maxsize=1024)  # a batch renders the same question and advice lines again and again
def escape_line(line: str) -> str:
    """Escape one stripped line so Markdown renders it as plain text."""
    # Most lines have none of these: a search is ~3x cheaper than a sub that finds nothing.
    s = _INLINE.sub(r"\\\1", line) if _INLINE.search(line) else line
    if "&" in s:
        s = _ENTITY.sub("&amp;", s)
    s = s.replace("<", "&lt;").replace(">", "\\>")
    # Block syntax that only counts at the start of a line.
    if s[:1] in ("#", "+", "-"):
        s = "\\" + s
    elif s[:1] == "=":  # setext heading underline; '=' has no backslash escape
        s = "&#61;" + s[1:]
    elif s[:1].isdigit():  # isdigit() holds for every \d, so this only skips the regex
        s = _ORDERED.sub(r"\1\\\2", s)
    return s


def md_text(value: Any) -> str:
    """Free text as one Markdown paragraph: escaped, line breaks kept as hard breaks."""
    return "  \n".join(escape_line(line) for line in lines(value))


def md_inline(value: Any) -> str:
    """Free text on one line (headings, list items): line breaks become spaces."""
    if type(value) is str:
        return _md_inline(value)
    return " ".join(escape_line(line) for line in lines(value))


@lru_cache(maxsize=1024)  # headings and table headers repeat in every plan
def _md_inline(text: str) -> str:
    return " ".join(escape_line(line) for line in lines(text))


def md_cell(value: Any) -> str:
    """Free text inside a table cell: one line, '|' escaped, never empty."""
    return "<br>".join(escape_line(line) for line in lines(value)) or "—"


def _runs(parts: Inline, sep: str = "  \n") -> str:
    """Inline runs as Markdown; '\\n' inside a run becomes `sep` (a hard break). Breaks at
    the edges of a bold or italic run go outside its markers (Markdown needs that)."""
    if len(parts) == 1:  # the usual case: one run
        t = parts[0]
        s = _run(t.text, t.bold, t.italic, sep)
    else:
        s = "".join([_run(t.text, t.bold, t.italic, sep) for t in parts])
    # One space between runs; a hard break's two spaces before '\n' stay.
    if "  " in s:
        s = _SPACES.sub(" ", s)
    return s.strip(" ")


@lru_cache(maxsize=1024)  # pure; a batch renders the same question and advice texts per plan
def _run(text: str, bold: bool, italic: bool, sep: str) -> str:
    """One run as Markdown, before the spaces between runs are evened out."""
    segs = text.split("\n")
    pre = post = ""
    while len(segs) > 1 and not segs[0].strip():
        pre, segs = pre + sep, segs[1:]
    while len(segs) > 1 and not segs[-1].strip():
        post, segs = post + sep, segs[:-1]
    body = sep.join(escape_line(x.strip()) for x in segs if x.strip())
    lead = " " if segs[0][:1] == " " else ""
    trail = " " if segs[-1][-1:] == " " else ""
    if body and bold:
        body = f"**{body}**"
    if body and italic:
        body = f"_{body}_"
    return pre + (lead + body + trail if body else lead or trail) + post


def _cell_text(c: Cell) -> str:
    parts: list[str] = []
    for b in c.blocks:
        if isinstance(b, Paragraph):
            parts.append(_runs(b.parts, sep="<br>"))
        else:
            for i, item in enumerate(b.items, start=1):
                parts.append(f"{i}. " if b.ordered else "• ")
                parts[-1] += _runs(item, sep="<br>")
    return "<br>".join(p for p in parts if p) or "—"


_cell = CellCache(_cell_text)  # a batch renders the same cells in every plan


def _block(b: Block) -> str:
    if isinstance(b, Paragraph):
        return _runs(b.parts)
    if isinstance(b, ListBlock):
        return "\n".join((f"{i}. " if b.ordered else "- ") + _runs(item, "  \n   ")
                         for i, item in enumerate(b.items, start=1))
    if isinstance(b, Table):
        return "".join(_table(b))
    if isinstance(b, Figure):
        alt = md_inline(b.alt).replace("[", "(").replace("]", ")")
        return f"![{alt}]({b.name})"
    raise TypeError(type(b))


def _table(b: Table) -> Iterator[str]:
    """A pipe table, a line at a time (a table of LazyRows is never held whole)."""
    yield "| " + " | ".join(md_inline(h) or "—" for h in b.header) + " |"
    yield "\n|" + "---|" * len(b.header)
    for r in b.rows:
        yield "\n| " + " | ".join(_cell(c) for c in r) + " |"


Piece = str | Iterator[str]


def _piece(b: Block) -> Piece:
    return _table(b) if isinstance(b, Table) and isinstance(b.rows, LazyRows) else _block(b)


def _section(s: Section, level: int) -> Iterator[Piece]:
    yield "#" * min(level, 6) + " " + md_inline(s.title)
    for b in s.blocks:
        yield _piece(b)
    for sub in s.sections:
        yield from _section(sub, level + 1)


def _pieces(doc: Document) -> Iterator[Piece]:
    yield "# " + md_inline(doc.title)
    yield f"**{doc.marking}**"
    for b in doc.blocks:
        yield _piece(b)
    for s in doc.sections:
        yield from _section(s, 2)


def stream(doc: Document) -> Iterator[str]:
    """The document as Markdown, in chunks: `render` without holding the whole text (the
    batch overview writes thousands of rows this way). Pieces (title, blocks, headings)
    are separated by a blank line, empty ones left out; exactly one final newline."""
    started = False
    held = ""  # trailing newlines of what was yielded last: dropped at the very end
    for piece in _pieces(doc):
        chunks = iter((piece,)) if isinstance(piece, str) else piece
        first = next(chunks, "")
        if not first:
            continue
        if started:
            first = "\n\n" + first
        started = True
        for chunk in itertools.chain((first,), chunks):
            text = held + chunk
            body = text.rstrip("\n")
            held = text[len(body):]
            if body:
                yield body
    yield "\n"


def render(doc: Document) -> str:
    """The document as Markdown (deterministic; exactly one final newline)."""
    return "".join(stream(doc))
