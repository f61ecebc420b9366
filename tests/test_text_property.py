"""Issue 18, item 2: arbitrary Unicode through the chat's input, answers files and all three
writers. Text is either refused at the door (with where and a Dutch hint) or it is written:
Markdown, HTML and Word never meet a character they cannot hold, and what is accepted comes
back exactly as typed."""

from __future__ import annotations

import io
import json

import pytest
from conftest import full_answers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.answers.store import check_value, load_answers
from wizard.chat.conversation import Chat
from wizard.chat.plain import PlainFrontend
from wizard.errors import ZelfscanError
from wizard.files.text import find_bad_char, join_surrogate_pairs
from wizard.files.yamlio import parse_yaml
from wizard.plan.output import write_outputs

SPECIALS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\ufffe", "\uffff", "\ufdd0",
            "\U0001fffe", "\U0010ffff", "\r", "\t", "\n", "\u2028", "\u200b", "\ufeff", "*",
            "_", "<", "&", "#", "|", "`", "[", "]", "\\", "'", '"', ":", "@", "%", "!"]
ANY_CHAR = st.one_of(st.characters(exclude_categories=()),
                     st.integers(0xD800, 0xDFFF).map(chr), st.sampled_from(SPECIALS))
TEXT = st.text(alphabet=ANY_CHAR, min_size=1, max_size=60)
TEXT_Q = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


def _answers_file(text: str) -> str:
    # JSON's string escapes are YAML double-quoted escapes (\\u for any code point, also a
    # lone surrogate), so every string can be put into a file this way.
    quoted = json.dumps(text, ensure_ascii=True)
    return ("vragenlijst: zelfscan\nversie: 1\ndatum: '2026-11-23'\nantwoorden:\n"
            f"  intake.gemeente: Testdorp\n  {TEXT_Q}: {quoted}\n")


@SETTINGS
@given(text=TEXT)
def test_answers_file_refuses_or_keeps_exactly(q, text):
    from wizard.answers.store import answers_from_doc

    source = _answers_file(text)
    meant = join_surrogate_pairs(text)  # an escaped pair of halves is one character
    try:
        doc = parse_yaml(source, "a.yaml")
        answers = answers_from_doc(doc, q, require_complete=False)
    except ZelfscanError as e:
        assert find_bad_char(meant) is not None, str(e)
        assert "a.yaml:6" in str(e) and "→" in str(e)
        return
    assert find_bad_char(meant) is None
    if text.strip() and answers.values.get(TEXT_Q) != "weet_niet":  # 'w', '?' mean weet niet
        assert answers.values[TEXT_Q] == meant


@pytest.mark.timeout(900)
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=TEXT, name=TEXT)
def test_every_accepted_text_is_written_by_all_three_writers(q, tmp_path_factory, text, name):
    # What is refused at the door is left out (the test above and the chat test below).
    text = "".join(ch for ch in text if find_bad_char(ch) is None).replace("\r", "\n")
    text = text if text.strip() else "x" + text  # an empty answer is no answer
    name = " ".join("".join(ch for ch in name if find_bad_char(ch) is None).split())[:100]
    name = name or "X"
    answers = full_answers(q, **{"intake.gemeente": name})
    answers.values[TEXT_Q] = text
    answers.notes[TEXT_Q] = text
    out = tmp_path_factory.mktemp("plan")
    paths = write_outputs(q, answers, out)
    names = {p.name for p in paths}
    assert {"plan.md", "plan.html", "plan.docx", "bijlage-vertrouwelijk.docx"} <= names
    # The answers copy reads back to the same text.
    copy = load_answers(out / "antwoorden.yaml", q)
    assert copy.values[TEXT_Q] == check_value(q.question(TEXT_Q), text)  # 'w' is weet niet


@SETTINGS
@given(text=TEXT)
def test_chat_input_refuses_or_keeps_exactly(q, tmp_path_factory, text):
    """Typed into the chat as the municipality's name: refused while typing, or stored as
    typed (line endings as newlines; one line, since the name is asked on one line)."""
    line = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[0]
    if not line.strip() or len(line.strip()) > 100:
        return
    base = tmp_path_factory.mktemp("chat")
    out = io.StringIO()
    chat = Chat(q, PlainFrontend(stdin=io.StringIO(line + "\nGoeddorp\n:stop\n"), stdout=out,
                                 width=200), base_dir=base)
    assert chat.run() == 0
    saved = load_answers(next((base / "sessies").glob("*.yaml")), q, require_complete=False)
    if find_bad_char(line) is not None:
        assert "zo'n teken kan niet in het plan" in " ".join(out.getvalue().split())
        assert saved.values["intake.gemeente"] == "Goeddorp"
    else:  # as typed, apart from spaces around it
        assert saved.values["intake.gemeente"].strip() == line.strip()
