"""One reader for numbers as people write them, shared by the chat, YAML answers files and Excel.

Dutch habits first: a dot or a space groups thousands ("25.000", "25 000"), a comma is the
decimal sign ("2,5"). A dot that does not group exactly three digits is read as a decimal
point ("2.5", as an English spreadsheet writes it). Pure functions, no I/O.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

# Groups of three digits separated by a dot, a space or a no-break space (what a word
# processor or spreadsheet puts in), the same separator throughout.
_GROUPED = re.compile(r"([-+]?)(\d{1,3}(?:([. \u00a0\u202f])\d{3})(?:\3\d{3})*)(?:,(\d+))?")
_PLAIN = re.compile(r"([-+]?)(\d+)(?:[,.](\d+))?")
# More digits than any count in a questionnaire; keeps Decimal and int() cheap.
_MAX_DIGITS = 30


class NumberError(ValueError):
    """Not a (whole) number; str() is a short Dutch reason without a trailing period."""


def read_number(text: str) -> Decimal | None:
    """The number in `text` as written in Dutch, or None when it is not a number."""
    t = text.strip()
    if not t or len(t) > _MAX_DIGITS + 10:
        return None
    m = _GROUPED.fullmatch(t)
    if m:
        sign, digits, sep, decimals = m.group(1), m.group(2), m.group(3), m.group(4)
        digits = digits.replace(sep, "")
    else:
        m = _PLAIN.fullmatch(t)
        if not m:
            return None
        sign, digits, decimals = m.group(1), m.group(2), m.group(3)
    if len(digits) > _MAX_DIGITS:
        return None
    try:
        return Decimal(f"{sign or ''}{digits}.{decimals or '0'}")
    except InvalidOperation:  # pragma: no cover - the patterns only let digits through
        return None


def whole_number(value: object) -> int:
    """A whole number from what a person wrote or a file holds. NumberError says why not.

    Accepts an int, a float without a fraction (a spreadsheet cell) and text as `read_number`
    reads it ("25.000", "25 000", "25000,0"). Booleans are not numbers.
    """
    if isinstance(value, bool):
        raise NumberError(f"'{value}' is geen getal")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise NumberError(f"'{value}' is geen getal")
        if not value.is_integer():
            raise NumberError(f"{_dutch(str(value))} is geen heel getal")
        return int(value)
    if not isinstance(value, str):
        raise NumberError(f"'{value}' is geen getal")
    number = read_number(value)
    if number is None:
        raise NumberError(f"'{value.strip()}' is geen getal")
    if number != number.to_integral_value():
        raise NumberError(f"'{value.strip()}' is geen heel getal")
    return int(number)


def format_whole(n: int) -> str:
    """25000 -> '25.000' (Dutch thousands separator)."""
    return f"{n:,}".replace(",", ".")


def _dutch(text: str) -> str:
    return text.replace(".", ",")


def is_number_text(text: str) -> bool:
    """True when `text` reads as a number (whole or not)."""
    return read_number(text) is not None

