"""Where the package finds its own data, wherever it is run from.

In an installed wheel the questionnaires ship inside the package (wizard/questionnaires);
in a source checkout or editable install they are the top-level `questionnaires/` folder
next to the package. Never relative to the current directory.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def data_dir() -> Path:
    """The folder holding zelfscan.yaml and the other questionnaire files."""
    packaged = resources.files("wizard") / "questionnaires"
    if packaged.is_dir():
        return Path(str(packaged))
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
    return Path(str(resources.files("wizard") / "plan" / "templates"))
