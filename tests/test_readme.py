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
