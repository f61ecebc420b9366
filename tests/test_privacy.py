"""wizard.answers.privacy: personal data in free text (true and false positives)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.answers.privacy import (
    BSN,
    EMAIL,
    PHONE,
    POSTCODE,
    chat_warning,
    find_personal_data,
    is_valid_bsn,
    open_point,
    scan_answers,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text)]


@pytest.mark.parametrize("text,match", [
    ("BSN 123456782.", "123456782"),
    ("bsn: 1234.56.782 van betrokkene", "1234.56.782"),
    ("nummer 123 456 782", "123 456 782"),
    ("111222333", "111222333"),
    ("(010000008)", "010000008"),
])
def test_bsn_found_with_and_without_separators(text, match):
    assert kinds(text) == [(BSN, match)]


@pytest.mark.parametrize("text", [
    "123456789",            # fails the 11-check
    "123.456.789",          # idem, with dots
    "000000000",            # all zeros passes the sum but is no BSN
    "1234567820",           # 10 digits
    "12345678",             # 8 digits
    "€ 1.234.567,82 budget",
    "IBAN NL91ABNA0417164300",
    "datum 2026-11-23, 17 deelnemers",
])
def test_not_a_bsn(text):
    assert [k for k, _ in kinds(text)] == []


def test_elfproef():
    assert is_valid_bsn("123456782") and is_valid_bsn("111222333")
    assert not is_valid_bsn("123456789") and not is_valid_bsn("12345678")
    assert not is_valid_bsn("000000000") and not is_valid_bsn("12345678a")


@pytest.mark.parametrize("text,match", [
    ("Bel 06-12345678 voor info", "06-12345678"),
    ("mobiel 0612345678", "0612345678"),
    ("06 1234 5678", "06 1234 5678"),
    ("+31 6 12345678", "+31 6 12345678"),
    ("+31612345678", "+31612345678"),
    ("+31 (0)6 1234 5678", "+31 (0)6 1234 5678"),
    ("0031 10 1234567", "0031 10 1234567"),
    ("010-1234567", "010-1234567"),
    ("(010) 123 45 67", "(010) 123 45 67"),
    ("0591-123456", "0591-123456"),
])
def test_phone_found(text, match):
    assert kinds(text) == [(PHONE, match)]


@pytest.mark.parametrize("text", [
    "0800-1234",            # too short: a service number, not personal
    "06-1234567",           # 9 digits
    "010-12345678",         # 11 digits
    "2026-11-23",
    "versie 1.2.3, 45 vragen",
])
def test_not_a_phone(text):
    assert kinds(text) == []


def test_two_phone_numbers_side_by_side_are_two_findings():
    assert kinds("0612345678 en 0101234567") == [(PHONE, "0612345678"), (PHONE, "0101234567")]


def test_phone_is_not_also_a_bsn():
    # +31 6 1234567 8 contains 9 digits after the country code; only the phone counts.
    assert [k for k, _ in kinds("+31 612345678")] == [PHONE]


@pytest.mark.parametrize("text,match", [
    ("jan.jansen@gemeente.nl", "jan.jansen@gemeente.nl"),
    ("mail naar p.de-vries+oov@voorbeeld-stad.nl.", "p.de-vries+oov@voorbeeld-stad.nl"),
])
def test_email_found(text, match):
    assert kinds(text) == [(EMAIL, match)]


@pytest.mark.parametrize("text", ["@gemeente", "naam@", "a@b", "twitter: @jan"])
def test_not_an_email(text):
    assert kinds(text) == []


@pytest.mark.parametrize("text,match", [
    ("woont op 1234 AB 12", "1234 AB 12"),
    ("1234AB 12a", "1234AB 12a"),
    ("1234 AB, 7-2", "1234 AB, 7-2"),
    ("Dorpsstraat 12, 1234 AB Ergens", "Dorpsstraat 12, 1234 AB"),
])
def test_postcode_with_house_number_found(text, match):
    assert kinds(text) == [(POSTCODE, match)]


@pytest.mark.parametrize("text", [
    "postcodegebied 1234 AB",      # no house number: not an address
    "1234AB",
    "0123 AB 12",                  # postcodes never start with 0
    "1234 SS 12",                  # SS, SA and SD are not used
    "in 2020 en 2021",
])
def test_postcode_without_house_number_not_flagged(text):
    assert kinds(text) == []


def test_spans_point_at_the_match_and_messages_are_dutch_without_the_value():
    text = "Contact: jan@gemeente.nl of 06-12345678, BSN 123456782, 1234 AB 12."
    found = find_personal_data(text)
    assert [f.kind for f in found] == [EMAIL, PHONE, BSN, POSTCODE]
    for f in found:
        assert text[f.start:f.end] == f.text
        assert f.message.startswith("Dit lijkt ") and "verwijder het" in f.message
        assert f.text not in f.message


def test_scan_answers_open_point_and_chat_warning():
    answers = SimpleNamespace(
        values={"b.vraag": "Contactpersoon: jan@gemeente.nl", "a.schaal": 3,
                "a.tekst": "Geen bijzonderheden"},
        notes={"a.schaal": "Bel 06-12345678"},
    )
    hits = scan_answers(answers)
    assert [(h.question_id, h.field, h.finding.kind) for h in hits] == [
        ("a.schaal", "toelichting", PHONE), ("b.vraag", "antwoord", EMAIL)]
    line = open_point("b.vraag", [hits[1].finding])
    assert line == ("Mogelijk persoonsgegeven in antwoord op vraag b.vraag (een e-mailadres): "
                    "verwijder het of beschrijf een functie of rol in plaats van een persoon.")
    assert "toelichting" in open_point("a.schaal", [hits[0].finding], note=True)
    warning = chat_warning(find_personal_data("jan@x.nl, 06-12345678"))
    assert "een e-mailadres en een telefoonnummer" in warning and "jan@x.nl" not in warning
    assert chat_warning([]) == ""


def test_empty_and_non_text():
    assert find_personal_data("") == [] and find_personal_data(None) == []  # type: ignore[arg-type]


# --------------------------------------------------------------------------- issue 18, item 9


@pytest.mark.parametrize("text,kind", [
    ("BSN 123-456-782", BSN),
    ("bsn 123.456.782.", BSN),
    ("1234-56-782", BSN),
    ("123\u2011456\u2011782", BSN),             # non-breaking hyphens
    ("\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff12", BSN),  # full-width digits
    ("123\u00a0456\u00a0782", BSN),            # no-break spaces
    ("123\u200b456782", BSN),                  # zero-width space
    ("12\u200d3\u2060456\ufeff782", BSN),      # joiner, word joiner, BOM
    ("jan\u200b@gemeente.nl", EMAIL),
    ("jan@gemeente\u00ad.nl", EMAIL),          # soft hyphen
    ("jan\uff20gemeente.nl", EMAIL),           # full-width at sign
    ("06-1234\u200c5678", PHONE),
    ("06\x0012345678", PHONE),                 # a control character
    ("06\u202e12345678", PHONE),               # a direction override
    ("1234\u200bAB 12", POSTCODE),
])
def test_found_as_the_reader_sees_it(text, kind):
    """A character nobody sees (or a look-alike) does not hide the value from the check."""
    assert [f.kind for f in find_personal_data(text)] == [kind]


@pytest.mark.parametrize("text", [
    "123-456-789",          # fails the 11-check
    "2026-11-23 en 2027-01-15",
    "1-2 keer per jaar, 3-4 uur per week",
    "tel. 1234-567-890",    # 10 digits
    "kenmerk Z/123-456-782",  # part of a file number
])
def test_hyphen_notation_is_not_a_bsn_elsewhere(text):
    assert [f.kind for f in find_personal_data(text) if f.kind == BSN] == []


INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202c\u2066\u2069\x01\x7f"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["123456782", "123 456 782", "123-456-782", "jan@gemeente.nl",
                        "0612345678", "+31 6 12345678", "1234 AB 12"]),
       st.lists(st.tuples(st.integers(0, 40), st.sampled_from(INVISIBLE)), max_size=6))
def test_invisible_characters_never_hide_a_value(value, inserts):
    plain = f"Contact: {value}."
    text = value
    for pos, ch in inserts:
        pos = min(pos, len(text))
        text = text[:pos] + ch + text[pos:]
    expected = [f.kind for f in find_personal_data(plain)]
    assert expected and [f.kind for f in find_personal_data(f"Contact: {text}.")] == expected


def test_visible_text_shortcut_changes_nothing():
    """visible_text returns plain text as it is without its four steps: for every character
    (alone, and between letters) the result is what the four steps give."""
    import unicodedata

    from wizard.answers import visible as v

    def four_steps(text: str) -> str:
        text = v._NEWLINES.sub("\n", text)
        text = v._INVISIBLE.sub("", text)
        text = unicodedata.normalize("NFKC", text)
        return v._DASHES.sub("-", v._SPACES.sub(" ", text))

    points = [*range(0x3100), *range(0xfe00, 0x10000), 0x110BD, 0x1D173, 0xE0001]
    for c in points:
        for text in (chr(c), "a" + chr(c) + "b", "é" + chr(c), "ab\r\n" + chr(c)):
            assert v.visible_text(text) == four_steps(text), hex(c)
