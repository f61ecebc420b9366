"""prompt_toolkit front end: a chat transcript that stays on screen, one prompt at a time.

No full-screen application: bot lines are printed above the prompt (print_formatted_text),
the prompt has a bottom toolbar with progress and key hints. The only module in the project
that imports prompt_toolkit (with wizard/chat/__init__.py's lazy import of it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app_session
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.renderer import print_formatted_text as render_lines
from prompt_toolkit.styles import (
    BaseStyle,
    Style,
    default_pygments_style,
    default_ui_style,
    merge_styles,
)

from wizard.chat.frontend import BOT, ERROR, GOOD, HEADING, HINT, OPTION, QUESTION, Ask

# Styles add emphasis only; every line also says in words what it is ("Let op", "Vraag").
_STYLE = Style.from_dict({
    BOT: "",
    HEADING: "bold",
    QUESTION: "bold",
    OPTION: "",
    HINT: "#888888",
    ERROR: "#cc0000 bold",
    GOOD: "#008800",
    "bottom-toolbar": "noreverse bg:#444444 #ffffff",
})

# Key -> the command it types, so keys and typed commands share one code path. F-keys and
# PageUp/PageDown leave every editing key (Ctrl-A/E/B/F/K/U/W, arrows in text) untouched.
_KEY_COMMANDS = {
    "f1": "?",
    "f2": ":terug",
    "pageup": ":terug",
    "f3": ":over",
    "pagedown": ":over",
    "f4": ":overzicht",
}


# Free text that is complete on its own line: help, or 'weet niet' (never the start of a
# longer answer), so Enter finishes at once.
FINISH_AT_ONCE = ("?", "w", "W", "weet niet", "Weet niet")


def color_depth() -> ColorDepth | None:
    """No colour when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return ColorDepth.DEPTH_1_BIT
    return None


class TerminalFrontend:
    """Frontend implementation on prompt_toolkit.

    `transcript`: when given, bot text goes there as plain lines instead of to the terminal
    (tests read it); prompts still go through the app session's output.
    """

    plain = False

    def __init__(self, *, transcript: TextIO | None = None,
                 width: int | None = None, height: int | None = None) -> None:
        self._transcript = transcript
        self._req = Ask()
        self._depth = color_depth()
        self._fixed_width = width
        self._fixed_height = height
        # print_formatted_text() merges the default styles with ours on every call, which
        # re-parses hundreds of style rules (~1.5 ms a line, ~12 ms a question); merged once
        # here, the same escape bytes come out in a fraction of that.
        self._merged: BaseStyle = merge_styles(
            [default_ui_style(), default_pygments_style(), _STYLE])
        self._session: PromptSession[str] = PromptSession(
            key_bindings=self._bindings(),
            style=_STYLE,
            color_depth=self._depth,
            bottom_toolbar=self._toolbar,
            multiline=Condition(lambda: self._req.multiline),
            enable_history_search=False,
            mouse_support=False,
            erase_when_done=False,
        )

    @property
    def width(self) -> int:
        """Columns of the terminal now (it may have been resized)."""
        return self._fixed_width or self._terminal_width()

    @property
    def height(self) -> int:
        """Rows of the terminal now (it may have been resized); 24 when unknown."""
        if self._fixed_height:
            return self._fixed_height
        try:
            return get_app_session().output.get_size().rows
        except Exception:  # noqa: BLE001 - no size (pipe, dumb terminal): assume 24
            return shutil.get_terminal_size((80, 24)).lines

    @staticmethod
    def _terminal_width() -> int:
        try:
            return get_app_session().output.get_size().columns
        except Exception:  # noqa: BLE001 - no size (pipe, dumb terminal): assume 80
            return shutil.get_terminal_size((80, 24)).columns

    # -------------------------------------------------------------- Frontend API

    def say(self, text: str, style: str = BOT) -> None:
        if self._transcript is not None:
            self._transcript.write(text + "\n")
            return
        # No application runs while the chat says something (prompts are synchronous), so
        # the lines can go straight to the output, as print_formatted_text() would do then.
        output = get_app_session().output
        render_lines(output, FormattedText([(f"class:{style}", text), ("", "\n")]),
                     self._merged, color_depth=self._depth or output.get_default_color_depth())

    def ask(self, req: Ask) -> str:
        self._req = req
        self._cycle_pos: int | None = None
        self.draft = ""
        try:
            text = self._session.prompt(req.prompt, default=req.draft or req.default)
        except KeyboardInterrupt:
            # The buffer still holds what was typed; the chat offers it again after Ctrl-C.
            self.draft = self._session.default_buffer.text
            raise
        if self._transcript is not None:
            self._transcript.write(f"{req.prompt}{text}\n")
        return text

    # -------------------------------------------------------------- internals

    def _toolbar(self) -> FormattedText:
        lines = list(self._req.toolbar)
        return FormattedText([("class:bottom-toolbar", "\n".join(lines))]) if lines else \
            FormattedText([])

    def _bindings(self) -> KeyBindings:
        kb = KeyBindings()
        has_options = Condition(lambda: bool(self._req.options))
        multiline = Condition(lambda: self._req.multiline)

        def cycler(step: int) -> Callable:
            def handler(event) -> None:  # type: ignore[no-untyped-def]
                options = self._req.options
                buf = event.current_buffer
                pos = self._cycle_pos
                if pos is None:
                    # Start from what is typed, if it is one of the options.
                    typed = buf.text.strip().split(" ", 1)[0].lower()
                    keys = [o.split(" ", 1)[0].lower() for o in options]
                    pos = keys.index(typed) if typed in keys else (-1 if step > 0 else 0)
                pos = (pos + step) % len(options)
                self._cycle_pos = pos
                buf.text = options[pos]
                buf.cursor_position = len(buf.text)
            return handler

        kb.add("down", filter=has_options)(cycler(1))
        kb.add("up", filter=has_options)(cycler(-1))

        def typed_command(command: str) -> Callable:
            def handler(event) -> None:  # type: ignore[no-untyped-def]
                buf = event.current_buffer
                buf.text = command
                buf.validate_and_handle()
            return handler

        for key, command in _KEY_COMMANDS.items():
            kb.add(key)(typed_command(command))

        @kb.add("enter", filter=multiline)
        def _enter(event) -> None:  # type: ignore[no-untyped-def]
            # Free text: Enter on an empty line finishes; a command or '?' finishes at once.
            buf = event.current_buffer
            doc = buf.document
            stripped = buf.text.strip()
            at_end = doc.is_cursor_at_the_end
            if (not stripped or stripped in FINISH_AT_ONCE
                    or (stripped.startswith(":") and "\n" not in stripped)
                    or (at_end and doc.current_line.strip() == "")):
                buf.text = buf.text.rstrip()
                buf.validate_and_handle()
            else:
                buf.insert_text("\n")

        @kb.add("escape", "enter", filter=multiline)
        def _accept(event) -> None:  # type: ignore[no-untyped-def]
            buf = event.current_buffer
            buf.text = buf.text.rstrip()
            buf.validate_and_handle()

        return kb
