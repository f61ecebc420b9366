"""Question numbers that hold still: the number a question has on screen for the whole scan.

Questions that are always asked are numbered 1, 2, 3, …; a question that only appears after a
certain answer (`toon_als`) gets the number of the question before it plus a letter (8a, 8b),
so it never shifts the numbers after it when it appears or disappears. "Vraag 9 van 84" keeps
meaning the same question. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wizard.questionnaire.model import Question

_LABEL = re.compile(r"^(\d+)([a-z]*)$")


class Numbering:
    """Labels ('8', '8a') for the questions of one scan, in order."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self._label: dict[str, str] = {}
        self._by_label: dict[str, str] = {}
        base = 0
        letter = 0
        for qu in questions:
            if qu.condition is None or base == 0:
                base += 1
                letter = 0
                label = str(base)
            else:
                letter += 1
                label = f"{base}{_letters(letter)}"
            self._label[qu.id] = label
            self._by_label[label] = qu.id
        self.total = base  # "van N": the questions that are always asked

    def label(self, qid: str) -> str:
        """The question's number as shown ('' when it is not part of this scan)."""
        return self._label.get(qid, "")

    def find(self, typed: str) -> str | None:
        """The question id for a number as the user typed it ('8', '8a', '8A'), or None."""
        text = typed.strip().lower().rstrip(".")
        return self._by_label.get(text) if _LABEL.match(text) else None

    @staticmethod
    def looks_like_number(typed: str) -> bool:
        return bool(_LABEL.match(typed.strip().lower().rstrip(".")))


def _letters(n: int) -> str:
    """1 -> 'a', 26 -> 'z', 27 -> 'aa' (more than 26 follow-ups on one question is unlikely)."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out
