"""Characters every output format can hold.

A plan goes to Markdown, HTML, Word (XML) and a YAML answers copy. XML 1.0 cannot hold C0
control characters (except tab, newline and carriage return), lone surrogates or U+FFFE /
U+FFFF; UTF-8 cannot encode a lone surrogate at all. Such a character can still reach us:
YAML escapes in double quotes ("\\udc80", "\\x07"), a paste into the chat, an Excel cell.
So the loaders and the chat refuse them at the door (with the place and a Dutch hint) and
no writer ever meets one. Tab and newline are the only controls text needs; a carriage
return is a line ending, which the readers normalise before this check.
"""

from __future__ import annotations

import re

# C0 controls except tab (\x09) and newline (\x0a); DEL and the C1 block; lone surrogates;
# the Unicode non-characters (U+FDD0..U+FDEF and the last two code points of every plane).
_NONCHARS = "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}"
                    for p in range(17))
_BAD = "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARS + "]"


_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def join_surrogate_pairs(text: str) -> str:
    """A high and a low surrogate in a row (JSON-style escapes "\\ud83d\\ude00") are one
    character; YAML leaves them as two halves. Lone halves stay (and are refused)."""
    if not _PAIR.search(text):
        return text
    return _PAIR.sub(lambda m: m.group().encode("utf-16-le", "surrogatepass")
                     .decode("utf-16-le"), text)


# The same set without the non-characters outside the Basic Multilingual Plane: a class with
# those 32 code points makes `re` test each character against every one of them (17 ms for
# the questionnaire's 230,000 characters, against 1 ms for this class).
_BAD_BMP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def find_bad_char(text: str) -> int | None:
    """Index of the first character no output format can hold, or None. Linear."""
    m = _BAD_BMP.search(text)
    end = m.start() if m else len(text)
    if _ASTRAL.search(text, 0, end):  # a non-character beyond U+FFFF may come first
        first = re.compile(_BAD).search(text, 0, end)  # compiled when first needed (~1 ms)
        if first:
            return first.start()
    return m.start() if m else None


def describe_char(ch: str) -> str:
    """A Dutch name for a refused character, with its code point."""
    cp = ord(ch)
    code = f"U+{cp:04X}"
    if 0xD800 <= cp <= 0xDFFF:
        return f"een los surrogaatteken ({code}, een halve tekencode)"
    if cp < 0x20 or 0x7F <= cp <= 0x9F:
        return f"een onzichtbaar stuurteken ({code})"
    return f"een niet-teken ({code}, een code die Unicode nooit aan een teken geeft)"


BAD_CHAR_HINT = ("Verwijder dat teken; het is onzichtbaar en hoort niet in tekst. Het komt vaak "
                 "mee bij kopiëren uit een ander programma of staat er als code met \\ "
                 "(zoals \\x07 of \\udc80) tussen dubbele aanhalingstekens.")


def bad_char_message(text: str) -> str | None:
    """'bevat een onzichtbaar stuurteken (U+0007) op positie 4', or None when clean."""
    i = find_bad_char(text)
    if i is None:
        return None
    where = f" op positie {i + 1}" if len(text) > 1 else ""
    return f"bevat {describe_char(text[i])}{where}"
