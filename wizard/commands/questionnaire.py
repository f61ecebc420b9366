"""`zelfscan vragenlijst kopieer MAP` and `zelfscan vragenlijst toon`: an own questionnaire.

After `pip install .` the built-in questionnaire lives inside the installed package; editing
the project's questionnaires/ folder has no effect. An adviser makes an own copy, edits it,
and points Zelfscan at it with --vragenlijst MAP or ZELFSCAN_VRAGENLIJST (issue 14).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wizard.questionnaire.source import ENV, Choice, copy_builtin


def command_copy(args: argparse.Namespace) -> int:
    target = Path(args.map)
    files = copy_builtin(target)
    shown = str(target)
    quoted = f'"{shown}"' if any(c.isspace() for c in shown) else shown
    print(f"Vragenlijst gekopieerd naar {target} ({len(files)} bestanden).")
    print("Volgende stappen:")
    print(f"  1. Pas de bestanden in {target} aan (uitleg: {target / 'LEESMIJ.md'}).")
    print(f"  2. Controleer ze:  zelfscan --vragenlijst {quoted} validate")
    print(f"  3. Gebruik ze:     zelfscan --vragenlijst {quoted} start   (of batch, blank, ...)")
    print(f"     Voor een heel team: zet de omgevingsvariabele {ENV}={target.resolve()}")
    return 0


def command_show(args: argparse.Namespace) -> int:
    choice = getattr(args, "vragenlijst_keuze", None) or Choice(None)
    print(f"Zelfscan gebruikt {choice.describe()}.")
    return 0
