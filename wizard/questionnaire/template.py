"""Read the plan template (text export or Word document) into a TemplateDoc.

The template ("format plan van aanpak radicalisering en extremisme") has definitions,
an ambition, objectives and an activities table with the columns *Wat*, *Hoe* and
*Lokale uitwerking*. Nothing about the rows is hard-coded: whatever rows the table holds,
in whatever order, become rows here. Both readers (.txt, .docx) produce the same
intermediate form (preamble lines + table rows as lists of cells), so they cannot drift.

Text export conventions: every table cell starts with a line beginning with a TAB
(sometimes after stray spaces); `[bookmark: _Toc...]` is export noise;
"Klik of tik om tekst in te voeren." is a Word placeholder, never content.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from wizard.errors import ZelfscanError, os_hint, os_reason
from wizard.files.yamlio import MAX_FILE_BYTES, read_text
from wizard.questionnaire.model import Definition

PLACEHOLDER = "Klik of tik om tekst in te voeren."
WHAT = "sjabloon plan van aanpak"

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_CELL_START = re.compile(r"^[ \u00a0]*\t")
_BULLET = re.compile(r"^(?:[·•\uf0b7▪◦‣∙]\s*|[-*]\s+)")
_DETERMINER_START = re.compile(r"^(De|Het|Een)\b")
_DEFINITION = re.compile(r"^definitie\s+(.+)$", re.IGNORECASE)
# A sentence ends at . ! ? followed by space and a capital (or an opening quote/bracket).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ(\"'‘“])")
_ABBREVIATIONS = ("zgn.", "bijv.", "o.a.", "e.d.", "ca.", "nr.", "resp.", "m.b.t.", "i.v.m.",
                  "etc.", "ect.", "bv.", "vgl.", "evt.", "incl.", "excl.", "t.a.v.")

# Headings of the part before the table; the text under them goes to these fields.
_HEADINGS = {
    "radicalisering en extremisme": None,
    "definities": None,
    "ambitie en doelstellingen": None,
    "ambitie": "ambition",
    "lokale ambitie": "local_ambition",
    "doelstellingen": "objectives",
    "lokale doelstellingen": "local_objectives",
    "activiteiten": "activities",
}
_HEADER_CELLS = ("wat", "hoe", "lokale uitwerking")


@dataclass(frozen=True)
class HowBlock:
    """One paragraph of a *Hoe* cell; `bullet` for a '·' list item."""

    text: str
    bullet: bool = False


@dataclass(frozen=True)
class TemplateRow:
    number: int  # 1-based position in the table
    title: str  # the *Wat* cell's first line, as written
    subtitle: str  # the one-line text under the title in the *Wat* cell, or ""
    how: tuple[HowBlock, ...]
    questions: tuple[str, ...]  # the *Lokale uitwerking* questions, in order
    line: int | None = None  # line in the text export where the row starts

    @property
    def how_text(self) -> str:
        """Paragraphs separated by blank lines; consecutive bullets as '- ' lines."""
        return blocks_to_text(self.how)


@dataclass(frozen=True)
class TemplateDoc:
    name: str  # file name of the template (not the path: output must not depend on it)
    definitions: tuple[Definition, ...]
    ambition: str
    local_ambition: str  # the slot text, e.g. "Specifiek voor onze gemeente is er ..."
    objectives: tuple[str, ...]
    local_objectives: str
    rows: tuple[TemplateRow, ...]


def blocks_to_text(blocks: tuple[HowBlock, ...] | list[HowBlock]) -> str:
    out: list[str] = []
    prev_bullet = False
    for b in blocks:
        if b.bullet:
            if out and not prev_bullet:
                out.append("")
            out.append(f"- {b.text}")
        else:
            if out:
                out.append("")
            out.append(b.text)
        prev_bullet = b.bullet
    return "\n".join(out)


def clean(text: str) -> str:
    """Remove export noise and placeholders; normalise spaces."""
    text = _BOOKMARK.sub("", text).replace("\ufeff", "")
    text = text.replace(PLACEHOLDER, " ")
    return _SPACES.sub(" ", text).strip()


def split_sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and merged[-1].lower().endswith(_ABBREVIATIONS):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


# --- intermediate form -----------------------------------------------------------------


@dataclass
class _Line:
    text: str  # cleaned
    number: int | None  # 1-based line in the text export; None for .docx


@dataclass
class _RawRow:
    cells: list[list[_Line]]  # Wat, Hoe, [Lokale uitwerking]
    where: str  # for messages: "regel 42" / "tabelrij 3"
    line: int | None


def read_template(path: str | Path) -> TemplateDoc:
    """Read a .txt export or a .docx of the plan template. Raises ZelfscanError (Dutch)."""
    p = Path(path)
    if p.suffix.lower() == ".docx":
        preamble, rows = _read_docx(p)
    else:
        preamble, rows = _read_txt(p)
    return _build(p, preamble, rows)


def _read_txt(p: Path) -> tuple[list[_Line], list[_RawRow]]:
    text = read_text(p, what="sjabloon")
    raw_lines = text.split("\n")
    start = next((i for i, ln in enumerate(raw_lines) if _CELL_START.match(ln)), None)
    if start is None:
        raise ZelfscanError(
            "geen tabel 'Activiteiten' gevonden in het sjabloon",
            file=p,
            hint="In de tekstversie begint elke tabelcel met een tab; de kopregel is "
            "'<tab>Wat', '<tab>Hoe', '<tab>Lokale uitwerking'. Exporteer het sjabloon "
            "opnieuw als tekst, of geef het .docx-bestand op.",
        )
    preamble = [_Line(clean(ln), i + 1) for i, ln in enumerate(raw_lines[:start])]
    cells: list[list[_Line]] = []
    for i, ln in enumerate(raw_lines[start:], start=start):
        if _CELL_START.match(ln):
            cells.append([_Line(clean(_CELL_START.sub("", ln, count=1)), i + 1)])
        else:
            cells[-1].append(_Line(clean(ln), i + 1))
    return preamble, _rows_from_cells(p, cells)


def _first_text(cell: list[_Line]) -> _Line | None:
    return next((ln for ln in cell if ln.text), None)


def _is_title(cell: list[_Line]) -> bool:
    """A *Wat* cell starts with an upper-case title (not a question)."""
    first = _first_text(cell)
    if first is None:
        return False
    t = first.text
    return any(c.isalpha() for c in t) and t == t.upper() and not t.endswith("?") and len(t) <= 120


def _rows_from_cells(p: Path, cells: list[list[_Line]]) -> list[_RawRow]:
    """Group the flat list of cells of the text export into rows.

    Header first; then each row is Wat, Hoe and optionally Lokale uitwerking. After a Hoe
    cell, an upper-case title cell means the row had no questions cell.
    """
    firsts = [_first_text(c) for c in cells[:3]]
    header = [(f.text.lower() if f else "") for f in firsts]
    if not header or header[0] != "wat":
        first = cells[0][0]
        raise ZelfscanError(
            "de tabel 'Activiteiten' begint niet met de kopregel Wat / Hoe / Lokale uitwerking",
            file=p,
            line=first.number,
            hint="Controleer of de eerste tabelcel 'Wat' is.",
        )
    n_header = 0
    while n_header < len(header) and header[n_header] in _HEADER_CELLS:
        n_header += 1
    body = cells[n_header:]
    rows: list[_RawRow] = []
    i = 0
    while i < len(body):
        wat = body[i]
        if _first_text(wat) is None:  # an empty cell between rows: noise
            i += 1
            continue
        row_cells = [wat]
        if i + 1 < len(body):
            row_cells.append(body[i + 1])
        if i + 2 < len(body) and not _is_title(body[i + 2]):
            row_cells.append(body[i + 2])
        i += len(row_cells)
        line = _first_text(wat).number  # type: ignore[union-attr]
        rows.append(_RawRow(row_cells, f"regel {line}", line))
    if not rows:
        raise ZelfscanError(
            "de tabel 'Activiteiten' heeft geen rijen onder de kopregel",
            file=p,
            line=cells[0][0].number,
            hint="Elke rij heeft een cel Wat, Hoe en (meestal) Lokale uitwerking.",
        )
    return rows


# --- .docx -----------------------------------------------------------------------------


def _read_docx(p: Path) -> tuple[list[_Line], list[_RawRow]]:
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ZelfscanError(
            "sjabloon niet gevonden", file=p, hint="Controleer de naam en de map van het bestand."
        ) from None
    except OSError as e:
        raise ZelfscanError(f"sjabloon kan niet worden gelezen ({os_reason(e)})", file=p,
                            hint=os_hint(e)) from None
    if size > MAX_FILE_BYTES * 4:  # Word files are zipped and may hold images
        raise ZelfscanError(f"sjabloon is te groot ({size // 1024} KiB)", file=p)
    if not zipfile.is_zipfile(p):
        raise ZelfscanError(
            "dit is geen geldig Word-bestand (.docx)",
            file=p,
            hint="Open het in Word en sla het op als 'Word-document (*.docx)', of geef de "
            "tekstversie (.txt) op.",
        )
    # Zip bomb guard: a 1 MB .docx can unpack to gigabytes (zipfile never yields more
    # than the declared file_size, so the declared sizes are a real bound).
    try:
        with zipfile.ZipFile(p) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        unpacked = 0  # reported as unreadable below
    if unpacked > MAX_FILE_BYTES * 10:
        raise ZelfscanError(
            f"sjabloon is uitgepakt te groot ({unpacked // (1024 * 1024)} MiB; de grens is "
            f"{MAX_FILE_BYTES * 10 // (1024 * 1024)} MiB)",
            file=p,
            hint="Controleer of dit het juiste Word-bestand is, of geef de tekstversie (.txt) op.",
        )
    try:
        import docx  # python-docx; only needed for Word templates
        from docx.oxml.ns import qn

        document = docx.Document(str(p))
    except Exception:  # noqa: BLE001 - any broken package is the same user problem
        raise ZelfscanError(
            "het Word-bestand kan niet worden gelezen: het is beschadigd of in een ander "
            "formaat opgeslagen",
            file=p,
            hint="Open het in Word en sla het opnieuw op als .docx.",
        ) from None

    def para_text(el) -> str:  # type: ignore[no-untyped-def]
        parts: list[str] = []
        for node in el.iter():
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag in (qn("w:tab"), qn("w:br")):
                parts.append(" ")
        return "".join(parts)

    def cell_lines(tc) -> list[_Line]:  # type: ignore[no-untyped-def]
        # iter() also reaches paragraphs inside content controls (w:sdt).
        return [_Line(clean(para_text(par)), None) for par in tc.iter(qn("w:p"))]

    preamble: list[_Line] = []
    table = None
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            rows_xml = child.findall(qn("w:tr"))
            if rows_xml:
                head = [clean(" ".join(ln.text for ln in cell_lines(tc))).lower()
                        for tc in rows_xml[0].findall(qn("w:tc"))]
                if head and head[0] == "wat":
                    table = rows_xml
                    break
        elif child.tag in (qn("w:p"), qn("w:sdt")):
            for par in ([child] if child.tag == qn("w:p") else child.iter(qn("w:p"))):
                preamble.append(_Line(clean(para_text(par)), None))
    if table is None:
        raise ZelfscanError(
            "geen tabel 'Activiteiten' gevonden in het Word-bestand",
            file=p,
            hint="Het sjabloon moet een tabel hebben met de kolommen Wat, Hoe en "
            "Lokale uitwerking.",
        )
    rows: list[_RawRow] = []
    for n, tr in enumerate(table[1:], start=2):
        cells = [cell_lines(tc) for tc in tr.findall(qn("w:tc"))]
        if not any(ln.text for c in cells for ln in c):
            continue
        rows.append(_RawRow(cells[:3], f"tabelrij {n}", None))
    if not rows:
        raise ZelfscanError(
            "de tabel 'Activiteiten' heeft geen rijen onder de kopregel",
            file=p,
            hint="Elke rij heeft een cel Wat, Hoe en (meestal) Lokale uitwerking.",
        )
    return preamble, rows


# --- shared: intermediate form -> TemplateDoc --------------------------------------------


def _build(p: Path, preamble: list[_Line], raw_rows: list[_RawRow]) -> TemplateDoc:
    sections: dict[str, list[str]] = {}
    definitions: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for ln in preamble:
        text = ln.text
        if not text:
            continue
        key = text.lower().rstrip(":").strip()
        m = _DEFINITION.match(text)
        if m and len(text) <= 80:
            definitions.append((m.group(1).strip(), []))
            current = definitions[-1][1]
        elif key in _HEADINGS:
            field = _HEADINGS[key]
            current = sections.setdefault(field, []) if field else None
        elif current is not None:
            current.append(text)

    defs = []
    for term, paras in definitions:
        source = ""
        if len(paras) >= 2 and not paras[-1].endswith((".", ";", ":", "!", "?")):
            source = paras.pop()
        defs.append(Definition(term, "\n\n".join(paras), source))

    objectives: list[str] = []
    for para in sections.get("objectives", []):
        objectives.extend(split_sentences(para))

    rows = []
    for number, raw in enumerate(raw_rows, start=1):
        rows.append(_build_row(p, number, raw))
    return TemplateDoc(
        name=p.name,
        definitions=tuple(defs),
        ambition="\n\n".join(sections.get("ambition", [])),
        local_ambition=" ".join(sections.get("local_ambition", [])),
        objectives=tuple(objectives),
        local_objectives=" ".join(sections.get("local_objectives", [])),
        rows=tuple(rows),
    )


def _build_row(p: Path, number: int, raw: _RawRow) -> TemplateRow:
    wat = [ln.text for ln in raw.cells[0] if ln.text]
    if not wat:
        raise ZelfscanError(
            f"rij {number} van de tabel 'Activiteiten' heeft een lege cel Wat",
            file=p,
            line=raw.line,
            hint="Geef elke rij een titel in de kolom Wat.",
        )
    how_lines = [ln.text for ln in raw.cells[1] if ln.text] if len(raw.cells) > 1 else []
    if not how_lines:
        raise ZelfscanError(
            f"rij {number} ('{wat[0]}') van de tabel 'Activiteiten' heeft geen tekst in de "
            "kolom Hoe",
            file=p,
            line=raw.line,
            hint="Beschrijf in de kolom Hoe wat er in de gemeente geregeld moet zijn.",
        )
    how: list[HowBlock] = []
    for text in how_lines:
        if _BULLET.match(text):
            item = _BULLET.sub("", text, count=1).strip()
            if item:
                how.append(HowBlock(item, bullet=True))
        elif how and not how[-1].bullet and how[-1].text.endswith(","):
            # The export broke one sentence over two paragraphs ("..., (VAR),\nDe NCTV ...").
            text = _DETERMINER_START.sub(lambda m: m.group(1).lower(), text)
            how[-1] = HowBlock(f"{how[-1].text} {text}")
        else:
            how.append(HowBlock(text))
    questions = [ln.text for ln in raw.cells[2] if ln.text] if len(raw.cells) > 2 else []
    return TemplateRow(
        number=number,
        title=wat[0],
        subtitle=" ".join(wat[1:]),
        how=tuple(how),
        questions=tuple(questions),
        line=raw.line,
    )
