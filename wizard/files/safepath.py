"""Safe folder names for output written per municipality.

The municipality name comes from an answers file, i.e. from a user: it must never be
able to point outside the output folder, hit a reserved device name on Windows, or
produce a name that differs per platform. So it is reduced to a short ASCII slug.
"""

from __future__ import annotations

import re
import unicodedata

from wizard.files.slug import slugify

MAX_LENGTH = 60
FALLBACK = "gemeente"

# Device names Windows refuses as file or folder names, with or without an extension.
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "clock$", "conin$", "conout$"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe_folder_name(name: str) -> str:
    """An ASCII slug usable as one folder name on Linux, macOS and Windows.

    Never empty, never '.'/'..', no separators or control characters, not a Windows
    reserved device name, at most MAX_LENGTH characters. 'Ède' and 'ede' give the same
    name on purpose (case-insensitive file systems would merge them anyway); callers that
    write several municipalities detect such collisions with `unique_folder_names`.
    """
    text = _CONTROL.sub(" ", str(name or ""))
    # Compatibility forms first so e.g. full-width letters become plain ASCII.
    text = unicodedata.normalize("NFKC", text)
    slug = slugify(text)
    if len(slug) > MAX_LENGTH:
        slug = slug[:MAX_LENGTH].rstrip("-")
    if not slug:
        return FALLBACK
    if slug in _WINDOWS_RESERVED:  # a slug has no dots, so 'con.txt' cannot occur
        slug = f"{slug}-{FALLBACK}"
    return slug


def unique_folder_names(
    names: list[str], qualifiers: list[str] | None = None
) -> tuple[list[str], list[tuple[int, int, str]]]:
    """Safe, distinct folder names for `names`, in order.

    Returns (folders, collisions) where each collision is (index, earlier index, folder
    given). A later name that collides first tries '<name>-<qualifier>' when its qualifier
    differs from the earlier one's (e.g. the date of the assessment, so two years of one
    municipality get readable folders), then '-2', '-3', ... Comparison ignores case,
    because Windows and macOS file systems do.
    """
    taken: dict[str, int] = {}
    folders: list[str] = []
    collisions: list[tuple[int, int, str]] = []
    for i, name in enumerate(names):
        base = safe_folder_name(name)
        folder = base
        qualifier = _qualifier(qualifiers, i)
        earlier = taken.get(folder.lower())
        if earlier is not None and qualifier and qualifier != _qualifier(qualifiers, earlier):
            folder = base[: MAX_LENGTH - len(qualifier) - 1].rstrip("-") + "-" + qualifier
        n = 1
        while folder.lower() in taken:
            n += 1
            suffix = f"-{n}"
            folder = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if folder != base:
            collisions.append((i, taken[base.lower()], folder))
        taken[folder.lower()] = i
        folders.append(folder)
    return folders, collisions


def _qualifier(qualifiers: list[str] | None, i: int) -> str:
    return slugify(qualifiers[i]) if qualifiers and qualifiers[i] else ""
