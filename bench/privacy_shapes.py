"""Worst known inputs for the privacy checks on free text (issue 18, item 7).

Each shape is a short unit repeated up to a size: before the checks were made linear,
'a.a.a.…@' of 300 KB took 50 s. Used by tests/test_privacy_bounds.py (at the 5 MiB file
limit) and by `bench/run.py --only privacy`, which reports the slowest shape.
"""

from __future__ import annotations

import time

# (what it attacks, unit)
PERSONAL_DATA_SHAPES = (
    ("e-mail: lange lokale naam", "a."),
    ("e-mail: veel domeinlabels", "a@a."),
    ("e-mail: alleen @", "@a."),
    ("e-mail: procent-reeks", "a%"),
    ("postcode: straatnaam zonder einde", "a.a"),
    ("postcode: woorden met nummers", "Ab 1 "),
    ("BSN/telefoon: cijfers met spaties", "1 "),
    ("telefoon: nullen", "0 1 "),
    ("telefoon: haakjes", "(010) "),
    ("onzichtbare tekens", "1\u200b"),
)
CASE_SHAPES = (
    ("zinnen", ". "),
    ("regels", "x\n"),
    ("initialen", "J. "),
    ("initialen met naam", "A. de Vries "),
    ("aanspreekvorm", "meneer Jansen "),
    ("leeftijd tussen haakjes", "Ab (12) "),
    ("woordgroep zonder vervolg", "zijn "),
    ("zinsbegin", "Als "),
    ("straatnamen", "Abstraatstraatstraat "),
)


def text_of(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size] + "@"


def slowest(size: int) -> tuple[str, float]:
    """(shape, CPU seconds) of the slowest shape through both checks at `size` characters."""
    from wizard.answers.cases import case_signals
    from wizard.answers.casewords import load_case_words
    from wizard.answers.privacy import find_personal_data

    words = load_case_words()
    worst = ("", 0.0)
    for name, unit in PERSONAL_DATA_SHAPES + CASE_SHAPES:
        text = text_of(unit, size)
        start = time.process_time()
        find_personal_data(text)
        case_signals(text, words)
        took = time.process_time() - start
        if took > worst[1]:
            worst = (name, took)
    return worst
