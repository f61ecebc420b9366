"""One writer per session file: the chat locks its session file while it is open.

A second `zelfscan start` for the same municipality that goes on with the earlier session (a
colleague, a forgotten window), or a `zelfscan resume` of a file that is open elsewhere, hears
since when and where it is open, and chooses: go on in a copy (a new file with the answers so
far), wait until the other window closes the session, or stop. A new session never takes a
file name another window holds. Two windows never save into one file. A lock left by a
killed chat is free again at once (wizard.files.lock) and is taken over without a word.

Only the conversation's open/close points call this module; the rest of the chat is
unaware of locks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard.chat.frontend import ERROR, HINT, Ask
from wizard.files.lock import FileLock, Holder, LockBusy, lock_path_for, wait_for

COPY_WORD = "kopie"


def _lock(chat: Any, path: Path) -> FileLock | None:
    """Lock `path` for `chat` (replacing any lock it held); None when busy."""
    lock = FileLock(lock_path_for(path), "gesprek")
    try:
        lock.acquire()
    except LockBusy as busy:
        chat._lock_busy = busy.holder
        return None
    release(chat)
    chat._session_lock = lock
    return lock


def release(chat: Any) -> None:
    lock = getattr(chat, "_session_lock", None)
    if lock is not None:
        lock.release()
        chat._session_lock = None


def free_name(chat: Any, folder: Path, stem: str, first: int = 2, word: str = "") -> Path:
    """`stem-2.yaml`, `stem-3.yaml`, ... (or `stem-kopie.yaml`, `stem-kopie-2.yaml`): the
    first name that does not exist and that this chat could lock; it holds the lock."""
    n = first
    while True:
        base = f"{stem}-{word}" if word else stem
        candidate = folder / (f"{base}.yaml" if n == 1 else f"{base}-{n}.yaml")
        if not candidate.exists() and _lock(chat, candidate) is not None:
            if not candidate.exists():
                return candidate
            release(chat)
        n += 1


def _holder_text(holder: Holder | None) -> str:
    if holder is None:
        return ""
    return f" ({holder.since_text()}, {holder.where_text()})"


def claim_existing(chat: Any, path: Path, *, widen: bool = False) -> bool:
    """`zelfscan start`, the user chose to go on with the earlier session in `path`: lock it.

    True: locked, adopt it as usual. False: it is open elsewhere and the user chose a copy or
    waited (the chat then goes on in the copy, or in `path` with its latest answers)."""
    if _lock(chat, path) is not None:
        return True
    _offer(chat, path, chat._lock_busy, widen=widen)
    return False


def claim_resumed(chat: Any) -> None:
    """`zelfscan resume FILE` (and a chat going on in FILE): lock FILE before the first save."""
    path = chat.path
    if path is None or _lock(chat, path) is not None:
        return
    chat.path = None  # nothing may be saved into a file another window writes
    _offer(chat, path, chat._lock_busy)


def _offer(chat: Any, path: Path, holder: Holder | None, *, widen: bool = False) -> None:
    chat._offered = path
    chat.say(f"Het gesprek in {_show(path)} is al geopend in een ander venster of door een "
             f"collega{_holder_text(holder)}. Twee vensters die in hetzelfde bestand bewaren, "
             "zouden elkaars antwoorden overschrijven.", ERROR)
    try:
        while True:
            chat.say("Typ k om verder te gaan in een kopie (een nieuw bestand met de antwoorden "
                     "tot nu toe), w om te wachten tot het andere venster het gesprek sluit, of "
                     "s om te stoppen.")
            choice = chat._read(Ask(prompt="(k/w/s) > ", toolbar=chat._toolbar())).strip()
            word = choice.lower().lstrip(":")
            if word in ("k", COPY_WORD, "1"):
                _open_copy(chat, path, widen)
                return
            if word in ("w", "wachten", "wacht", "2"):
                if _wait(chat, path):
                    _reload(chat, path, path, widen)
                    return
                continue
            if word in ("s", "stop", "stoppen", "3"):
                chat._stop(0)  # says that nothing was saved and where the session is
            chat.say("Typ k (kopie), w (wachten) of s (stoppen).", ERROR)
    finally:
        chat._offered = None


def _wait(chat: Any, path: Path) -> bool:
    chat.say("Ik wacht tot het gesprek in het andere venster wordt gesloten (:stop of het "
             "venster sluiten). Stoppen met wachten: Ctrl-C.", HINT)
    lock = FileLock(lock_path_for(path), "gesprek")
    try:
        wait_for(lock, poll=0.5)
    except KeyboardInterrupt:
        chat.say("Gestopt met wachten.")
        return False
    release(chat)
    chat._session_lock = lock
    chat.say("Het andere venster heeft het gesprek gesloten; u kunt verder.", HINT)
    return True


def _open_copy(chat: Any, path: Path, widen: bool = False) -> None:
    copy = free_name(chat, path.parent, path.stem, first=1, word=COPY_WORD)
    _reload(chat, path, copy, widen)
    chat.say(f"U werkt nu in een kopie: {_show(copy)}. Het andere venster bewaart in "
             f"{_show(path)}; de twee bestanden blijven los van elkaar.", HINT)


def _reload(chat: Any, source: Path, target: Path, widen: bool = False) -> None:
    """Go on in `target` with the answers `source` holds now (the other window's latest)."""
    from wizard.answers.store import load_answers
    from wizard.errors import ZelfscanError

    try:
        answers = load_answers(source, chat.q, require_complete=False)
    except ZelfscanError:
        answers = chat.answers  # unreadable now: go on with what this chat has
    chat._adopt(answers, target, widen=widen)


def _show(path: Path) -> str:
    # As wizard.chat.conversation.show_path (not imported: that module imports this one).
    s = str(path)
    return f'"{s}"' if any(c.isspace() for c in s) else s
