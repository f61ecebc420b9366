"""Answers files: the Answers dataclass; load, validate, dump, save; blank file; `zelfscan blank`.

An answers file (and a chat session file, which is the same format) looks like:

    vragenlijst: zelfscan
    versie: 1
    datum: '2026-11-23'
    antwoorden: {question id: value}
    toelichtingen: {question id: text}
    bespreken: [question ids]
    overgeslagen: [question ids]
    openbaar_bevestigd: [question ids]   # case-like public answers confirmed as public
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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The value rules and the writers live in their own modules; their public names are part of
# this module's contract (DEVELOPING.md) and stay importable from here.
from wizard.answers.dump import (  # noqa: F401
    blank_answers_text,
    dump_answers,
    save_answers,
)
from wizard.answers.values import (  # noqa: F401
    MUNICIPALITY_MAX,
    MUNICIPALITY_QID,
    BadValue,
    allowed_text,
    as_typed,
    check_value,
    is_empty,
    parse_input,
)
from wizard.errors import (
    Problem,
    ValidationError,
    did_you_mean,
)
from wizard.files.yamlio import YamlDoc, load_yaml
from wizard.questionnaire.conditions import AnswersContext, evaluate
from wizard.questionnaire.model import (
    NUMBER,
    TEXT,
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
    "openbaar_bevestigd",
    "sessie",
)

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
    # Questions whose answer (and note) the officer confirmed may be public although the
    # privacy check flags it (YAML 'openbaar_bevestigd'; wizard.answers.screen).
    confirmed_public: list[str] = field(default_factory=list)
    # Where each answer and note was read: ('antwoord' | 'toelichting', qid) -> 'file:line'
    # (or 'file:Blad!E14' for a workbook), for messages that point at it.
    locations: dict[tuple[str, str], str] = field(default_factory=dict, compare=False)

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
        answers.locations[("antwoord", key_s)] = f"{file}:{doc.line('antwoorden', key) or 1}"
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
                answers.locations[("toelichting", key_s)] = \
                    f"{file}:{doc.line('toelichtingen', key) or 1}"

    # Id lists.
    for yaml_key, target in (("bespreken", answers.marked), ("overgeslagen", answers.skipped),
                             ("openbaar_bevestigd", answers.confirmed_public)):
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


