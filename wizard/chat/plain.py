"""Plain front end for screen readers and dumb terminals (`--eenvoudig`, or TERM=dumb).

Only plain lines: what the bot says is written as is, answers are read a line at a time
from the terminal's own line editing. No colour, no cursor movement, no redraws, no
toolbar, and no prompt_toolkit (it is not even imported). Everything the prompt_toolkit
front end does with keys is reachable by typing: numbers instead of arrow keys, ':' commands
instead of function keys.
"""

from __future__ import annotations

import shutil
import sys
from typing import BinaryIO, TextIO

from wizard import startup
from wizard.chat.frontend import BOT, Ask

# Free text ends with an empty line or a line holding only this.
END_MARK = "."
CONTINUE_PROMPT = "vervolg> "


class PlainFrontend:
    """Frontend implementation on plain stdin/stdout lines.

    `stdin`/`stdout`: streams to use instead of the process's own (tests pass io.StringIO).
    """

    plain = True

    def __init__(self, *, stdin: TextIO | None = None, stdout: TextIO | None = None,
                 width: int | None = None, height: int | None = None) -> None:
        self._in = stdin
        self._out = stdout if stdout is not None else _tolerant(sys.stdout)
        self._fixed_width = width
        self._fixed_height = height

    @property
    def width(self) -> int:
        """Columns of the terminal now: measured at every line, so a window made narrower
        mid-session never gets lines the terminal itself breaks in the middle of a word."""
        return self._fixed_width or shutil.get_terminal_size((80, 24)).columns

    @property
    def height(self) -> int:
        return self._fixed_height or shutil.get_terminal_size((80, 24)).lines

    # -------------------------------------------------------------- Frontend API

    def say(self, text: str, style: str = BOT) -> None:
        # Styles are dropped: every line already says in words what it is.
        self._write(text + "\n")

    def ask(self, req: Ask) -> str:
        """One answer; free text (req.multiline) runs until an empty line or a lone '.'.

        A command or '?' on the first line of free text finishes at once, as in the normal
        mode. `req.options`, `req.toolbar` and `req.default` need a full-screen terminal and
        are not used: the options are on screen as numbered lines already.
        """
        startup.started()  # the first question: garbage collection as normal
        self.draft = ""
        if req.multiline and req.draft:
            # Going on after Ctrl-C: the chat has shown the draft; typed lines come after it,
            # an empty line (or '.') keeps it as it is. A command still finishes at once.
            lines = req.draft.split("\n")
            first = self._collect(lines, CONTINUE_PROMPT)
            stripped = first.strip()
            if stripped in ("", END_MARK):
                return "\n".join(lines)
            if stripped == "?" or stripped.startswith(":"):
                return first
            lines.append(first)
        else:
            first = self._line(req.prompt)
            if not req.multiline:
                return first
            stripped = first.strip()
            if stripped == END_MARK:
                return ""
            if not stripped or stripped in ("?", "w", "W") or stripped.startswith(":"):
                return first  # a command, help, or 'w' (weet niet) is complete at once
            lines = [first]
        while True:
            line = self._collect(lines, CONTINUE_PROMPT)
            if line.strip() in ("", END_MARK):
                return "\n".join(lines)
            lines.append(line)

    def _collect(self, lines: list[str], prompt: str) -> str:
        """The next line of free text; on Ctrl-C the lines so far become the `draft`."""
        try:
            return self._line(prompt)
        except KeyboardInterrupt:
            self.draft = "\n".join(lines)
            raise

    # -------------------------------------------------------------- internals

    def _write(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()

    def _line(self, prompt: str) -> str:
        """One line without its line ending. EOFError when the input has ended (Ctrl-D)."""
        self._write(prompt)
        try:
            if self._in is not None:
                raw = self._in.readline()
            else:
                # Bytes, decoded leniently: a stray byte from the terminal must not crash
                # the chat.
                buffer: BinaryIO = sys.stdin.buffer
                data = buffer.readline()
                raw = data.decode(sys.stdin.encoding or "utf-8", errors="replace")
        except KeyboardInterrupt:
            self._write("\n")  # the terminal shows ^C after the prompt; start a fresh line
            raise
        if raw == "":
            self._write("\n")  # the prompt line stays finished for the next message
            raise EOFError
        return raw.rstrip("\r\n")


def _tolerant(stream: TextIO) -> TextIO:
    """stdout that replaces characters it cannot encode instead of crashing mid-chat."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError):  # detached or closed: use it as it is
            pass
    return stream
