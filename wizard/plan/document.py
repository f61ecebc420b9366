"""The document model: a plan, annex, overview or progress report as data.

Builders (`wizard.plan.build_*`, `overview`, `progress`) make a `Document` once from the
results; three small renderers (`markdown_out`, `html_out`, `docx_out`) write it. No renderer
reads another's output, so the three formats carry the same headings, paragraphs and table
cells by construction.

Text in the model is plain text, never markup: each renderer escapes it for its own format.
A '\\n' inside a `Text` is a line break the reader typed; it survives in every format.

The model is immutable, so equal pieces may be one object: `para` and `cell` of a plain
string return a shared object per text (a batch repeats most texts in every plan), and the
renderers cache what they made of a Cell by its identity.

Every block and section carries a classification (`PUBLIC` / `CONFIDENTIAL`).
`Document.leaks()` lists confidential elements in a public document: the pipeline refuses
to write a public document that has any, so a builder mistake cannot reach a public file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

PUBLIC = "openbaar"
CONFIDENTIAL = "vertrouwelijk"


@dataclass(frozen=True)
class Text:
    """A run of plain text; '\\n' is a line break."""

    text: str
    bold: bool = False
    italic: bool = False


Inline = tuple[Text, ...]


def inline(*parts: str | Text) -> Inline:
    """('Label: ', Text('x', bold=True), ...) -> a tuple of Text runs (empty strings dropped)."""
    out = []
    for p in parts:
        t = Text(p) if isinstance(p, str) else p
        if t.text:
            out.append(t)
    return tuple(out)


def plain(parts: Inline) -> str:
    return "".join(t.text for t in parts)


@dataclass(frozen=True)
class Paragraph:
    parts: Inline
    classification: str = PUBLIC
    small: bool = False  # a note or source line, shown smaller where the format can


@dataclass(frozen=True)
class ListBlock:
    items: tuple[Inline, ...]
    ordered: bool = False
    classification: str = PUBLIC


CellBlock = Paragraph | ListBlock


@dataclass(frozen=True)
class Cell:
    blocks: tuple[CellBlock, ...]

    @property
    def text(self) -> str:
        return " ".join(block_text(b) for b in self.blocks)


Row = tuple[Cell, ...]


class LazyRows:
    """Table rows made anew each time they are read, never held: the overview of a batch of
    thousands of plans has a row per plan (issue 17: flat memory). The renderers stream such
    a table (`markdown_out.stream`, `html_out.stream`)."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], Iterable[Row]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Row]:
        return iter(self._make())


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...] | LazyRows
    widths: tuple[float, ...] = ()  # relative column widths (Word); () = equal
    classification: str = PUBLIC
    small: bool = False  # a wide table: smaller type
    kind: str = ""  # what table this is ('sjabloon', 'agenda', ...): HTML class, CSS widths


@dataclass(frozen=True)
class Figure:
    """A chart: one drawing (`scene`, see wizard.plan.figures), written as SVG for Markdown
    and HTML and drawn as PNG for Word (only when Word is written: that costs time)."""

    name: str  # the SVG file next to plan.md, e.g. 'plan-kwadrant.svg'
    alt: str  # what the figure shows, in words (alt text and caption)
    svg: str
    scene: Any = field(default=None, compare=False, repr=False)
    width_cm: float = 14.0
    classification: str = PUBLIC


Block = Paragraph | ListBlock | Table | Figure


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    classification: str = PUBLIC
    anchor: str = ""  # HTML id; '' = made from the title


@dataclass(frozen=True)
class Document:
    title: str
    classification: str  # PUBLIC or CONFIDENTIAL: the marking on every page
    marking: str  # e.g. 'Openbaar concept'
    blocks: tuple[Block, ...] = ()  # before the first section (meta lines, intro)
    sections: tuple[Section, ...] = ()
    date: str | None = None  # ISO date of the assessment (Word properties)
    subject: str = ""  # Word property
    toc: bool = True  # a table of contents in HTML

    def walk(self) -> Iterator[Block | Section]:
        yield from self.blocks
        for s in self.sections:
            yield from _walk_section(s)

    def leaks(self) -> list[str]:
        """Confidential elements in a public document (always [] for a good builder)."""
        if self.classification != PUBLIC:
            return []
        out = []
        for el in self.walk():
            if el.classification != PUBLIC:
                out.append(el.title if isinstance(el, Section) else type(el).__name__)
        return out


def _walk_section(s: Section) -> Iterator[Block | Section]:
    yield s
    yield from s.blocks
    for sub in s.sections:
        yield from _walk_section(sub)


# --------------------------------------------------------------------------- helpers


def para(*parts: str | Text, small: bool = False) -> Paragraph:
    if len(parts) == 1 and type(parts[0]) is str and not small:
        return _text_para(parts[0])
    return Paragraph(inline(*parts), small=small)


# Performance: a batch builds the same question, heading and advice texts into every plan
# (~93% of cells and paragraphs repeat). The model is immutable, so equal text can share one
# object; bounded caches keep memory flat. Only exact str (a subclass could carry more).
@lru_cache(maxsize=1024)
def _text_para(text: str) -> Paragraph:
    return Paragraph(inline(text))


@lru_cache(maxsize=1024)
def _text_cell(text: str) -> Cell:
    return Cell((_text_para(text),))


class CellCache:
    """What a renderer made of a Cell, by the Cell's identity. The model shares one Cell
    object between all plans for a repeated text (`cell`), and a Cell is immutable. An entry
    holds the Cell itself, so its id cannot be reused while cached; cleared when full (flat
    memory)."""

    __slots__ = ("_limit", "_made", "_render")

    def __init__(self, render: Callable[[Cell], str], limit: int = 1024) -> None:
        self._render, self._limit = render, limit
        self._made: dict[int, tuple[Cell, str]] = {}

    def __call__(self, c: Cell) -> str:
        hit = self._made.get(id(c))
        if hit is not None and hit[0] is c:
            return hit[1]
        if len(self._made) >= self._limit:
            self._made.clear()
        text = self._render(c)
        self._made[id(c)] = (c, text)
        return text


def bullets(items: Iterable[str | Inline], ordered: bool = False) -> ListBlock:
    return ListBlock(tuple(inline(i) if isinstance(i, str) else i for i in items), ordered)


def cell(*blocks: CellBlock | str) -> Cell:
    if len(blocks) == 1 and type(blocks[0]) is str:
        return _text_cell(blocks[0])
    return Cell(tuple(para(b) if isinstance(b, str) else b for b in blocks))


def table(header: Iterable[str], rows: Iterable[Iterable[Cell | str]] | LazyRows,
          widths: Iterable[float] = (), small: bool = False, kind: str = "") -> Table:
    """A table; `rows` as LazyRows stays lazy (its rows must be tuples of Cells)."""
    made = rows if isinstance(rows, LazyRows) else tuple(_row(r) for r in rows)
    return Table(tuple(header), made, tuple(widths), small=small, kind=kind)


def _row(r: Iterable[Cell | str]) -> Row:
    return tuple(c if isinstance(c, Cell) else cell(c) for c in r)


def lazy_rows(make: Callable[[], Iterable[Iterable[Cell | str]]]) -> LazyRows:
    """LazyRows from rows of Cells or plain strings."""
    return LazyRows(lambda: (_row(r) for r in make()))


def block_text(b: Block) -> str:
    if isinstance(b, Paragraph):
        return plain(b.parts)
    if isinstance(b, ListBlock):
        return " ".join(plain(i) for i in b.items)
    if isinstance(b, Table):
        return " ".join([*b.header, *(c.text for r in b.rows for c in r)])
    return b.alt


@dataclass
class Outline:
    """Headings, paragraphs and table cells in reading order, as plain text: what every
    rendering must carry (tests extract the same from Markdown, HTML and Word)."""

    headings: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)


def outline(doc: Document) -> Outline:
    o = Outline(headings=[doc.title])
    for el in doc.walk():
        if isinstance(el, Section):
            o.headings.append(el.title)
        elif isinstance(el, Paragraph):
            o.paragraphs.append(plain(el.parts))
        elif isinstance(el, ListBlock):
            o.paragraphs += [plain(i) for i in el.items]
        elif isinstance(el, Table):
            o.cells += list(el.header)
            o.cells += [c.text for r in el.rows for c in r]
    return o
