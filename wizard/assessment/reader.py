"""Reading the rule files (scoring.yaml, ondersteuning.yaml, stappen.yaml, acuut.yaml).

`Reader` walks a YamlDoc and collects every problem with file:line, in Dutch, so one run of
`zelfscan validate` names them all. Shared by scoring, threat, steps, acute and support.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wizard.errors import Problem
from wizard.files.yamlio import YamlDoc
from wizard.questionnaire import conditions
from wizard.questionnaire.conditions import normalise_condition, yes_no
from wizard.questionnaire.model import Questionnaire

DEFAULT_FILES = {"scoring": "scoring.yaml", "ondersteuning": "ondersteuning.yaml",
                 "stappen": "stappen.yaml", "acuut": "acuut.yaml"}


class Reader:
    """Collects every problem in a YAML document, each with file:line."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

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
                         "Vergelijk met het meegeleverde scoring.yaml.")
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
            self.bad(path, f"'{_name(path)}' moet ja of nee zijn")
            return default
        return yn

    def condition(self, path: tuple, q: Questionnaire, *, levels: Iterable[str] = (),
                  where: str = "") -> Any:
        """A condition in the rule language (see conditions.py), checked against `q`."""
        raw = self.get(path)
        if raw is None:
            return None
        cond = normalise_condition(raw)
        self.problems.extend(conditions.check(
            cond, file=self.doc.file, line_of=self.doc.line, path=path,
            question_ids={qq.id for qq in q.questions()},
            component_ids={s.id for s in q.components()}, threat_levels=set(levels),
            allow_advice_terms=True, where=where))
        self.problems.extend(check_choice_values(cond, path, q, self.doc))
        return cond

    def unknown_keys(self, path: tuple, mapping: dict, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for k in mapping:
            if k not in allowed:
                self.bad(path + (k,), f"onbekende sleutel '{k}'",
                         "Toegestaan: " + ", ".join(allowed) + ".")


def _name(path: tuple) -> str:
    parts = [str(p) for p in path if not isinstance(p, int)]
    return parts[-1] if parts else "bestand"


def fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace(".", ",")


def config_path(q: Questionnaire, key: str) -> Path:
    """Where the rule file `key` ('scoring', 'ondersteuning', 'stappen', 'acuut') lives."""
    from wizard.files.resources import data_dir

    default = DEFAULT_FILES.get(key, key)
    raw = q.config_files.get(key) or default
    p = Path(raw)
    if p.is_absolute():
        return p
    base = Path(q.source_file).parent if q.source_file else data_dir()
    return base / p


def optional_config(q: Questionnaire, key: str) -> Path | None:
    """The rule file `key`, or None when the manifest does not name it and the default file
    is absent (a custom questionnaire without steps or acute rules: none apply)."""
    if q.config_files.get(key):
        return config_path(q, key)
    if not q.source_file:  # built in code (tests): only the files it names
        return None
    p = config_path(q, key)
    return p if p.is_file() else None


def check_choice_values(cond: Any, path: tuple, q: Questionnaire, doc: YamlDoc) -> list[Problem]:
    """`is`/`niet_is`/`in` on a choice question must name one of its options (a typo such
    as 'Rotterdam' would otherwise silently never match)."""
    from wizard.questionnaire.model import CHOICE

    out: list[Problem] = []
    if isinstance(cond, list):
        for i, c in enumerate(cond):
            out += check_choice_values(c, path + (i,), q, doc)
        return out
    if not isinstance(cond, dict):
        return out
    qid = cond.get("vraag")
    if isinstance(qid, str) and q.has_question(qid) and q.question(qid).kind == CHOICE:
        allowed = [str(v) for v in q.question(qid).allowed_values()]
        for op in ("is", "niet_is", "in"):
            if op not in cond:
                continue
            vals = cond[op] if op == "in" and isinstance(cond[op], list) else [cond[op]]
            for v in vals:
                if str(v) not in allowed:
                    out.append(Problem(
                        f"'{v}' is geen keuze bij vraag '{qid}'", doc.file,
                        doc.line(*path, op), "Mogelijke keuzes: " + ", ".join(allowed) + "."))
    for k, v in cond.items():
        if isinstance(v, (dict, list)):
            out += check_choice_values(v, path + (k,), q, doc)
    return out
