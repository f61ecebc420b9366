"""Answers as an Excel workbook: `zelfscan blank --xlsx` and reading it back.

Many officers prefer Excel to a YAML file. The workbook has:
- sheet "Intake": the date of the assessment and the intake questions;
- sheet "Antwoorden": one row per other question;
  columns A id, B sectie, C vraag, D toegestane waarden, E antwoord, F toelichting;
- a hidden sheet "Zelfscan" with the questionnaire id and version (B1, B2) and the lists
  behind the drop-downs (scale and choice questions).

Reading builds exactly the data an answers YAML file would hold and validates it with
`wizard.answers.store` (the same rules, the same messages); only the location differs: a
problem names the sheet and cell, e.g. `antwoorden.xlsx:Antwoorden!E14`.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from wizard.errors import Problem, ValidationError, ZelfscanError, os_hint, os_reason
from wizard.files.yamlio import YamlDoc, atomic_write_bytes
from wizard.questionnaire.model import (
    CHOICE,
    NUMBER,
    NVT,
    SCALE,
    TEXT,
    WEET_NIET,
    Question,
    Questionnaire,
)

INTAKE_SHEET = "Intake"
ANSWERS_SHEET = "Antwoorden"
META_SHEET = "Zelfscan"
HEADERS = ("id", "sectie", "vraag", "toegestane waarden", "antwoord", "toelichting")
WIDTHS = (34, 26, 70, 40, 40, 40)
ANSWER_COL = "E"
NOTE_COL = "F"
DATE_ID = "datum"
MAX_XLSX_BYTES = 20 * 1024 * 1024
# Declared unpacked size: a zip bomb is refused before openpyxl inflates it in memory.
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
MAX_ROWS = 5000

LABEL_UNKNOWN = "weet niet"
LABEL_NA = "niet van toepassing"
_SEP = " – "
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


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


def _allowed_text(question: Question) -> str:
    from wizard.answers.store import allowed_text

    if question.kind == TEXT:
        return "vrije tekst"
    return allowed_text(question)


def workbook_bytes(q: Questionnaire, date: str | None = None) -> bytes:
    """The blank workbook as bytes (deterministic for the same questionnaire and date)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
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
                   "een datum, bijv. 2026-11-23", date or "", ""])
    intake[f"{ANSWER_COL}2"].number_format = "@"

    validations: dict[str, DataValidation] = {}
    for question in q.questions():
        ws = intake if _is_intake(question, q) else answers
        section = q.section(question.section_id)
        ws.append([question.id, section.title, question.text.strip(),
                   _allowed_text(question), None, None])
        row = ws.max_row
        for col in "ABCDF":
            ws[f"{col}{row}"].alignment = wrap
        ws[f"{ANSWER_COL}{row}"].alignment = wrap
        if question.kind == TEXT:
            ws[f"{ANSWER_COL}{row}"].number_format = "@"  # no dates made of '1-2'
        ws[f"{NOTE_COL}{row}"].number_format = "@"
        entries = dropdown_entries(question)
        if entries:
            formula = list_range(entries)
            key = f"{ws.title}|{formula}"
            dv = validations.get(key)
            if dv is None:
                # 'warning' rather than 'stop': typing a bare number still works.
                dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                                    errorStyle="warning", showErrorMessage=True,
                                    errorTitle="Onbekende waarde",
                                    error="Kies een waarde uit de lijst (of laat leeg).",
                                    promptTitle="Antwoord",
                                    prompt="Kies uit de lijst.", showInputMessage=True)
                ws.add_data_validation(dv)
                validations[key] = dv
            dv.add(f"{ANSWER_COL}{row}")

    props = wb.properties
    props.title = f"{q.title} — antwoorden"
    props.creator = "Zelfscan"
    props.language = "nl-NL"
    props.keywords = f"vragenlijst={q.id}; versie={q.version}"
    when = _date_time(date)
    props.created = when
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise(buf.getvalue(), when)


def _date_time(date: str | None) -> _dt.datetime:
    try:
        d = _dt.date.fromisoformat(str(date)[:10]) if date else _dt.date(2000, 1, 1)
    except ValueError:
        d = _dt.date(2000, 1, 1)
    return _dt.datetime(d.year, d.month, d.day, 12, 0, 0)


def _normalise(data: bytes, when: _dt.datetime) -> bytes:
    """Fixed zip timestamps and 'modified' = 'created' (openpyxl writes 'now')."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
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


def write_blank_xlsx(q: Questionnaire, path: str | Path, date: str | None = None) -> Path:
    """Write the blank workbook at `path` (atomically, readable by the user only)."""
    p = Path(path)
    atomic_write_bytes(p, workbook_bytes(q, date), private=True)
    return p


# --------------------------------------------------------------------------- reading


def _cell_value(value: Any) -> Any:
    """An Excel cell as the YAML reader would have given it."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value if value.strip() else None
    return value


_LEADING_INT = re.compile(r"^\s*([-+]?\d+)\s*(?:[–—-]\s*.*)?$", re.DOTALL)


def _normalise_answer(question: Question | None, value: Any) -> Any:
    """Turn drop-down text back into stored values; everything else is left to validation."""
    if question is None or value is None:
        return value
    if question.kind == TEXT:
        return value if isinstance(value, str) else str(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    low = text.lower()
    if low == LABEL_UNKNOWN and question.allows_unknown:
        return WEET_NIET
    if low == LABEL_NA and question.allows_na:
        return NVT
    if question.kind in (SCALE, NUMBER):
        m = _LEADING_INT.match(text)
        if m and (question.kind == NUMBER and text.lstrip("+-").isdigit() or
                  question.kind == SCALE):
            return int(m.group(1))
    if question.kind == CHOICE and _SEP in text:
        head = text.split(_SEP, 1)[0].strip()
        if any(str(o.value) == head for o in question.options):
            return head
    return text


def _check_package(p: Path) -> None:
    """Refuse what is not a workbook before openpyxl sees it: a renamed text file gets a
    clear message, a zip bomb is refused by its declared sizes (never unpacked)."""
    import zipfile

    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError as e:
        raise ZelfscanError(f"Excel-bestand kan niet worden gelezen ({os_reason(e)})", file=p,
                            hint=os_hint(e)) from None
    if not head.startswith(b"PK"):
        looks_text = b"\x00" not in head and head.strip() != b""
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            looks_text = False
        raise ZelfscanError(
            "dit is geen leesbare Excel-werkmap (.xlsx)"
            + (": het is een tekstbestand met de naam .xlsx" if looks_text else ""),
            file=p,
            hint=("Is het een antwoordbestand in YAML? Geef het dan de naam .yaml. Anders: "
                  if looks_text else "")
            + "maak een werkmap met 'zelfscan blank --xlsx' en vul die in Excel in.")
    try:
        with zipfile.ZipFile(p) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl reports it as unreadable
    if unpacked > MAX_XLSX_UNPACKED:
        raise ZelfscanError(
            f"Excel-bestand is uitgepakt te groot ({unpacked // (1024 * 1024)} MiB)", file=p,
            hint="Controleer of dit de werkmap van 'zelfscan blank --xlsx' is.")


def read_answers_xlsx(path: str | Path, q: Questionnaire, *, require_complete: bool = True):
    """Read a filled-in workbook into `wizard.answers.store.Answers`, validated like a YAML file.

    Raises ValidationError listing every problem, each located as `file:Blad!Cel`.
    """
    from wizard.answers.store import answers_from_data  # the YAML rules, applied to the same data

    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ZelfscanError("Excel-bestand niet gevonden", file=p,
                            hint="Controleer de naam en de map van het bestand.") from None
    except OSError as e:
        raise ZelfscanError(f"Excel-bestand kan niet worden gelezen ({os_reason(e)})", file=p,
                            hint=os_hint(e)) from None
    if size > MAX_XLSX_BYTES:
        raise ZelfscanError(f"Excel-bestand is te groot ({size // 1024} KiB)", file=p,
                            hint="Gebruik de werkmap van 'zelfscan blank --xlsx'.")
    _check_package(p)
    try:
        from openpyxl import load_workbook

        wb = load_workbook(p, read_only=False, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise ZelfscanError(
            "dit is geen leesbare Excel-werkmap (.xlsx): het bestand is beschadigd of in een "
            "ander formaat opgeslagen", file=p,
            hint="Sla het bestand in Excel op als 'Excel-werkmap (*.xlsx)', of begin opnieuw "
                 "met 'zelfscan blank --xlsx'.") from None

    cells: list[str] = []  # fake 'line' numbers index into this list
    lines: dict[tuple, int] = {}

    def locate(path_: tuple, sheet: str, ref: str) -> None:
        cells.append(f"{sheet}!{ref}")
        lines[path_] = len(cells)

    data: dict[str, Any] = {}
    missing_sheets = [s for s in (INTAKE_SHEET, ANSWERS_SHEET) if s not in wb.sheetnames]
    if missing_sheets:
        raise ZelfscanError(
            f"het werkblad '{missing_sheets[0]}' ontbreekt in de werkmap", file=p,
            hint="Gebruik een werkmap van 'zelfscan blank --xlsx' en hernoem de bladen niet.")
    locate((), INTAKE_SHEET, "A1")
    if META_SHEET in wb.sheetnames:
        meta = wb[META_SHEET]
        data["vragenlijst"] = _cell_value(meta["B1"].value)
        data["versie"] = _cell_value(meta["B2"].value)
        locate(("vragenlijst",), META_SHEET, "B1")
        locate(("versie",), META_SHEET, "B2")
    else:  # metadata gone: validation reports it as missing
        pass
    answers_data: dict[str, Any] = {}
    notes: dict[str, Any] = {}
    for sheet in (INTAKE_SHEET, ANSWERS_SHEET):
        ws = wb[sheet]
        locate(("antwoorden",), sheet, "A1") if sheet == ANSWERS_SHEET else None
        for row in ws.iter_rows(min_row=2, max_row=min(ws.max_row, MAX_ROWS), max_col=6):
            raw_id = row[0].value
            if raw_id is None or str(raw_id).strip() == "":
                continue
            qid = str(raw_id).strip()
            r = row[0].row
            answer = _cell_value(row[4].value if len(row) > 4 else None)
            note = _cell_value(row[5].value if len(row) > 5 else None)
            if qid == DATE_ID and sheet == INTAKE_SHEET:
                data["datum"] = answer
                locate(("datum",), sheet, f"{ANSWER_COL}{r}")
                continue
            question = q.question(qid) if q.has_question(qid) else None
            if qid in answers_data:
                # Same id twice: keep the first, report the second (YAML refuses it too).
                raise ZelfscanError(f"vraag '{qid}' staat twee keer in de werkmap",
                                    file=f"{p}:{sheet}!A{r}",
                                    hint="Verwijder een van de twee rijen.")
            answers_data[qid] = _normalise_answer(question, answer)
            locate(("antwoorden", qid), sheet, f"{ANSWER_COL}{r}")
            if note is not None:
                notes[qid] = note if isinstance(note, str) else str(note)
                locate(("toelichtingen", qid), sheet, f"{NOTE_COL}{r}")
    data["antwoorden"] = answers_data
    if notes:
        data["toelichtingen"] = notes

    doc = YamlDoc(data, str(p), lines)
    answers, problems = answers_from_data(data, q, doc, require_complete=require_complete)
    if problems:
        located = [
            Problem(pr.message, f"{p}:{cells[pr.line - 1]}" if pr.line and
                    0 < pr.line <= len(cells) else str(p), None, pr.hint)
            for pr in problems
        ]
        n = len(located)
        raise ValidationError(
            located,
            summary=f"{p}: {n} {'probleem' if n == 1 else 'problemen'} in de Excel-werkmap",
        )
    answers.source_file = str(p)
    return answers


def load_any_answers(path: str | Path, q: Questionnaire, *, require_complete: bool = True):
    """An answers file of either kind: .xlsx via this module, anything else as YAML."""
    if str(path).lower().endswith((".xlsx", ".xlsm")):
        return read_answers_xlsx(path, q, require_complete=require_complete)
    from wizard.answers.store import load_answers

    return load_answers(path, q, require_complete=require_complete)
