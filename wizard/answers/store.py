"""Answers files: the Answers dataclass; load, validate, dump, save; blank file; `zelfscan blank`.

An answers file (and a chat session file, which is the same format) looks like:

    vragenlijst: zelfscan
    versie: 1
    datum: '2026-11-23'
    antwoorden: {question id: value}
    toelichtingen: {question id: text}
    bespreken: [question ids]
    overgeslagen: [question ids]
    sessie: {...}          # written by the chat; ignored by batch

Visibility policy (`toon_als`): an answer to a question whose condition is false is not an
error (a filled-in blank file may answer every question). It is kept, in `Answers.inactive`,
so the file round-trips and the answer comes back if the condition becomes true again, but it
is *not* in `Answers.values`: scoring, advice and the plan only ever see `values`, which holds
exactly the answers to visible questions. The engine keeps the two in step.

No prompt_toolkit, no jinja2 here (a test checks it).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from wizard.answers.numbers import NumberError, format_whole, is_number_text, whole_number
from wizard.errors import (
    Problem,
    ValidationError,
    did_you_mean,
)
from wizard.files.yamlio import YamlDoc, atomic_write_text, load_yaml
from wizard.questionnaire.conditions import AnswersContext, evaluate
from wizard.questionnaire.model import (
    CHOICE,
    NUMBER,
    NVT,
    SCALE,
    TEXT,
    WEET_NIET,
    Question,
    Questionnaire,
)

TOP_KEYS = (
    "vragenlijst",
    "versie",
    "datum",
    "antwoorden",
    "toelichtingen",
    "bespreken",
    "overgeslagen",
    "sessie",
)

# Ways people write the special answers; all normalise to the stored ids.
MUNICIPALITY_QID = "intake.gemeente"
# Longest Dutch municipality name is ~30 characters; 100 leaves room for "gemeente X-Y".
MUNICIPALITY_MAX = 100
# 'w' is what the chat tells people to type; the same word means the same in every file.
_UNKNOWN_WORDS = {"w", "weet_niet", "weet niet", "weetniet", "weet ik niet", "onbekend", "?"}
_NA_WORDS = {"nvt", "n.v.t.", "n.v.t", "niet van toepassing", "niet_van_toepassing"}


@dataclass
class Answers:
    """Everything one assessment holds. `values` holds only answers that count (see above)."""

    questionnaire_id: str
    questionnaire_version: int
    date: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    marked: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    session: dict = field(default_factory=dict)
    source_file: str | None = None
    # Answers to questions whose `toon_als` is false: kept for the file, never scored.
    inactive: dict[str, Any] = field(default_factory=dict)

    @property
    def municipality(self) -> Any:
        return self.values.get("intake.gemeente")

    @property
    def short_scan(self) -> bool:
        """True for a short scan (`sessie: {soort: kort}`): only the questions marked
        `kort` are asked and counted; the plan says it is a quick scan."""
        return isinstance(self.session, dict) and self.session.get(SCAN_KEY) == SHORT

    @classmethod
    def empty(cls, q: Questionnaire, date: str | None = None) -> Answers:
        return cls(q.id, q.version, date)


# --------------------------------------------------------------------------- scope

# Which scan an answers file holds: `sessie: {soort: kort}` is the short scan (the questions
# marked `kort` in the questionnaire); without it, or with `volledig`, the full scan.
SCAN_KEY = "soort"
SHORT = "kort"
FULL = "volledig"
SCANS = (SHORT, FULL)


def scope_ids(q: Questionnaire, answers: Any) -> frozenset[str] | None:
    """The ids a short scan asks and counts; None for the full scan (every question)."""
    session = getattr(answers, "session", None)
    if isinstance(session, dict) and session.get(SCAN_KEY) == SHORT:
        return q.short_ids()
    return None


# --------------------------------------------------------------------------- visibility


_AnswerContext = AnswersContext  # shared with the engine and scoring


def visible_ids(q: Questionnaire, values: Mapping[str, Any]) -> set[str]:
    """Ids of the questions whose condition holds, given the answers that count."""
    ctx = _AnswerContext(values)
    return {qu.id for qu in q.questions() if evaluate(qu.condition, ctx)}


def split_applicable(
    q: Questionnaire, pool: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split all given answers into (answers to visible questions, the rest).

    Iterates to a fixed point so that hiding a question also hides the follow-ups that
    depend on its (now ignored) answer.
    """
    active = dict(pool)
    for _ in range(len(pool) + 2):
        vis = visible_ids(q, active)
        new_active = {k: v for k, v in pool.items() if k in vis}
        if new_active == active:
            break
        active = new_active
    inactive = {k: v for k, v in pool.items() if k not in active}
    return active, inactive


# --------------------------------------------------------------------------- value rules


class BadValue(Exception):
    """A value that does not fit its question: Dutch message and hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def is_empty(value: Any) -> bool:
    """No answer: null, or a string with only whitespace."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def allowed_text(question: Question) -> str:
    """The allowed values of a question, as shown in messages and in the blank file."""
    if question.kind in (SCALE, CHOICE):
        parts = [f"{o.value} = {o.label}" for o in question.options]
    elif question.kind == NUMBER:
        lo = question.minimum if question.minimum is not None else None
        hi = question.maximum if question.maximum is not None else None
        if lo is not None and hi is not None:
            parts = [f"een heel getal van {lo} tot en met {hi}"]
        elif lo is not None:
            parts = [f"een heel getal van minstens {lo}"]
        elif hi is not None:
            parts = [f"een heel getal van hoogstens {hi}"]
        else:
            parts = ["een heel getal"]
    else:
        return "vrije tekst (meerdere regels: begin met | en spring de regels in)"
    if question.allows_unknown:
        parts.append(WEET_NIET)
    if question.allows_na:
        parts.append(NVT)
    return ", ".join(parts)


def _allowed_hint(question: Question) -> str:
    return f"Toegestaan: {allowed_text(question)}."


def _special(question: Question, value: str) -> str | None:
    """weet_niet / nvt (in any common spelling) if allowed; BadValue if not allowed."""
    word = value.strip().lower()
    if word in _UNKNOWN_WORDS:
        if not question.allows_unknown:
            raise BadValue("'weet niet' is bij deze vraag niet toegestaan", _allowed_hint(question))
        return WEET_NIET
    if word in _NA_WORDS:
        if not question.allows_na:
            raise BadValue(
                "'niet van toepassing' (nvt) is bij deze vraag niet toegestaan",
                _allowed_hint(question),
            )
        return NVT
    return None


def _shape_error(question: Question, value: Any) -> BadValue | None:
    if isinstance(value, bool):
        word = "ja (true)" if value else "nee (false)"
        if question.kind == TEXT:
            return BadValue(
                f"YAML leest dit als de ja/nee-waarde {word}, niet als tekst",
                "Zet de tekst tussen aanhalingstekens, bijv. 'ja'.",
            )
        return BadValue(f"YAML leest dit als de ja/nee-waarde {word}", _allowed_hint(question))
    if isinstance(value, list):
        return BadValue("hier staat een lijst, maar de vraag verwacht één antwoord",
                        _allowed_hint(question) if question.kind != TEXT else
                        "Schrijf meerdere regels als tekst: begin met | en spring de regels in.")
    if isinstance(value, dict):
        return BadValue("hier staan sleutels (met dubbele punt), maar de vraag verwacht één "
                        "antwoord",
                        "Staat er een dubbele punt in uw tekst? Zet de tekst dan tussen "
                        "aanhalingstekens.")
    return None


def check_value(question: Question, value: Any) -> Any:
    """The stored form of `value` for `question`, or BadValue saying what is wrong.

    Shared by answers files and the engine. `value` must not be empty (see `is_empty`).
    """
    bad = _shape_error(question, value)
    if bad:
        raise bad
    if question.kind == TEXT:
        if isinstance(value, str):
            # "Weet niet" in free text is weet niet, as in every other kind of question
            # (and not the literal answer "w" printed in the plan).
            word = " ".join(value.split()).lower().rstrip(".!")
            if word in _UNKNOWN_WORDS and question.allows_unknown:
                return WEET_NIET
            if word in _NA_WORDS and question.allows_na:
                return NVT
            if question.id == MUNICIPALITY_QID:
                _check_municipality(value)
            return value
        raise BadValue(
            f"hier staat het getal {value}, maar de vraag verwacht tekst",
            f"Zet het tussen aanhalingstekens, bijv. '{value}'.",
        )
    if isinstance(value, str):
        special = _special(question, value)
        if special is not None:
            return special
    if question.kind == SCALE:
        return _check_scale(question, value)
    if question.kind == NUMBER:
        return _check_number(question, value)
    if question.kind == CHOICE:
        return _check_choice(question, value)
    raise BadValue(f"onbekende soort vraag '{question.kind}'")


def _check_municipality(name: str) -> None:
    # The name becomes the plan's title, a folder name and a Word property: a pasted
    # paragraph must be refused here, not produce an unusable plan (line breaks are
    # already shown as spaces by the renderers).
    if len(name.strip()) > MUNICIPALITY_MAX:
        raise BadValue(
            f"de naam van de gemeente is te lang ({len(name.strip())} tekens; "
            f"maximaal {MUNICIPALITY_MAX})",
            "Schrijf alleen de naam van de gemeente, bijv. 'Voorbeeldstad'.")


def _check_scale(question: Question, value: Any) -> Any:
    values = [o.value for o in question.options]
    if isinstance(value, int):
        if value in values:
            return value
        raise BadValue(f"{value} valt buiten de schaal", _allowed_hint(question))
    if isinstance(value, float):
        raise BadValue(f"{value} is geen heel getal op de schaal", _allowed_hint(question))
    text = value.strip()
    if re.fullmatch(r"[-+]?\d+", text):
        raise BadValue(
            f"'{text}' staat tussen aanhalingstekens; schrijf {text} (zonder aanhalingstekens)",
            _allowed_hint(question),
        )
    for o in question.options:  # the label is accepted too
        if o.label.strip().lower() == text.lower():
            return o.value
    raise BadValue(f"'{text}' is geen waarde op de schaal", _allowed_hint(question))


def _check_number(question: Question, value: Any) -> int:
    try:
        number = whole_number(value)
    except NumberError as e:
        raise BadValue(str(e), _allowed_hint(question)) from None
    if question.minimum is not None and number < question.minimum:
        raise BadValue(f"{format_whole(number)} is kleiner dan het minimum "
                       f"{format_whole(question.minimum)}", _allowed_hint(question))
    if question.maximum is not None and number > question.maximum:
        raise BadValue(f"{format_whole(number)} is groter dan het maximum "
                       f"{format_whole(question.maximum)}", _allowed_hint(question))
    return number


def _check_choice(question: Question, value: Any) -> Any:
    text = str(value).strip()
    for o in question.options:
        if o.value == value or str(o.value) == text:
            return o.value
    low = text.lower()
    for o in question.options:  # id in other case, or the label
        if str(o.value).lower() == low or o.label.strip().lower() == low:
            return o.value
    raise BadValue(f"'{text}' is geen van de keuzes", _allowed_hint(question))


def parse_input(question: Question, text: str) -> Any:
    """Typed input (chat) -> a value for `check_value`: digits become numbers."""
    t = text.strip()
    if question.kind in (SCALE, CHOICE) and re.fullmatch(r"[-+]?\d+", t):
        if question.kind == CHOICE and not any(isinstance(o.value, int) for o in question.options):
            return t
        return int(t)
    if question.kind == NUMBER and is_number_text(t):
        return t  # read by check_value with the one number reader (Dutch separators)
    return text if question.kind == TEXT else t


# --------------------------------------------------------------------------- validation


def _unknown_id_hint(qid: str, q: Questionnaire) -> str:
    suggestion = did_you_mean(qid, [x.id for x in q.questions()])
    if suggestion:
        return f"{suggestion} ('zelfscan blank' toont alle vraag-ids.)"
    return "Gebruik een vraag-id uit de vragenlijst ('zelfscan blank' toont ze allemaal)."


def validate_answers(
    data: Any, q: Questionnaire, doc: YamlDoc, *, require_complete: bool = True
) -> list[Problem]:
    """Every problem in an answers file at once, each with file and line."""
    return answers_from_data(data, q, doc, require_complete=require_complete)[1]


def answers_from_data(
    data: Any, q: Questionnaire, doc: YamlDoc, *, require_complete: bool = True
) -> tuple[Answers, list[Problem]]:
    """Parsed data of an answers file -> (Answers, every problem). Nothing is raised.

    The one set of rules for answers: YAML files here, workbooks (`wizard.answers.xlsx`) and files
    of another questionnaire version (`wizard.assessment.compare`) build `data` and `doc` themselves.
    """
    problems: list[Problem] = []
    file = doc.file

    def bad(message: str, path: tuple, hint: str | None = None) -> None:
        problems.append(Problem(message, file, doc.line(*path) or 1, hint))

    answers = Answers(q.id, q.version, source_file=file)
    if not isinstance(data, dict):
        bad("een antwoordbestand moet sleutels bevatten, zoals 'vragenlijst:' en 'antwoorden:'",
            (), "Begin met 'zelfscan blank': dat schrijft een leeg bestand om in te vullen.")
        return answers, problems

    for key in data:
        if key not in TOP_KEYS:
            bad(f"onbekende sleutel '{key}'", (key,),
                did_you_mean(key, TOP_KEYS) or "Toegestaan: " + ", ".join(TOP_KEYS) + ".")

    # Which questionnaire and version.
    qid = data.get("vragenlijst")
    if qid is None:
        bad("'vragenlijst' ontbreekt", (),
            f"Voeg bovenaan de regel 'vragenlijst: {q.id}' toe.")
    elif qid != q.id:
        bad(f"dit bestand hoort bij vragenlijst '{qid}', niet bij '{q.id}'", ("vragenlijst",),
            "Gebruik de vragenlijst waarmee het bestand is gemaakt (optie --vragenlijst), "
            "of maak een nieuw bestand met 'zelfscan blank'.")
    version = data.get("versie")
    if version is None:
        bad("'versie' ontbreekt", (), f"Voeg de regel 'versie: {q.version}' toe.")
    elif isinstance(version, bool) or not isinstance(version, int):
        bad(f"'versie' moet een heel getal zijn, niet '{version}'", ("versie",),
            f"Schrijf 'versie: {q.version}' (zonder aanhalingstekens).")
    elif version != q.version:
        bad(f"dit bestand is gemaakt voor versie {version} van de vragenlijst; de vragenlijst "
            f"is nu versie {q.version}", ("versie",),
            "Maak een nieuw bestand met 'zelfscan blank' en neem de antwoorden over, of "
            f"gebruik de vragenlijst van versie {version} (optie --vragenlijst).")

    # Date of the assessment.
    date = data.get("datum")
    if date is not None and not is_empty(date):
        if not isinstance(date, str) or not _valid_date(date):
            bad(f"'{date}' is geen geldige datum", ("datum",),
                "Schrijf de datum als JJJJ-MM-DD, bijv. 2026-11-23.")
        else:
            answers.date = date

    # The answers themselves.
    pool: dict[str, Any] = {}
    invalid: set[str] = set()  # reported already: not "missing" as well
    raw = data.get("antwoorden")
    if raw is not None and not isinstance(raw, dict):
        bad("'antwoorden' moet per vraag-id een antwoord bevatten (id: antwoord)",
            ("antwoorden",))
        raw = None
    retired: dict[str, Any] = {}
    for key, value in (raw or {}).items():
        key_s = str(key)
        if key_s in q.retired:
            # A question dropped from the questionnaire: still valid, kept, never counted.
            if not is_empty(value):
                retired[key_s] = value
            continue
        if not q.has_question(key_s):
            bad(f"onbekende vraag '{key_s}'", ("antwoorden", key), _unknown_id_hint(key_s, q))
            continue
        if is_empty(value):
            continue
        question = q.question(key_s)
        if question.kind == NUMBER and isinstance(value, float):
            # YAML reads the Dutch '25.000' as 25.0: read the digits as written instead.
            value = doc.source("antwoorden", key) or value
        try:
            value = as_typed(question.kind, value, doc, ("antwoorden", key))
            pool[key_s] = check_value(question, value)
        except BadValue as e:
            invalid.add(key_s)
            bad(f"antwoord op '{key_s}': {e.message}", ("antwoorden", key), e.hint)
    answers.values, answers.inactive = split_applicable(q, pool)
    answers.inactive.update(retired)

    # Notes.
    notes = data.get("toelichtingen")
    if notes is not None and not isinstance(notes, dict):
        bad("'toelichtingen' moet per vraag-id een tekst bevatten (id: tekst)",
            ("toelichtingen",))
        notes = None
    for key, text in (notes or {}).items():
        key_s = str(key)
        if not q.has_question(key_s):
            bad(f"toelichting bij onbekende vraag '{key_s}'", ("toelichtingen", key),
                _unknown_id_hint(key_s, q))
        elif is_empty(text):
            continue
        else:
            try:
                text = as_typed(TEXT, text, doc, ("toelichtingen", key))
            except BadValue as e:
                bad(f"toelichting bij '{key_s}': {e.message}", ("toelichtingen", key), e.hint)
                continue
            if not isinstance(text, str):
                bad(f"toelichting bij '{key_s}' moet tekst zijn", ("toelichtingen", key),
                    "Zet de tekst tussen aanhalingstekens.")
            else:
                answers.notes[key_s] = text

    # Id lists.
    for yaml_key, target in (("bespreken", answers.marked), ("overgeslagen", answers.skipped)):
        items = data.get(yaml_key)
        if items is None:
            continue
        if not isinstance(items, list):
            bad(f"'{yaml_key}' moet een lijst van vraag-ids zijn", (yaml_key,),
                f"Schrijf bijv. '{yaml_key}: [dreiging.signalen]'.")
            continue
        for i, item in enumerate(items):
            if not isinstance(item, str) or not q.has_question(item):
                bad(f"'{yaml_key}' noemt onbekende vraag '{item}'", (yaml_key, i),
                    _unknown_id_hint(str(item), q))
            elif item not in target:
                target.append(item)
    # An answer wins over an earlier "skipped".
    answers.skipped[:] = [s for s in answers.skipped if s not in answers.values]

    session = data.get("sessie")
    if session is not None:
        if not isinstance(session, dict):
            bad("'sessie' moet sleutels bevatten (wordt door het gesprek geschreven)",
                ("sessie",), "Laat 'sessie' weg als u het bestand zelf invult.")
        elif session.get(SCAN_KEY, FULL) not in SCANS:
            bad(f"'sessie: {SCAN_KEY}' moet '{SHORT}' (korte scan) of '{FULL}' (volledige "
                f"scan) zijn, niet '{session.get(SCAN_KEY)}'", ("sessie", SCAN_KEY),
                f"Schrijf '{SCAN_KEY}: {SHORT}' of '{SCAN_KEY}: {FULL}', of laat de regel weg "
                "(dan geldt de volledige scan).")
        else:
            answers.session = session

    if require_complete:
        vis = visible_ids(q, answers.values)
        for question in q.questions():
            if (question.required and question.id in vis and question.id not in answers.values
                    and question.id not in invalid):
                path = ("antwoorden", question.id) if isinstance(raw, dict) and \
                    question.id in raw else ("antwoorden",)
                bad(f"het verplichte antwoord op '{question.id}' ({question.text.strip()}) "
                    "ontbreekt", path, f"Vul het in, bijv. '{question.id}: ...'.")
    problems.sort(key=lambda p: (p.line or 0))
    return answers, problems


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9]\d*|[1-9]\d{0,2}(?:_\d{3})+)")


def as_typed(kind: str, value: Any, doc: YamlDoc, path: tuple) -> Any:
    """`value` as the officer typed it, or BadValue when YAML changed it.

    YAML reads some plain (unquoted) text as something else: `12:30` is 750, `ja` is True,
    `017600` is 8064, and `OOV #1` is 'OOV' plus a comment. Text answers (and notes) get
    the text exactly as typed; a number that YAML read differently from its digits, and a
    comment that cut a text answer short, are refused with a hint to quote the text.
    """
    typed = doc.typed.get(path)
    comment = doc.comments.get(path)
    if kind == TEXT:
        if typed is not None:
            value = typed
        if comment is not None and isinstance(value, str):
            from wizard.files.yamlerrors import quote_for_yaml

            raise BadValue(
                f"YAML leest '{_clip(comment)}' als commentaar en laat het weg uit het antwoord",
                "Is het commentaar, zet het dan op een eigen regel. Hoort het bij het antwoord, "
                "zet dan het hele antwoord tussen enkele aanhalingstekens: "
                + quote_for_yaml(_clip(value + " " + comment, 80)))
        return value
    if typed is None:
        return value
    if kind == CHOICE and isinstance(value, bool):
        return typed  # `nee` is the choice 'nee', not the boolean false
    if (isinstance(value, float) and ":" in typed) or (
            isinstance(value, int) and not isinstance(value, bool)
            and not _PLAIN_INT.fullmatch(typed.strip())):
        raise BadValue(
            f"YAML leest '{_clip(typed)}' als het getal {_clip(str(value))}, niet zoals het er "
            "staat",
            "Schrijf het getal met alleen cijfers, zonder voorloopnul, dubbele punt, punt of "
            "letters.")
    return value


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _valid_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def load_answers(path: str | Path, q: Questionnaire, *, require_complete: bool = True) -> Answers:
    """Read and validate an answers (or session) file. ValidationError lists every problem.

    `require_complete=False` skips the check for required answers (resuming a session that
    stopped before the first question was answered).
    """
    return answers_from_doc(load_yaml(path, what="antwoordbestand"), q,
                            require_complete=require_complete)


def answers_from_doc(doc: YamlDoc, q: Questionnaire, *, require_complete: bool = True) -> Answers:
    """An answers file already read with `load_yaml`: Answers, or ValidationError."""
    answers, problems = answers_from_data(doc.data, q, doc, require_complete=require_complete)
    if problems:
        n = len(problems)
        raise ValidationError(
            problems,
            summary=f"{doc.file}: {n} {'probleem' if n == 1 else 'problemen'} in het "
                    "antwoordbestand",
        )
    answers.source_file = doc.file
    return answers


# --------------------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.representer.SafeRepresenter, text: str) -> yaml.ScalarNode:
    style = None
    if any(ch in text for ch in "\r\x85\u2028\u2029"):
        # Our reader normalises these line breaks; only escapes survive.
        style = '"'
    elif "\n" in text:
        style = "|"  # the emitter falls back to double quotes when a block cannot hold it
    elif text.strip().lower() in _YAML12_WORDS:
        style = "'"  # plain would be a boolean/null for YAML 1.2 tools (and for people)
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_YAML12_WORDS = {"ja", "nee", "yes", "no", "y", "n", "true", "false", "on", "off", "null", "~"}

_Dumper.add_representer(str, _str_representer)


# Performance: libyaml's C emitter is ~10x faster than PyYAML's own and gives the same
# bytes, except that it escapes characters beyond U+FFFF (PyYAML writes them as they are)
# and cannot write lone surrogates (PyYAML escapes them). Values with such characters go to
# the Python emitter; tests/test_answers_dump.py proves the rest byte for byte.
_CDumper: type | None = None
if hasattr(yaml, "CSafeDumper"):  # PyYAML built with libyaml

    class _CSafeDumper(yaml.CSafeDumper):
        pass

    _CSafeDumper.add_representer(str, _str_representer)
    _CDumper = _CSafeDumper


def _c_safe(value: Any) -> bool:
    """True when the C emitter writes `value` exactly as the Python emitter does."""
    if isinstance(value, str):
        return value.isascii() or max(value) < "\ud800"
    if isinstance(value, dict):
        # Keys are question ids. The two emitters disagree on when a key is too long for
        # the simple 'key:' form (PyYAML counts characters, libyaml bytes) and on ''.
        return all(isinstance(k, str) and 0 < len(k.encode("utf-8")) <= 120 and _c_safe(k)
                   and _c_safe(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_c_safe(v) for v in value)
    return True


def _yaml(value: Any) -> str:
    """One value (or small structure) as YAML text, no document markers, no trailing newline."""
    dumper = _CDumper if _CDumper is not None and _c_safe(value) else _Dumper
    out = yaml.dump(
        value, Dumper=dumper, allow_unicode=True, sort_keys=False, width=2**30,
        default_flow_style=False, explicit_end=False,
    )
    if out.endswith("\n...\n"):  # a document-end marker line, not content ending in '...'
        out = out[: -len("...\n")]
    return out[:-1]  # exactly one newline: more belong to a kept block scalar


def _entry(key: str, value: Any, indent: str = "") -> list[str]:
    """'key: value' lines at `indent`, via the emitter so quoting/blocks are right."""
    if value is None or type(value) in (str, int, bool):
        text = _scalar_entry(key, value)
    else:
        text = _yaml({key: value})
    return [indent + line if line else line for line in text.split("\n")]


@lru_cache(maxsize=4096, typed=True)  # typed: 1 and True are different entries
def _scalar_entry(key: str, value: Any) -> str:
    # Performance: PyYAML's pure-Python emitter costs ~0.3 ms per entry; the chat saves the
    # whole file after every answer and batch repeats the same scale answers, so identical
    # (key, value) pairs are emitted once. Same function, same bytes; only immutable values.
    return _yaml({key: value})


def dump_answers(answers: Answers, q: Questionnaire) -> str:
    """Deterministic YAML for an Answers object, in questionnaire order."""
    lines = [
        "# Zelfscan — antwoorden",
        "# Dit bestand bevat de antwoorden van één zelfscan. Het kan vertrouwelijke informatie",
        "# bevatten: deel het alleen met wie het nodig heeft.",
    ]
    lines += _entry("vragenlijst", answers.questionnaire_id)
    lines += _entry("versie", answers.questionnaire_version)
    lines += _entry("datum", answers.date)
    order = [x.id for x in q.questions()]
    pos = {qid: i for i, qid in enumerate(order)}

    def ordered(ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=lambda k: (pos.get(k, len(order)), k))

    both = {**answers.inactive, **answers.values}
    if both:
        lines.append("antwoorden:")
        for qid in ordered(both):
            if qid in q.retired:
                lines.append("  # Telt niet mee: deze vraag is vervallen uit de vragenlijst.")
            elif qid in answers.inactive and qid not in answers.values:
                lines.append("  # Telt niet mee: de voorwaarde van deze vraag is niet vervuld.")
            lines += _entry(qid, both[qid], "  ")
    else:
        lines.append("antwoorden: {}")
    if answers.notes:
        lines.append("toelichtingen:")
        for qid in ordered(answers.notes):
            lines += _entry(qid, answers.notes[qid], "  ")
    if answers.marked:
        lines += _entry("bespreken", list(answers.marked))
    if answers.skipped:
        lines += _entry("overgeslagen", list(answers.skipped))
    if answers.session:
        lines += _entry("sessie", dict(answers.session))
    return "\n".join(lines) + "\n"


def save_answers(answers: Answers, path: str | Path, q: Questionnaire) -> None:
    """Write atomically, readable by the user only (answers may be confidential)."""
    atomic_write_text(path, dump_answers(answers, q), private=True)


def _comment(text: str, indent: str = "  ", width: int = 92) -> list[str]:
    import textwrap

    out: list[str] = []
    for para in text.replace("\r", "").split("\n"):
        para = para.rstrip()
        if not para:
            continue
        wrapped = textwrap.wrap(para, width=width - len(indent) - 2, break_on_hyphens=False,
                                break_long_words=False) or [""]
        out += [f"{indent}# {w}" for w in wrapped]
    return out


def _condition_text(cond: Any) -> str:
    """A short Dutch rendering of a `toon_als` condition for the blank file."""
    if not isinstance(cond, Mapping):
        return str(cond)
    if "alle" in cond:
        return " en ".join(f"({_condition_text(c)})" for c in cond["alle"])
    if "een_van" in cond:
        return " of ".join(f"({_condition_text(c)})" for c in cond["een_van"])
    if "niet" in cond:
        return f"niet ({_condition_text(cond['niet'])})"
    if "vraag" in cond:
        parts = []
        for op in ("is", "niet_is", "in", "minstens", "hoogstens", "beantwoord"):
            if op in cond:
                arg = cond[op]
                if op == "beantwoord":
                    parts.append("beantwoord" if arg else "niet beantwoord")
                elif op == "in":
                    parts.append("is " + " of ".join(str(a) for a in arg))
                else:
                    parts.append(f"{op.replace('_', ' ')} {arg}")
        return f"{cond['vraag']} {' en '.join(parts)}"
    return "altijd" if cond.get("altijd") else str(dict(cond))


def blank_answers_text(q: Questionnaire, date: str | None = None) -> str:
    """A blank answers file: every question id in order, with its text and allowed values."""
    lines = [
        "# Zelfscan — antwoorden (leeg bestand om in te vullen)",
        "#",
        "# Vul achter elke dubbele punt het antwoord in. Laat een vraag leeg als u hem",
        "# (nog) niet weet of wilt overslaan. Tekst over meerdere regels: schrijf | en zet de",
        "# regels eronder, ingesprongen met 4 spaties. Zet tekst met een dubbele punt, # of",
        "# aanhalingstekens tussen enkele aanhalingstekens: 'zoals: dit'.",
        "# Maak daarna het plan met: zelfscan batch <dit bestand>",
        "#",
        "# Dit bestand kan vertrouwelijke informatie bevatten. Noem geen namen van personen.",
    ]
    lines += _entry("vragenlijst", q.id)
    lines += _entry("versie", q.version)
    lines.append("# Datum van de zelfscan (JJJJ-MM-DD); het plan noemt deze datum.")
    lines += _entry("datum", date) if date else ["datum:"]
    lines.append("antwoorden:")
    for section in q.sections:
        if not section.questions:
            continue
        lines.append("")
        lines.append(f"  # {'=' * 70}")
        lines += _comment(section.title.upper())
        lines.append(f"  # {'=' * 70}")
        for question in section.questions:
            lines.append("")
            lines += _comment(question.text)
            if question.kind == TEXT:
                lines.append("  # Vrije tekst.")
            else:
                lines += _comment("Kies: " + allowed_text(question))
            if question.condition is not None:
                lines += _comment("Alleen invullen als: " + _condition_text(question.condition))
            if question.required:
                lines.append("  # Verplicht.")
            lines.append(f"  {question.id}:")
    lines += [
        "",
        "# Toelichting per vraag (optioneel), bijv.:",
        "#   dreiging.signalen: Cijfers van de politie, 2025.",
        "toelichtingen: {}",
        "# Vraag-ids om te bespreken (optioneel), bijv. [lokaal-beeld.stelling-...]",
        "bespreken: []",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- command
