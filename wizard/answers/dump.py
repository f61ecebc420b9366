"""Writing answers files: `dump_answers`, `save_answers` and the blank file
(`blank_answers_text`). Deterministic YAML in questionnaire order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from wizard.answers.values import allowed_text
from wizard.files.yamlio import atomic_write_text
from wizard.questionnaire.model import TEXT, Questionnaire

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
        # the simple 'key:' form (PyYAML counts characters, libyaml bytes), on '' and on
        # keys with line breaks or quotes: only plain ids of up to 120 characters.
        return all(isinstance(k, str) and _plain_key(k) and _c_safe(v)
                   for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_c_safe(v) for v in value)
    return True


@lru_cache(maxsize=4096)  # keys are question ids: a few hundred, asked for every entry
def _plain_key(key: str) -> bool:
    return 0 < len(key) <= 120 and key.isascii() and all(
        c.isalnum() or c in "._-" for c in key)


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


# Performance: PyYAML's pure-Python emitter costs ~0.3 ms per entry; the chat saves the whole
# file after every answer and batch repeats the same scale answers, so identical (key, value)
# pairs are emitted once. Same function, same bytes; only immutable values. Keyed on the
# value's type too: 1 and True are different entries. Bounded (flat memory in a batch).
_ENTRIES: dict[tuple[str, type, Any], str] = {}
_ENTRIES_MAX = 4096
# Free text is new in every file of a batch: bounded by size as well, so a run of long
# answers does not keep megabytes of them (the chat's one file stays well under this).
_ENTRIES_MAX_CHARS = 500_000
_entries_chars = 0


def clear_cache() -> None:
    global _entries_chars
    _ENTRIES.clear()
    _entries_chars = 0


def _scalar_entry(key: str, value: Any) -> str:
    known = _ENTRIES.get((key, type(value), value))
    if known is not None:
        return known
    return _remember(key, value, _yaml({key: value}))


def _remember(key: str, value: Any, text: str) -> str:
    global _entries_chars
    size = len(text) + (len(value) if type(value) is str else 0)
    if len(_ENTRIES) >= _ENTRIES_MAX or _entries_chars + size > _ENTRIES_MAX_CHARS:
        clear_cache()
    _ENTRIES[(key, type(value), value)] = text
    _entries_chars += size
    return text


def _emit_together(items: Iterable[tuple[str, Any]]) -> None:
    """The text entries not known yet (free text: new in every file), emitted in one run of
    the C emitter instead of one run each (~30 us each), and remembered for `_entry`.

    A block mapping's entries are emitted independently: each starts at column 0 with its
    plain key, and every other line of a value is empty or indented (the emitter indents a
    nested scalar, block or quoted), so the text splits at '\n<next key>:' into exactly the
    texts `_yaml` makes per entry (tests/test_answers_dump.py). Only what `_yaml` itself
    would give the C emitter; anything unexpected leaves the entries to `_yaml`."""
    if _CDumper is None:
        return
    todo: dict[str, str] = {}
    for key, value in items:
        if (type(value) is str and (key, str, value) not in _ENTRIES and _plain_key(key)
                and _c_safe(value)):
            todo[key] = value
    if len(todo) < 2:
        return
    out = yaml.dump(todo, Dumper=_CDumper, allow_unicode=True, sort_keys=False, width=2**30,
                    default_flow_style=False, explicit_end=False)
    keys = list(todo)
    if not out.startswith(keys[0] + ":"):
        return
    starts = [0]
    for key in keys[1:]:
        at = out.find("\n" + key + ":", starts[-1])
        if at < 0:
            return
        starts.append(at + 1)
    starts.append(len(out))
    for key, start, end in zip(keys, starts, starts[1:]):
        text = out[start:end]
        if text.endswith("\n...\n"):  # a document-end marker (after the last entry only)
            text = text[: -len("...\n")]
        _remember(key, todo[key], text[:-1])


def dump_answers(answers: Any, q: Questionnaire) -> str:
    """Deterministic YAML for a `wizard.answers.store.Answers`, in questionnaire order."""
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
    _emit_together(both.items())
    _emit_together(answers.notes.items())
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
    confirmed = list(getattr(answers, "confirmed_public", None) or [])
    if confirmed:
        lines.append("# Gecontroleerd: deze antwoorden mogen in het openbare plan, ook al lijken ze")
        lines.append("# over personen of een casus te gaan.")
        lines += _entry("openbaar_bevestigd", confirmed)
    if answers.session:
        lines += _entry("sessie", dict(answers.session))
    return "\n".join(lines) + "\n"


def save_answers(answers: Any, path: str | Path, q: Questionnaire) -> None:
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
        "# Vul achter elke dubbele punt het antwoord in (een getal, of een keuze uit de lijst",
        "# erboven). Laat een vraag leeg als u hem (nog) niet weet of wilt overslaan.",
        "# Vrije tekst schrijft u op de regel(s) onder de vraag-id met |-, ingesprongen met",
        "# 4 spaties. Zo leest Zelfscan de tekst precies zoals u hem typt, ook met &, #, :,",
        "# aanhalingstekens of meerdere regels:",
        "#   borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken: |-",
        "#       OOV & sociaal domein (#1 in de regio), overleg om 12:30",
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
                lines.append("  # Vrije tekst: op de regel(s) hieronder, ingesprongen.")
            else:
                lines += _comment("Kies: " + allowed_text(question))
            if question.condition is not None:
                lines += _comment("Alleen invullen als: " + _condition_text(question.condition))
            if question.required:
                lines.append("  # Verplicht.")
            # Text answers as a block: whatever is typed below is read as typed (no '&'
            # anchors, '#' comments, 12:30 numbers or quote errors), and empty stays empty.
            lines.append(f"  {question.id}: |-" if question.kind == TEXT else
                         f"  {question.id}:")
            if question.kind == TEXT:
                lines.append("")
    lines += [
        "",
        "# Toelichting per vraag (optioneel), bijv.:",
        "#   dreiging.signalen: Cijfers van de politie, 2025.",
        "toelichtingen: {}",
        "# Vraag-ids om te bespreken (optioneel), bijv. [lokaal-beeld.stelling-...]",
        "bespreken: []",
        "# Lijkt een openbaar antwoord over personen of een casus te gaan (of staat er een",
        "# persoonsgegeven in), dan komt het in de vertrouwelijke bijlage, niet in het plan.",
        "# Hebt u gecontroleerd dat het toch openbaar mag? Zet het vraag-id dan hier,",
        "# bijv. [borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken].",
        "openbaar_bevestigd: []",
    ]
    return "\n".join(lines) + "\n"


