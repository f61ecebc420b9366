"""Does a free-text answer point at persons or a case? (issue 14)

A small municipality's officer writes what they know, and in a town of 20,000 "a detainee
returns next month" or "the son of a family in the Molenbuurt" identifies people. This
module says whether an answer reads like that, and which kinds of clue it saw, never the
words themselves (the message may be shown on a shared screen or end up in a log).

How (the word list and its rules: questionnaires/casuswoorden.yaml, wizard.answers.casewords):
- the text is read as the reader sees it (wizard.answers.visible), cut into sentences and
  words; words are compared without case or accents;
- a *strong* clue (a word group such as "zijn zoon", an age, a name after "meneer") is
  enough on its own;
- *weak* clues count only when one sentence holds clues of two different groups (a
  "terugkeer" and a "binnenkort"), and not in a sentence that starts as a general rule
  ("Als ...", "Bij ...");
- set phrases such as "hij of zij" never count.

Pure and linear in the length of the text: one pass over the words, each pattern bounded
per attempt, matches per pattern capped.

    case_signals(text, words) -> list[CaseSignal]    empty = nothing case-like found
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from wizard.answers.casewords import CaseWords
from wizard.answers.visible import fold, visible_text

MAX_MATCHES = 200  # per pattern; enough to decide, bounded for a 5 MiB answer
MAX_WORD_HITS = 1000  # words of the list; idem
_SENTINEL = "\x00"  # marks a sentence end; visible_text() removes it from typed text

# Most patterns start with the character they consume first and check what stands before
# it afterwards (a lookbehind over that character too): the regex engine then skips ahead
# to candidate characters in C instead of trying each position. All repeats are bounded.

# A sentence ends at . ! ? (perhaps with closing quotes) followed by a space and a word
# that does not start in lower case ("o.a. de" goes on), and at ; or a line break; not
# after an initial ("J. de Vries", "A.B. Jansen") or a title ("dhr. Jansen"). The mark
# replaces that first space: the pattern starts with it, so the engine jumps from space to
# space, and the replacement is plain text (no Python call per sentence).
_SENTENCE_SPACE = re.compile(
    r"[ ](?:(?<=[.!?] )|(?<=[.!?][\"'’”)] )|(?<=[.!?][\"'’”)][\"'’”)] ))"
    r"(?<![\s(.][A-Z]\. )(?<!^[A-Z]\. )(?<![Dd]hr\. )(?<![Mm]evr\. )(?<![\s(][Mm]w\. )"
    r"(?=[ ]*[^a-zà-ÿ\s])")
_SPACES = re.compile(r"[^\S\n]+")

# Dutch name particles that may stand between a title or initials and the surname.
_PARTICLES = r"(?:(?:van|de|der|den|ter|ten|te|het|in|op|'t|d'|von|el|al|ben|bin|abu)\s+){0,3}"
_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
           "december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
_BEFORE = r"(?<![\w'’\-].)"  # after the first character: it starts a word

# leeftijd: '17-jarige', '16 jaar oud', 'leeftijd van 15' (10 to 99: smaller numbers are
# terms in policy text, '4-jarig'); 'X (17)' and 'X van 16' are checked in _ages.
_AGE = re.compile(r"[1-9](?<![\w,.].)\d(?:[ -]?jarige?| jaar oud)(?![\w])"
                  r"|(?i:l)(?<![\w'’\-].)(?i:eeftijd van) [1-9]\d(?![\w]|[,.]\d)")
_AGE_AFTER = re.compile(r" (?:\(([1-9]\d)\)|van ([1-9]\d)(?: jaar)?)(?![\w]|[,.]\d)")
_WORD_BEFORE = re.compile(r"(?<![\w'’\-])[^\W\d_][\w'’\-]{0,40}$")
# initialen: 'J. de Vries', 'A.B. Jansen'; 'J.K.'; a lone initial mid-sentence ('van H. uit').
_INITIALS = re.compile(
    r"[A-Z](?<![\w.].)\. ?(?:(?P<only>(?:[A-Z]\. ?){1,3})(?![\w])"
    rf"|(?P<more>(?:[A-Z]\. ?){{0,2}}){_PARTICLES}[A-Z][a-z][\w'’\-]{{0,40}})")
_INITIAL_MID = re.compile(r"[A-Z](?<=[a-z,] .)\.(?= [a-z])")
_DATE = re.compile(rf"\d(?<![\w/.\-].)\d?(?: (?i:{_MONTHS})\.?(?![\w])"
                   r"|[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?![\w/.\-]))")
_HOUSE_NUMBER = re.compile(r" \d{1,4}(?:[ -]?[a-zA-Z])?(?![\w])")


@dataclass(frozen=True)
class CaseSignal:
    """One kind of clue that made the answer case-like: a group of the list or a pattern."""

    kind: str
    label: str  # the Dutch description from the list, e.g. 'een leeftijd'


@dataclass(frozen=True)
class _Hit:
    kind: str
    strong: bool
    sentence: int
    generic: bool = False  # in a sentence that starts as a general rule ('Als ...')


def case_signals(text: str, words: CaseWords) -> list[CaseSignal]:
    """The kinds of clue that make `text` read as being about persons or a case, in order
    of first appearance; an empty list when it reads as ordinary policy text."""
    if not text or not isinstance(text, str):
        return []
    marked = visible_text(text).replace(";", ";" + _SENTINEL).replace("\n", "\n" + _SENTINEL)
    marked = _SENTENCE_SPACE.sub(_SENTINEL, marked)
    # Words are compared folded (no case, no accents), with single spaces between them.
    folded = fold(marked)
    # In visible ASCII text the only other white space is '\n' (tabs, \r and the like are
    # gone), so the substitution changes something only where two spaces meet.
    if "  " in folded or not folded.isascii():
        folded = _SPACES.sub(" ", folded)
    hits = _word_hits(folded, words) + _pattern_hits(marked, words)
    return _decide(hits, words)


def is_case_like(text: str, words: CaseWords) -> bool:
    return bool(case_signals(text, words))


def _decide(hits: list[_Hit], words: CaseWords) -> list[CaseSignal]:
    chosen: list[tuple[int, str]] = []  # (sentence, kind)
    per_sentence: dict[int, list[str]] = {}
    for h in hits:
        if h.strong:
            chosen.append((h.sentence, h.kind))
        elif not h.generic:
            kinds = per_sentence.setdefault(h.sentence, [])
            if h.kind not in kinds:
                kinds.append(h.kind)
    for sentence, kinds in per_sentence.items():
        if len(kinds) >= 2:
            chosen += [(sentence, k) for k in kinds]
    out: list[CaseSignal] = []
    for _, kind in sorted(chosen, key=lambda c: c[0]):
        if all(s.kind != kind for s in out):
            out.append(CaseSignal(kind, words.label(kind)))
    return out


class _Sentences:
    """Sentence numbers (and whether a sentence starts as a general rule) for positions
    asked in increasing order: the marks between two positions are counted once, so all
    look-ups together cost time linear in the text."""

    def __init__(self, text: str, words: CaseWords, *, folded: bool) -> None:
        self.text, self.words, self.folded = text, words, folded
        self.number, self.pos = 0, 0
        self.generic: dict[int, bool] = {}

    def at(self, pos: int) -> int:
        self.number += self.text.count(_SENTINEL, self.pos, pos)
        self.pos = pos
        return self.number

    def is_generic(self, pos: int) -> bool:
        """Does the sentence holding `pos` (asked right after at(pos)) start as a rule?"""
        if self.number not in self.generic:
            opener = self.words.opener_matcher
            start = self.text.rfind(_SENTINEL, 0, pos) + 1
            head = self.text[start:start + 80]
            if not self.folded:
                head = _SPACES.sub(" ", fold(head))
            self.generic[self.number] = bool(opener and opener.match(head))
        return self.generic[self.number]


# --------------------------------------------------------------------------- the word list


def _word_hits(folded: str, words: CaseWords) -> list[_Hit]:
    """Hits of the word list: one compiled pattern finds every word and word group of the
    list (longest first), so Python only sees the matches."""
    if words.matcher is None:
        return []
    hits: list[_Hit] = []
    sentences = _Sentences(folded, words, folded=True)
    for m in words.matcher.finditer(folded):
        entry = words.entry_for(m.group())
        if entry is None:  # a set phrase ('hij of zij'): its words do not count
            continue
        number = sentences.at(m.start())
        generic = not entry.strong and sentences.is_generic(m.start())
        hits.append(_Hit(entry.group, entry.strong, number, generic))
        if len(hits) >= MAX_WORD_HITS:
            break
    return hits


# --------------------------------------------------------------------------- patterns


# Patterns that cannot match a text without a digit (an age, a house number, a date).
_NEEDS_DIGIT = frozenset(("leeftijd", "adres", "datum"))
_DIGIT = re.compile(r"\d")


def _pattern_hits(marked: str, words: CaseWords) -> list[_Hit]:
    found: list[tuple[int, str, bool]] = []
    ctx = _Context(marked, words)
    digits = _DIGIT.search(marked) is not None  # most answers have none: skip three scans
    for name, finder in (("leeftijd", _ages), ("naam", _names), ("initialen", _initials),
                         ("adres", _addresses), ("straat", _streets), ("datum", _dates)):
        spec = words.patterns.get(name)
        if spec is None or spec[1] == "uit" or (not digits and name in _NEEDS_DIGIT):
            continue
        strong = spec[1] == "sterk"
        for n, pos in enumerate(finder(ctx), start=1):
            found.append((pos, name, strong))
            if n >= MAX_MATCHES or strong:
                break  # a strong pattern decides on its first match
    sentences = _Sentences(marked, words, folded=False)
    hits: list[_Hit] = []
    for pos, name, strong in sorted(found):
        number = sentences.at(pos)
        hits.append(_Hit(name, strong, number, not strong and sentences.is_generic(pos)))
    return hits


class _Context:
    """The marked text and what several patterns share (the street names, found once)."""

    def __init__(self, marked: str, words: CaseWords) -> None:
        self.text, self.words = marked, words
        self._streets: list[re.Match[str]] | None = None

    def first_word(self, pos: int) -> bool:
        """Is the word at `pos` the first of its sentence (so that its capital says nothing)?"""
        before = self.text[max(0, pos - 4):pos].rstrip(" \"'‘“(")
        return pos == 0 or before == "" or before.endswith(_SENTINEL)

    def streets(self) -> list[re.Match[str]]:
        if self._streets is None:
            self._streets = []
            if self.words.street_endings:
                pattern = _street_pattern(self.words.street_endings)
                for m in pattern.finditer(self.text):
                    self._streets.append(m)
                    if len(self._streets) >= 2 * MAX_MATCHES:
                        break
        return self._streets


def _ages(ctx: _Context) -> Iterator[int]:
    text, words = ctx.text, ctx.words
    for m in _AGE.finditer(text):
        yield m.start()
    for m in _AGE_AFTER.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, m.start() - 41), m.start())
        if before is None:
            continue
        word = before.group()
        # 'een jongen van 16', 'zijn dochter (15)': a word from the list; 'Ahmed (19)': a name.
        if fold(word) in words.single or (m.group(1) and word[0].isupper()):
            yield before.start()


@functools.lru_cache(maxsize=8)
def _title_pattern(titles: frozenset[str]) -> re.Pattern[str]:
    # 'Meneer|meneer' rather than a case-insensitive group: with literal first letters the
    # engine skips to the positions where a title can start.
    alts = "|".join(re.escape(v) for t in sorted(titles, key=len, reverse=True)
                    for v in (t[0].upper() + t[1:], t))
    return re.compile(rf"(?:{alts})\.? {_PARTICLES}([^\W\d_][\w'’\-]{{0,40}}\.?)")


def _names(ctx: _Context) -> Iterator[int]:
    text, words = ctx.text, ctx.words
    if not words.titles:
        return
    for m in _title_pattern(words.titles).finditer(text):
        start = m.start()
        if m.group(1)[0].isupper() and (start == 0 or not _joins(text[start - 1])):
            yield start


def _joins(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’-"


def _initials(ctx: _Context) -> Iterator[int]:
    text, words = ctx.text, ctx.words
    for m in _INITIALS.finditer(text):
        initials = text[m.start():m.start() + 2] + (m.group("only") or m.group("more") or "")
        if initials.replace(" ", "").upper() not in words.not_initials:
            yield m.start()
    for m in _INITIAL_MID.finditer(text):
        yield m.start()


@functools.lru_cache(maxsize=8)
def _street_pattern(endings: tuple[str, ...]) -> re.Pattern[str]:
    # A capitalised word (whole, at most 41 characters) that ends in one of the endings,
    # with at least two letters before the ending: one lookbehind per ending.
    ends = "|".join(f"(?<=..{re.escape(e)})" for e in endings)
    return re.compile(rf"[A-ZÀ-ÖØ-Þ]{_BEFORE}[\w'’\-]{{1,40}}(?![\w'’\-])(?:{ends})")


def _addresses(ctx: _Context) -> Iterator[int]:
    for m in ctx.streets():
        if _HOUSE_NUMBER.match(ctx.text, m.end()):
            yield m.start()


def _streets(ctx: _Context) -> Iterator[int]:
    for m in ctx.streets():
        if not ctx.first_word(m.start()):
            yield m.start()


def _dates(ctx: _Context) -> Iterator[int]:
    for m in _DATE.finditer(ctx.text):
        yield m.start()
