"""`zelfscan start` and `zelfscan resume FILE`: the interactive chat.

The conversation logic (wizard.chat.conversation, wizard.chat.parse) does not know about
prompt_toolkit; wizard.chat.terminal is the prompt_toolkit front end. prompt_toolkit is
imported only when a chat really starts, after the terminal check, and never in the plain
mode (wizard.chat.plain: `--eenvoudig`, or TERM=dumb).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from wizard.errors import EXIT_USAGE, ZelfscanError

NO_TERMINAL = (
    "zelfscan: het gesprek heeft een terminal nodig (toetsenbord en scherm), maar invoer of "
    "uitvoer is omgeleid.\n"
    "    → Zonder terminal: maak een leeg antwoordbestand met 'zelfscan blank', vul het in en "
    "maak het plan met 'zelfscan batch BESTAND'.\n"
)

DEFAULT_BASE = Path("outputs")


def _has_terminal() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def _no_terminal() -> int:
    sys.stderr.write(NO_TERMINAL)
    sys.stderr.flush()
    return EXIT_USAGE


def _questionnaire(args: Any):  # type: ignore[no-untyped-def]
    from wizard.loader import load_questionnaire

    return load_questionnaire(getattr(args, "vragenlijst", None))


def wants_plain(args: Any) -> bool:
    """Plain lines when asked for, or when the terminal says it cannot do more."""
    return bool(getattr(args, "eenvoudig", False)) or os.environ.get("TERM") == "dumb"


def _frontend(frontend: Any, args: Any = None) -> Any:
    if frontend is not None:
        return frontend
    if wants_plain(args):
        from wizard.chat.plain import PlainFrontend

        return PlainFrontend()
    from wizard.chat.terminal import TerminalFrontend

    return TerminalFrontend()


def command_start(args: Any, *, _frontend_override: Any = None,
                  _require_terminal: bool = True) -> int:
    """Start a new chat. `_frontend_override`/`_require_terminal` are for tests only."""
    if _require_terminal and not _has_terminal():
        return _no_terminal()
    from wizard.chat.conversation import Chat

    q = _questionnaire(args)
    base = Path(args.map) if getattr(args, "map", None) else DEFAULT_BASE
    chat = Chat(q, _frontend(_frontend_override, args), base_dir=base,
                role=getattr(args, "rol", None))
    return chat.run()


def session_base(path: Path) -> Path:
    """The folder that holds plans for a session file: the parent of 'sessies/', if any."""
    parent = path.parent
    return parent.parent if parent.name == "sessies" else parent


def command_resume(args: Any, *, _frontend_override: Any = None,
                   _require_terminal: bool = True) -> int:
    """Continue a saved session file; a bad file is reported and left untouched."""
    if _require_terminal and not _has_terminal():
        return _no_terminal()
    from wizard.answers import load_answers
    from wizard.chat.conversation import Chat

    q = _questionnaire(args)
    path = Path(args.bestand)
    try:
        answers = load_answers(path, q, require_complete=False)
    except ZelfscanError as err:
        raise ZelfscanError(
            f"het sessiebestand kan niet worden hervat:\n{err}",
            hint="Het bestand is niet veranderd. Verbeter het bestand, of begin opnieuw met "
                 "'zelfscan start'.",
        ) from None
    chat = Chat(q, _frontend(_frontend_override, args), base_dir=session_base(path),
                role=getattr(args, "rol", None), answers=answers, session_path=path)
    return chat.run()
