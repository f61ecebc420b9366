"""The ONE pipeline that writes an output set: answers -> results -> documents -> files.

`write_outputs` builds the public plan and the confidential annex once as documents, renders
each to Markdown, HTML and Word, and writes them with the chart SVGs and the answers file as
one set: every file goes to a hidden temp file first and only when all are complete are they
renamed into place; confidential files are created with mode 0600; an existing plan is never
overwritten without `force`. Same answers, same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from wizard.assessment.results import Advice, Profile
from wizard.errors import ZelfscanError
from wizard.files.atomic import atomic_write_bytes
from wizard.files.fileset import FileSpec, write_file_set
from wizard.plan import html_out, markdown_out
from wizard.plan.build_common import Ctx, municipality
from wizard.plan.charts import CHART_FILES, figures, grid_from_config
from wizard.plan.document import Document, Section
from wizard.plan.texts import load_texts
from wizard.questionnaire.model import Questionnaire

PLAN_MD = "plan.md"
PLAN_HTML = "plan.html"
PLAN_DOCX = "plan.docx"
ANNEX_MD = "bijlage-vertrouwelijk.md"
ANNEX_HTML = "bijlage-vertrouwelijk.html"
ANNEX_DOCX = "bijlage-vertrouwelijk.docx"
ANSWERS_YAML = "antwoorden.yaml"
PUBLIC_FILES = (PLAN_MD, PLAN_HTML, PLAN_DOCX)
CONFIDENTIAL_FILES = (ANNEX_MD, ANNEX_HTML, ANNEX_DOCX, ANSWERS_YAML)
OUTPUT_FILES = PUBLIC_FILES + CONFIDENTIAL_FILES


_GRIDS: dict[tuple[str, int], Any] = {}


def _grid(q: Questionnaire) -> Any:
    """The quadrant grid of this questionnaire's scoring.yaml (read once per file version)."""
    from wizard.assessment import scoring

    path = scoring.config_path(q, "scoring")
    key = (str(path), path.stat().st_mtime_ns if path.exists() else 0)
    if key not in _GRIDS:
        _GRIDS[key] = grid_from_config(scoring.load_config(q, path))
    return _GRIDS[key]


def results(q: Questionnaire, answers: Any, profile: Profile | None = None,
            advice: Advice | None = None) -> tuple[Profile, Advice]:
    from wizard.assessment import advice as advice_mod
    from wizard.assessment import scoring

    if profile is None:
        profile = scoring.score(q, answers, scoring.load_config(q))
    if advice is None:
        advice = advice_mod.advise(q, answers, profile, advice_mod.load_rules(q))
    return profile, advice


def documents(q: Questionnaire, answers: Any, profile: Profile | None = None,
              advice: Advice | None = None, progress: tuple[Section, Section] | None = None,
              grid: Any = None) -> tuple[Document, Document, dict[str, Any]]:
    """(public plan, confidential annex, figures by file name), built once from the results."""
    from wizard.plan.build_annex import build_annex
    from wizard.plan.build_plan import build_plan

    profile, advice = results(q, answers, profile, advice)
    texts = load_texts(q)
    name = municipality(answers)  # what Ctx.gemeente says, without building a Ctx
    figs = figures(profile, name, grid or _grid(q))
    plan = build_plan(Ctx(q, answers, profile, advice, texts, True), figs,
                      progress[0] if progress else None)
    annex = build_annex(Ctx(q, answers, profile, advice, texts, False),
                        progress[1] if progress else None)
    leaks = plan.leaks()
    if leaks:  # a builder mistake: never write it
        raise AssertionError(f"confidential elements in the public plan: {leaks}")
    return plan, annex, figs


def render_plan(q: Questionnaire, answers: Any, profile: Profile | None = None,
                advice: Advice | None = None) -> str:
    """The public plan as Markdown."""
    return markdown_out.render(documents(q, answers, profile, advice)[0])


def render_annex(q: Questionnaire, answers: Any, profile: Profile | None = None,
                 advice: Advice | None = None) -> str:
    """The confidential annex as Markdown."""
    return markdown_out.render(documents(q, answers, profile, advice)[1])


def write_outputs(
    q: Questionnaire,
    answers: Any,
    out_dir: str | Path,
    *,
    force: bool = False,
    profile: Profile | None = None,
    advice: Advice | None = None,
    public_only: bool = False,
    progress: tuple[Section, Section] | None = None,
    word: bool = True,
    config: Any = None,
    marker: Callable[[list[Path]], FileSpec] | None = None,
) -> list[Path]:
    """Write, in this order, plan.md, plan.html, plan.docx (public), bijlage-vertrouwelijk.md,
    .html, .docx and antwoorden.yaml (confidential, mode 0600), then the chart SVGs (public).

    `public_only`: only the public plan and charts, for sharing a draft; an annex left from
    an earlier run in that folder is removed (it would no longer match the plan, and the
    folder is meant to be shared); antwoorden.yaml is left alone.
    An existing plan is never overwritten without `force`: we refuse (a Dutch error) rather
    than write plan-2.md, because a numbered copy next to an edited plan is easy to miss.
    `progress`: (public, annex) sections from `progress.previous_sections` (--vorige).
    `word=False` (batch --zonder-word) skips the .docx files.
    `config`: the scoring configuration (read from the questionnaire when None).
    `marker`: makes, from the paths written, a file that says the set is complete (batch's
    --hervat stamp); it is written after the set is on disk (wizard.files.fileset), and
    after the old annex is gone with `public_only`.
    """
    out = Path(out_dir)
    names: tuple[str, ...] = PUBLIC_FILES if public_only else OUTPUT_FILES
    if not word:
        names = tuple(n for n in names if not n.endswith(".docx"))
    if not force:
        # The annex counts even for a public-only run: it belongs to the plan next to it.
        existing = [out / n for n in OUTPUT_FILES + CHART_FILES
                    if (out / n).exists() and (n != ANSWERS_YAML or not public_only)]
        if existing:
            raise ZelfscanError(
                f"in deze map staat al een plan ({', '.join(p.name for p in existing)}); "
                "er is niets overschreven",
                file=out,
                hint="Kies een andere uitvoermap, of gebruik --force om het bestaande plan "
                     "te vervangen (eigen wijzigingen in dat plan gaan dan verloren).",
            )
    grid = grid_from_config(config) if config is not None else None
    plan, annex, figs = documents(q, answers, profile, advice, progress, grid)
    # Everything is made in memory first and then written as one set: an error or a kill
    # halfway never leaves a new plan.md next to an old plan.html.
    rendered: dict[str, tuple[bytes, bool]] = {
        PLAN_MD: (markdown_out.render(plan).encode("utf-8"), False),
        PLAN_HTML: (html_out.render(plan).encode("utf-8"), False),
    }
    if word:
        # python-docx is imported only here: most commands never write Word.
        from wizard.plan import docx_out

        rendered[PLAN_DOCX] = (docx_out.render(plan), False)
    if not public_only:
        from wizard.answers.store import dump_answers

        # The annex is as confidential as the answers: readable by the user only.
        rendered[ANNEX_MD] = (markdown_out.render(annex).encode("utf-8"), True)
        rendered[ANNEX_HTML] = (html_out.render(annex).encode("utf-8"), True)
        if word:
            rendered[ANNEX_DOCX] = (docx_out.render(annex), True)
        rendered[ANSWERS_YAML] = (dump_answers(answers, q).encode("utf-8"), True)
    files = [(out / n, *rendered[n]) for n in names]
    # The SVG files sit next to plan.md, which refers to them (plan.html embeds them).
    files += [(out / n, figs[n].svg.encode("utf-8"), False) for n in CHART_FILES]
    paths = [path for path, _, _ in files]
    write_file_set(files, last=marker(paths) if marker and not public_only else None)
    if public_only:
        for n in (ANNEX_MD, ANNEX_HTML, ANNEX_DOCX):
            try:
                (out / n).unlink()
            except FileNotFoundError:
                pass
        if marker:
            path, data, private = marker(paths)
            atomic_write_bytes(path, data, private=private)
    return paths
