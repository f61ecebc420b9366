"""What a batch run prints: the progress line, the summary table, the failure line."""

from __future__ import annotations

import sys
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


def summary_table(results: list[FileResult]) -> str:
    """Plain-text table for the terminal: gemeente, kwadrant, dreiging, top, status."""
    header = ("Gemeente", "Kwadrant", "Dreiging", "Top prioriteit", "Status")
    rows = []
    for r in results:
        status = ("fout (zie hieronder)" if not r.ok else f"al klaar ({r.folder})" if r.resumed
                  else f"geschreven ({r.folder})")
        rows.append((
            _clip(r.municipality or Path(r.path).name), _clip(r.quadrant or "—"),
            _clip(r.threat or "—"),
            _clip(r.priorities[0] if r.priorities else ("bijhouden" if r.ok else "—")), status,
        ))
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(header)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int = 40) -> str:
    # Names come from files: keep one line and no control characters on the terminal.
    text = "".join(ch if ch.isprintable() else " " for ch in str(text)).strip()
    return text if len(text) <= width else text[: width - 1] + "…"
