"""What a batch run prints: the progress line, the summary table, the failure line."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from wizard.batch.model import FileResult


def _progress(i: int, n: int, enabled: bool) -> None:
    if enabled:
        width = len(str(n))
        sys.stderr.write(f"\r[{i:>{width}}/{n}] ")
        sys.stderr.flush()


def failure_line(failed: int, total: int) -> str:
    """The Dutch summary of failed files; only says 'the others are written' when there
    are others."""
    ok = total - failed
    if ok == 0:
        if total == 1:
            return "zelfscan: het bestand is niet gelukt; er is geen plan geschreven."
        return (f"zelfscan: geen van de {total} bestanden is gelukt; er is geen plan "
                "geschreven.")
    word = "bestanden is" if failed == 1 else "bestanden zijn"  # '1 van de 3 bestanden is'
    rest = "het andere plan is" if ok == 1 else f"de andere {ok} plannen zijn"
    return (f"zelfscan: {failed} van de {total} {word} niet gelukt en overgeslagen; "
            f"{rest} wel geschreven.")


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


HEADER = ("Gemeente", "Kwadrant", "Dreiging", "Top prioriteit", "Status")


class SummaryTable:
    """Plain-text table for the terminal: gemeente, kwadrant, dreiging, top, status.

    The column widths are counted as results arrive (`add`); the rows are made again when
    the table is written (`lines`), from results read back from disk: a run of thousands of
    files holds no row (issue 17: flat memory)."""

    def __init__(self) -> None:
        self.widths = [len(h) for h in HEADER]

    def add(self, r: FileResult) -> None:
        self.widths = [max(w, len(c)) for w, c in zip(self.widths, _row(r))]

    def lines(self, results: Iterable[FileResult]) -> Iterator[str]:
        """The table, a line at a time (each with its newline)."""
        yield "  ".join(c.ljust(w) for c, w in zip(HEADER, self.widths)).rstrip() + "\n"
        yield "  ".join("-" * w for w in self.widths) + "\n"
        for r in results:
            yield "  ".join(c.ljust(w) for c, w in zip(_row(r), self.widths)).rstrip() + "\n"


def _row(r: FileResult) -> tuple[str, ...]:
    status = ("fout (zie hieronder)" if not r.ok else f"al klaar ({r.folder})" if r.resumed
              else f"geschreven ({r.folder})")
    return (_clip(r.municipality or Path(r.path).name), _clip(r.quadrant or "—"),
            _clip(r.threat or "—"),
            _clip(r.priorities[0] if r.priorities else ("bijhouden" if r.ok else "—")), status)


def _clip(text: str, width: int = 40) -> str:
    # Names come from files: keep one line and no control characters on the terminal.
    text = "".join(ch if ch.isprintable() else " " for ch in str(text)).strip()
    return text if len(text) <= width else text[: width - 1] + "…"
