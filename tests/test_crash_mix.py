"""Issue 18, item 1: one bad input never costs the others.

The crash mix: good answers files around every hostile file of the corpus (and the special
files and broken workbooks made here), in one `zelfscan batch`, sequential and on worker
processes. Every good plan is written, every bad file is that file's failure with its place,
the overview covers the written plans, the exit code says something failed, and no hostile
input produces "interne fout". An unexpected internal error and a worker that dies are also
only that one file's failure; validate and compare name the file too.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
from pathlib import Path

import pytest

from wizard.batch import run_batch
from wizard.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HOSTILE = Path(__file__).resolve().parent / "hostile"
GOOD_NAMES = ("hoornewaard", "lindenvoort", "schelderhoven", "turfwolde", "welderbroek")


def _good_copy(folder: Path, i: int) -> Path:
    """A good answers file with a municipality name of its own (its own plan folder)."""
    src = EXAMPLES / f"{GOOD_NAMES[i % len(GOOD_NAMES)]}.yaml"
    text = src.read_text(encoding="utf-8")
    name = re.search(r"intake.gemeente: (.+)", text).group(1)  # type: ignore[union-attr]
    dst = folder / f"goed-{i:03d}.yaml"
    dst.write_text(text.replace(f"intake.gemeente: {name}", f"intake.gemeente: Goed{i:03d}"),
                   encoding="utf-8")
    return dst


def _hostile_workbooks(folder: Path) -> list[Path]:
    """Workbooks that would lose answers silently before issue 18."""
    from openpyxl import load_workbook

    from wizard.answers.xlsx import write_blank_xlsx
    from wizard.questionnaire.loader import load_questionnaire

    blank = folder / "leeg.xlsx"
    write_blank_xlsx(load_questionnaire(), blank, date="2026-11-23")
    out = []
    for name, change in (("kolom-g.xlsx", lambda wb: wb["Antwoorden"].cell(5, 7, "antwoord")),
                         ("zonder-id.xlsx", lambda wb: wb["Antwoorden"].cell(
                             wb["Antwoorden"].max_row + 3, 5, "los antwoord")),
                         ("kolom-ingevoegd.xlsx",
                          lambda wb: wb["Antwoorden"].insert_cols(2)),
                         ("niet-teken.xlsx", lambda wb: wb["Intake"].cell(3, 5, "Dorp\ufdd0"))):
        wb = load_workbook(blank)
        change(wb)
        wb.save(folder / name)
        out.append(folder / name)
    return out


def _specials(folder: Path) -> list[Path]:
    fifo = folder / "pijp.yaml"
    os.mkfifo(fifo)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "socket.yaml"))
    sock.close()
    (folder / "map.yaml").mkdir()
    return [fifo, folder / "socket.yaml", folder / "map.yaml", folder / "ontbreekt.yaml"]


def _hostile_files(folder: Path) -> list[Path]:
    corpus = sorted(p for group in ("antwoorden", "sessie", "vragenlijst", "module")
                    for p in (HOSTILE / group).iterdir())
    return corpus + _hostile_workbooks(folder) + _specials(folder)


@pytest.mark.timeout(900)
@pytest.mark.parametrize("jobs", [1, 2], ids=["sequentieel", "parallel"])
def test_crash_mix_good_files_around_every_hostile_file(tmp_path, jobs):
    inputs = tmp_path / "in"
    inputs.mkdir()
    hostile = _hostile_files(inputs)
    files: list[str] = []
    good: list[str] = []
    for i, bad in enumerate(hostile):
        g = str(_good_copy(inputs, i))
        files += [g, str(bad)]
        good.append(g)
    last = str(_good_copy(inputs, len(hostile)))
    files.append(last)
    good.append(last)
    err = io.StringIO()
    code, results = run_batch(files, tmp_path / "uit", out=io.StringIO(), err=err, word=False,
                              public_only=True, jobs=jobs)
    text = err.getvalue()
    assert code == 1
    assert len(results) == len(files)
    by_path = {r.path: r for r in results}
    for g in good:
        r = by_path[g]
        assert r.ok, r.error
        assert (tmp_path / "uit" / r.folder / "plan.md").is_file()
    for bad in hostile:
        r = by_path[str(bad)]
        assert not r.ok, bad
        assert str(bad) in r.error, r.error  # the message names the file (file:line, cell)
    assert "interne fout" not in text, text
    assert "Traceback" not in text
    overview = (tmp_path / "uit" / "overzicht.md").read_text(encoding="utf-8")
    for i in range(len(good)):
        assert f"Goed{i:03d}" in overview
    assert f"{len(hostile)} van de {len(files)} bestanden zijn niet gelukt" in text


def _crash_for(monkeypatch, name: str, how: str) -> None:
    """Make scoring fail for one municipality: an exception, or the process killed."""
    from wizard.assessment import scoring

    real = scoring.score

    def score(q, answers, config):
        if answers.values.get("intake.gemeente") == name:
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise RuntimeError("kapot met opzet")
        return real(q, answers, config)

    monkeypatch.setattr(scoring, "score", score)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("jobs,how", [(1, "raise"), (2, "raise"), (2, "kill")],
                         ids=["sequentieel-fout", "parallel-fout", "parallel-proces-gedood"])
def test_an_internal_error_is_only_that_files_failure(tmp_path, monkeypatch, jobs, how):
    files = [str(_good_copy(tmp_path, i)) for i in range(9)]
    _crash_for(monkeypatch, "Goed004", how)
    err = io.StringIO()
    code, results = run_batch(files, tmp_path / "uit", out=io.StringIO(), err=err, word=False,
                              jobs=jobs)
    assert code == 1
    bad = results[4]
    assert not bad.ok and bad.path == files[4]
    if how == "kill":
        assert "het hulpproces dat dit plan schreef, stopte onverwacht" in bad.error
        # No worker of the broken pool is left behind: one blocked writing a result nobody
        # read kept the batch process from ever exiting.
        import multiprocessing
        import time

        deadline = time.monotonic() + 10
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not multiprocessing.active_children()
    else:
        assert "interne fout" in bad.error and "Stuur het foutverslag" in bad.error
        report = re.search(r"foutverslag (\S+) naar", bad.error).group(1)  # type: ignore
        assert "kapot met opzet" in Path(report).read_text(encoding="utf-8")
        assert files[4] in Path(report).read_text(encoding="utf-8")
        Path(report).unlink()
    assert all(r.ok for i, r in enumerate(results) if i != 4), [r.error for r in results]
    overview = (tmp_path / "uit" / "overzicht.md").read_text(encoding="utf-8")
    assert "Goed003" in overview and "Goed005" in overview
    assert "1 van de 9 bestanden is niet gelukt" in err.getvalue()


@pytest.mark.timeout(120)
def test_validate_reports_an_internal_error_for_that_file_and_checks_the_others(
        tmp_path, monkeypatch, capsys):
    from wizard.answers import store

    real = store.load_answers
    files = [str(_good_copy(tmp_path, i)) for i in range(3)]

    def load_answers(path, q, **kw):
        if str(path) == files[1]:
            raise KeyError("kapot met opzet")
        return real(path, q, **kw)

    monkeypatch.setattr(store, "load_answers", load_answers)
    assert main(["validate", *files]) == 1
    captured = capsys.readouterr()
    assert f"OK: {files[0]}" in captured.out and f"OK: {files[2]}" in captured.out
    assert f"{files[1]}: er ging iets mis in Zelfscan zelf bij dit bestand" in captured.err
    report = re.search(r"foutverslag (\S+) naar", captured.err).group(1)  # type: ignore
    assert "kapot met opzet" in Path(report).read_text(encoding="utf-8")
    Path(report).unlink()


@pytest.mark.timeout(120)
def test_compare_names_the_file_of_an_internal_error(tmp_path, monkeypatch, capsys):
    from wizard.assessment import compare

    old, new = EXAMPLES / "zwaanrecht-2025.yaml", EXAMPLES / "zwaanrecht-2026.yaml"
    real = compare.load_for_compare

    def load_for_compare(path, q):
        if str(path) == str(new):
            raise IndexError("kapot met opzet")
        return real(path, q)

    monkeypatch.setattr(compare, "load_for_compare", load_for_compare)
    assert main(["compare", str(old), str(new), "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{new}: er ging iets mis in Zelfscan zelf" in err and "foutverslag" in err
    Path(re.search(r"foutverslag (\S+) naar", err).group(1)).unlink()  # type: ignore
