"""wizard.questionnaire.template: the plan template (.txt export and .docx) -> TemplateDoc."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.errors import ZelfscanError
from wizard.files.slug import slugify
from wizard.questionnaire.template import PLACEHOLDER, read_template, split_sentences

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "template"))
import make_docx
import variants as V

# Counted by hand in questionnaires/bron/plan-van-aanpak.txt.
SEED_QUESTIONS = {
    "BORGEN VAN DE AANPAK": 3,
    "AANDACHTSFUNCTIONARIS / ADVISEUR RADICALISERING": 3,
    "LOKAAL BEELD": 2,
    "SAMENWERKING": 2,
    "PREVENTIEVE MAATREGELEN": 3,
    "SIGNALEREN EN MELDEN": 3,
    "PERSOONSGERICHTE AANPAK (PGA R)": 4,
    "DESKUNDIGHEIDSBEVORDERING": 4,
    "BONDGENOTENNETWERK/ SLEUTELFIGURENNETWERK": 3,
    "HANDHAVING": 1,
    "EXTERNE ONDERSTEUNING": 0,
}


def write(tmp_path: Path, text: str | bytes, name: str = "sjabloon.txt") -> Path:
    p = tmp_path / name
    if isinstance(text, str):
        p.write_text(text, encoding="utf-8", newline="")
    else:
        p.write_bytes(text)
    return p


def rows_summary(doc):  # type: ignore[no-untyped-def]
    return [(r.title, r.subtitle, r.how, r.questions) for r in doc.rows]


@pytest.fixture(scope="module")
def seed():  # type: ignore[no-untyped-def]
    return read_template(V.SEED)


# --- slug ----------------------------------------------------------------------------------


def test_slugify_matches_the_documented_ids() -> None:
    assert slugify("BORGEN VAN DE AANPAK") == "borgen-van-de-aanpak"
    assert slugify("BONDGENOTENNETWERK/ SLEUTELFIGURENNETWERK") == (
        "bondgenotennetwerk-sleutelfigurennetwerk")
    assert slugify("PERSOONSGERICHTE AANPAK (PGA R)") == "persoonsgerichte-aanpak-pga-r"
    assert slugify("  Hoe zorg ik voor continuïteit?  ") == "hoe-zorg-ik-voor-continuiteit"
    assert slugify("Welke collega’s voorzie ik van trainingen?", 4) == "welke-collega-s-voorzie"
    assert slugify("¿!") == ""


# --- the seed ------------------------------------------------------------------------------


def test_seed_rows_and_question_counts(seed) -> None:  # type: ignore[no-untyped-def]
    assert {r.title: len(r.questions) for r in seed.rows} == SEED_QUESTIONS
    assert [r.title for r in seed.rows] == list(SEED_QUESTIONS)  # template order
    assert [r.number for r in seed.rows] == list(range(1, 12))
    borgen = seed.rows[0]
    assert borgen.questions == ("Welke afdelingen ga ik betrekken?",
                                "Hoe betrek ik het college?",
                                "Welk budget heb ik beschikbaar?")
    assert seed.rows[6].questions[-1] == "Hoe voer ik de regie uit bij PGA-R in ZVH?"
    assert seed.rows[9].questions == (
        "Welke procesafspraken maak ik hierover met de veiligheidspartners?",)


def test_seed_definitions_ambition_objectives(seed) -> None:  # type: ignore[no-untyped-def]
    assert [d.term for d in seed.definitions] == ["Radicalisering", "Extremisme", "Terrorisme"]
    for d in seed.definitions:
        assert d.source == "Nationaal Coördinator Terrorismebestrijding en Veiligheid"
        assert d.text.endswith(".") and "Nationaal Coördinator" not in d.text
    assert seed.definitions[0].text.startswith("Een proces van toenemende bereidheid")
    assert seed.ambition.startswith("De gemeente vindt het belangrijk")
    assert seed.local_ambition == (
        "Specifiek voor onze gemeente is er de volgende aanvullende ambitie:")
    assert seed.local_objectives == (
        "Specifiek voor onze gemeente zijn er de volgende aanvullende doelstellingen:")
    assert len(seed.objectives) == 5
    assert seed.objectives[0].startswith("De gemeente zet zich in om radicalisering")
    assert seed.objectives[-1].endswith("zoals zorg, onderwijs en veiligheid.")


def test_seed_subtitles_and_how(seed) -> None:  # type: ignore[no-untyped-def]
    by_title = {r.title: r for r in seed.rows}
    assert by_title["LOKAAL BEELD"].subtitle.startswith("Eens in de twee jaar")
    assert by_title["BORGEN VAN DE AANPAK"].subtitle == ""
    assert by_title["AANDACHTSFUNCTIONARIS / ADVISEUR RADICALISERING"].subtitle == ""
    afr = by_title["AANDACHTSFUNCTIONARIS / ADVISEUR RADICALISERING"]
    bullets = [b.text for b in afr.how if b.bullet]
    assert len(bullets) == 5 and bullets[1] == (
        "Kennis over het onderscheid tussen activisme en extremisme.")
    assert "\n- Bekendheid met de opzet van de Lokale aanpak.\n" in afr.how_text
    assert "·" not in afr.how_text
    # The last row's sentence was broken over two lines in the export; it is one paragraph.
    ext = by_title["EXTERNE ONDERSTEUNING"]
    assert len(ext.how) == 1 and "(VAR), de Nationaal Coördinator" in ext.how[0].text


def test_no_placeholder_or_export_noise_anywhere(seed) -> None:  # type: ignore[no-untyped-def]
    dump = repr(dataclasses.asdict(seed))
    assert PLACEHOLDER not in dump and "Klik of tik" not in dump
    assert "[bookmark" not in dump and "\\t" not in dump and "\ufeff" not in dump


def test_sentence_split_keeps_abbreviations() -> None:
    text = "Er is een zgn. Netwerk. Het werkt (o.a. OM). Klaar!"
    assert split_sentences(text) == ["Er is een zgn. Netwerk.", "Het werkt (o.a. OM).", "Klaar!"]


# --- tolerated variants --------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["crlf", "bom", "bom-crlf", "stray-spaces", "blank-lines",
                                     "no-trailing-placeholder"])
def test_harmless_variants_read_the_same(tmp_path, seed, variant) -> None:  # type: ignore[no-untyped-def]
    text = V.seed_text()
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    elif variant == "bom":
        text = "\ufeff" + text
    elif variant == "bom-crlf":
        text = "\ufeff" + text.replace("\n", "\r\n")
    elif variant == "stray-spaces":
        text = text.replace("\n\t", "\n  \t")
    elif variant == "blank-lines":
        text = text.replace("\n\t", "\n\n\n\t").replace(f"{PLACEHOLDER}\n", f"{PLACEHOLDER}\n\n\n")
    elif variant == "no-trailing-placeholder":
        head, rows = V.split_rows(text)
        for i in range(len(rows)):  # drop each row's last placeholder
            last = max((j for j, ln in enumerate(rows[i]) if ln.strip() == PLACEHOLDER),
                       default=None)
            if last is not None:
                rows[i] = rows[i][:last] + rows[i][last + 1:]
        text = V.join_rows(head, rows)
    doc = read_template(write(tmp_path, text))
    assert rows_summary(doc) == rows_summary(seed)
    assert doc.definitions == seed.definitions and doc.objectives == seed.objectives


def test_row_added(tmp_path, seed) -> None:  # type: ignore[no-untyped-def]
    head, rows = V.split_rows(V.seed_text())
    rows.insert(3, V.new_row("ONLINE RADICALISERING",
                             "De gemeente volgt online signalen. Er is een contactpersoon.",
                             ["Wie volgt online signalen?", "Welke platforms zijn relevant?"]))
    doc = read_template(write(tmp_path, V.join_rows(head, rows)))
    assert len(doc.rows) == 12
    new = doc.rows[3]
    assert new.title == "ONLINE RADICALISERING" and new.number == 4
    assert new.questions == ("Wie volgt online signalen?", "Welke platforms zijn relevant?")
    assert new.how_text == "De gemeente volgt online signalen. Er is een contactpersoon."
    assert [r.title for r in doc.rows[4:]] == [r.title for r in seed.rows[3:]]


def test_row_removed_and_reordered(tmp_path, seed) -> None:  # type: ignore[no-untyped-def]
    head, rows = V.split_rows(V.seed_text())
    del rows[V.row_index(rows, "HANDHAVING")]
    rows.reverse()
    doc = read_template(write(tmp_path, V.join_rows(head, rows)))
    expected = [r for r in reversed(seed.rows) if r.title != "HANDHAVING"]
    assert [(r.title, r.questions) for r in doc.rows] == [(r.title, r.questions) for r in expected]
    assert [r.how for r in doc.rows] == [r.how for r in expected]


def test_row_reworded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = V.seed_text().replace("\tLOKAAL BEELD", "\tLOKAAL EN REGIONAAL BEELD")
    text = text.replace("Welke tools gebruik ik hiervoor?", "Welke bronnen gebruik ik?")
    doc = read_template(write(tmp_path, text))
    row = doc.rows[2]
    assert row.title == "LOKAAL EN REGIONAAL BEELD"
    assert row.questions[-1] == "Welke bronnen gebruik ik?"


def test_row_without_questions_in_the_middle(tmp_path, seed) -> None:  # type: ignore[no-untyped-def]
    head, rows = V.split_rows(V.seed_text())
    i = V.row_index(rows, "SAMENWERKING")
    rows[i] = V.without_questions(rows[i])
    doc = read_template(write(tmp_path, V.join_rows(head, rows)))
    assert len(doc.rows) == 11
    assert doc.rows[i].title == "SAMENWERKING" and doc.rows[i].questions == ()
    assert doc.rows[i].how == seed.rows[i].how
    assert rows_summary(doc)[i + 1:] == rows_summary(seed)[i + 1:]


# --- .docx ---------------------------------------------------------------------------------


def test_docx_reads_the_same_as_the_text_export(tmp_path, seed) -> None:  # type: ignore[no-untyped-def]
    path = make_docx.build(V.SEED, tmp_path / "plan-van-aanpak.docx")
    doc = read_template(path)
    assert rows_summary(doc) == rows_summary(seed)
    assert doc.definitions == seed.definitions
    assert doc.objectives == seed.objectives
    assert (doc.ambition, doc.local_ambition, doc.local_objectives) == (
        seed.ambition, seed.local_ambition, seed.local_objectives)
    assert PLACEHOLDER not in repr(dataclasses.asdict(doc))


def test_docx_without_activities_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import docx

    d = docx.Document()
    d.add_paragraph("Ambitie")
    d.add_paragraph("Alleen tekst, geen tabel.")
    path = tmp_path / "leeg.docx"
    d.save(str(path))
    with pytest.raises(ZelfscanError) as err:
        read_template(path)
    assert "Activiteiten" in str(err.value) and "leeg.docx" in str(err.value)


# --- malformed input: Dutch message with file (and line), never a traceback ----------------


def _cli_error(tmp_path, capsys, path: Path) -> str:  # type: ignore[no-untyped-def]
    code = main(["generate", str(path), "-o", str(tmp_path / "uit")])
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err and "interne fout" not in err
    assert path.name in err
    assert not (tmp_path / "uit" / "aanpak.yaml").exists()
    return err


def test_no_table(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, V.seed_text().replace("\t", ""))
    err = _cli_error(tmp_path, capsys, path)
    assert "geen tabel 'Activiteiten'" in err


def test_table_without_rows(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    head, _rows = V.split_rows(V.seed_text())
    path = write(tmp_path, "\n".join(head))
    err = _cli_error(tmp_path, capsys, path)
    assert "geen rijen" in err
    header_line = head.index("\tWat") + 1
    assert f"{path}:{header_line}:" in err


def test_table_without_header(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "Activiteiten\n\tBORGEN\n\tHoe het moet.\n\tVraag?\n")
    err = _cli_error(tmp_path, capsys, path)
    assert f"{path}:2:" in err and "kopregel" in err


def test_binary_file(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "plaatje.txt")
    err = _cli_error(tmp_path, capsys, path)
    assert "binair" in err


def test_not_utf8_gives_the_line(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, V.seed_text().encode("cp1252"), "ansi.txt")
    err = _cli_error(tmp_path, capsys, path)
    # The first non-ASCII character of the seed is 'ö' in "Coördinator" on line 4.
    assert f"{path}:4:" in err and "UTF-8" in err


def test_docx_that_is_not_a_zip(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "dit is geen Word-bestand", "kapot.docx")
    err = _cli_error(tmp_path, capsys, path)
    assert "geen geldig Word-bestand" in err


def test_zip_that_is_not_a_docx(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    path = tmp_path / "archief.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hallo.txt", "geen document")
    err = _cli_error(tmp_path, capsys, path)
    assert "Word-bestand kan niet worden gelezen" in err


def test_missing_file(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    err = _cli_error(tmp_path, capsys, tmp_path / "bestaat-niet.txt")
    assert "niet gevonden" in err


def test_row_without_how(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    text = "\tWat\n\tHoe\n\tLokale uitwerking\n\tBORGEN VAN DE AANPAK\n"
    path = write(tmp_path, text)
    err = _cli_error(tmp_path, capsys, path)
    assert f"{path}:4:" in err and "kolom Hoe" in err
