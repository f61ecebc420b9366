"""The plan's renderers: escaping of free text, sanitised standalone HTML, determinism, the
output set on disk, and the plan's council shape."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import chapter, chapters
from markdown_it import MarkdownIt

from wizard.answers.store import Answers, load_answers
from wizard.assessment.results import (
    Advice,
    ComponentResult,
    Priority,
    Profile,
    Quadrant,
    Reason,
    Recommendation,
    ThreatResult,
)
from wizard.errors import ZelfscanError
from wizard.plan import html_out, markdown_out
from wizard.plan.charts import CHART_FILES
from wizard.plan.document import PUBLIC, Document, Section, bullets, para, table
from wizard.plan.markdown_out import md_cell, md_inline, md_text
from wizard.plan.output import documents, render_annex, render_plan, write_outputs
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import SCALE, TEXT

HOSTILE_LINES = [
    "# kop",
    "## nog een kop",
    "| a | b |",
    "|---|---|",
    "<script>alert(1)</script>",
    "[link](http://x)",
    "![img](http://x/y.png)",
    "<http://autolink.example>",
    "- lijstje",
    "* ster",
    "+ plus",
    "1. een",
    "2) twee",
    "> citaat",
    "```",
    "code",
    "```",
    "    ingesprongen code",
    "Kop met streep",
    "===",
    "---",
    "***",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    "&lt;b&gt; *nadruk* _ook_ `code` ~~weg~~ {: .klasse} [^1] \\ einde",
]
HOSTILE = "\n".join(HOSTILE_LINES)
MD = MarkdownIt("commonmark").enable("table")


@pytest.fixture(scope="module")
def q():
    return load_questionnaire()


def _results(q, *, threat_rank=0, text="Reden", low_confidence=False):
    comps = q.components()
    threat = ThreatResult(
        level=["laag", "verhoogd", "hoog"][threat_rank],
        label=["Laag", "Verhoogd", "Hoog"][threat_rank],
        rank=threat_rank, score=0.1 + 0.3 * threat_rank, known=9, unknown=0, total=9,
        meaning="Betekenis van de dreiging.",
    )
    components = tuple(
        ComponentResult(c.id, c.title, 1.5, 2, 0.5, len(c.statements()), 0, 0,
                        len(c.statements()), "tekort")
        for c in comps
    )
    profile = Profile(
        threat=threat, components=components, resilience=1.5, resilience_label="Gemiddeld",
        quadrant=Quadrant("basis-versterken", "Basis versterken", "Zorg eerst voor de basis."),
        confidence=0.3 if low_confidence else 0.9, unknown_ids=(), skipped_ids=(),
        low_confidence=low_confidence, resilience_share=0.2,
    )
    first = comps[0].statements()[0].id
    priorities = tuple(
        Priority(c.id, c.title, i + 1, "hoog", 1.5, 2, 0.5,
                 (Reason(f"{text} {i}", (first,), (c.id,)),), (f"Stap voor {text}",))
        for i, c in enumerate(comps)
    )
    recs = (
        Recommendation("nctv", "NCTV", f"Aanbod {text}", f"Contact {text}",
                       (Reason(f"Omdat {text}", (first, "dreiging.signalen"), ("lokaal-beeld",)),)),
    )
    return profile, Advice(priorities, recs, (f"Opmerking {text}",))


def _answers(q, text):
    values = {"intake.gemeente": text if text != "tekst" else "Teststad",
              "dreiging.signalen": 1}
    for question in q.questions():
        if question.kind == TEXT and not question.condition and question.id != "intake.gemeente":
            values[question.id] = text
    first = next(iter(values))
    return Answers(q.id, q.version, "2026-11-23", values,
                   notes={"dreiging.signalen": text, first: text},
                   marked=["dreiging.signalen"])


def _tokens(md: str) -> dict[str, int]:
    """Every block and inline token type Markdown makes of the text, counted."""
    counts: dict[str, int] = {}
    for tok in MD.parse(md):
        for t in [tok, *(tok.children or [])]:
            kind = t.type if t.type != "html_inline" else f"html:{t.content}"
            counts[kind] = counts.get(kind, 0) + 1
    # Line breaks the officer typed are kept (hard breaks, '<br>' in table cells).
    for kind in ("text", "softbreak", "hardbreak", "html:<br>"):
        counts.pop(kind, None)
    return counts


def test_hostile_free_text_creates_no_markdown_structure(q):
    """The plan with hostile answers has exactly the structure of the plan with plain ones."""
    profile, advice = _results(q, text="tekst")
    plain = render_plan(q, _answers(q, "tekst"), profile, advice)
    profile_h, advice_h = _results(q, text=HOSTILE)
    hostile = render_plan(q, _answers(q, HOSTILE), profile_h, advice_h)
    assert _tokens(hostile) == _tokens(plain)
    kinds = set(_tokens(hostile))
    for bad in ("fence", "code_block", "code_inline", "blockquote_open", "hr", "link_open",
                "html_block", "s_open"):
        assert bad not in kinds, bad
    assert not {k for k in kinds if k.startswith("html:")}  # only our own '<br>' (above)
    # The only images are the two chart files the plan itself refers to.
    images = [t.attrGet("src") for tok in MD.parse(hostile) for t in tok.children or []
              if t.type == "image"]
    assert images == list(CHART_FILES)
    html = MD.render(hostile)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "[link](http://x)" in html and "# kop" in html  # still there, as text
    # The annex escapes the same way.
    annex_plain = render_annex(q, _answers(q, "tekst"), profile, advice)
    annex_hostile = render_annex(q, _answers(q, HOSTILE), profile_h, advice_h)
    assert _tokens(annex_hostile) == _tokens(annex_plain)


def test_md_text_escapes_line_starts_and_keeps_line_breaks():
    out = md_text("# kop\n- item\n1. een\n===\n    code\nnormaal")
    assert out.split("  \n") == ["\\# kop", "\\- item", "1\\. een", "&#61;==", "code", "normaal"]
    html = MD.render(out)
    assert html.count("<br />") == 5
    assert "<h1" not in html and "<li" not in html and "<pre" not in html


def test_md_cell_cannot_break_a_table():
    md = "| A | B |\n|---|---|\n| " + md_cell("x | y\nz") + " | " + md_cell("") + " |\n"
    html = MD.render(md)
    assert html.count("<td>") == 2
    assert "x | y<br>z" in html
    assert "<td>—</td>" in html


def test_md_inline_has_one_line():
    assert "\n" not in md_inline("a\nb\n\nc")


def test_control_characters_and_unicode_line_breaks_are_neutralised():
    out = md_text("a\x1b[31mrood\u2028# kop\x00")
    assert "\x1b" not in out and "\x00" not in out and "\u2028" not in out
    assert "\\# kop" in out


def test_a_document_renders_the_same_structure_in_markdown_and_html():
    doc = Document("Titel <script>", PUBLIC, "Openbaar concept", (para("Inleiding *x*"),), (
        Section("Een", (bullets(["a", "b"], ordered=True),
                        table(("K1", "K2"), [("x | y", "1. lijst")]))),))
    md = markdown_out.render(doc)
    assert md.startswith("# Titel &lt;script\\>\n\n**Openbaar concept**\n")
    assert "1. a\n2. b" in md and "| x \\| y | 1\\. lijst |" in md
    html = html_out.render(doc)
    assert "<h1 id=\"titel-script\">Titel &lt;script&gt;</h1>" in html
    assert "<ol><li>a</li><li>b</li></ol>" in html
    assert "<td><p>x | y</p></td>" in html


def test_html_is_sanitised_and_standalone(q):
    profile, advice = _results(q, text=HOSTILE)
    plan, _, _ = documents(q, _answers(q, HOSTILE), profile, advice)
    html = html_out.render(plan)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in html
    assert '<meta charset="utf-8">' in html
    assert ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">") in html
    _assert_safe_html(html)


def test_sanitiser_removes_injected_html_even_if_a_renderer_let_it_through():
    body = html_out.sanitize(
        '<script>alert(1)</script><img src="http://x/y.png" onerror="alert(1)">'
        '<a href="http://evil.example/">weg</a> <a href="#hier" onclick="x()">hier</a>'
        '<iframe src="https://x"></iframe><style>body{background:url(http://x)}</style>'
        '<p style="background:url(http://x)">p</p> <a href="javascript:alert(1)">js</a>')
    page = html_out.page("Titel <script>", body, "Openbaar concept", "openbaar")
    _assert_safe_html(page)
    assert '<a href="#hier">hier</a>' in page
    assert "y.png" not in page  # a foreign image loses its source
    assert "<title>Titel &lt;script&gt; (Openbaar concept)</title>" in page


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _assert_safe_html(html: str) -> None:
    parser = _Collect()
    parser.feed(html)
    names = {t for t, _ in parser.tags}
    assert not names & {"script", "iframe", "object", "embed", "link", "form", "svg"}
    assert sum(1 for t, _ in parser.tags if t == "style") == 1  # only our own stylesheet
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name not in ("style", "srcset", "action"), (tag, name)
            if name == "src":  # only our own charts, embedded
                assert tag == "img" and (value or "").startswith(
                    ("data:image/svg+xml;base64,", "")), value
                assert not (value or "").startswith(("http", "//", "javascript")), value
            if name == "href":
                assert value and value.startswith("#"), value
            if name not in ("id", "class", "content", "lang", "charset", "name", "alt"):
                assert "http" not in (value or "").lower(), (tag, name, value)
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in style and "@import" not in style and "http" not in style


COUNCIL = ["Aanleiding", "Samenvatting", "Besluitpunten voor het college", "Uitvoeringsagenda",
           "Ambitie en doelstellingen", "Activiteiten", "Externe ondersteuning", "Financiën",
           "Monitoring en evaluatie", "Communicatie", "Openstaande punten"]


def test_plan_has_the_council_shape(q):
    profile, advice = _results(q)
    answers = Answers(q.id, q.version, "2026-11-23", {"intake.gemeente": "Teststad"})
    md = render_plan(q, answers, profile, advice)
    assert chapters(md) == COUNCIL
    assert re.findall(r"^## (\d+) ", md, re.MULTILINE) == [str(i) for i in range(1, 12)]
    assert md.startswith("# Concept plan van aanpak radicalisering en extremisme — gemeente "
                         "Teststad\n\n**Openbaar concept**\n")
    assert "**Datum van de zelfscan:** 23 november 2026" in md
    for d in q.definitions:
        assert f"**{d.term}:**" in chapter(md, "Begrippen", 3)
    # The template's Hoe text appears once, in the three-column table.
    how = q.components()[1].how.split("\n")[0]
    assert md.count(md_inline(how)) == 1
    assert "| Wat | Hoe | Lokale uitwerking |" in chapter(md, "Activiteiten")
    # Decisions for the college, numbered; the evaluation moment a year on.
    decisions = chapter(md, "Besluitpunten voor het college")
    assert "1. stelt als ambitie vast" in decisions
    assert "november 2028" in decisions  # low threat: the scan again in two years
    assert "Stap voor Reden" in chapter(md, "Uitvoeringsagenda")
    assert "Opmerking Reden" in chapter(md, "Samenvatting")
    # The answers table is not in the public plan any more: it is in the annex.
    assert "Bijlage: antwoorden" not in md
    assert "Alle antwoorden" in chapters(render_annex(q, answers, profile, advice))


def test_answers_appear_where_they_belong(q):
    profile, advice = _results(q)
    values = {"intake.gemeente": "Teststad",
              "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken": "OOV en sociaal domein",
              "doelstellingen.lokale-ambitie": "Een eigen ambitie.",
              "dreiging.signalen": "weet_niet"}
    answers = Answers(q.id, q.version, "2026-11-23", values,
                      notes={"dreiging.signalen": "Navragen bij politie."},
                      marked=["dreiging.signalen"], skipped=["dreiging.online"])
    md = render_plan(q, answers, profile, advice)
    annex = render_annex(q, answers, profile, advice)
    table_md = chapter(md, "Activiteiten")
    assert ("**Welke afdelingen gaat de gemeente betrekken?**<br>OOV en sociaal domein"
            in table_md)
    assert "Een eigen ambitie." in chapter(md, "Ambitie en doelstellingen")
    # Threat questions are confidential: their open points, notes and answers go to the annex.
    points = chapter(md, "Openstaande punten")
    signalen = q.question("dreiging.signalen").text
    assert "Gemarkeerd om te bespreken" not in points
    assert "Navragen bij politie." not in md
    assert md_inline(signalen) not in md and q.question("dreiging.online").text not in md
    assert "Openstaande punten bij vertrouwelijke vragen (2) staan in de vertrouwelijke " \
        "bijlage." in points
    annex_points = chapter(annex, "Openstaande punten bij vertrouwelijke vragen")
    assert "### Gemarkeerd om te bespreken" in annex_points
    assert md_inline(q.question("dreiging.online").text)[:60] in annex_points
    assert "Navragen bij politie." in chapter(annex, "Toelichtingen bij vragen")
    assert f"| {md_cell(signalen)} | Weet niet |" in chapter(annex, "Dreigingsbeeld")
    # The annex lists every answer, public and confidential, in one table.
    assert "OOV en sociaal domein" in chapter(annex, "Alle antwoorden")


@pytest.mark.parametrize("rank,expect,absent", [
    (0, "geen groot programma nodig", "stevige, samenhangende aanpak"),
    (1, "gerichte versterking", "geen groot programma nodig"),
    (2, "stevige, samenhangende aanpak", "geen groot programma nodig"),
])
def test_wording_is_proportional_to_the_threat(q, rank, expect, absent):
    profile, advice = _results(q, threat_rank=rank)
    md = render_plan(q, _answers(q, "tekst"), profile, advice)
    summary = chapter(md, "Samenvatting")
    assert expect in summary and absent not in summary


def test_low_confidence_says_form_a_local_picture_first(q):
    profile, advice = _results(q, low_confidence=True)
    md = render_plan(q, _answers(q, "tekst"), profile, advice)
    assert "De eerste stap is daarom een lokaal beeld vormen" in md
    assert "### Advies met weinig onderbouwing" in md
    assert "eerst een lokaal beeld nodig" in chapter(md, "Besluitpunten voor het college")


def test_render_is_deterministic(q):
    profile, advice = _results(q, text=HOSTILE)
    one = documents(q, _answers(q, HOSTILE), profile, advice)[0]
    two = documents(q, _answers(q, HOSTILE), *_results(q, text=HOSTILE))[0]
    assert markdown_out.render(one) == markdown_out.render(two)
    assert html_out.render(one) == html_out.render(two)


def test_write_outputs_files_bytes_and_no_overwrite(q, tmp_path):
    answers = load_answers("examples/welderbroek.yaml", q)
    out1, out2 = tmp_path / "a", tmp_path / "b"
    paths = write_outputs(q, answers, out1)
    names = ["plan.md", "plan.html", "plan.docx", "bijlage-vertrouwelijk.md",
             "bijlage-vertrouwelijk.html", "bijlage-vertrouwelijk.docx", "antwoorden.yaml",
             *CHART_FILES]
    assert [p.name for p in paths] == names
    write_outputs(q, load_answers("examples/welderbroek.yaml", q), out2)
    for name in names:
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes()
    for name in ("antwoorden.yaml", "bijlage-vertrouwelijk.md", "bijlage-vertrouwelijk.html",
                 "bijlage-vertrouwelijk.docx"):
        assert (out1 / name).stat().st_mode & 0o077 == 0, name  # confidential: private
    again = load_answers(out1 / "antwoorden.yaml", q)
    assert again.values == answers.values and again.date == answers.date

    (out1 / "plan.md").write_text("eigen aanpassingen", encoding="utf-8")
    with pytest.raises(ZelfscanError) as exc:
        write_outputs(q, answers, out1)
    assert "al een plan" in str(exc.value) and "--force" in str(exc.value)
    assert (out1 / "plan.md").read_text(encoding="utf-8") == "eigen aanpassingen"
    write_outputs(q, answers, out1, force=True)
    assert (out1 / "plan.md").read_bytes() == (out2 / "plan.md").read_bytes()
    assert not [p for p in out1.iterdir() if p.name.startswith(".")]  # no temp files left


def test_plan_html_file_is_standalone(q, tmp_path):
    answers = load_answers("examples/zwaanrecht-2025.yaml", q)
    write_outputs(q, answers, tmp_path)
    html = (tmp_path / "plan.html").read_text(encoding="utf-8")
    _assert_safe_html(html)
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", html)
    assert html.count("<h2") >= 11
    assert '<nav class="toc">' in html
    assert len(re.findall(r'<img alt="Figuur:[^"]*" src="data:image/svg\+xml;base64,', html)) == 2


def test_counts_take_singular_or_plural(q):
    from wizard.assessment import advice as advice_mod
    from wizard.assessment import scoring

    cfg = scoring.load_config(q)
    threat = [qq for s in q.sections if s.kind == "dreiging" for qq in s.questions
              if qq.kind == SCALE]
    for known, verb in ((1, "is"), (2, "zijn")):
        values = {"intake.gemeente": "Teststad"}
        values.update({qq.id: 0 for qq in threat[:known]})
        answers = Answers(q.id, q.version, "2026-11-23", values)
        profile = scoring.score(q, answers, cfg)
        adv = advice_mod.advise(q, answers, profile, advice_mod.load_rules(q, config=cfg))
        annex = render_annex(q, answers, profile, adv)
        total = profile.threat.total
        assert f"{known} van de {total} vragen over dreiging {verb} met een waarde " \
            "beantwoord" in annex
        md = render_plan(q, answers, profile, adv)
        assert " van 1 stellingen" not in md and "1 stellingen" not in annex
