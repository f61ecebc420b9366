"""The answers copy is written with libyaml's C emitter (issue 17) and must keep its bytes.

The pure-Python emitter is the reference: it wrote every answers file before the C emitter
was used, and it still writes the values the C emitter would write differently.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.answers import dump, store
from wizard.answers.store import dump_answers, load_answers
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import TEXT

ROOT = Path(__file__).resolve().parent.parent


def _python_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dump, "_CDumper", None)
    dump.clear_cache()


def _dump(value: object, dumper: type) -> str:
    return yaml.dump(value, Dumper=dumper, allow_unicode=True, sort_keys=False, width=2**30,
                     default_flow_style=False, explicit_end=False)


def test_libyaml_emitter_is_there() -> None:
    # Without libyaml the answers copy is still right, only slower; the tests below would
    # then compare the Python emitter with itself, so say so instead of passing quietly.
    assert dump._CDumper is not None, "PyYAML is built without libyaml"


def _answers_files(tmp_path: Path) -> list[Path]:
    from bench.make_answers import generate

    return sorted((ROOT / "examples").glob("*.yaml")) + generate(40, tmp_path, seed=17)


def test_answers_copy_bytes_unchanged_on_examples_and_generated_answers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    q = load_questionnaire()
    answers = [load_answers(p, q) for p in _answers_files(tmp_path)]
    dump.clear_cache()
    fast = [dump_answers(a, q) for a in answers]
    _python_only(monkeypatch)
    reference = [dump_answers(a, q) for a in answers]
    assert fast == reference
    # The generated files were written by dump_answers too: reading and writing again
    # gives the same bytes.
    generated = [p for p in _answers_files(tmp_path / "again") if "examples" not in p.parts]
    assert [p.read_text("utf-8") for p in generated] == fast[-len(generated):]


def test_answers_copy_with_emoji_and_odd_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    q = load_questionnaire()
    answers = store.Answers.empty(q, date="2026-11-23")
    answers.values["intake.gemeente"] = "Zwaanrecht"
    texts = ["Goed overleg 👍 met de wijkagent", "regel\nmet 😀\n", "ja", "- lijst", "a: b",
             "tab\there", "\u2028scheiding", "é\u00a0à", "\ufeffbom", "\U0001d11e"]
    text_ids = [x.id for x in q.questions() if x.kind == TEXT][: len(texts)]
    assert len(text_ids) == len(texts)
    for qid, text in zip(text_ids, texts):
        answers.values[qid] = text
    answers.notes[text_ids[0]] = "toelichting 🙂"
    dump.clear_cache()
    fast = dump_answers(answers, q)
    _python_only(monkeypatch)
    assert fast == dump_answers(answers, q)
    assert "👍" in fast  # written as typed, not as an escape
    assert load_answers_text(fast, q).values[text_ids[0]] == texts[0]


def load_answers_text(text: str, q: object):  # type: ignore[no-untyped-def]
    from wizard.answers.store import answers_from_doc
    from wizard.files.yamlio import parse_yaml

    return answers_from_doc(parse_yaml(text, "antwoorden.yaml"), q)  # type: ignore[arg-type]


_values = st.recursive(
    st.one_of(st.text(), st.integers(), st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=140), inner, max_size=4)),
    max_leaves=8,
)


@settings(max_examples=1500, deadline=None)
@given(value=_values)
def test_c_emitter_matches_python_emitter_whenever_it_is_used(value: object) -> None:
    assert dump._CDumper is not None
    reference = _dump({"k": value}, dump._Dumper)
    if dump._c_safe(value):
        assert _dump({"k": value}, dump._CDumper) == reference
    # Whichever emitter _yaml picks, the text is the Python emitter's.
    assert dump._yaml({"k": value}) + "\n" == reference.removesuffix("...\n")


def test_long_and_empty_keys_match_too() -> None:
    # Where the emitters differ (the length of a simple key; an empty key), _yaml uses
    # the Python emitter; every length up to well past the limits, in ASCII and not.
    for n in range(200):
        for key in ("a" * n, "é" * n, "€" * n, "a b" * (n // 3)):
            value = {key: [key, 1], "x": {key: "é"}}
            assert dump._yaml({"k": value}) + "\n" == _dump({"k": value}, dump._Dumper)


_keys = st.from_regex(r"[a-z][a-z0-9-]{0,15}\.[a-z0-9.-]{1,30}", fullmatch=True)  # ids


@settings(max_examples=600, deadline=None)
@given(entries=st.dictionaries(_keys, st.text(), min_size=2, max_size=8))
def test_text_entries_emitted_together_are_the_entries_emitted_one_by_one(
        entries: dict[str, str]) -> None:
    # dump_answers emits the new text answers of a file in one run (_emit_together) and
    # splits the text per entry: each piece must be what _yaml makes for that entry alone.
    dump.clear_cache()
    dump._emit_together(entries.items())
    together = dict(dump._ENTRIES)
    dump.clear_cache()
    safe = {k: v for k, v in entries.items() if dump._c_safe(v)}
    if len(safe) >= 2:  # (one alone is emitted as before)
        assert {(k, str, v) for k, v in safe.items()} == set(together)
    for (key, _, value), text in together.items():
        assert text == dump._yaml({key: value})
    for key, value in entries.items():
        assert dump._entry(key, value) == dump._yaml({key: value}).split("\n")
    dump.clear_cache()
