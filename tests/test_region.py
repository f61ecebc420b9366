"""Regional overview: weak components, shared priorities, support needed; small counts hidden."""

from __future__ import annotations

from wizard.answers.store import Answers
from wizard.assessment import advice, scoring
from wizard.assessment.results import Advice, Priority, Reason, Recommendation
from wizard.plan.overview import SMALL_COUNT, regional_overview_markdown, small
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
    assert md.startswith("## Regionaal beeld\n")
    assert "over 5 gemeenten" in md
    # Weak components: count 'x van 5' and the municipalities (organisational, not threat).
    weak = md.split("### Waar de regio zwak staat")[1].split("###")[0]
    short_counts = [int(m) for m in __import__("re").findall(r"\| (\d) van 5 \|", weak)]
    assert short_counts and short_counts == sorted(short_counts, reverse=True)
    assert "Aadorp, Beedorp, Ceedorp" in weak and "Deedorp" not in weak
    # Shared priorities: components in the top 3 of several municipalities.
    shared = md.split("### Samen oppakken")[1].split("###")[0]
    assert "gemeenten (Aadorp, Beedorp, Ceedorp" in shared
    # Threat: the one municipality with a high threat is 'minder dan 3', never named.
    threat = md.split("### Dreiging in de regio")[1].split("###")[0]
    assert f"minder dan {SMALL_COUNT}" in threat
    assert "Eedorp" not in threat
    assert "### Meest gevraagde ondersteuning" in md


def test_threat_based_recommendations_are_not_counted_exactly():
    from wizard.assessment.results import ComponentResult, Profile, Quadrant, ThreatResult

    def fake(name: str, bodies: list[tuple[str, bool]]):
        a = Answers(Q.id, Q.version, "2026-01-01", values={"intake.gemeente": name})
        t = ThreatResult("laag", "Laag", 0, 0.0, 1, 0, 1)
        c = ComponentResult("lokaal-beeld", "Lokaal beeld", 1.0, 2, 1.0, 1, 0, 0, 1, "tekort")
        p = Profile(t, (c,), 1.0, "Laag", Quadrant("x", "Basis", ""), 1.0, (), ())
        recs = tuple(
            Recommendation(bid, bid.upper(), "", "",
                           (Reason("omdat", ("dreiging.families",) if threat else
                                   ("lokaal-beeld.stelling-x",)),))
            for bid, threat in bodies)
        prio = Priority("lokaal-beeld", "Lokaal beeld", 1, "hoog", 1.0, 2, 1.0, ())
        return (Q, a, p, Advice((prio,), recs))

    md = regional_overview_markdown([
        fake("A", [("lse", True), ("nctv", False)]),
        fake("B", [("nctv", False)]),
        fake("C", [("nctv", False)]),
        fake("D", [("nctv", False)]),
    ])
    assert "| LSE | minder dan 3 van 4 gemeenten |" in md
    assert "| NCTV | 4 van 4 gemeenten |" in md
    assert "**Lokaal beeld**: 4 gemeenten (A, B, C, D)" in md
    assert regional_overview_markdown([item("Z", 2, 1)], heading_level=3).startswith("### ")
