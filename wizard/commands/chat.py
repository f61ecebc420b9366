"""`zelfscan start` and `zelfscan resume FILE`: start or resume the interactive chat.

The conversation logic (wizard.chat.conversation, wizard.chat.parse) does not know about
prompt_toolkit; wizard.chat.terminal is the prompt_toolkit front end. prompt_toolkit is
imported only when a chat really starts, after the terminal check, and never in the plain
mode (wizard.chat.plain: `--eenvoudig`, or TERM=dumb).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from wizard.errors import EXIT_USAGE, UsageError, ZelfscanError

NO_TERMINAL = (
    "zelfscan: het gesprek heeft een terminal nodig (toetsenbord en scherm), maar invoer of "
    "uitvoer is omgeleid.\n"
    "    → Zonder terminal: maak een leeg antwoordbestand met '{program} blank', vul het in en "
    "maak het plan met '{program} batch BESTAND'.\n"
)

DEFAULT_BASE = Path("outputs")


def _has_terminal() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def invocation(argv0: str | None = None, executable: str | None = None,
               cwd: str | None = None) -> str:
    """How the user started Zelfscan, as they can type it again: 'zelfscan' when that name on
    PATH is this program, else the path they used ('.venv/bin/zelfscan'), or
    '<python> -m wizard'. Hints name commands this way, so they work when copied."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    cwd = os.getcwd() if cwd is None else cwd
    if Path(argv0).name in ("__main__.py", "-m", "-c") or not argv0:
        python = executable or sys.executable or "python3"
        return f"{_as_typed(python, cwd)} -m wizard"
    return _as_typed(argv0, cwd)


def _as_typed(program: str, cwd: str) -> str:
    """A program path as short as it can be typed: its bare name when PATH finds this very
    file, else relative to the current folder when inside it, else in full (quoted)."""
    import shlex
    import shutil

    name = Path(program).name
    found = shutil.which(name)
    try:
        if found and Path(found).resolve() == Path(program).resolve():
            return name
    except OSError:
        pass
    shown = program
    if Path(program).is_absolute() and Path(cwd).parent != Path(cwd):  # (not from /)
        try:
            rel = Path(program).relative_to(cwd)
        except ValueError:
            rel = None
        if rel is not None:
            shown = str(rel) if "/" in str(rel) else f"./{rel}"
    return shlex.quote(shown)


def _no_terminal() -> int:
    sys.stderr.write(NO_TERMINAL.format(program=invocation()))
    sys.stderr.flush()
    return EXIT_USAGE


def _questionnaire(args: Any):  # type: ignore[no-untyped-def]
    from wizard.questionnaire.loader import load_questionnaire

    return load_questionnaire(getattr(args, "vragenlijst", None))


def wants_plain(args: Any) -> bool:
    """Plain lines when asked for, or when the terminal says it cannot do more."""
    return bool(getattr(args, "eenvoudig", False)) or os.environ.get("TERM") == "dumb"


def _frontend(frontend: Any, args: Any = None) -> Any:
    if frontend is not None:
        return frontend
    if wants_plain(args):
        from wizard.chat.plain import PlainFrontend

        return PlainFrontend()
    from wizard.chat.terminal import TerminalFrontend

    return TerminalFrontend()


def check_base(base: Path) -> None:
    """Refuse a --map that cannot become a folder before the first question, not after it.

    Checked before the terminal check: a wrong name is wrong with or without a terminal.
    """
    probe = base
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        where = "is een bestand" if probe == base else f"ligt in {probe}, en dat is een bestand"
        raise UsageError(
            f"de map {base} {where}, geen map; daar kan het gesprek niets bewaren",
            hint="Geef bij --map een map op (die mag nog niet bestaan), bijvoorbeeld "
                 "--map uitvoer.",
        )


def command_start(args: Any, *, _frontend_override: Any = None,
                  _require_terminal: bool = True) -> int:
    """Start a new chat. `_frontend_override`/`_require_terminal` are for tests only."""
    base = Path(args.map) if getattr(args, "map", None) else DEFAULT_BASE
    check_base(base)
    if _require_terminal and not _has_terminal():
        return _no_terminal()
    from wizard.chat.conversation import ASK, Chat

    q = _questionnaire(args)
    scan = "kort" if getattr(args, "kort", False) else \
        "volledig" if getattr(args, "volledig", False) else ASK
    chat = Chat(q, _frontend(_frontend_override, args), base_dir=base,
                role=getattr(args, "rol", None), scan=scan, program=invocation())
    return chat.run()


def session_base(path: Path) -> Path:
    """The folder that holds plans for a session file: the parent of 'sessies/', if any."""
    parent = path.parent
    return parent.parent if parent.name == "sessies" else parent


def command_resume(args: Any, *, _frontend_override: Any = None,
                   _require_terminal: bool = True) -> int:
    """Continue a saved session file; a bad file is reported and left untouched.

    A workbook (.xlsx, as `zelfscan blank --xlsx` makes) is read too; the chat then goes on
    in a YAML session file next to it, and the workbook itself is never written.
    """
    path = Path(args.bestand)
    # Before the terminal check: a missing file is a missing file, terminal or not.
    if not path.exists():
        raise UsageError(
            f"het sessiebestand {path} bestaat niet",
            hint="Controleer de naam en de map. De sessiebestanden staan in de map "
                 "'sessies' van de uitvoermap; een nieuw gesprek begint u met "
                 f"'{invocation()} start'.",
        )
    if path.is_dir():
        raise UsageError(
            f"{path} is een map, geen sessiebestand",
            hint="Geef het bestand zelf op, bijvoorbeeld sessies/gemeentenaam.yaml.",
        )
    if not path.is_file():  # a FIFO would block the read: refused before anything else
        raise UsageError(
            f"{path} is geen gewoon bestand (maar bijvoorbeeld een pijp of apparaat); "
            "Zelfscan leest het niet",
            hint="Geef het sessiebestand zelf op, bijvoorbeeld sessies/gemeentenaam.yaml.",
        )
    if _require_terminal and not _has_terminal():
        return _no_terminal()
    from wizard.answers.xlsx import load_any_answers
    from wizard.chat.conversation import Chat

    q = _questionnaire(args)
    workbook = is_workbook(path)
    try:
        answers = load_any_answers(path, q, require_complete=False)
    except ZelfscanError as err:
        raise ZelfscanError(
            f"het sessiebestand kan niet worden hervat:\n{err}",
            hint="Het bestand is niet veranderd. Verbeter het bestand, of begin opnieuw met "
                 f"'{invocation()} start'.",
        ) from None
    source = path
    if workbook:
        path = yaml_next_to(path)
    chat = Chat(q, _frontend(_frontend_override, args), base_dir=session_base(path),
                role=getattr(args, "rol", None), answers=answers, session_path=path,
                scan="volledig" if getattr(args, "volledig", False) else None,
                program=invocation())
    if workbook:
        from wizard.chat.conversation import show_path
        from wizard.chat.frontend import HINT

        chat.say(f"De antwoorden uit het werkboek {show_path(source)} zijn ingelezen. Het "
                 f"gesprek wordt bewaard in {show_path(path)}; het werkboek zelf blijft zoals "
                 "het is.", HINT)
        chat.say_command("Later verder gaan:", chat.command("resume", show_path(path)))
    return chat.run()


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def yaml_next_to(workbook: Path) -> Path:
    """A new session file beside a workbook (never over an existing file)."""
    candidate = workbook.with_suffix(".yaml")
    n = 2
    while candidate.exists():
        candidate = workbook.with_name(f"{workbook.stem}-{n}.yaml")
        n += 1
    return candidate
