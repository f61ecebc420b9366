"""Plan template -> questionnaires/aanpak.yaml (deterministic); `zelfscan generate`.

Every activity row of the template becomes a component section with a few scaled
statements (taken from the row's own *Wat*/*Hoe* text, so that they measure what the
template calls good) followed by the row's open questions. Objectives become a
`doelstellingen` section. Ids come from the text, not from the row's position, so they
stay the same when rows are reordered.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from wizard.errors import ZelfscanError
from wizard.files.slug import slugify
from wizard.questionnaire import overlay as _overlay
from wizard.questionnaire.template import (
    HowBlock,
    TemplateDoc,
    TemplateRow,
    split_sentences,
)

OUTPUT_NAME = "aanpak.yaml"
# Data, not code: which rows' open answers are case-related and so confidential.
CLASSIFICATION_NAME = "classificatie.yaml"
CLASSIFICATION_KEY = "vertrouwelijke_open_vragen"
# Data, not code: spelling fixes applied to the template's text (never to ids).
CORRECTIONS_NAME = "correcties.yaml"
CORRECTIONS_KEY = "correcties"
SOURCE = "sjabloon plan van aanpak"
MIN_STATEMENTS = 3
MAX_STATEMENTS = 5
STATEMENT_ID_WORDS = 5
QUESTION_ID_WORDS = 6
OBJECTIVE_ID_WORDS = 5

# Sentences opening with these words lean on the previous sentence; as a stand-alone
# statement they would not make sense.
_ANAPHORIC = ("dit ", "dat ", "hierbij", "hierdoor", "hiermee", "hiervoor", "daarbij",
              "daardoor", "daarmee", "hierin", "zij ", "ze ")
# A person pronoun we can replace with the row's subject ("Hij is verantwoordelijk ...").
_PRONOUN_START = re.compile(r"^(Hij|Deze)\s+(?=(is|heeft|wordt|zorgt|moet|kan|geeft|neemt)\b)")
_PRONOUN_INNER = re.compile(r"\bhij\b")
# Words pointing back at an earlier sentence anywhere in it ("... hierover in gesprek").
_ANAPHORIC_INNER = re.compile(r"\b(hierover|hiervan|hieraan|daarover|daarvan)\b", re.IGNORECASE)


def header(template_name: str) -> str:
    return (
        f"# GEGENEREERD door 'zelfscan generate' uit {template_name} — niet met de hand "
        "bewerken; wijzig het sjabloon en genereer opnieuw.\n"
    )


# --- titles and statements -------------------------------------------------------------


def sentence_case(title: str, context: str = "") -> str:
    """'BORGEN VAN DE AANPAK' -> 'Borgen van de aanpak'; keeps acronyms upper case.

    An acronym is a word inside parentheses or a word the row's own text writes in capitals
    (so 'PGA' stays 'PGA'; and 'PGA R' becomes 'PGA-R' when the text spells it that way).
    """
    text = re.sub(r"\s*/\s*", " / ", title.strip())
    # Join an acronym split by a space when the text writes it with a hyphen (PGA R -> PGA-R).
    for a, b in re.findall(r"\b([A-Z]{2,}) ([A-Z])\b", text):
        if f"{a}-{b}" in context:
            text = text.replace(f"{a} {b}", f"{a}-{b}")
    upper_in_context = {w for w in re.findall(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\b", context)
                        if len(w) >= 2}
    out: list[str] = []
    depth = 0
    for token in re.split(r"(\s+)", text):
        if not token or token.isspace():
            out.append(token)
            continue
        inside = depth > 0 or token.startswith("(")
        depth += token.count("(") - token.count(")")
        word = token.strip("()/,.;:")
        keep = word and (inside or word in upper_in_context) and word == word.upper()
        out.append(token if keep else token.lower())
    result = "".join(out)
    return result[:1].upper() + result[1:]


def _subject(title_sc: str) -> str:
    """The row's subject for replacing 'Hij'/'Deze': 'de aandachtsfunctionaris/adviseur ...'."""
    return "de " + re.sub(r"\s*/\s*", "/", title_sc[:1].lower() + title_sc[1:])


def _self_contained(sentence: str, subject: str) -> str | None:
    """The sentence as a stand-alone statement, or None when it cannot stand alone."""
    s = sentence.strip()
    if len(s.split()) < 5 or s.endswith(":"):
        return None
    m = _PRONOUN_START.match(s)
    if m:
        s = subject[:1].upper() + subject[1:] + " " + s[m.end():]
    elif s.lower().startswith(_ANAPHORIC) or s.startswith("Deze "):
        return None
    if _ANAPHORIC_INNER.search(s):
        return None
    s = _PRONOUN_INNER.sub(subject, s, count=1)
    if not s.endswith((".", "!", "?")):
        s += "."
    return s


def _paragraphs(how: tuple[HowBlock, ...]) -> list[str]:
    """The Hoe paragraphs that can yield statements: no bullets, no lead-ins ending in ':'."""
    return [b.text for b in how if not b.bullet and not b.text.endswith(":")]


def statements(row: TemplateRow, title_sc: str) -> list[tuple[str, str]]:
    """(statement, toelichting) pairs for a row, in the order of the template.

    First the subtitle (when it is a sentence) and the first sentence of each Hoe paragraph;
    if that gives fewer than MIN_STATEMENTS, further sentences in document order; at most
    MAX_STATEMENTS. The toelichting is the Hoe paragraph the statement came from.
    """
    subject = _subject(title_sc)
    paras = _paragraphs(row.how)
    candidates: list[tuple[int, int, str, str]] = []  # (para, sentence, text, toelichting)
    if row.subtitle:
        s = _self_contained(row.subtitle, subject)
        if s:
            candidates.append((-1, 0, s, paras[0] if paras else row.how_text))
    for pi, para in enumerate(paras):
        for si, sentence in enumerate(split_sentences(para)):
            s = _self_contained(sentence, subject)
            if s:
                candidates.append((pi, si, s, para))
    firsts: list[tuple[int, int, str, str]] = []
    seen_paras: set[int] = set()
    for c in candidates:
        if c[0] not in seen_paras:
            seen_paras.add(c[0])
            firsts.append(c)
    chosen = firsts[:MAX_STATEMENTS]
    for c in candidates:
        if len(chosen) >= MIN_STATEMENTS:
            break
        if c not in chosen:
            chosen.append(c)
    chosen.sort(key=lambda c: (c[0], c[1]))
    result = [(text, toel) for _, _, text, toel in chosen]
    if len(result) < 2:
        # Too little text for two statements: ask whether the arrangements are recorded.
        result.append((
            (f"De afspraken over {title_sc[:1].lower() + title_sc[1:]} zijn vastgelegd en "
            "bekend bij de collega's die ermee werken."),
            row.how_text,
        ))
    return result


# --- module ------------------------------------------------------------------------------


class _Ids:
    """Hands out unique ids; a collision gets -2, -3, ..."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.used:
            candidate = f"{base}-{n}"
            n += 1
        self.used.add(candidate)
        return candidate


def distinct_slugs(texts: list[str], words: int) -> list[str]:
    """Slugs of `words` words; texts whose slugs clash get more words until they differ.

    Lengthening (rather than numbering) keeps ids tied to the text, so they do not swap
    when the template reorders two similar questions. Identical texts still clash; the
    caller numbers those.
    """
    result = [slugify(t, words) for t in texts]
    for n in range(words + 1, 64):
        clashes = {s for s in result if result.count(s) > 1}
        if not clashes:
            break
        result = [slugify(t, n) if s in clashes else s for t, s in zip(texts, result)]
    return result


def _row_source(row: TemplateRow) -> str:
    return f"{SOURCE}, activiteitenrij {row.number} ({row.title})"


def load_confidential_sections(path: str | Path | None = None) -> frozenset[str]:
    """Section ids whose open answers are confidential (questionnaires/classificatie.yaml).

    A missing built-in file means none; a malformed file is a Dutch error with file:line.
    """
    from wizard.files.yamlio import load_yaml

    if path is None:
        from wizard.files.resources import data_dir

        path = data_dir() / CLASSIFICATION_NAME
        if not Path(path).is_file():
            return frozenset()
    doc = load_yaml(path, what="classificatiebestand")
    data = doc.data
    hint = (f"Schrijf bijvoorbeeld:\n    {CLASSIFICATION_KEY}:\n"
            "      - persoonsgerichte-aanpak-pga-r")
    if data is None:
        return frozenset()
    if not isinstance(data, dict) or set(data) - {CLASSIFICATION_KEY}:
        raise ZelfscanError(f"het classificatiebestand mag alleen '{CLASSIFICATION_KEY}' "
                            "bevatten", file=doc.file, line=doc.line(), hint=hint)
    items = data.get(CLASSIFICATION_KEY) or []
    if not isinstance(items, list):
        raise ZelfscanError(f"'{CLASSIFICATION_KEY}' moet een lijst van onderdeel-ids zijn",
                            file=doc.file, line=doc.line(CLASSIFICATION_KEY), hint=hint)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip() or slugify(item) != item:
            raise ZelfscanError(f"'{item}' is geen id van een onderdeel", file=doc.file,
                                line=doc.line(CLASSIFICATION_KEY, i), hint=hint)
    return frozenset(items)


Correction = tuple[str, str]  # (exact text in the template, replacement)


def load_corrections(path: str | Path | None = None) -> tuple[Correction, ...]:
    """Exact-string fixes for the template's text (questionnaires/correcties.yaml).

    A missing built-in file means none; a malformed file is a Dutch error with file:line.
    """
    from wizard.files.yamlio import load_yaml

    if path is None:
        from wizard.files.resources import data_dir

        path = data_dir() / CORRECTIONS_NAME
        if not Path(path).is_file():
            return ()
    doc = load_yaml(path, what="bestand met taalcorrecties")
    data = doc.data
    hint = (f"Schrijf bijvoorbeeld:\n    {CORRECTIONS_KEY}:\n"
            "      - van: lokaaladviseur\n        naar: lokaal adviseur")
    if data is None:
        return ()
    if not isinstance(data, dict) or set(data) - {CORRECTIONS_KEY}:
        raise ZelfscanError(f"het bestand met taalcorrecties mag alleen '{CORRECTIONS_KEY}' "
                            "bevatten", file=doc.file, line=doc.line(), hint=hint)
    items = data.get(CORRECTIONS_KEY) or []
    if not isinstance(items, list):
        raise ZelfscanError(f"'{CORRECTIONS_KEY}' moet een lijst zijn", file=doc.file,
                            line=doc.line(CORRECTIONS_KEY), hint=hint)
    out: list[Correction] = []
    for i, item in enumerate(items):
        where = (CORRECTIONS_KEY, i)
        if not isinstance(item, dict) or set(item) != {"van", "naar"}:
            raise ZelfscanError("een correctie heeft precies twee sleutels: 'van' en 'naar'",
                                file=doc.file, line=doc.line(*where), hint=hint)
        old, new = item["van"], item["naar"]
        if not isinstance(old, str) or not old.strip():
            raise ZelfscanError("'van' moet een niet-lege tekst zijn", file=doc.file,
                                line=doc.line(*where, "van"), hint=hint)
        if not isinstance(new, str):
            raise ZelfscanError("'naar' moet een tekst zijn (zet hem tussen aanhalingstekens)",
                                file=doc.file, line=doc.line(*where, "naar"), hint=hint)
        out.append((old, new))
    return tuple(out)


def _correct(value: Any, corrections: tuple[Correction, ...], key: str = "") -> Any:
    """Apply the corrections to every text in the module except ids, so ids stay those
    of the uncorrected template (existing answers files keep working)."""
    if isinstance(value, dict):
        return {k: _correct(v, corrections, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_correct(v, corrections, key) for v in value]
    if isinstance(value, str) and key != "id":
        for old, new in corrections:
            value = value.replace(old, new)
    return value


def unused_corrections(doc: TemplateDoc, corrections: tuple[Correction, ...]
                       ) -> list[Correction]:
    """Corrections whose text does not occur in the generated module (they do nothing)."""
    text = _strings(build_module(doc, frozenset(), (), {}))
    unused: list[Correction] = []
    for old, new in corrections:
        if old not in text:
            unused.append((old, new))
        text = text.replace(old, new)
    return unused


def _strings(value: Any, key: str = "") -> str:
    if isinstance(value, dict):
        return "\n".join(_strings(v, k) for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(_strings(v, key) for v in value)
    return value if isinstance(value, str) and key != "id" else ""


def _component(row: TemplateRow, ids: _Ids, confidential: frozenset[str] = frozenset(),
               edits: _overlay.Overlay | None = None, dropped: list[str] | None = None,
               ) -> dict[str, Any]:
    how = row.how_text
    title = sentence_case(row.title, f"{row.subtitle}\n{how}\n" + "\n".join(row.questions))
    section_id = ids.take(slugify(row.title) or f"rij-{row.number}")
    source = _row_source(row)
    questions: list[dict[str, Any]] = []
    pairs = statements(row, title)
    slugs = distinct_slugs([t for t, _ in pairs], STATEMENT_ID_WORDS)
    for (text, toelichting), slug in zip(pairs, slugs):
        qid = ids.take(f"{section_id}.stelling-{slug}")
        questions.append({
            "id": qid,
            "soort": "schaal",
            "schaal": "volwassenheid",
            "tekst": text,
            "toelichting": toelichting,
            "bron": f"{source}, kolom Hoe",
        })
    for text, slug in zip(row.questions, distinct_slugs(list(row.questions), QUESTION_ID_WORDS)):
        qid = ids.take(f"{section_id}.{slug or 'vraag'}")
        question = {
            "id": qid,
            "soort": "tekst",
            "tekst": text,
            "toelichting": how,
        }
        if section_id in confidential:
            question["classificatie"] = "vertrouwelijk"
        question["bron"] = f"{source}, kolom Lokale uitwerking"
        questions.append(question)
    questions = _overlay.apply_all(questions, edits or {}, dropped)
    n_statements = sum(1 for q in questions if q["soort"] == "schaal")
    n_open = len(questions) - n_statements
    n_short = sum(1 for q in questions if q["soort"] == "schaal" and q.get("kort") == "ja")
    intro = (
        f"Eerst {_count(n_statements, 'stelling', 'stellingen')} over dit onderdeel: in "
        "hoeverre is dit in uw gemeente ingericht?"
    )
    if n_open:
        intro += (
            " Daarna " + ("volgt 1 vraag" if n_open == 1 else f"volgen {n_open} vragen")
            + " uit het sjabloon voor de lokale uitwerking."
        )
    section: dict[str, Any] = {
        "id": section_id,
        "titel": title,
        "soort": "component",
        "wat": row.title,
        "ondertitel": row.subtitle,
        "hoe": how,
        "inleiding": intro,
    }
    if n_short:
        # The short scan asks only the statements marked 'kort'; say so, not the full count.
        section["inleiding_kort"] = (
            "In de korte scan: de stelling die het meest zegt over dit onderdeel."
            if n_short == 1 else
            f"In de korte scan: de {n_short} stellingen die het meest zeggen over dit "
            "onderdeel.")
    section["bron"] = source
    section["vragen"] = questions
    return section


def _count(n: int, one: str, many: str) -> str:
    return f"één {one}" if n == 1 else f"{n} {many}"


def _objectives_section(doc: TemplateDoc, objective_ids: list[str], ids: _Ids,
                        edits: _overlay.Overlay | None = None,
                        dropped: list[str] | None = None) -> dict[str, Any]:
    ids.take("doelstellingen")
    questions: list[dict[str, Any]] = []
    for oid, text in zip(objective_ids, doc.objectives):
        questions.append({
            "id": ids.take(f"doelstellingen.{oid}"),
            "soort": "schaal",
            "schaal": "realisatie",
            "tekst": text,
            "toelichting": doc.ambition,
            "bron": f"{SOURCE}, Doelstellingen",
        })
    objectives_text = "\n".join(f"- {o}" for o in doc.objectives)
    questions.append({
        "id": ids.take("doelstellingen.lokale-ambitie"),
        "soort": "tekst",
        "tekst": doc.local_ambition
        or "Specifiek voor onze gemeente is er de volgende aanvullende ambitie:",
        "toelichting": "Vul aan wat uw gemeente daarnaast wil bereiken; laat leeg als de "
        "algemene ambitie volstaat.\n\nDe ambitie uit het sjabloon:\n\n" + doc.ambition,
        "bron": f"{SOURCE}, Lokale ambitie",
    })
    questions.append({
        "id": ids.take("doelstellingen.lokale-doelstellingen"),
        "soort": "tekst",
        "tekst": doc.local_objectives
        or "Specifiek voor onze gemeente zijn er de volgende aanvullende doelstellingen:",
        "toelichting": "Vul aan welke doelstellingen uw gemeente daarnaast heeft; laat leeg "
        "als de algemene doelstellingen volstaan.\n\nDe doelstellingen uit het sjabloon:\n\n"
        + objectives_text,
        "bron": f"{SOURCE}, Lokale doelstellingen",
    })
    questions = _overlay.apply_all(questions, edits or {}, dropped)
    return {
        "id": "doelstellingen",
        "titel": "Ambitie en doelstellingen",
        "soort": "doelstellingen",
        "inleiding": "Het sjabloon noemt een ambitie en een aantal doelstellingen. Geef per "
        "doelstelling aan in hoeverre die in uw gemeente gerealiseerd is, en vul daarna de "
        "lokale ambitie en doelstellingen aan.",
        "bron": f"{SOURCE}, Ambitie en doelstellingen",
        "vragen": questions,
    }


def build_module(doc: TemplateDoc, confidential: frozenset[str] | None = None,
                 corrections: tuple[Correction, ...] | None = None,
                 edits: _overlay.Overlay | None = None) -> dict[str, Any]:
    """The aanpak module as plain data, in the documented YAML format.

    `confidential`: section ids whose open questions are confidential; None = the ids in
    the built-in questionnaires/classificatie.yaml. `corrections`: spelling fixes applied
    to the text after the ids are made; None = the built-in questionnaires/correcties.yaml.
    `edits`: the curated overlay (rewrite, drop, short scan) by question id; None = the
    built-in questionnaires/stellingen.yaml.
    """
    if confidential is None:
        confidential = load_confidential_sections()
    if corrections is None:
        corrections = load_corrections()
    if edits is None:
        edits = _overlay.load_overlay()
    dropped: list[str] = []
    objective_ids: list[str] = []
    oids = _Ids()
    for slug in distinct_slugs(list(doc.objectives), OBJECTIVE_ID_WORDS):
        objective_ids.append(oids.take(slug or "doelstelling"))
    ids = _Ids()
    sections = [_objectives_section(doc, objective_ids, ids, edits, dropped)]
    sections += [_component(row, ids, confidential, edits, dropped) for row in doc.rows]
    module: dict[str, Any] = {
        "definities": [
            {"term": d.term, "tekst": d.text, "bron": d.source} for d in doc.definitions
        ],
        "ambitie": doc.ambition,
        "doelstellingen": [
            {"id": oid, "tekst": text} for oid, text in zip(objective_ids, doc.objectives)
        ],
        "secties": sections,
    }
    if dropped:
        # Answers files made before a statement was dropped still name it: they stay valid.
        module["vervallen"] = sorted(dropped)
    return _correct(module, corrections)


class _Dumper(yaml.SafeDumper):
    """Multi-line text as literal blocks, so the YAML reads like the template."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)  # indent list items under their key


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def render_module(doc: TemplateDoc, confidential: frozenset[str] | None = None,
                  corrections: tuple[Correction, ...] | None = None,
                  edits: _overlay.Overlay | None = None) -> str:
    """The module as YAML text; the same template always gives the same bytes."""
    body = yaml.dump(
        build_module(doc, confidential, corrections, edits),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return header(doc.name) + body


# --- command -----------------------------------------------------------------------------
