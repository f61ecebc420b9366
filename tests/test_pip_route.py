"""The README's "Classificatie wijzigen" route works after a real `pip install .` (issue 14).

One slow test (a fresh virtual environment and a non-editable install, ~15 s): an adviser
who edits the project's questionnaires/ folder after `pip install .` changes nothing; the
documented route (copy, edit, generate, validate, use via ZELFSCAN_VRAGENLIJST) does, and
the marked question's answer is then absent from the public plan.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "examples" / "welderbroek.yaml"
QID = "borgen-van-de-aanpak.hoe-betrek-ik-het-college"
ANSWER = "De burgemeester krijgt twee keer per jaar een korte stand van zaken"


def _readme_steps() -> list[str]:
    """The commands of the README's route, as written there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("**Classificatie wijzigen.**", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```\n(.*?)```", section, re.DOTALL)
    assert block, "the README shows the route as commands"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines()
            if line.strip() and not line.startswith("#")]


def test_readme_route_from_a_real_install(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items()
           if k not in ("ZELFSCAN_VRAGENLIJST", "PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True,
                   timeout=600, env=env, capture_output=True)
    zelfscan = str(venv / "bin" / "zelfscan")
    work = tmp_path / "werk"
    work.mkdir()

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([zelfscan, *args], cwd=work, env={**env, **extra}, check=False,
                              capture_output=True, text=True, timeout=300)

    # The trap: a copy of the project's questionnaires/ folder, edited, but not in use.
    assert run("vragenlijst", "kopieer", "questionnaires").returncode == 0
    cls = work / "questionnaires" / "classificatie.yaml"
    cls.write_text(cls.read_text(encoding="utf-8").replace(
        "vertrouwelijke_open_vragen:\n", "vertrouwelijke_open_vragen:\n  - borgen-van-de-aanpak\n",
        1), encoding="utf-8")
    trap = run("validate")
    assert trap.returncode == 0, trap.stderr
    assert "Vragenlijst: de ingebouwde vragenlijst" in trap.stdout
    assert "site-packages" in trap.stdout  # the installed copy, said in so many words
    assert trap.stderr.count("is een aangepaste vragenlijst, maar Zelfscan gebruikt") == 1

    # The README's steps, with the names it uses.
    steps = _readme_steps()
    assert any(s.startswith("zelfscan vragenlijst kopieer") for s in steps), steps
    folder = next(s.split()[-1] for s in steps if s.startswith("zelfscan vragenlijst kopieer"))
    for step in steps:
        words = step.split()
        assert words[0] == "zelfscan", step
        if words[1:3] == ["vragenlijst", "kopieer"]:
            result = run(*words[1:])
            assert result.returncode == 0, result.stderr
            # What the README says to edit: the section id under vertrouwelijke_open_vragen.
            own = work / folder / "classificatie.yaml"
            own.write_text(own.read_text(encoding="utf-8").replace(
                "vertrouwelijke_open_vragen:\n",
                "vertrouwelijke_open_vragen:\n  - borgen-van-de-aanpak\n", 1), encoding="utf-8")
            continue
        result = run(*words[1:])
        assert result.returncode == 0, (step, result.stdout, result.stderr)
        if "validate" in words:
            assert f"Vragenlijst: eigen vragenlijst {folder}/zelfscan.yaml" in result.stdout

    # Used for a whole team through the environment variable: the answer left the plan.
    used = run("batch", str(ANSWERS), "-o", "uit", ZELFSCAN_VRAGENLIJST=str(work / folder))
    assert used.returncode == 0, used.stderr
    plan = (work / "uit" / "welderbroek" / "plan.md").read_text(encoding="utf-8")
    annex = (work / "uit" / "welderbroek" / "bijlage-vertrouwelijk.md").read_text(
        encoding="utf-8")
    assert ANSWER not in plan and ANSWER in annex
    # Without it the built-in questionnaire applies and the answer is public: the edit
    # (not something else) made the difference.
    plain = run("batch", str(ANSWERS), "-o", "uit2")
    assert plain.returncode == 0, plain.stderr
    assert ANSWER in (work / "uit2" / "welderbroek" / "plan.md").read_text(encoding="utf-8")
