"""The short scan (issue 15) as data: `sessie: {soort: kort}` in an answers file means only the
questions marked `kort` are asked, scored and listed as open; it still gives a first profile,
priorities and support advice."""

from __future__ import annotations

import pytest
import yaml

from wizard.answers.store import Answers, answers_from_data, scope_ids
from wizard.assessment import advice, scoring
from wizard.assessment.engine import Session
from wizard.files.yamlio import parse_yaml
from wizard.questionnaire.model import CHOICE, NUMBER, SCALE


def short_answers(q, *, threat: int = 1, level: int = 1) -> Answers:
    """A short scan answered the way the chat would: every short question, nothing else."""
    a = Answers.empty(q, "2026-11-23")
    a.session["soort"] = "kort"
    s = Session(q, a)
    while s.current is not None:
        cur = s.current
        if cur.id == "intake.gemeente":
            s.answer("Kortdorp")
        elif cur.kind == SCALE:
            s.answer(threat if cur.section_id == "dreiging" else level)
        elif cur.kind == CHOICE:
            s.answer(cur.options[0].value)
        elif cur.kind == NUMBER:
            s.answer(25000)
        else:
            s.answer("Beschrijving in algemene termen.")
    return a


def test_scope_of_a_short_scan(q):
    a = Answers.empty(q)
    assert scope_ids(q, a) is None
    a.session["soort"] = "kort"
    assert scope_ids(q, a) == q.short_ids() and a.short_scan


def test_the_engine_walks_only_the_short_scan(q):
    a = short_answers(q)
    assert set(a.values) <= q.short_ids()
    assert 22 <= len(a.values) <= 30


def test_short_scan_gives_a_first_profile_priorities_and_support(q):
    a = short_answers(q)
    config = scoring.load_config(q)
    profile = scoring.score(q, a, config)
    # Nothing outside the short scan counts as unknown or skipped.
    assert profile.skipped_ids == () and profile.unknown_ids == ()
    assert not profile.low_confidence
    assert all(c.level == 1 for c in profile.components)
    adv = advice.advise(q, a, profile, advice.load_rules(q))
    assert adv.top(3) and adv.has_shortfall and adv.recommendations


def test_the_same_answers_as_a_full_scan_are_mostly_unknown(q):
    a = short_answers(q)
    a.session.pop("soort")
    profile = scoring.score(q, a, scoring.load_config(q))
    assert profile.low_confidence and len(profile.skipped_ids) > 40


@pytest.mark.parametrize("kind, ok", [("kort", True), ("volledig", True), ("snel", False)])
def test_sessie_soort_is_validated(q, kind, ok):
    text = yaml.safe_dump({"vragenlijst": "zelfscan", "versie": 1,
                           "antwoorden": {"intake.gemeente": "X"}, "sessie": {"soort": kind}})
    doc = parse_yaml(text, "a.yaml")
    _, problems = answers_from_data(doc.data, q, doc)
    assert (problems == []) is ok
    if not ok:
        assert "'sessie: soort' moet 'kort' (korte scan) of 'volledig'" in problems[0].message
        assert problems[0].line == doc.line("sessie", "soort")


def test_widening_to_the_full_scan_asks_nothing_twice(q):
    a = short_answers(q)
    done = set(a.values)
    s = Session(q, a)
    assert s.current is None  # the short scan is complete
    s.widen()
    assert a.session["soort"] == "volledig" and not a.short_scan
    asked: list[str] = []
    while s.current is not None:
        asked.append(s.current.id)
        s.skip()
    assert asked and not set(asked) & done
    assert len(set(asked) | done) == len([qq for qq in s.visible()])
