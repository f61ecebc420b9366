"""`zelfscan compare`: a progress report from two assessments of one municipality."""

from __future__ import annotations

import argparse
import os
import sys

from wizard.assessment.compare import compare_files
from wizard.errors import UsageError, ZelfscanError, crash_report
from wizard.plan.progress import write_report


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # a missing file is reported when it is read
        return False


def _culprit(paths: list[str], q: object) -> str:
    """The file whose reading fails unexpectedly (only looked for after a crash)."""
    from wizard.assessment.compare import load_for_compare

    for path in paths:
        try:
            load_for_compare(path, q)  # type: ignore[arg-type]
        except ZelfscanError:
            continue
        except Exception:  # noqa: BLE001 - this is the one
            return path
    return " en ".join(paths)  # both read fine: the comparison itself failed


def command_compare(args: argparse.Namespace) -> int:
    """`zelfscan compare OUD NIEUW [-o MAP]`."""
    from wizard.questionnaire.loader import load_questionnaire

    if _same_file(args.oud, args.nieuw):
        # Comparing a scan with itself always says "no change": surely a typo.
        raise UsageError(
            "OUD en NIEUW zijn hetzelfde bestand; er valt niets te vergelijken",
            file=args.nieuw,
            hint="Geef eerst het antwoordbestand van de eerdere zelfscan en daarna dat van de "
                 "nieuwe, bijv. 'zelfscan compare gemeente-2025.yaml gemeente-2026.yaml'.")
    q = load_questionnaire(getattr(args, "vragenlijst", None))
    try:
        c = compare_files(args.oud, args.nieuw, q)
    except ZelfscanError:
        raise
    except Exception:  # noqa: BLE001 - name the file that caused it, with the crash report
        raise ZelfscanError(
            "er ging iets mis in Zelfscan zelf bij het lezen of vergelijken van dit bestand "
            "(een interne fout)", file=_culprit([args.oud, args.nieuw], q),
            hint=f"Stuur het foutverslag {crash_report('compare')} naar de beheerder.",
        ) from None
    if c.old_date and c.new_date and str(c.old_date) > str(c.new_date):
        # ISO dates compare as text. Not an error (a redo may be dated earlier), but a
        # swapped order turns every improvement into a decline.
        print(f"Let op: OUD ({args.oud}, {c.old_date}) is van na NIEUW ({args.nieuw}, "
              f"{c.new_date}). Bedoelde u 'zelfscan compare {args.nieuw} {args.oud}'?",
              file=sys.stderr)
    out_dir = getattr(args, "uitvoer", None) or "outputs"
    paths = write_report(c, out_dir)
    print(f"Voortgangsrapport geschreven: {paths[0]} en {paths[1]}")
    imp, slip = len(c.by_change("verbeterd")), len(c.by_change("achteruit"))
    print(f"{imp} onderdelen verbeterd, {slip} achteruitgegaan; "
          f"{len(c.priorities_closed)} prioriteiten afgerond, {len(c.priorities_new)} nieuw.")
    return 0
