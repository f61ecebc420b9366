"""The case-word list (questionnaires/casuswoorden.yaml): read, validate, index.

The list says which words and patterns point at persons or cases in free text (see the
comments in the YAML file, and questionnaires/LEESMIJ.md). It belongs to the questionnaire:
a copied questionnaire folder has its own list, which an adviser may extend. Every problem
is reported with file:line, in Dutch; nothing here matches text (that is wizard.answers.cases).

    load_case_words(path=None) -> CaseWords      None = the built-in list; cached per file
    case_words_path(q) -> Path                   the list that belongs to questionnaire q
    case_words_for(q) -> CaseWords
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.answers.visible import fold, visible_text
from wizard.errors import Problem, ValidationError
from wizard.files.yamlio import YamlDoc, load_yaml

FILE_NAME = "casuswoorden.yaml"
MANIFEST_KEY = "casuswoorden"  # optional key in zelfscan.yaml naming another file

TOP_KEYS = ("groepen", "patronen", "aanspreekvormen", "straatnamen", "geen_initialen",
            "algemeen_zinsbegin", "algemene_uitdrukkingen")
GROUP_KEYS = ("omschrijving", "sterk", "zwak")
PATTERN_KEYS = ("omschrijving", "telt")
# The patterns wizard.answers.cases recognises itself (its code knows each name).
PATTERNS = ("leeftijd", "naam", "initialen", "adres", "straat", "datum")
STRONG, WEAK, OFF = "sterk", "zwak", "uit"
COUNTS = (STRONG, WEAK, OFF)
MIN_PREFIX = 4  # letters before a '*'

# How text is cut into words, here and when matching: letters and digits, joined by a
# hyphen, apostrophe or slash ('ex-gedetineerde', 'hij/zij').
TOKEN_RE = re.compile(r"[^\W_]+(?:['’\-/][^\W_]+)*")
_ENTRY_OK = re.compile(r"[^\W_]+(?:['’\-/][^\W_]+)*(?:\s+[^\W_]+(?:['’\-/][^\W_]+)*)*\*?")


@dataclass(frozen=True)
class Entry:
    """One word or word group of the list, as folded tokens."""

    tokens: tuple[str, ...]
    prefix: bool  # the last token may have any ending ('*')
    group: str
    strong: bool


@dataclass(frozen=True)
class CaseWords:
    """The validated list, with one compiled pattern for all its words (see `matcher`)."""

    source: str
    groups: Mapping[str, str]  # group id -> omschrijving, in file order
    patterns: Mapping[str, tuple[str, str]]  # pattern -> (omschrijving, sterk|zwak|uit)
    # Folded phrase ('zijn zoon') -> its entry; None for a set phrase that never counts.
    phrases: Mapping[str, Entry | None] = field(default_factory=dict)
    prefixes: tuple[tuple[str, Entry], ...] = ()  # ('syrieganger', entry), longest first
    single: frozenset[str] = frozenset()  # every one-word entry (for 'een jongen van 16')
    titles: frozenset[str] = frozenset()
    street_endings: tuple[str, ...] = ()
    not_initials: frozenset[str] = frozenset()
    openers: tuple[str, ...] = ()  # folded phrases that make a sentence a general rule
    matcher: re.Pattern[str] | None = None
    opener_matcher: re.Pattern[str] | None = None

    def label(self, kind: str) -> str:
        if kind in self.groups:
            return self.groups[kind]
        return self.patterns[kind][0]

    def entry_for(self, phrase: str) -> Entry | None:
        """The entry of a phrase the matcher found; None for a set phrase ('hij of zij')."""
        if phrase in self.phrases:
            return self.phrases[phrase]
        return next((e for prefix, e in self.prefixes if phrase.startswith(prefix)), None)


# A word of the folded text ends where no letter or joined letter follows.
_WORD_END = r"(?![^\W_]|['’\-/][^\W_])"
_REST_OF_WORD = r"[^\W_]*(?:['’\-/][^\W_]+)*"


def _trie(phrases: list[str]) -> str:
    """One regex alternative for many literal phrases, shared beginnings factored out, so
    the engine compares a few characters per word instead of every phrase in turn. Longer
    phrases win (greedy optional tails)."""
    root: dict = {}
    for phrase in phrases:
        node = root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return build(root)


def _matcher(phrases: list[str], prefixes: list[str]) -> re.Pattern[str] | None:
    parts = []
    if phrases:
        parts.append(_trie(phrases) + _WORD_END)
    if prefixes:
        parts.append(_trie(prefixes) + _REST_OF_WORD)
    if not parts:
        return None
    return re.compile(r"(?<![\w'’\-/])(?:" + "|".join(f"(?:{p})" for p in parts) + ")")


def tokens(text: str) -> tuple[str, ...]:
    """The folded words of `text`, as the matcher sees them."""
    return tuple(fold(t) for t in TOKEN_RE.findall(visible_text(text)))


def _suggest(word: str, known: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f"Bedoelt u '{close[0]}'?" if close else None


class _Reader:
    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def bad(self, message: str, path: tuple, hint: str | None = None) -> None:
        self.problems.append(Problem(message, self.doc.file, self.doc.line(*path) or 1, hint))

    def mapping(self, value: Any, path: tuple, what: str, example: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad(f"'{what}' moet namen met daaronder sleutels bevatten", path,
                     f"Schrijf bijvoorbeeld:\n      {example}")
            return {}
        return value

    def keys(self, data: dict, allowed: tuple[str, ...], path: tuple) -> None:
        for key in data:
            if key not in allowed:
                hint = _suggest(str(key), allowed) or "Toegestaan: " + ", ".join(allowed) + "."
                self.bad(f"onbekende sleutel '{key}'", path + (key,), hint)

    def text(self, data: dict, key: str, path: tuple) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.bad(f"'{key}' ontbreekt of is leeg", path + ((key,) if key in data else ()),
                     f"Schrijf bij '{key}:' in een paar woorden wat de aanwijzing is.")
            return ""
        return " ".join(value.split())

    def words(self, value: Any, path: tuple, *, star: bool = True) -> list[tuple[str, tuple]]:
        """(entry, path) for every valid entry of a list of words."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad("hier hoort een lijst van woorden, elk op een regel met '- ' ervoor",
                     path, "Schrijf bijvoorbeeld:\n      - gedetineerde\n      - zijn zoon")
            return []
        out = []
        for i, item in enumerate(value):
            where = path + (i,)
            if not isinstance(item, str) or not item.strip():
                self.bad(f"'{item}' is geen woord", where,
                         "Schrijf een woord of woordgroep; zet getallen tussen "
                         "aanhalingstekens ('groep 8').")
                continue
            entry = " ".join(item.split())
            if not _ENTRY_OK.fullmatch(entry) or (not star and entry.endswith("*")):
                self.bad(f"'{entry}' kan Zelfscan niet als woord lezen", where,
                         "Gebruik alleen letters, cijfers, spaties en koppeltekens"
                         + (", en eventueel één * aan het eind." if star else "."))
                continue
            if entry.endswith("*") and len(tokens(entry[:-1])[-1]) < MIN_PREFIX:
                self.bad(f"'{entry}': voor de * staan te weinig letters", where,
                         f"Gebruik minstens {MIN_PREFIX} letters voor de *, anders telt "
                         "bijna elk woord mee.")
                continue
            out.append((entry, where))
        return out


def _parse(doc: YamlDoc) -> tuple[CaseWords, list[Problem]]:
    r = _Reader(doc)
    data = doc.data
    empty = CaseWords(doc.file, {}, {})
    if not isinstance(data, dict):
        r.bad("het bestand moet sleutels bevatten, zoals 'groepen:' en 'patronen:'", (),
              "Vergelijk het met de ingebouwde casuswoorden.yaml "
              "('zelfscan vragenlijst kopieer MAP').")
        return empty, r.problems
    r.keys(data, TOP_KEYS, ())

    groups: dict[str, str] = {}
    entries: list[Entry] = []
    seen: dict[tuple[tuple[str, ...], bool], tuple[str, int]] = {}
    raw_groups = r.mapping(data.get("groepen"), ("groepen",), "groepen",
                           "groepen:\n        detentie:\n          omschrijving: ...")
    if not raw_groups:
        r.bad("er staan geen groepen met woorden in het bestand", ("groepen",),
              "Zet onder 'groepen:' minstens één groep met 'omschrijving' en 'sterk' of "
              "'zwak'.")
    for gid, body in raw_groups.items():
        path = ("groepen", gid)
        if not isinstance(gid, str) or not re.fullmatch(r"[a-z0-9_-]+", gid):
            r.bad(f"'{gid}' is geen geldige groepsnaam", path,
                  "Gebruik kleine letters, cijfers, - en _ (bijv. 'detentie').")
            continue
        if gid in PATTERNS:
            r.bad(f"'{gid}' is de naam van een patroon", path,
                  "Kies een andere naam voor de groep.")
            continue
        if not isinstance(body, dict):
            r.bad(f"groep '{gid}' moet 'omschrijving' en 'sterk' of 'zwak' bevatten", path)
            continue
        r.keys(body, GROUP_KEYS, path)
        groups[gid] = r.text(body, "omschrijving", path)
        found = bool(body.get("sterk") or body.get("zwak"))
        for key, strong in (("sterk", True), ("zwak", False)):
            for entry, where in r.words(body.get(key), path + (key,)):
                prefix = entry.endswith("*")
                toks = tokens(entry.rstrip("*"))
                line = doc.line(*where) or 1
                other = seen.get((toks, prefix))
                if other is not None:
                    r.bad(f"'{entry}' staat al in groep '{other[0]}' (regel {other[1]})",
                          where, "Laat één van de twee weg.")
                    continue
                seen[(toks, prefix)] = (gid, line)
                entries.append(Entry(toks, prefix, gid, strong))
        if not found and isinstance(body, dict):
            r.bad(f"groep '{gid}' heeft geen woorden", path,
                  "Zet woorden onder 'sterk:' of 'zwak:', of laat de groep weg.")

    patterns: dict[str, tuple[str, str]] = {}
    raw_patterns = r.mapping(data.get("patronen"), ("patronen",), "patronen",
                             "patronen:\n        leeftijd:\n          omschrijving: een "
                             "leeftijd\n          telt: sterk")
    for name, body in raw_patterns.items():
        path = ("patronen", name)
        if name not in PATTERNS:
            r.bad(f"onbekend patroon '{name}'", path,
                  _suggest(str(name), PATTERNS) or "Zelfscan kent de patronen "
                  + ", ".join(PATTERNS) + "; nieuwe woorden horen onder 'groepen'.")
            continue
        if not isinstance(body, dict):
            r.bad(f"patroon '{name}' moet 'omschrijving' en 'telt' bevatten", path)
            continue
        r.keys(body, PATTERN_KEYS, path)
        counts = body.get("telt")
        if counts not in COUNTS:
            r.bad(f"'telt' bij patroon '{name}' moet sterk, zwak of uit zijn, niet '{counts}'",
                  path + (("telt",) if "telt" in body else ()),
                  "sterk = op zichzelf genoeg; zwak = alleen samen met een andere "
                  "aanwijzing in dezelfde zin; uit = niet gebruiken.")
            continue
        patterns[name] = (r.text(body, "omschrijving", path), counts)

    def word_set(key: str, *, star: bool = False) -> list[str]:
        return [e for e, _ in r.words(data.get(key), (key,), star=star)]

    titles = frozenset(fold(t.rstrip(".")) for t in word_set("aanspreekvormen"))
    endings = tuple(sorted({fold(t) for t in word_set("straatnamen")}, key=len, reverse=True))
    not_initials = frozenset(e.replace(" ", "").upper()
                             for e in _strings(r, data.get("geen_initialen"),
                                               ("geen_initialen",)))

    phrases: dict[str, Entry | None] = {}
    prefixes: list[tuple[str, Entry]] = []
    for e in entries:
        text = " ".join(e.tokens)
        if e.prefix:
            prefixes.append((text, e))
        else:
            phrases[text] = e
    generic = [" ".join(t) for t in
               (tokens(x) for x in word_set("algemene_uitdrukkingen")) if t]
    for text in generic:
        phrases.setdefault(text, None)  # a set phrase: matched, never counted
    openers = tuple(" ".join(t) for t in (tokens(x) for x in word_set("algemeen_zinsbegin"))
                    if t)
    prefixes.sort(key=lambda pe: -len(pe[0]))
    words = CaseWords(
        source=doc.file,
        groups=groups,
        patterns=patterns,
        phrases=phrases,
        prefixes=tuple(prefixes),
        single=frozenset(" ".join(e.tokens) for e in entries
                         if len(e.tokens) == 1 and not e.prefix),
        titles=titles,
        street_endings=endings,
        not_initials=not_initials,
        openers=openers,
        matcher=_matcher(list(phrases), [p for p, _ in prefixes]),
        opener_matcher=re.compile(r"[\s\"'‘“(]*(?:" + _trie(list(openers)) + ")" + _WORD_END)
        if openers else None,
    )
    return words, r.problems


def _strings(r: _Reader, value: Any, path: tuple) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        r.bad("hier hoort een lijst van afkortingen, elk op een regel met '- ' ervoor", path,
              "Schrijf bijvoorbeeld:\n      - N.B.")
        return []
    return [" ".join(v.split()) for v in value]


_CACHE: dict[tuple[str, int, int], CaseWords] = {}


def load_case_words(path: str | Path | None = None) -> CaseWords:
    """The validated list in `path` (None: the built-in one). ValidationError lists every
    problem with file:line. Cached per file (name, size and modification time)."""
    if path is None:
        from wizard.files.resources import data_dir

        path = data_dir() / FILE_NAME
    p = Path(path)
    try:
        st = p.stat()
        # abspath, not resolve(): no system calls per path component (asked per plan).
        key = (os.path.abspath(p), st.st_mtime_ns, st.st_size)
    except OSError:
        key = None  # load_yaml gives the Dutch message
    if key is not None and key in _CACHE:
        return _CACHE[key]
    doc = load_yaml(p, what="woordenlijst")
    words, problems = _parse(doc)
    if problems:
        n = len(problems)
        raise ValidationError(
            problems, summary=f"{p}: {n} {'probleem' if n == 1 else 'problemen'} in de "
                              "lijst met casuswoorden")
    if key is not None:
        _CACHE[key] = words
    return words


def case_words_path(q: Any) -> Path:
    """The list that belongs to questionnaire `q`: the file its manifest names under
    'casuswoorden', else casuswoorden.yaml next to its manifest, else the built-in list
    (a questionnaire folder copied before this list existed)."""
    from wizard.files.resources import data_dir

    named = (getattr(q, "config_files", None) or {}).get(MANIFEST_KEY)
    if named:
        return Path(named)
    source = getattr(q, "source_file", "") or ""
    if source:
        beside = Path(source).parent / FILE_NAME
        if beside.is_file():
            return beside
    return data_dir() / FILE_NAME


def case_words_for(q: Any) -> CaseWords:
    return load_case_words(case_words_path(q))
