"""Property tests: whatever text or bytes a loader gets, it returns a result or raises
ZelfscanError (a Dutch message) — never another exception, never a hang.
"""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.answers.store import load_answers
from wizard.errors import ZelfscanError
from wizard.files.yamlio import YamlDoc, parse_yaml
from wizard.questionnaire.loader import load_module, load_questionnaire
from wizard.questionnaire.template import read_template

FAST = settings(max_examples=250, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
SLOW = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# YAML-ish building blocks: indentation, keys, flow and block syntax, tags, anchors, quotes,
# dates, numbers, control characters and the ids the loaders know.
TOKENS = [
    "\n", "  ", "    ", "- ", ": ", ":", "? ", "[", "]", "{", "}", ",", "#", "&a ", "*a",
    "!!python/object/apply:os.system ", "!!str ", "!!binary ", "!foo ", "<<: ", "|\n", ">-\n",
    "'", '"', "---\n", "...\n", "%YAML 1.1\n", "\t", "\x00", "\x07", "\ufeff", "é", "💥",
    "2026-13-45", "2026-11-23", "9" * 5000, "1e999", ".nan", "~", "null", "ja", "nee",
    "vragenlijst", "versie", "datum", "antwoorden", "toelichtingen", "bespreken",
    "overgeslagen", "sessie", "secties", "vragen", "id", "soort", "schaal", "tekst", "keuze",
    "getal", "toon_als", "vraag", "minstens", "opties", "intake.gemeente", "intake.inwoners",
    "dreiging.signalen", "weet_niet", "nvt", "zelfscan", "1", "0", "-1", "volwassenheid",
]
yamlish = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(string.printable, max_size=8)),
                   max_size=60).map("".join)

ANSWERS_HEAD = "vragenlijst: zelfscan\nversie: 1\ndatum: '2026-11-23'\nantwoorden:\n"
MODULE_HEAD = "secties:\n  - id: proef\n    titel: Proef\n    soort: component\n    vragen:\n"


# Module-level, not a fixture: hypothesis would print its 100 kB repr with every failure.
Q = load_questionnaire()


def _ok_or_dutch(call):
    try:
        return call()
    except ZelfscanError as e:
        assert str(e).strip(), "lege foutmelding"
        assert "Traceback" not in str(e)
        return None


@FAST
@given(text=yamlish)
def test_parse_yaml_yamlish(text):
    doc = _ok_or_dutch(lambda: parse_yaml(text, "fuzz.yaml"))
    assert doc is None or isinstance(doc, YamlDoc)


@FAST
@given(data=st.binary(max_size=400))
def test_parse_yaml_random_bytes_through_the_file_reader(data, tmp_path):
    from wizard.files.yamlio import load_yaml

    f = tmp_path / "fuzz.yaml"
    f.write_bytes(data)
    _ok_or_dutch(lambda: load_yaml(f))


@FAST
@given(text=st.text(max_size=300))
def test_parse_yaml_any_unicode(text):
    _ok_or_dutch(lambda: parse_yaml(text, "fuzz.yaml"))


@SLOW
@given(body=yamlish, whole=st.booleans())
def test_load_answers(body, whole, tmp_path):
    f = tmp_path / "antwoorden.yaml"
    f.write_text(body if whole else ANSWERS_HEAD + "  " + body, encoding="utf-8",
                 errors="surrogatepass")
    _ok_or_dutch(lambda: load_answers(f, Q))


@SLOW
@given(data=st.binary(max_size=300))
def test_load_answers_bytes(data, tmp_path):
    f = tmp_path / "antwoorden.yaml"
    f.write_bytes(ANSWERS_HEAD.encode() + data)
    _ok_or_dutch(lambda: load_answers(f, Q))


@SLOW
@given(body=yamlish, whole=st.booleans())
def test_load_module(body, whole, tmp_path):
    f = tmp_path / "module.yaml"
    f.write_text(body if whole else MODULE_HEAD + "      - " + body, encoding="utf-8",
                 errors="surrogatepass")
    _ok_or_dutch(lambda: load_module(f, dict(Q.scales), set(QIDS)))


@SLOW
@given(body=yamlish)
def test_load_questionnaire_manifest(body, tmp_path):
    # A manifest next to real module names, so deeper checks run too.
    f = tmp_path / "zelfscan.yaml"
    f.write_text("id: zelfscan\nversie: 1\ntitel: T\n" + body, encoding="utf-8",
                 errors="surrogatepass")
    _ok_or_dutch(lambda: load_questionnaire(f))


TEMPLATE_TOKENS = ["Wat", "Hoe", "Lokale uitwerking", "Activiteiten", "\n", "\t", "|", "•",
                   "- ", "Klik of tik om tekst in te voeren.", "BORGEN VAN DE AANPAK",
                   "Definities", "Ambitie", "Doelstellingen", "?", "  ", "\x0c"]
SEED = (Path(__file__).resolve().parent.parent / "questionnaires" / "bron"
        / "plan-van-aanpak.txt").read_text(encoding="utf-8")


@SLOW
@given(parts=st.lists(st.one_of(st.sampled_from(TEMPLATE_TOKENS), st.text(max_size=10)),
                      max_size=80))
def test_read_template_txt(parts, tmp_path):
    f = tmp_path / "sjabloon.txt"
    f.write_text("".join(parts), encoding="utf-8", errors="surrogatepass")
    _ok_or_dutch(lambda: read_template(f))


@SLOW
@given(cut=st.integers(0, len(SEED)), junk=st.text(max_size=40), at=st.integers(0, len(SEED)))
def test_read_template_mangled_seed(cut, junk, at, tmp_path):
    # The real template, truncated and with junk spliced in: deep into the parser.
    text = SEED[:cut]
    text = text[:at] + junk + text[at:]
    f = tmp_path / "sjabloon.txt"
    f.write_text(text, encoding="utf-8", errors="surrogatepass")
    _ok_or_dutch(lambda: read_template(f))


@SLOW
@given(data=st.binary(max_size=600), zipped=st.booleans())
def test_read_template_docx_bytes(data, zipped, tmp_path):
    import io
    import zipfile

    f = tmp_path / "sjabloon.docx"
    if zipped:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("[Content_Types].xml", data[:100])
            z.writestr("word/document.xml", data[100:])
        data = buf.getvalue()
    f.write_bytes(data)
    _ok_or_dutch(lambda: read_template(f))


# --- well-formed YAML with the wrong shapes: reaches the validators, not just the parser.
QIDS = [x.id for x in Q.questions()]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**7),
                    st.floats(allow_nan=False), st.text(max_size=12),
                    st.sampled_from(QIDS + ["weet_niet", "nvt", "ja", "nee", "2026-11-23"]))
values = st.recursive(scalars, lambda c: st.lists(c, max_size=3)
                      | st.dictionaries(st.text(max_size=8) | st.sampled_from(QIDS), c,
                                        max_size=3), max_leaves=12)
answer_docs = st.fixed_dictionaries(
    {"vragenlijst": st.one_of(st.just("zelfscan"), values),
     "versie": st.one_of(st.just(1), values),
     "antwoorden": st.one_of(st.dictionaries(st.sampled_from(QIDS) | st.text(max_size=8),
                                             values, max_size=8), values)},
    optional={"datum": st.one_of(st.just("2026-11-23"), values),
              "toelichtingen": st.one_of(st.dictionaries(st.sampled_from(QIDS), values,
                                                         max_size=3), values),
              "bespreken": st.one_of(st.lists(st.sampled_from(QIDS), max_size=3), values),
              "overgeslagen": st.one_of(st.lists(st.sampled_from(QIDS), max_size=3), values),
              "sessie": values})
QKEYS = ["id", "soort", "tekst", "schaal", "opties", "toon_als", "verplicht", "gewicht",
         "classificatie", "labels", "min", "max", "toelichting", "bron"]
question_docs = st.dictionaries(st.sampled_from(QKEYS), st.one_of(
    values, st.sampled_from(["schaal", "tekst", "keuze", "getal", "volwassenheid", "proef.a"]),
    st.fixed_dictionaries({"vraag": st.sampled_from(QIDS + ["proef.a"])},
                          optional={"minstens": values, "is": values, "in": values})),
    max_size=8)
module_docs = st.fixed_dictionaries({"secties": st.lists(st.fixed_dictionaries(
    {"id": st.one_of(st.just("proef"), values), "titel": st.one_of(st.just("Proef"), values),
     "soort": st.one_of(st.just("component"), values),
     "vragen": st.one_of(st.lists(question_docs, max_size=4), values)}), max_size=3)})


def _dump(data) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@SLOW
@given(doc=answer_docs)
def test_load_answers_wrong_shapes(doc, tmp_path):
    f = tmp_path / "antwoorden.yaml"
    f.write_text(_dump(doc), encoding="utf-8", errors="surrogatepass")
    result = _ok_or_dutch(lambda: load_answers(f, Q, require_complete=False))
    if result is not None:
        assert all(Q.has_question(k) for k in result.values)


@SLOW
@given(doc=module_docs)
def test_load_module_wrong_shapes(doc, tmp_path):
    f = tmp_path / "module.yaml"
    f.write_text(_dump(doc), encoding="utf-8", errors="surrogatepass")
    _ok_or_dutch(lambda: load_module(f, dict(Q.scales), set(QIDS)))
