"""The batch overview: weak components, shared priorities, support needed; small counts
hidden, and no part of the overview undoes that (names never next to a threat finding, and
hidden counts cannot be worked out from the total). Names are escaped everywhere."""

from __future__ import annotations

import re

from conftest import chapter
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from wizard.answers.store import Answers
from wizard.assessment import advice, scoring
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
from wizard.plan import html_out, markdown_out
from wizard.plan.overview import (
    HIDDEN_LARGE,
    HIDDEN_SMALL,
    SMALL_COUNT,
    PlanRow,
    feasible,
    overview_document,
    publish_counts,
    regional_overview_markdown,
    small,
)
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import CHOICE, SCALE, TEXT

Q = load_questionnaire()
CONFIG = scoring.load_config(Q)
RULES = advice.load_rules(Q)


def item(name: str, level: int, threat: int):
    a = Answers(Q.id, Q.version, "2026-11-23")
    for qq in Q.questions():
        if qq.id == "intake.gemeente":
            a.values[qq.id] = name
        elif qq.id == "intake.inwoners":
            a.values[qq.id] = 20000
        elif qq.kind == CHOICE:
            a.values[qq.id] = qq.options[0].value
        elif qq.kind == SCALE:
            top = max(int(o.value) for o in qq.options)
            a.values[qq.id] = min(top, threat if qq.id.startswith("dreiging.") else level)
        elif qq.kind == TEXT:
            a.values[qq.id] = "tekst"
    p = scoring.score(Q, a, CONFIG)
    return (Q, a, p, advice.advise(Q, a, p, RULES))


def test_small_counts():
    assert [small(n) for n in (0, 1, 2, 3, 7)] == ["0", "minder dan 3", "minder dan 3", "3", "7"]


def test_region_summary_weak_shared_support():
    items = [item("Aadorp", 1, 0), item("Beedorp", 1, 0), item("Ceedorp", 1, 0),
             item("Deedorp", 4, 0), item("Eedorp", 0, 3)]
    md = regional_overview_markdown(items)
    assert "## Regionaal beeld" in md and "over 5 gemeenten" in md
    weak = chapter(md, "Waar de regio zwak staat", 3)
    short_counts = [int(m) for m in re.findall(r"\| (\d) van 5 \|", weak)]
    assert short_counts and short_counts == sorted(short_counts, reverse=True)
    assert "Aadorp, Beedorp, Ceedorp" in weak and "Deedorp" not in weak
    shared = chapter(md, "Samen oppakken", 3)
    assert "gemeenten (Aadorp, Beedorp, Ceedorp" in shared
    threat = chapter(md, "Dreiging in de regio", 3)
    assert "Eedorp" not in threat
    assert "### Meest gevraagde ondersteuning" in md


def _fake(name: str, bodies: list[tuple[str, bool]], *, level: str = "laag", rank: int = 0,
          assumed: bool = False, short: bool = True):
    a = Answers(Q.id, Q.version, "2026-01-01", values={"intake.gemeente": name})
    t = ThreatResult(level, level.capitalize() if not assumed else "Onbekend (uitgegaan van "
                     "verhoogd)", rank, None if assumed else 0.1 * rank, 1, 0, 1,
                     assumed=assumed)
    gap = 1.0 if short else 0.0
    c = ComponentResult("lokaal-beeld", "Lokaal beeld", 1.0, 2 if short else 1, gap, 1, 0, 0,
                        1, "tekort" if short else "op orde")
    p = Profile(t, (c,), 1.0, "Laag", Quadrant("x", "Basis", ""), 1.0, (), ())
    recs = tuple(
        Recommendation(bid, bid.upper(), "", "",
                       (Reason("omdat", ("dreiging.families",) if threat else
                               ("lokaal-beeld.stelling-x",)),))
        for bid, threat in bodies)
    prio = Priority("lokaal-beeld", "Lokaal beeld", 1, "hoog", 1.0, 2, gap, ())
    return (Q, a, p, Advice((prio,), recs))


def test_threat_based_recommendations_are_never_counted_exactly_when_small():
    md = regional_overview_markdown([
        _fake("A", [("lse", True), ("nctv", False)]),
        _fake("B", [("nctv", False)]),
        _fake("C", [("nctv", False)]),
        _fake("D", [("nctv", False)]),
    ])
    assert "| LSE | minder dan 3 |" in md
    assert "| NCTV | 4 |" in md
    assert "(van de 4 gemeenten)" in md
    assert "**Lokaal beeld**: 4 gemeenten (A, B, C, D)" in md
    assert "minder dan 3 van" not in md


def test_unknown_threat_has_its_own_row_and_two_municipalities_get_no_small_count_wording():
    items = [_fake(n, [], level="verhoogd", rank=1, assumed=(i % 2 == 0))
             for i, n in enumerate("ABCDEF")]
    md = regional_overview_markdown(items)
    threat = chapter(md, "Dreiging in de regio", 3)
    assert "| Onbekend | 3 |" in threat and "| Verhoogd | 3 |" in threat
    two = regional_overview_markdown(items[:2])
    assert "minder dan 3 van 2" not in two and "van 2" not in chapter(
        two, "Meest gevraagde ondersteuning", 3)
    assert "wordt hier niet getoond" in chapter(two, "Dreiging in de regio", 3)


def test_nothing_short_means_no_priorities_in_the_overview():
    rows = [PlanRow(n, "2026-01-01", n.lower(), it[2], it[3]) for n, it in (
        ("A", _fake("A", [], short=False)), ("B", _fake("B", [], short=False)))]
    md = markdown_out.render(overview_document(rows, [], [_fake("A", [], short=False),
                                                          _fake("B", [], short=False)]))
    assert md.count("geen tekort: bijhouden") == 2
    assert "Geen onderdeel is bij 2 of meer gemeenten een topprioriteit" in md


HOSTILE_NAME = ("Evil](javascript:alert(1)) <script>x</script> # kop\n## Kop\n| a | b |")


def test_names_are_escaped_everywhere():
    items = [_fake(HOSTILE_NAME, [("nctv", False)]), _fake("B", [("nctv", False)]),
             _fake("C", [("nctv", False)])]
    rows = [PlanRow(HOSTILE_NAME.replace("\n", " "), "2026-01-01", "evil", items[0][2],
                    items[0][3])]
    doc = overview_document(rows, [HOSTILE_NAME], items)
    md = markdown_out.render(doc)
    tokens = [t for tok in MarkdownIt("commonmark").enable("table").parse(md)
              for t in [tok, *(tok.children or [])]]
    assert not [t for t in tokens if t.type in ("link_open", "html_inline", "html_block")
                and t.content != "<br>"]
    assert sum(1 for t in tokens if t.type == "heading_open") == md.count("\n#") + 1
    assert "Evil\\](javascript:alert(1)) &lt;script\\>" in md
    html = html_out.render(doc)
    assert "<script>" not in html and "javascript:" not in html.replace(
        "Evil](javascript:", "")


# --------------------------------------------------------------------------- property


@st.composite
def regions(draw):
    n = draw(st.integers(min_value=2, max_value=14))
    levels = ["laag", "verhoogd", "hoog", "onbekend"]
    out = []
    for i in range(n):
        lv = draw(st.sampled_from(levels))
        bodies = [("lse", True)] if draw(st.booleans()) else []
        bodies += [("zvh", draw(st.booleans()))] if draw(st.booleans()) else []
        out.append(_fake(f"Gemeente{i:02d}", bodies,
                         level="verhoogd" if lv == "onbekend" else lv,
                         rank=levels.index(lv) if lv != "onbekend" else 1,
                         assumed=lv == "onbekend"))
    return out


def _published_threat(md: str) -> list[str]:
    return re.findall(r"^\| [^|]+ \| ([^|]+) \|$", chapter(md, "Dreiging in de regio", 3),
                      re.MULTILINE)[1:]


@settings(max_examples=60, deadline=None)
@given(regions())
def test_no_part_of_the_overview_undoes_the_small_number_suppression(items):
    n = len(items)
    rows = [PlanRow(it[1].values["intake.gemeente"], "2026-01-01", f"m{i}", it[2], it[3])
            for i, it in enumerate(items)]
    md = markdown_out.render(overview_document(rows, [], items))
    region = md.split("## Regionaal beeld", 1)[1]
    # 1. No municipality's name next to a threat level or a threat-based body.
    table = md.split("## Regionaal beeld", 1)[0]
    for line in table.splitlines():
        if "Gemeente" in line and line.startswith("| Gemeente0"):
            assert not re.search(r"Verhoogd|Hoog \||Onbekend|LSE", line), line
    for name in (r.municipality for r in rows):
        assert name not in chapter(region, "Dreiging in de regio", 3)
        assert name not in chapter(region, "Meest gevraagde ondersteuning", 3)
    # 2. A hidden count cannot be worked out from the total and the other rows.
    shown = _published_threat(md)
    if shown:
        for i, v in enumerate(shown):
            if v == HIDDEN_SMALL:
                assert {1, 2} <= set(feasible(shown, n, i)), (shown, n)
            else:
                assert v == HIDDEN_LARGE or int(v) >= SMALL_COUNT, (shown, n)
    # 3. Threat-based bodies: never an exact small count, nor an exact 'all but 1 or 2'.
    for name, value in re.findall(r"^\| (LSE|ZVH) \| ([^|]+) \|$", region, re.MULTILINE):
        if value.strip().isdigit():
            c = int(value)
            if name == "LSE":
                assert SMALL_COUNT <= c <= n - SMALL_COUNT, (value, n)
    assert f"minder dan {SMALL_COUNT} van" not in md


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=5))
def test_published_counts_never_pin_a_small_row(counts):
    total = sum(counts)
    shown = publish_counts(counts, total)
    if shown is None:
        return
    for i, (c, v) in enumerate(zip(counts, shown)):
        assert c in feasible(shown, total, i)  # the published table is true
        if c < SMALL_COUNT:
            assert v == HIDDEN_SMALL and {1, 2} <= set(feasible(shown, total, i))
