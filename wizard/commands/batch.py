"""`zelfscan batch`: plans for many answers files at once."""

from __future__ import annotations

import argparse
from pathlib import Path

from wizard.batch import DEFAULT_OUTPUT, run_batch


def command_batch(args: argparse.Namespace) -> int:
    files = list(args.bestanden)
    out_dir = Path(args.uitvoer) if getattr(args, "uitvoer", None) else Path(DEFAULT_OUTPUT)
    code, _ = run_batch(files, out_dir, force=bool(getattr(args, "force", False)),
                        vragenlijst=getattr(args, "vragenlijst", None),
                        public_only=bool(getattr(args, "alleen_openbaar", False)),
                        vorige=getattr(args, "vorige", None),
                        word=not bool(getattr(args, "zonder_word", False)),
                        resume=bool(getattr(args, "hervat", False)))
    return code
