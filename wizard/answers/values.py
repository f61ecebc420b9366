"""The value rules for answers: what fits a question, shared by answers files, workbooks
and the chat (through the engine); and `as_typed`, which keeps YAML from changing what an
officer typed. No I/O here.
"""

from __future__ import annotations

import re
from typing import Any

from wizard.answers.numbers import NumberError, format_whole, is_number_text, whole_number
from wizard.files.yamlio import YamlDoc
from wizard.questionnaire.model import (
    CHOICE,
    NUMBER,
    NVT,
    SCALE,
    TEXT,
    WEET_NIET,
    Question,
)

# Ways people write the special answers; all normalise to the stored ids.
MUNICIPALITY_QID = "intake.gemeente"
# Longest Dutch municipality name is ~30 characters; 100 leaves room for "gemeente X-Y".
MUNICIPALITY_MAX = 100
# 'w' is what the chat tells people to type; the same word means the same in every file.
_UNKNOWN_WORDS = {"w", "weet_niet", "weet niet", "weetniet", "weet ik niet", "onbekend", "?"}
_NA_WORDS = {"nvt", "n.v.t.", "n.v.t", "niet van toepassing", "niet_van_toepassing"}


# --------------------------------------------------------------------------- value rules


class BadValue(Exception):
    """A value that does not fit its question: Dutch message and hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def is_empty(value: Any) -> bool:
    """No answer: null, or a string with only whitespace."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def allowed_text(question: Question) -> str:
    """The allowed values of a question, as shown in messages and in the blank file."""
    if question.kind in (SCALE, CHOICE):
        parts = [f"{o.value} = {o.label}" for o in question.options]
    elif question.kind == NUMBER:
        lo = question.minimum if question.minimum is not None else None
        hi = question.maximum if question.maximum is not None else None
        if lo is not None and hi is not None:
            parts = [f"een heel getal van {lo} tot en met {hi}"]
        elif lo is not None:
            parts = [f"een heel getal van minstens {lo}"]
        elif hi is not None:
            parts = [f"een heel getal van hoogstens {hi}"]
        else:
            parts = ["een heel getal"]
    else:
        return "vrije tekst (meerdere regels: begin met | en spring de regels in)"
    if question.allows_unknown:
        parts.append(WEET_NIET)
    if question.allows_na:
        parts.append(NVT)
    return ", ".join(parts)


def _allowed_hint(question: Question) -> str:
    return f"Toegestaan: {allowed_text(question)}."


def _special(question: Question, value: str) -> str | None:
    """weet_niet / nvt (in any common spelling) if allowed; BadValue if not allowed."""
    word = value.strip().lower()
    if word in _UNKNOWN_WORDS:
        if not question.allows_unknown:
            raise BadValue("'weet niet' is bij deze vraag niet toegestaan", _allowed_hint(question))
        return WEET_NIET
    if word in _NA_WORDS:
        if not question.allows_na:
            raise BadValue(
                "'niet van toepassing' (nvt) is bij deze vraag niet toegestaan",
                _allowed_hint(question),
            )
        return NVT
    return None


def _shape_error(question: Question, value: Any) -> BadValue | None:
    if isinstance(value, bool):
        word = "ja (true)" if value else "nee (false)"
        if question.kind == TEXT:
            return BadValue(
                f"YAML leest dit als de ja/nee-waarde {word}, niet als tekst",
                "Zet de tekst tussen aanhalingstekens, bijv. 'ja'.",
            )
        return BadValue(f"YAML leest dit als de ja/nee-waarde {word}", _allowed_hint(question))
    if isinstance(value, list):
        return BadValue("hier staat een lijst, maar de vraag verwacht één antwoord",
                        _allowed_hint(question) if question.kind != TEXT else
                        "Schrijf meerdere regels als tekst: begin met | en spring de regels in.")
    if isinstance(value, dict):
        return BadValue("hier staan sleutels (met dubbele punt), maar de vraag verwacht één "
                        "antwoord",
                        "Staat er een dubbele punt in uw tekst? Zet de tekst dan tussen "
                        "aanhalingstekens.")
    return None


def check_value(question: Question, value: Any) -> Any:
    """The stored form of `value` for `question`, or BadValue saying what is wrong.

    Shared by answers files and the engine. `value` must not be empty (see `is_empty`).
    """
    bad = _shape_error(question, value)
    if bad:
        raise bad
    if question.kind == TEXT:
        if isinstance(value, str):
            # "Weet niet" in free text is weet niet, as in every other kind of question
            # (and not the literal answer "w" printed in the plan).
            word = " ".join(value.split()).lower().rstrip(".!")
            if word in _UNKNOWN_WORDS and question.allows_unknown:
                return WEET_NIET
            if word in _NA_WORDS and question.allows_na:
                return NVT
            if question.id == MUNICIPALITY_QID:
                _check_municipality(value)
            return value
        raise BadValue(
            f"hier staat het getal {value}, maar de vraag verwacht tekst",
            f"Zet het tussen aanhalingstekens, bijv. '{value}'.",
        )
    if isinstance(value, str):
        special = _special(question, value)
        if special is not None:
            return special
    if question.kind == SCALE:
        return _check_scale(question, value)
    if question.kind == NUMBER:
        return _check_number(question, value)
    if question.kind == CHOICE:
        return _check_choice(question, value)
    raise BadValue(f"onbekende soort vraag '{question.kind}'")


def _check_municipality(name: str) -> None:
    # The name becomes the plan's title, a folder name and a Word property: a pasted
    # paragraph must be refused here, not produce an unusable plan (line breaks are
    # already shown as spaces by the renderers).
    if len(name.strip()) > MUNICIPALITY_MAX:
        raise BadValue(
            f"de naam van de gemeente is te lang ({len(name.strip())} tekens; "
            f"maximaal {MUNICIPALITY_MAX})",
            "Schrijf alleen de naam van de gemeente, bijv. 'Voorbeeldstad'.")


def _check_scale(question: Question, value: Any) -> Any:
    values = [o.value for o in question.options]
    if isinstance(value, int):
        if value in values:
            return value
        raise BadValue(f"{value} valt buiten de schaal", _allowed_hint(question))
    if isinstance(value, float):
        raise BadValue(f"{value} is geen heel getal op de schaal", _allowed_hint(question))
    text = value.strip()
    if re.fullmatch(r"[-+]?\d+", text):
        raise BadValue(
            f"'{text}' staat tussen aanhalingstekens; schrijf {text} (zonder aanhalingstekens)",
            _allowed_hint(question),
        )
    for o in question.options:  # the label is accepted too
        if o.label.strip().lower() == text.lower():
            return o.value
    raise BadValue(f"'{text}' is geen waarde op de schaal", _allowed_hint(question))


def _check_number(question: Question, value: Any) -> int:
    try:
        number = whole_number(value)
    except NumberError as e:
        raise BadValue(str(e), _allowed_hint(question)) from None
    if question.minimum is not None and number < question.minimum:
        raise BadValue(f"{format_whole(number)} is kleiner dan het minimum "
                       f"{format_whole(question.minimum)}", _allowed_hint(question))
    if question.maximum is not None and number > question.maximum:
        raise BadValue(f"{format_whole(number)} is groter dan het maximum "
                       f"{format_whole(question.maximum)}", _allowed_hint(question))
    return number


def _check_choice(question: Question, value: Any) -> Any:
    text = str(value).strip()
    for o in question.options:
        if o.value == value or str(o.value) == text:
            return o.value
    low = text.lower()
    for o in question.options:  # id in other case, or the label
        if str(o.value).lower() == low or o.label.strip().lower() == low:
            return o.value
    raise BadValue(f"'{text}' is geen van de keuzes", _allowed_hint(question))


def parse_input(question: Question, text: str) -> Any:
    """Typed input (chat) -> a value for `check_value`: digits become numbers."""
    t = text.strip()
    if question.kind in (SCALE, CHOICE) and re.fullmatch(r"[-+]?\d+", t):
        if question.kind == CHOICE and not any(isinstance(o.value, int) for o in question.options):
            return t
        return int(t)
    if question.kind == NUMBER and is_number_text(t):
        return t  # read by check_value with the one number reader (Dutch separators)
    return text if question.kind == TEXT else t


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9]\d*|[1-9]\d{0,2}(?:_\d{3})+)")


def as_typed(kind: str, value: Any, doc: YamlDoc, path: tuple) -> Any:
    """`value` as the officer typed it, or BadValue when YAML changed it.

    YAML reads some plain (unquoted) text as something else: `12:30` is 750, `ja` is True,
    `017600` is 8064, and `OOV #1` is 'OOV' plus a comment. Text answers (and notes) get
    the text exactly as typed; a number that YAML read differently from its digits, and a
    comment that cut a text answer short, are refused with a hint to quote the text.
    """
    typed = doc.typed.get(path)
    comment = doc.comments.get(path)
    if kind == TEXT:
        if typed is not None:
            value = typed
        if comment is not None and isinstance(value, str):
            from wizard.files.yamlerrors import quote_for_yaml

            raise BadValue(
                f"YAML leest '{_clip(comment)}' als commentaar en laat het weg uit het antwoord",
                "Is het commentaar, zet het dan op een eigen regel. Hoort het bij het antwoord, "
                "zet dan het hele antwoord tussen enkele aanhalingstekens: "
                + quote_for_yaml(_clip(value + " " + comment, 80)))
        return value
    if typed is None:
        return value
    if kind == CHOICE and isinstance(value, bool):
        return typed  # `nee` is the choice 'nee', not the boolean false
    if (isinstance(value, float) and ":" in typed) or (
            isinstance(value, int) and not isinstance(value, bool)
            and not _PLAIN_INT.fullmatch(typed.strip())):
        raise BadValue(
            f"YAML leest '{_clip(typed)}' als het getal {_clip(str(value))}, niet zoals het er "
            "staat",
            "Schrijf het getal met alleen cijfers, zonder voorloopnul, dubbele punt, punt of "
            "letters.")
    return value


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


