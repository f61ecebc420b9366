"""The plan's fixed Dutch texts (questionnaires/plan.yaml): read, checked with file:line.

The file sits next to the questionnaire's other rule files (scoring.yaml,
ondersteuning.yaml); a custom questionnaire folder without one uses the built-in file.
Placeholders are a closed set ({gemeente}, {datum}, ...): filled in with plain replacement,
never with str.format, so a text can never reach an attribute or an index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from wizard.errors import Problem, ValidationError
from wizard.files.yamlio import YamlDoc, load_yaml

FILE = "plan.yaml"
REGISTERS = ("beeld", "basis", "gericht", "stevig")
URGENCIES = ("hoog", "middel", "laag")
PLACEHOLDERS = {"gemeente", "datum", "evaluatiemaand", "prioriteiten", "aantal", "onderdeel",
                "nodig", "nu"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class PlanTexts:
    data: dict[str, Any]
    file: str

    def get(self, *path: str) -> Any:
        node: Any = self.data
        for key in path:
            node = node[key]
        return node

    def text(self, *path: str, **values: Any) -> str:
        return fill(self.get(*path), **values)

    def texts(self, *path: str, **values: Any) -> list[str]:
        return [fill(t, **values) for t in self.get(*path)]


def fill(text: str, **values: Any) -> str:
    """Replace {name} by values[name]; unknown names stay as written (checked at load)."""
    return _PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


# (path, kind): 'str', 'list' (of str), 'map' (of str), 'reg' (a str per register),
# 'urg' (a str per urgency), 'int-reg' (a whole number per register).
_SCHEMA: tuple[tuple[tuple[str, ...], str], ...] = (
    (("aanleiding",), "list"),
    (("betekenis",), "reg"),
    (("besluitpunten", "ambitie"), "reg"),
    (("besluitpunten", "prioriteiten"), "str"),
    (("besluitpunten", "bijhouden"), "str"),
    (("besluitpunten", "nu_regelen"), "str"),
    (("besluitpunten", "capaciteit"), "str"),
    (("besluitpunten", "evaluatie"), "str"),
    (("agenda", "trekker"), "str"),
    (("agenda", "partners"), "str"),
    (("agenda", "termijn"), "urg"),
    (("agenda", "inzet"), "reg"),
    (("agenda", "resultaat"), "str"),
    (("agenda", "bijhouden"), "str"),
    (("financien", "budgetvraag"), "str"),
    (("financien", "register"), "reg"),
    (("financien", "steun"), "list"),
    (("financien", "steun_bij_verhoogde_dreiging"), "list"),
    (("monitoring", "herhalen_na_maanden"), "int-reg"),
    (("monitoring", "tekst"), "list"),
    (("monitoring", "kijken_naar"), "list"),
    (("communicatie",), "list"),
    (("zegt_niets",), "list"),
    (("eerste_persoon",), "map"),
    (("koppen",), "map"),
)


def check(doc: YamlDoc) -> list[Problem]:
    problems: list[Problem] = []

    def bad(path: tuple[Any, ...], message: str, hint: str) -> None:
        line = doc.line(*path)
        while line is None and path:  # a missing key: point at its parent
            path = path[:-1]
            line = doc.line(*path) if path else 1
        problems.append(Problem(message, doc.file, line, hint))

    data = doc.data
    if not isinstance(data, dict):
        return [Problem("het bestand moet sleutels bevatten (aanleiding, besluitpunten, ...)",
                        doc.file, 1, "Vergelijk het met het ingebouwde plan.yaml.")]
    for path, kind in _SCHEMA:
        node: Any = data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        where = ".".join(path)
        if node is None:
            bad(path, f"'{where}' ontbreekt", "Neem het over uit het ingebouwde plan.yaml.")
            continue
        expected = {"str": str, "list": list}.get(kind, dict)
        if not isinstance(node, expected):
            what = {"str": "een tekst", "list": "een lijst met teksten"}.get(kind, "sleutels")
            bad(path, f"'{where}' moet {what} zijn", "Zie de uitleg bovenaan plan.yaml.")
            continue
        if kind in ("reg", "urg", "int-reg"):
            keys = REGISTERS if kind != "urg" else URGENCIES
            for k in keys:
                if k not in node:
                    bad(path, f"'{where}' mist '{k}'", f"Geef een waarde voor {', '.join(keys)}.")
            values = [(path + (k,), v) for k, v in node.items()]
        elif kind == "map":
            values = [(path + (k,), v) for k, v in node.items()]
        elif kind == "list":
            values = [(path + (i,), v) for i, v in enumerate(node)]
        else:
            values = [(path, node)]
        for p, v in values:
            if kind == "int-reg":
                if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 120:
                    bad(p, f"'{where}' moet een heel aantal maanden zijn (1 tot 120)",
                        "Bijvoorbeeld 12.")
                continue
            if not isinstance(v, str) or not v.strip():
                bad(p, f"'{where}' moet een (niet lege) tekst zijn", "Zet de tekst erachter.")
                continue
            for name in _PLACEHOLDER.findall(v):
                if name not in PLACEHOLDERS:
                    bad(p, f"onbekend invulwoord '{{{name}}}' in '{where}'",
                        "Toegestaan: " + ", ".join(f"{{{x}}}" for x in sorted(PLACEHOLDERS)))
    return problems


def texts_path(q: Any) -> Path:
    """plan.yaml next to the questionnaire; the built-in one when that folder has none."""
    from wizard.files.resources import data_dir

    base = Path(q.source_file).parent if getattr(q, "source_file", None) else data_dir()
    own = base / FILE
    return own if own.is_file() else data_dir() / FILE


def load_texts(q: Any = None, path: str | Path | None = None) -> PlanTexts:
    """Read and check plan.yaml (ValidationError with every problem, file:line)."""
    from wizard.files.resources import data_dir

    p = Path(path) if path else (texts_path(q) if q is not None else data_dir() / FILE)
    return _load(str(p), p.stat().st_mtime_ns if p.exists() else 0)


@cache
def _load(path: str, _mtime: int) -> PlanTexts:
    doc = load_yaml(path, what="planteksten (plan.yaml)")
    problems = check(doc)
    if problems:
        raise ValidationError(problems, summary="Fouten in de planteksten:")
    return PlanTexts(doc.data, doc.file)
