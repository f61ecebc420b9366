"""One exception family for everything a user can get wrong.

Every error carries what went wrong, where (file and line when known) and what to do,
in Dutch, so that the CLI can print it without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Exit codes shared by all commands.
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where, what, and (optionally) what to do."""

    message: str
    file: str | None = None
    line: int | None = None
    hint: str | None = None

    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or ""

    def format(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text += f"\n    → {self.hint}"
        return text


class ZelfscanError(Exception):
    """A user-facing error. `str(err)` is the Dutch message to print."""

    exit_code = EXIT_ERROR

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.problem = Problem(message, str(file) if file is not None else None, line, hint)
        super().__init__(self.problem.format())

    @property
    def problems(self) -> list[Problem]:
        return [self.problem]


class ValidationError(ZelfscanError):
    """Several problems in one file, reported together."""

    def __init__(self, problems: list[Problem], *, summary: str | None = None) -> None:
        self._problems = list(problems)
        first = self._problems[0]
        super().__init__(first.message, file=first.file, line=first.line, hint=first.hint)
        self.summary = summary
        lines = [summary] if summary else []
        lines += [p.format() for p in self._problems]
        self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return str(self.args[0])

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)


class UsageError(ZelfscanError):
    """Wrong command-line use."""

    exit_code = EXIT_USAGE
