"""validate and batch name every privacy finding on the terminal: file:line (or sheet!cell)
and the question, never the value (issue 14; issue 18 item 1)."""

from __future__ import annotations

import re
from pathlib import Path

from wizard.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASE = "De gedetineerde uit de Molenbuurt keert binnenkort terug"
EMAIL = "jan.jansen@welderbroek.nl"
TEXT_Q = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
BUDGET_Q = "borgen-van-de-aanpak.welk-budget-heb-ik-beschikbaar"


def _answers(tmp_path: Path) -> Path:
    text = (EXAMPLES / "welderbroek.yaml").read_text(encoding="utf-8")
    text = re.sub(rf"^  {re.escape(TEXT_Q)}:.*$", f"  {TEXT_Q}: {CASE}", text, flags=re.MULTILINE)
    text = re.sub(rf"^  {re.escape(BUDGET_Q)}:.*$", f"  {BUDGET_Q}: Mail {EMAIL}", text,
                  flags=re.MULTILINE)
    f = tmp_path / "welderbroek.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def _line_of(path: Path, qid: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if ln.startswith(f"  {qid}:"))


def _check(out: str, where: dict[str, str]) -> None:
    for value in (CASE, EMAIL, "gedetineerde", "Molenbuurt", "jansen"):
        assert value not in out
    lines = [ln for ln in out.splitlines() if ln.startswith("Let op (privacy)")]
    assert len(lines) == 2, out
    case_line = next(ln for ln in lines if TEXT_Q in ln)
    assert f"{where[TEXT_Q]}: vraag 'Welke afdelingen ga ik betrekken?'" in case_line
    assert "lijkt over personen of een casus te gaan (detentie" in case_line
    assert "komt daarom in de vertrouwelijke bijlage" in case_line
    mail_line = next(ln for ln in lines if BUDGET_Q in ln)
    assert f"{where[BUDGET_Q]}: vraag 'Welk budget heb ik beschikbaar?'" in mail_line
    assert "bevat mogelijk een e-mailadres" in mail_line
    assert "openbaar_bevestigd" in out


def test_validate_names_file_line_and_question_never_the_value(tmp_path, capsys):
    f = _answers(tmp_path)
    assert main(["validate", str(f)]) == 0
    out = capsys.readouterr().out
    _check(out, {q: f"{f}:{_line_of(f, q)}" for q in (TEXT_Q, BUDGET_Q)})


def test_batch_prints_them_too(tmp_path, capsys):
    f = _answers(tmp_path)
    assert main(["batch", str(f), "-o", str(tmp_path / "uit")]) == 0
    err = capsys.readouterr().err
    _check(err, {q: f"{f}:{_line_of(f, q)}" for q in (TEXT_Q, BUDGET_Q)})


def test_confirmed_answers_are_still_named(tmp_path, capsys):
    f = _answers(tmp_path)
    f.write_text(f.read_text(encoding="utf-8") + f"openbaar_bevestigd: [{TEXT_Q}]\n",
                 encoding="utf-8")
    assert main(["validate", str(f)]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if TEXT_Q in ln)
    assert "u hebt bevestigd dat het openbaar mag" in line
    assert CASE not in out


def test_a_workbook_finding_names_sheet_and_cell(tmp_path, capsys):
    import openpyxl  # a dependency of Zelfscan itself

    book = tmp_path / "gemeente.xlsx"
    assert main(["blank", "--xlsx", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    cell = None
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "intake.gemeente":
                row[4].value = "Welderbroek"
            elif row[0].value == TEXT_Q:
                row[4].value = CASE
                cell = f"{ws.title}!E{row[0].row}"
    wb.save(book)
    assert cell is not None
    capsys.readouterr()
    main(["validate", str(book)])
    out = capsys.readouterr().out
    assert f"{book}:{cell}: vraag 'Welke afdelingen ga ik betrekken?'" in out, out
    assert CASE not in out
