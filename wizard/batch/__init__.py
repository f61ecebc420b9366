"""`zelfscan batch`: draft plans for many answers files in one go, plus an overview.

The questionnaire, scoring configuration and advice rules are loaded once. Each file is
then handled on its own: a bad file is reported (with file:line) and skipped, the others are
still written. The per-file work lives in plain functions over picklable values so that it
can later be mapped over a process pool.
"""

from __future__ import annotations

import dataclasses
import sys
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import startup
from wizard.batch.model import AnswersHead, BatchContext, FileResult, Loaded, Task
from wizard.batch.names import _dated_repeats, _file_key, _without_duplicates
from wizard.batch.summary import SummaryTable, _clip, _isatty, _progress, failure_line
from wizard.errors import (
    EXIT_ERROR,
    EXIT_OK,
    WriteError,
    ZelfscanError,
    crash_report,
    internal_error_text,
    os_hint,
    os_reason,
)
from wizard.files.safepath import unique_folder_names
from wizard.questionnaire.model import Questionnaire

if TYPE_CHECKING:
    from wizard.batch.spill import ResultLog  # imported when a run writes results

DEFAULT_OUTPUT = "outputs"
OVERVIEW_MD = "overzicht.md"
OVERVIEW_HTML = "overzicht.html"
PROGRESS_FROM = 10  # show a progress line from this many files on (and only on a terminal)


def load_context(vragenlijst: str | None, out_dir: Path, force: bool,
                 public_only: bool = False, vorige: str | None = None,
                 word: bool = True, resume: bool = False) -> BatchContext:
    from wizard.assessment import advice, scoring
    from wizard.batch.resume import run_fingerprint
    from wizard.questionnaire.loader import load_questionnaire

    q = load_questionnaire(vragenlijst)
    if vorige:
        from wizard.assessment.compare import load_for_compare

        load_for_compare(vorige, q)  # a bad previous file stops the run before any writing
    config = scoring.load_config(q)
    rules = advice.load_rules(q, config=config)  # scoring.yaml read once, not twice
    vorige_s = str(vorige) if vorige else None
    return BatchContext(q, config, rules, out_dir, force, public_only, vorige_s, word, resume,
                        run_fingerprint(q, config, rules, public_only=public_only, word=word,
                                        vorige=vorige_s))


def load_one(path: str, q: Questionnaire, fingerprint: str = "") -> Loaded:
    """Load and validate one answers file (YAML, or an Excel workbook from `zelfscan blank
    --xlsx`); problems become text (file:line or sheet!cell), not raises. Also an internal
    error: it is this file's failure, with the crash report's path."""
    from wizard.answers.xlsx import load_any_answers
    from wizard.batch.resume import input_digest

    try:
        answers = load_any_answers(path, q)
        return Loaded(path, answers, digest=input_digest(path, fingerprint))
    except ZelfscanError as err:
        return Loaded(path, None, str(err))
    except Exception:  # noqa: BLE001 - one file's internal error must not cost the others
        return Loaded(path, None, internal_error_text(path, crash_report(f"Bestand: {path}")))


def process_one(ctx: BatchContext, loaded: Loaded, folder: str, *, force: bool | None = None,
                done: list[str] | None = None) -> FileResult:
    """Score, advise and write one municipality's plan into ctx.out_dir/folder.

    `force`: replace a plan in that folder (default: --force). `done`: the files of a complete
    plan of this same input (--hervat): nothing is written, the plan still counts. Anything
    that goes wrong is this file's failure (an internal error with its crash report)."""
    result = FileResult(loaded.path, folder=folder)
    if isinstance(loaded.answers, AnswersHead):  # the first pass kept only name and date
        again = load_one(loaded.path, ctx.q)
        loaded = dataclasses.replace(loaded, answers=again.answers, error=again.error)
    if loaded.answers is None:
        result.error = loaded.error
        return result
    try:
        return _process(ctx, loaded, result, ctx.force if force is None else force, done)
    except ZelfscanError as err:
        result.error = f"{loaded.path}: {err}"
    except OSError as err:  # reading --vorige, say: the user's to fix, in Dutch
        result.error = (f"{loaded.path}: lezen of schrijven is mislukt ({os_reason(err)})\n"
                        f"    → {os_hint(err)}")
    except Exception:  # noqa: BLE001 - one file's internal error must not cost the others
        result.error = internal_error_text(
            loaded.path, crash_report(f"Bestand: {loaded.path}\nMap: {ctx.out_dir / folder}"))
    result.ok = False
    result.outcome = None
    return result


def _process(ctx: BatchContext, loaded: Loaded, result: FileResult, force: bool,
             done: list[str] | None) -> FileResult:
    from wizard.assessment import advice as advice_mod
    from wizard.assessment import scoring
    from wizard.batch.resume import complete_plan, stamp_file
    from wizard.plan.build_common import municipality
    from wizard.plan.output import write_outputs

    answers = loaded.answers
    out = ctx.out_dir / result.folder
    result.municipality = municipality(answers)
    result.date = str(answers.date or "")
    from wizard.answers.screen import terminal_lines

    result.privacy = terminal_lines(ctx.q, answers)
    profile = scoring.score(ctx.q, answers, ctx.config)
    adv = advice_mod.advise(ctx.q, answers, profile, ctx.rules)
    if done is not None:
        result.resumed = ctx.resume  # else: written by this run, by a worker that then died
    else:
        if not force and complete_plan(ctx.out_dir, result.folder, loaded.digest):
            raise ZelfscanError(
                "in deze map staat al een plan, gemaakt van precies dit antwoordbestand; er "
                "is niets overschreven", file=out,
                hint="Werd een eerdere run onderbroken? Ga dan verder met dezelfde opdracht "
                     "plus --hervat: die slaat de plannen over die al klaar zijn. Opnieuw "
                     "schrijven: --force.")
        progress = None
        if ctx.vorige and loaded.is_vorige:
            result.warning = (
                f"Let op: {loaded.path} is hetzelfde bestand als {ctx.vorige} (--vorige); "
                "een zelfscan met zichzelf vergelijken zegt niets, dus het plan van "
                f"{result.municipality} heeft geen paragraaf over de voortgang. Geef bij "
                "--vorige het antwoordbestand van de vorige zelfscan op.")
        elif ctx.vorige:
            from wizard.plan.progress import previous_sections  # only with --vorige

            progress = previous_sections(ctx.vorige, ctx.q, answers, ctx.config, ctx.rules)
            if progress is None:
                result.warning = (
                    f"Let op: {ctx.vorige} (--vorige) is van een andere gemeente dan "
                    f"{loaded.path}; het plan van {result.municipality} heeft daarom geen "
                    "paragraaf over de voortgang.")
        # The stamp comes last: only a folder whose files are all in place (on disk) says
        # 'complete' (--hervat). write_outputs writes it with the set, after its flush.
        write_outputs(ctx.q, answers, out, force=force, profile=profile, advice=adv,
                              public_only=ctx.public_only, progress=progress, word=ctx.word,
                              config=ctx.config,
                              marker=lambda files: stamp_file(ctx.out_dir, result.folder,
                                                              loaded.digest, files, loaded.path))
    result.ok = True
    result.threat = profile.threat.label
    result.resilience = profile.resilience_label
    result.quadrant = profile.quadrant.name
    # No shortfall: no priorities anywhere, only 'bijhouden' (issue 12).
    result.priorities = [p.title for p in adv.top(3) if p.status in ("tekort", "onbekend")] \
        if adv.has_shortfall else []
    result.bodies = [r.name for r in adv.recommendations]
    from wizard.plan.overview import summarize

    result.outcome = summarize(answers, profile, adv)
    return result


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
    resume: bool = False,
) -> tuple[int, Sequence[FileResult]]:
    """The whole batch; returns (exit code, results in input order).

    `public_only` (--alleen-openbaar): each folder gets only the public plan, for sharing
    a draft; no confidential annex and no copy of the answers. `vorige` (--vorige): an
    earlier answers file; each plan of the same municipality gets a progress section.
    `resume` (--hervat): continue an interrupted run: plans that are complete and made from
    the same input are kept, the rest are written, and the overview covers them all.

    The output folder is locked for the run: a second run into it is refused (wizard.files.
    lock), so two runs never write the same plans."""
    from wizard.batch.resume import LOCK
    from wizard.files.lock import FileLock, LockBusy

    out = out or sys.stdout
    err = err or sys.stderr
    out_path = Path(out_dir)
    ctx = load_context(vragenlijst, out_path, force, public_only, vorige, word, resume)
    startup.started()  # what follows is the work: garbage collection as normal

    files, duplicates = _without_duplicates(files)
    for line in duplicates:
        err.write(line + "\n")
    show = len(files) >= PROGRESS_FROM and _isatty(err)
    lock = FileLock(out_path / LOCK, "batch")
    try:
        lock.acquire()
    except LockBusy as busy:
        raise _busy_error(out_path, busy) from None
    except OSError as e:
        raise WriteError(e, out_path, "de uitvoermap") from None
    workers = _workers(len(files), jobs)
    try:
        if lock.took_over is not None:
            err.write(f"Let op: een eerdere batch in {out_path} is niet netjes beëindigd "
                      f"(proces {lock.took_over.pid} bestaat niet meer). Wat die al schreef, "
                      "blijft staan; met --hervat gaat u daar verder.\n")
        return _run(ctx, files, workers, show, out, err)
    finally:
        if workers is not None:
            workers.close()
        lock.release()


def _busy_error(out_path: Path, busy: Any) -> ZelfscanError:
    holder = busy.holder
    who = (f" ({holder.since_text()}, {holder.where_text()})" if holder is not None else "")
    return ZelfscanError(
        f"in deze uitvoermap loopt al een andere batch{who}; twee runs in dezelfde map "
        "zouden elkaars plannen overschrijven", file=out_path,
        hint="Wacht tot die batch klaar is en start dan opnieuw (met --hervat als het om "
             "dezelfde bestanden gaat), of kies een andere uitvoermap met -o.")


# Work on all cores when it pays off: each file is independent, and results come back in
# input order, so output bytes and the summary do not depend on the number of workers.
PARALLEL_FROM = 8
_WORKER_CTX: BatchContext | None = None


def _workers(n: int, jobs: int | None) -> Any:
    import os

    count = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if count < 2 or n < PARALLEL_FROM:
        return None
    from wizard.batch.pool import Workers  # only now: a one-file run need not pay for it

    # Only with 'fork': the loaded questionnaire and rules are inherited, not re-pickled
    # per task (on Windows/macOS-spawn the sequential path is used).
    workers = Workers(count)
    return workers if workers.available else None


def _load_in_worker(path: str) -> Loaded:
    assert _WORKER_CTX is not None
    loaded = load_one(path, _WORKER_CTX.q, _WORKER_CTX.fingerprint)
    if loaded.answers is not None:  # only name and date go back (flat memory, issue 17)
        loaded.answers = AnswersHead.of(loaded.answers)
    return loaded


def _process_in_worker(task: Task) -> FileResult:
    assert _WORKER_CTX is not None
    return process_one(_WORKER_CTX, task.loaded, task.folder, force=task.force, done=task.done)


def _load_died(path: str) -> Loaded:
    return Loaded(path, None, f"{path}: het hulpproces dat dit bestand las, stopte onverwacht "
                              "(te weinig geheugen, of van buitenaf beëindigd); de andere "
                              "bestanden zijn wel verwerkt\n"
                              "    → Probeer dit bestand opnieuw, alleen.")


def _retry(task: Task) -> Task:
    """A task again after its worker died: the worker may have finished (the plan is
    complete, only its report was lost) or stopped halfway in a folder this run may write."""
    import dataclasses

    from wizard.batch.resume import complete_plan

    assert _WORKER_CTX is not None
    if task.done is not None or task.loaded.answers is None:
        return task
    done = complete_plan(_WORKER_CTX.out_dir, task.folder, task.loaded.digest)
    if done is not None:
        return dataclasses.replace(task, done=done)
    return dataclasses.replace(task, force=task.force or task.fresh)


def _process_died(task: Task) -> FileResult:
    return FileResult(task.loaded.path, folder=task.folder, error=(
        f"{task.loaded.path}: het hulpproces dat dit plan schreef, stopte onverwacht (te weinig "
        "geheugen, of van buitenaf beëindigd); de andere plannen zijn wel geschreven\n"
        "    → Probeer dit bestand opnieuw, alleen (met --hervat in dezelfde map)."))


def _tasks(ctx: BatchContext, loaded: list[Loaded], folders: list[str]) -> list[Task]:
    """Per file: replace what is in its folder or not, or skip it (--hervat); and the
    journal of the folders batch runs started to write, saved before the first plan."""
    from wizard.batch.resume import (
        Journal,
        complete_plan,
        has_plan,
        has_stamp,
        remove_stale_stamp_temps,
    )
    from wizard.plan.charts import CHART_FILES
    from wizard.plan.output import OUTPUT_FILES

    # Claims add up over runs: a folder a run started to write stays that run's, so a
    # resume after a second interrupted try still finishes it.
    previous = Journal.read(ctx.out_dir)
    claimed = dict(previous.folders) if previous is not None else {}
    tasks: list[Task] = []
    for item, folder in zip(loaded, folders):
        task = Task(item, folder, force=ctx.force)
        out = ctx.out_dir / folder
        if item.answers is not None:
            if ctx.resume and (done := complete_plan(ctx.out_dir, folder, item.digest)):
                task.done = done
            elif ctx.resume and folder in claimed and not has_stamp(ctx.out_dir, folder):
                # A folder a batch run started and never finished (no stamp): finish it.
                # A finished plan of other input is left alone (that needs --force).
                task.force = True
            task.fresh = ctx.force or not has_plan(out, OUTPUT_FILES + CHART_FILES)
            if task.fresh or folder in claimed:
                claimed[folder] = item.digest
        tasks.append(task)
    ctx.out_dir.mkdir(parents=True, exist_ok=True)
    Journal(claimed).write(ctx.out_dir)
    remove_stale_stamp_temps(ctx.out_dir)
    return tasks


def _run(ctx: BatchContext, files: Sequence[str], workers: Any, show: bool, out: Any,
         err: Any) -> tuple[int, ResultLog]:
    global _WORKER_CTX
    _WORKER_CTX = ctx
    n = len(files)
    loaded: list[Loaded] = []
    if workers is None:
        # Without workers (a few files, or no fork: Windows, macOS) a large run keeps only
        # name and date too, and reads each file again for its plan (flat memory).
        heads = n >= PARALLEL_FROM
        for i, f in enumerate(files, start=1):
            _progress(i, n * 2, show)
            item = load_one(str(f), ctx.q, ctx.fingerprint)
            if heads and item.answers is not None:
                item.answers = AnswersHead.of(item.answers)
            loaded.append(item)
    else:
        for i, item in enumerate(workers.map(_load_in_worker, [str(f) for f in files],
                                             _load_died), start=1):
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

    tasks = _tasks(ctx, loaded, folders)
    del loaded, names, dates, folder_names, folders  # the tasks hold what is still needed
    from wizard.batch.resume import STATE
    from wizard.batch.spill import ResultLog

    # Each result goes to disk as it arrives; what stays in memory per plan is what the
    # overview needs to put the plans in order (issue 17: flat memory).
    results = ResultLog(ctx.out_dir / STATE)
    report = _Report()
    if workers is None:
        made: Any = (process_one(ctx, t.loaded, t.folder, force=t.force, done=t.done)
                     for t in tasks)
    else:
        made = workers.map(_process_in_worker, tasks, _process_died, _retry)
    for i, res in enumerate(made, start=1):
        _progress(n + i, n * 2, show)
        report.add(len(results), res)
        results.append(res)
    del tasks
    if show:
        err.write("\r" + " " * (len(str(n * 2)) * 2 + 4) + "\r")

    ok = report.ok
    # No plan written, no overview: an overview of 0 plans says nothing, and it would make
    # the corrected rerun stop on "er staat al een overzicht".
    overview_error = _overview(ctx, results, report) if ok else None
    wrote_overview = bool(ok) and overview_error is None

    for line in notes:
        err.write(line + "\n")
    if report.warnings:
        for r in results:
            if r.warning:
                err.write(r.warning + "\n")
    if report.privacy:
        for r in results:
            for line in r.privacy:
                err.write(line + "\n")
    for line in report.table.lines(results):
        out.write(line)
    total, failed, resumed = len(results), report.failed, report.resumed
    written = f"{ok} van {total} plannen geschreven in {ctx.out_dir}"
    if resumed:
        written = (f"{ok} van {total} plannen klaar in {ctx.out_dir} ({ok - resumed} "
                   f"nu geschreven, {resumed} al klaar van de onderbroken run)")
    out.write(written + (f"; overzicht: {ctx.out_dir / OVERVIEW_MD}" if wrote_overview else "")
              + ".\n")
    if ctx.public_only:
        out.write("Alleen openbaar (--alleen-openbaar): alleen de openbare plannen zijn "
                  "geschreven, zonder vertrouwelijke bijlage en zonder antwoordbestand.\n")
    if failed:
        err.write(failure_line(failed, total) + "\n")
        for r in results:
            if not r.ok:
                err.write("  " + r.error.replace("\n", "\n  ") + "\n")
    if overview_error:
        err.write("zelfscan: het overzicht is niet geschreven:\n  "
                  + overview_error.replace("\n", "\n  ") + "\n")
    if failed or overview_error:
        err.flush()
        return EXIT_ERROR, results
    return EXIT_OK, results


class _Report:
    """What a run counts while its results go to disk: the totals, whether any result has
    a warning or a privacy finding (else those are not read back), the width of the
    summary table, and the order of the overview."""

    def __init__(self) -> None:
        self.ok = self.failed = self.resumed = 0
        self.warnings = self.privacy = False
        self.table = SummaryTable()
        # Per written plan, for the overview: (name for sorting, date, folder, index,
        # the key of 'the same municipality'). About 300 bytes a plan.
        self.plans: list[tuple[str, str, str, int, str]] = []

    def add(self, i: int, r: FileResult) -> None:
        self.ok += r.ok
        self.failed += not r.ok
        self.resumed += r.resumed
        self.warnings |= bool(r.warning)
        self.privacy |= bool(r.privacy)
        self.table.add(r)
        if r.ok and r.outcome is not None:
            self.plans.append((r.municipality.casefold(), r.date, r.folder, i,
                               " ".join(r.municipality.split()).casefold()))


def _overview(ctx: BatchContext, results: ResultLog, report: _Report) -> str | None:
    """_write_overview, with an internal error reported (plans are written already)."""
    try:
        return _write_overview(ctx, results, report)
    except ZelfscanError as e:
        return str(e)
    except Exception:  # noqa: BLE001 - the plans are written; say what failed, go on
        report_path = crash_report(f"Overzicht in {ctx.out_dir}")
        return (f"{ctx.out_dir / OVERVIEW_MD}: er ging iets mis in Zelfscan zelf bij het "
                f"overzicht (een interne fout); de plannen zelf zijn wel geschreven\n"
                f"    → Stuur het foutverslag {report_path} naar de beheerder.")


def _write_overview(ctx: BatchContext, results: ResultLog, report: _Report) -> str | None:
    """overzicht.md + overzicht.html for this run; returns an error text or None.

    Only called when at least one plan was written. The overview describes the plans of
    this run, so it follows the same rule as the plans: an existing overview (perhaps
    edited or already shared) is only replaced with --force; with --force it is made anew
    for this run, so rerun all files to keep every municipality in it.

    Written as it is made, from the results on disk: the table of plans is never held whole
    and the regional picture is counted one plan at a time (issue 17: flat memory)."""
    from wizard.files.atomic import atomic_write_chunks
    from wizard.plan import html_out, markdown_out
    from wizard.plan.overview import RegionalTally, overview_document

    md_path = ctx.out_dir / OVERVIEW_MD
    html_path = ctx.out_dir / OVERVIEW_HTML
    # --hervat: the overview belongs to the interrupted run and is made complete now.
    if not (ctx.force or ctx.resume) and (md_path.exists() or html_path.exists()):
        return (f"{md_path}: er staat al een overzicht; er is niets overschreven\n"
                "    → De plannen zelf zijn wel geschreven. Kies een andere uitvoermap, of "
                "maak het overzicht opnieuw met --force (geef dan alle bestanden op: het "
                "overzicht bevat alleen de plannen van die run).")
    plans = sorted(report.plans)  # name, date, folder; then input order (as a stable sort)
    order = array("Q", (p[3] for p in plans))
    failed = [Path(r.path).name for r in results if not r.ok] if report.failed else []
    tally = RegionalTally()
    for i in _latest_per_municipality(plans, results):
        tally.add(results[i].outcome)
    del plans
    doc = overview_document(_PlanRows(results, order), failed, tally)
    atomic_write_chunks(md_path, markdown_out.stream(doc))
    atomic_write_chunks(html_path, html_out.stream(doc))
    return None


class _PlanRows:
    """The overview's rows, read from disk in overview order each time they are read."""

    def __init__(self, results: ResultLog, order: array) -> None:
        self.results, self.order = results, order

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self) -> Iterator[Any]:
        from wizard.plan.overview import PlanRow

        for i in self.order:
            r = self.results[i]
            yield PlanRow(r.municipality, r.date, r.folder, summary=r.outcome)


def _latest_per_municipality(plans: list[tuple[str, str, str, int, str]],
                             results: ResultLog) -> list[int]:
    """One plan per municipality (the most recent assessment), so that two years of one
    municipality in a run do not count twice in the regional overview; in the order the
    regional picture counts them (by the name in the plan)."""
    latest: dict[str, tuple[str, int]] = {}
    for _name, date, _folder, i, same in plans:
        if same not in latest or date >= latest[same][0]:
            latest[same] = (date, i)
    keyed = sorted((results[i].outcome.municipality.casefold(), k, i)
                   for k, (_date, i) in enumerate(latest.values()))
    return [i for _key, _k, i in keyed]
