"""Spot personal data in free-text answers before it ends up in a plan.

A plan van aanpak is shared (college, council, partners); answers should describe roles and
structures, not people. This module finds what most often slips in: a BSN, an e-mail
address, a phone number, a postcode with house number. It only warns ("mogelijk"): the
officer decides. Pure functions, no I/O, standard library only, so the chat, the renderer
and batch can all call it.

Use:
    find_personal_data(text) -> list[Finding]       every hit with its span
    scan_answers(answers) -> list[AnswerFinding]     all text answers and notes of an Answers
    open_point(question, findings) -> str            the Dutch line for the plan's open points
    chat_warning(findings) -> str                    the Dutch warning after an answer
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wizard.answers.visible import visible_text

BSN = "bsn"
EMAIL = "email"
PHONE = "telefoon"
POSTCODE = "postcode"

# What each kind is called in a Dutch sentence.
KIND_LABELS = {
    BSN: "een burgerservicenummer (BSN)",
    EMAIL: "een e-mailadres",
    PHONE: "een telefoonnummer",
    POSTCODE: "een adres (postcode met huisnummer)",
}

_ADVICE = "verwijder het of beschrijf een functie of rol in plaats van een persoon"


@dataclass(frozen=True)
class Finding:
    """One possible piece of personal data: kind, span in the text, matched text."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def message(self) -> str:
        """Dutch warning. Never repeats the value itself (it may end up in a shared plan)."""
        return f"Dit lijkt {self.label}: {_ADVICE}."


@dataclass(frozen=True)
class AnswerFinding:
    """A finding in the answer (field 'antwoord') or note (field 'toelichting') of a question."""

    question_id: str
    field: str
    finding: Finding


# Every pattern below is bounded: a match attempt looks at a fixed number of characters
# (at most a few hundred), so a check costs time linear in the length of the answer, also
# for hostile input such as "a.a.a.…@" (issue 18).

# A long text cannot make a long list: the plan, the chat and validate only say which kinds
# were found, so each kind stops after this many.
MAX_PER_KIND = 50

# --- BSN: 9 digits, optionally grouped with single dots, spaces or hyphens (123456782,
# 1234.56.782, 123 456 782, 123-456-782), passing the 11-check; never part of a longer
# number. Each attempt looks at no more than 17 characters.
_BSN_RE = re.compile(
    r"(?<![\w.,+\-/])(?<!\d[ .\-])\d(?:[ .\-]?\d){8}(?![ .\-]?\d)(?![\w\-/])")


def is_valid_bsn(digits: str) -> bool:
    """The 'elfproef' for a BSN: sum(d_i * (9..2)) - d_9 is a multiple of 11, not all zero."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def _bsns(text: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _BSN_RE.finditer(text):
        digits = m.group().replace(" ", "").replace(".", "").replace("-", "")
        if is_valid_bsn(digits):
            out.append(Finding(BSN, m.start(), m.end(), m.group()))
            if len(out) >= MAX_PER_KIND:
                break
    return out


# --- e-mail address. Linear: the local part is bounded and must be a whole run of address
# characters (the lookbehind), and a domain cannot run past the next '@'.
_EMAIL_RE = re.compile(
    r"(?<![\w.+\-%])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,63})@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w\-])"
)


# --- Dutch phone numbers: 10 digits national (0 + 9), or +31 / 0031 + 9 digits.
# Single spaces or hyphens may separate digits; the area code may be in parentheses.
_S = r"[ \-]?"
_NATIONAL = rf"0{_S}[1-9](?:{_S}\d){{8}}"
_PAREN = "|".join(
    rf"\(0\d{{{k}}}\){_S}\d(?:{_S}\d){{{8 - k}}}" for k in (1, 2, 3)
)
_INTERNATIONAL = rf"(?:\+|00){_S}31{_S}(?:\(0\){_S})?[1-9](?:{_S}\d){{8}}"
# The lookahead makes every position that cannot start a number fail at once.
_PHONE_RE = re.compile(
    rf"(?=[+(0])(?<![\w+\-/.,])(?:{_INTERNATIONAL}|{_PAREN}|{_NATIONAL})(?![ \-]?\d)"
    rf"(?![\w/])"
)

# --- postcode (4 digits, first not 0, 2 capitals except SA/SD/SS) with a house number,
# either after it ("1234 AB 12", "1234AB, 12a") or before it ("Dorpsstraat 12, 1234 AB").
# A street name is one word of at most 60 characters that starts a word.
_PC = r"[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}"
_HOUSE = r"\d{1,5}(?:[ \-]?[A-Za-z]\b|-\d{1,4})?"
_STREET = r"(?<![A-Za-zÀ-ÿ.'\-])[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.'\-]{1,60}"
_POSTCODE_RE = re.compile(
    rf"(?<![\w])(?:{_PC}(?:,? ?(?:nr\.? ?)?| ?- ?){_HOUSE}(?![\w])"
    rf"|{_STREET} {_HOUSE},? {_PC}(?![\w]))"
)


_DIGIT = re.compile(r"\d")  # the same digits as the patterns' \d


def find_personal_data(text: str) -> list[Finding]:
    """Every possible BSN, e-mail address, phone number and address in `text`, in order.

    Runs on the text as a reader sees it (`visible_text`: no zero-width or control
    characters); spans and `Finding.text` refer to that text. Overlapping hits are reduced
    to one (the longest, then the most specific kind), so a phone number is never also
    reported as a BSN. Time linear in the length of `text`.
    """
    if not text or not isinstance(text, str):
        return []
    text = visible_text(text)
    # Most answers hold no digit and no '@': then no pattern can match, and one quick
    # search spares the four scans (each tries its lookbehinds at every position).
    digits = _DIGIT.search(text) is not None
    found: list[Finding] = _bsns(text) if digits else []
    for kind, pattern in ((EMAIL, _EMAIL_RE), (PHONE, _PHONE_RE), (POSTCODE, _POSTCODE_RE)):
        if not (("@" in text) if kind == EMAIL else digits):
            continue  # an e-mail address needs its '@'; the others need digits
        for n, m in enumerate(pattern.finditer(text), start=1):
            found.append(Finding(kind, m.start(), m.end(), m.group()))
            if n >= MAX_PER_KIND:
                break
    priority = {EMAIL: 0, PHONE: 1, BSN: 2, POSTCODE: 3}
    found.sort(key=lambda f: (-(f.end - f.start), priority[f.kind]))
    # Every finding is short (bounded patterns), so marking its characters keeps this
    # linear however many findings a long text has.
    taken = bytearray(len(text))
    kept: list[Finding] = []
    for f in found:
        if taken.find(1, f.start, f.end) == -1:
            taken[f.start:f.end] = b"\x01" * (f.end - f.start)
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def scan_answers(answers: Any) -> list[AnswerFinding]:
    """Findings in every text answer and note of an `wizard.answers.store.Answers` (duck-typed).

    Ordered by question id and field, so plans list them deterministically. The plan and
    the annex both ask, so the result is kept for the same texts (the key is a snapshot of
    the texts themselves: an answer edited in place gives another key)."""
    mappings = (("antwoord", getattr(answers, "values", {}) or {}),
                ("toelichting", getattr(answers, "notes", {}) or {}))
    key = tuple((field, tuple((qid, value) for qid, value in mapping.items()
                              if isinstance(value, str))) for field, mapping in mappings)
    cached = _SCANS.get(key)
    if cached is not None:
        return list(cached)
    out: list[AnswerFinding] = []
    for field, mapping in mappings:
        for qid in sorted(mapping, key=str):
            value = mapping[qid]
            if isinstance(value, str):
                for f in find_personal_data(value):
                    out.append(AnswerFinding(str(qid), field, f))
    out.sort(key=lambda a: (a.question_id, a.field, a.finding.start))
    if len(_SCANS) >= 4:  # a few plans' worth: nothing accumulates over a batch
        _SCANS.pop(next(iter(_SCANS)))
    _SCANS[key] = tuple(out)
    return out


_SCANS: dict[tuple, tuple[AnswerFinding, ...]] = {}


def _kinds(findings: Iterable[Finding]) -> str:
    labels: list[str] = []
    for f in findings:
        if f.label not in labels:
            labels.append(f.label)
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " en " + labels[-1]


def open_point(question: str, findings: Iterable[Finding], *, note: bool = False) -> str:
    """The plan's open-point line for one question, e.g.

    'Mogelijk persoonsgegeven in antwoord op vraag lokaal-beeld.x (een e-mailadres):
    verwijder het of beschrijf een functie of rol in plaats van een persoon.'
    `question` is the id or the question text as the plan shows it.
    """
    where = "de toelichting bij vraag" if note else "antwoord op vraag"
    return f"Mogelijk persoonsgegeven in {where} {question} ({_kinds(findings)}): {_ADVICE}."


def chat_warning(findings: Iterable[Finding]) -> str:
    """What the chat says right after an answer that contains possible personal data."""
    findings = list(findings)
    if not findings:
        return ""
    return (
        f"Let op: uw antwoord bevat mogelijk {_kinds(findings)}. Een plan van aanpak wordt "
        f"gedeeld; {_ADVICE}. U kunt het antwoord nu aanpassen of zo laten."
    )
