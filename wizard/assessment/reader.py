"""Reading the rule files (scoring.yaml, ondersteuning.yaml, stappen.yaml, acuut.yaml).

`Reader` is the shared `wizard.rules.reader.RuleReader` (every problem with file:line, in
Dutch, one suggestion style) plus conditions in the rule language. Shared by scoring, threat,
steps, acute and support.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wizard.errors import Problem
from wizard.files.yamlio import YamlDoc
from wizard.questionnaire import conditions
from wizard.questionnaire.conditions import normalise_condition
from wizard.questionnaire.model import Questionnaire
from wizard.rules.reader import RuleReader, fmt

DEFAULT_FILES = {"scoring": "scoring.yaml", "ondersteuning": "ondersteuning.yaml",
                 "stappen": "stappen.yaml", "acuut": "acuut.yaml"}


class Reader(RuleReader):
    """The rule-file reader of the assessment: RuleReader plus conditions in the rule
    language, checked against the questionnaire."""

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


__all__ = ["Reader", "check_choice_values", "config_path", "fmt", "optional_config"]
