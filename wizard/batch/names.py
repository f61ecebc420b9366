"""Which files a batch run takes, and the folder each plan gets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wizard.batch.model import Loaded


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
