"""The README's two quick-start commands stay true, and CI runs the same test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _code_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL)]


def test_readme_starts_with_install_and_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = _code_blocks(readme)
    install, test = blocks[0], blocks[1]
    assert "pip install ." in install and install.rstrip().endswith("zelfscan")
    assert test == "bash tests/run-all.sh"
    script = (ROOT / "tests" / "run-all.sh").read_text(encoding="utf-8")
    # The script itself installs what the tests need and runs all of them.
    for step in ("apt-get install", "pip install -q -e '.[test]'", "ruff check", "mypy wizard",
                 "lint-imports", "generate questionnaires/bron/plan-van-aanpak.txt --check",
                 "python -m pytest"):
        assert step in script, step


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_cmd = _code_blocks(readme)[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.strip() for line in ci.splitlines()]
    assert test_cmd in ci_lines, "'.ci/run' must run the README's test command unchanged"


# ------------------------------------------------------------------ the sample conversation

# What the officer in the README types: a short scan for Heidebroek.
_SAMPLE_ANSWERS = {
    "intake.gemeente": "Heidebroek", "intake.inwoners": "25.000", "intake.provincie": "6",
    "intake.politieregio": "3", "intake.rol": "1", "intake.plan-aanwezig": "3",
    "dreiging.signalen": "1", "dreiging.casussen": "0", "dreiging.terugkeerders": "0",
    "dreiging.polarisatie": "2", "dreiging.online": "1", "dreiging.groeperingen": "w",
    "dreiging.incidenten-scholen": "0", "dreiging.incidenten-gebedshuizen": "0",
    "dreiging.families": "0",
}
# One answer per component, in order.
_SAMPLE_STATEMENTS = ["1", "2", "1", "2", "1", "2", "1", "1", "0", "1", "2"]


def _sample_transcript(tmp_path: Path, monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The chat as the README's officer has it, at 80 columns, as lines."""
    import io

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from wizard.chat.conversation import ASK, Chat
    from wizard.chat.terminal import TerminalFrontend
    from wizard.questionnaire.loader import load_questionnaire

    monkeypatch.chdir(tmp_path)  # paths as the README shows them: outputs/...
    statements = iter(_SAMPLE_STATEMENTS)
    out = io.StringIO()

    class Officer(TerminalFrontend):
        def ask(self, req):  # type: ignore[no-untyped-def]
            if req.prompt.startswith("Korte of volledige scan"):
                keys = "k"
            elif req.prompt == "> ":
                cur = chat.session.current
                keys = _SAMPLE_ANSWERS.get(cur.id) or next(statements)
            elif req.prompt == "nakijken> ":
                keys = ":klaar"
            elif req.prompt == "(j/n) > ":
                keys = "n"
            else:
                raise AssertionError(f"unexpected prompt {req.prompt!r}")
            inp.send_text(keys + "\r")
            return super().ask(req)

    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        chat = Chat(load_questionnaire(), Officer(transcript=out, width=80, height=24),
                    base_dir=Path("outputs"), scan=ASK, program="zelfscan")
        assert chat.run() == 0
    return out.getvalue().splitlines()


def test_readme_sample_conversation_is_what_the_chat_says(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Het gesprek", 1)[1].split("\n## ", 1)[0]
    sample = next(b for b in re.findall(r"```\n(.*?)```", section, flags=re.DOTALL)
                  if "Vraag 1 van" in b)
    said = _sample_transcript(tmp_path, monkeypatch)
    at = 0
    for line in sample.splitlines():
        if line.strip() == "...":
            continue  # the README leaves something out here
        found = next((i for i in range(at, len(said)) if said[i] == line), None)
        assert found is not None, f"README line not said by the chat (in this order): {line!r}"
        at = found + 1
