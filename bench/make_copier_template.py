"""Generate a copier template equivalent to one Zelfscan plan, plus an answers data file.

    python bench/make_copier_template.py --output DIR [--answers ANSWERS.yaml]

Writes DIR/template/ (copier.yml with one question per question of the built-in
questionnaire, and plan.md.jinja that renders a plan-sized Markdown file from them) and
DIR/data.yml (the answers of ANSWERS.yaml, or of a generated municipality, as copier data).
bench/run.py times `copier copy --data-file DIR/data.yml --defaults --overwrite --quiet
DIR/template DEST` against rendering one plan with Zelfscan.

The template is not a git repository: copier 9 copies a local folder as it is (a git
template would add a clone per run, which would only flatter Zelfscan).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import yaml

from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import CHOICE, NUMBER, SCALE

# A Zelfscan plan.md for one municipality is 48-63 KB (342 generated municipalities).
PLAN_BYTES = 55_000


def _var(i: int) -> str:
    return f"v{i:03d}"


def _copier_question(question: Any, q: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"help": " ".join(question.text.split())}
    if question.kind == SCALE:
        options = question.options or q.scales[question.scale_id].options
        entry["type"] = "str"  # a level or 'weet_niet' / 'nvt'
        entry["choices"] = {o.label: str(o.value) for o in options} | (
            {"Weet niet": "weet_niet"} if question.allows_unknown else {}) | (
            {"Niet van toepassing": "nvt"} if question.allows_na else {})
        entry["default"] = "weet_niet" if question.allows_unknown else str(options[0].value)
    elif question.kind == CHOICE:
        entry["type"] = "str"
        entry["choices"] = {o.label: str(o.value) for o in question.options} | (
            {"Weet niet": "weet_niet"} if question.allows_unknown else {})
        entry["default"] = str(question.options[0].value)
    elif question.kind == NUMBER:
        entry["type"] = "int"
        entry["default"] = question.minimum or 0
    else:
        entry["type"] = "str"
        entry["multiline"] = True
        entry["default"] = ""
    return entry


def _template_text(q: Any, ids: dict[str, str]) -> str:
    """A Jinja plan: per section its text and per question the answer, like the real plan."""
    out = [("# Concept plan van aanpak radicalisering en extremisme — gemeente "
           f"{{{{ {ids['intake.gemeente']} }}}}"), ""]
    for sec in q.sections:
        out += [f"## {sec.title}", ""]
        for para in (sec.intro, sec.how):
            if para and para.strip():
                out += [" ".join(para.split()), ""]
        for question in sec.questions:
            var = ids[question.id]
            out += [f"### {' '.join(question.text.split())}", ""]
            if question.kind == SCALE:
                options = question.options or q.scales[question.scale_id].options
                out.append(f"{{% if {var} == 'weet_niet' %}}Weet niet"
                           f"{{% elif {var} == 'nvt' %}}Niet van toepassing")
                for o in options:
                    out.append(f"{{% elif {var} == '{o.value}' %}}{o.value} van "
                               f"{options[-1].value}: {o.label}")
                out.append("{% endif %}")
            else:
                out.append(f"{{{{ {var} }}}}")
            out.append("")
            if question.help:
                # First sentence only, as a plan would quote it (keeps the file plan-sized).
                out += [f"_{' '.join(question.help.split()).split('. ')[0]}_", ""]
    return "\n".join(out) + "\n"


def make_template(output: Path, answers_file: Path | None = None) -> tuple[Path, Path]:
    q = load_questionnaire()
    questions = list(q.questions())
    ids = {question.id: _var(i) for i, question in enumerate(questions, start=1)}
    template = output / "template"
    template.mkdir(parents=True, exist_ok=True)
    copier_yml: dict[str, Any] = {"_min_copier_version": "9", "_answers_file": ".antwoorden.yml"}
    for question in questions:
        copier_yml[ids[question.id]] = _copier_question(question, q)
    (template / "copier.yml").write_text(
        yaml.safe_dump(copier_yml, allow_unicode=True, sort_keys=False), encoding="utf-8")

    body = _template_text(q, ids)
    # Pad with the template's own prose (as the real plan quotes it) up to a plan's size.
    source = (_ROOT / "questionnaires" / "bron" / "plan-van-aanpak.txt").read_text("utf-8")
    extra = []
    while len(body.encode()) + sum(len(x.encode()) for x in extra) < PLAN_BYTES:
        extra.append(source[: PLAN_BYTES - len(body.encode())])
    if extra:
        body += "\n## Bijlage: tekst uit het sjabloon\n\n" + "".join(extra)
    (template / "plan.md.jinja").write_text(body, encoding="utf-8")

    data: dict[str, Any] = {}
    if answers_file is not None:
        from wizard.answers.store import load_answers

        values = load_answers(answers_file, q).values
    else:
        from bench.make_answers import make_answers  # type: ignore[import-not-found]

        values = make_answers(q, random.Random(1), 0, "Voorbeelddorp").values
    for question in questions:
        if question.id in values:
            value = values[question.id]
            data[ids[question.id]] = value if question.kind == NUMBER else str(value)
    data_file = output / "data.yml"
    data_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
    return template, data_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--answers", type=Path, default=None)
    args = parser.parse_args(argv)
    template, data = make_template(args.output, args.answers)
    print(f"copier-sjabloon: {template}\ndata: {data}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
