"""`zelfscan batch`: many answers files, safe folders, bad files reported, no overwrite."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from wizard.batch import run_batch
from wizard.cli import main
from wizard.files.safepath import MAX_LENGTH, safe_folder_name, unique_folder_names

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _run(files, out, **kw):
    so, se = io.StringIO(), io.StringIO()
    code, results = run_batch(files, out, out=so, err=se, **kw)
    return code, results, so.getvalue(), se.getvalue()


# --------------------------------------------------------------------------- folder names

@pytest.mark.parametrize("name,expected", [
    ("../..", "gemeente"),
    ("../../etc", "etc"),
    ("/etc/passwd", "etc-passwd"),
    ("C:\\Windows\\System32", "c-windows-system32"),
    ("CON", "con-gemeente"),
    ("nul", "nul-gemeente"),
    ("Com1", "com1-gemeente"),
    ("LPT9", "lpt9-gemeente"),
    ("Ède", "ede"),
    ("Súdwest-Fryslân", "sudwest-fryslan"),
    ("a\x00b\x1b[31mc\nd", "a-b-31mc-d"),
    ("", "gemeente"),
    ("   ", "gemeente"),
    ("...", "gemeente"),
    ("'s-Hertogenbosch", "s-hertogenbosch"),
    ("Ｗｅｓｔ", "west"),
])
def test_safe_folder_name(name, expected):
    folder = safe_folder_name(name)
    assert folder == expected
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", folder)


def test_safe_folder_name_is_length_capped():
    folder = safe_folder_name("Lange Naam " * 40)
    assert len(folder) <= MAX_LENGTH and not folder.endswith("-")


def test_names_differing_only_by_case_or_accents_get_distinct_folders():
    folders, collisions = unique_folder_names(["Ède", "ede", "EDE"])
    assert folders == ["ede", "ede-2", "ede-3"]
    assert [(i, j) for i, j, _ in collisions] == [(1, 0), (2, 0)]
    folders, _ = unique_folder_names(["Zwaanrecht", "Zwaanrecht"], ["2025-03-12", "2026-03-18"])
    assert folders == ["zwaanrecht", "zwaanrecht-2026-03-18"]
    # A suffix never lands on a name that is already taken.
    folders, _ = unique_folder_names(["ede-2", "ede", "Ede"])
    assert len({f.lower() for f in folders}) == 3


# --------------------------------------------------------------------------- the run

def test_batch_writes_every_plan_and_an_overview(tmp_path):
    code, _results, out, err = _run(GOOD, tmp_path / "uit")
    assert code == 0, err
    root = tmp_path / "uit"
    folders = sorted(p.name for p in root.iterdir()
                    if p.is_dir() and not p.name.startswith("."))
    assert folders == ["hoornewaard", "lindenvoort", "schelderhoven", "turfwolde",
                       "welderbroek", "zwaanrecht-2025-03-12", "zwaanrecht-2026-03-18"]
    for f in folders:
        assert sorted(p.name for p in (root / f).iterdir()) == [
            "antwoorden.yaml", "bijlage-vertrouwelijk.docx", "bijlage-vertrouwelijk.html",
            "bijlage-vertrouwelijk.md", "plan-kwadrant.svg", "plan-onderdelen.svg", "plan.docx",
            "plan.html", "plan.md"]
    overview = (root / "overzicht.md").read_text(encoding="utf-8")
    table = overview.split("## Regionaal beeld", 1)[0]  # the regional section follows
    rows = [ln for ln in table.splitlines() if ln.startswith("| ") and "---" not in ln]
    assert len(rows) == 1 + len(GOOD)  # header + one row per file
    assert any(r.startswith("| Welderbroek | 2026-10-14 | welderbroek | Hoog | geen tekort: "
                            "bijhouden |") for r in rows)
    # No threat level or quadrant per municipality: the regional picture only counts them.
    assert not any(word in table for word in ("Verhoogd", "Urgent versterken", "Kwadrant"))
    assert "<table class=\"tabel" in (root / "overzicht.html").read_text(encoding="utf-8")
    # Summary table on stdout, one line per file, with quadrant and threat.
    assert re.search(r"^Welderbroek\s+Basis op orde\s+Laag\s+\S.*geschreven \(welderbroek\)",
                     out, re.MULTILINE)
    assert f"{len(GOOD)} van {len(GOOD)} plannen geschreven" in out
    # Two years of one municipality both carry their date, and this is reported.
    assert "Let op: 'Zwaanrecht' staat 2 keer in deze run" in err
    assert "'zwaanrecht-2025-03-12'" in err and "'zwaanrecht-2026-03-18'" in err


def test_batch_is_deterministic(tmp_path):
    assert _run(GOOD, tmp_path / "a")[0] == 0
    assert _run(GOOD, tmp_path / "b")[0] == 0
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    # And a forced rerun into the same folder gives the same bytes again.
    before = _tree(tmp_path / "a")
    assert _run(GOOD, tmp_path / "a", force=True)[0] == 0
    assert _tree(tmp_path / "a") == before


def test_one_bad_file_is_reported_and_the_rest_still_written(tmp_path):
    bad = tmp_path / "kapot.yaml"
    text = (EXAMPLES / "hoornewaard.yaml").read_text(encoding="utf-8")
    text = text.replace("dreiging.signalen: 0", "dreiging.signalen: veel")
    lineno = text.splitlines().index("  dreiging.signalen: veel") + 1
    bad.write_text(text.replace("intake.gemeente: Hoornewaard", "intake.gemeente: Kapot"),
                   encoding="utf-8")
    broken_yaml = tmp_path / "syntax.yaml"
    broken_yaml.write_text("vragenlijst: zelfscan\nantwoorden:\n  - a\n b: [\n", encoding="utf-8")
    files = [GOOD[0], str(bad), GOOD[1], str(broken_yaml)]
    code, results, _out, err = _run(files, tmp_path / "uit")
    assert code == 1
    assert [r.ok for r in results] == [True, False, True, False]
    assert f"{bad}:{lineno}" in err
    assert f"{broken_yaml}:" in err
    assert "2 van de 4 bestanden zijn niet gelukt" in err
    written = sorted(p.name for p in (tmp_path / "uit").iterdir()
                    if p.is_dir() and not p.name.startswith("."))
    assert written == ["hoornewaard", "lindenvoort"]
    overview = (tmp_path / "uit" / "overzicht.md").read_text(encoding="utf-8")
    assert "## Niet verwerkt" in overview and "kapot.yaml" in overview


def test_no_overwrite_without_force(tmp_path):
    out = tmp_path / "uit"
    assert _run(GOOD[:2], out)[0] == 0
    plan = out / "hoornewaard" / "plan.md"
    plan.write_text("door de ambtenaar aangepast", encoding="utf-8")
    code, results, _so, se = _run(GOOD[:2], out)
    assert code == 1
    assert not any(r.ok for r in results)
    assert plan.read_text(encoding="utf-8") == "door de ambtenaar aangepast"
    assert "--force" in se and "al een plan" in se
    code, *_ = _run(GOOD[:2], out, force=True)
    assert code == 0
    assert plan.read_text(encoding="utf-8").startswith("# Concept plan van aanpak")
    # The annex counts as part of the plan: an edited annex is not overwritten either.
    annex = out / "hoornewaard" / "bijlage-vertrouwelijk.md"
    for name in ("plan.md", "plan.html", "plan-kwadrant.svg", "plan-onderdelen.svg"):
        (out / "hoornewaard" / name).unlink()
    annex.write_text("eigen notities", encoding="utf-8")
    code, results, _so, se = _run(GOOD[:1], out)
    assert code == 1 and "bijlage-vertrouwelijk.md" in se
    assert annex.read_text(encoding="utf-8") == "eigen notities"


def test_colliding_municipalities_do_not_overwrite_each_other(tmp_path):
    text = (EXAMPLES / "welderbroek.yaml").read_text(encoding="utf-8")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(text.replace("intake.gemeente: Welderbroek", "intake.gemeente: Ède"),
                 encoding="utf-8")
    b.write_text(text.replace("intake.gemeente: Welderbroek", "intake.gemeente: ede"),
                 encoding="utf-8")
    code, results, _out, err = _run([str(a), str(b)], tmp_path / "uit")
    assert code == 0
    assert [r.folder for r in results] == ["ede", "ede-2"]
    assert "gemeente Ède" in (tmp_path / "uit" / "ede" / "plan.md").read_text(encoding="utf-8")
    assert "gemeente ede" in (tmp_path / "uit" / "ede-2" / "plan.md").read_text(encoding="utf-8")
    assert "dezelfde mapnaam" in err and "ede-2" in err


def test_hostile_municipality_name_stays_inside_the_output_folder(tmp_path):
    text = (EXAMPLES / "welderbroek.yaml").read_text(encoding="utf-8")
    f = tmp_path / "x.yaml"
    f.write_text(text.replace("intake.gemeente: Welderbroek",
                              "intake.gemeente: \"../../buiten\\\\..\\t[2J\""), encoding="utf-8")
    out = tmp_path / "uit" / "diep"
    code, results, so, se = _run([str(f)], out)
    assert code == 0, se
    assert results[0].folder == "buiten-2j"
    assert (out / "buiten-2j" / "plan.md").is_file()
    assert not (tmp_path / "buiten").exists()
    assert "\t" not in so.split("buiten")[1].split("\n")[0]
    # A control character such as ESC never gets this far: refused with file:line (issue 18).
    f.write_text(text.replace("intake.gemeente: Welderbroek",
                              "intake.gemeente: \"buiten\\u001b[2J\""), encoding="utf-8")
    code, results, so, se = _run([str(f)], tmp_path / "uit2")
    assert code == 1 and f"{f}:11: de tekst bevat een onzichtbaar stuurteken (U+001B)" in se
    assert "\x1b" not in so + se


def test_cli_batch_exit_codes(tmp_path, capsys):
    assert main(["batch", GOOD[0], "-o", str(tmp_path / "uit")]) == 0
    assert (tmp_path / "uit" / "hoornewaard" / "plan.html").is_file()
    missing = tmp_path / "bestaat-niet.yaml"
    assert main(["batch", GOOD[1], str(missing), "-o", str(tmp_path / "uit2")]) == 1
    err = capsys.readouterr().err
    assert "bestaat-niet.yaml" in err and "niet gevonden" in err
    assert (tmp_path / "uit2" / "lindenvoort" / "plan.md").is_file()


def test_default_output_folder_is_outputs_in_the_current_directory(tmp_path, monkeypatch):
    shutil.copy(GOOD[0], tmp_path / "a.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["batch", "a.yaml"]) == 0
    assert (tmp_path / "outputs" / "hoornewaard" / "plan.md").is_file()
    assert (tmp_path / "outputs" / "overzicht.md").is_file()


def test_the_same_file_twice_is_processed_once(tmp_path, capsys, monkeypatch):
    shutil.copy(GOOD[0], tmp_path / "a.yaml")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    code = main(["batch", "a.yaml", "a.yaml", "sub/../a.yaml", str(tmp_path / "a.yaml"),
                 "-o", "uit"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert sorted(p.name for p in (tmp_path / "uit").iterdir()
                    if p.is_dir() and not p.name.startswith(".")) == [
        "hoornewaard"]
    assert "Let op: sub/../a.yaml is hetzelfde bestand als a.yaml" in captured.err
    assert captured.err.count("hetzelfde bestand") == 3
    assert "1 van 1 plannen geschreven" in captured.out


def test_no_overview_when_no_plan_was_written(tmp_path, capsys):
    out = tmp_path / "uit"
    assert main(["batch", str(tmp_path / "nope.yaml"), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "nope.yaml" in captured.err and "niet gevonden" in captured.err
    assert not (out / "overzicht.md").exists() and not (out / "overzicht.html").exists()
    assert "overzicht:" not in captured.out
    # The corrected rerun is not stopped by an empty overview of the failed run.
    assert main(["batch", GOOD[0], "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "er staat al een overzicht" not in captured.err
    assert "| Hoornewaard |" in (out / "overzicht.md").read_text(encoding="utf-8")
    # A rerun that writes nothing (plans exist, no --force) leaves the overview alone and
    # only reports the plans.
    before = (out / "overzicht.md").read_bytes()
    assert main(["batch", GOOD[0], "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "al een plan" in captured.err and "overzicht" not in captured.err
    assert (out / "overzicht.md").read_bytes() == before


def test_overview_respects_force(tmp_path, capsys):
    out = tmp_path / "uit"
    assert main(["batch", GOOD[0], "-o", str(out)]) == 0
    capsys.readouterr()
    # A new municipality into the same folder: its plan is written, the existing overview
    # is not replaced without --force, and the message says so.
    assert main(["batch", GOOD[1], "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "er staat al een overzicht" in captured.err
    assert "De plannen zelf zijn wel geschreven" in captured.err
    assert (out / "lindenvoort" / "plan.md").is_file()
    assert "Lindenvoort" not in (out / "overzicht.md").read_text(encoding="utf-8")
    # With --force (all files again) the overview is made anew for this run.
    assert main(["batch", GOOD[0], GOOD[1], "-o", str(out), "--force"]) == 0
    overview = (out / "overzicht.md").read_text(encoding="utf-8")
    assert "| Hoornewaard |" in overview and "| Lindenvoort |" in overview


@pytest.mark.parametrize("good,bad,expected", [
    (0, 1, "zelfscan: het bestand is niet gelukt; er is geen plan geschreven."),
    (0, 2, "zelfscan: geen van de 2 bestanden is gelukt; er is geen plan geschreven."),
    (1, 1, ("zelfscan: 1 van de 2 bestanden is niet gelukt en overgeslagen; het andere plan "
           "is wel geschreven.")),
    (2, 1, ("zelfscan: 1 van de 3 bestanden is niet gelukt en overgeslagen; de andere 2 "
           "plannen zijn wel geschreven.")),
])
def test_failure_wording_fits_the_counts(tmp_path, capsys, good, bad, expected):
    files = GOOD[:good] + [str(tmp_path / f"weg-{i}.yaml") for i in range(bad)]
    assert main(["batch", *files, "-o", str(tmp_path / "uit"), "--zonder-word"]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert ("wel geschreven" in err) == (good > 0)


def test_vorige_same_as_the_input_is_warned_about(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    out = tmp_path / "uit"
    code = main(["batch", "zwaanrecht-2026.yaml", "welderbroek.yaml", "-o", str(out),
                 "--zonder-word", "--vorige", "./../examples/zwaanrecht-2026.yaml"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert ("Let op: zwaanrecht-2026.yaml is hetzelfde bestand als "
            "./../examples/zwaanrecht-2026.yaml (--vorige); een zelfscan met zichzelf "
            "vergelijken zegt niets") in err
    assert "Voortgang" not in (out / "zwaanrecht" / "plan.md").read_text(encoding="utf-8")
    assert "welderbroek.yaml" in err and "andere gemeente" in err


def test_one_municipality_twice_gets_dated_folders_a_single_one_does_not(tmp_path, capsys):
    z25, z26 = str(EXAMPLES / "zwaanrecht-2025.yaml"), str(EXAMPLES / "zwaanrecht-2026.yaml")
    out = tmp_path / "uit"
    assert main(["batch", z26, z25, str(EXAMPLES / "welderbroek.yaml"), "-o", str(out),
                 "--zonder-word"]) == 0
    err = capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()
                    if p.is_dir() and not p.name.startswith(".")) == [
        "welderbroek", "zwaanrecht-2025-03-12", "zwaanrecht-2026-03-18"]
    assert "12 maart 2025" in (out / "zwaanrecht-2025-03-12" / "plan.md").read_text(
        encoding="utf-8")
    assert (f"Let op: 'Zwaanrecht' staat 2 keer in deze run; elke map krijgt daarom de "
            f"datum van de zelfscan: 'zwaanrecht-2026-03-18' ({z26}), "
            f"'zwaanrecht-2025-03-12' ({z25}).") in err
    # Alone in a run, the municipality keeps its plain folder name.
    assert main(["batch", z26, "-o", str(tmp_path / "los"), "--zonder-word"]) == 0
    assert [p.name for p in (tmp_path / "los").iterdir()
            if p.is_dir() and not p.name.startswith(".")] == ["zwaanrecht"]
    # The same municipality and date twice (two different files): dated, then numbered.
    copy = tmp_path / "kopie.yaml"
    shutil.copy(z26, copy)
    assert main(["batch", z26, str(copy), "-o", str(tmp_path / "dubbel"),
                 "--zonder-word"]) == 0
    assert sorted(p.name for p in (tmp_path / "dubbel").iterdir()
                    if p.is_dir() and not p.name.startswith(".")) == [
        "zwaanrecht-2026-03-18", "zwaanrecht-2026-03-18-2"]


def test_a_write_error_halfway_leaves_the_old_plan_intact(tmp_path, capsys, monkeypatch):
    import errno

    from wizard.files import fileset

    out = tmp_path / "uit"
    assert main(["batch", GOOD[0], "-o", str(out)]) == 0
    capsys.readouterr()
    before = _tree(out / "hoornewaard")
    real = fileset._write_temp

    def disk_full_on_the_annex_docx(path, data, private):
        if path.name == "bijlage-vertrouwelijk.docx":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, private)

    monkeypatch.setattr(fileset, "_write_temp", disk_full_on_the_annex_docx)
    other = Path(GOOD[0]).read_text(encoding="utf-8").replace(
        "intake.gemeente: Hoornewaard", "intake.gemeente: hoornewaard")
    (tmp_path / "nieuw.yaml").write_text(other, encoding="utf-8")
    code = main(["batch", str(tmp_path / "nieuw.yaml"), "-o", str(out), "--force"])
    err = capsys.readouterr().err
    assert code == 1
    assert "bijlage-vertrouwelijk.docx" in err and "de schijf is vol" in err
    assert "zelfscan: het bestand is niet gelukt; er is geen plan geschreven." in err
    # Not one file of the set changed (plan.md was already made when the .docx failed),
    # and no temp file stays behind.
    assert _tree(out / "hoornewaard") == before
