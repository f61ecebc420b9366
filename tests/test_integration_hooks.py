"""The features wired into render/batch: Word files, privacy open points, --vorige, the
regional overview. Each test runs the real code path and reads the files it writes."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import chapter, chapters

from wizard.answers.store import load_answers
from wizard.plan.output import write_outputs
from wizard.questionnaire.loader import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(None)


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


# --------------------------------------------------------------------------- Word

def test_word_files_are_written_private_and_deterministic(q, tmp_path):
    src = EXAMPLES / "welderbroek.yaml"
    a, b = tmp_path / "a", tmp_path / "b"
    paths = write_outputs(q, load_answers(src, q), a)
    write_outputs(q, load_answers(src, q), b)
    assert {"plan.docx", "bijlage-vertrouwelijk.docx"} <= {p.name for p in paths}
    for name in ("plan.docx", "bijlage-vertrouwelijk.docx"):
        assert zipfile.is_zipfile(a / name)
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "bijlage-vertrouwelijk.docx").stat().st_mode & 0o077 == 0
    assert (a / "plan.docx").stat().st_mode & 0o044 == 0o044  # public: shareable
    plan = _docx_text(a / "plan.docx")
    assert "Openstaande punten" in plan and "Welderbroek" in plan
    assert "VERTROUWELIJK" in _docx_text(a / "bijlage-vertrouwelijk.docx")


def test_word_counts_for_the_overwrite_check_and_public_only(q, tmp_path):
    from wizard.errors import ZelfscanError

    answers = load_answers(EXAMPLES / "welderbroek.yaml", q)
    write_outputs(q, answers, tmp_path)
    for name in tmp_path.iterdir():
        if name.name != "plan.docx":
            name.unlink()
    with pytest.raises(ZelfscanError, match="plan.docx"):
        write_outputs(q, answers, tmp_path)
    paths = write_outputs(q, answers, tmp_path, force=True, public_only=True)
    assert "plan.docx" in {p.name for p in paths}
    assert not (tmp_path / "bijlage-vertrouwelijk.docx").exists()


def test_importing_the_pipeline_does_not_import_docx():
    code = "import sys, wizard.plan.output; print('docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "False"


# --------------------------------------------------------------------------- privacy

EMAIL = "j.jansen@welderbroek.nl"
BSN = "111222333"
PUBLIC_QID = "borgen-van-de-aanpak.hoe-betrek-ik-het-college"
SECRET_QID = "persoonsgerichte-aanpak-pga-r.bij-wie-haal-ik-informatie-op"


def _with_personal_data(tmp_path: Path) -> Path:
    text = (EXAMPLES / "welderbroek.yaml").read_text(encoding="utf-8")
    old = "  borgen-van-de-aanpak.hoe-betrek-ik-het-college: De burgemeester"
    assert old in text
    text = text.replace(old, f"  {PUBLIC_QID}: Mail {EMAIL} of BSN {BSN}. De burgemeester")
    text = text.replace("\nantwoorden:\n", f"\nantwoorden:\n  {SECRET_QID}: bel 06-12345678\n")
    text += f"toelichtingen:\n  {PUBLIC_QID}: Contact via 0612345678.\n"
    f = tmp_path / "persoonsgegevens.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_personal_data_in_a_public_answer_goes_to_the_annex(q, tmp_path):
    """Issue 14: a flagged public answer is withheld from the plan (a neutral pointer),
    and every finding is an open point in the annex, never with the values."""
    answers = load_answers(_with_personal_data(tmp_path), q)
    write_outputs(q, answers, tmp_path / "uit")
    plan = (tmp_path / "uit" / "plan.md").read_text(encoding="utf-8")
    annex = (tmp_path / "uit" / "bijlage-vertrouwelijk.md").read_text(encoding="utf-8")
    assert EMAIL not in plan and BSN not in plan and "12345678" not in plan
    assert "De burgemeester krijgt twee keer per jaar" not in plan
    assert "Mogelijke persoonsgegevens" not in plan
    assert EMAIL in annex  # the answer itself is in the annex
    annex_points = chapter(annex, "Mogelijke persoonsgegevens", level=3)
    annex_flagged = [ln for ln in annex_points.splitlines() if ln.startswith("- Mogelijk")]
    assert len(annex_flagged) == 3, annex_flagged
    assert any("hoe betrek ik het college" in ln.lower() and "e-mailadres" in ln
               and "burgerservicenummer" in ln for ln in annex_flagged)
    assert any("de toelichting bij vraag" in ln and "telefoonnummer" in ln
               for ln in annex_flagged)
    assert "12345678" not in annex_points and EMAIL not in annex_points


def test_confirmed_public_answer_with_personal_data_is_an_open_point_in_the_plan(q, tmp_path):
    """After 'openbaar_bevestigd' the answer is in the plan, flagged without the values."""
    f = _with_personal_data(tmp_path)
    f.write_text(f.read_text(encoding="utf-8") + f"openbaar_bevestigd: [{PUBLIC_QID}]\n",
                 encoding="utf-8")
    answers = load_answers(f, q)
    assert answers.confirmed_public == [PUBLIC_QID]
    write_outputs(q, answers, tmp_path / "uit")
    plan = (tmp_path / "uit" / "plan.md").read_text(encoding="utf-8")
    points = chapter(plan, "Openstaande punten")
    assert "### Mogelijke persoonsgegevens" in points
    flagged = [ln for ln in points.splitlines() if ln.startswith("- Mogelijk persoonsgegeven")]
    assert len(flagged) == 1, flagged
    assert "hoe betrek ik het college" in flagged[0].lower()
    assert "e-mailadres" in flagged[0] and "burgerservicenummer" in flagged[0]
    assert EMAIL not in points and BSN not in points
    assert "telefoonnummer" not in points and "06-12345678" not in plan


def test_no_personal_data_no_privacy_section(q, tmp_path):
    write_outputs(q, load_answers(EXAMPLES / "welderbroek.yaml", q), tmp_path)
    assert "Mogelijke persoonsgegevens" not in (tmp_path / "plan.md").read_text(encoding="utf-8")
    assert "Mogelijke persoonsgegevens" not in (
        tmp_path / "bijlage-vertrouwelijk.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- --vorige

def test_batch_vorige_adds_progress_section_before_the_appendix(tmp_path, capsys):
    from wizard.cli import main

    out = tmp_path / "uit"
    code = main(["batch", str(EXAMPLES / "zwaanrecht-2026.yaml"), str(EXAMPLES / "welderbroek.yaml"),
                 "-o", str(out), "--vorige", str(EXAMPLES / "zwaanrecht-2025.yaml")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "nog niet ondersteund" not in err
    # Welderbroek is another municipality: a Dutch warning, no section.
    assert "welderbroek.yaml" in err and "andere gemeente" in err
    assert "Voortgang" not in (out / "welderbroek" / "plan.md").read_text(encoding="utf-8")

    plan = (out / "zwaanrecht" / "plan.md").read_text(encoding="utf-8")
    # The progress section is the last chapter, after the open points.
    assert chapters(plan)[-2:] == ["Openstaande punten", "Voortgang sinds de vorige zelfscan"]
    progress = chapter(plan, "Voortgang sinds de vorige zelfscan")
    assert "Vergeleken met de zelfscan van 12 maart 2025" in progress
    improved = progress.split("#### Verbeterd", 1)[1].split("####", 1)[0]
    slipped = progress.split("#### Achteruitgegaan", 1)[1].split("###", 1)[0]
    assert "**Aandachtsfunctionaris / adviseur radicalisering**: van 0,8 naar 2,8" in improved
    assert "**Deskundigheidsbevordering**: van 1,7 naar 1" in slipped
    # The annex has the comparison too; the plan.html and plan.docx follow plan.md.
    annex = (out / "zwaanrecht" / "bijlage-vertrouwelijk.md").read_text(encoding="utf-8")
    assert chapter(annex, "Voortgang sinds de vorige zelfscan")
    assert "Voortgang sinds de vorige zelfscan" in _docx_text(out / "zwaanrecht" / "plan.docx")


def test_vorige_public_section_never_quotes_a_confidential_answer(q, tmp_path):
    """A rule reason citing a confidential answer reads as a pointer in the public plan."""
    from wizard.plan.confidential import SECRET_POINTER, THREAT_POINTER, secret_strings
    from wizard.plan.document import PUBLIC, Document
    from wizard.plan.markdown_out import render
    from wizard.plan.progress import previous_sections

    new = load_answers(EXAMPLES / "zwaanrecht-2026.yaml", q)
    sections = previous_sections(EXAMPLES / "zwaanrecht-2025.yaml", q, new)
    assert sections is not None
    public, annex = (render(Document("t", PUBLIC, "m", (), (s,))) for s in sections)
    old = load_answers(EXAMPLES / "zwaanrecht-2025.yaml", q)
    for s in secret_strings(q, new) + secret_strings(q, old):
        if len(s) >= 4 and s != "Geen":  # 'Geen topprioriteit meer' is a heading
            assert s not in public, s
    # Reasons citing confidential answers: general text with a pointer, no quoted answer.
    assert "(details: zie de vertrouwelijke bijlage)" in public
    assert chapters(public) == ["Voortgang sinds de vorige zelfscan"]
    assert previous_sections(EXAMPLES / "welderbroek.yaml", q, new) is None
    assert THREAT_POINTER not in annex and SECRET_POINTER not in annex


def test_batch_vorige_bad_file_writes_nothing(tmp_path, capsys):
    from wizard.cli import main

    bad = tmp_path / "vorige.yaml"
    bad.write_text("vragenlijst: zelfscan\nversie: [\n", encoding="utf-8")
    out = tmp_path / "uit"
    code = main(["batch", str(EXAMPLES / "zwaanrecht-2026.yaml"), "-o", str(out),
                 "--vorige", str(bad)])
    assert code != 0
    assert "vorige.yaml" in capsys.readouterr().err
    assert not (out / "zwaanrecht").exists()


# --------------------------------------------------------------------------- region

def test_batch_overview_has_the_regional_section(tmp_path):
    from wizard.batch import run_batch

    files = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))
    code, results = run_batch(files, tmp_path / "uit", out=_Sink(), err=_Sink())
    assert code == 0
    overview = (tmp_path / "uit" / "overzicht.md").read_text(encoding="utf-8")
    table, sep, region = overview.partition("## Regionaal beeld")
    assert sep and "| Gemeente |" in table
    municipalities = {r.municipality for r in results}
    assert len(municipalities) < len(files)  # Zwaanrecht twice: counted once
    assert f"Samengevat over {len(municipalities)} gemeenten" in region
    assert "### Dreiging in de regio" in region and "### Meest gevraagde ondersteuning" in region
    assert "Regionaal beeld" in (tmp_path / "uit" / "overzicht.html").read_text(encoding="utf-8")


def test_batch_of_one_municipality_has_no_regional_section(tmp_path):
    from wizard.batch import run_batch

    files = [str(EXAMPLES / "zwaanrecht-2025.yaml"), str(EXAMPLES / "zwaanrecht-2026.yaml")]
    code, _ = run_batch(files, tmp_path / "uit", out=_Sink(), err=_Sink())
    assert code == 0
    assert "Regionaal beeld" not in (tmp_path / "uit" / "overzicht.md").read_text(encoding="utf-8")


class _Sink:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass
