"""Until the first prompt the chat writes its lines without prompt_toolkit (issue 17: the
first question on screen sooner); the bytes must be exactly prompt_toolkit's."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pexpect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.output.defaults import create_output
from prompt_toolkit.output.vt100 import Vt100_Output

from wizard.chat import terminal
from wizard.chat.frontend import BOT, ERROR, GOOD, HEADING, HINT, OPTION, QUESTION

ROOT = Path(__file__).resolve().parent.parent
STYLES = (BOT, HEADING, QUESTION, OPTION, HINT, ERROR, GOOD)
DEPTHS = [d.value for d in ColorDepth]


def prompt_toolkit_line(text: str, style: str, depth: str) -> str:
    """What TerminalFrontend.say writes through prompt_toolkit (the route after the first
    prompt, and the only route before this change)."""
    sink = io.StringIO()
    out = Vt100_Output(sink, lambda: Size(rows=24, columns=80), term="xterm-256color",
                       default_color_depth=ColorDepth(depth))
    with create_pipe_input() as inp, create_app_session(input=inp, output=out):
        fe = terminal.TerminalFrontend(width=80)
        assert fe._fast is None  # prompt_toolkit is loaded here: its own route
        fe.say(text, style)
    return sink.getvalue()


def test_every_style_and_depth_is_in_the_table() -> None:
    assert sorted(terminal.FAST_LINES) == sorted(DEPTHS)
    for depth in DEPTHS:
        assert sorted(terminal.FAST_LINES[depth]) == sorted(STYLES)


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("style", STYLES)
def test_fast_line_is_prompt_toolkits_line(style: str, depth: str) -> None:
    for text in ("Vraag 1 van 80: Voor welke gemeente vult u de zelfscan in?", "", "één\ntwee",
                 "a\r\nb", "escape \x1b[31m rood", "  ingesprongen  "):
        assert terminal.fast_line(text, style, depth) == prompt_toolkit_line(text, style, depth)


@settings(max_examples=150, deadline=None)
@given(text=st.text(), style=st.sampled_from(STYLES), depth=st.sampled_from(DEPTHS))
def test_fast_line_is_prompt_toolkits_line_for_any_text(text: str, style: str,
                                                         depth: str) -> None:
    assert terminal.fast_line(text, style, depth) == prompt_toolkit_line(text, style, depth)


@pytest.mark.parametrize("term", ["xterm-256color", "xterm", "linux", "eterm-color", "screen",
                                  "dumb", "unknown", "", None])
@pytest.mark.parametrize("forced", [None, "DEPTH_1_BIT", "DEPTH_4_BIT", "DEPTH_24_BIT",
                                    "onzin"])
@pytest.mark.parametrize("no_color", [None, "1"])
def test_fast_depth_is_the_depth_prompt_toolkit_would_use(monkeypatch, term, forced,
                                                          no_color) -> None:
    for name, value in (("TERM", term), ("PROMPT_TOOLKIT_COLOR_DEPTH", forced),
                        ("NO_COLOR", no_color)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    primary, secondary = os.openpty()
    with open(secondary, "w", encoding="utf-8", closefd=True) as tty:
        monkeypatch.setattr(sys, "stdout", tty)
        expected = terminal.color_depth() or create_output(stdout=tty).get_default_color_depth()
        assert terminal.fast_depth() == expected.value
    os.close(primary)


def test_no_fast_route_without_a_terminal(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert terminal.fast_depth() is None


def _screen_until_first_prompt(tmp_path: Path, early_prompt_toolkit: bool) -> str:
    """Everything `zelfscan start` writes up to its first prompt, in a real terminal."""
    code = ("import sys, runpy\n"
            + ("import prompt_toolkit.application\n" if early_prompt_toolkit else "")
            + "sys.argv = ['zelfscan', 'start', '--map', sys.argv[1]]\n"
              "runpy.run_module('wizard', run_name='__main__')\n")
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    folder = tmp_path / ("vroeg" if early_prompt_toolkit else "snel")
    child = pexpect.spawn(sys.executable, ["-c", code, str(folder)], cwd=str(ROOT), env=env,
                          dimensions=(24, 80), encoding="utf-8", timeout=30)
    screen = io.StringIO()
    child.logfile_read = screen
    try:
        child.expect_exact("Korte of volledige scan?")
        child.expect_exact("\x1b[?25h")  # the prompt is drawn: the cursor is shown
        return screen.getvalue()
    finally:
        child.terminate(force=True)


@pytest.mark.timeout(120)
def test_start_writes_the_same_screen_with_and_without_the_fast_route(tmp_path) -> None:
    fast = _screen_until_first_prompt(tmp_path, early_prompt_toolkit=False)
    slow = _screen_until_first_prompt(tmp_path, early_prompt_toolkit=True)
    assert "Welke scan wilt u doen?" in fast and "Korte of volledige scan?" in fast
    assert fast == slow


@pytest.mark.timeout(120)
def test_keys_typed_before_the_first_prompt_are_not_echoed_twice(tmp_path) -> None:
    # The question is on screen before prompt_toolkit is loaded: what is typed in that
    # moment must reach the prompt once, not also stand on a line of its own above it.
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
    child = pexpect.spawn(sys.executable, ["-m", "wizard", "start", "--map", str(tmp_path)],
                          cwd=str(ROOT), env=env, dimensions=(24, 80), encoding="utf-8",
                          timeout=30)
    screen = io.StringIO()
    child.logfile_read = screen
    try:
        child.expect_exact("Welke scan wilt u doen?")
        child.send("v\r")  # at once: prompt_toolkit is still loading
        child.expect_exact("De volledige scan")
        before_prompt = screen.getvalue().split("Korte of volledige scan?")[0]
        assert "v\r\n" not in before_prompt.split("Welke scan wilt u doen?")[1]
        child.expect_exact("Voor welke gemeente")
        child.send(":stop\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
