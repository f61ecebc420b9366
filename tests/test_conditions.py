"""The rule language: ja/nee as booleans, weet_niet never satisfies a comparison."""

from __future__ import annotations

from wizard.questionnaire.conditions import check, evaluate, explain


class Ctx:
    def __init__(self, answers, threat=None, components=None):
        self.answers, self.threat, self.components = answers, threat, components or {}

    def answer(self, qid):
        return self.answers.get(qid)

    def threat_rank(self, level):
        return {"laag": 0, "verhoogd": 1, "hoog": 2}.get(level)

    def current_threat_rank(self):
        return self.threat

    def component_state(self, cid):
        return self.components.get(cid)


def test_ja_nee_are_booleans():
    ctx = Ctx({"a.x": 2})
    assert evaluate({"vraag": "a.x", "beantwoord": "ja"}, ctx)
    assert not evaluate({"vraag": "a.x", "beantwoord": "nee"}, ctx)
    assert evaluate({"vraag": "a.y", "beantwoord": "nee"}, ctx)
    assert evaluate({"altijd": "ja"}, ctx) and not evaluate({"altijd": "nee"}, ctx)


def test_weet_niet_satisfies_no_comparison():
    ctx = Ctx({"d.s": "weet_niet"})
    assert not evaluate({"vraag": "d.s", "minstens": 0}, ctx)
    assert not evaluate({"vraag": "d.s", "hoogstens": 3}, ctx)
    assert evaluate({"vraag": "d.s", "is": "weet_niet"}, ctx)


def test_explain_names_the_triggering_answers():
    ctx = Ctx({"d.p": 3, "d.f": 0}, threat=2,
              components={"net": {"level": 1.0, "gap": 2.0, "unknown": False}})
    cond = {"alle": [{"vraag": "d.p", "minstens": 2},
                     {"component": {"id": "net", "tekort_minstens": 1}},
                     {"een_van": [{"vraag": "d.f", "minstens": 1}, {"dreiging": {"minstens": "hoog"}}]}]}
    facts = explain(cond, ctx)
    assert [(f.kind, f.ref) for f in facts] == [("vraag", "d.p"), ("component", "net"), ("dreiging", "")]
    assert explain({"niet": cond}, ctx) is None


def test_check_reports_unknown_keys_and_ids_with_lines():
    probs = check({"vraag": "a.z", "meer_dan": 2}, file="r.yaml", line_of=lambda *p: 7, path=(),
                  question_ids={"a.x"})
    msgs = [p.message for p in probs]
    assert any("onbekende vraag 'a.z'" in m for m in msgs)
    assert any("onbekende sleutel 'meer_dan'" in m for m in msgs)
    assert all(p.line == 7 and p.file == "r.yaml" for p in probs)
    assert check({"altijd": "ja"}, file="r", line_of=lambda *p: 1, path=()) == []
    assert check({"dreiging": {"minstens": "hoog"}}, file="r", line_of=lambda *p: 1, path=())
