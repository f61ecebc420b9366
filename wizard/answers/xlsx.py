"""Answers as an Excel workbook: `zelfscan blank --xlsx` and reading it back.

Many officers prefer Excel to a YAML file. The workbook has:
- sheet "Intake": the date of the assessment and the intake questions;
- sheet "Antwoorden": one row per other question;
  columns A id, B sectie, C vraag, D toegestane waarden, E antwoord, F toelichting,
  G openbaar bevestigd ('ja': the answer may be public although the privacy check flags it;
  workbooks made before column G existed are read too);
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
from pathlib import Path
from typing import Any

from wizard.answers.workbook import (  # noqa: F401 - layout; write_blank_xlsx re-exported
    _SEP,
    ANSWER_COL,
    ANSWERS_SHEET,
    DATE_ID,
    HEADERS,
    INTAKE_SHEET,
    LABEL_NA,
    LABEL_UNKNOWN,
    META_SHEET,
    NOTE_COL,
    OLD_HEADERS,
    PUBLIC_COL,
    PUBLIC_YES,
    dropdown_entries,
    workbook_bytes,
    write_blank_xlsx,
)
from wizard.errors import Problem, ValidationError, ZelfscanError
from wizard.files.text import BAD_CHAR_HINT, bad_char_message
from wizard.files.yamlio import YamlDoc, read_bytes
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

MAX_XLSX_BYTES = 20 * 1024 * 1024
# Declared unpacked size: a zip bomb is refused before openpyxl inflates it in memory.
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
# Rows per sheet the reader takes. Far above what a questionnaire can hold (the YAML node
# limit allows some 28,000 questions), so every workbook `zelfscan blank --xlsx` writes is
# read in full; anything written below this row is an error that names the cell.
MAX_ROWS = 100_000


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


def _check_package(p: Path, raw: bytes) -> None:
    """Refuse what is not a workbook before openpyxl sees it: a renamed text file gets a
    clear message, a zip bomb is refused by its declared sizes (never unpacked)."""
    head = raw[:4096]
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
    import zipfile  # here: reading a YAML answers file need not load it (with shutil, lzma)

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl reports it as unreadable
    if unpacked > MAX_XLSX_UNPACKED:
        raise ZelfscanError(
            f"Excel-bestand is uitgepakt te groot ({unpacked // (1024 * 1024)} MiB)", file=p,
            hint="Controleer of dit de werkmap van 'zelfscan blank --xlsx' is.")


class _Reader:
    """Collects the data an answers YAML file would hold, the cell of every value, and the
    problems only a workbook can have (a cell beyond the limits, an answer without an id,
    a shifted column, a character no format can hold)."""

    def __init__(self, p: Path) -> None:
        self.p = p
        self.cells: list[str] = []  # fake 'line' numbers index into this list
        self.lines: dict[tuple, int] = {}
        self.problems: list[Problem] = []
        self.headers: tuple[str, ...] = HEADERS  # per sheet: an older workbook has six
        self.confirmed: list[str] = []

    def locate(self, path_: tuple, sheet: str, ref: str) -> None:
        self.cells.append(f"{sheet}!{ref}")
        self.lines[path_] = len(self.cells)

    def problem(self, sheet: str, ref: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(message, f"{self.p}:{sheet}!{ref}", None, hint))

    def value(self, raw: Any, sheet: str, ref: str) -> Any:
        value = _cell_value(raw)
        if isinstance(value, str):
            bad = bad_char_message(value)
            if bad:
                self.problem(sheet, ref, f"de cel {bad}", BAD_CHAR_HINT)
                return None
        return value

    def sheet_rows(self, ws: Any, sheet: str, q: Questionnaire, data: dict[str, Any],
                   answers: dict[str, Any], notes: dict[str, Any]) -> None:
        seen: dict[str, str] = {}
        for r, row in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            if r == 1:
                if not self._header_ok(row, sheet):
                    return  # columns moved: every answer would be read from the wrong cell
                continue
            headers = self.headers
            if r > MAX_ROWS:
                filled = next((i for i, v in enumerate(row) if _filled(v)), None)
                if filled is not None:
                    self.problem(sheet, f"{_col(filled)}{r}",
                                 f"hier staat iets onder rij {MAX_ROWS}, de laatste rij die "
                                 "Zelfscan leest; het zou worden overgeslagen",
                                 "Zet antwoorden in de rij van hun vraag (de werkmap van "
                                 "'zelfscan blank --xlsx' heeft voor elke vraag een rij).")
                    return
                continue
            for i in range(len(headers), len(row)):
                if _filled(row[i]):
                    self.problem(sheet, f"{_col(i)}{r}",
                                 "hier staat iets buiten de kolommen van de werkmap (A tot en "
                                 f"met {_col(len(headers) - 1)}); het zou worden overgeslagen",
                                 "Zet het antwoord in kolom E (antwoord) en een toelichting in "
                                 "kolom F (toelichting).")
            cells = list(row[:len(headers)]) + [None] * (len(headers) - len(row))
            raw_id = cells[0]
            answer = self.value(cells[4], sheet, f"{ANSWER_COL}{r}")
            note = self.value(cells[5], sheet, f"{NOTE_COL}{r}")
            public = self._public(cells[6] if len(cells) > 6 else None, sheet, r)
            if raw_id is None or str(raw_id).strip() == "":
                if answer is not None or note is not None:
                    col = ANSWER_COL if answer is not None else NOTE_COL
                    self.problem(sheet, f"{col}{r}",
                                 "hier staat een antwoord, maar kolom A (id) van deze rij is "
                                 "leeg: het hoort bij geen enkele vraag",
                                 "Zet het antwoord in de rij van de vraag, of vul de vraag-id "
                                 "in kolom A in.")
                continue
            qid = str(raw_id).strip()
            if qid == DATE_ID and sheet == INTAKE_SHEET:
                data["datum"] = answer
                self.locate(("datum",), sheet, f"{ANSWER_COL}{r}")
                if public:  # nothing is skipped silently
                    self.problem(sheet, f"{PUBLIC_COL}{r}",
                                 "de datum is geen antwoord dat openbaar bevestigd kan worden",
                                 f"Maak cel {PUBLIC_COL}{r} leeg.")
                continue
            if public:
                self.locate(("openbaar_bevestigd", len(self.confirmed)), sheet,
                            f"{PUBLIC_COL}{r}")
                self.confirmed.append(qid)
            if qid in seen:
                # Same id twice: keep the first, report the second (YAML refuses it too).
                self.problem(sheet, f"A{r}",
                             f"vraag '{qid}' staat twee keer in de werkmap (eerder in "
                             f"{seen[qid]})", "Verwijder een van de twee rijen.")
                continue
            seen[qid] = f"{sheet}!A{r}"
            question = q.question(qid) if q.has_question(qid) else None
            answers[qid] = _normalise_answer(question, answer)
            self.locate(("antwoorden", qid), sheet, f"{ANSWER_COL}{r}")
            if note is not None:
                notes[qid] = note if isinstance(note, str) else str(note)
                self.locate(("toelichtingen", qid), sheet, f"{NOTE_COL}{r}")

    def _public(self, raw: Any, sheet: str, r: int) -> bool:
        value = self.value(raw, sheet, f"{PUBLIC_COL}{r}")
        if not _filled(value):
            return False
        if str(value).strip().lower() == PUBLIC_YES:
            return True
        self.problem(sheet, f"{PUBLIC_COL}{r}",
                     f"in kolom {PUBLIC_COL} (openbaar bevestigd) staat '{_clip(str(value))}'; "
                     f"daar hoort '{PUBLIC_YES}' of niets",
                     f"Zet '{PUBLIC_YES}' als het antwoord na controle toch openbaar mag, "
                     "of maak de cel leeg.")
        return False

    def _header_ok(self, row: tuple, sheet: str) -> bool:
        # A workbook from before column G: six columns, read as before.
        got_g = str((row[6] if len(row) > 6 else None) or "").strip()
        self.headers = OLD_HEADERS if got_g == "" else HEADERS
        for i, expected in enumerate(self.headers):
            got = row[i] if i < len(row) else None
            if str(got or "").strip().lower() != expected:
                self.problem(sheet, f"{_col(i)}1",
                             f"kolom {_col(i)} heet '{got or ''}', maar hoort '{expected}' te "
                             "heten; is er een kolom ingevoegd, verplaatst of verwijderd?",
                             "Zet de kolommen terug zoals 'zelfscan blank --xlsx' ze maakt: "
                             + ", ".join(f"{_col(j)} {h}" for j, h in enumerate(HEADERS)) + ".")
                return False
        return True


def _clip(text: str, width: int = 40) -> str:
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 1] + "…"


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and value.strip() == "")


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_answers_xlsx(path: str | Path, q: Questionnaire, *, require_complete: bool = True):
    """Read a filled-in workbook into `wizard.answers.store.Answers`, validated like a YAML file.

    Raises ValidationError listing every problem, each located as `file:Blad!Cel`. Nothing
    in the workbook is skipped silently: a value the reader would not use (below the last
    row read, right of column F, in a row without a question id) is a problem too.
    """
    from wizard.answers.store import answers_from_data  # the YAML rules, applied to the same data

    p = Path(path)
    raw = read_bytes(p, what="Excel-bestand", max_bytes=MAX_XLSX_BYTES)
    _check_package(p, raw)
    try:
        from openpyxl import load_workbook

        # Read-only: rows are streamed, so a large workbook costs time linear in its size
        # and little memory. The bytes were read once above (no second open of the name).
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise ZelfscanError(
            "dit is geen leesbare Excel-werkmap (.xlsx): het bestand is beschadigd of in een "
            "ander formaat opgeslagen", file=p,
            hint="Sla het bestand in Excel op als 'Excel-werkmap (*.xlsx)', of begin opnieuw "
                 "met 'zelfscan blank --xlsx'.") from None
    try:
        reader = _Reader(p)
        data = _read_workbook(wb, reader, q)
    except (ZelfscanError, ValidationError):
        raise
    except Exception:  # noqa: BLE001 - a broken sheet inside a valid zip
        raise ZelfscanError(
            "dit is geen leesbare Excel-werkmap (.xlsx): een werkblad is beschadigd", file=p,
            hint="Sla het bestand in Excel opnieuw op als 'Excel-werkmap (*.xlsx)', of begin "
                 "opnieuw met 'zelfscan blank --xlsx'.") from None
    finally:
        wb.close()

    doc = YamlDoc(data, str(p), reader.lines)
    cells = reader.cells
    answers, problems = answers_from_data(data, q, doc, require_complete=require_complete)
    located = reader.problems + [
        Problem(pr.message, f"{p}:{cells[pr.line - 1]}" if pr.line and
                0 < pr.line <= len(cells) else str(p), None, pr.hint)
        for pr in problems
    ]
    if located:
        n = len(located)
        raise ValidationError(
            located,
            summary=f"{p}: {n} {'probleem' if n == 1 else 'problemen'} in de Excel-werkmap",
        )
    answers.source_file = str(p)
    # Locations as sheet and cell, not the fake line numbers used above.
    for (kind, qid) in list(answers.locations):
        key = ("antwoorden" if kind == "antwoord" else "toelichtingen", qid)
        if key in reader.lines:
            answers.locations[(kind, qid)] = f"{p}:{cells[reader.lines[key] - 1]}"
    return answers


def _read_workbook(wb: Any, reader: _Reader, q: Questionnaire) -> dict[str, Any]:
    p = reader.p
    missing_sheets = [s for s in (INTAKE_SHEET, ANSWERS_SHEET) if s not in wb.sheetnames]
    if missing_sheets:
        raise ZelfscanError(
            f"het werkblad '{missing_sheets[0]}' ontbreekt in de werkmap", file=p,
            hint="Gebruik een werkmap van 'zelfscan blank --xlsx' en hernoem de bladen niet.")
    data: dict[str, Any] = {}
    reader.locate((), INTAKE_SHEET, "A1")
    if META_SHEET in wb.sheetnames:
        meta = list(wb[META_SHEET].iter_rows(min_row=1, max_row=2, min_col=2, max_col=2,
                                              values_only=True))
        meta += [(None,)] * (2 - len(meta))
        data["vragenlijst"] = reader.value(meta[0][0] if meta[0] else None, META_SHEET, "B1")
        data["versie"] = reader.value(meta[1][0] if meta[1] else None, META_SHEET, "B2")
        reader.locate(("vragenlijst",), META_SHEET, "B1")
        reader.locate(("versie",), META_SHEET, "B2")
    # else: metadata gone; validation reports it as missing
    answers_data: dict[str, Any] = {}
    notes: dict[str, Any] = {}
    for sheet in (INTAKE_SHEET, ANSWERS_SHEET):
        if sheet == ANSWERS_SHEET:
            reader.locate(("antwoorden",), sheet, "A1")
        reader.sheet_rows(wb[sheet], sheet, q, data, answers_data, notes)
    data["antwoorden"] = answers_data
    if notes:
        data["toelichtingen"] = notes
    if reader.confirmed:
        data["openbaar_bevestigd"] = reader.confirmed
    return data


def load_any_answers(path: str | Path, q: Questionnaire, *, require_complete: bool = True):
    """An answers file of either kind: .xlsx via this module, anything else as YAML."""
    if str(path).lower().endswith((".xlsx", ".xlsm")):
        return read_answers_xlsx(path, q, require_complete=require_complete)
    from wizard.answers.store import load_answers

    return load_answers(path, q, require_complete=require_complete)
