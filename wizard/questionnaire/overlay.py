"""The curated overlay on generated questions (questionnaires/stellingen.yaml).

The template's *Hoe* text gives statements that are not always answerable on the maturity
scale ("... is het aan de politie en het OM ..."), or near-duplicates. `zelfscan generate`
keeps generating from the template and then applies this overlay, by question id:

    stellingen:
      - id: handhaving.stelling-in-gevallen-waar-radicalisering-en
        tekst: In onze gemeente zijn met politie en OM afspraken gemaakt over ...
        kort: ja            # this question belongs to the short scan
      - id: aandachtsfunctionaris-adviseur-radicalisering.stelling-daarnaast-heeft-de-adviseur-een
        vervalt: ja         # dropped; answers files that still hold it stay valid
        reden: ...          # why (for the reader of this file only)

Ids never change: a rewritten statement keeps the id of the template's sentence, so answers
files and rule files that name it keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.errors import ZelfscanError, did_you_mean
from wizard.questionnaire.conditions import yes_no

OVERLAY_NAME = "stellingen.yaml"
OVERLAY_KEY = "stellingen"
ENTRY_KEYS = ("id", "tekst", "vervalt", "kort", "reden")


@dataclass(frozen=True)
class Edit:
    """What the overlay does to one generated question."""

    id: str
    text: str | None = None  # new wording; None = the template's
    drop: bool = False
    short: bool | None = None  # None = not said (not in the short scan)
    line: int = 0


Overlay = dict[str, Edit]


def load_overlay(path: str | Path | None = None) -> Overlay:
    """The overlay by question id. A missing built-in file means none; a malformed file is a
    Dutch error with file:line, saying what to write instead."""
    from wizard.files.yamlio import load_yaml

    if path is None:
        from wizard.files.resources import data_dir

        path = data_dir() / OVERLAY_NAME
        if not Path(path).is_file():
            return {}
    doc = load_yaml(path, what="bestand met stellingen")
    data = doc.data
    hint = (f"Schrijf bijvoorbeeld:\n    {OVERLAY_KEY}:\n"
            "      - id: lokaal-beeld.stelling-eens-in-de-twee-jaar\n"
            "        tekst: In onze gemeente wordt eens in de twee jaar een lokaal beeld "
            "gevormd.\n        kort: ja")
    if data is None:
        return {}
    if not isinstance(data, dict) or set(data) - {OVERLAY_KEY}:
        raise ZelfscanError(f"het bestand met stellingen mag alleen '{OVERLAY_KEY}' bevatten",
                            file=doc.file, line=doc.line(), hint=hint)
    items = data.get(OVERLAY_KEY) or []
    if not isinstance(items, list):
        raise ZelfscanError(f"'{OVERLAY_KEY}' moet een lijst zijn (elk item begint met "
                            "'- id: ...')", file=doc.file, line=doc.line(OVERLAY_KEY),
                            hint=hint)
    out: Overlay = {}
    for i, item in enumerate(items):
        where = (OVERLAY_KEY, i)

        def fail(message: str, *key: str, why: str = hint,
                 where: tuple = where) -> ZelfscanError:
            return ZelfscanError(message, file=doc.file, line=doc.line(*where, *key),
                                 hint=why)

        if not isinstance(item, dict):
            raise fail("een item heeft sleutels nodig: 'id' en 'tekst', 'kort' of 'vervalt'")
        for key in item:
            if key not in ENTRY_KEYS:
                suggestion = did_you_mean(key, ENTRY_KEYS)
                raise fail(f"onbekende sleutel '{key}'", str(key),
                           why=(f"{suggestion} " if suggestion else "")
                           + "Toegestaan: " + ", ".join(ENTRY_KEYS) + ".")
        qid = item.get("id")
        if not isinstance(qid, str) or "." not in qid:
            raise fail("'id' ontbreekt of is geen vraag-id (zoals "
                       "'lokaal-beeld.stelling-eens-in-de-twee-jaar')", "id")
        if qid in out:
            raise fail(f"'{qid}' staat twee keer in de lijst (eerder op regel "
                       f"{out[qid].line})", "id", why="Voeg de twee items samen.")
        text = item.get("tekst")
        if text is not None and (not isinstance(text, str) or not text.strip()):
            raise fail("'tekst' moet een niet-lege tekst zijn", "tekst")
        flags: dict[str, bool | None] = {}
        for key in ("vervalt", "kort"):
            if key in item:
                flags[key] = yes_no(item[key])
                if flags[key] is None:
                    raise fail(f"'{key}' moet ja of nee zijn (nu: {item[key]!r})", key)
        reason = item.get("reden")
        if reason is not None and not isinstance(reason, str):
            raise fail("'reden' moet een tekst zijn", "reden")
        drop = bool(flags.get("vervalt"))
        if drop and (text is not None or flags.get("kort")):
            raise fail("een vervallen vraag kan geen nieuwe 'tekst' of 'kort: ja' hebben",
                       "vervalt", why="Kies: herschrijven (tekst) of laten vervallen.")
        if text is None and not drop and "kort" not in flags:
            raise fail("dit item doet niets: geef 'tekst', 'kort' of 'vervalt: ja'")
        out[qid] = Edit(qid, " ".join(text.split()) if text else None, drop,
                        flags.get("kort"), doc.line(*where) or 0)
    return out


def apply(question: dict[str, Any], edit: Edit | None) -> dict[str, Any] | None:
    """The generated question (YAML data) after the overlay; None when it is dropped."""
    if edit is None:
        return question
    if edit.drop:
        return None
    out = dict(question)
    if edit.text is not None:
        out["tekst"] = edit.text
        if out.get("bron"):
            out["bron"] = f"{out['bron']}; herschreven in {OVERLAY_NAME}"
    if edit.short:
        out["kort"] = "ja"
    return out


def apply_all(questions: list[dict[str, Any]], edits: Overlay,
              dropped: list[str] | None = None) -> list[dict[str, Any]]:
    """The questions after the overlay; ids of dropped ones are appended to `dropped`."""
    out: list[dict[str, Any]] = []
    for question in questions:
        edited = apply(question, edits.get(question["id"]))
        if edited is None:
            if dropped is not None:
                dropped.append(question["id"])
            continue
        out.append(edited)
    return out


def unused(overlay: Overlay, generated_ids: set[str]) -> list[Edit]:
    """Overlay items whose id the template no longer yields (they do nothing)."""
    return [e for e in overlay.values() if e.id not in generated_ids]
