"""One number reader for the chat, YAML answers files and Excel (issue 15): '25.000' is 25000
everywhere, a decimal comma is read as such, and the same input gets the same answer or the
same refusal wherever it is typed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.answers.numbers import NumberError, read_number, whole_number
from wizard.answers.store import validate_answers
from wizard.answers.xlsx import INTAKE_SHEET, read_answers_xlsx
from wizard.chat import parse
from wizard.cli import main
from wizard.errors import ValidationError
from wizard.files.yamlio import parse_yaml
from wizard.questionnaire.loader import load_questionnaire

Q = load_questionnaire()
INWONERS = Q.question("intake.inwoners")


def dutch_forms(n: int) -> list[str]:
    """How people write a whole number: plain, or with dots, spaces or no-break spaces."""
    grouped = f"{n:,}"
    return [str(n), grouped.replace(",", "."), grouped.replace(",", " "),
            grouped.replace(",", "\u00a0")]


def from_yaml(text: str):  # type: ignore[no-untyped-def]
    doc = parse_yaml("vragenlijst: zelfscan\nversie: 1\nantwoorden:\n"
                     f"  intake.gemeente: X\n  intake.inwoners: {text}\n", "a.yaml")
    from wizard.answers.store import answers_from_data

    answers, problems = answers_from_data(doc.data, Q, doc)
    return answers.values.get("intake.inwoners"), [p.message for p in problems]


@given(st.integers(min_value=1, max_value=1_000_000))
def test_every_dutch_form_is_the_same_number_in_chat_and_yaml(n):
    for text in dutch_forms(n):
        assert parse.parse_answer(INWONERS, text) == n, text
        assert from_yaml(text) == (n, []), text
        assert from_yaml(f"'{text}'") == (n, []), text


@pytest.mark.parametrize("text, chat_says", [
    ("2,5", "'2,5' is geen heel getal"),
    ("25.5", "'25.5' is geen heel getal"),
    ("veel", "'veel' is geen getal"),
    ("1.500 000", "'1.500 000' is geen getal"),
])
def test_the_same_refusal_in_chat_and_yaml(text, chat_says):
    with pytest.raises(parse.AnswerError) as err:
        parse.parse_answer(INWONERS, text)
    assert str(err.value).lower().startswith(chat_says.lower())
    value, problems = from_yaml(f"'{text}'")
    assert value is None and len(problems) == 1 and chat_says in problems[0]


def test_yaml_reads_an_unquoted_dutch_thousands_number_as_written():
    # YAML itself reads 25.000 as the float 25.0; the digits as written count.
    assert from_yaml("25.000") == (25000, [])
    assert from_yaml("1.500.000")[1]  # above the maximum of 1.000.000: refused, not 1.5
    assert "1.500.000 is groter dan het maximum 1.000.000" in from_yaml("1.500.000")[1][0]


def test_reader_edge_cases():
    assert read_number("25.000,0") == 25000
    assert read_number("2,50") == read_number("2.50") == read_number("2.5")
    assert read_number("") is None and read_number("1" * 40) is None
    assert whole_number(25000.0) == 25000
    for bad in (True, None, float("nan"), 2.5):
        with pytest.raises(NumberError):
            whole_number(bad)


@pytest.mark.parametrize("cell", ["25.000", "25 000", 25000, 25000.0])
def test_excel_cells_read_like_yaml(tmp_path: Path, cell):
    path = tmp_path / "scan.xlsx"
    assert main(["blank", "--xlsx", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    for row in wb[INTAKE_SHEET].iter_rows(min_row=2):
        if row[0].value == "intake.gemeente":
            row[4].value = "Excelstad"
        elif row[0].value == "intake.inwoners":
            row[4].value = cell
    wb.save(path)
    answers = read_answers_xlsx(path, Q, require_complete=False)
    assert answers.values["intake.inwoners"] == 25000


def test_excel_decimal_comma_is_refused_like_yaml(tmp_path: Path):
    path = tmp_path / "scan.xlsx"
    assert main(["blank", "--xlsx", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    for row in wb[INTAKE_SHEET].iter_rows(min_row=2):
        if row[0].value == "intake.inwoners":
            row[4].value = "2,5"
    wb.save(path)
    with pytest.raises(ValidationError) as err:
        read_answers_xlsx(path, Q, require_complete=False)
    assert "'2,5' is geen heel getal" in str(err.value)


def test_validate_answers_accepts_quoted_numbers():
    doc = parse_yaml("vragenlijst: zelfscan\nversie: 1\nantwoorden:\n  intake.gemeente: X\n"
                     "  intake.inwoners: '18500'\n", "a.yaml")
    assert validate_answers(doc.data, Q, doc) == []
