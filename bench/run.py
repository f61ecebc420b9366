"""Zelfscan performance benchmark (issue 17): every budgeted figure, whole processes, medians.

    .venv/bin/python bench/run.py            # full run (several minutes)
    .venv/bin/python bench/run.py --quick    # one run of each figure
    .venv/bin/python bench/run.py --only plan --only first   # some figures only

Figures, each measured as separate processes the way a user starts them:
  batch 342             one `zelfscan batch` call on 342 generated answers files, default
                        (the full set per municipality: plan.md/.html/.docx, charts, annex
                        .md/.html/.docx, answers copy; plus the overview), on all cores;
  batch 342 zonder Word the same with --zonder-word;
  one municipality      `zelfscan batch` on one answers file, full set (whole process);
  first question        `zelfscan start` in a pseudo-terminal (24x80, PROMPT_TOOLKIT_NO_CPR=1)
                        until the first question ("Welke scan wilt u doen?", short or full,
                        with its choices) is on screen (it is written before prompt_toolkit
                        loads; keys typed then wait for the prompt, none are lost);
  first prompt ready    the same runs, until the prompt under it is drawn (cursor shown):
                        reported, not budgeted;
  answer -> next        in a full-scan chat (`start --volledig`): from the last keystroke of
                        an answer until the next question is on screen and its prompt is
                        ready (every answer is saved to the session file on the way);
  batch 3,420           one default `zelfscan batch` call on 3,420 files (10x the country:
                        the 342 files ten times, each copy under its own municipality name,
                        so each plan is the same work as in the 342 run): time per plan and
                        peak memory against the 342 run (linear, flat). A set of 3,420
                        other files would also hold larger answers than the 342, and the
                        peak follows the largest plan, not the number of plans;
  copier                `copier copy` of an equivalent template (bench/make_copier_template.py)
                        as a yardstick, if copier is installed (`pip install -e '.[bench]'`).
Wall time is judged on the median; CPU is user+sys of the process and its workers (less
sensitive to other load on the machine); peak memory is the largest resident set of any
process of the run (os.wait4's rusage; for the chat, VmHWM from /proc/PID/status).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

MUNICIPALITIES = 342
SCALE = 10  # the 3,420-file run
MIB = 1024 * 1024

BATCH = "batch 342"
BATCH_NO_WORD = "batch 342 --zonder-word"
ONE = "one municipality"
ONE_NO_WORD = "one municipality --zonder-word"
FIRST = "start -> first question"
PROMPT = "start -> first prompt ready"
ANSWER = "answer -> next question"
BIG = "batch 3,420"
COPIER = "copier (1 plan)"

# name -> (wall seconds, peak MiB or None); issue 17's table.
BUDGETS: dict[str, tuple[float, float | None]] = {
    BATCH: (5.0, None),
    BATCH_NO_WORD: (2.0, None),
    ONE: (0.30, 60.0),
    FIRST: (0.200, None),
    ANSWER: (0.010, None),
}
SCALE_TOLERANCE = 0.10  # 3,420 files: time per plan and peak memory within 10 % of 342


@dataclass
class Measure:
    name: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # bytes
    note: str = ""
    plans: int = 1  # plans written per run (for time per plan)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float | None:
        return statistics.median(self.cpus) if self.cpus else None

    @property
    def peak(self) -> int | None:
        return max(self.peaks) if self.peaks else None


@dataclass
class Verdict:
    """One line of the budget table."""

    figure: str
    value: str
    budget: str
    ok: bool
    miss: str = ""

    @property
    def text(self) -> str:
        return "PASS" if self.ok else f"MISS ({self.miss})" if self.miss else "MISS"


def _bin(name: str) -> list[str] | None:
    """An executable installed next to this Python (the venv), else on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return [str(local)]
    found = shutil.which(name)
    return [found] if found else None


def zelfscan_cmd() -> list[str]:
    return _bin("zelfscan") or [sys.executable, "-m", "wizard"]


def user_env() -> dict[str, str]:
    """The environment a user runs zelfscan in. PYTHONDONTWRITEBYTECODE (set on some
    development machines) is dropped: an installed package has its .pyc files, and without
    them every run would compile the modules again (tens of milliseconds)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_process(cmd: list[str], *, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS bytes) of one child process; raises if it fails.

    wait4 returns the child's rusage including its own waited-for children (the batch's
    worker processes): CPU is summed over them, maxrss is the largest single process.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or user_env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd[:3])} ... exited {proc.returncode}:\n"
                               + err.read().decode("utf-8", "replace")[-2000:])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024  # Linux: KiB


def _timed_runs(m: Measure, runs: int, make_cmd: Callable[[Path], list[str]], work: Path,
                warm: bool) -> Measure:
    """Run 0 (when `warm`) fills caches (.pyc, page cache, Jinja bytecode) and is not
    counted; every run writes into a fresh output folder."""
    for i in range(0 if warm else 1, runs + 1):
        out = work / f"out-{i}"
        wall, cpu, peak = run_process(make_cmd(out))
        shutil.rmtree(out, ignore_errors=True)
        if i:
            m.walls.append(wall)
            m.cpus.append(cpu)
            m.peaks.append(peak)
    return m


# ------------------------------------------------------------------------------ batch & plan


def bench_batch(name: str, files: list[Path], runs: int, work: Path, *, word: bool,
                warm: bool = True) -> Measure:
    m = Measure(name, plans=len(files),
                note=f"{len(files)} gemeenten in één aanroep: plan.md/.html"
                     + ("/.docx" if word else "") + ", grafieken, bijlage .md/.html"
                     + ("/.docx" if word else "") + ", antwoorden + overzicht")
    extra = [] if word else ["--zonder-word"]
    args = list(map(str, files))
    return _timed_runs(m, runs, lambda out: [*zelfscan_cmd(), "batch", *args, "-o",
                                             str(out), *extra], work, warm)


def bench_one(name: str, answers: Path, runs: int, work: Path, *, word: bool) -> Measure:
    m = Measure(name, note="zelfscan batch met 1 antwoordbestand, heel proces"
                           + ("" if word else " (zonder .docx)"))
    extra = [] if word else ["--zonder-word"]
    return _timed_runs(m, runs, lambda out: [*zelfscan_cmd(), "batch", str(answers), "-o",
                                             str(out), *extra], work, True)


# ------------------------------------------------------------------------------ chat (pty)


_SCREEN_NOISE = r"(?:\s|\x1b\[[0-9;?]*[A-Za-z])+"  # line wraps, indents, colour codes
_PROMPT_READY = "\x1b[?25h"  # prompt_toolkit shows the cursor when the prompt is drawn


def question_pattern(text: str, words: int = 6) -> re.Pattern[str]:
    """The first words of a question as they appear on screen (wrapped, coloured)."""
    parts = text.split()[:words]
    return re.compile(_SCREEN_NOISE.join(re.escape(p) for p in parts))


def _chat_env() -> dict[str, str]:
    env = user_env()
    env.update(PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color", COLUMNS="80", LINES="24")
    env.pop("NO_COLOR", None)
    return env


def _vm_hwm(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _spawn_chat(folder: Path, *extra: str):  # type: ignore[no-untyped-def]
    import pexpect

    cmd = zelfscan_cmd()
    child = pexpect.spawn(cmd[0], [*cmd[1:], "start", "--map", str(folder), *extra],
                          env=_chat_env(), dimensions=(24, 80), encoding="utf-8", timeout=20,
                          cwd=str(folder))
    # pexpect sleeps 50 ms before every send by default; that is the harness, not the chat.
    child.delaybeforesend = None
    return child


# `zelfscan start` first asks which scan (short or full): that is the first question, with
# its two choices under it; the prompt line "Korte of volledige scan? (k/v) >" follows.
FIRST_QUESTION = "Welke scan wilt u doen?"
FIRST_CHOICES = "Na de korte scan kunt u verder"  # the last line above the prompt


def bench_first_question(runs: int, work: Path) -> list[Measure]:
    pattern = question_pattern(FIRST_CHOICES, words=6)
    m = Measure(FIRST)
    ready_m = Measure(PROMPT)
    ready: list[float] = []
    for i in range(runs + 1):
        folder = work / f"chat-{i}"
        folder.mkdir()
        start = time.perf_counter()
        child = _spawn_chat(folder)
        try:
            child.expect(pattern)
            wall = time.perf_counter() - start
            child.expect_exact(_PROMPT_READY)
            prompt = time.perf_counter() - start
            peak = _vm_hwm(child.pid)
        finally:
            child.terminate(force=True)
        shutil.rmtree(folder, ignore_errors=True)
        if i:
            m.walls.append(wall)
            ready.append(prompt)
            if peak:
                m.peaks.append(peak)
    ready_m.walls = ready
    m.note = (f"`zelfscan start` tot '{FIRST_QUESTION}' met beide keuzes zichtbaar is "
              "(vóór prompt_toolkit geladen is; eerder getypte toetsen wachten op de invoer)")
    ready_m.note = ("dezelfde runs, tot de invoerregel 'Korte of volledige scan? (k/v) >' klaar "
                    "is (cursor zichtbaar); geen budget, ter informatie")
    return [m, ready_m]


def _keys_for(question) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    """What to type for a question in the chat, and the value the engine stores."""
    from wizard.questionnaire.model import CHOICE, NUMBER, SCALE

    if question.kind == SCALE:
        value = question.options[min(2, len(question.options) - 1)].value if question.options \
            else 2
        return f"{value}\r", value
    if question.kind == CHOICE:
        return "1\r", question.options[0].value
    if question.kind == NUMBER:
        return "20000\r", 20000
    text = "Teststad" if question.id == "intake.gemeente" else "Een kort antwoord voor de test."
    return f"{text}\r\r", text  # multi-line text: Enter on an empty line finishes


def bench_answers(sessions: int, per_session: int, work: Path) -> Measure:
    """Keystroke of an answer -> the next question on screen with its prompt ready."""
    from wizard.answers.store import Answers
    from wizard.assessment.engine import Session
    from wizard.questionnaire.loader import load_questionnaire

    q = load_questionnaire()
    m = Measure(ANSWER)
    visible_only: list[float] = []
    for s in range(sessions):
        folder = work / f"answers-{s}"
        folder.mkdir()
        engine = Session(q, Answers.empty(q))
        child = _spawn_chat(folder, "--volledig")
        peak = None
        try:
            child.expect(question_pattern(engine.current.text))
            child.expect_exact(_PROMPT_READY)
            for _ in range(per_session):
                cur = engine.current
                keys, value = _keys_for(cur)
                engine.answer(value)
                nxt = engine.current
                if nxt is None:
                    break
                pattern = question_pattern(nxt.text)
                start = time.perf_counter()
                child.send(keys)
                child.expect(pattern)
                shown = time.perf_counter() - start
                child.expect_exact(_PROMPT_READY)
                ready = time.perf_counter() - start
                visible_only.append(shown)
                m.walls.append(ready)
            peak = _vm_hwm(child.pid)
        finally:
            child.terminate(force=True)
        shutil.rmtree(folder, ignore_errors=True)
        if peak:
            m.peaks.append(peak)
    if visible_only:
        m.note = (f"{len(m.walls)} antwoorden in {sessions} gesprek(ken), elk antwoord "
                  f"bewaard; mediaan tot de vraagtekst zelf: "
                  f"{statistics.median(visible_only) * 1000:.1f} ms")
    return m


# ------------------------------------------------------------------------------ copier


def bench_copier(answers: Path, runs: int, work: Path) -> Measure | None:
    copier = _bin("copier")
    if copier is None:
        return None
    from bench.make_copier_template import make_template

    template, data = make_template(work / "copier", answers)
    m = Measure(COPIER, note="copier copy --data-file --defaults, lokaal sjabloon (maatstaf)")
    for i in range(runs + 1):
        dest = work / f"copier-out-{i}"
        wall, cpu, peak = run_process([*copier, "copy", "--data-file", str(data), "--defaults",
                                       "--overwrite", "--quiet", str(template), str(dest)])
        if not (dest / "plan.md").exists():
            raise RuntimeError("copier wrote no plan.md")
        shutil.rmtree(dest, ignore_errors=True)
        if i:
            m.walls.append(wall)
            m.cpus.append(cpu)
            m.peaks.append(peak)
    return m


# ------------------------------------------------------------------------------ report


def bench_privacy(runs: int) -> Measure:
    """The privacy checks on one 5 MiB answer of the slowest known shape (issue 18)."""
    from bench.privacy_shapes import slowest
    from wizard.files.yamlio import MAX_FILE_BYTES

    m = Measure("privacy checks, 5 MiB")
    shape = ""
    for _ in range(max(1, runs // 3)):
        shape, took = slowest(MAX_FILE_BYTES)
        m.walls.append(took)  # processor time: the check itself, not other load
        m.cpus.append(took)
    m.note = (f"persoonsgegevens + casuswoorden op één antwoord van 5 MiB, traagste vorm "
              f"'{shape}' (processortijd)")
    return m


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model}; "
            f"Python {platform.python_version()} ({platform.python_implementation()}), "
            f"{platform.system()} {platform.release()}")


def _t(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _mib(n: int | None) -> str:
    return f"{n / MIB:.1f} MiB" if n else "—"


def _grid(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(head)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    return "\n".join(out + [line(r) for r in rows])


def measures_table(measures: list[Measure]) -> str:
    head = ["meting", "runs", "min", "mediaan", "max", "CPU (mediaan)", "piekgeheugen"]
    rows = [[m.name, str(len(m.walls)), _t(min(m.walls)), _t(m.median), _t(max(m.walls)),
             _t(m.cpu) if m.cpu is not None else "—", _mib(m.peak)] for m in measures]
    return _grid(head, rows)


def verdicts(measures: list[Measure]) -> list[Verdict]:
    """Every budget of the issue whose figure was measured, in the issue's order."""
    by = {m.name: m for m in measures}
    out: list[Verdict] = []
    for name, (wall_b, mem_b) in BUDGETS.items():
        m = by.get(name)
        if m is None:
            continue
        ok = m.median <= wall_b
        missed = [] if ok else [f"+{_t(m.median - wall_b)}"]
        value, budget = _t(m.median), f"≤ {_t(wall_b)}"
        if mem_b is not None:
            value += f", {_mib(m.peak)}"
            budget += f", ≤ {mem_b:.0f} MiB"
            if m.peak is not None and m.peak / MIB > mem_b:
                ok = False
                missed.append(f"+{m.peak / MIB - mem_b:.1f} MiB")
        out.append(Verdict(name, value, budget, ok, ", ".join(missed)))
    big, base = by.get(BIG), by.get(BATCH)
    if big is not None and base is not None:
        per_big, per_base = big.median / big.plans, base.median / base.plans
        ratio = per_big / per_base
        out.append(Verdict(
            f"{BIG}: time per plan", f"{_t(per_big)} ({ratio:.2f}× {_t(per_base)})",
            f"±{SCALE_TOLERANCE:.0%} of {BATCH}", abs(ratio - 1) <= SCALE_TOLERANCE,
            f"{ratio - 1:+.0%}"))
        if big.peak and base.peak:
            mem_ratio = big.peak / base.peak
            out.append(Verdict(
                f"{BIG}: peak memory", f"{_mib(big.peak)} ({mem_ratio:.2f}× {_mib(base.peak)})",
                f"≤ +{SCALE_TOLERANCE:.0%} of {BATCH}", mem_ratio <= 1 + SCALE_TOLERANCE,
                f"{mem_ratio - 1:+.0%}"))
    return out


def budget_table(vs: list[Verdict]) -> str:
    return _grid(["figure", "measured (median)", "budget", "verdict"],
                 [[v.figure, v.value, v.budget, v.text] for v in vs])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zelfscan prestatiemeting (issue 17).")
    parser.add_argument("--quick", action="store_true", help="één run per meting")
    keys = ["batch", "plan", "first", "answers", "scale", "copier", "privacy"]
    parser.add_argument("--only", action="append", default=None, choices=keys)
    parser.add_argument("--keep", action="store_true", help="werkmap niet opruimen")
    args = parser.parse_args(argv)
    only = set(args.only or keys)
    if "scale" in only:
        only.add("batch")  # the 3,420 figures are judged against the 342 run
    runs = ({"batch": 1, "plan": 3, "first": 3, "sessions": 1, "per_session": 25, "scale": 1,
             "copier": 2} if args.quick else
            {"batch": 3, "plan": 10, "first": 10, "sessions": 3, "per_session": 80, "scale": 1,
             "copier": 5})

    from bench.make_answers import generate, repeat

    work = Path(tempfile.mkdtemp(prefix="zelfscan-bench-"))
    try:
        files = generate(MUNICIPALITIES, work / "antwoorden", seed=1)
        # A mid-sized municipality with long free texts is the 'one municipality' case.
        one = max(files[:12], key=lambda p: p.stat().st_size)
        print(f"Machine: {machine()}", flush=True)
        # Other work on the machine inflates wall times: say how busy it was.
        print(f"Load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
              flush=True)
        steps: list[tuple[str, Callable[[], Measure | list[Measure] | None]]] = [
            ("plan", lambda: bench_one(ONE, one, runs["plan"], work, word=True)),
            ("plan", lambda: bench_one(ONE_NO_WORD, one, runs["plan"], work, word=False)),
            ("batch", lambda: bench_batch(BATCH, files, runs["batch"], work, word=True,
                                          warm=not args.quick)),
            ("batch", lambda: bench_batch(BATCH_NO_WORD, files, runs["batch"], work,
                                          word=False, warm=False)),
            ("first", lambda: bench_first_question(runs["first"], work)),
            ("answers", lambda: bench_answers(runs["sessions"], runs["per_session"], work)),
            ("scale", lambda: bench_batch(
                BIG, repeat(files, SCALE, work / "antwoorden-3420"),
                runs["scale"], work, word=True, warm=False)),
            ("copier", lambda: bench_copier(one, runs["copier"], work)),
            ("privacy", lambda: bench_privacy(runs["plan"])),
        ]
        measures: list[Measure] = []
        for key, step in steps:
            if key not in only:
                continue
            print(f"… {key}", file=sys.stderr, flush=True)
            m = step()
            if m is None:
                print("copier is niet geïnstalleerd (pip install -e '.[bench]'); overgeslagen.")
                continue
            measures.extend(m if isinstance(m, list) else [m])
        print(f"Load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print()
        print(measures_table(measures))
        print()
        for m in measures:
            if m.note:
                print(f"- {m.name}: {m.note}")
        by = {m.name: m for m in measures}
        if ONE in by and COPIER in by:
            print(f"- one municipality, Zelfscan / copier (median): "
                  f"{by[ONE].median / by[COPIER].median:.2f}× "
                  f"({_t(by[ONE].median)} against {_t(by[COPIER].median)})")
        vs = verdicts(measures)
        print()
        print(budget_table(vs))
        missed = [v.figure for v in vs if not v.ok]
        print(f"\nBudgets: {len(vs) - len(missed)} PASS, {len(missed)} MISS"
              + (f" ({', '.join(missed)})" if missed else "") + ".")
    finally:
        if args.keep:
            print(f"Werkmap: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
