"""Where the package finds its own data, wherever it is run from.

In an installed wheel the questionnaires ship inside the package (wizard/questionnaires);
in a source checkout or editable install they are the top-level `questionnaires/` folder
next to the package. Never relative to the current directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


def _package_path(*parts: str) -> Path:
    """A path inside the installed `wizard` package.

    For a package in a folder this is what importlib.resources.files("wizard") gives (the
    folder of wizard/__init__.py); importlib.resources itself is imported only for other
    installs (it pulls in tempfile, random and zipfile: ~10 ms before the first question).
    """
    import wizard

    folder = Path(wizard.__file__).parent if wizard.__file__ else None
    if folder is not None and folder.is_dir():
        return folder.joinpath(*parts)
    from importlib import resources

    return Path(str(resources.files("wizard").joinpath(*parts)))


@cache
def data_dir() -> Path:
    """The folder holding zelfscan.yaml and the other questionnaire files."""
    packaged = _package_path("questionnaires")
    if packaged.is_dir():
        return packaged
    # wizard/files/resources.py -> the checkout's top level
    checkout = Path(__file__).resolve().parents[2] / "questionnaires"
    if checkout.is_dir():
        return checkout
    from wizard.errors import ZelfscanError

    raise ZelfscanError(
        "de ingebouwde vragenlijst is niet gevonden",
        hint="Installeer Zelfscan opnieuw met 'pip install .' vanuit de projectmap.",
    )


def manifest_path() -> Path:
    return data_dir() / "zelfscan.yaml"


def templates_dir() -> Path:
    return _package_path("plan", "templates")
