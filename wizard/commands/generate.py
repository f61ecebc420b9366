"""`zelfscan generate`: make the questionnaire module from the plan template."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from wizard.errors import ZelfscanError, os_hint, os_reason
from wizard.files.slug import slugify
from wizard.files.yamlio import atomic_write_text
from wizard.questionnaire import overlay
from wizard.questionnaire.generate import (
    CLASSIFICATION_NAME,
    CORRECTIONS_NAME,
    OUTPUT_NAME,
    build_module,
    load_confidential_sections,
    load_corrections,
    render_module,
    unused_corrections,
)
from wizard.questionnaire.template import read_template


def _folder(args: argparse.Namespace) -> Path:
    """Where aanpak.yaml goes and where classificatie.yaml, correcties.yaml and
    stellingen.yaml are read: -o MAP, else the questionnaire in use (--vragenlijst or
    ZELFSCAN_VRAGENLIJST), else the built-in folder, but only in a source checkout: in an
    installed Zelfscan that is a copy inside the package, and an edit there is lost at the
    next install (issue 14)."""
    if args.uitvoer:
        return Path(args.uitvoer)
    if getattr(args, "vragenlijst", None):
        return Path(args.vragenlijst).parent
    from importlib import resources

    from wizard.files.resources import data_dir

    installed = (resources.files("wizard") / "questionnaires").is_dir()
    if installed and not args.check:
        raise ZelfscanError(
            "de ingebouwde vragenlijst is een kopie binnen de geïnstalleerde Zelfscan; daar "
            "wordt niets geschreven (bij de volgende installatie zou het verloren gaan)",
            file=data_dir(),
            hint="Maak een eigen kopie met 'zelfscan vragenlijst kopieer MAP' en genereer "
                 "daarin: 'zelfscan --vragenlijst MAP generate MAP/bron/plan-van-aanpak.txt'.")
    return data_dir()


def _own(folder: Path, name: str) -> Path | None:
    """The folder's own copy of a generator file, or None for the built-in one."""
    p = folder / name
    return p if p.is_file() else None


def command_generate(args: argparse.Namespace) -> int:
    doc = read_template(args.sjabloon)
    out_dir = _folder(args)
    confidential = load_confidential_sections(_own(out_dir, CLASSIFICATION_NAME))
    corrections = load_corrections(_own(out_dir, CORRECTIONS_NAME))
    edits = overlay.load_overlay(_own(out_dir, overlay.OVERLAY_NAME))
    text = render_module(doc, confidential, corrections, edits)
    known = {slugify(r.title) for r in doc.rows}
    for sid in sorted(confidential - known):
        print(f"Let op: '{sid}' uit {CLASSIFICATION_NAME} is geen onderdeel van {doc.name}; "
              "deze regel doet niets.", file=sys.stderr)
    generated = {q["id"] for s in build_module(doc, confidential, corrections, {})["secties"]
                 for q in s["vragen"]}
    for edit in overlay.unused(edits, generated):
        print(f"Let op: '{edit.id}' uit {overlay.OVERLAY_NAME} (regel {edit.line}) is geen vraag "
              f"die {doc.name} oplevert; deze regel doet niets.", file=sys.stderr)
    for old, _ in unused_corrections(doc, corrections):
        print(f"Let op: de tekst '{old}' uit {CORRECTIONS_NAME} komt niet voor in {doc.name}; "
              "deze correctie doet niets.", file=sys.stderr)
    target = out_dir / OUTPUT_NAME
    n_sections = len(doc.rows)
    n_questions = sum(len(r.questions) for r in doc.rows)
    if args.check:
        try:
            current = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ZelfscanError(
                "de vragenlijst bestaat nog niet", file=target,
                hint=f"Maak hem met 'zelfscan generate {args.sjabloon}'.",
            ) from None
        except OSError as e:
            raise ZelfscanError(f"de vragenlijst kan niet worden gelezen ({os_reason(e)})",
                                file=target, hint=os_hint(e)) from None
        except UnicodeDecodeError:
            raise ZelfscanError("de vragenlijst is geen geldige UTF-8-tekst", file=target,
                                hint="Genereer hem opnieuw (zonder --check).") from None
        if current == text:
            print(f"{target} is actueel: klopt met {doc.name}.")
            return 0
        diff = list(difflib.unified_diff(
            current.splitlines(keepends=True), text.splitlines(keepends=True),
            fromfile=f"{target} (nu)", tofile=f"{target} (uit {doc.name})", n=1,
        ))
        shown = diff[:40]
        sys.stdout.writelines(shown)
        if len(diff) > len(shown):
            print(f"... ({len(diff) - len(shown)} regels verschil niet getoond)")
        raise ZelfscanError(
            f"de vragenlijst klopt niet meer met het sjabloon {doc.name}",
            file=target,
            hint=f"Genereer hem opnieuw met 'zelfscan generate {args.sjabloon}'"
            + (f" -o {args.uitvoer}" if args.uitvoer else "") + ".",
        )
    try:
        atomic_write_text(target, text)
    except OSError as e:
        raise ZelfscanError(
            f"de vragenlijst kan niet worden geschreven ({e.strerror})", file=target,
            hint=os_hint(e, writing=True),
        ) from None
    print(
        f"Vragenlijst geschreven: {target} ({n_sections} onderdelen uit {doc.name}, "
        f"{len(doc.objectives)} doelstellingen, {n_questions} open vragen)."
    )
    return 0
