"""Reading what the user typed: commands, answers, yes/no. Pure functions, no I/O.

Shared by every front end (prompt_toolkit, and the plain line-based one). `arrows=False`
leaves out hints about keys a plain terminal does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wizard.answers.numbers import NumberError, format_whole, whole_number
from wizard.questionnaire.model import (
    CHOICE,
    NUMBER,
    NVT,
    SCALE,
    SPECIAL_LABELS,
    TEXT,
    WEET_NIET,
    Question,
)

# One prefix for every command, so a free-text answer is never mistaken for one.
PREFIX = ":"

# name -> (aliases, argument hint, Dutch description). Order = order in the help list.
COMMANDS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "terug": (("vorige",), "", "terug naar de vorige vraag (ook F2)"),
    "over": (("overslaan",), "", "deze vraag overslaan (ook F3)"),
    "ga": (("naar",), "<nr>", "ga naar vraag <nr>, het nummer op het scherm (zoals 8 of 8a)"),
    "overzicht": (("lijst",), "[open]", ("de vragen per onderdeel met uw antwoord; 'open': "
                  "alleen die zonder antwoord (ook F4)")),
    "nakijken": (("controle", "review"), "", "alle antwoorden nakijken en wijzigen"),
    "notitie": (("toelichting",), "[tekst]", "notitie bij deze vraag (voor het plan)"),
    "bespreek": (("markeer",), "", "deze vraag markeren om te bespreken (nog eens: weghalen)"),
    "uitleg": (("?",), "", "uitleg bij deze vraag, uit het sjabloon (ook ? of F1)"),
    "definities": (("definitie",), "", "de definities van de NCTV"),
    "voortgang": ((), "", "hoeveel vragen er beantwoord zijn, per onderdeel"),
    "hulp": (("help", "opdrachten"), "", "deze lijst"),
    "stop": (("stoppen", "exit", "quit"), "", "stoppen; uw antwoorden blijven bewaard"),
    "klaar": ((), "", "in het nakijken: het plan maken"),
}

_ALIASES = {alias: name for name, (aliases, _, _) in COMMANDS.items() for alias in aliases}


def suggest_command(raw: str) -> str | None:
    """The command a mistyped one most likely meant (':overzciht' -> 'overzicht'), or None."""
    import difflib

    word = raw.strip().lstrip(PREFIX).split(" ", 1)[0].lower()
    names = list(COMMANDS) + list(_ALIASES)
    best = difflib.get_close_matches(word, names, n=1, cutoff=0.7)
    return _ALIASES.get(best[0], best[0]) if best else None


@dataclass(frozen=True)
class Command:
    name: str  # canonical name, or '' when unknown
    arg: str
    raw: str


def parse_command(line: str) -> Command | None:
    """A command if the line is one (':terug', ':ga 12', or a lone '?'), else None."""
    text = line.strip()
    if text == "?":
        return Command("uitleg", "", text)
    if not text.startswith(PREFIX) or len(text) == 1:
        return None
    word, _, arg = text[1:].partition(" ")
    word = word.strip().lower()
    name = word if word in COMMANDS else _ALIASES.get(word, "")
    return Command(name, arg.strip(), text)


class AnswerError(ValueError):
    """The input is not a valid answer; str() is a Dutch message saying what to type."""


def special_keys(q: Question) -> list[tuple[str, str]]:
    """The letter answers a question allows, with their labels."""
    keys = []
    if q.allows_unknown:
        keys.append(("w", "weet niet"))
    if q.allows_na:
        keys.append(("n", "niet van toepassing"))
    return keys


def option_keys(q: Question) -> list[tuple[str, Any, str]]:
    """(what to type, stored value, label) for every option of a scale or choice question."""
    out: list[tuple[str, Any, str]] = []
    if q.kind == SCALE:
        for o in q.options:
            out.append((str(o.value), o.value, o.label))
    elif q.kind == CHOICE:
        for i, o in enumerate(q.options, start=1):
            out.append((str(i), o.value, o.label))
    if q.kind in (SCALE, CHOICE, NUMBER):
        if q.allows_unknown:
            out.append(("w", WEET_NIET, "Weet niet"))
        if q.allows_na:
            out.append(("n", NVT, "Niet van toepassing"))
    return out


def cycle_items(q: Question) -> list[str]:
    """What the arrow keys put in the input line, in order: '2 – Label'."""
    if q.kind not in (SCALE, CHOICE):
        return []
    return [f"{key} – {label}" for key, _, label in option_keys(q)]


def _special(q: Question, token: str) -> Any:
    if token in ("w", "weet", "weet niet", "weetniet", "onbekend"):
        if not q.allows_unknown:
            raise AnswerError("Bij deze vraag kan 'weet niet' niet; kies een van de opties.")
        return WEET_NIET
    if token in ("n", "nvt", "n.v.t.", "niet van toepassing"):
        if not q.allows_na:
            raise AnswerError("Bij deze vraag kan 'niet van toepassing' niet.")
        return NVT
    return None


def parse_answer(q: Question, line: str, *, arrows: bool = True) -> Any:
    """The stored value for what the user typed. Raises AnswerError with a Dutch hint."""
    raw = line.strip()
    if q.kind == TEXT:
        if not raw:
            raise AnswerError("Typ uw antwoord, of :over om deze vraag over te slaan.")
        # Keep the user's own line breaks; drop trailing blanks from 'Enter on empty line'.
        return "\n".join(part.rstrip() for part in line.strip("\n").splitlines()).strip()
    text = raw.lower()
    # A cycled option reads '2 – Label': only the part before the dash counts.
    for dash in (" – ", " - "):
        if dash in text:
            text = text.split(dash, 1)[0].strip()
    if not text:
        raise AnswerError(what_to_type(q, arrows))
    special = _special(q, text)
    if special is not None:
        return special
    if q.kind == SCALE:
        if re.fullmatch(r"\d+", text):
            for key, value, _ in option_keys(q):
                if key == text:
                    return value
        raise AnswerError(f"'{raw}' is geen van de opties. {what_to_type(q, arrows)}")
    if q.kind == CHOICE:
        keys = option_keys(q)
        for key, value, _ in keys:
            if key == text:
                return value
        for _, value, label in keys:  # the label or the option id, typed out
            if text in (label.lower(), str(value).lower()):
                return value
        prefix = [value for _, value, label in keys if label.lower().startswith(text)]
        if len(text) >= 2 and len(prefix) == 1:
            return prefix[0]
        raise AnswerError(f"'{raw}' is geen van de opties. {what_to_type(q, arrows)}")
    if q.kind == NUMBER:
        try:
            value = whole_number(raw)
        except NumberError as e:
            raise AnswerError(f"{_sentence(str(e))} {what_to_type(q)}") from None
        if q.minimum is not None and value < q.minimum:
            raise AnswerError(f"Het getal is te klein; het kleinste toegestane getal is "
                              f"{format_whole(q.minimum)}.")
        if q.maximum is not None and value > q.maximum:
            raise AnswerError(f"Het getal is te groot; het grootste toegestane getal is "
                              f"{format_whole(q.maximum)}.")
        return value
    raise AnswerError(f"Onbekend soort vraag '{q.kind}'.")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def what_to_type(q: Question, arrows: bool = True) -> str:
    """What to type for this question, as one Dutch sentence."""
    letters = [k for k, _ in special_keys(q)]
    extra = (" of " + " / ".join(letters)) if letters else ""
    tail = ", of kies met de pijltjes en Enter." if arrows else " en druk op Enter."
    if q.kind == SCALE:
        keys = [str(o.value) for o in q.options]
        span = f"{keys[0]} t/m {keys[-1]}" if keys else ""
        return f"Typ een cijfer {span}{extra}{tail}"
    if q.kind == CHOICE:
        return f"Typ een nummer 1 t/m {len(q.options)}{extra}{tail}"
    if q.kind == NUMBER:
        return f"Typ een heel getal{extra}, bijvoorbeeld 25000 of 25.000."
    return "Typ uw antwoord."


_KEY_MENTION = re.compile(r" \(ook F\d\)| of F\d(?=\))")


def describe(name: str, *, keys: bool = True) -> str:
    """A command's help text; `keys=False` drops the function keys (plain mode has none)."""
    desc = COMMANDS[name][2]
    return desc if keys else _KEY_MENTION.sub("", desc)


def parse_yes_no(line: str) -> bool | None:
    """True for ja, False for nee, None when unclear."""
    text = line.strip().lower()
    if text in ("j", "ja", "y", "yes", "jawel"):
        return True
    if text in ("n", "nee", "no", "neen"):
        return False
    return None


def format_value(q: Question, value: Any, width: int = 60) -> str:
    """A short one-line rendering of a stored answer, for overviews."""
    if value is None:
        return "(onbeantwoord)"
    if isinstance(value, str) and value in SPECIAL_LABELS:
        return SPECIAL_LABELS[value]
    if q.kind == TEXT and isinstance(value, str):
        one = " ".join(value.split())
        return one if len(one) <= width else one[: width - 1] + "…"
    if q.kind == NUMBER and isinstance(value, int) and not isinstance(value, bool):
        return format_whole(value)
    label = q.label_for(value)
    return label if len(label) <= width else label[: width - 1] + "…"
