"""Free text as a reader sees it, for the privacy checks.

A zero-width space inside a BSN or an e-mail address hides it from a pattern, but not from
the reader: browsers, Word and the plan's renderer drop such characters or show nothing for
them. So every check runs on `visible_text(text)`: invisible and control characters removed,
look-alike spaces, dashes and full-width forms turned into the plain ones (NFKC). Linear in
the length of the text; standard library only.
"""

from __future__ import annotations

import re
import unicodedata

# The line breaks the renderers turn into '\n' (wizard.plan.text).
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

# Characters nobody sees: C0/C1 controls (except tab and newline), format characters
# (Unicode category Cf: zero-width space/joiners, direction marks and embeddings, soft
# hyphen, word joiner, BOM, tag characters) and the other default-ignorable code points
# (variation selectors, combining grapheme joiner, Hangul fillers). Written out as ranges
# instead of a scan of all of Unicode at start-up.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# Spaces of other widths read as a space; every dash or minus as a hyphen.
_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")


# Any character one of the steps below would change (the four classes together).
_CHANGED = re.compile("[" + _NEWLINES.pattern.split("|", 1)[1][1:-1] + _INVISIBLE.pattern[1:-1]
                      + _SPACES.pattern[1:-1] + _DASHES.pattern[1:-1] + "]")

# The ASCII characters among them: every control character except the line feed.
_ASCII_CHANGED = re.compile("[\x00-\x09\x0b-\x1f\x7f]")


def visible_text(text: str) -> str:
    """`text` as it reads on screen and on paper: what the privacy checks look at."""
    if not text:
        return ""
    # Most answers are plain already: one search instead of four substitutions (every
    # privacy check of every text starts here). NFKC leaves ASCII and normalised text alone.
    if text.isascii():  # (a flag of the string: no scan) only controls can change
        if _ASCII_CHANGED.search(text) is None:
            return text
    elif _CHANGED.search(text) is None and unicodedata.is_normalized("NFKC", text):
        return text
    text = _NEWLINES.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    # NFKC: full-width digits and '＠', ligatures and superscripts become plain characters.
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub(" ", text)
    return _DASHES.sub("-", text)


# Combining marks (accents) left after NFD: Latin, extended and supplementary blocks.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents ('Geëmigreerd' -> 'geemigreerd'), for word lists.

    Changes lengths ('ß' -> 'ss', accents dropped), so spans are never mapped back."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFD", text.casefold()))
