"""The chat's plumbing: its state, saying lines, reading answers, stopping, paging.

Shared by the parts of the conversation (wizard.chat.conversation: the flow; .texts: what the
assistant says; .commands: the ':' commands; .sessionfiles: the session file). Front-end
neutral: no prompt_toolkit here.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from wizard.answers.store import Answers
from wizard.assessment.engine import Session
from wizard.chat import parse
from wizard.chat.frontend import BOT, ERROR, HEADING, HINT, Ask, Frontend
from wizard.chat.numbering import Numbering
from wizard.errors import EXIT_OK
from wizard.files.text import bad_char_message, find_bad_char
from wizard.questionnaire.model import Question, Questionnaire

KEY_HINTS = "F1/? uitleg · F2 terug · F3 overslaan · F4 overzicht · :hulp opdrachten"
DEFAULT_PROGRAM = "zelfscan"


class Stop(Exception):
    """Raised to end the chat with an exit code, from wherever the user stops."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def now_iso() -> str:
    return _dt.datetime.now().replace(microsecond=0).isoformat()


def today_iso() -> str:
    return _dt.date.today().isoformat()


def folder_name(name: str) -> str:
    """The per-municipality folder name batch mode uses too."""
    from wizard.files.safepath import safe_folder_name

    return safe_folder_name(name)


def show_path(p: Path) -> str:
    """A path as the user can paste it into a command (quoted when it holds spaces)."""
    s = str(p)
    return f'"{s}"' if any(c.isspace() for c in s) else s


def nl_level(value: float | None) -> str:
    if value is None:
        return "onbekend"
    text = f"{value:.1f}".replace(".", ",")
    return text.removesuffix(",0")


def in_words(text: str) -> str:
    """A warning says so in words, not only in red (and not at all without colour)."""
    return text if text.startswith("Let op") else "Let op: " + text


class ChatBase:
    """State and plumbing of one chat session; see wizard.chat.conversation.Chat."""

    q: Questionnaire
    fe: Frontend
    plain: bool
    base_dir: Path
    role: str | None
    now: Callable[[], str]
    resumed: bool
    answers: Answers
    path: Path | None
    session: Session
    numbers: Numbering
    # How the user started the program ('zelfscan', '.venv/bin/zelfscan', 'python -m wizard'):
    # every hint names it that way, so it can be typed as shown.
    program: str
    _participant: dict[str, Any]
    _shown: str | None  # id of the question whose text is on screen
    _section: str | None
    _after_jump: bool
    _remind: bool  # after a long command output: repeat the question briefly
    _config: Any
    # An earlier session file for this municipality, while we ask whether to continue it
    # (nothing of this chat is saved yet then).
    _offered: Path | None
    _plan_now: bool  # the review said :klaar from a question: write the plan next
    _pending: str  # typed at a 'Meer' prompt while a list was shown: the next input

    # ------------------------------------------------------------------ saying

    @property
    def width(self) -> int:
        return max(20, min(self.fe.width, 80) - 1)

    @property
    def height(self) -> int:
        """Rows on screen (24 when the front end does not know)."""
        return max(8, int(getattr(self.fe, "height", 24) or 24))

    def say(self, text: str, style: str = BOT) -> None:
        """Lines wrapped at word boundaries to the terminal's width as it is now, never
        inside a word or a file name. Plain mode (screen readers, braille displays) has no
        hanging indent: continuation lines start at the margin, no cells spent on spaces."""
        if style == ERROR:
            text = in_words(text)
        width = self.width
        lines: list[str] = []
        for para in text.split("\n"):
            indent = len(para) - len(para.lstrip(" "))
            hang = "" if self.plain else " " * (indent + 2)
            lines += textwrap.wrap(para, width, subsequent_indent=hang,
                                   break_on_hyphens=False, break_long_words=False) or [""]
        self.fe.say("\n".join(lines), style)

    def say_command(self, lead: str, command: str) -> None:
        """A hint with a command to type: the command on its own line, never wrapped, so it
        can be copied as one piece."""
        self.say(lead, HINT)
        self.fe.say("  " + command, HINT)

    def command(self, *words: str) -> str:
        """A command line as the user can type it: the program as started, then the words."""
        return " ".join((self.program, *words))

    def _heading(self, title: str, *, section: bool = False) -> None:
        if self.plain:
            # A screen reader would read the line-drawing characters aloud, one by one.
            self.say(f"Onderdeel: {title}" if section else title, HEADING)
        else:
            self.say(f"── {title} ──", HEADING)

    def _short(self, question: Question, width: int = 60) -> str:
        text = " ".join(question.text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    def label(self, qid: str) -> str:
        return self.numbers.label(qid)

    def renumber(self) -> None:
        self.numbers = Numbering(self.session.walk())

    def _toolbar(self) -> tuple[str, ...]:
        p = self.session.progress()
        cur = self.session.current
        scan = "korte scan · " if self.answers.short_scan else ""
        if cur is None:
            first = f"Nakijken · {scan}{p.percent}% beantwoord"
        else:
            first = (f"{p.section_title} · {scan}vraag {self.label(cur.id)} van "
                     f"{self.numbers.total} · {p.percent}% beantwoord")
        if len(first) > self.width:
            first = first[: self.width - 1] + "…"
        return (first, KEY_HINTS)

    # ------------------------------------------------------------------ reading

    def _read(self, req: Ask) -> str:
        """Ask; Ctrl-C asks whether to stop, Ctrl-D / a closed terminal stops.

        What was being typed when Ctrl-C came (the front end's `draft`) is offered again
        when the user goes on: prefilled in the input, or (plain mode) shown and continued.
        """
        ask = req
        while True:
            try:
                line = self.fe.ask(ask)
            except KeyboardInterrupt:
                draft = str(getattr(self.fe, "draft", "") or "")
                self._confirm_stop()
                ask = dataclasses.replace(req, draft=draft) if draft.strip() else req
                if draft.strip():
                    self._show_draft(draft, multiline=req.multiline)
            except EOFError:
                self._stop(EXIT_OK)
            else:
                # The one place input comes in: a character no output format can hold
                # (a control character, a lone surrogate from a paste) is refused here, so
                # no answer, note or name can make the plan fail later (issue 18).
                line = line.replace("\r\n", "\n").replace("\r", "\n")
                bad = bad_char_message(line)
                if bad is None:
                    return line
                cleaned = "".join(ch for ch in line if find_bad_char(ch) is None)
                self.say(f"Uw invoer {bad}; zo'n teken kan niet in het plan. "
                         + ("Typ het opnieuw zonder dat teken." if self.plain else
                            "De tekst staat weer in de invoer, zonder dat teken: kijk hem na "
                            "en druk op Enter."), ERROR)
                ask = dataclasses.replace(req, draft=cleaned) if not self.plain else req

    def _show_draft(self, draft: str, *, multiline: bool) -> None:
        if not self.plain:
            self.say("Wat u al had getypt, staat weer in de invoer.", HINT)
            return
        self.say("Wat u al had getypt:", HINT)
        for line in draft.split("\n"):
            self.say("  " + line)
        if multiline:
            self.say("Typ verder; dat komt eronder. Klaar: een lege regel of een regel met "
                     "alleen een punt.", HINT)

    def _ask_yes_no(self, prompt: str = "(j/n) > ") -> bool:
        while True:
            answer = parse.parse_yes_no(self._read(Ask(prompt=prompt, toolbar=self._toolbar())))
            if answer is not None:
                return answer
            self.say("Typ j (ja) of n (nee).", ERROR)

    def page(self, blocks: Iterable[tuple[str, list[tuple[str, str]]]]) -> str:
        """Show (heading, [(line, style)]) blocks a screen at a time.

        A page holds what fits above the prompt (and the toolbar); a block starts on a new
        page when it would not fit, and a block longer than a page goes on with its heading
        repeated. Between pages: Enter shows more; anything else typed stops the listing and
        is returned (so a number typed there can be acted on); '' when all was shown.
        """
        room = self.height - (2 if self.plain else 4)  # prompt line; toolbar (2) + margin
        used = 0
        for heading, lines in blocks:
            if used and used + 1 + len(lines) > room >= 1 + len(lines):
                typed = self._more()  # the block fits on a page of its own: start one
                if typed:
                    return typed
                used = 0
            done, first = 0, True
            while first or done < len(lines):
                if used >= room - 1:  # no room for a heading and one line
                    typed = self._more()
                    if typed:
                        return typed
                    used = 0
                self.say(heading if first else f"{heading} (vervolg)", HEADING)
                chunk = lines[done: done + room - used - 1]
                for line, style in chunk:
                    self.say(line, style)
                used += 1 + len(chunk)
                done += len(chunk)
                first = False
        return ""

    def _more(self) -> str:
        line = self._read(Ask(prompt="Meer: Enter · stoppen: q > ", toolbar=self._toolbar()))
        text = line.strip()
        return "" if not text else ("q" if text.lower() in ("q", "stop", ":stop") else text)

    # ------------------------------------------------------------------ stopping

    def _confirm_stop(self) -> None:
        if self.path is not None:
            self.say(f"Wilt u stoppen? Uw antwoorden zijn bewaard in {show_path(self.path)} "
                     "(j/n)")
        elif self._offered is not None:
            # The name is known, but we are still asking which session file to use.
            self.say("Wilt u stoppen? Van dit nieuwe gesprek is nog niets bewaard; het "
                     f"eerdere gesprek in {show_path(self._offered)} blijft zoals het is. "
                     "(j/n)")
        else:
            self.say("Wilt u stoppen? Er is nog niets bewaard, want de naam van de gemeente "
                     "ontbreekt nog. (j/n)")
        while True:
            try:
                line = self.fe.ask(Ask(prompt="Stoppen? (j/n) > ", toolbar=self._toolbar()))
            except (KeyboardInterrupt, EOFError):
                self._stop(EXIT_OK)  # a second Ctrl-C: stop without asking again
            yes = parse.parse_yes_no(line)
            if yes is True:
                self._stop(EXIT_OK)
            if yes is False:
                self.say("Goed, we gaan verder.")
                self._shown = None
                return
            self.say("Typ j (ja, stoppen) of n (nee, verder).", ERROR)

    def _stop(self, code: int) -> None:
        """End the chat at a prompt, keeping everything answered.

        Exit codes, the same for every way of stopping at a prompt (:stop, Ctrl-C then j,
        Ctrl-C twice, Ctrl-D, a closed input): 0, with the resume hint. Stopping halfway is a
        normal, supported way to use the chat -- every answer is already saved and nothing
        failed. A non-zero code is left for errors, and 130 for an interrupt that cut work
        short (Ctrl-C while the plan was being written, or a stop signal).
        """
        if self.path is not None:
            self._save()
            self.say(f"Uw antwoorden zijn bewaard in {show_path(self.path)}.")
            self.say_command("Later verder gaan:", self.command("resume", show_path(self.path)))
        elif self._offered is not None:
            self.say("Gestopt. Van dit nieuwe gesprek is niets bewaard; het eerdere gesprek "
                     f"staat nog in {show_path(self._offered)}.")
            self.say_command("Daarmee verder gaan:",
                             self.command("resume", show_path(self._offered)))
        else:
            self.say("Gestopt. Er was nog niets om te bewaren.")
        raise Stop(code)

    # ------------------------------------------------------------------ provided elsewhere

    def _save(self) -> None:  # wizard.chat.sessionfiles
        raise NotImplementedError

    def _review(self) -> bool:  # wizard.chat.conversation
        raise NotImplementedError

    def _finish(self) -> int:  # wizard.chat.conversation
        raise NotImplementedError

    def _after_move(self) -> None:  # wizard.chat.conversation
        raise NotImplementedError

    def _show_question(self, cur: Question, *, editing: bool = False) -> None:  # .texts
        raise NotImplementedError
