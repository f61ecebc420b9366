"""What a batch run leaves behind so that an interrupted run can continue (`--hervat`).

All of it lives in the hidden folder `.zelfscan/` of the output folder; the plan folders
themselves hold only the plan (they are what people share).

- `plannen/<map>.json`, written once all files of that plan are in place: a fingerprint of
  exactly what the plan was made from (the answers file's bytes, the questionnaire and rules,
  the options, the Zelfscan version) and the files written. A folder with a matching stamp
  holds a complete plan of that same input.
- `batch.json`, written before the first plan: the folders batch runs started to write (new
  ones, or all with --force). `--hervat` finishes only those that have no stamp yet and
  leaves every other existing plan alone, so a resume never overwrites a finished plan or a
  plan someone edited.
- `batch.lock`: the lock of the run in progress (wizard.files.lock).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard import __version__
from wizard.files.yamlio import atomic_write_text, read_bytes

STATE = ".zelfscan"
JOURNAL = f"{STATE}/batch.json"
LOCK = f"{STATE}/batch.lock"
STAMPS = f"{STATE}/plannen"
MAX_INPUT_BYTES = 20 * 1024 * 1024  # the largest answers file (a workbook) a run reads


def run_fingerprint(q: Any, config: Any, rules: Any, *, public_only: bool, word: bool,
                    vorige: str | None) -> str:
    """Everything besides the answers file that decides a plan's bytes."""
    h = hashlib.sha256()
    h.update(f"zelfscan {__version__}\n".encode())
    # The loaded questionnaire and rules, not their files: a comment edit does not count.
    h.update(repr((q, config, rules)).encode("utf-8", "surrogatepass"))
    h.update(f"\nopenbaar={public_only} word={word}\n".encode())
    if vorige:
        h.update(read_bytes(vorige, what="antwoordbestand", max_bytes=MAX_INPUT_BYTES))
    return h.hexdigest()


def input_digest(path: str, run: str) -> str:
    """The fingerprint of one plan: the run's fingerprint and the answers file's bytes."""
    h = hashlib.sha256(run.encode())
    h.update(read_bytes(path, what="antwoordbestand", max_bytes=MAX_INPUT_BYTES))
    return h.hexdigest()


def _stamp(out_dir: Path, folder: str) -> Path:
    return out_dir / STAMPS / f"{folder}.json"


def stamp_file(out_dir: Path, folder: str, digest: str, files: list[Path],
               source: str) -> tuple[Path, bytes, bool]:
    """The stamp as (path, content, private): write_outputs writes it last, after the plan
    is on disk (its `marker`), without the fsyncs of a separate write."""
    names = sorted(Path(f).name for f in files)
    return _stamp(out_dir, folder), (json.dumps(
        {"invoer": digest, "bestanden": names, "bron": source}, ensure_ascii=False,
        indent=1) + "\n").encode("utf-8"), True



def remove_stale_stamp_temps(out_dir: Path) -> None:
    """Temp files of stamps whose writer was killed: once per run (write_outputs does not
    look in this folder per plan: it holds a stamp per plan)."""
    from wizard.files.fileset import remove_stale_temps

    remove_stale_temps(out_dir / STAMPS, None)


def complete_plan(out_dir: Path, folder: str, digest: str) -> list[str] | None:
    """The files of a complete plan in `out_dir/folder` made from exactly `digest`, else
    None."""
    try:
        data = json.loads(_stamp(out_dir, folder).read_text(encoding="utf-8"))
        names = [str(n) for n in data["bestanden"]]
        if data["invoer"] != digest or not names:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    paths = [out_dir / folder / n for n in names]
    if not all(p.is_file() for p in paths):
        return None
    return [str(p) for p in paths]


def has_stamp(out_dir: Path, folder: str) -> bool:
    return _stamp(out_dir, folder).exists()


def has_plan(folder: Path, names: tuple[str, ...]) -> bool:
    """Whether `folder` already holds any of a plan's files `names` (what write_outputs
    would refuse to overwrite)."""
    return any((folder / n).exists() for n in names)


@dataclass
class Journal:
    """The folders this run may write (see the module docstring)."""

    folders: dict[str, str]  # folder name -> input digest

    @classmethod
    def read(cls, out_dir: Path) -> Journal | None:
        try:
            data = json.loads((out_dir / JOURNAL).read_text(encoding="utf-8"))
            return cls({str(k): str(v) for k, v in data["mappen"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def write(self, out_dir: Path) -> None:
        atomic_write_text(out_dir / JOURNAL, json.dumps(
            {"mappen": self.folders}, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
