"""One exception family for everything a user can get wrong.

Every error carries what went wrong, where (file and line when known) and what to do,
in Dutch, so that the CLI can print it without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def closest(word: object, options: Iterable[str]) -> str | None:
    """The option nearest to a mistyped word, if one is near enough to suggest."""
    import difflib

    found = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: object, options: Iterable[str]) -> str:
    """The one wording for a suggestion: "Bedoelde u 'x'?", or '' when nothing is near."""
    best = closest(word, options)
    return f"Bedoelde u '{best}'?" if best else ""


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


# Dutch reasons for operating-system errors: `strerror` is English (and locale-dependent).
_READ_REASONS = {
    "EACCES": "geen toestemming om het te lezen",
    "EPERM": "geen toestemming om het te lezen",
}
_WRITE_REASONS = {
    "EACCES": "geen toestemming om hier te schrijven",
    "EPERM": "geen toestemming om hier te schrijven",
    "EEXIST": "er staat al een bestand met die naam",
    "EFBIG": "het bestand wordt te groot",
}
_COMMON_REASONS = {
    "EROFS": "de schijf of map is alleen-lezen",
    "ENOSPC": "de schijf is vol",
    "EDQUOT": "uw schijfruimte (quotum) is op",
    "ENOENT": "het bestand of de map bestaat niet",
    "EISDIR": "het is een map, geen bestand",
    "ENOTDIR": "een deel van het pad is een bestand, geen map",
    "ENAMETOOLONG": "de naam is te lang",
    "ELOOP": "te veel snelkoppelingen (symlinks) achter elkaar",
    "EIO": "lees- of schrijffout op de schijf",
    "EINVAL": "ongeldige bestandsnaam",
    "EBUSY": "het bestand is in gebruik",
    "ETXTBSY": "het bestand is in gebruik",
    "EMFILE": "te veel bestanden tegelijk open",
    "ENXIO": "het apparaat is niet bereikbaar",
}


def os_reason(err: OSError, *, writing: bool = False) -> str:
    """Why `err` happened, in Dutch, without the English `strerror`."""
    import errno

    name = errno.errorcode.get(err.errno or 0, "")
    table = _WRITE_REASONS if writing else _READ_REASONS
    return table.get(name) or _COMMON_REASONS.get(name) or f"systeemfout {err.errno or '?'}"


def os_hint(err: OSError, *, writing: bool = False) -> str:
    """What the user can do about `err`."""
    import errno

    name = errno.errorcode.get(err.errno or 0, "")
    if name == "ENOSPC" or name == "EDQUOT":
        return "Maak ruimte vrij op de schijf of kies een andere map, en probeer het opnieuw."
    if name == "ENOTDIR":
        return "Geef als uitvoermap een map op, geen bestand (bij batch en compare: -o MAP)."
    if writing:
        return "Kies een map waarin u mag schrijven, bijvoorbeeld een map in uw eigen thuismap."
    return "Controleer de naam, de map en de rechten van het bestand."


class WriteError(ZelfscanError, OSError):
    """A file could not be written. Also an OSError, so existing `except OSError` still apply;
    `strerror` holds the Dutch reason."""

    def __init__(self, err: OSError, path: str | Path, what: str = "het bestand") -> None:
        reason = os_reason(err, writing=True)
        super().__init__(f"{what} kan niet worden geschreven ({reason})", file=path,
                         hint=os_hint(err, writing=True))
        self.errno = err.errno
        self.strerror = reason
        self.filename = str(path)

    def __str__(self) -> str:
        return self.problem.format()


def crash_report(context: str = "") -> str:
    """Write the traceback of the exception being handled to a new crash report file
    (`zelfscan-fout-*.txt` in the temp folder) and return its path.

    For the one place that shows it (cli.py) and for batch, validate and compare, which
    report an internal error as that one file's failure. Never raises: when even the
    report cannot be written, the text says so instead of a path.
    """
    import os
    import tempfile
    import traceback

    try:
        fd, path = tempfile.mkstemp(prefix="zelfscan-fout-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            if context:
                fh.write(context + "\n\n")
            traceback.print_exc(file=fh)
    except Exception:  # noqa: BLE001 - a crash report must never cause a second crash
        return "(het foutverslag kon niet worden geschreven)"
    return path


def internal_error_text(subject: str, report: str) -> str:
    """'<file>: interne fout ...' for one file of several; the others go on."""
    return (f"{subject}: er ging iets mis in Zelfscan zelf bij dit bestand (een interne fout); "
            "de andere bestanden zijn wel verwerkt\n"
            f"    → Stuur het foutverslag {report} naar de beheerder.")


class Stopped(BaseException):
    """The process was asked to stop (SIGTERM, or SIGHUP when the terminal closed).

    A BaseException, like KeyboardInterrupt, so that no `except Exception` swallows it and
    atomic writes in progress clean up their temporary file; unlike KeyboardInterrupt the
    chat does not ask "Wilt u stoppen?".
    """

    def __init__(self, signame: str) -> None:
        super().__init__(signame)
        self.signame = signame
