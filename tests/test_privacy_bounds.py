"""Every privacy check on free text takes time linear in its length (issue 18, item 7).

The worst known shapes (bench/privacy_shapes.py) at the 5 MiB file limit: before, the
e-mail/postcode patterns were quadratic and 300 KB of 'a.a.a.…@' took 50 s. CPU time, not
wall time, so that other work on the machine does not make the test flaky.
"""

from __future__ import annotations

import time

import pytest

from bench.privacy_shapes import CASE_SHAPES, PERSONAL_DATA_SHAPES, text_of
from wizard.answers.cases import case_signals
from wizard.answers.casewords import load_case_words
from wizard.answers.privacy import find_personal_data
from wizard.files.yamlio import MAX_FILE_BYTES

LIMIT_SECONDS = 10.0  # about 1.5 s on the development machine; quadratic would be hours


SHAPES = PERSONAL_DATA_SHAPES + CASE_SHAPES
# The shapes that cost most (or were quadratic before) run at the full 5 MiB; the rest at
# 1 MiB, which a quadratic check could not pass either (minutes instead of ~0.3 s).
HEAVY = {"e-mail: lange lokale naam", "e-mail: veel domeinlabels",
         "postcode: straatnaam zonder einde", "postcode: woorden met nummers",
         "BSN/telefoon: cijfers met spaties", "telefoon: nullen", "zinsbegin",
         "leeftijd tussen haakjes"}


@pytest.mark.parametrize("name,unit", SHAPES, ids=[n for n, _ in SHAPES])
def test_worst_shapes(name, unit):
    size = MAX_FILE_BYTES if name in HEAVY else MAX_FILE_BYTES // 5
    text = text_of(unit, size)
    words = load_case_words()
    start = time.process_time()
    find_personal_data(text)
    case_signals(text, words)
    assert time.process_time() - start < LIMIT_SECONDS * size / MAX_FILE_BYTES, name


def test_time_grows_linearly():
    """Ten times the text costs about ten times as much, not a hundred."""
    words = load_case_words()

    def cost(size: int) -> float:
        text = text_of("a.a", size) + text_of("Ab (12) ", size)
        start = time.process_time()
        for _ in range(3):
            find_personal_data(text)
            case_signals(text, words)
        return time.process_time() - start

    small, large = cost(100_000), cost(1_000_000)
    assert large < 30 * max(small, 0.01)
