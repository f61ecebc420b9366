"""`zelfscan batch`: draft plans for many answers files in one go, plus an overview.

The questionnaire, scoring configuration and advice rules are loaded once. Each file is
then handled on its own: a bad file is reported (with file:line) and skipped, the others are
still written. The per-file work lives in plain functions over picklable values so that it
can later be mapped over a process pool.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.errors import EXIT_ERROR, EXIT_OK, ZelfscanError
from wizard.files.safepath import unique_folder_names
from wizard.questionnaire.model import Questionnaire

DEFAULT_OUTPUT = "outputs"
OVERVIEW_MD = "overzicht.md"
OVERVIEW_HTML = "overzicht.html"
PROGRESS_FROM = 10  # show a progress line from this many files on (and only on a terminal)


@dataclass(frozen=True)
class BatchContext:
    """Everything loaded once per run; shared (read-only) by every file."""

    q: Questionnaire
    config: Any  # wizard.assessment.scoring.ScoringConfig
    rules: Any  # wizard.assessment.advice.SupportRules
    out_dir: Path
    force: bool = False
    public_only: bool = False  # --alleen-openbaar: no annex, no answers file
    vorige: str | None = None  # --vorige: previous answers file, for a progress section
    word: bool = True  # --zonder-word turns the .docx files off


@dataclass
class Loaded:
    path: str
    answers: Any = None  # wizard.answers.store.Answers, or None when loading failed
    error: str = ""
    is_vorige: bool = False  # the same file as --vorige: no progress section


@dataclass
class FileResult:
    """One row of the summary and the overview."""

    path: str
    municipality: str = ""
    date: str = ""
    folder: str = ""
    ok: bool = False
    error: str = ""
    threat: str = ""
    resilience: str = ""
    quadrant: str = ""
    priorities: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    warning: str = ""  # Dutch, for stderr (e.g. --vorige is of another municipality)
    # (answers, profile, advice) of a written plan, for the regional overview.
    outcome: Any = field(default=None, repr=False, compare=False)


def load_context(vragenlijst: str | None, out_dir: Path, force: bool,
                 public_only: bool = False, vorige: str | None = None,
                 word: bool = True) -> BatchContext:
    from wizard.assessment import advice, scoring
    from wizard.questionnaire.loader import load_questionnaire

    q = load_questionnaire(vragenlijst)
    if vorige:
        from wizard.assessment.compare import load_for_compare

        load_for_compare(vorige, q)  # a bad previous file stops the run before any writing
    return BatchContext(q, scoring.load_config(q), advice.load_rules(q), out_dir, force,
                        public_only, str(vorige) if vorige else None, word)


def load_one(path: str, q: Questionnaire) -> Loaded:
    """Load and validate one answers file (YAML, or an Excel workbook from `zelfscan blank
    --xlsx`); problems become text (file:line or sheet!cell), not raises."""
    from wizard.answers.xlsx import load_any_answers

    try:
        return Loaded(path, load_any_answers(path, q))
    except ZelfscanError as err:
        return Loaded(path, None, str(err))


def process_one(ctx: BatchContext, loaded: Loaded, folder: str) -> FileResult:
    """Score, advise and write one municipality's plan into ctx.out_dir/folder."""
    from wizard.assessment import advice as advice_mod
    from wizard.assessment import scoring
    from wizard.plan.build_common import municipality
    from wizard.plan.output import write_outputs
    from wizard.plan.progress import previous_sections

    result = FileResult(loaded.path, folder=folder)
    if loaded.answers is None:
        result.error = loaded.error
        return result
    answers = loaded.answers
    result.municipality = municipality(answers)
    result.date = str(answers.date or "")
    try:
        profile = scoring.score(ctx.q, answers, ctx.config)
        adv = advice_mod.advise(ctx.q, answers, profile, ctx.rules)
        progress = None
        if ctx.vorige and loaded.is_vorige:
            result.warning = (
                f"Let op: {loaded.path} is hetzelfde bestand als {ctx.vorige} (--vorige); "
                "een zelfscan met zichzelf vergelijken zegt niets, dus het plan van "
                f"{result.municipality} heeft geen paragraaf over de voortgang. Geef bij "
                "--vorige het antwoordbestand van de vorige zelfscan op.")
        elif ctx.vorige:
            progress = previous_sections(ctx.vorige, ctx.q, answers, ctx.config, ctx.rules)
            if progress is None:
                result.warning = (
                    f"Let op: {ctx.vorige} (--vorige) is van een andere gemeente dan "
                    f"{loaded.path}; het plan van {result.municipality} heeft daarom geen "
                    "paragraaf over de voortgang.")
        paths = write_outputs(ctx.q, answers, ctx.out_dir / folder, force=ctx.force,
                              profile=profile, advice=adv, public_only=ctx.public_only,
                              progress=progress, word=ctx.word, config=ctx.config)
    except ZelfscanError as err:
        result.error = f"{loaded.path}: {err}"
        return result
    result.ok = True
    result.threat = profile.threat.label
    result.resilience = profile.resilience_label
    result.quadrant = profile.quadrant.name
    # No shortfall: no priorities anywhere, only 'bijhouden' (issue 12).
    result.priorities = [p.title for p in adv.top(3) if p.status in ("tekort", "onbekend")] \
        if adv.has_shortfall else []
    result.bodies = [r.name for r in adv.recommendations]
    result.files = [str(p) for p in paths]
    result.outcome = (answers, profile, adv)
    return result


def _progress(i: int, n: int, enabled: bool) -> None:
    if enabled:
        width = len(str(n))
        sys.stderr.write(f"\r[{i:>{width}}/{n}] ")
        sys.stderr.flush()


def run_batch(
    files: Sequence[str],
    out_dir: str | Path,
    *,
    force: bool = False,
    vragenlijst: str | None = None,
    out=None,
    err=None,
    public_only: bool = False,
    vorige: str | None = None,
    word: bool = True,
    jobs: int | None = None,
) -> tuple[int, list[FileResult]]:
    """The whole batch; returns (exit code, results in input order).

    `public_only` (--alleen-openbaar): each folder gets only the public plan, for sharing
    a draft; no confidential annex and no copy of the answers. `vorige` (--vorige): an
    earlier answers file; each plan of the same municipality gets a progress section."""
    out = out or sys.stdout
    err = err or sys.stderr
    out_path = Path(out_dir)
    ctx = load_context(vragenlijst, out_path, force, public_only, vorige, word)

    files, duplicates = _without_duplicates(files)
    for line in duplicates:
        err.write(line + "\n")
    show = len(files) >= PROGRESS_FROM and _isatty(err)
    n = len(files)
    pool = _pool(ctx, n, jobs)
    try:
        return _run(ctx, files, pool, show, out, err)
    finally:
        if pool is not None:
            pool.shutdown()


# Work on all cores when it pays off: each file is independent, and results come back in
# input order, so output bytes and the summary do not depend on the number of workers.
PARALLEL_FROM = 8
_WORKER_CTX: BatchContext | None = None


def _pool(ctx: BatchContext, n: int, jobs: int | None):  # type: ignore[no-untyped-def]
    import os

    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if workers < 2 or n < PARALLEL_FROM:
        return None
    import multiprocessing  # only now: a one-file run need not pay for it
    # Only with 'fork': the loaded questionnaire and rules are inherited, not re-pickled
    # per task (on Windows/macOS-spawn the sequential path is used).
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_CTX
    _WORKER_CTX = ctx
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def _load_in_worker(path: str) -> Loaded:
    assert _WORKER_CTX is not None
    return load_one(path, _WORKER_CTX.q)


def _process_in_worker(item: tuple[Loaded, str]) -> FileResult:
    assert _WORKER_CTX is not None
    return process_one(_WORKER_CTX, item[0], item[1])


def _run(ctx: BatchContext, files: Sequence[str], pool: Any, show: bool, out: Any,
         err: Any) -> tuple[int, list[FileResult]]:
    n = len(files)
    loaded: list[Loaded] = []
    if pool is None:
        for i, f in enumerate(files, start=1):
            _progress(i, n * 2, show)
            loaded.append(load_one(str(f), ctx.q))
    else:
        for i, item in enumerate(pool.map(_load_in_worker, [str(f) for f in files],
                                          chunksize=4), start=1):
            _progress(i, n * 2, show)
            loaded.append(item)

    if ctx.vorige:
        vorige_key = _file_key(ctx.vorige)
        for item in loaded:
            item.is_vorige = _file_key(item.path) == vorige_key

    # Folder names are decided for the whole run before anything is written, so that
    # 'Ède' and 'ede' (or the same municipality twice) never overwrite each other.
    names = [
        str(item.answers.values.get("intake.gemeente") or Path(item.path).stem)
        if item.answers is not None else Path(item.path).stem
        for item in loaded
    ]
    dates = [str(item.answers.date or "") if item.answers is not None else ""
             for item in loaded]
    folder_names, dated = _dated_repeats(names, dates, loaded)
    folders, collisions = unique_folder_names(folder_names, dates)
    notes: list[str] = [
        f"Let op: '{_clip(municipality_name, 60)}' staat {len(idxs)} keer in deze run; "
        "elke map krijgt daarom de datum van de zelfscan: "
        + ", ".join(f"'{folders[i]}' ({loaded[i].path})" for i in idxs) + "."
        for municipality_name, idxs in dated
    ]
    for idx, earlier, folder in collisions:
        if loaded[idx].answers is None or loaded[earlier].answers is None:
            continue
        notes.append(
            f"Let op: '{names[idx]}' ({loaded[idx].path}) en '{names[earlier]}' "
            f"({loaded[earlier].path}) krijgen dezelfde mapnaam; het plan van "
            f"{loaded[idx].path} staat daarom in '{folder}'."
        )

    results: list[FileResult] = []
    if pool is None:
        for i, (item, folder) in enumerate(zip(loaded, folders), start=1):
            _progress(n + i, n * 2, show)
            results.append(process_one(ctx, item, folder))
    else:
        work = list(zip(loaded, folders))
        for i, res in enumerate(pool.map(_process_in_worker, work, chunksize=2), start=1):
            _progress(n + i, n * 2, show)
            results.append(res)
    if show:
        err.write("\r" + " " * (len(str(n * 2)) * 2 + 4) + "\r")

    ok = sum(r.ok for r in results)
    # No plan written, no overview: an overview of 0 plans says nothing, and it would make
    # the corrected rerun stop on "er staat al een overzicht".
    overview_error = _write_overview(ctx, results) if ok else None
    wrote_overview = bool(ok) and overview_error is None

    for line in notes + [r.warning for r in results if r.warning]:
        err.write(line + "\n")
    out.write(summary_table(results))
    failed = [r for r in results if not r.ok]
    out.write(f"\n{ok} van {len(results)} plannen geschreven in {ctx.out_dir}"
              + (f"; overzicht: {ctx.out_dir / OVERVIEW_MD}" if wrote_overview else "")
              + ".\n")
    if ctx.public_only:
        out.write("Alleen openbaar (--alleen-openbaar): alleen de openbare plannen zijn "
                  "geschreven, zonder vertrouwelijke bijlage en zonder antwoordbestand.\n")
    if failed:
        err.write(failure_line(len(failed), len(results)) + "\n")
        for r in failed:
            err.write("  " + r.error.replace("\n", "\n  ") + "\n")
    if overview_error:
        err.write("zelfscan: het overzicht is niet geschreven:\n  "
                  + overview_error.replace("\n", "\n  ") + "\n")
    if failed or overview_error:
        err.flush()
        return EXIT_ERROR, results
    return EXIT_OK, results


def _dated_repeats(names: list[str], dates: list[str], loaded: list[Loaded]
                   ) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Names for the folders: a municipality that occurs more than once in the run gets
    its assessment date in every folder ('zwaanrecht-2025-03-12', 'zwaanrecht-2026-03-18'),
    not only in the later ones; a single one keeps its plain name. Returns the names and,
    per repeated municipality, (its name, the indexes that got a date)."""
    from wizard.files.safepath import MAX_LENGTH, safe_folder_name
    from wizard.files.slug import slugify

    groups: dict[str, list[int]] = {}
    for i, item in enumerate(loaded):
        if item.answers is not None:
            groups.setdefault(" ".join(names[i].split()).casefold(), []).append(i)
    result = list(names)
    dated: list[tuple[str, list[int]]] = []
    for idxs in groups.values():
        with_date = [i for i in idxs if slugify(dates[i])]
        if len(idxs) < 2 or not with_date:
            continue
        for i in with_date:
            qualifier = slugify(dates[i])
            base = safe_folder_name(names[i])
            result[i] = base[: MAX_LENGTH - len(qualifier) - 1].rstrip("-") + "-" + qualifier
        dated.append((names[idxs[0]], with_date))
    return result, dated


def _file_key(path: str) -> Any:
    """Identity of a file: (device, inode) when it exists, so that 'a.yaml', './a.yaml'
    and a link to it are one file; otherwise the resolved path."""
    import os

    try:
        st = os.stat(path)
        return (st.st_dev, st.st_ino)
    except (OSError, ValueError):
        try:
            return str(Path(path).resolve())
        except (OSError, RuntimeError, ValueError):
            return str(path)


def _without_duplicates(files: Sequence[str]) -> tuple[list[str], list[str]]:
    """The files with repeats of the same file left out (they would give 'x' and 'x-2'
    with identical plans), plus a Dutch warning per repeat."""
    seen: dict[Any, str] = {}
    kept: list[str] = []
    notes: list[str] = []
    for f in files:
        key = _file_key(str(f))
        if key in seen:
            notes.append(f"Let op: {f} is hetzelfde bestand als {seen[key]}; het is maar "
                         "één keer verwerkt.")
            continue
        seen[key] = str(f)
        kept.append(str(f))
    return kept, notes


def failure_line(failed: int, total: int) -> str:
    """The Dutch summary of failed files; only says 'the others are written' when there
    are others."""
    ok = total - failed
    if ok == 0:
        if total == 1:
            return "zelfscan: het bestand is niet gelukt; er is geen plan geschreven."
        return (f"zelfscan: geen van de {total} bestanden is gelukt; er is geen plan "
                "geschreven.")
    word = "bestanden is" if failed == 1 else "bestanden zijn"  # '1 van de 3 bestanden is'
    rest = "het andere plan is" if ok == 1 else f"de andere {ok} plannen zijn"
    return (f"zelfscan: {failed} van de {total} {word} niet gelukt en overgeslagen; "
            f"{rest} wel geschreven.")


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def summary_table(results: list[FileResult]) -> str:
    """Plain-text table for the terminal: gemeente, kwadrant, dreiging, top, status."""
    header = ("Gemeente", "Kwadrant", "Dreiging", "Top prioriteit", "Status")
    rows = []
    for r in results:
        status = f"geschreven ({r.folder})" if r.ok else "fout (zie hieronder)"
        rows.append((
            _clip(r.municipality or Path(r.path).name), _clip(r.quadrant or "—"),
            _clip(r.threat or "—"),
            _clip(r.priorities[0] if r.priorities else ("bijhouden" if r.ok else "—")), status,
        ))
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(header)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int = 40) -> str:
    # Names come from files: keep one line and no control characters on the terminal.
    text = "".join(ch if ch.isprintable() else " " for ch in str(text)).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def _write_overview(ctx: BatchContext, results: list[FileResult]) -> str | None:
    """overzicht.md + overzicht.html for this run; returns an error text or None.

    Only called when at least one plan was written. The overview describes the plans of
    this run, so it follows the same rule as the plans: an existing overview (perhaps
    edited or already shared) is only replaced with --force; with --force it is made anew
    for this run, so rerun all files to keep every municipality in it."""
    from wizard.files.yamlio import atomic_write_text
    from wizard.plan import html_out, markdown_out
    from wizard.plan.overview import PlanRow, overview_document

    md_path = ctx.out_dir / OVERVIEW_MD
    html_path = ctx.out_dir / OVERVIEW_HTML
    if not ctx.force and (md_path.exists() or html_path.exists()):
        return (f"{md_path}: er staat al een overzicht; er is niets overschreven\n"
                "    → De plannen zelf zijn wel geschreven. Kies een andere uitvoermap, of "
                "maak het overzicht opnieuw met --force (geef dan alle bestanden op: het "
                "overzicht bevat alleen de plannen van die run).")
    done = sorted((r for r in results if r.ok and r.outcome is not None),
                  key=lambda r: (r.municipality.casefold(), r.date, r.folder))
    failed = [Path(r.path).name for r in results if not r.ok]
    rows = [PlanRow(r.municipality, r.date, r.folder, r.outcome[1], r.outcome[2])
            for r in done]
    latest = _latest_per_municipality(done)
    doc = overview_document(rows, failed, [(ctx.q, *r.outcome) for r in latest])
    atomic_write_text(md_path, markdown_out.render(doc))
    atomic_write_text(html_path, html_out.render(doc))
    return None


def _latest_per_municipality(results: list[FileResult]) -> list[FileResult]:
    """One result per municipality (the most recent assessment), so that two years of one
    municipality in a run do not count twice in the regional overview."""
    latest: dict[str, FileResult] = {}
    for r in results:
        if r.outcome is None:
            continue
        key = " ".join(r.municipality.split()).casefold()
        if key not in latest or r.date >= latest[key].date:
            latest[key] = r
    return list(latest.values())
