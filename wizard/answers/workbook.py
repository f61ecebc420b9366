"""The blank answers workbook: its layout and `zelfscan blank --xlsx`.

Reading it back is wizard.answers.xlsx. Writing is linear in the number of questions and
deterministic for the same questionnaire and date.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wizard.files.docdate import document_datetime
from wizard.files.yamlio import atomic_write_bytes
from wizard.questionnaire.model import CHOICE, SCALE, TEXT, Question, Questionnaire

INTAKE_SHEET = "Intake"
ANSWERS_SHEET = "Antwoorden"
META_SHEET = "Zelfscan"
HEADERS = ("id", "sectie", "vraag", "toegestane waarden", "antwoord", "toelichting",
           "openbaar bevestigd")
# Workbooks written before column G existed are still read (wizard.answers.xlsx).
OLD_HEADERS = HEADERS[:6]
WIDTHS = (34, 26, 70, 40, 40, 40, 20)
ANSWER_COL = "E"
NOTE_COL = "F"
# 'ja' here: the answer may be public although the privacy check flags it (the workbook's
# form of the answers file's 'openbaar_bevestigd'; wizard.answers.screen).
PUBLIC_COL = "G"
PUBLIC_YES = "ja"
DATE_ID = "datum"

LABEL_UNKNOWN = "weet niet"
LABEL_NA = "niet van toepassing"
_SEP = " – "


def _is_intake(question: Question, q: Questionnaire) -> bool:
    return q.section(question.section_id).kind == "intake"


def dropdown_entries(question: Question) -> list[str]:
    """What the drop-down offers: '2 – Deels' for scales, labels for choices, specials."""
    if question.kind == SCALE:
        entries = [f"{o.value}{_SEP}{o.label}" for o in question.options]
    elif question.kind == CHOICE:
        entries = [o.label for o in question.options]
    else:
        return []
    if question.allows_unknown:
        entries.append(LABEL_UNKNOWN)
    if question.allows_na:
        entries.append(LABEL_NA)
    return entries


PROGRESS_STEP = 500  # questions between two progress calls of workbook_bytes
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _allowed_text(question: Question) -> str:
    from wizard.answers.store import allowed_text

    if question.kind == TEXT:
        return "vrije tekst"
    return allowed_text(question)


def _row_ranges(col: str, rows: list[int]) -> str:
    """'E3:E7 E9' for rows [3, 4, 5, 6, 7, 9] (ascending): one range per run of rows."""
    parts: list[str] = []
    start = prev = rows[0]
    for r in rows[1:] + [-1]:
        if r == prev + 1:
            prev = r
            continue
        parts.append(f"{col}{start}" if start == prev else f"{col}{start}:{col}{prev}")
        start = prev = r
    return " ".join(parts)


def workbook_bytes(q: Questionnaire, date: str | None = None,
                   progress: Callable[[int, int], None] | None = None) -> bytes:
    """The blank workbook as bytes (deterministic for the same questionnaire and date).

    Linear in the number of questions; `progress(done, total)` is called now and then."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.cell_range import MultiCellRange
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    intake = wb.active
    intake.title = INTAKE_SHEET
    answers = wb.create_sheet(ANSWERS_SHEET)
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta["A1"], meta["B1"] = "vragenlijst", q.id
    meta["A2"], meta["B2"] = "versie", q.version
    meta["A3"] = "Niet wijzigen: Zelfscan leest hier welke vragenlijst bij deze werkmap hoort."

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    wrap = Alignment(wrap_text=True, vertical="top")
    lists: dict[tuple[str, ...], str] = {}  # entries -> range on the meta sheet

    def list_range(entries: list[str]) -> str:
        key = tuple(entries)
        if key not in lists:
            col = 4 + len(lists)  # D, E, ... on the hidden sheet
            from openpyxl.utils import get_column_letter

            letter = get_column_letter(col)
            for i, e in enumerate(entries, start=1):
                meta.cell(row=i, column=col, value=e)
            lists[key] = f"{META_SHEET}!${letter}$1:${letter}${len(entries)}"
        return lists[key]

    for ws in (intake, answers):
        ws.append(list(HEADERS))
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
        ws.freeze_panes = "A2"
        from openpyxl.utils import get_column_letter

        for i, width in enumerate(WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width

    intake.append([DATE_ID, "", "Datum van de zelfscan (JJJJ-MM-DD); het plan noemt deze datum.",
                   "een datum, bijv. 2026-11-23", date or "", "", None])
    intake[f"{ANSWER_COL}2"].number_format = "@"

    # Rows are counted here and the drop-down ranges collected and set once at the end:
    # `ws.max_row` and `DataValidation.add` each scan everything written so far, which made
    # a large questionnaire quadratic (10,000 questions: 44 s; now linear).
    next_row = {INTAKE_SHEET: 3, ANSWERS_SHEET: 2}
    styles: dict[bool, Any] = {}  # text cell or not -> openpyxl StyleArray
    validations: dict[str, tuple[DataValidation, list[int]]] = {}
    total = sum(1 for _ in q.questions())
    for done, question in enumerate(q.questions(), start=1):
        if progress is not None and done % PROGRESS_STEP == 0:
            progress(done, total)
        ws = intake if _is_intake(question, q) else answers
        section = q.section(question.section_id)
        ws.append([question.id, section.title, question.text.strip(),
                   _allowed_text(question), None, None, None])
        row = next_row[ws.title]
        next_row[ws.title] = row + 1
        for col_no, col in enumerate("ABCDEFG", start=1):
            cell = ws.cell(row=row, column=col_no)
            # Text cells (answer of a text question, note): no dates made of '1-2'.
            as_text = col in (NOTE_COL, PUBLIC_COL) or (col == ANSWER_COL and question.kind == TEXT)
            proto = styles.get(as_text)
            if proto is None:
                cell.alignment = wrap
                if as_text:
                    cell.number_format = "@"
                styles[as_text] = cell._style
            else:
                # Copying the finished style record skips openpyxl's style hashing per
                # cell (most of the time for a large questionnaire); same bytes.
                cell._style = copy.copy(proto)
        entries = dropdown_entries(question)
        if entries:
            formula = list_range(entries)
            key = f"{ws.title}|{formula}"
            if key not in validations:
                # 'warning' rather than 'stop': typing a bare number still works.
                dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                                    errorStyle="warning", showErrorMessage=True,
                                    errorTitle="Onbekende waarde",
                                    error="Kies een waarde uit de lijst (of laat leeg).",
                                    promptTitle="Antwoord",
                                    prompt="Kies uit de lijst.", showInputMessage=True)
                ws.add_data_validation(dv)
                validations[key] = (dv, [])
            validations[key][1].append(row)
    for dv, rows in validations.values():
        dv.sqref = MultiCellRange(_row_ranges(ANSWER_COL, rows))
    for ws in (intake, answers):
        last = next_row[ws.title] - 1
        first = 3 if ws is intake else 2
        if last >= first:
            dv = DataValidation(type="list", formula1=f'"{PUBLIC_YES}"', allow_blank=True,
                                errorStyle="stop", showErrorMessage=True,
                                errorTitle="Alleen 'ja' of leeg",
                                error="Zet 'ja' als dit antwoord na controle toch openbaar "
                                      "mag; laat de cel anders leeg.",
                                promptTitle="Openbaar bevestigd",
                                prompt="Alleen nodig als Zelfscan meldt dat dit antwoord over "
                                       "personen of een casus lijkt te gaan: 'ja' = het mag "
                                       "na controle toch in het openbare plan.",
                                showInputMessage=True)
            ws.add_data_validation(dv)
            dv.sqref = MultiCellRange(f"{PUBLIC_COL}{first}:{PUBLIC_COL}{last}")
    if progress is not None:
        progress(total, total)

    props = wb.properties
    props.title = f"{q.title} — antwoorden"
    props.creator = "Zelfscan"
    props.language = "nl-NL"
    props.keywords = f"vragenlijst={q.id}; versie={q.version}"
    when = document_datetime(date)
    props.created = when
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise(buf.getvalue(), when)



def _normalise(data: bytes, when: _dt.datetime) -> bytes:
    """Fixed zip timestamps and 'modified' = 'created' (openpyxl writes 'now')."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    import zipfile  # here: only writing a workbook needs it (start-up of other commands)

    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp + rb"\g<2>", blob)
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, blob)
    return buf.getvalue()


def write_blank_xlsx(q: Questionnaire, path: str | Path, date: str | None = None,
                     progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the blank workbook at `path` (atomically, readable by the user only)."""
    p = Path(path)
    atomic_write_bytes(p, workbook_bytes(q, date, progress), private=True)
    return p


