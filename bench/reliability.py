"""Reliability probe (issue 18): hostile and faulty inputs, counted. Prints the README table.

    .venv/bin/python bench/reliability.py            # everything (a few minutes)
    .venv/bin/python bench/reliability.py --quick    # without the crash-mix batches and kills
    .venv/bin/python bench/reliability.py --vormen   # time per worst-known shape of an answer

Every case runs the real CLI in its own process (so a hang is a timeout, not a stuck probe),
except where noted. Per group it counts: cases tried, internal errors ("interne fout" or a
traceback), hangs (no answer within the time limit), and answers lost (an answer or plan that
should exist and does not, or that silently differs from what was typed).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

HOSTILE = _ROOT / "tests" / "hostile"
EXAMPLES = _ROOT / "examples"
GOOD = ("hoornewaard", "lindenvoort", "schelderhoven", "turfwolde", "welderbroek")
TEXT_Q = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"
LIMIT = 30.0  # seconds before a single command counts as a hang


@dataclass
class Group:
    name: str
    command: str
    cases: int = 0
    internal: int = 0
    hangs: int = 0
    lost: int = 0

    def row(self) -> str:
        return (f"| {self.name} | {self.cases} | {self.internal} | {self.hangs} | {self.lost} "
                f"| `{self.command}` |")


def zelfscan(*args: str, timeout: float = LIMIT) -> tuple[int | None, str, str]:
    """(exit code or None on a hang, stdout, stderr) of one CLI run."""
    try:
        r = subprocess.run([sys.executable, "-m", "wizard", *args], cwd=_ROOT, text=True,
                           capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return r.returncode, r.stdout, r.stderr


def judge(group: Group, code: int | None, err: str) -> None:
    group.cases += 1
    if code is None:
        group.hangs += 1
    elif "interne fout" in err or "Traceback" in err:
        group.internal += 1


def good_copy(folder: Path, i: int) -> Path:
    text = (EXAMPLES / f"{GOOD[i % len(GOOD)]}.yaml").read_text(encoding="utf-8")
    name = re.search(r"intake.gemeente: (.+)", text).group(1)  # type: ignore[union-attr]
    p = folder / f"goed-{i:03d}.yaml"
    p.write_text(text.replace(f"intake.gemeente: {name}", f"intake.gemeente: Goed{i:03d}"),
                 encoding="utf-8")
    return p


def specials(folder: Path) -> list[Path]:
    os.mkfifo(folder / "pijp.yaml")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "socket.yaml"))
    sock.close()
    (folder / "map.yaml").mkdir()
    return [folder / "pijp.yaml", folder / "socket.yaml", folder / "map.yaml",
            Path("/dev/zero"), Path("/dev/null")]


# ------------------------------------------------------------------ groups


def corpus(tmp: Path) -> Group:
    g = Group("Vijandige bestanden (tests/hostile): vragenlijst, module, antwoorden, sessie, "
              "sjabloon", "pytest tests/test_hostile.py")
    for group in ("vragenlijst", "module", "antwoorden", "sessie", "sjabloon"):
        for p in sorted((HOSTILE / group).iterdir()):
            argv = (["--vragenlijst", str(p), "validate"] if group == "vragenlijst" else
                    ["generate", "--check", "-o", str(tmp), str(p)] if group == "sjabloon" else
                    ["validate", str(p)])
            code, _, err = zelfscan(*argv)
            judge(g, code, err)
    return g


def special_files(tmp: Path) -> Group:
    g = Group("Geen gewoon bestand: pijp (FIFO), socket, map, /dev/zero, /dev/null, bij elke "
              "opdracht die leest", "pytest tests/test_special_files.py")
    good = str(EXAMPLES / "hoornewaard.yaml")
    for p in specials(tmp):
        s = str(p)
        for argv in (["validate", s], ["--vragenlijst", s, "validate"],
                     ["compare", s, good, "-o", str(tmp / "c")],
                     ["generate", "--check", "-o", str(tmp / "g"), s],
                     ["resume", s, "--eenvoudig"],
                     ["batch", good, s, "-o", str(tmp / f"b-{p.name}"), "--zonder-word"]):
            code, _, err = zelfscan(*argv)
            judge(g, code, err)
            if argv[0] == "batch" and not (tmp / f"b-{p.name}" / "hoornewaard" / "plan.md"
                                           ).is_file():
                g.lost += 1  # the good plan next to it was not written
    return g


def as_typed() -> Group:
    """In-process: what an officer types, as a plain YAML value and under `|-` in the blank
    file; each must be read exactly as typed or refused (never changed silently)."""
    from wizard.answers.store import answers_from_doc
    from wizard.errors import ZelfscanError
    from wizard.files.yamlio import parse_yaml
    from wizard.questionnaire.loader import load_questionnaire

    g = Group("Antwoorden zoals getypt (& # : @ backtick % * ! > [ { aanhalingstekens, 12:30, ja, "
              "017600, datums), los en in het lege bestand", "pytest tests/test_answers.py "
              "tests/test_hostile.py -k 'typed or refused'")
    q = load_questionnaire()
    typed = ["&OOV en jeugd", "OOV #1 in de regio", "OOV#1", "12:30", "1:30:00", "ja", "nee",
             "Nee.", "017600", "1e3", "0x1F", ".inf", "2026-01-01", "2026-01-01 10:00",
             "@team", "`code`", "% budget", "* punt", "!belangrijk", "| pijp", "> groter",
             "[concept]", "{x}", "'Stichting 't Hoekje'", '"citaat" en meer', "a: b",
             "- een", "? vraag", "~", "null", "...", "---", "tab\tin tekst", "  ruimte  ",
             "'s-Hertogenbosch", "OOV, jeugd", "100%", "a #b", "x: y: z"]
    head = ("vragenlijst: zelfscan\nversie: 1\ndatum: '2026-11-23'\nantwoorden:\n"
            "  intake.gemeente: Testdorp\n")
    for text in typed:
        for body in (f"  {TEXT_Q}: {text}\n", f"  {TEXT_Q}: |-\n      {text}\n"):
            g.cases += 1
            try:
                answers = answers_from_doc(parse_yaml(head + body, "a.yaml"), q,
                                           require_complete=False)
            except ZelfscanError:
                continue  # refused, with place and hint: nothing lost
            except Exception:  # noqa: BLE001 - what the probe counts
                g.internal += 1
                continue
            got = answers.values.get(TEXT_Q)
            if text.strip() in ("~", "null") and got is None:
                continue  # YAML's own words for "empty", as the blank file says
            if not isinstance(got, str) or got.strip() not in (text.strip(), "weet_niet"):
                g.lost += 1
    return g


def characters() -> Group:
    """In-process: characters no output format can hold, written every way a file allows."""
    from wizard.answers.store import answers_from_doc
    from wizard.errors import ZelfscanError
    from wizard.files.yamlio import parse_yaml
    from wizard.questionnaire.loader import load_questionnaire

    g = Group("Tekens die geen formaat kan bevatten (losse surrogaten, niet-tekens, C0/C1), "
              "als code en als teken in een antwoord (gesprek en Excel: de tests)",
              "pytest tests/test_text_property.py tests/test_chat_reliability.py "
              "tests/test_xlsx_limits.py")
    q = load_questionnaire()
    head = ("vragenlijst: zelfscan\nversie: 1\ndatum: '2026-11-23'\nantwoorden:\n"
            "  intake.gemeente: Testdorp\n")
    codes = [0x00, 0x07, 0x08, 0x0B, 0x0C, 0x0D, 0x1B, 0x7F, 0x85, 0x9B, 0xD800, 0xDC80,
             0xDFFF, 0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFF]
    for cp in codes:
        forms = [f'  {TEXT_Q}: "OOV \\U{cp:08x}"\n']
        if not 0xD800 <= cp <= 0xDFFF and cp != 0x0D:  # a CR in a file is a line end
            forms.append(f"  {TEXT_Q}: OOV {chr(cp)}\n")
        for body in forms:
            g.cases += 1
            try:
                answers_from_doc(parse_yaml(head + body, "a.yaml"), q, require_complete=False)
            except ZelfscanError:
                continue
            except Exception:  # noqa: BLE001
                g.internal += 1
                continue
            g.lost += 1  # accepted: a writer would meet it (or the text was changed)
    return g


def workbooks(tmp: Path) -> Group:
    from openpyxl import load_workbook

    from wizard.answers.xlsx import write_blank_xlsx
    from wizard.questionnaire.loader import load_questionnaire

    g = Group("Excel-werkmappen: rijen ingevoegd, waarde buiten kolom A–F, antwoord zonder id, "
              "kolom ingevoegd, niet-teken in een cel", "pytest tests/test_xlsx_limits.py")
    blank = tmp / "leeg.xlsx"
    write_blank_xlsx(load_questionnaire(), blank, date="2026-11-23")

    def last(wb):  # type: ignore[no-untyped-def]
        ws = wb["Antwoorden"]
        ws.cell(ws.max_row, 5, "weet niet")
        ws.insert_rows(2, 6000)

    cases: dict[str, Callable] = {
        "ingevoegd": last,
        "kolom-g": lambda wb: wb["Antwoorden"].cell(5, 7, "antwoord"),
        "zonder-id": lambda wb: wb["Antwoorden"].cell(wb["Antwoorden"].max_row + 2, 5, "x"),
        "kolom-ingevoegd": lambda wb: wb["Antwoorden"].insert_cols(2),
        "niet-teken": lambda wb: wb["Antwoorden"].cell(4, 6, "x\ufdd0"),
    }
    for name, change in cases.items():
        wb = load_workbook(blank)
        wb["Intake"]["E3"] = "Testdorp"
        change(wb)
        path = tmp / f"{name}.xlsx"
        wb.save(path)
        code, _out, err = zelfscan("validate", str(path))
        judge(g, code, err)
        if name == "ingevoegd":
            g.lost += code != 0  # every answer must still be read
        else:
            g.lost += code == 0  # a value was about to be skipped: must be an error
    return g


def crash_mix(tmp: Path) -> Group:
    g = Group("Crash-mix: goede bestanden rond elk vijandig bestand in één batch, "
              "sequentieel en parallel", "pytest tests/test_crash_mix.py")
    hostile = sorted(p for grp in ("antwoorden", "sessie", "vragenlijst", "module")
                     for p in (HOSTILE / grp).iterdir())
    for jobs in ("1", "2"):
        folder = tmp / f"mix{jobs}"
        folder.mkdir()
        files, good = [], []
        for i, bad in enumerate(hostile + specials(folder)):
            gp = good_copy(folder, i)
            files += [str(gp), str(bad)]
            good.append(gp)
        env = dict(os.environ, ZELFSCAN_JOBS=jobs)
        try:
            r = subprocess.run([sys.executable, "-c", _BATCH_WITH_JOBS, jobs, str(folder / "uit"),
                                *files], cwd=_ROOT, text=True, capture_output=True,
                               timeout=1200, env=env, check=False)
            code: int | None = r.returncode
            err = r.stderr
        except subprocess.TimeoutExpired:
            code, err = None, ""
        for _ in range(len(files) - len(good)):
            judge(g, code, err)
        written = {p.parent.name for p in (folder / "uit").glob("*/plan.md")}
        g.lost += sum(f"goed{i:03d}" not in written for i in range(len(good)))
    return g


_BATCH_WITH_JOBS = (
    "import io, sys\nfrom wizard.batch import run_batch\n"
    "code, _ = run_batch(sys.argv[3:], sys.argv[2], word=False, public_only=True,"
    " jobs=int(sys.argv[1]), out=io.StringIO())\nsys.exit(code)\n")


def two_runs_and_kills(tmp: Path) -> Group:
    g = Group("Twee batches in één map tegelijk; batch gedood (SIGKILL) en hervat met --hervat",
              "pytest tests/test_locks_and_kills.py")
    folder = tmp / "kill"
    folder.mkdir()
    files = [str(good_copy(folder, i)) for i in range(12)]
    out = folder / "uit"
    first = subprocess.Popen([sys.executable, "-m", "wizard", "batch", *files, "-o", str(out)],
                             cwd=_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not (out / ".zelfscan" / "batch.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    code, _, err = zelfscan("batch", *files, "-o", str(out))
    judge(g, code, err)
    g.lost += code == 0  # the second run must not write into the running one's folder
    while len(list(out.glob("*/plan.md"))) < 3 and time.monotonic() < deadline + 120:
        time.sleep(0.05)
    workers = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
               and _ppid(int(p.name)) == first.pid]
    os.kill(first.pid, signal.SIGKILL)
    first.communicate()
    time.sleep(5)
    g.cases += 1
    orphans = [w for w in workers if _ppid(w) is not None]
    g.hangs += bool(orphans)
    for w in orphans:
        os.kill(w, signal.SIGKILL)
    code, _out, err = zelfscan("batch", *files, "-o", str(out), "--hervat", timeout=600)
    judge(g, code, err)
    written = {p.parent.name for p in out.glob("*/plan.md")}
    g.lost += sum(f"goed{i:03d}" not in written for i in range(12))
    return g


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] == "Z" else int(fields[1])


SHAPE_LINES = {
    "150.000 regels": lambda: "".join(f"      regel {i}\n" for i in range(150_000)),
    "één woord van 4 MB": lambda: "      " + "a" * 4_000_000 + "\n",
    "bijzondere tekens, 4 MB": lambda: ("      " + "*_`[]<>&#|\\'\":@%!{} " * 20 + "\n")
    * 9_000,
    "a.a.a…@ (e-mail), 300 KB": lambda: "      " + "a." * 150_000 + "@\n",
    "cijfers en letters (postcode), 1 MB": lambda: "      " + "1234 AB " * 125_000 + "\n",
}


def shapes(tmp: Path) -> list[str]:
    """Seconds per worst-known shape of one text answer, for `validate` (the loaders and the
    value checks) and for one plan (`batch --zonder-word`: the writers and the privacy
    check). Reported, not judged: see the README."""
    head = ("vragenlijst: zelfscan\nversie: 1\ndatum: '2026-11-23'\nantwoorden:\n"
            "  intake.gemeente: Testdorp\n")
    rows = ["| vorm van één antwoord | grootte | validate | één plan (batch --zonder-word) |",
            "|---|---|---|---|"]
    for name, make in SHAPE_LINES.items():
        path = tmp / "vorm.yaml"
        path.write_text(head + f"  {TEXT_Q}: |-\n" + make(), encoding="utf-8")
        size = f"{path.stat().st_size / 1e6:.1f} MB"
        cells = []
        for argv in (["validate", str(path)],
                     ["batch", str(path), "-o", str(tmp / f"uit-{len(rows)}"),
                      "--zonder-word"]):
            started = time.perf_counter()
            code, _, _err = zelfscan(*argv, timeout=900)
            took = time.perf_counter() - started
            cells.append("> 900 s" if code is None else f"{took:.1f} s" +
                         ("" if code == 0 else " (geweigerd)"))
        rows.append(f"| {name} | {size} | {cells[0]} | {cells[1]} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="zonder crash-mix en kills")
    parser.add_argument("--vormen", action="store_true",
                        help="alleen: de tijd per zwaarste vorm van een antwoord")
    args = parser.parse_args()
    if args.vormen:
        tmp = Path(tempfile.mkdtemp(prefix="zelfscan-vormen-"))
        try:
            print("\n".join(shapes(tmp)))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="zelfscan-probe-"))
    try:
        groups = [corpus(_fresh(tmp / "a")), special_files(_fresh(tmp / "b")), as_typed(),
                  characters(), workbooks(_fresh(tmp / "d"))]
        if not args.quick:
            groups += [crash_mix(_fresh(tmp / "e")), two_runs_and_kills(_fresh(tmp / "f"))]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("| geval | gevallen | interne fouten | vastgelopen | antwoorden kwijt | "
          "na te spelen met |")
    print("|---|---|---|---|---|---|")
    for g in groups:
        print(g.row())
    total = Group("Totaal", "python bench/reliability.py")
    for g in groups:
        total.cases += g.cases
        total.internal += g.internal
        total.hangs += g.hangs
        total.lost += g.lost
    print(total.row())
    return 0 if not (total.internal or total.hangs or total.lost) else 1


def _fresh(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


if __name__ == "__main__":
    sys.exit(main())
