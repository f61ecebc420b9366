"""RuleReader: walks a YamlDoc and collects every problem with file:line, in Dutch.

One run of `zelfscan validate` names every problem at once, each with where it is and what to
do. The questionnaire loader and the assessment's rule files (scoring, support, steps, acute)
all read through this class, so messages and "Bedoelde u …?" suggestions read the same
everywhere.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

from wizard.errors import Problem, did_you_mean
from wizard.files.yamlio import YamlDoc


def yes_no(v: Any) -> bool | None:
    """Strictly ja/nee (or YAML true/false) -> bool; anything else -> None.

    The rule files accept only these words; `conditions.as_bool` is the lenient reading used
    while evaluating.
    """
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("ja", "nee"):
        return v.strip().lower() == "ja"
    return None


def allowed_hint(key: object, allowed: Iterable[str]) -> str:
    """The hint for an unknown key or name: a suggestion if one is near, then the options."""
    allowed = tuple(allowed)
    options = "Toegestaan: " + (", ".join(allowed) or "(geen)") + "."
    suggestion = did_you_mean(key, allowed)
    return f"{suggestion} {options}" if suggestion else options


def fmt(v: Any) -> str:
    """A number as a Dutch reader writes it in a message (decimal comma)."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace(".", ",")


def _name(path: tuple) -> str:
    parts = [str(p) for p in path if not isinstance(p, int)]
    return parts[-1] if parts else "bestand"


class RuleReader:
    """Collects every problem in a YAML document, each with file:line.

    `problems` may be shared between readers (the loader reads several modules into one
    list, so `zelfscan validate` reports them together).
    """

    def __init__(self, doc: YamlDoc, problems: list[Problem] | None = None) -> None:
        self.doc = doc
        self.problems: list[Problem] = problems if problems is not None else []

    @property
    def file(self) -> str:
        return self.doc.file

    def bad(self, path: tuple, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(message, self.doc.file, self.doc.line(*path), hint))

    def get(self, path: tuple) -> Any:
        node: Any = self.doc.data
        for p in path:
            if isinstance(node, dict) and p in node or isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node):
                node = node[p]
            else:
                return None
        return node

    def mapping(self, path: tuple, *, required: bool = True) -> dict:
        v = self.get(path)
        if v is None:
            if required:
                self.bad(path, f"'{_name(path)}' ontbreekt",
                         "Vergelijk met het meegeleverde bestand.")
            return {}
        if not isinstance(v, dict):
            self.bad(path, f"'{_name(path)}' moet sleutels met waarden bevatten")
            return {}
        return v

    def seq(self, path: tuple, *, required: bool = True) -> list:
        v = self.get(path)
        if v is None:
            if required:
                self.bad(path, f"'{_name(path)}' ontbreekt",
                         "Vergelijk met het meegeleverde bestand.")
            return []
        if not isinstance(v, list):
            self.bad(path, f"'{_name(path)}' moet een lijst zijn (regels die beginnen met '- ')")
            return []
        return v

    def number(self, path: tuple, default: float | None = None, *, lo: float | None = None,
               hi: float | None = None, integer: bool = False) -> float:
        v = self.get(path)
        fallback = default if default is not None else (lo if lo is not None else 0)
        if v is None:
            if default is None:
                self.bad(path, f"'{_name(path)}' ontbreekt", "Vul een getal in.")
            return fallback
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.bad(path, f"'{_name(path)}' moet een getal zijn, niet '{v}'",
                     "Gebruik een punt als decimaalteken, bijvoorbeeld 0.5.")
            return fallback
        if integer and int(v) != v:
            self.bad(path, f"'{_name(path)}' moet een geheel getal zijn, niet {v}")
            return fallback
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            rng = f"tussen {fmt(lo)} en {fmt(hi)}" if hi is not None else f"minstens {fmt(lo)}"
            self.bad(path, f"'{_name(path)}' moet {rng} liggen, niet {fmt(v)}")
            return fallback
        return int(v) if integer else float(v)

    def text(self, path: tuple, *, required: bool = True, fields: Iterable[str] = ()) -> str:
        v = self.get(path)
        if v is None or v == "":
            if required:
                self.bad(path, f"'{_name(path)}' ontbreekt of is leeg", "Vul een tekst in.")
            return ""
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            self.bad(path, f"'{_name(path)}' moet een tekst zijn")
            return ""
        s = str(v).strip()
        self.placeholders(path, s, tuple(fields))
        return s

    def placeholders(self, path: tuple, s: str, allowed: tuple[str, ...]) -> None:
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(s) if f is not None]
        except ValueError:
            self.bad(path, "losse accolade { of } in de tekst",
                     "Gebruik accolades alleen rond een invulveld, bijvoorbeeld {titel}.")
            return
        for n in names:
            if n not in allowed:
                hint = ("Toegestaan: " + ", ".join("{" + a + "}" for a in allowed) + "."
                        if allowed else "In deze tekst kunnen geen velden worden ingevuld.")
                self.bad(path, f"onbekend invulveld '{{{n}}}'", hint)

    def strings(self, path: tuple, *, required: bool = False) -> tuple[str, ...]:
        """A list of texts, or one text (read as a list of one)."""
        v = self.get(path)
        if v is None:
            if required:
                self.bad(path, f"'{_name(path)}' ontbreekt", "Geef een of meer teksten.")
            return ()
        if isinstance(v, str):
            return (v.strip(),) if v.strip() else ()
        if not isinstance(v, list):
            self.bad(path, f"'{_name(path)}' moet een tekst of een lijst van teksten zijn")
            return ()
        out = []
        for i, item in enumerate(v):
            if not isinstance(item, str) or not item.strip():
                self.bad(path + (i,), f"'{_name(path)}' bevat iets anders dan een tekst")
                continue
            out.append(item.strip())
        return tuple(out)

    def flag(self, path: tuple, default: bool = False) -> bool:
        v = self.get(path)
        if v is None:
            return default
        yn = yes_no(v)
        if yn is None:
            self.bad(path, f"'{_name(path)}' moet ja of nee zijn (nu: {v!r})")
            return default
        return yn

    def unknown_keys(self, path: tuple, mapping: dict, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for k in mapping:
            if k not in allowed:
                self.bad(path + (k,), f"onbekende sleutel '{k}'", allowed_hint(k, allowed))
