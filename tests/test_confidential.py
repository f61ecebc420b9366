"""Issue 8: a public plan and a confidential annex.

Hostile checks: no confidential answer text, number, label or note may reach any public file
(plan.md, plan.html, the chart SVGs, plan.docx if written), for every example and for a
generated set of answers with a unique marker in every confidential field and note; every
marker must reach the annex. The public plan must still read as a complete plan.
"""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest
from conftest import chapter, chapters

from wizard.answers.store import Answers, load_answers, save_answers
from wizard.assessment import advice as advice_mod
from wizard.assessment import scoring
from wizard.cli import main
from wizard.errors import ZelfscanError
from wizard.files.resources import data_dir
from wizard.plan.build_common import MARKINGS
from wizard.plan.confidential import ANNEX_POINTER, SECRET_POINTER, THREAT_POINTER
from wizard.plan.markdown_out import md_inline
from wizard.plan.output import (
    ANNEX_HTML,
    ANNEX_MD,
    ANSWERS_YAML,
    PLAN_HTML,
    PLAN_MD,
    write_outputs,
)
from wizard.questionnaire.generate import build_module, load_confidential_sections
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import CONFIDENTIAL, NUMBER, SCALE, SPECIAL_LABELS, TEXT
from wizard.questionnaire.template import read_template

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
MARK = "GEHEIM-7f3a"
Q = load_questionnaire()


# --------------------------------------------------------------------------- helpers

def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
    for s in d.sections:
        parts += [p.text for p in s.header.paragraphs]
    return "\n".join(parts)


def public_text(folder: Path) -> str:
    """Everything a reader of the public files can see, decoded (embedded SVGs included)."""
    assert (folder / PLAN_MD).is_file() and (folder / PLAN_HTML).is_file()
    parts = [(folder / PLAN_MD).read_text(encoding="utf-8")]
    html = (folder / PLAN_HTML).read_text(encoding="utf-8")
    parts.append(html)
    for b64 in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html):
        parts.append(base64.b64decode(b64).decode("utf-8"))
    svgs = sorted(folder.glob("*.svg"))
    assert svgs, "the charts are part of the public plan"
    parts += [p.read_text(encoding="utf-8") for p in svgs]
    for p in sorted(folder.glob("*.docx")):
        if not p.name.startswith("bijlage"):
            parts.append(_docx_text(p))
    return "\n".join(parts)


def annex_text(folder: Path) -> str:
    parts = [(folder / ANNEX_MD).read_text(encoding="utf-8"),
             (folder / ANNEX_HTML).read_text(encoding="utf-8")]
    for p in sorted(folder.glob("bijlage*.docx")):
        parts.append(_docx_text(p))
    return "\n".join(parts)


def confidential_strings(q, answers) -> list[str]:
    """Every confidential answer and note as it would be shown, plus the threat anchors."""
    out: list[str] = []
    for qq in q.questions():
        v = answers.values.get(qq.id)
        if qq.classification != CONFIDENTIAL or v is None or v in SPECIAL_LABELS:
            continue  # 'weet niet' is everywhere; that *this* question says it: see below
        if qq.kind == TEXT:
            out += [ln.strip() for ln in str(v).splitlines() if len(ln.strip()) >= 8]
        else:
            out.append(qq.label_for(v))  # e.g. '2 – 3–5 signalen'
            out += [o.label for o in qq.options if o.value == v and re.search(r"\d", o.label)]
            if qq.kind == NUMBER:
                out.append(str(v))
    if q.notes_classification == CONFIDENTIAL:
        for note in answers.notes.values():
            out += [ln.strip() for ln in str(note).splitlines() if len(ln.strip()) >= 8]
    return out


def _variants(s: str) -> list[str]:
    # As the files may show it: raw, Markdown-escaped, HTML-escaped.
    return list(dict.fromkeys([s, md_inline(s), s.replace("&", "&amp;").replace("<", "&lt;")]))


def assert_no_leak(q, answers, folder: Path) -> None:
    text = public_text(folder)
    for s in confidential_strings(q, answers):
        for v in _variants(s):
            assert v not in text, f"confidential {s!r} leaked into the public plan ({folder})"


def marker_answers(q, threat: int = 2) -> Answers:
    """Every question answered; every confidential free-text answer and every note carries a
    unique marker."""
    a = Answers(q.id, q.version, "2026-11-23")
    for qq in q.questions():
        if qq.id == "intake.gemeente":
            a.values[qq.id] = "Markeerdam"
        elif qq.kind == TEXT:
            a.values[qq.id] = (f"{MARK}-{qq.id} regel een\nen {MARK}-{qq.id}-2 regel twee"
                               if qq.classification == CONFIDENTIAL else f"Openbaar {qq.id}")
        elif qq.kind == NUMBER:
            a.values[qq.id] = 23456
        elif qq.kind == SCALE and qq.section_id == "dreiging":
            a.values[qq.id] = min(threat, max(int(o.value) for o in qq.options))
        elif qq.kind == SCALE:
            a.values[qq.id] = 1
        else:
            a.values[qq.id] = qq.options[0].value
        a.notes[qq.id] = f"{MARK}-note-{qq.id}"
    a.marked = [qq.id for qq in q.questions() if qq.section_id == "dreiging"][:3]
    return a


# --------------------------------------------------------------------------- hostile

@pytest.mark.parametrize("threat", [1, 2, 3])
def test_markers_never_reach_the_public_plan_and_all_reach_the_annex(tmp_path, threat):
    a = marker_answers(Q, threat)
    paths = write_outputs(Q, a, tmp_path)
    assert {p.name for p in paths} >= {PLAN_MD, PLAN_HTML, ANNEX_MD, ANNEX_HTML, ANSWERS_YAML}
    public = public_text(tmp_path)
    assert MARK not in public and "7f3a" not in public
    annex = annex_text(tmp_path)
    markers = set(re.findall(rf"{MARK}-[\w.-]+", "\n".join(
        [str(v) for v in a.values.values()] + list(a.notes.values()))))
    secret_text = [qq for qq in Q.questions()
                   if qq.kind == TEXT and qq.classification == CONFIDENTIAL]
    assert len(secret_text) >= 6  # threat texts and the PGA-R row's open questions
    assert len(markers) > 2 * len(secret_text)  # and a note on every question
    for m in sorted(markers):
        assert m in annex, m
    # The threat picture: concrete anchors and the questions themselves stay out.
    for qq in Q.questions():
        if qq.section_id != "dreiging":
            continue
        assert md_inline(qq.text) not in public and qq.text not in public
        if qq.kind != SCALE:
            continue  # free text: the markers above
        label = qq.label_for(a.values[qq.id])
        assert label not in public and md_inline(label) not in public
        assert label in annex or md_inline(label) in annex
    assert_no_leak(Q, a, tmp_path)
    # Public answers are still in the public plan.
    assert "Openbaar borgen-van-de-aanpak." in public


def test_concrete_threat_anchors_are_absent_for_every_level(tmp_path):
    for threat in (0, 1, 2, 3):
        out = tmp_path / str(threat)
        a = marker_answers(Q, threat)
        write_outputs(Q, a, out)
        public = public_text(out)
        for qq in Q.questions():
            if qq.section_id == "dreiging" and qq.kind == SCALE:
                anchor = next(o.label for o in qq.options if o.value == a.values[qq.id])
                if re.search(r"\d", anchor):  # '3–5 signalen', '1 persoon', ...
                    assert anchor not in public, (threat, qq.id, anchor)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_leak_nothing_and_stay_complete(tmp_path, path):
    answers = load_answers(path, Q)
    profile = scoring.score(Q, answers, scoring.load_config(Q))
    adv = advice_mod.advise(Q, answers, profile, advice_mod.load_rules(Q))
    write_outputs(Q, answers, tmp_path, profile=profile, advice=adv)
    assert_no_leak(Q, answers, tmp_path)
    public = public_text(tmp_path)
    # Not even which threat question was answered how ('weet niet', skipped, marked). The
    # template's own open questions stay visible, with a pointer instead of the answer.
    for qq in Q.questions():
        if qq.classification == CONFIDENTIAL and qq.section_id == "dreiging":
            assert md_inline(qq.text) not in public, qq.id
    annex = annex_text(tmp_path)
    for s in confidential_strings(Q, answers):
        assert any(v in annex for v in _variants(s)), s
    md = (tmp_path / PLAN_MD).read_text(encoding="utf-8")
    _assert_complete_plan(md, profile, adv)


def _assert_complete_plan(md: str, profile, adv) -> None:
    heads = chapters(md)
    council = ["Aanleiding", "Samenvatting", "Besluitpunten voor het college", "Uitvoeringsagenda",
               "Ambitie en doelstellingen", "Activiteiten", "Externe ondersteuning",
               "Financiën", "Monitoring en evaluatie", "Communicatie", "Openstaande punten"]
    assert [h for h in heads if h in council] == council
    assert set(heads) - set(council) <= {"Nu regelen", "Voortgang sinds de vorige zelfscan"}
    assert ("Nu regelen" in heads) == bool(adv.acute)
    # The template's table: one row per component, titles in the Wat column.
    table = chapter(md, "Activiteiten")
    for c in Q.components():
        assert f"| **{md_inline(c.title)}**" in table
    # The threat level in general terms is public.
    assert f"**Dreiging:** {md_inline(profile.threat.label)}" in md
    summary = chapter(md, "Samenvatting")
    if adv.has_shortfall:
        for p in adv.top(3):
            if p.gap is None or p.gap > 0:
                assert md_inline(p.title) in summary
    else:  # nothing short: the components to keep up, not called priorities
        assert "geen onderdeel heeft een tekort" in summary
    route = chapter(md, "Externe ondersteuning")
    for rec in list(adv.recommendations)[:4]:
        assert f"**{md_inline(rec.name)}**" in route
        row = next(ln for ln in route.splitlines() if f"**{md_inline(rec.name)}**" in ln)
        why = row.split(" | ")[2]
        assert why.strip() and why.strip() != "—", rec.body_id
        if any(r.confidential for r in rec.reasons) and not rec.public_reason:
            assert THREAT_POINTER in why or SECRET_POINTER in why, rec.body_id
    # Every agenda row names a trekker, a term and a result.
    agenda = [ln for ln in chapter(md, "Uitvoeringsagenda").splitlines()
              if ln.startswith("| ")][1:]
    for ln in agenda:
        cells = [c.strip() for c in ln.strip("|").split(" | ")]
        assert len(cells) == 7 and all(cells[i] for i in (0, 1, 2, 4, 5, 6)), ln


def test_a_recommendation_resting_on_threat_answers_is_in_the_plan_with_a_pointer(tmp_path):
    a = marker_answers(Q, 3)
    profile = scoring.score(Q, a, scoring.load_config(Q))
    adv = advice_mod.advise(Q, a, profile, advice_mod.load_rules(Q))
    secret = [r for r in adv.recommendations if any(x.confidential for x in r.reasons)]
    assert secret, "this profile has support advised on threat answers"
    write_outputs(Q, a, tmp_path, profile=profile, advice=adv)
    md = (tmp_path / PLAN_MD).read_text(encoding="utf-8")
    annex = (tmp_path / ANNEX_MD).read_text(encoding="utf-8")
    route = chapter(md, "Externe ondersteuning")
    on_route = [r for r in secret if r in adv.recommendations[:4]]
    assert on_route, "a support body advised on threat answers is on the route"
    for rec in on_route:
        row = next(ln for ln in route.splitlines() if f"**{md_inline(rec.name)}**" in ln)
        part = chapter(annex, f"Ondersteuning: {rec.name}", 3)
        for r in rec.reasons:
            if r.confidential:
                assert md_inline(r.text) in part and md_inline(r.text) not in md
        # The council still reads why: the body's role and the theme in general terms,
        # with a pointer to the annex for the reasons behind it.
        if rec.public_reason:
            assert md_inline(rec.public_reason) in row and ANNEX_POINTER in row
        else:
            assert THREAT_POINTER in row or SECRET_POINTER in row
    _assert_complete_plan(md, profile, adv)


# --------------------------------------------------------------------------- markings

def test_every_document_is_marked(tmp_path):
    a = load_answers(EXAMPLES[0], Q)
    write_outputs(Q, a, tmp_path)
    md = (tmp_path / PLAN_MD).read_text(encoding="utf-8").splitlines()
    annex = (tmp_path / ANNEX_MD).read_text(encoding="utf-8").splitlines()
    assert md[0].startswith("# ") and md[2] == "**Openbaar concept**"
    assert annex[0].startswith("# ") and annex[2] == "**VERTROUWELIJK — niet openbaar maken**"
    annex_md = "\n".join(annex)
    assert ANSWERS_YAML in annex_md and "vertrouwelijk" in annex_md.split("## 1 ", 1)[0]
    for name, level in ((PLAN_HTML, "openbaar"), (ANNEX_HTML, "vertrouwelijk")):
        html = (tmp_path / name).read_text(encoding="utf-8")
        marking = MARKINGS[level]
        body = html.split("<body>", 1)[1]
        # A visible banner first thing in the body, and the @page header on every page.
        assert body.lstrip().startswith(
            f'<div class="markering markering-{level}" role="note">{marking}</div>')
        assert f'@page {{ @top-center {{ content: "{marking}"; }}' in html
        assert body.count(marking) == 1  # the Markdown line is not repeated in the body
        other = MARKINGS["vertrouwelijk" if level == "openbaar" else "openbaar"]
        assert other not in html
    assert (tmp_path / ANNEX_MD).stat().st_mode & 0o077 == 0
    assert (tmp_path / ANSWERS_YAML).stat().st_mode & 0o077 == 0


# --------------------------------------------------------------------------- public only

def test_alleen_openbaar_writes_no_annex_and_says_so(tmp_path, capsys):
    out = tmp_path / "uit"
    files = [str(p) for p in EXAMPLES[:3]]
    assert main(["batch", *files, "-o", str(out), "--alleen-openbaar"]) == 0
    so = capsys.readouterr().out
    assert "Alleen openbaar (--alleen-openbaar)" in so and "zonder vertrouwelijke bijlage" in so
    folders = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(folders) == 3
    for f in folders:
        names = sorted(p.name for p in f.iterdir())
        assert names == ["plan-kwadrant.svg", "plan-onderdelen.svg", "plan.docx", "plan.html",
                         "plan.md"]
    assert not list(out.rglob("bijlage*")) and not list(out.rglob(ANSWERS_YAML))
    # The normal run says nothing about it and writes the annex.
    assert main(["batch", files[0], "-o", str(tmp_path / "vol")]) == 0
    assert "Alleen openbaar" not in capsys.readouterr().out
    assert list((tmp_path / "vol").rglob(ANNEX_MD))


def test_public_only_keyword_and_a_stale_annex(tmp_path):
    a = marker_answers(Q)
    full = write_outputs(Q, a, tmp_path)
    assert (tmp_path / ANNEX_MD).exists()
    # Without force the existing plan (annex included) is kept.
    with pytest.raises(ZelfscanError):
        write_outputs(Q, a, tmp_path, public_only=True)
    paths = write_outputs(Q, a, tmp_path, force=True, public_only=True)
    assert [p.name for p in paths] == [PLAN_MD, PLAN_HTML, "plan.docx"] + [
        p.name for p in full[-2:]]
    # The annex from the earlier run no longer sits next to the shared plan.
    assert not (tmp_path / ANNEX_MD).exists() and not (tmp_path / ANNEX_HTML).exists()
    assert not (tmp_path / "bijlage-vertrouwelijk.docx").exists()
    assert MARK not in public_text(tmp_path)


def test_same_answers_same_bytes_for_both_documents(tmp_path):
    a = marker_answers(Q)
    write_outputs(Q, a, tmp_path / "a")
    write_outputs(Q, marker_answers(Q), tmp_path / "b")
    for name in (PLAN_MD, PLAN_HTML, ANNEX_MD, ANNEX_HTML, ANSWERS_YAML):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


# --------------------------------------------------------------------------- data

def _copy_questionnaire(tmp_path: Path) -> Path:
    target = tmp_path / "vragenlijst"
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("bron", "schema"))
    return target


def test_classification_is_data(tmp_path):
    folder = _copy_questionnaire(tmp_path)
    intake = folder / "intake.yaml"
    text = intake.read_text(encoding="utf-8")
    anchor = "        soort: getal\n        tekst: Hoeveel inwoners heeft de gemeente ongeveer?\n"
    assert anchor in text
    intake.write_text(text.replace(anchor, anchor + "        classificatie: vertrouwelijk\n"),
                      encoding="utf-8")
    manifest = folder / "zelfscan.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8")
                        + "\ntoelichtingen_classificatie: openbaar\n", encoding="utf-8")
    q = load_questionnaire(folder / "zelfscan.yaml")
    assert q.question("intake.inwoners").classification == CONFIDENTIAL
    assert q.notes_classification == "openbaar"
    a = marker_answers(q)
    a.values["intake.inwoners"] = 7331987
    a.notes["borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"] = "Openbare notitie."
    write_outputs(q, a, tmp_path / "uit")
    public = public_text(tmp_path / "uit")
    assert "7331987" not in public and "7331987" in annex_text(tmp_path / "uit")
    # Notes are public now, but only on public questions.
    assert "Openbare notitie." in public
    assert f"{MARK}-note-borgen-van-de-aanpak" in public
    assert f"{MARK}-note-dreiging." not in public
    assert f"{MARK}-note-dreiging.signalen" in annex_text(tmp_path / "uit")
    assert_no_leak(q, a, tmp_path / "uit")


def test_bad_notes_classification_is_reported_with_its_line(tmp_path):
    folder = _copy_questionnaire(tmp_path)
    manifest = folder / "zelfscan.yaml"
    text = manifest.read_text(encoding="utf-8") + "\ntoelichtingen_classificatie: geheim\n"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(ZelfscanError) as exc:
        load_questionnaire(manifest)
    line = text.splitlines().index("toelichtingen_classificatie: geheim") + 1
    assert f"zelfscan.yaml:{line}" in str(exc.value) and "geheim" in str(exc.value)


def test_generator_marks_the_pga_r_open_questions_from_the_data_file():
    assert load_confidential_sections() == {"persoonsgerichte-aanpak-pga-r"}
    pga = Q.section("persoonsgerichte-aanpak-pga-r")
    assert pga.open_questions()
    assert all(x.classification == CONFIDENTIAL for x in pga.open_questions())
    assert all(x.classification != CONFIDENTIAL for x in pga.statements())
    others = [x for s in Q.components() if s.id != pga.id for x in s.questions]
    assert all(x.classification != CONFIDENTIAL for x in others)
    doc = read_template(data_dir() / "bron" / "plan-van-aanpak.txt")
    plain = build_module(doc, frozenset())
    assert "classificatie" not in str(plain)
    marked = build_module(doc, frozenset({"lokaal-beeld"}))
    sec = next(s for s in marked["secties"] if s["id"] == "lokaal-beeld")
    assert [v.get("classificatie") for v in sec["vragen"] if v["soort"] == "tekst"] \
        == ["vertrouwelijk"] * sum(v["soort"] == "tekst" for v in sec["vragen"])


@pytest.mark.parametrize("content,expect", [
    ("- een lijst\n", "alleen 'vertrouwelijke_open_vragen'"),
    ("vertrouwelijke_open_vragen: tekst\n", "moet een lijst"),
    ("vertrouwelijke_open_vragen:\n  - Hoofdletters Fout\n", "geen id"),
])
def test_generator_classification_file_errors_have_file_and_line(tmp_path, content, expect):
    p = tmp_path / "classificatie.yaml"
    p.write_text("# uitleg\n" + content, encoding="utf-8")
    with pytest.raises(ZelfscanError) as exc:
        load_confidential_sections(p)
    assert expect in str(exc.value) and f"{p}:" in str(exc.value)


def test_the_answers_file_next_to_the_plan_round_trips_privately(tmp_path):
    a = marker_answers(Q)
    save_answers(a, tmp_path / "in.yaml", Q)
    again = load_answers(tmp_path / "in.yaml", Q)
    write_outputs(Q, again, tmp_path / "uit")
    assert load_answers(tmp_path / "uit" / ANSWERS_YAML, Q).notes == again.notes
    assert (tmp_path / "uit" / ANSWERS_YAML).stat().st_mode & 0o777 == 0o600
