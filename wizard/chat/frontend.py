"""The narrow interface between the conversation logic and a terminal front end.

The conversation only says lines and asks for one answer at a time; a front end decides how
(wizard.chat.terminal: prompt_toolkit with a toolbar and arrow keys; wizard.chat.plain: plain
numbered lines for screen readers). Nothing here imports prompt_toolkit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

# Styles the conversation uses; a front end maps them to colours or to nothing at all.
# Colour never carries meaning alone: every styled line says what it is in words too.
BOT = "bot"
HEADING = "kop"
QUESTION = "vraag"
OPTION = "optie"
HINT = "hint"
ERROR = "fout"
GOOD = "goed"


@dataclass(frozen=True)
class Ask:
    """One request for input."""

    prompt: str = "> "
    # What the arrow keys cycle through in the input line (scale and choice questions).
    options: tuple[str, ...] = ()
    # Free text: Enter on an empty line (or Alt-Enter) finishes.
    multiline: bool = False
    # Bottom toolbar lines (section, progress, key hints).
    toolbar: tuple[str, ...] = field(default_factory=tuple)
    default: str = ""
    # Text the user was typing when Ctrl-C came and then chose to go on: put back in the
    # input (over `default`); the plain front end shows it and continues after it.
    draft: str = ""


class Frontend(Protocol):
    width: int
    # Rows on screen: long lists are shown a screen at a time (read with getattr, default 24).
    height: int
    # True for the plain front end: only Enter, no toolbar, no arrow keys, no prefilled
    # input; the conversation then words its hints for that (read with getattr, default False).
    plain: bool

    def say(self, text: str, style: str = BOT) -> None:
        """Print one or more lines of bot text."""

    def ask(self, req: Ask) -> str:
        """Read one answer. Raises KeyboardInterrupt (Ctrl-C) or EOFError (Ctrl-D, closed).

        Before raising KeyboardInterrupt a front end may set an attribute `draft` to what
        was typed so far (read with getattr, default ''), so it can be offered again.
        """
