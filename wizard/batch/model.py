"""The values a batch run passes around (picklable, for the worker processes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.questionnaire.model import Questionnaire


@dataclass(frozen=True)
class BatchContext:
    """Everything loaded once per run; shared (read-only) by every file."""

    q: Questionnaire
    config: Any  # wizard.assessment.scoring.ScoringConfig
    rules: Any  # wizard.assessment.advice.SupportRules
    out_dir: Path
    force: bool = False
    public_only: bool = False  # --alleen-openbaar: no annex, no answers file
    vorige: str | None = None  # --vorige: previous answers file, for a progress section
    word: bool = True  # --zonder-word turns the .docx files off
    resume: bool = False  # --hervat: continue an interrupted run into the same folder
    fingerprint: str = ""  # wizard.batch.resume.run_fingerprint of this run


@dataclass(slots=True)  # not frozen: a frozen slots class does not unpickle on 3.10.0
class AnswersHead:
    """What the first pass over the files keeps of a loaded answers file: the name and the
    date (for the folder names of the whole run). The answers themselves are read again
    when the plan is made, so a run of thousands of files never holds them all (issue 17:
    flat memory)."""

    name: Any
    date: Any

    @property
    def values(self) -> dict[str, Any]:  # read like Answers.values
        return {"intake.gemeente": self.name}

    @classmethod
    def of(cls, answers: Any) -> AnswersHead:
        return cls(answers.values.get("intake.gemeente"), answers.date)


@dataclass(slots=True)
class Loaded:
    path: str
    answers: Any = None  # wizard.answers.store.Answers, or None when loading failed
    error: str = ""
    is_vorige: bool = False  # the same file as --vorige: no progress section
    digest: str = ""  # wizard.batch.resume.input_digest: what the plan is made from


@dataclass(slots=True)
class Task:
    """One plan to make: where, and what to do with a plan already in that folder."""

    loaded: Loaded
    folder: str
    force: bool = False  # replace what is there (--force, or a folder of the interrupted run)
    done: list[str] | None = None  # --hervat: the files of a complete identical plan: skip
    fresh: bool = False  # the folder had no plan when this run started: this run's to write


@dataclass
class FileResult:
    """One row of the summary and the overview."""

    path: str
    municipality: str = ""
    date: str = ""
    folder: str = ""
    ok: bool = False
    error: str = ""
    threat: str = ""
    resilience: str = ""
    quadrant: str = ""
    priorities: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    warning: str = ""  # Dutch, for stderr (e.g. --vorige is of another municipality)
    privacy: list[str] = field(default_factory=list)  # findings in free text (never values)
    resumed: bool = False  # --hervat found this plan complete: not written again
    # What the overview needs of a written plan (wizard.plan.overview.Summary).
    outcome: Any = field(default=None, repr=False, compare=False)
