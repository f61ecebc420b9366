"""The draft plan: escaping of free text, sanitised standalone HTML, determinism, files."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest

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
from wizard.plan.render import (
    CHART_FILES,
    markdown_to_html,
    md_block,
    md_cell,
    md_inline,
    md_text,
    plan_title,
    render_annex,
    render_plan,
    write_outputs,
)
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import SCALE, TEXT

HOSTILE = '# kop\n## nog een kop\n| a | b |\n|---|---|\n<script>alert(1)</script>\n[link](http://x)\n![img](http://x/y.png)\n<http://autolink.example>\n- lijstje\n* ster\n+ plus\n1. een\n2) twee\n> citaat\n```\ncode\n```\n    ingesprongen code\nKop met streep\n===\n---\n***\n<img src=x onerror=alert(1)>\n<a href="javascript:alert(1)">klik</a>\n&lt;b&gt; *nadruk* _ook_ `code` {: .klasse} [^1] \\ einde'


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
        low_confidence=low_confidence,
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


def _raw_html(md: str) -> str:
    """Python-Markdown output before any sanitising: what the Markdown itself says."""
    return markdown.markdown(md, extensions=["tables", "sane_lists"])


_STRUCTURE = ("h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "ul", "ol",
              "li", "a", "img", "pre", "code", "blockquote", "hr", "script", "em", "strong")


def _tag_counts(html: str) -> dict[str, int]:
    return {t: len(re.findall(rf"<{t}[\s>]", html)) for t in _STRUCTURE}


def test_hostile_free_text_creates_no_markdown_structure(q):
    """The plan with hostile answers has exactly the structure of the plan with plain ones."""
    profile, advice = _results(q, text="tekst")
    plain = render_plan(q, _answers(q, "tekst"), profile, advice)
    profile_h, advice_h = _results(q, text=HOSTILE)
    hostile = render_plan(q, _answers(q, HOSTILE), profile_h, advice_h)
    raw = _raw_html(hostile)
    assert _tag_counts(raw) == _tag_counts(_raw_html(plain))
    for tag in ("pre", "code", "blockquote", "hr", "script", "a"):
        assert f"<{tag}" not in raw, tag
    # The only images are the two chart files the plan itself refers to.
    assert re.findall(r'<img [^>]*src="([^"]*)"', raw) == list(CHART_FILES)
    # The annex escapes the same way.
    annex_plain = _raw_html(render_annex(q, _answers(q, "tekst"), profile, advice))
    annex_hostile = _raw_html(render_annex(q, _answers(q, HOSTILE), profile_h, advice_h))
    assert _tag_counts(annex_hostile) == _tag_counts(annex_plain)
    assert "<script" not in annex_hostile and "&lt;script&gt;" in annex_hostile
    # No raw HTML survives as markup, only as text.
    assert "<script" not in raw and "<img src=x" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in raw
    # The text is still there, readable.
    assert "[link](http://x)" in raw
    assert "# kop" in raw


def test_md_text_escapes_line_starts_and_keeps_line_breaks():
    out = md_text("# kop\n- item\n1. een\n===\n    code\nnormaal")
    assert out.split("  \n") == ["\\# kop", "\\- item", "1\\. een", "&#61;==", "code", "normaal"]
    html = _raw_html(out)
    assert html.count("<br />") == 5
    assert "<h1" not in html and "<li" not in html and "<pre" not in html


def test_md_cell_cannot_break_a_table():
    md = "| A | B |\n|---|---|\n| " + md_cell("x | y\nz") + " | " + md_cell("") + " |\n"
    html = _raw_html(md)
    assert html.count("<td>") == 2
    assert "x | y / z" in html
    assert "<td>—</td>" in html


def test_md_inline_and_block():
    assert "\n" not in md_inline("a\nb\n\nc")
    block = md_block("Eerste alinea.\n\nInleiding:\n- punt *een*\n- punt twee\n\nSlot <b>.")
    html = _raw_html(block)
    assert html.count("<li>") == 2 and html.count("<p>") == 3
    assert "<em>" not in html and "<b>" not in html


def test_control_characters_and_unicode_line_breaks_are_neutralised():
    out = md_text("a\x1b[31mrood\u2028# kop\x00")
    assert "\x1b" not in out and "\x00" not in out and "\u2028" not in out
    assert "\\# kop" in out


def test_html_is_sanitised_and_standalone(q):
    profile, advice = _results(q, text=HOSTILE)
    answers = _answers(q, HOSTILE)
    html = markdown_to_html(render_plan(q, answers, profile, advice), plan_title(answers))
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in html
    assert '<meta charset="utf-8">' in html
    assert ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">") in html
    _assert_safe_html(html)


def test_sanitiser_removes_injected_html_even_if_markdown_lets_it_through():
    html = markdown_to_html(
        '<script>alert(1)</script>\n\n<img src="http://x/y.png" onerror="alert(1)">\n\n'
        '<a href="http://evil.example/">weg</a> <a href="#hier" onclick="x()">hier</a>\n\n'
        '<iframe src="https://x"></iframe><style>body{background:url(http://x)}</style>\n\n'
        '<p style="background:url(http://x)">p</p> <a href="javascript:alert(1)">js</a>',
        "Titel <script>",
    )
    _assert_safe_html(html)
    assert '<a href="#hier">hier</a>' in html
    assert "<img" not in html  # an image that is not one of our charts is dropped
    assert "<title>Titel &lt;script&gt;</title>" in html


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
                assert tag == "img" and value.startswith("data:image/svg+xml;base64,"), value
            if name == "href":
                assert value and value.startswith("#"), value
            if name not in ("id", "class", "content", "lang", "charset", "name", "alt"):
                assert "http" not in (value or "").lower(), (tag, name, value)
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in style and "@import" not in style and "http" not in style


def test_plan_structure_follows_the_template(q):
    profile, advice = _results(q)
    answers = Answers(q.id, q.version, "2026-11-23", {"intake.gemeente": "Teststad"})
    md = render_plan(q, answers, profile, advice)
    heads = re.findall(r"^## (.+)$", md, flags=re.MULTILINE)
    assert heads == ["Samenvatting", "1 Radicalisering en extremisme",
                     "2 Ambitie en doelstellingen", "3 Activiteiten", "4 Externe ondersteuning",
                     "5 Dreigingsbeeld", "6 Openstaande punten", "Bijlage: antwoorden"]
    assert md.startswith("# Concept plan van aanpak radicalisering en extremisme — gemeente "
                         "Teststad\n\n**Openbaar concept**\n")
    assert "**Datum van de zelfscan:** 23 november 2026" in md
    assert "concept, opgesteld met Zelfscan" in md
    comps = re.findall(r"^### 3\.(\d+) (.+)$", md, flags=re.MULTILINE)
    assert [t for _, t in comps] == [c.title for c in q.components()]
    for d in q.definitions:
        assert f"### {d.term}" in md
    assert md.count("_Bron: Nationaal Coördinator Terrorismebestrijding en Veiligheid_") == 3
    # Unanswered open questions and local ambition are visibly open, not silently left out.
    n_open = sum(len(c.open_questions()) for c in q.components())
    assert md.count("_Nog niet ingevuld_") == n_open
    assert "_Nog in te vullen" in md.split("### Lokale ambitie", 1)[1].split("###", 1)[0]
    # Levels in words and numbers, never only a colour.
    assert "Huidig niveau: 1,5 van 4 (ongeveer: gedeeltelijk ingericht)" in md
    assert "Nodig niveau bij deze dreiging: 2 van 4 (gedeeltelijk ingericht)" in md
    assert "Stap voor Reden" in md
    # Every reason cites the answer it rests on.
    assert "_Op basis van:_" in md
    assert "Opmerking Reden" in md.split("## 1 ", 1)[0]


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
    borgen = md.split("### 3.1 ", 1)[1].split("### 3.2 ", 1)[0]
    assert "_Welke afdelingen ga ik betrekken?_  \nOOV en sociaal domein" in borgen
    assert "Een eigen ambitie." in md.split("### Lokale ambitie", 1)[1].split("###", 1)[0]
    # Threat questions are confidential: their open points, notes and answers go to the annex.
    open_points = md.split("## 6 Openstaande punten", 1)[1].split("## Bijlage", 1)[0]
    signalen = q.question("dreiging.signalen").text
    assert "### Gemarkeerd om te bespreken" not in open_points
    assert "Navragen bij politie." not in md
    assert signalen not in md and q.question("dreiging.online").text not in md
    assert "Openstaande punten bij vertrouwelijke vragen (2) staan in de vertrouwelijke " \
        "bijlage." in open_points
    appendix = md.split("## Bijlage: antwoorden", 1)[1]
    assert "| Borgen van de aanpak | Welke afdelingen ga ik betrekken? | OOV en sociaal " \
        "domein |" in appendix
    annex_points = annex.split("## 5 Openstaande punten", 1)[1]
    assert "### Gemarkeerd om te bespreken" in annex_points and signalen in annex_points
    assert q.question("dreiging.online").text in annex_points
    assert "Navragen bij politie." in annex.split("## 4 Toelichtingen", 1)[1]
    assert f"| {md_cell(signalen)} | Weet niet |" in annex.split("## 1 Dreigingsbeeld", 1)[1]
    assert "OOV en sociaal domein" not in annex  # public answers stay in the plan


@pytest.mark.parametrize("rank,expect,absent", [
    (0, "geen groot programma nodig", "stevige, samenhangende aanpak"),
    (1, "gerichte versterking", "geen groot programma nodig"),
    (2, "stevige, samenhangende aanpak", "geen groot programma nodig"),
])
def test_wording_is_proportional_to_the_threat(q, rank, expect, absent):
    profile, advice = _results(q, threat_rank=rank)
    md = render_plan(q, _answers(q, "tekst"), profile, advice)
    summary = md.split("## 1 ", 1)[0]
    assert expect in summary and absent not in summary


def test_low_confidence_says_form_a_local_picture_first(q):
    profile, advice = _results(q, low_confidence=True)
    md = render_plan(q, _answers(q, "tekst"), profile, advice)
    assert "De eerste stap is daarom een lokaal beeld vormen" in md
    assert "### Advies met weinig onderbouwing" in md


def test_render_is_deterministic(q):
    profile, advice = _results(q, text=HOSTILE)
    answers = _answers(q, HOSTILE)
    md1 = render_plan(q, answers, profile, advice)
    md2 = render_plan(q, _answers(q, HOSTILE), *_results(q, text=HOSTILE))
    assert md1 == md2
    assert markdown_to_html(md1, "t") == markdown_to_html(md2, "t")


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
    assert html.count("<h2") >= 8
    assert '<div class="toc">' in html
    assert html.count('<img alt="Figuur:') == 2


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
        assert " van 1 stellingen" not in md and " punt onder" not in md.replace(
            "1 punt onder", "")
