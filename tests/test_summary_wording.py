"""Resilience is stated as what it is measured by: components at their required level."""

from __future__ import annotations

import re
from pathlib import Path

from wizard.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _plan(tmp_path, name):
    assert main(["batch", str(ROOT / "examples" / f"{name}.yaml"), "-o", str(tmp_path / name),
                 "--zonder-word"]) == 0
    return (tmp_path / name / name / "plan.md").read_text(encoding="utf-8")


def test_resilience_line_counts_components_at_their_level(tmp_path, capsys):
    high = _plan(tmp_path, "welderbroek")
    m = re.search(r"\*\*Weerbaarheid:\*\* Hoog: (\d+) van de (\d+) onderdelen staan op het "
                  r"niveau dat bij deze dreiging nodig is", high)
    assert m and m.group(1) == m.group(2)
    low = _plan(tmp_path, "schelderhoven")
    m = re.search(r"\*\*Weerbaarheid:\*\* (\w+): (\d+) van de (\d+) onderdel", low)
    assert m and m.group(1) == "Laag" and int(m.group(2)) < int(m.group(3))


def test_text_chart_without_header_leaves_out_the_profile_lines():
    from wizard.answers.store import load_answers
    from wizard.assessment.advice import advise, load_rules  # noqa: F401  (same loading as batch)
    from wizard.assessment.scoring import load_config, score
    from wizard.plan.charts import text_chart
    from wizard.questionnaire.loader import load_questionnaire

    q = load_questionnaire()
    profile = score(q, load_answers(ROOT / "examples" / "welderbroek.yaml", q), load_config(q))
    full, bare = text_chart(profile), text_chart(profile, header=False)
    assert full.startswith("Dreiging:") and "Kwadrant:" in full
    assert bare.startswith("Onderdeel") and "Dreiging:" not in bare
    assert bare.splitlines() == full.splitlines()[4:]
