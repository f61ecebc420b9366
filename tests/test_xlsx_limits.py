"""Issue 18, item 5: nothing silently dropped from a workbook. Every value the reader would
not use is an error naming the sheet and cell; the row limit is above anything `blank --xlsx`
writes; `blank --xlsx` is linear in the number of questions and says so when it is large."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import big_questionnaire
from openpyxl import load_workbook

from wizard.answers import xlsx
from wizard.answers.xlsx import read_answers_xlsx, write_blank_xlsx
from wizard.cli import main
from wizard.errors import ValidationError
from wizard.questionnaire.loader import load_questionnaire


@pytest.fixture(scope="module")
def blank(tmp_path_factory, q):
    path = tmp_path_factory.mktemp("xlsx") / "leeg.xlsx"
    write_blank_xlsx(q, path, date="2026-11-23")
    return path


def _filled(blank: Path, folder: Path, name: str, change) -> Path:  # type: ignore[no-untyped-def]
    wb = load_workbook(blank)
    wb["Intake"]["E3"] = "Testdorp"
    change(wb)
    path = folder / name
    wb.save(path)
    return path


def _problems(path: Path, q) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        read_answers_xlsx(path, q, require_complete=False)
    return [f"{p.file}: {p.message}" for p in exc.value.problems]


def test_rows_inserted_above_the_answers_are_all_still_read(blank, tmp_path, q):
    """The issue's case: 6,000 rows inserted above the answers used to push them past the
    reader's limit (5,000), and the file validated as 'OK' with a plan of 'niet beantwoord'."""
    def insert(wb):  # type: ignore[no-untyped-def]
        ws = wb["Antwoorden"]
        last = ws.max_row
        ws.cell(last, 5, "weet niet")  # the last question, answered
        ws.insert_rows(2, 6000)

    path = _filled(blank, tmp_path, "ingevoegd.xlsx", insert)
    answers = read_answers_xlsx(path, q, require_complete=False)
    last = [x for x in q.questions() if q.section(x.section_id).kind != "intake"][-1]
    assert answers.values.get(last.id) == "weet_niet"


def test_a_value_below_the_last_row_read_is_an_error_with_its_cell(blank, tmp_path, q,
                                                                    monkeypatch):
    rows = load_workbook(blank)["Antwoorden"].max_row
    monkeypatch.setattr(xlsx, "MAX_ROWS", rows + 5)
    path = _filled(blank, tmp_path, "te-laag.xlsx",
                   lambda wb: wb["Antwoorden"].cell(rows + 10, 5, "2"))
    problems = _problems(path, q)
    assert any(f"{path}:Antwoorden!E{rows + 10}: hier staat iets onder rij {rows + 5}" in p
               for p in problems), problems


def test_values_outside_the_columns_or_without_a_question_are_errors(blank, tmp_path, q):
    def change(wb):  # type: ignore[no-untyped-def]
        ws = wb["Antwoorden"]
        ws.cell(5, 8, "een toelichting in kolom H")
        ws.cell(6, 7, "een toelichting in kolom G")
        wb["Intake"].cell(2, 7, "ja")  # the date row
        ws.cell(ws.max_row + 2, 5, "een antwoord zonder vraag")

    path = _filled(blank, tmp_path, "buiten.xlsx", change)
    problems = _problems(path, q)
    assert any(f"{path}:Antwoorden!H5: hier staat iets buiten de kolommen van de werkmap (A "
               "tot en met G)" in p for p in problems), problems
    # Column G takes only 'ja' (openbaar bevestigd): anything else is named, not ignored.
    assert any(f"{path}:Antwoorden!G6: in kolom G (openbaar bevestigd) staat 'een toelichting "
               "in kolom G'; daar hoort 'ja' of niets" in p for p in problems), problems
    assert any(f"{path}:Intake!G2: de datum is geen antwoord dat openbaar bevestigd kan worden"
               in p for p in problems), problems
    assert any("kolom A (id) van deze rij is leeg" in p and f"{path}:Antwoorden!E" in p
               for p in problems)


def test_an_inserted_column_is_an_error_not_a_shifted_read(blank, tmp_path, q):
    path = _filled(blank, tmp_path, "kolom.xlsx",
                   lambda wb: wb["Antwoorden"].insert_cols(3))
    problems = _problems(path, q)
    assert any(f"{path}:Antwoorden!C1: kolom C heet ''" in p and "ingevoegd" in p
               for p in problems)


def test_a_character_no_format_can_hold_is_refused_with_its_cell(blank, tmp_path, q):
    path = _filled(blank, tmp_path, "teken.xlsx",
                   lambda wb: wb["Antwoorden"].cell(4, 6, "toelichting \ufdd0"))
    problems = _problems(path, q)
    assert any(f"{path}:Antwoorden!F4: de cel bevat een niet-teken (U+FDD0" in p
               for p in problems)


@pytest.mark.timeout(600)
def test_blank_xlsx_of_a_large_questionnaire_is_linear_says_so_and_reads_back(tmp_path,
                                                                            capsys):
    """2,500 questions took 1.9 s and 10,000 took 44 s (quadratic): now twice the questions
    cost about twice the time, and the workbook reads back in full."""
    timings = {}
    for n in (1500, 6000):
        manifest = big_questionnaire(tmp_path / f"q{n}", n)
        target = tmp_path / f"w{n}.xlsx"
        started = time.perf_counter()
        assert main(["--vragenlijst", str(manifest), "blank", "--xlsx", str(target)]) == 0
        timings[n] = time.perf_counter() - started
        err = capsys.readouterr().err
        assert ("de werkmap maken duurt even" in err) == (n >= 2000)
    # Quadratic would be 16x for 4x the questions; allow for start-up and a loaded machine.
    assert timings[6000] < 8 * timings[1500], timings
    q = load_questionnaire(tmp_path / "q6000" / "zelfscan.yaml")
    wb = load_workbook(tmp_path / "w6000.xlsx")
    ws = wb["Antwoorden"]
    ws.cell(ws.max_row, 5, "2 – Gedeeltelijk ingericht")  # the last row, as picked
    wb["Intake"]["E3"] = "Testdorp"
    wb.save(tmp_path / "w6000.xlsx")
    answers = read_answers_xlsx(tmp_path / "w6000.xlsx", q, require_complete=False)
    last = list(q.questions())[-1]
    assert answers.values[last.id] == 2
