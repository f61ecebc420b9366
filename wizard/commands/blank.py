"""`zelfscan blank`: write a blank answers file (YAML or an Excel workbook)."""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path
from typing import Any

from wizard.answers.store import blank_answers_text
from wizard.errors import UsageError, ZelfscanError, os_hint, os_reason
from wizard.files.yamlio import atomic_write_text


def command_blank(args: argparse.Namespace) -> int:
    """`zelfscan blank [-o FILE | --xlsx FILE] [--force]`: write a blank answers file."""
    from wizard.questionnaire.loader import load_questionnaire

    q = load_questionnaire(getattr(args, "vragenlijst", None))
    # The date the file is made: the officer changes it if they fill it in later.
    today = _dt.date.today().isoformat()
    force = bool(getattr(args, "force", False))
    n = sum(1 for _ in q.questions())
    xlsx = getattr(args, "xlsx", None)
    target_arg = getattr(args, "uitvoer", None)
    # Check the names before anything is written: a workbook named .yaml (or YAML named
    # .xlsx) would be written fine and then refused by `zelfscan batch`.
    if xlsx and target_arg:
        raise UsageError("-o en --xlsx gaan niet samen: kies een YAML-bestand of een "
                         "Excel-werkmap",
                         hint="Bijv. 'zelfscan blank -o antwoorden.yaml' of "
                              "'zelfscan blank --xlsx antwoorden.xlsx'.")
    if xlsx and not xlsx.lower().endswith(".xlsx"):
        raise UsageError("een Excel-werkmap moet een naam hebben die op .xlsx eindigt",
                         file=xlsx, hint=f"Bijv. --xlsx {Path(xlsx).stem or 'antwoorden'}.xlsx")
    if target_arg and target_arg.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise UsageError("-o schrijft een YAML-bestand, geen Excel-werkmap", file=target_arg,
                         hint=f"Voor Excel: --xlsx {target_arg}. Voor YAML: "
                              f"-o {Path(target_arg).stem}.yaml")
    if xlsx:
        path = _writable_target(Path(xlsx), force, "--xlsx werkmap.xlsx")
        try:
            from wizard.answers.xlsx import write_blank_xlsx
        except ImportError:
            raise ZelfscanError(
                "Excel-uitvoer is nog niet beschikbaar in deze installatie",
                hint="Laat --xlsx weg; het YAML-bestand opent in elke teksteditor.",
            ) from None
        _write_or_fail(path, lambda: write_blank_xlsx(q, path, date=today,
                                                      progress=_progress(n)))
        print(f"Lege Excel-werkmap geschreven: {path} ({n} vragen).")
        print(f"Vul kolom 'antwoord' in en maak daarna het plan met: zelfscan batch {path}")
        return 0
    target = getattr(args, "uitvoer", None) or "antwoorden.yaml"
    text = blank_answers_text(q, date=today)
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    path = _writable_target(Path(target), force, "-o antwoorden.yaml")
    _write_or_fail(path, lambda: atomic_write_text(path, text, private=True))
    print(f"Leeg antwoordbestand geschreven: {path} ({n} vragen).")
    print(f"Vul het in en maak daarna het plan met: zelfscan batch {path}")
    return 0


LARGE = 2000  # questions from which making the workbook takes seconds: say so


def _progress(n: int) -> Any:
    """A progress callback for a large workbook: a line first, then (on a terminal) a
    counter that overwrites itself."""
    if n < LARGE:
        return None
    sys.stderr.write(f"Grote vragenlijst ({n} vragen): de werkmap maken duurt even.\n")
    sys.stderr.flush()
    try:
        live = sys.stderr.isatty()
    except (AttributeError, ValueError):
        live = False
    if not live:
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\rWerkmap maken: {done} van {total} vragen{end}")
        sys.stderr.flush()

    return show


def _writable_target(path: Path, force: bool, example: str) -> Path:
    if path.is_dir():
        raise ZelfscanError("dit is een map, geen bestand", file=path,
                            hint=f"Geef een bestandsnaam, bijv. {example}.")
    if path.exists() and not force:
        raise ZelfscanError(
            "het bestand bestaat al; het wordt niet overschreven",
            file=path,
            hint="Kies een andere naam met -o, of gebruik --force om het te overschrijven.",
        )
    return path


def _write_or_fail(path: Path, write: Any) -> None:
    try:
        write()
    except OSError as e:
        raise ZelfscanError(f"het bestand kan niet worden geschreven ({os_reason(e, writing=True)})",
                            file=path, hint=os_hint(e, writing=True)) from None
