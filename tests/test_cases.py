"""wizard.answers.cases: free text that points at persons or a case (issue 14).

The corpus (tests/fixtures/privacy) holds realistic sentences for a small municipality:
casus.txt must be flagged, beleid.txt must not. casus-controle.txt / beleid-controle.txt
were written after the word list was fixed, without running the detector; their rates are
stated in the README and checked here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.answers.cases import case_signals
from wizard.answers.casewords import load_case_words
from wizard.errors import ValidationError

CORPUS = Path(__file__).parent / "fixtures" / "privacy"
README = Path(__file__).parent.parent / "README.md"


def sentences(name: str) -> list[str]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def words():
    return load_case_words()


def kinds(text: str, words) -> list[str]:
    return [s.kind for s in case_signals(text, words)]


def test_corpus_is_large_enough():
    assert len(sentences("casus.txt")) >= 40 and len(sentences("beleid.txt")) >= 40


@pytest.mark.parametrize("text", sentences("casus.txt"))
def test_case_sentence_is_flagged(text, words):
    assert case_signals(text, words), text


@pytest.mark.parametrize("text", sentences("beleid.txt"))
def test_policy_sentence_is_not_flagged(text, words):
    assert kinds(text, words) == [], text


def _rates(words) -> dict[str, tuple[int, int]]:
    out = {}
    for name in ("casus.txt", "beleid.txt", "casus-controle.txt", "beleid-controle.txt"):
        texts = sentences(name)
        out[name] = (sum(bool(case_signals(t, words)) for t in texts), len(texts))
    return out


def test_readme_states_the_rates_as_measured(words):
    """The README's numbers are the detector's numbers on the corpus today."""
    readme = README.read_text(encoding="utf-8")
    rates = _rates(words)
    for name, (hit, total) in rates.items():
        assert f"{hit} van de {total}" in readme, (name, hit, total)
    # The held-out set: most case sentences found, no policy sentence flagged.
    hit, total = rates["casus-controle.txt"]
    assert hit / total >= 0.8
    assert rates["beleid-controle.txt"][0] == 0


@pytest.mark.parametrize("text,expected", [
    ("Een 17-jarige uit de wijk deelt filmpjes.", "leeftijd"),
    ("Ahmed (19) wil stoppen met de groep.", "leeftijd"),
    ("We volgen een meisje van 14.", "leeftijd"),
    ("Meneer El Amrani belde de wijkagent.", "naam"),
    ("Het gezin Yilmaz krijgt begeleiding.", "naam"),
    ("Dhr. B. is doorverwezen.", "naam"),
    ("J. de Vries is verhuisd.", "initialen"),
    ("De terugkeer van H. uit detentie is voorbereid.", "initialen"),
    ("Er is gezocht aan de Lindelaan 4.", "adres"),
    ("De gedetineerde keert terug.", "detentie"),
    ("Zijn broer zoekt contact.", "familie"),
])
def test_each_kind_of_strong_clue(text, expected, words):
    assert expected in kinds(text, words)


@pytest.mark.parametrize("text", [
    "Het thema is opgenomen in het integraal veiligheidsplan.",   # not 'opgenomen' (kliniek)
    "Als er budget vrijkomt, breiden we de training uit.",         # 'vrijkomt' is weak
    "We trainen 12- tot 18-jarigen op school.",                    # plural: a target group
    "Een 4-jarig programma met de scholen.",                       # a term, not an age
    "We werken met de N.B. en de O.M.-afspraken.",                 # abbreviations
    "De aandachtsfunctionaris weet waar hij of zij een gebiedsverbod kan aanvragen.",
    "Het casusoverleg is elke dinsdag.",                           # 'casusoverleg' is not 'casus'
])
def test_ordinary_wording_is_not_flagged(text, words):
    assert kinds(text, words) == []


def test_weak_clues_need_two_groups_in_one_sentence(words):
    assert kinds("De terugkeer is voorbereid.", words) == []
    assert kinds("De terugkeer is voorbereid. Binnenkort is er een overleg.", words) == []
    assert kinds("De terugkeer is binnenkort.", words) == ["detentie", "tijd"]
    # A sentence that starts as a general rule does not combine weak clues ...
    assert kinds("Bij terugkeer binnenkort volgen we het draaiboek.", words) == []
    # ... but a strong clue counts anywhere.
    assert kinds("Bij de terugkeer van de gedetineerde volgen we het draaiboek.", words) \
        == ["detentie"]


def test_words_are_compared_without_case_accents_or_invisible_characters(words):
    assert kinds("De GEDETINEERDE keert terug.", words) == ["detentie"]
    assert kinds("De gedeti\u200bneerde keert terug.", words) == ["detentie"]
    assert kinds("De Syriëganger woont hier.", words) == ["detentie"]
    assert kinds("De Syrieganger woont hier.", words) == ["detentie"]


def test_labels_describe_the_kind_never_the_words(words):
    text = "Meneer Jansen (17) en zijn zoon, gedetineerde sinds 3 maart, Dorpsstraat 12."
    signals = case_signals(text, words)
    assert len(signals) >= 4
    for s in signals:
        for word in ("Jansen", "17", "zoon", "gedetineerde", "maart", "Dorpsstraat", "12"):
            assert word.lower() not in s.label.lower()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_list_of_known_kinds(text):
    words = load_case_words()
    for s in case_signals(text, words):
        assert s.kind in words.groups or s.kind in words.patterns


# --------------------------------------------------------------------------- the YAML list


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "casuswoorden.yaml"
    p.write_text(text, encoding="utf-8")
    return p


MINIMAL = """\
groepen:
  eigen:
    omschrijving: een eigen aanwijzing
    sterk:
      - woonwagenkamp
    zwak:
      - kermis*
patronen:
  leeftijd:
    omschrijving: een leeftijd
    telt: uit
"""


def test_an_adviser_can_add_words_and_switch_a_pattern_off(tmp_path):
    words = load_case_words(_write(tmp_path, MINIMAL))
    assert kinds("Op het woonwagenkamp speelt iets.", words) == ["eigen"]
    assert kinds("Een 17-jarige uit de wijk.", words) == []  # leeftijd: uit
    assert kinds("De kermisexploitant.", words) == []  # weak alone
    assert "eigen" in kinds("Het woonwagenkamp en de kermisexploitant.", words)


@pytest.mark.parametrize("body,line,fragment", [
    ("groepen:\n  x:\n    omschrijving: a\n    sterk: [woord]\n    zwaak: [b]\n", 5,
     "onbekende sleutel 'zwaak'"),
    ("groepen:\n  x:\n    omschrijving: a\n    sterk:\n      - ab*\n", 5,
     "te weinig letters"),
    ("groepen:\n  x:\n    omschrijving: a\n    sterk:\n      - 'zoon; broer'\n", 5,
     "niet als woord lezen"),
    (("groepen:\n  x:\n    omschrijving: a\n    sterk: [zoon]\n  y:\n    omschrijving: b\n"
      "    zwak:\n      - Zoon\n"), 8, "staat al in groep 'x' (regel 4)"),
    ("groepen:\n  x:\n    sterk: [zoon]\n", 2, "'omschrijving' ontbreekt"),
    (("groepen:\n  x:\n    omschrijving: a\n    sterk: [zoon]\npatronen:\n  leeftijd:\n"
      "    omschrijving: b\n    telt: soms\n"), 8, "moet sterk, zwak of uit zijn"),
    (("groepen:\n  x:\n    omschrijving: a\n    sterk: [zoon]\npatronen:\n  lengte:\n"
      "    omschrijving: b\n    telt: sterk\n"), 6, "onbekend patroon 'lengte'"),
    ("groepen: {}\n", 1, "geen groepen"),
])
def test_mistakes_in_the_list_are_reported_with_file_and_line(tmp_path, body, line, fragment):
    p = _write(tmp_path, body)
    with pytest.raises(ValidationError) as err:
        load_case_words(p)
    text = str(err.value)
    assert re.search(rf"{re.escape(str(p))}:{line}: .*{re.escape(fragment)}", text), text
    assert "Traceback" not in text


def test_the_built_in_list_is_valid_and_explained():
    words = load_case_words()
    assert len(words.groups) >= 6 and set(words.patterns) >= {"leeftijd", "naam", "datum"}
    leesmij = (Path(__file__).parent.parent / "questionnaires" / "LEESMIJ.md").read_text(
        encoding="utf-8")
    assert "casuswoorden.yaml" in leesmij
