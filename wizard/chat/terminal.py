"""prompt_toolkit front end: a chat transcript that stays on screen, one prompt at a time.

No full-screen application: bot lines are printed above the prompt (print_formatted_text),
the prompt has a bottom toolbar with progress and key hints. The only module in the project
that imports prompt_toolkit.

Start-up (issue 17): importing prompt_toolkit and building the prompt session take about
half of the time to the first question. Until the first prompt, bot lines are therefore
written without prompt_toolkit, with exactly the bytes its print_formatted_text writes to a
terminal (tests/test_terminal_fast.py compares them for every style and colour depth), and
prompt_toolkit is imported while the user reads the first question.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from wizard import startup
from wizard.chat.frontend import BOT, ERROR, GOOD, HEADING, HINT, OPTION, QUESTION, Ask

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.output import ColorDepth
    from prompt_toolkit.styles import BaseStyle

# Styles add emphasis only; every line also says in words what it is ("Let op", "Vraag").
STYLE_RULES = {
    BOT: "",
    HEADING: "bold",
    QUESTION: "bold",
    OPTION: "",
    HINT: "#888888",
    ERROR: "#cc0000 bold",
    GOOD: "#008800",
    "bottom-toolbar": "noreverse bg:#444444 #ffffff",
}

# What prompt_toolkit writes around a bot line in each style, per colour depth: (before the
# text, after it). A line is "\x1b[0m\x1b[?7h" + before + text + after + "\r\n\x1b[0m".
_RESET = "\x1b[0m"
_PLAIN = (_RESET, "")


def _styled(*codes: str) -> tuple[str, str]:
    return ("\x1b[0;" + ";".join(codes) + "m", _RESET)


_BOLD = _styled("1")
_COLOURLESS = (_RESET, _RESET)  # a colour at depth 1: reset, and reset again after it
FAST_LINES: dict[str, dict[str, tuple[str, str]]] = {
    "DEPTH_1_BIT": {BOT: _PLAIN, OPTION: _PLAIN, HEADING: _BOLD, QUESTION: _BOLD,
                    HINT: _COLOURLESS, ERROR: _BOLD, GOOD: _COLOURLESS},
    "DEPTH_4_BIT": {BOT: _PLAIN, OPTION: _PLAIN, HEADING: _BOLD, QUESTION: _BOLD,
                    HINT: _styled("90"), ERROR: _styled("31", "1"), GOOD: _styled("32")},
    "DEPTH_8_BIT": {BOT: _PLAIN, OPTION: _PLAIN, HEADING: _BOLD, QUESTION: _BOLD,
                    HINT: _styled("38", "5", "102"), ERROR: _styled("38", "5", "160", "1"),
                    GOOD: _styled("38", "5", "28")},
    "DEPTH_24_BIT": {BOT: _PLAIN, OPTION: _PLAIN, HEADING: _BOLD, QUESTION: _BOLD,
                     HINT: _styled("38", "2", "136", "136", "136"),
                     ERROR: _styled("38", "2", "204", "0", "0", "1"),
                     GOOD: _styled("38", "2", "0", "136", "0")},
}

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


_STYLE_CACHE: list[Any] = []


def _style() -> Any:
    """Our styles as a prompt_toolkit Style (made once, when prompt_toolkit is loaded)."""
    if not _STYLE_CACHE:
        from prompt_toolkit.styles import Style

        _STYLE_CACHE.append(Style.from_dict(STYLE_RULES))
    return _STYLE_CACHE[0]


def color_depth() -> ColorDepth | None:
    """No colour when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        from prompt_toolkit.output import ColorDepth

        return ColorDepth.DEPTH_1_BIT
    return None


def fast_depth() -> str | None:
    """The colour depth prompt_toolkit's default output would use on this terminal, worked
    out without importing it; None when its output would not be a plain VT100 terminal
    (then the lines go through prompt_toolkit itself).

    The same rules as prompt_toolkit's create_output() and Vt100_Output: NO_COLOR, then
    $PROMPT_TOOLKIT_COLOR_DEPTH, then $TERM (tests/test_terminal_fast.py checks them)."""
    if sys.platform == "win32":
        return None
    try:
        if sys.stdout is None or not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    if os.environ.get("NO_COLOR"):
        return "DEPTH_1_BIT"
    forced = os.environ.get("PROMPT_TOOLKIT_COLOR_DEPTH")
    if forced in FAST_LINES:
        return forced
    term = os.environ.get("TERM", "")
    if term.lower() in ("dumb", "unknown"):
        return "DEPTH_1_BIT"
    if term in ("linux", "eterm-color"):
        return "DEPTH_4_BIT"
    return "DEPTH_8_BIT"


def fast_line(text: str, style: str, depth: str) -> str:
    """One bot line as prompt_toolkit's print_formatted_text writes it (see FAST_LINES)."""
    before, after = FAST_LINES[depth][style]
    text = text.replace("\x1b", "?").replace("\r", "").replace("\n", "\r\n")
    return f"{_RESET}\x1b[?7h{before}{text}{after}\r\n{_RESET}"


def _write_stdout(data: str) -> None:
    """As prompt_toolkit's flush_stdout: encode ourselves (unknown characters replaced)."""
    out = sys.stdout
    fd = out.fileno()
    blocking = os.get_blocking(fd)
    if not blocking:
        os.set_blocking(fd, True)
    try:
        out.buffer.write(data.encode(out.encoding or "utf-8", "replace"))
        out.flush()
    finally:
        if not blocking:
            os.set_blocking(fd, False)


class _QuietKeys:
    """No echo of keys typed before the first prompt is ready.

    The terminal echoes what is typed while prompt_toolkit is still loading; that text
    would stand on screen once more above the prompt, which shows it again. With echo off
    the keys simply wait in the terminal and arrive at the prompt, as prompt_toolkit's own
    raw mode would take them. The terminal's settings are restored before the first prompt
    (prompt_toolkit saves and restores them around every prompt) and at exit.
    """

    def __init__(self) -> None:
        self._saved: list[Any] | None = None

    def hold(self) -> None:
        if self._saved is not None:
            return
        try:
            import termios

            fd = sys.stdin.fileno()
            if not os.isatty(fd):
                return
            saved = termios.tcgetattr(fd)
            quiet = termios.tcgetattr(fd)
            quiet[3] &= ~termios.ECHO  # lflag
            termios.tcsetattr(fd, termios.TCSANOW, quiet)
        except Exception:  # noqa: BLE001 - no terminal, termios.error: leave it as it is
            return
        self._saved = saved
        import atexit

        atexit.register(self.release)

    def release(self) -> None:
        if self._saved is None:
            return
        saved, self._saved = self._saved, None
        import contextlib
        import termios

        with contextlib.suppress(Exception):  # a closed terminal: nothing to restore
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, saved)


def _early() -> bool:
    """True while prompt_toolkit is not loaded: nothing can have changed its output yet."""
    return "prompt_toolkit" not in sys.modules


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
        self._fast = fast_depth() if _early() else None
        self._quiet = _QuietKeys()
        self._fixed_width = width
        self._fixed_height = height
        self._session_obj: PromptSession[str] | None = None
        self._merged_obj: BaseStyle | None = None
        self._cycle_pos: int | None = None
        self.draft = ""

    @property
    def _depth(self) -> ColorDepth | None:
        return color_depth()

    @property
    def _merged(self) -> BaseStyle:
        # print_formatted_text() merges the default styles with ours on every call, which
        # re-parses hundreds of style rules (~1.5 ms a line, ~12 ms a question); merged once
        # here, the same escape bytes come out in a fraction of that.
        if self._merged_obj is None:
            from prompt_toolkit.styles import default_pygments_style, default_ui_style, merge_styles

            self._merged_obj = merge_styles(
                [default_ui_style(), default_pygments_style(), _style()])
        return self._merged_obj

    @property
    def _session(self) -> PromptSession[str]:
        """The prompt session, made at the first prompt (prompt_toolkit imported then)."""
        if self._session_obj is None:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.filters import Condition

            self._session_obj = PromptSession(
                key_bindings=self._bindings(),
                style=_style(),
                color_depth=self._depth,
                bottom_toolbar=self._toolbar,
                multiline=Condition(lambda: self._req.multiline),
                enable_history_search=False,
                mouse_support=False,
                erase_when_done=False,
            )
        return self._session_obj

    @property
    def width(self) -> int:
        """Columns of the terminal now (it may have been resized)."""
        return self._fixed_width or self._terminal_width()

    @property
    def height(self) -> int:
        """Rows of the terminal now (it may have been resized); 24 when unknown."""
        if self._fixed_height:
            return self._fixed_height
        if self._fast is not None:  # a real terminal: what prompt_toolkit would read
            return self._tty_size()[0]
        try:
            from prompt_toolkit.application import get_app_session

            return get_app_session().output.get_size().rows
        except Exception:  # noqa: BLE001 - no size (pipe, dumb terminal): assume 24
            return shutil.get_terminal_size((80, 24)).lines

    def _terminal_width(self) -> int:
        if self._fast is not None:  # a real terminal: what prompt_toolkit would read
            return self._tty_size()[1]
        try:
            from prompt_toolkit.application import get_app_session

            return get_app_session().output.get_size().columns
        except Exception:  # noqa: BLE001 - no size (pipe, dumb terminal): assume 80
            return shutil.get_terminal_size((80, 24)).columns

    @staticmethod
    def _tty_size() -> tuple[int, int]:
        """(rows, columns) as prompt_toolkit's VT100 output reads them (0 -> 24 x 80)."""
        try:
            size = os.get_terminal_size(sys.stdout.fileno())
            rows, columns = size.lines, size.columns
        except (OSError, AttributeError, ValueError):
            rows = columns = 0
        return rows or 24, columns or 80

    # -------------------------------------------------------------- Frontend API

    def say(self, text: str, style: str = BOT) -> None:
        if self._transcript is not None:
            self._transcript.write(text + "\n")
            return
        if self._fast is not None and style in FAST_LINES[self._fast] and _early():
            self._quiet.hold()
            _write_stdout(fast_line(text, style, self._fast))
            return
        from prompt_toolkit.application import get_app_session
        from prompt_toolkit.formatted_text import FormattedText
        from prompt_toolkit.renderer import print_formatted_text as render_lines

        # No application runs while the chat says something (prompts are synchronous), so
        # the lines can go straight to the output, as print_formatted_text() would do then.
        output = get_app_session().output
        render_lines(output, FormattedText([(f"class:{style}", text), ("", "\n")]),
                     self._merged, color_depth=self._depth or output.get_default_color_depth())

    def ask(self, req: Ask) -> str:
        self._req = req
        self._cycle_pos = None
        self.draft = ""
        session = self._session
        startup.started()  # prompt_toolkit is loaded: garbage collection as normal
        self._quiet.release()
        try:
            text = session.prompt(req.prompt, default=req.draft or req.default)
        except KeyboardInterrupt:
            # The buffer still holds what was typed; the chat offers it again after Ctrl-C.
            self.draft = self._session.default_buffer.text
            raise
        if self._transcript is not None:
            self._transcript.write(f"{req.prompt}{text}\n")
        return text

    # -------------------------------------------------------------- internals

    def _toolbar(self) -> FormattedText:
        from prompt_toolkit.formatted_text import FormattedText

        lines = list(self._req.toolbar)
        return FormattedText([("class:bottom-toolbar", "\n".join(lines))]) if lines else \
            FormattedText([])

    def _bindings(self) -> KeyBindings:
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.key_binding import KeyBindings

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
