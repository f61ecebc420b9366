"""Command-line entry point: the one place that turns errors into messages and exit codes.

Each command's work lives in its own module, imported only when that command runs, so
`zelfscan --help` and the first question of the chat stay fast.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from wizard import __version__, startup
from wizard.errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    Stopped,
    ZelfscanError,
    did_you_mean,
)

# argparse's own messages (Python 3.11), in Dutch. Regexes, applied in order.
_ARGPARSE_DUTCH = (
    (r"the following arguments are required", "deze argumenten ontbreken"),
    (r"unrecognized arguments", "onbekende argumenten"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"onbekende keuze: \1 (kies uit \2)"),
    (r"expected one argument", "verwacht één waarde"),
    (r"expected at least one argument", "verwacht minstens één waarde"),
    (r"expected at most one argument", "verwacht hooguit één waarde"),
    (r"ambiguous option: (\S+) could match (.*)",
     r"optie \1 is niet eenduidig: bedoelde u \2? Schrijf de optie voluit"),
    (r"ignored explicit argument (.*)",
     r"deze optie krijgt geen waarde (\1 is te veel); laat '=...' weg"),
    (r"not allowed with argument (.*)", r"gaat niet samen met \1"),
    (r"one of the arguments (.*) is required", r"een van deze argumenten is nodig: \1"),
    (r"invalid (\w+) value: (.*)", r"ongeldige waarde \2"),
    # "argument OPDRACHT: ..." / "argument --rol: ...": say where in Dutch.
    (r"^argument OPDRACHT: onbekende keuze: (\S+)", r"onbekende opdracht \1"),
    (r"^argument ([^:]+): ", r"bij \1: "),
)


def _with_suggestion(message: str) -> str:
    """'invalid choice' from argparse, with 'bedoelde u ...?' for the nearest choice."""
    m = re.search(r"invalid choice: '?([^' ]*)'? \(choose from (.*)\)", message)
    if not m:
        return message
    choices = [c.strip().strip("'") for c in m.group(2).split(",")]
    suggestion = did_you_mean(m.group(1).lower(), choices)
    return message[: m.end()] + f". {suggestion}" if suggestion else message


class _DutchHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
        return super().add_usage(usage, actions, groups, prefix or "Gebruik: ")


class _Parser(argparse.ArgumentParser):
    """argparse with Dutch headings and errors."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _DutchHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Argumenten"
        self._optionals.title = "Opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def error(self, message: str) -> NoReturn:
        message = _with_suggestion(message)
        for english, dutch in _ARGPARSE_DUTCH:
            message = re.sub(english, dutch, message)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: fout: {message}\n")
        sys.stderr.write(f"Tik '{self.prog} --help' voor uitleg.\n")
        sys.exit(EXIT_USAGE)


# Arguments that name a file or folder (argparse dests).
_PATH_ARGS = ("bestand", "bestanden", "sjabloon", "oud", "nieuw", "uitvoer", "vorige", "xlsx",
              "map", "vragenlijst")


def _lazy(module: str, func: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), func)(args) or 0)

    return run


_QUESTIONNAIRE_HELP = ("gebruik een eigen vragenlijst (een map van 'zelfscan vragenlijst "
                       "kopieer', of het hoofdbestand zelfscan.yaml) in plaats van de "
                       "ingebouwde; ook via de omgevingsvariabele ZELFSCAN_VRAGENLIJST")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="zelfscan",
        description=(
            "Zelfscan: breng de lokale aanpak van radicalisering en extremisme van uw gemeente\n"
            "in beeld (dreiging versus weerbaarheid) en krijg een concept plan van aanpak.\n\n"
            "Zonder opdracht start het gesprek (zelfde als 'zelfscan start')."
        ),
        epilog="Meer uitleg: README.md, of 'zelfscan OPDRACHT --help'.",
    )
    parser.add_argument("--version", action="version", version=f"zelfscan {__version__}",
                        help="toon het versienummer en stop")
    parser.add_argument("--vragenlijst", metavar="MAP", default=None, help=_QUESTIONNAIRE_HELP)
    sub = parser.add_subparsers(dest="command", title="Opdrachten", metavar="OPDRACHT",
                                parser_class=_Parser)
    _add = sub.add_parser

    def add_parser(name: str, **kw):  # type: ignore[no-untyped-def]
        p = _add(name, prog=f"zelfscan {name}", **kw)
        # Also after the command ('zelfscan validate --vragenlijst MAP'); SUPPRESS keeps a
        # value given before the command.
        p.add_argument("--vragenlijst", metavar="MAP", default=argparse.SUPPRESS,
                       help=_QUESTIONNAIRE_HELP)
        return p

    sub.add_parser = add_parser  # type: ignore[method-assign]

    p = sub.add_parser("start", help="start het gesprek (of ga verder met een eerder gesprek)",
                       description="Start de zelfscan als gesprek in de terminal.")
    p.add_argument("--map", metavar="MAP", default=None,
                   help="map voor sessie en plan (standaard: outputs/ in de huidige map)")
    p.add_argument("--eenvoudig", action="store_true",
                   help="eenvoudige modus: gewone regels, geen kleur of werkbalk "
                        "(voor schermlezers; vanzelf bij TERM=dumb)")
    p.add_argument("--rol", choices=["ambtenaar", "adviseur"], default=None,
                   help="wie de vragen beantwoordt")
    scan = p.add_mutually_exclusive_group()
    scan.add_argument("--kort", action="store_true",
                      help="de korte scan: ongeveer 25 vragen, 15 minuten (later verder met "
                           "de volledige scan kan)")
    scan.add_argument("--volledig", action="store_true",
                      help="de volledige scan, zonder de vraag kort of volledig")
    p.set_defaults(func=_lazy("wizard.commands.chat", "command_start"))

    p = sub.add_parser("resume", help="ga verder met een opgeslagen sessie",
                       description="Ga verder met een sessiebestand.")
    p.add_argument("bestand", metavar="SESSIEBESTAND",
                   help="het sessiebestand van het gesprek (bijv. outputs/sessies/GEMEENTE.yaml)")
    p.add_argument("--eenvoudig", action="store_true", help="eenvoudige modus (zie start)")
    p.add_argument("--rol", choices=["ambtenaar", "adviseur"], default=None,
                   help="wie de vragen nu beantwoordt")
    p.add_argument("--volledig", action="store_true",
                   help="na een korte scan: ga verder met de volledige scan")
    p.set_defaults(func=_lazy("wizard.commands.chat", "command_resume"))

    p = sub.add_parser("batch", help="maak plannen van antwoordbestanden (meerdere gemeenten)",
                       description="Maak per antwoordbestand een concept plan van aanpak.")
    p.add_argument("bestanden", nargs="+", metavar="ANTWOORDEN",
                   help="een of meer antwoordbestanden (.yaml, of .xlsx van "
                        "'zelfscan blank --xlsx')")
    p.add_argument("-o", "--uitvoer", metavar="MAP", default=None,
                   help="uitvoermap (standaard: outputs/)")
    p.add_argument("--force", action="store_true", help="overschrijf bestaande plannen")
    p.add_argument("--hervat", action="store_true",
                   help="ga verder met een onderbroken run in dezelfde uitvoermap: plannen "
                        "die al klaar zijn (van dezelfde invoer) blijven staan, de rest wordt "
                        "geschreven, met een volledig overzicht")
    p.add_argument("--alleen-openbaar", action="store_true",
                   help="schrijf alleen het openbare plan, niet de vertrouwelijke bijlage")
    p.add_argument("--zonder-word", action="store_true",
                   help="schrijf geen Word-bestanden (.docx); sneller bij veel gemeenten")
    p.add_argument("--vorige", "--previous", dest="vorige", metavar="BESTAND", default=None,
                   help="eerdere zelfscan van dezelfde gemeente: neem de voortgang op")
    p.set_defaults(func=_lazy("wizard.commands.batch", "command_batch"))

    p = sub.add_parser("blank", help="schrijf een leeg antwoordbestand om in te vullen",
                       description="Schrijf een leeg antwoordbestand met alle vragen als "
                                   "toelichting.")
    p.add_argument("-o", "--uitvoer", metavar="BESTAND", default=None,
                   help="bestandsnaam (standaard: antwoorden.yaml; '-' = scherm)")
    p.add_argument("--xlsx", metavar="BESTAND", default=None,
                   help="schrijf een Excel-werkmap in plaats van YAML")
    p.add_argument("--force", action="store_true", help="overschrijf een bestaand bestand")
    p.set_defaults(func=_lazy("wizard.commands.blank", "command_blank"))

    p = sub.add_parser("generate", help="maak de vragenlijst uit het sjabloon plan van aanpak",
                       description="Lees het sjabloon (.txt of .docx) en schrijf de vragenlijst.")
    p.add_argument("sjabloon", metavar="SJABLOON",
                   help="het sjabloon plan van aanpak (.txt of .docx)")
    p.add_argument("-o", "--uitvoer", metavar="MAP", default=None,
                   help="map voor de vragenlijst (standaard: de ingebouwde map questionnaires/)")
    p.add_argument("--check", action="store_true",
                   help="schrijf niets; stop met fout als de vragenlijst niet meer klopt")
    p.set_defaults(func=_lazy("wizard.commands.generate", "command_generate"))

    p = sub.add_parser("validate", help="controleer een vragenlijst of antwoordbestand",
                       description="Controleer vragenlijst- of antwoordbestanden.")
    p.add_argument("bestanden", nargs="*", metavar="BESTAND",
                   help="vragenlijst-, module- of antwoordbestanden (.yaml of .xlsx); "
                        "zonder bestand: de ingebouwde vragenlijst")
    p.set_defaults(func=_lazy("wizard.commands.validate", "command_validate"))

    p = sub.add_parser("compare", help="vergelijk twee zelfscans van dezelfde gemeente",
                       description="Schrijf een voortgangsrapport: wat is verbeterd, wat niet.")
    p.add_argument("oud", metavar="OUD", help="het antwoordbestand van de eerdere zelfscan")
    p.add_argument("nieuw", metavar="NIEUW", help="het antwoordbestand van de nieuwe zelfscan")
    p.add_argument("-o", "--uitvoer", metavar="MAP", default=None,
                   help="uitvoermap (standaard: outputs/)")
    p.set_defaults(func=_lazy("wizard.commands.compare", "command_compare"))

    p = sub.add_parser("vragenlijst", help="maak of toon een eigen vragenlijst",
                       description="Een eigen kopie van de vragenlijst om aan te passen. "
                                   "Gebruik die daarna met --vragenlijst MAP of de "
                                   "omgevingsvariabele ZELFSCAN_VRAGENLIJST.")
    vsub = p.add_subparsers(dest="actie", title="Acties", metavar="ACTIE", parser_class=_Parser,
                            required=True)
    _vadd = vsub.add_parser

    def add_action(name: str, **kw):  # type: ignore[no-untyped-def]
        a = _vadd(name, **kw)
        a.add_argument("--vragenlijst", metavar="MAP", default=argparse.SUPPRESS,
                       help=_QUESTIONNAIRE_HELP)
        return a

    vsub.add_parser = add_action  # type: ignore[method-assign]
    v = vsub.add_parser("kopieer", prog="zelfscan vragenlijst kopieer",
                        help="kopieer de ingebouwde vragenlijst naar een nieuwe map",
                        description="Kopieer de ingebouwde vragenlijst (vragen, scoring, "
                                    "ondersteuning, casuswoorden, sjabloon) naar een nieuwe "
                                    "of lege map.")
    v.add_argument("map", metavar="MAP", help="de nieuwe map")
    v.set_defaults(func=_lazy("wizard.commands.questionnaire", "command_copy"),
                   uses_questionnaire=False)
    v = vsub.add_parser("toon", prog="zelfscan vragenlijst toon",
                        help="zeg welke vragenlijst Zelfscan gebruikt",
                        description="Zeg welke vragenlijst Zelfscan gebruikt en waarom.")
    v.set_defaults(func=_lazy("wizard.commands.questionnaire", "command_show"))
    return parser


# Commands whose start-up (imports, questionnaire and rules, prompt_toolkit) runs without
# cyclic garbage collection (wizard.startup); they call startup.started() when it is over.
_QUIET_START = ("batch", "start", "resume")


def main(argv: Sequence[str] | None = None) -> int:
    real_start = argv is None  # the zelfscan program itself, not a call from a test
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["start", *argv])
    if real_start and args.command in _QUIET_START:
        startup.hold_gc()
    try:
        return _main(args)
    finally:
        startup.started()


def _main(args: argparse.Namespace) -> int:
    for dest in _PATH_ARGS:
        value = getattr(args, dest, None)
        if value == "" or (isinstance(value, list) and "" in value):
            # An empty name (an unset shell variable, say) would silently mean "this folder".
            _print_error("een lege bestandsnaam ('') opgegeven\n"
                         "    → Controleer de opdracht: staat er een lege variabele of '' in?")
            return EXIT_USAGE
    restore = _install_stop_handlers()
    try:
        _choose_questionnaire(args)
        return args.func(args)
    except Stopped as stop:
        _print_error(f"Gestopt: Zelfscan kreeg het signaal om te stoppen ({stop.signame}). "
                     "Wat al was opgeslagen, blijft bewaard.")
        return EXIT_INTERRUPTED
    except ZelfscanError as err:
        _print_error(str(err))
        return err.exit_code
    except KeyboardInterrupt:
        _print_error("Afgebroken. Wat al was opgeslagen, blijft bewaard.")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output piped into e.g. `head`: nothing more to say.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces stdout for the rest of the run
        except OSError:
            pass
        return EXIT_ERROR
    except OSError as err:
        # A file or folder the user named is unusable (rights, full disk, a file where a
        # folder belongs): their problem to fix, so no crash report and no English errno.
        from wizard.errors import os_hint, os_reason

        what = (f"{err.filename}: bestand of map niet bruikbaar" if err.filename else
                "lezen of schrijven is mislukt")
        _print_error(f"{what} ({os_reason(err)})\n    → {os_hint(err)}")
        return EXIT_ERROR
    except Exception:  # noqa: BLE001 - the last line of defence: never show a traceback
        log = _save_traceback()
        _print_error(
            "Er ging iets mis in Zelfscan zelf (een interne fout). Uw opgeslagen antwoorden "
            f"zijn niet aangetast.\n    → Stuur het foutverslag {log} naar de beheerder."
        )
        return EXIT_ERROR
    finally:
        restore()


def _choose_questionnaire(args: argparse.Namespace) -> None:
    """--vragenlijst, else ZELFSCAN_VRAGENLIJST, else the built-in questionnaire: resolved
    once, for every command (args.vragenlijst becomes the main file, or None). Once per run,
    say so when ./questionnaires differs from the built-in questionnaire but is not in use:
    after `pip install .` editing that folder changes nothing (issue 14)."""
    from wizard.questionnaire.source import ENV, choose, unused_local_folder

    choice = choose(getattr(args, "vragenlijst", None))
    args.vragenlijst = str(choice.manifest) if choice.manifest is not None else None
    args.vragenlijst_keuze = choice
    if not getattr(args, "uses_questionnaire", True):
        return
    local = unused_local_folder(choice)
    if local is not None:
        try:
            sys.stderr.write(
                f"Let op: de map {local}/ hier is een aangepaste vragenlijst, maar Zelfscan "
                f"gebruikt {choice.describe()}; wijzigingen in die map hebben geen effect.\n"
                f"    → Wilt u die map gebruiken? Geef --vragenlijst {local} op, of zet "
                f"{ENV}={local.resolve()}.\n")
        except (OSError, ValueError):
            pass


def _install_stop_handlers() -> Callable[[], None]:
    """Turn SIGTERM/SIGHUP into `Stopped`, so a stop gets a Dutch line, exit code 130 and
    no half-written file (atomic writes clean up on any BaseException). Handlers someone
    else installed (a test runner, an embedding program) are left alone."""
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signal.Signals(signum).name)

    previous: dict[int, object] = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            if signal.getsignal(sig) is signal.SIG_DFL:
                previous[sig] = signal.signal(sig, stop)
        except (ValueError, OSError):  # not the main thread: leave the defaults
            pass

    def restore() -> None:
        for sig, old in previous.items():
            try:
                signal.signal(sig, old)  # type: ignore[arg-type]
            except (ValueError, OSError):
                pass

    return restore


def _print_error(message: str) -> None:
    try:
        sys.stderr.write(f"zelfscan: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _save_traceback() -> str:
    from wizard.errors import crash_report

    return crash_report()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
