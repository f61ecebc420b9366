"""Dutch text formatting for every document: numbers, dates, counts, lists, clean free text.

One home for these helpers: builders use them, renderers never reword anything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
)

# Every line break a user can type, including the Unicode ones Python's splitlines knows.
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Control and invisible formatting characters: never shown, in no format.
_CONTROL = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069"
    r"\ud800-\udfff\ufffe\uffff]")


def lines(value: Any) -> list[str]:
    """Free text as its non-empty lines: control characters removed, tabs as spaces."""
    if value is None:
        return []
    return list(_lines(str(value)))


@lru_cache(maxsize=1024)  # a batch cleans the same texts for every plan (bounded: flat memory)
def _lines(text: str) -> tuple[str, ...]:
    text = _NEWLINES.sub("\n", text).replace("\t", " ")
    text = _CONTROL.sub("", text)
    return tuple(" ".join(line.split()) for line in text.split("\n") if line.strip())


def clean(value: Any) -> str:
    """Free text as shown in a document: clean lines joined by '\\n' (kept as line breaks)."""
    if type(value) is str:
        return _joined(value, "\n")
    return "\n".join(lines(value))


def one_line(value: Any) -> str:
    """Free text on one line (titles, headings, cells of short tables)."""
    if type(value) is str:
        return _joined(value, " ")
    return " ".join(lines(value))


@lru_cache(maxsize=1024)  # builders ask for the same question texts for every plan
def _joined(text: str, sep: str) -> str:
    return sep.join(_lines(text))


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def nl_number(value: Any, digits: int = 1) -> str:
    """1.5 -> '1,5'; whole numbers without decimals; None -> 'onbekend'."""
    if value is None:
        return "onbekend"
    v = round(float(value), digits)
    if v == int(v):
        return str(int(v))
    return f"{v:.{digits}f}".replace(".", ",")


def percent(value: Any) -> str:
    if value is None:
        return "onbekend"
    return f"{round(float(value) * 100)}%"


def plural(count: Any, one: str, many: str) -> str:
    """The word that goes with a count: 1 stelling, 2 stellingen, 0 stellingen."""
    try:
        return one if float(count) == 1 else many
    except (TypeError, ValueError):
        return many


def counted(count: int, one: str, many: str) -> str:
    """'1 stelling', '3 stellingen'."""
    return f"{count} {plural(count, one, many)}"


def nl_date(value: Any) -> str:
    """'2026-11-23' -> '23 november 2026'; anything else as given (one line)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(3))} {MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
    return one_line(value) or "datum onbekend"


def month_later(value: Any, months: int) -> str:
    """'2026-11-23', 12 -> 'november 2027' (the evaluation moment); '' when no date."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-\d{2}", str(value or ""))
    if not m or not 1 <= int(m.group(2)) <= 12:
        return ""
    index = int(m.group(1)) * 12 + int(m.group(2)) - 1 + months
    return f"{MONTHS[index % 12]} {index // 12}"


def join_and(items: Iterable[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b en c'."""
    xs = [x for x in items if x]
    if len(xs) <= 1:
        return "".join(xs)
    return ", ".join(xs[:-1]) + " en " + xs[-1]


def shorten(text: str, words: int = 14) -> str:
    """The first words of a (long) question, for citations."""
    parts = str(text).split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",.;:") + " …"


def clip(text: str, limit: int = 60) -> str:
    """Text cut to about `limit` characters at a word boundary, with '…'."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text.rstrip(".:")
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(",.;:") + " …"


def sentence(text: str) -> str:
    """Text ending in a full stop (or its own ? ! …)."""
    text = text.rstrip()
    return text if not text or text[-1] in ".?!…:" else text + "."


def level_words(value: float | None, labels: dict[int, str], max_value: int) -> str:
    """A level on the 0..max scale in numbers and words: '1,5 van 4 (ongeveer: ...)'."""
    if value is None:
        return "onbekend"
    text = f"{nl_number(value)} van {max_value}"
    nearest = math.floor(value + 0.5)  # half up, not banker's rounding
    label = labels.get(nearest)
    if label:
        exact = abs(value - nearest) < 0.05
        text += f" ({'' if exact else 'ongeveer: '}{label.lower()})"
    return text


# --------------------------------------------------------------------------- wording

_IRREGULAR = {"ga": "gaat", "heb": "heeft", "ben": "is", "kan": "kan", "wil": "wil",
              "zal": "zal", "mag": "mag", "moet": "moet", "doe": "doet", "sta": "staat",
              "zie": "ziet", "sla": "slaat"}
_SUBORDINATE = {"of", "dat", "als", "wanneer", "zodat", "omdat", "die", "waar", "waarmee"}
_MAIN = re.compile(r"\b(\w+) ik\b", re.UNICODE)


def _third(verb: str) -> str:
    low = verb.lower()
    if low in _IRREGULAR:
        out = _IRREGULAR[low]
    elif low.endswith("t"):
        out = low
    else:
        out = low + "t"
    return out.capitalize() if verb[:1].isupper() else out


def third_person(question: str, overrides: dict[str, str] | None = None) -> str:
    """A template question as a third-person subheading: 'Welke afdelingen ga ik
    betrekken?' -> 'Welke afdelingen gaat de gemeente betrekken?'. Inverted main clauses
    (verb before 'ik') are rewritten; `overrides` (plan.yaml 'koppen') hold the rest."""
    if overrides and question in overrides:
        return overrides[question]
    def main_clause(m: re.Match[str]) -> str:
        if m.group(1).lower() in _SUBORDINATE:  # 'of ik ... aanmeld': verb at the end
            return m.group(0)
        return f"{_third(m.group(1))} de gemeente"

    out = _MAIN.sub(main_clause, question)
    out = re.sub(r"\bmijn\b", "haar", out)
    return out
