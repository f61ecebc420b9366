"""Zelfscan performance benchmark: whole processes, several runs, min/median/max and peak memory.

    .venv/bin/python bench/run.py            # full run (a few minutes)
    .venv/bin/python bench/run.py --quick    # fewer runs

Measures, each as a separate process the way a user starts it:
  batch        `zelfscan batch` on 342 generated answers files (plan.md + plan.html per
               municipality + overview), a fresh output folder per run;
  one plan     `zelfscan batch` on one answers file;
  first q.     from starting `zelfscan start` in a pseudo-terminal (24x80,
               PROMPT_TOOLKIT_NO_CPR=1) until the first question's text is on screen;
  answer       in that chat: from the last keystroke of an answer until the next question
               is on screen and its prompt is ready (averaged over many answers);
  copier       `copier copy` of an equivalent template (bench/make_copier_template.py),
               if copier is installed (`pip install .[bench]`), as a yardstick.
Peak memory is the child's own maximum resident set (os.wait4's rusage; for the chat,
VmHWM from /proc/PID/status). Budgets (issue 7) are judged on the median wall time and the
largest peak memory seen.
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
from dataclasses import dataclass, field
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

MUNICIPALITIES = 342
MIB = 1024 * 1024

# name -> (wall seconds, peak MiB or None); from issue 7.
BUDGETS = {
    "batch": (2.0, None),
    "one plan": (0.35, 60.0),
    "first question": (0.30, None),
    "answer -> next question": (0.020, None),
}


@dataclass
class Measure:
    name: str
    walls: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # bytes
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak(self) -> int | None:
        return max(self.peaks) if self.peaks else None


def _bin(name: str) -> list[str] | None:
    """An executable installed next to this Python (the venv), else on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return [str(local)]
    found = shutil.which(name)
    return [found] if found else None


def zelfscan_cmd() -> list[str]:
    return _bin("zelfscan") or [sys.executable, "-m", "wizard"]


def run_process(cmd: list[str], *, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one child process; raises if it fails."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        # wait4 gives this child's own rusage (not the sum over all children so far).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd[:3])} ... exited {proc.returncode}:\n"
                               + err.read().decode("utf-8", "replace")[-2000:])
    return wall, usage.ru_maxrss * 1024  # Linux reports KiB


# ------------------------------------------------------------------------------ batch & plan


def bench_batch(files: list[Path], runs: int, work: Path, warm: bool = True,
                word: bool = False) -> Measure:
    # The budget is for Markdown + HTML + overview: `--zonder-word`. The row with
    # Word files shows what a default run costs.
    name = "batch + Word" if word else "batch"
    m = Measure(name, note=f"{len(files)} gemeenten: plan.md/.html, bijlage, grafieken, "
                           "antwoorden + overzicht" + (" + beide .docx" if word else
                                                        " (--zonder-word)"))
    cmd = zelfscan_cmd()
    extra = [] if word else ["--zonder-word"]
    first = 0 if warm else 1
    for i in range(first, runs + 1):  # run 0 warms caches (.pyc, page cache), not counted
        out = work / f"batch-{i}"
        wall, peak = run_process([*cmd, "batch", *map(str, files), "-o", str(out), *extra])
        shutil.rmtree(out, ignore_errors=True)
        if i:
            m.walls.append(wall)
            m.peaks.append(peak)
    return m


def bench_one_plan(answers: Path, runs: int, work: Path, word: bool = False) -> Measure:
    name = "one plan + Word" if word else "one plan"
    m = Measure(name, note="zelfscan batch met 1 antwoordbestand"
                           + (" (ook plan.docx en bijlage .docx)" if word else
                              " (--zonder-word)"))
    cmd = zelfscan_cmd()
    extra = [] if word else ["--zonder-word"]
    for i in range(runs + 1):
        out = work / f"plan-{i}"
        wall, peak = run_process([*cmd, "batch", str(answers), "-o", str(out), *extra])
        shutil.rmtree(out, ignore_errors=True)
        if i:
            m.walls.append(wall)
            m.peaks.append(peak)
    return m


# ------------------------------------------------------------------------------ chat (pty)


_SCREEN_NOISE = r"(?:\s|\x1b\[[0-9;?]*[A-Za-z])+"  # line wraps, indents, colour codes
_PROMPT_READY = "\x1b[?25h"  # prompt_toolkit shows the cursor when the prompt is drawn


def question_pattern(text: str, words: int = 6) -> re.Pattern[str]:
    """The first words of a question as they appear on screen (wrapped, coloured)."""
    parts = text.split()[:words]
    return re.compile(_SCREEN_NOISE.join(re.escape(p) for p in parts))


def _chat_env() -> dict[str, str]:
    env = dict(os.environ)
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


def _spawn_chat(folder: Path):  # type: ignore[no-untyped-def]
    import pexpect

    cmd = zelfscan_cmd()
    child = pexpect.spawn(cmd[0], [*cmd[1:], "start", "--map", str(folder)], env=_chat_env(),
                          dimensions=(24, 80), encoding="utf-8", timeout=20,
                          cwd=str(folder))
    # pexpect sleeps 50 ms before every send by default; that is the harness, not the chat.
    child.delaybeforesend = None
    return child


def bench_first_question(runs: int, work: Path) -> Measure:
    from wizard.questionnaire.loader import load_questionnaire

    q = load_questionnaire()
    first = next(iter(q.questions()))
    pattern = question_pattern(first.text)
    m = Measure("first question", note=f"tot '{' '.join(first.text.split()[:6])}…' zichtbaar is")
    for i in range(runs + 1):
        folder = work / f"chat-{i}"
        folder.mkdir()
        start = time.perf_counter()
        child = _spawn_chat(folder)
        try:
            child.expect(pattern)
            wall = time.perf_counter() - start
            child.expect_exact(_PROMPT_READY)
            peak = _vm_hwm(child.pid)
        finally:
            child.terminate(force=True)
        shutil.rmtree(folder, ignore_errors=True)
        if i:
            m.walls.append(wall)
            if peak:
                m.peaks.append(peak)
    return m


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
    m = Measure("answer -> next question")
    visible_only: list[float] = []
    for s in range(sessions):
        folder = work / f"answers-{s}"
        folder.mkdir()
        engine = Session(q, Answers.empty(q))
        child = _spawn_chat(folder)
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
        m.note = (f"{len(m.walls)} antwoorden in {sessions} gesprek(ken); mediaan tot de "
                  f"vraagtekst zelf: {statistics.median(visible_only) * 1000:.1f} ms")
    return m


# ------------------------------------------------------------------------------ copier


def bench_copier(answers: Path, runs: int, work: Path) -> Measure | None:
    copier = _bin("copier")
    if copier is None:
        return None
    from bench.make_copier_template import make_template

    template, data = make_template(work / "copier", answers)
    m = Measure("copier (1 plan)", note="copier copy --data-file --defaults, lokaal sjabloon")
    for i in range(runs + 1):
        dest = work / f"copier-out-{i}"
        wall, peak = run_process([*copier, "copy", "--data-file", str(data), "--defaults",
                                  "--overwrite", "--quiet", str(template), str(dest)])
        if not (dest / "plan.md").exists():
            raise RuntimeError("copier wrote no plan.md")
        shutil.rmtree(dest, ignore_errors=True)
        if i:
            m.walls.append(wall)
            m.peaks.append(peak)
    return m


# ------------------------------------------------------------------------------ report


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


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(measures: list[Measure]) -> str:
    head = ["meting", "runs", "min", "mediaan", "max", "piekgeheugen", "budget", "oordeel"]
    rows = []
    for m in measures:
        budget = BUDGETS.get(m.name)
        verdict, btext = "", ""
        if budget:
            wall_b, mem_b = budget
            ok = m.median <= wall_b
            parts = [f"≤ {_ms(wall_b)}"]
            missed = [] if ok else [f"+{_ms(m.median - wall_b)}"]
            if mem_b is not None:
                parts.append(f"≤ {mem_b:.0f} MiB")
                if m.peak is not None and m.peak / MIB > mem_b:
                    ok = False
                    missed.append(f"+{m.peak / MIB - mem_b:.1f} MiB")
            btext = ", ".join(parts)
            verdict = "PASS" if ok else "MISS (" + ", ".join(missed) + ")"
        rows.append([m.name, str(len(m.walls)), _ms(min(m.walls)), _ms(m.median),
                     _ms(max(m.walls)),
                     f"{m.peak / MIB:.1f} MiB" if m.peak else "—", btext, verdict])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zelfscan prestatiemeting (issue 7).")
    parser.add_argument("--quick", action="store_true", help="minder herhalingen")
    parser.add_argument("--only", action="append", default=None,
                        choices=["batch", "plan", "first", "answers", "copier"])
    parser.add_argument("--keep", action="store_true", help="werkmap niet opruimen")
    args = parser.parse_args(argv)
    only = set(args.only or ["batch", "plan", "first", "answers", "copier"])
    runs = {"batch": 1, "plan": 3, "first": 3, "sessions": 1, "per_session": 25, "copier": 2} if args.quick \
        else {"batch": 3, "plan": 10, "first": 10, "sessions": 3, "per_session": 80, "copier": 5}

    from bench.make_answers import generate

    work = Path(tempfile.mkdtemp(prefix="zelfscan-bench-"))
    try:
        files = generate(MUNICIPALITIES, work / "antwoorden", seed=1)
        # A mid-sized municipality with long free texts is the 'one plan' case.
        one = max(files[:12], key=lambda p: p.stat().st_size)
        measures: list[Measure] = []
        print(f"Machine: {machine()}", flush=True)
        # Other work on the machine inflates wall times: say how busy it was.
        print(f"Load average at start: {os.getloadavg()[0]:.2f}", flush=True)
        steps = [
            # After 'plan', whose warm-up run already compiled the .pyc files.
            ("plan", lambda: bench_one_plan(one, runs["plan"], work)),
            ("plan", lambda: bench_one_plan(one, runs["plan"], work, word=True)),
            ("batch", lambda: bench_batch(files, runs["batch"], work, warm=not args.quick)),
            ("batch", lambda: bench_batch(files, 1, work, warm=False, word=True)),
            ("first", lambda: bench_first_question(runs["first"], work)),
            ("answers", lambda: bench_answers(runs["sessions"], runs["per_session"], work)),
            ("copier", lambda: bench_copier(one, runs["copier"], work)),
        ]
        for key, step in steps:
            if key not in only:
                continue
            print(f"… {key}", file=sys.stderr, flush=True)
            m = step()
            if m is None:
                print("copier is niet geïnstalleerd (pip install .[bench]); overgeslagen.")
                continue
            measures.append(m)
        print(f"Load average at end: {os.getloadavg()[0]:.2f}")
        print()
        print(table(measures))
        print()
        for m in measures:
            if m.note:
                print(f"- {m.name}: {m.note}")
        plan = next((m for m in measures if m.name == "one plan"), None)
        cop = next((m for m in measures if m.name.startswith("copier")), None)
        if plan and cop:
            print(f"- één plan, Zelfscan / copier (mediaan): {plan.median / cop.median:.2f}× "
                  f"({_ms(plan.median)} tegen {_ms(cop.median)})")
        misses = [m.name for m in measures if m.name in BUDGETS and "MISS" in table([m])]
        print(f"\nBudgetten: {len([m for m in measures if m.name in BUDGETS]) - len(misses)} "
              f"gehaald, {len(misses)} gemist" + (f" ({', '.join(misses)})" if misses else "")
              + ".")
    finally:
        if args.keep:
            print(f"Werkmap: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
