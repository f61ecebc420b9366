"""Excel answers workbook: blank --xlsx, filled by a script, gives the same plan as YAML."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from wizard.answers.store import load_answers
from wizard.answers.xlsx import (
    ANSWERS_SHEET,
    INTAKE_SHEET,
    META_SHEET,
    load_any_answers,
    read_answers_xlsx,
)
from wizard.assessment import advice, scoring
from wizard.cli import main
from wizard.errors import ValidationError
from wizard.plan.output import render_plan
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import CHOICE, NUMBER, SCALE, TEXT

Q = load_questionnaire()


def fill_values() -> dict:
    """Answers for every question, varied so the plan has shortfalls and text."""
    vals: dict = {}
    for i, qq in enumerate(Q.questions()):
        if qq.id == "intake.gemeente":
            vals[qq.id] = "Excelstad"
        elif qq.kind == NUMBER:
            vals[qq.id] = 12500
        elif qq.kind == CHOICE:
            vals[qq.id] = qq.options[-1].value
        elif qq.kind == SCALE:
            vals[qq.id] = "weet_niet" if i % 7 == 0 and qq.allows_unknown else \
                int(qq.options[i % len(qq.options)].value)
        elif qq.kind == TEXT:
            vals[qq.id] = f"Regel een voor {i}.\nRegel twee: met dubbele punt."
    return vals


def plan_of(answers) -> str:
    p = scoring.score(Q, answers, scoring.load_config(Q))
    return render_plan(Q, answers, p, advice.advise(Q, answers, p, advice.load_rules(Q)))


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    path = tmp_path / "zelfscan.xlsx"
    assert main(["blank", "--xlsx", str(path)]) == 0
    return path


def test_blank_workbook_layout(blank):
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames[:2] == [INTAKE_SHEET, ANSWERS_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden"
    assert (wb[META_SHEET]["B1"].value, wb[META_SHEET]["B2"].value) == (Q.id, Q.version)
    ws = wb[ANSWERS_SHEET]
    assert [c.value for c in ws[1]] == ["id", "sectie", "vraag", "toegestane waarden",
                                        "antwoord", "toelichting", "openbaar bevestigd"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["C"].width >= 40
    intake_ids = [r[0].value for r in wb[INTAKE_SHEET].iter_rows(min_row=2)]
    other_ids = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert "intake.gemeente" in intake_ids and "intake.gemeente" not in other_ids
    assert set(intake_ids[1:]) | set(other_ids) == {qq.id for qq in Q.questions()}
    # Scale and choice answers have a drop-down list.
    scale_rows = [r[0].row for r in ws.iter_rows(min_row=2)
                  if Q.question(r[0].value).kind == SCALE]
    covered = set()
    public = set()
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        rows = {row for rng in dv.sqref.ranges for row in range(rng.min_row, rng.max_row + 1)}
        if dv.formula1 == '"ja"':  # column G: 'ja' or empty, on every question row
            assert {rng.min_col for rng in dv.sqref.ranges} == {7}
            public |= rows
            continue
        assert dv.formula1.startswith(META_SHEET + "!")
        covered |= rows
    assert set(scale_rows) <= covered
    assert public == {r[0].row for r in ws.iter_rows(min_row=2)}


def _fill(path: Path, vals: dict, date: str) -> None:
    wb = openpyxl.load_workbook(path)
    for name in (INTAKE_SHEET, ANSWERS_SHEET):
        for row in wb[name].iter_rows(min_row=2):
            qid = row[0].value
            if qid == "datum":
                row[4].value = date
                continue
            v = vals.get(qid)
            qq = Q.question(qid)
            if qq.kind == SCALE and isinstance(v, int):
                # As the drop-down writes it: '2 – Label'.
                label = next(o.label for o in qq.options if o.value == v)
                row[4].value = f"{v} – {label}"
            elif v == "weet_niet":
                row[4].value = "weet niet"
            elif qq.kind == CHOICE:
                row[4].value = next(o.label for o in qq.options if o.value == v)
            else:
                row[4].value = v
    wb.save(path)


def test_filled_workbook_gives_the_same_plan_as_yaml(blank, tmp_path):
    vals = fill_values()
    _fill(blank, vals, "2026-11-23")
    yml = tmp_path / "antwoorden.yaml"
    yml.write_text(yaml.safe_dump({"vragenlijst": Q.id, "versie": Q.version,
                                   "datum": "2026-11-23", "antwoorden": vals},
                                  allow_unicode=True, sort_keys=False), encoding="utf-8")
    from_xlsx = read_answers_xlsx(blank, Q)
    from_yaml = load_answers(yml, Q)
    assert from_xlsx.values == from_yaml.values
    assert plan_of(from_xlsx).encode() == plan_of(from_yaml).encode()
    assert load_any_answers(blank, Q).values == from_yaml.values
    # And through the real command, file for file.
    out_x, out_y = tmp_path / "x", tmp_path / "y"
    assert main(["batch", str(blank), "-o", str(out_x)]) == 0
    assert main(["batch", str(yml), "-o", str(out_y)]) == 0
    assert (out_x / "excelstad" / "plan.md").read_bytes() == \
        (out_y / "excelstad" / "plan.md").read_bytes()


def test_bad_value_names_sheet_and_cell(blank):
    wb = openpyxl.load_workbook(blank)
    wb[INTAKE_SHEET]["E3"] = "Excelstad"  # intake.gemeente (row 2 is the date)
    assert wb[INTAKE_SHEET]["A3"].value == "intake.gemeente"
    ws = wb[ANSWERS_SHEET]
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if Q.question(r[0].value).kind == SCALE)
    ws[f"E{row}"] = "9 – heel goed"
    wb.save(blank)
    with pytest.raises(ValidationError) as exc:
        read_answers_xlsx(blank, Q)
    locs = [p.location() for p in exc.value.problems]
    assert locs == [f"{blank}:{ANSWERS_SHEET}!E{row}"]
    assert "9 valt buiten de schaal" in str(exc.value)


def test_missing_required_answer_names_intake_cell(blank, capsys):
    assert main(["batch", str(blank), "-o", str(blank.parent / "o")]) == 1
    err = capsys.readouterr().err
    assert f"{INTAKE_SHEET}!E3" in err and "intake.gemeente" in err
    assert "Traceback" not in err


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "kapot.xlsx"
    bad.write_bytes(b"dit is geen zip")
    with pytest.raises(Exception) as exc:
        read_answers_xlsx(bad, Q)
    assert "geen leesbare Excel-werkmap" in str(exc.value)


CASE = "De gedetineerde uit de Molenbuurt keert binnenkort terug"
CASE_Q = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"


def _case_workbook(blank: Path, *, confirm: bool) -> None:
    vals = fill_values()
    vals[CASE_Q] = CASE
    _fill(blank, vals, "2026-11-23")
    wb = openpyxl.load_workbook(blank)
    ws = wb[ANSWERS_SHEET]
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == CASE_Q)
    if confirm:
        ws[f"G{row}"] = "Ja "  # as typed: case and a space do not matter
    wb.save(blank)


def test_column_g_confirms_a_flagged_answer_as_public(blank, tmp_path, capsys):
    """The workbook's form of 'openbaar_bevestigd': without it a case-like answer goes to
    the annex and the terminal says how to confirm it IN THE WORKBOOK (column G); with 'ja'
    it is in the public plan, and the answers copy records the confirmation."""
    _case_workbook(blank, confirm=False)
    assert main(["batch", str(blank), "-o", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    line = next(ln for ln in err.splitlines() if CASE_Q in ln)
    assert f"{blank}:{ANSWERS_SHEET}!E" in line
    assert "zet 'ja' in kolom G (openbaar bevestigd)" in err
    assert "openbaar_bevestigd' in het antwoordbestand" not in err
    assert CASE not in (tmp_path / "a" / "excelstad" / "plan.md").read_text(encoding="utf-8")
    annex = (tmp_path / "a" / "excelstad" / "bijlage-vertrouwelijk.md").read_text(encoding="utf-8")
    assert CASE in annex and "kolom G, openbaar bevestigd" in " ".join(annex.split())

    _case_workbook(blank, confirm=True)
    answers = read_answers_xlsx(blank, Q)
    assert answers.confirmed_public == [CASE_Q]
    assert main(["batch", str(blank), "-o", str(tmp_path / "b")]) == 0
    assert "u hebt bevestigd dat het openbaar mag" in capsys.readouterr().err
    folder = tmp_path / "b" / "excelstad"
    assert CASE in (folder / "plan.md").read_text(encoding="utf-8")
    copy = yaml.safe_load((folder / "antwoorden.yaml").read_text(encoding="utf-8"))
    assert copy["openbaar_bevestigd"] == [CASE_Q]


def test_a_workbook_from_before_column_g_is_still_read(blank, tmp_path):
    vals = fill_values()
    _fill(blank, vals, "2026-11-23")
    wb = openpyxl.load_workbook(blank)
    for name in (INTAKE_SHEET, ANSWERS_SHEET):
        wb[name].delete_cols(7)
    wb.save(blank)
    answers = read_answers_xlsx(blank, Q)
    assert answers.values["intake.gemeente"] == "Excelstad"
    assert answers.confirmed_public == []
