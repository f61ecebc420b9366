"""PyYAML's syntax errors in Dutch, with a hint made from the line itself.

PyYAML's messages are English ("found character '@' that cannot start any token"); users see
only Dutch. Most syntax errors in an answers file come from free text typed as a plain YAML
value that starts with a character YAML reserves (@ ` % * & ! | > [ { ' ") or that holds a
quote or ': '. The hint then shows the value quoted the way YAML reads it as text.
"""

from __future__ import annotations

import re
from typing import Any

# (pattern on PyYAML's problem text, Dutch). First match wins; never falls back to English.
_PROBLEMS: tuple[tuple[str, str], ...] = (
    (r"found character '\\t' that cannot start any token", "een tab-teken; gebruik spaties"),
    (r"found a tab character", "een tab-teken; gebruik spaties"),
    (r"found character '(.)' that cannot start any token",
     r"een waarde mag niet beginnen met het teken \1"),
    (r"mapping values are not allowed here", "een dubbele punt op een plek waar dat niet mag"),
    (r"could not find expected ':'", "er ontbreekt een dubbele punt"),
    (r"found undefined alias", "een verwijzing (*) zonder anker"),
    (r"expected <block end>, but found '-'", "een lijstitem op de verkeerde inspringing"),
    (r"expected <block end>, but found '<scalar>'",
     ("na de waarde staat nog tekst die er niet bij hoort (een aanhalingsteken te veel of te "
     "weinig?)")),
    (r"expected <block end>", "de inspringing klopt niet"),
    (r"but found another document", "meer dan één YAML-document (een tweede '---')"),
    (r"expected '<document start>'", "na het einde van het document staat nog tekst"),
    (r"expected a single document", "meer dan één YAML-document (een tweede '---')"),
    (r"found duplicate anchor", "hetzelfde anker (&) komt twee keer voor"),
    (r"expected alphabetic or numeric character",
     "na & of * hoort een naam (YAML leest het als anker of verwijzing)"),
    (r"found unknown escape character",
     "een onbekende code met \\ in tekst tussen dubbele aanhalingstekens"),
    (r"expected escape sequence", ("een onvolledige code met \\ in tekst tussen dubbele "
                                  "aanhalingstekens")),
    (r"expected a comment or a line break",
     "na | of > hoort de tekst op de volgende regels te beginnen"),
    (r"expected chomping or indentation indicators|expected indentation indicator",
     "na | of > mag op dezelfde regel niets anders staan"),
    (r"expected ',' or '\]'", "een lijst tussen [ ] is niet goed afgesloten"),
    (r"expected ',' or '}'", "een groep tussen { } is niet goed afgesloten"),
    (r"found unexpected end of stream",
     "het bestand houdt onverwacht op (ontbreekt een aanhalingsteken?)"),
    (r"found unexpected document separator", "een regel '---' of '...' midden in een waarde"),
    (r"expected the node content", "hier ontbreekt een waarde"),
    (r"found undefined tag handle|found non-specific tag|expected '!'|expected URI",
     "een onbekend label met ! (YAML leest ! aan het begin als label)"),
    (r"mapping keys are not allowed here|sequence entries are not allowed here",
     "de inspringing klopt niet"),
    (r"found duplicate YAML directive|found incompatible YAML document",
     "een regel die met % begint (een YAML-opdracht)"),
    (r"expected ' '|expected '>'|expected a digit", ("de opbouw van een YAML-opdracht (%) klopt "
                                                    "niet")),
    # libyaml's wording, for completeness (the pure-Python reader normally reports).
    (r"found unhashable key", "een sleutel moet een eenvoudige tekst zijn"),
    (r"could not determine a constructor", "een onbekend YAML-label (!!...)"),
    (r"did not find expected key", "de inspringing klopt niet (een sleutel ontbreekt)"),
    (r"did not find expected (-|<document start>|node content)",
     "de inspringing of een aanhalingsteken klopt niet"),
)

# Characters YAML reads specially at the start of a plain value.
_INDICATORS = "@`%*&!|>[]{}'\",#?-:"
_KEY_VALUE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s#'\"][^:#]*?):[ \t]+(?P<value>\S.*)$")


_SHOWN = 80  # characters of a value a hint repeats


def dutch_problem(problem: str | None) -> str:
    text = (problem or "").strip()
    for pattern, dutch in _PROBLEMS:
        m = re.search(pattern, text)
        if m:
            return m.expand(dutch)
    return "de opbouw van het bestand klopt hier niet"


def quote_for_yaml(text: str) -> str:
    """`text` as a single-quoted YAML value (a ' inside is written twice)."""
    return "'" + text.replace("'", "''") + "'"


def syntax_hint(source: str, line_no: int | None) -> str | None:
    """A hint about the value on line `line_no` (1-based), when it is typed text that YAML
    cannot read as it stands; None when the line gives no clue."""
    if not line_no:
        return None
    lines = source.split("\n", line_no)
    if len(lines) < line_no:
        return None
    m = _KEY_VALUE.match(lines[line_no - 1].rstrip())
    if not m:
        return None
    key, value = m.group("key").strip(), m.group("value")
    if len(value) > _SHOWN:  # a hint shows the start of a long value, not all of it
        value = value[:_SHOWN] + "…" + (value[-1] if value[0] in "'\"" else "")
    block = re.match(r"^([|>][-+0-9]*)\s*(.*)$", value)
    if block and block.group(2):
        return (f"Schrijf de tekst op de regels onder '{key}: {block.group(1)}', ingesprongen "
                "met spaties, of zet hem op één regel tussen aanhalingstekens: "
                f"{key}: {quote_for_yaml(block.group(2))}")
    quoted = value[0] in "'\"" and len(value) >= 2 and value[-1] == value[0]
    inner = value[1:-1] if quoted else value
    how = ("zet de tekst tussen enkele aanhalingstekens en schrijf een ' in de tekst dubbel, "
           f"zo: {key}: {quote_for_yaml(inner)}")
    if quoted:
        return "Een aanhalingsteken in de tekst sluit de tekst te vroeg af: " + how
    if value[0] in _INDICATORS:
        return f"YAML leest een waarde die met {value[0]} begint niet als gewone tekst: " + how
    if ": " in value or " #" in value:
        return "YAML leest ': ' en ' #' in een waarde niet als gewone tekst: " + how
    return None


def mark_line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None
