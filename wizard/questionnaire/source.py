"""Which questionnaire a run uses: the built-in one or an adviser's own copy (issue 14).

After `pip install .` the built-in questionnaire is a copy inside the installed package:
editing `questionnaires/` in the project folder changes nothing. The supported way is an own
copy (`zelfscan vragenlijst kopieer MAP`), chosen per command with `--vragenlijst MAP` or for
a whole team with the environment variable ZELFSCAN_VRAGENLIJST. This module resolves that
choice, describes it in Dutch (validate always says what it checked), makes the copy, and
notices a `questionnaires/` folder in the current directory that differs from the built-in
one but is not in use.

    choose(option, environ) -> Choice
    copy_builtin(target) -> list[Path]
    unused_local_folder(choice, cwd) -> Path | None
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from wizard.errors import ZelfscanError, os_hint, os_reason

ENV = "ZELFSCAN_VRAGENLIJST"
MANIFEST = "zelfscan.yaml"
LOCAL_FOLDER = "questionnaires"
BUILTIN, OPTION, ENVIRONMENT = "ingebouwd", "--vragenlijst", ENV


@dataclass(frozen=True)
class Choice:
    """The questionnaire of this run: `manifest` None means the built-in one."""

    manifest: Path | None
    origin: str = BUILTIN  # BUILTIN, OPTION or ENVIRONMENT

    def describe(self) -> str:
        """Dutch, for validate and messages: which questionnaire, and why this one."""
        if self.manifest is None:
            from wizard.files.resources import data_dir

            return f"de ingebouwde vragenlijst ({data_dir()})"
        how = "via --vragenlijst" if self.origin == OPTION else f"via {ENV}"
        return f"eigen vragenlijst {self.manifest} ({how})"


def manifest_of(path: str | Path) -> Path:
    """A questionnaire folder or its main file -> the main file (zelfscan.yaml)."""
    p = Path(path)
    return p / MANIFEST if p.is_dir() else p


def choose(option: str | None, environ: Mapping[str, str] | None = None) -> Choice:
    """The questionnaire for this run: --vragenlijst, else ZELFSCAN_VRAGENLIJST, else the
    built-in one. A folder stands for its zelfscan.yaml; a folder without one is an error
    (better than silently using the built-in questionnaire)."""
    env = os.environ if environ is None else environ
    raw, origin = (option, OPTION) if option else (env.get(ENV, "").strip(), ENVIRONMENT)
    if not raw:
        return Choice(None)
    where = "--vragenlijst" if origin == OPTION else f"de omgevingsvariabele {ENV}"
    p = Path(raw).expanduser()
    if p.is_dir() and not (p / MANIFEST).is_file():
        raise ZelfscanError(
            f"{p} (uit {where}) is een map zonder {MANIFEST}",
            hint="Maak een eigen kopie van de vragenlijst met 'zelfscan vragenlijst kopieer "
                 "MAP' en geef die map op.")
    if not p.exists():
        raise ZelfscanError(
            f"de vragenlijst {p} (uit {where}) bestaat niet",
            hint="Controleer de naam, of maak een eigen kopie met 'zelfscan vragenlijst "
                 "kopieer MAP'.")
    return Choice(manifest_of(p), origin)


# Never copied: caches the package may hold next to the data.
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


def copy_builtin(target: str | Path) -> list[Path]:
    """Copy the built-in questionnaire folder (questions, scoring, support and advice rules,
    case words, classification, the template source, schemas, LEESMIJ.md) to `target`, a
    new or empty folder. Returns the files written. Nothing is overwritten."""
    from wizard.files.resources import data_dir

    out = Path(target)
    if out.exists() and not out.is_dir():
        raise ZelfscanError("hier staat al een bestand; een kopie van de vragenlijst hoort in "
                            "een map", file=out, hint="Kies een nieuwe mapnaam.")
    if out.is_dir() and any(out.iterdir()):
        raise ZelfscanError(
            "deze map is niet leeg; er is niets gekopieerd", file=out,
            hint="Kies een nieuwe (of lege) map, zodat geen eigen bestand wordt overschreven.")
    source = data_dir()
    try:
        shutil.copytree(source, out, ignore=_SKIP, dirs_exist_ok=True)
    except (OSError, shutil.Error) as e:
        err = e if isinstance(e, OSError) else OSError(str(e))
        raise ZelfscanError(f"de vragenlijst kon niet worden gekopieerd ({os_reason(err)})",
                            file=out, hint=os_hint(err, writing=True)) from None
    return sorted(p for p in out.rglob("*") if p.is_file())


def _differs(a: Path, b: Path) -> bool:
    """True when the two folders do not hold the same files with the same bytes."""
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__", ".DS_Store"])
    stack = [cmp]
    while stack:
        d = stack.pop()
        if d.left_only or d.right_only or d.funny_files:
            return True
        _, mismatch, errors = filecmp.cmpfiles(d.left, d.right, d.common_files, shallow=False)
        if mismatch or errors:
            return True
        stack.extend(d.subdirs.values())
    return False


def unused_local_folder(choice: Choice, cwd: str | Path | None = None) -> Path | None:
    """./questionnaires when it looks like a questionnaire, differs from the built-in one
    and is not the one this run uses (the trap of editing the project folder after
    `pip install .`); else None."""
    from wizard.files.resources import data_dir

    local = Path(cwd or ".") / LOCAL_FOLDER
    if not (local / MANIFEST).is_file():
        return None
    try:
        here = local.resolve()
        if here == data_dir().resolve():
            return None  # a source checkout: this is the built-in questionnaire
        if choice.manifest is not None and choice.manifest.resolve().parent == here:
            return None
        return local if _differs(here, data_dir()) else None
    except OSError:
        return None
