"""zelfscan compare: progress report between two assessments of the same municipality."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from wizard.assessment.compare import compare_files
from wizard.cli import main
from wizard.errors import ZelfscanError
from wizard.plan.document import PUBLIC, Document
from wizard.plan.markdown_out import render
from wizard.plan.progress import render_comparison, section
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import CHOICE, SCALE, TEXT

Q = load_questionnaire()


def answers_data(level: int, date: str, name: str = "Voorbeeldstad", threat: int = 0) -> dict:
    """A complete answers file: every statement at `level`, every threat question at `threat`."""
    ans: dict = {}
    for i, qq in enumerate(Q.questions()):
        if qq.id == "intake.gemeente":
            ans[qq.id] = name
        elif qq.id == "intake.inwoners":
            ans[qq.id] = 23000
        elif qq.kind == CHOICE:
            ans[qq.id] = qq.options[0].value
        elif qq.kind == SCALE:
            top = max(int(o.value) for o in qq.options)
            ans[qq.id] = min(top, threat if qq.id.startswith("dreiging.") else level)
        elif qq.kind == TEXT:
            ans[qq.id] = f"Lokale tekst {i}"
    return {"vragenlijst": Q.id, "versie": Q.version, "datum": date, "antwoorden": ans}


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old = answers_data(1, "2025-11-03", threat=1)
    new = answers_data(3, "2026-11-02", threat=1)
    # One component slips, so the report has both directions.
    slip = next(s for s in Q.components() if s.statements())
    for st in slip.statements():
        old["antwoorden"][st.id] = 4
        new["antwoorden"][st.id] = 0
    return write(tmp_path / "oud.yaml", old), write(tmp_path / "nieuw.yaml", new)


def test_improved_and_slipped_components_with_levels(pair):
    c = compare_files(*pair, Q)
    improved = {x.id for x in c.by_change("verbeterd")}
    slipped = {x.id for x in c.by_change("achteruit")}
    first = next(s for s in Q.components() if s.statements())
    assert slipped == {first.id}
    assert improved and first.id not in improved
    md = render_comparison(c)
    assert md.startswith("# Voortgang zelfscan Voorbeeldstad\n")
    assert "3 november 2025" in md and "2 november 2026" in md
    assert "### Verbeterd" in md and "### Achteruitgegaan" in md
    assert f"- **{first.title}**: van 4 naar 0" in md
    # Threat and resilience then/now are in the summary table.
    assert f"| Dreiging | {c.old_profile.threat.label} | {c.new_profile.threat.label} |" in md
    assert "| Weerbaarheid |" in md


def test_priorities_and_recommendations_change(tmp_path):
    # From nothing in place (every component short) to everything in place.
    old = write(tmp_path / "a.yaml", answers_data(0, "2025-01-01", threat=2))
    new = write(tmp_path / "b.yaml", answers_data(4, "2026-01-01", threat=0))
    c = compare_files(old, new, Q)
    assert c.old_profile.threat.rank > c.new_profile.threat.rank
    md = render_comparison(c)
    assert "De dreiging is lager ingeschat" in md
    assert c.priorities_closed and not c.priorities_new and not c.priorities_kept
    assert "### Geen topprioriteit meer" in md
    for p in c.priorities_closed:
        assert f"- **{p.title}** (was prioriteit {p.rank}; niveau van 0 naar 4: nu op orde)" in md
    dropped = {r.body_id for r in c.recommendations_dropped}
    assert dropped, "a high threat with nothing in place must have recommended support"
    assert "### Niet meer aanbevolen" in md
    for r in c.recommendations_dropped:
        assert r.name in md
    # Confidential answers (counts of persons, incidents) do not leak into the report.
    assert "1 persoon" not in md and "2–3 personen" not in md


def test_cli_writes_report_atomically_and_deterministically(pair, tmp_path):
    out = tmp_path / "uit"
    assert main(["compare", str(pair[0]), str(pair[1]), "-o", str(out)]) == 0
    md = out / "voorbeeldstad" / "voortgang.md"
    html = out / "voorbeeldstad" / "voortgang.html"
    first = md.read_bytes()
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert "Voortgang zelfscan Voorbeeldstad" in html.read_text(encoding="utf-8")
    assert main(["compare", str(pair[0]), str(pair[1]), "-o", str(out)]) == 0
    assert md.read_bytes() == first
    assert not [p for p in md.parent.iterdir() if p.name.startswith(".")]  # no temp files


def test_different_municipalities_refused_in_dutch(tmp_path, capsys):
    a = write(tmp_path / "a.yaml", answers_data(1, "2025-01-01", name="Aadorp"))
    b = write(tmp_path / "b.yaml", answers_data(2, "2026-01-01", name="Beedorp"))
    with pytest.raises(ZelfscanError, match="verschillende gemeenten"):
        compare_files(a, b, Q)
    assert main(["compare", str(a), str(b), "-o", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "Aadorp" in err and "Beedorp" in err and "Traceback" not in err


def test_across_questionnaire_versions(tmp_path):
    old = answers_data(1, "2025-01-01")
    old["versie"] = Q.version - 1 if Q.version > 1 else Q.version + 1
    old["antwoorden"]["lokaal-beeld.stelling-vervallen-vraag"] = 2  # gone from the questionnaire
    gone_new = next(qq.id for qq in Q.questions() if qq.kind == TEXT and "doelstellingen" in qq.id)
    del old["antwoorden"][gone_new]  # 'added' in the new version
    a = write(tmp_path / "oud.yaml", old)
    b = write(tmp_path / "nieuw.yaml", answers_data(2, "2026-01-01"))
    c = compare_files(a, b, Q)
    assert c.questions_removed == ("lokaal-beeld.stelling-vervallen-vraag",)
    assert gone_new in c.questions_added
    md = render_comparison(c)
    assert "## Vragenlijst" in md and "- lokaal-beeld.stelling-vervallen-vraag" in md
    assert f"versie {old['versie']} van de vragenlijst" in md


def test_other_version_with_a_bad_answer_lists_it_like_any_answers_file(tmp_path):
    from wizard.errors import ValidationError

    old = answers_data(1, "2025-01-01")
    old["versie"] = Q.version + 1
    old["antwoorden"]["intake.inwoners"] = "veel"
    a = write(tmp_path / "oud.yaml", old)
    with pytest.raises(ValidationError) as e:
        compare_files(a, write(tmp_path / "nieuw.yaml", answers_data(2, "2026-01-01")), Q)
    assert e.value.summary == f"{a}: 1 probleem in het antwoordbestand"
    [problem] = e.value.problems
    assert "intake.inwoners" in problem.message and problem.file == str(a) and problem.line > 1


def _as_chapter(sec) -> str:
    """A section as a chapter of a plan (level 2), without the document's title lines."""
    return render(Document("T", PUBLIC, "m", (), (sec,))).split("\n\n", 2)[2]


def test_section_for_a_new_plan(pair):
    c = compare_files(*pair, Q)
    sec = _as_chapter(section(c))
    assert sec.startswith("## Voortgang sinds de vorige zelfscan\n")
    assert "\n### Samenvatting\n" in sec and "\n#### Verbeterd\n" in sec
    assert "\n# " not in sec and "\n## Samenvatting" not in sec


def test_second_year_example_pair(tmp_path):
    root = Path(__file__).resolve().parent.parent / "examples"
    old, new = min(root.glob("*-2025.yaml")), min(root.glob("*-2026.yaml"))
    c = compare_files(old, new, Q)
    md = render_comparison(c)
    assert c.old_date < c.new_date
    assert c.by_change("verbeterd") or c.by_change("achteruit")
    for x in c.by_change("verbeterd"):
        assert x.new_level > x.old_level and f"**{x.title}**" in md


def test_previous_section_only_for_the_same_municipality(pair, tmp_path):
    from wizard.answers.store import load_answers
    from wizard.plan.progress import previous_sections

    new = load_answers(pair[1], Q)
    both = previous_sections(pair[0], Q, new)
    assert both is not None
    for sec in map(_as_chapter, both):
        assert sec.startswith("## Voortgang sinds de vorige zelfscan\n")
        assert "3 november 2025" in sec
    other = write(tmp_path / "ander.yaml", answers_data(1, "2025-01-01", name="Elders"))
    assert previous_sections(other, Q, new) is None
