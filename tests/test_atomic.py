"""Crash-safe writes: SIGKILL a writer at random moments; the file is always complete.

A child process rewrites a file in a loop through the real writers (atomic_write_text,
save_answers, plan.output.write_outputs), alternating between two versions. The parent kills it
at a random moment, many times, and then reads the file: it must be exactly the old or the
new version, never a mix or a truncated file. Temp files left by the kill are hidden, never
picked up by loaders, and removed by the next write.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from wizard.errors import ZelfscanError
from wizard.files.yamlio import atomic_write_text, load_yaml, quarantine

ROOT = Path(__file__).resolve().parent.parent
KILLS = 50

# The child: write version A, B, A, ... forever; say "klaar" after the first write.
CHILD = r"""
import sys
from pathlib import Path
kind, target, base = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
versions = [base / "a", base / "b"]
if kind == "text":
    from wizard.files.yamlio import atomic_write_text
    texts = [p.read_text(encoding="utf-8") for p in versions]
    write = lambda i: atomic_write_text(target, texts[i], private=True)
elif kind == "set":
    from wizard.files.fileset import write_file_set
    sets = [[(target / f"f{n}.md", p.read_bytes() * (n + 1), n % 2 == 0) for n in range(8)]
            for p in versions]
    write = lambda i: write_file_set(sets[i])
else:
    from wizard.answers.store import load_answers, save_answers
    from wizard.questionnaire.loader import load_questionnaire
    q = load_questionnaire()
    answers = [load_answers(p, q) for p in versions]
    if kind == "answers":
        write = lambda i: save_answers(answers[i], target, q)
    else:
        from wizard.plan.output import write_outputs
        write = lambda i: write_outputs(q, answers[i], target, force=True)
if kind in ("set", "plan"):
    # Say on stdout when a set's rename loop starts ("R": just before the old files get
    # their extra names) and when all renames are done ("D"): the parent then knows whether
    # its kill landed inside the loop, the one place a kill may leave both versions.
    import os
    from wizard.files import fileset
    armed = []
    keep_old, remove = fileset._keep_old_files, fileset._remove
    def marked_keep(targets):
        if armed:
            os.write(1, b"R")
        return keep_old(targets)
    def marked_remove(paths):
        if armed:
            os.write(1, b"D")
        remove(paths)
    fileset._keep_old_files, fileset._remove = marked_keep, marked_remove
i = 0
write(i)
print("klaar", flush=True)
if kind in ("set", "plan"):
    armed.append(True)
while True:
    i ^= 1
    write(i)
"""


def answers_text(municipality: str, filler: str) -> str:
    body = "\n".join(f"    {filler} regel {n}" for n in range(400))
    return (
        "vragenlijst: zelfscan\nversie: 1\ndatum: '2026-11-23'\nantwoorden:\n"
        f"  intake.gemeente: {municipality}\n"
        f"  doelstellingen.lokale-ambitie: |\n{body}\n"
    )


def kill_loop(kind: str, target: Path, base: Path, check, kills: int = KILLS,
              in_loop: list[bool] | None = None) -> None:
    """Kill the writer `kills` times at random moments and `check(n)` after each. For the
    file-set kinds, `in_loop[n]` says whether kill n landed inside the rename loop."""
    rng = random.Random(20261123)
    for n in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, kind, str(target), str(base)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = child.stdout.readline()
            assert line.strip() == "klaar", child.stderr.read()
            threading.Event().wait(rng.uniform(0.0, 0.12))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
            if in_loop is not None:
                in_loop.append(child.stdout.read().endswith("R"))
            child.stdout.close()
            child.stderr.close()
        check(n)


def hidden_temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.timeout(180)
def test_atomic_write_text_survives_sigkill(tmp_path):
    base = tmp_path / "versies"
    base.mkdir()
    a = answers_text("Aastad", "A" * 60)
    b = answers_text("Bedorp", "B" * 60)
    (base / "a").write_text(a, encoding="utf-8")
    (base / "b").write_text(b, encoding="utf-8")
    out = tmp_path / "uit"
    target = out / "sessie.yaml"
    seen = set()

    def check(n: int) -> None:
        text = target.read_text(encoding="utf-8")
        assert text in (a, b), f"kill {n}: half geschreven bestand ({len(text)} tekens)"
        seen.add(text)
        assert load_yaml(target).data["antwoorden"]["intake.gemeente"] in ("Aastad", "Bedorp")
        for tmp in hidden_temps(out):
            assert tmp.name.startswith(".sessie.yaml."), tmp

    kill_loop("text", target, base, check)
    assert seen == {a, b}, "de kills troffen steeds dezelfde versie; test zegt dan te weinig"
    # The next write removes temp files of killed writers.
    atomic_write_text(target, a)
    assert hidden_temps(out) == []
    assert sorted(p.name for p in out.iterdir()) == ["sessie.yaml"]


@pytest.mark.timeout(240)
def test_save_answers_survives_sigkill(tmp_path):
    from wizard.answers.store import dump_answers, load_answers
    from wizard.questionnaire.loader import load_questionnaire

    q = load_questionnaire()
    base = tmp_path / "versies"
    base.mkdir()
    (base / "a").write_text(answers_text("Aastad", "A" * 60), encoding="utf-8")
    (base / "b").write_text(answers_text("Bedorp", "B" * 60), encoding="utf-8")
    expected = {dump_answers(load_answers(base / n, q), q) for n in ("a", "b")}
    target = tmp_path / "uit" / "antwoorden.yaml"

    def check(n: int) -> None:
        assert target.read_text(encoding="utf-8") in expected, f"kill {n}"
        assert load_answers(target, q).values["intake.gemeente"] in ("Aastad", "Bedorp")
        if os.name == "posix":
            assert target.stat().st_mode & 0o777 == 0o600

    kill_loop("answers", target, base, check, kills=30)


@pytest.mark.timeout(300)
def test_write_outputs_survives_sigkill(tmp_path):
    from wizard.answers.store import load_answers
    from wizard.plan.output import write_outputs
    from wizard.questionnaire.loader import load_questionnaire

    q = load_questionnaire()
    base = tmp_path / "versies"
    base.mkdir()
    (base / "a").write_text(answers_text("Aastad", "A" * 60), encoding="utf-8")
    (base / "b").write_text(answers_text("Bedorp", "B" * 60), encoding="utf-8")
    # The complete files of each version, made by the same writer without kills.
    expected: dict[str, set[bytes]] = {}
    for name in ("a", "b"):
        ref = tmp_path / f"ref-{name}"
        for p in write_outputs(q, load_answers(base / name, q), ref):
            expected.setdefault(p.name, set()).add(p.read_bytes())
    out = tmp_path / "uit"
    mixed: list[int] = []

    def check(n: int) -> None:
        municipalities = set()
        for name, versions in expected.items():
            f = out / name
            data = f.read_bytes()
            assert data in versions, f"kill {n}: {name} is half geschreven"
            if name.endswith((".md", ".yaml")):
                municipalities.add(b"Aastad" in data)
        # The files are written as one set: a kill leaves one version of every file, except
        # when it lands in the short rename loop at the end.
        if len(municipalities) > 1:
            mixed.append(n)
        for tmp in hidden_temps(out):
            assert tmp.name.startswith("."), tmp

    in_loop: list[bool] = []
    kill_loop("plan", out, base, check, kills=20, in_loop=in_loop)
    outside = [n for n in mixed if not in_loop[n]]
    assert not outside, f"gemengde sets na kills buiten de hernoemlus: {outside}"
    # The next write removes the temp files of the killed writers.
    write_outputs(q, load_answers(base / "a", q), out, force=True)
    assert hidden_temps(out) == []


@pytest.mark.timeout(300)
def test_file_set_survives_sigkill(tmp_path):
    """wizard.files.fileset (one flush per set, issue 17): after any kill every file is
    complete, and the files are of one version except after a kill in the rename loop (the
    writer says on stdout when it enters and leaves that loop, so this is exact, not a rate)."""
    base = tmp_path / "versies"
    base.mkdir()
    a = answers_text("Aastad", "A" * 60).encode()
    b = answers_text("Bedorp", "B" * 60).encode()
    (base / "a").write_bytes(a)
    (base / "b").write_bytes(b)
    out = tmp_path / "uit"
    mixed: list[int] = []
    seen: set[bool] = set()

    def check(n: int) -> None:
        versions = set()
        for k in range(8):
            data = (out / f"f{k}.md").read_bytes()
            assert data in (a * (k + 1), b * (k + 1)), f"kill {n}: f{k}.md is half geschreven"
            versions.add(b"Aastad" in data)
            seen.add(b"Aastad" in data)
        if len(versions) > 1:
            mixed.append(n)
        for tmp in hidden_temps(out):
            assert tmp.name.startswith("."), tmp

    in_loop: list[bool] = []
    kill_loop("set", out, base, check, kills=30, in_loop=in_loop)
    outside = [n for n in mixed if not in_loop[n]]
    assert not outside, f"gemengde sets na kills buiten de hernoemlus: {outside}"
    assert len(seen) == 2, "de kills troffen steeds dezelfde versie; test zegt dan te weinig"
    from wizard.files.fileset import write_file_set

    write_file_set([(out / f"f{k}.md", a, False) for k in range(8)])
    assert hidden_temps(out) == []


def test_temp_files_are_invisible_to_loaders(tmp_path):
    # A temp file left by a kill: hidden, ends in .tmp, so *.yaml globs never see it.
    atomic_write_text(tmp_path / "antwoorden.yaml", "a: 1\n")
    left = tmp_path / f".antwoorden.yaml.{2**22 + 7}.dead.tmp"
    left.write_text("a: [niet af", encoding="utf-8")
    assert [p.name for p in tmp_path.glob("*.yaml")] == ["antwoorden.yaml"]
    assert load_yaml(tmp_path / "antwoorden.yaml").data == {"a": 1}


def test_concurrent_writers_never_share_a_temp_file(tmp_path):
    target = tmp_path / "plan.md"
    texts = [f"versie {i}\n" * 5000 for i in range(8)]
    errors: list[BaseException] = []

    def writer(text: str) -> None:
        try:
            for _ in range(20):
                atomic_write_text(target, text)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert target.read_text(encoding="utf-8") in texts
    assert hidden_temps(tmp_path) == []


def test_private_files_are_0600_and_public_ones_follow_umask(tmp_path):
    atomic_write_text(tmp_path / "geheim.yaml", "a: 1\n", private=True)
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "plan.md", "# plan\n")
    finally:
        os.umask(old)
    assert (tmp_path / "geheim.yaml").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "plan.md").stat().st_mode & 0o777 == 0o644
    # Rewriting a once-public file as private tightens it.
    atomic_write_text(tmp_path / "plan.md", "# plan\n", private=True)
    assert (tmp_path / "plan.md").stat().st_mode & 0o777 == 0o600


def test_quarantine_keeps_every_damaged_copy(tmp_path):
    session = tmp_path / "sessie.yaml"
    session.write_text("antwoorden: [kapot", encoding="utf-8")
    with pytest.raises(ZelfscanError) as err:
        load_yaml(session)
    assert f"{session}:1" in str(err.value)
    first = quarantine(session)
    assert first == tmp_path / "sessie.beschadigd-1.yaml"
    assert not session.exists() and first.read_text(encoding="utf-8") == "antwoorden: [kapot"
    session.write_text("tweede: [kapot", encoding="utf-8")
    second = quarantine(session)
    assert second == tmp_path / "sessie.beschadigd-2.yaml"
    assert first.read_text(encoding="utf-8") == "antwoorden: [kapot"  # never overwritten
    assert second.read_text(encoding="utf-8") == "tweede: [kapot"
