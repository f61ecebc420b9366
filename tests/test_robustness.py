"""Careless and hostile use of the real CLI: every failure is a Dutch message, a file name,
a hint, and the right exit code; never a traceback, an English errno or an 'interne fout'."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from wizard import cli
from wizard.files.resources import data_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hoornewaard.yaml"
ENGLISH = ("Traceback", "Error", "errno", "Errno", "Permission denied", "Not a directory",
           "No such file", "File exists", "interne fout", "BadZipFile")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_dutch_failure(code: int, err: str, expected: int = 1) -> None:
    assert code == expected, err
    assert err.startswith("zelfscan"), err
    for word in ENGLISH:
        assert word not in err, (word, err)


def answers_with_name(tmp_path: Path, name_yaml: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "  intake.gemeente: Hoornewaard\n" in text
    p = tmp_path / "antwoorden.yaml"
    p.write_text(text.replace("  intake.gemeente: Hoornewaard\n",
                              f"  intake.gemeente: {name_yaml}\n"), encoding="utf-8")
    return p


# --- municipality names -----------------------------------------------------------------


def test_300_character_municipality_is_refused_with_line_not_a_crash(capsys, tmp_path):
    src = answers_with_name(tmp_path, "A" * 300)
    code, _, err = run(capsys, "batch", str(src), "-o", str(tmp_path / "uit"))
    assert_dutch_failure(code, err)
    assert f"{src}:11:" in err
    assert "te lang (300 tekens; maximaal 100)" in err
    # Nothing half-written: no plan folder with a plan.md but no plan.docx.
    assert not list((tmp_path / "uit").glob("*/plan.md"))


def test_validate_refuses_overlong_municipality(capsys, tmp_path):
    src = answers_with_name(tmp_path, "'" + "Lang" * 40 + "'")
    code, _, err = run(capsys, "validate", str(src))
    assert_dutch_failure(code, err)
    assert "de naam van de gemeente is te lang (160 tekens" in err


@pytest.mark.parametrize("name, folder", [("'../../etc'", "etc"), ("CON", "con-gemeente"),
                                          ("'..'", "gemeente")])
def test_hostile_municipality_names_stay_inside_the_output_dir(capsys, tmp_path, name, folder):
    src = answers_with_name(tmp_path, name)
    out = tmp_path / "uit"
    code, _stdout, err = run(capsys, "batch", str(src), "-o", str(out))
    assert code == 0, err
    assert (out / folder / "plan.docx").is_file()
    assert not (tmp_path / "etc").exists()


# --- a file where a folder belongs, full disk --------------------------------------------


def test_batch_output_dir_that_is_a_file(capsys, tmp_path):
    (tmp_path / "f.txt").write_text("hallo", encoding="utf-8")
    code, _, err = run(capsys, "batch", str(EXAMPLE), "-o", str(tmp_path / "f.txt"))
    assert_dutch_failure(code, err)
    assert "een deel van het pad is een bestand, geen map" in err
    assert "Geef als uitvoermap een map op, geen bestand" in err
    assert (tmp_path / "f.txt").read_text(encoding="utf-8") == "hallo"


@pytest.mark.parametrize("argv", [
    ["blank", "-o", "{f}/x.yaml"],
    ["blank", "--xlsx", "{f}/x.xlsx"],
    ["compare", str(ROOT / "examples" / "zwaanrecht-2025.yaml"),
     str(ROOT / "examples" / "zwaanrecht-2026.yaml"), "-o", "{f}"],
    ["generate", str(ROOT / "questionnaires" / "bron" / "plan-van-aanpak.txt"), "-o", "{f}"],
])
def test_file_given_where_a_folder_is_expected(capsys, tmp_path, argv):
    f = tmp_path / "f.txt"
    f.write_text("hallo", encoding="utf-8")
    code, _, err = run(capsys, *[a.replace("{f}", str(f)) for a in argv])
    assert_dutch_failure(code, err)
    assert "een deel van het pad is een bestand, geen map" in err, err
    assert f.read_text(encoding="utf-8") == "hallo"


def test_full_disk_keeps_the_old_file_and_says_so(capsys, tmp_path, monkeypatch):
    from wizard.files import yamlio

    target = tmp_path / "antwoorden.yaml"
    target.write_text("oud\n", encoding="utf-8")

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(yamlio.os, "fsync", no_space)
    code, _, err = run(capsys, "blank", "-o", str(target), "--force")
    assert_dutch_failure(code, err)
    assert "de schijf is vol" in err and "Maak ruimte vrij" in err
    assert target.read_text(encoding="utf-8") == "oud\n"
    assert [p.name for p in tmp_path.iterdir()] == ["antwoorden.yaml"]  # no temp file left


def test_unexpected_oserror_is_dutch_not_internal(capsys, tmp_path, monkeypatch):
    # Safety net in cli.main: an OSError that no module turned into a message yet.
    from wizard.commands import validate

    def boom(args):
        raise PermissionError(errno.EACCES, "Permission denied", "/ergens/bestand.yaml")

    monkeypatch.setattr(validate, "command_validate", boom)
    code, _, err = run(capsys, "validate")
    assert_dutch_failure(code, err)
    assert "/ergens/bestand.yaml: bestand of map niet bruikbaar (geen toestemming" in err


# --- files that are not what their name says --------------------------------------------


def test_text_file_named_xlsx(capsys, tmp_path):
    p = tmp_path / "antwoorden.xlsx"
    p.write_text("vragenlijst: zelfscan\n", encoding="utf-8")
    code, _, err = run(capsys, "compare", str(EXAMPLE), str(p))
    assert_dutch_failure(code, err)
    assert "het is een tekstbestand met de naam .xlsx" in err
    assert "Geef het dan de naam .yaml" in err


def test_workbook_named_yaml(capsys, tmp_path):
    wb = tmp_path / "w.xlsx"
    assert run(capsys, "blank", "--xlsx", str(wb))[0] == 0
    renamed = tmp_path / "w.yaml"
    shutil.copy(wb, renamed)
    code, _, err = run(capsys, "validate", str(renamed))
    assert_dutch_failure(code, err)
    assert "ingepakt bestand (zoals een Excel- of Word-bestand), geen tekst" in err


def test_validate_reads_a_workbook(capsys, tmp_path):
    wb = tmp_path / "w.xlsx"
    assert run(capsys, "blank", "--xlsx", str(wb))[0] == 0
    code, _, err = run(capsys, "validate", str(wb))
    assert_dutch_failure(code, err)
    assert f"{wb}:Intake!E3: het verplichte antwoord op 'intake.gemeente'" in err


def test_xlsx_zip_bomb_refused_by_declared_size(capsys, tmp_path):
    import zipfile

    p = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
    assert p.stat().st_size < 1024 * 1024
    code, _, err = run(capsys, "validate", str(p))
    assert_dutch_failure(code, err)
    assert "Excel-bestand is uitgepakt te groot" in err


def test_broken_docx_template_names_no_exception_class(capsys, tmp_path):
    import zipfile

    p = tmp_path / "sjabloon.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("iets.txt", "geen Word")
    code, _, err = run(capsys, "generate", str(p), "-o", str(tmp_path / "uit"), "--check")
    assert_dutch_failure(code, err)
    assert "het Word-bestand kan niet worden gelezen: het is beschadigd" in err


# --- command line -----------------------------------------------------------------------


@pytest.mark.parametrize("argv, needle", [
    (["--v"], "optie --v is niet eenduidig: bedoelde u --version, --vragenlijst?"),
    (["start", "--eenvoudig=1"], "deze optie krijgt geen waarde ('1' is te veel)"),
    (["batch"], "deze argumenten ontbreken: ANTWOORDEN"),
    (["foo"], "onbekende opdracht 'foo' (kies uit 'start'"),
])
def test_usage_errors_are_dutch_with_exit_2(capsys, argv, needle):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert needle in err
    for word in ("ambiguous", "could match", "ignored explicit", "required", "invalid"):
        assert word not in err


@pytest.mark.parametrize("command", ["start", "resume", "batch", "blank", "generate",
                                     "validate", "compare"])
def test_every_argument_is_explained_in_help(capsys, command):
    import argparse

    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    actions = sub.choices[command]._actions
    with pytest.raises(SystemExit) as exc:
        cli.main([command, "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert "usage" not in out and "show this help" not in out
    for action in actions:
        assert action.help, (command, action.dest)
        assert action.help.split()[0] in out


def test_compare_a_file_with_itself_is_a_usage_error(capsys, tmp_path):
    code, _out, err = run(capsys, "compare", str(EXAMPLE), str(EXAMPLE.parent / "." / EXAMPLE.name),
                         "-o", str(tmp_path))
    assert_dutch_failure(code, err, expected=2)
    assert "OUD en NIEUW zijn hetzelfde bestand" in err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("given, kind", [(EXAMPLE, "een antwoordbestand"),
                                         (data_dir() / "intake.yaml", "een module")])
def test_wrong_file_for_vragenlijst(capsys, given, kind):
    code, _, err = run(capsys, "--vragenlijst", str(given), "validate")
    assert_dutch_failure(code, err)
    assert f"dit is {kind}, geen hoofdbestand van een vragenlijst" in err
    assert "onbekende sleutel" not in err


def test_workbook_given_where_yaml_is_needed_says_which_commands_take_it(capsys, tmp_path):
    wb = tmp_path / "w.xlsx"
    assert run(capsys, "blank", "--xlsx", str(wb))[0] == 0
    code, _, err = run(capsys, "--vragenlijst", str(wb), "validate")
    assert_dutch_failure(code, err)
    assert "Een Excel-werkmap gebruikt u met 'zelfscan batch'" in err


def test_sigterm_during_a_command_is_dutch_130_and_leaves_no_temp_file(tmp_path):
    import signal
    import subprocess
    import sys

    from conftest import big_questionnaire

    # A large workbook takes seconds to make; the signal arrives while it is being made
    # (after the line that says so). A FIFO no longer blocks anything: it is refused.
    manifest = big_questionnaire(tmp_path / "vragen", 8000)
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "--vragenlijst", str(manifest),
                             "blank", "--xlsx", str(tmp_path / "werkmap.xlsx")], cwd=ROOT,
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    first = proc.stderr.readline()
    assert "de werkmap maken duurt even" in first, first
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Gestopt: Zelfscan kreeg het signaal om te stoppen (SIGTERM)" in err
    assert "Traceback" not in err
    assert not list(tmp_path.rglob("*.tmp"))
    assert not (tmp_path / "werkmap.xlsx").exists()


def test_output_to_a_full_device_is_dutch(tmp_path):
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.fail("this test needs /dev/full (Linux)")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "wizard", "validate"], cwd=ROOT,
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    assert proc.returncode == 1
    assert "lezen of schrijven is mislukt (de schijf is vol)" in proc.stderr
    assert "Traceback" not in proc.stderr and "interne fout" not in proc.stderr


def test_compare_in_the_wrong_order_warns(capsys, tmp_path):
    old = ROOT / "examples" / "zwaanrecht-2026.yaml"
    new = ROOT / "examples" / "zwaanrecht-2025.yaml"
    code, _out, err = run(capsys, "compare", str(old), str(new), "-o", str(tmp_path))
    assert code == 0
    assert "Let op: OUD" in err and "is van na NIEUW" in err
    assert f"Bedoelde u 'zelfscan compare {new} {old}'?" in err
    code, _out, err = run(capsys, "compare", str(new), str(old), "-o", str(tmp_path / "b"))
    assert code == 0 and "Let op" not in err


@pytest.mark.parametrize("argv, needle", [
    (["blank", "--xlsx", "{d}/w.yaml"], "een Excel-werkmap moet een naam hebben die op .xlsx"),
    (["blank", "-o", "{d}/w.xlsx"], "-o schrijft een YAML-bestand, geen Excel-werkmap"),
    (["blank", "-o", "{d}/a.yaml", "--xlsx", "{d}/b.xlsx"], "-o en --xlsx gaan niet samen"),
])
def test_blank_refuses_names_batch_would_misread(capsys, tmp_path, argv, needle):
    code, _, err = run(capsys, *[a.replace("{d}", str(tmp_path)) for a in argv])
    assert_dutch_failure(code, err, expected=2)
    assert needle in err
    assert not list(tmp_path.iterdir())  # nothing written


def test_word_template_named_txt(capsys, tmp_path):
    import docx

    p = tmp_path / "sjabloon.txt"
    d = docx.Document()
    d.add_paragraph("Alleen tekst")
    d.save(str(p))
    code, _, err = run(capsys, "generate", str(p), "--check")
    assert_dutch_failure(code, err)
    assert "sjabloon is een ingepakt bestand" in err
    assert "geef het de naam .docx" in err and "YAML" not in err


@pytest.mark.parametrize("argv", [["validate", ""], ["batch", str(EXAMPLE), "-o", ""],
                                  ["--vragenlijst", "", "validate"], ["compare", "", ""]])
def test_empty_file_name_is_a_usage_error(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert_dutch_failure(code, err, expected=2)
    assert "een lege bestandsnaam ('') opgegeven" in err
