"""Questionnaire files (manifest + modules, Dutch keys) -> validated `model.Questionnaire`.

Every problem in every file is collected before anything is raised, so an officer who edits
the YAML sees all mistakes at once, each with file:line and a hint. Also `zelfscan validate`.

The key sets below are the single list of what the loader accepts; a test checks that the JSON
Schema in questionnaires/schema/ names exactly the same keys, so the two cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from wizard.errors import Problem, ValidationError, ZelfscanError, did_you_mean
from wizard.files.yamlio import YamlDoc, load_yaml
from wizard.questionnaire import conditions, model
from wizard.rules.reader import RuleReader, allowed_hint

# --- accepted keys (kept in step with questionnaires/schema/*.schema.json) -----------------
MANIFEST_REQUIRED = ("id", "versie", "titel", "schalen", "modules")
MANIFEST_KEYS = MANIFEST_REQUIRED + ("scoring", "ondersteuning", "stappen", "acuut",
                                     "toelichtingen_classificatie")
SCALE_REQUIRED = ("opties",)
SCALE_KEYS = ("omschrijving", "opties", "weet_niet", "nvt")
MODULE_KEYS = ("definities", "ambitie", "doelstellingen", "secties", "bron", "vervallen")
DEFINITION_REQUIRED = ("term", "tekst")
DEFINITION_KEYS = ("term", "tekst", "bron")
OBJECTIVE_REQUIRED = ("id", "tekst")
OBJECTIVE_KEYS = ("id", "tekst")
SECTION_REQUIRED = ("id", "titel", "soort")
SECTION_KEYS = (
    "id", "titel", "soort", "wat", "ondertitel", "hoe", "inleiding", "inleiding_kort",
    "classificatie", "bron", "kort", "vragen",
)
QUESTION_REQUIRED = ("id", "soort", "tekst")
QUESTION_KEYS = (
    "id", "soort", "schaal", "opties", "tekst", "toelichting", "verplicht", "toon_als",
    "classificatie", "gewicht", "labels", "min", "max", "bron", "weet_niet", "nvt", "kort",
)
# Files named by the manifest besides the modules; recorded in Questionnaire.config_files.
CONFIG_KEYS = ("scoring", "ondersteuning", "stappen", "acuut")

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_SLUG_RE = re.compile(rf"^{_SLUG}$")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _suggest(key: object, known: Iterable[str]) -> str:
    return allowed_hint(key, known)


class _Collector(RuleReader):
    """The loader's reader: problems prefixed with where they are (section, question)."""

    def add(self, where: str, message: str, path: tuple, hint: str | None = None) -> None:
        self.bad(path, f"{where}: {message}" if where else message, hint)

    def keys(
        self, where: str, data: dict, path: tuple, allowed: tuple[str, ...],
        required: tuple[str, ...] = (),
    ) -> None:
        for k in data:
            if k not in allowed:
                self.add(where, f"onbekende sleutel '{k}'", path + (k,), allowed_hint(k, allowed))
        for k in required:
            if k not in data:
                self.add(where, f"verplichte sleutel '{k}' ontbreekt", path,
                         f"Voeg '{k}: ...' toe.")

    def field_text(self, where: str, data: dict, key: str, path: tuple, default: str = "") -> str:
        if key not in data or data[key] is None:
            return default
        v = data[key]
        if isinstance(v, (bool, dict, list)):
            self.add(where, f"'{key}' moet een tekst zijn", path + (key,),
                     "Zet de tekst eventueel tussen aanhalingstekens.")
            return default
        return str(v).strip()

    def field_flag(self, where: str, data: dict, key: str, path: tuple, default: bool) -> bool:
        if key not in data:
            return default
        b = conditions.yes_no(data[key])
        if b is None:
            self.add(where, f"'{key}' moet ja of nee zijn (nu: {data[key]!r})", path + (key,))
            return default
        return b

    def classification(self, where: str, data: dict, path: tuple, default: str) -> str:
        if "classificatie" not in data:
            return default
        v = data["classificatie"]
        if v not in model.CLASSIFICATIONS:
            self.add(where, f"onbekende classificatie '{v}'", path + ("classificatie",),
                     "Kies " + " of ".join(model.CLASSIFICATIONS) + ".")
            return default
        return str(v)


# --- scales ---------------------------------------------------------------------------------

def _parse_scales(c: _Collector, data: Any, path: tuple) -> dict[str, model.Scale]:
    scales: dict[str, model.Scale] = {}
    if not isinstance(data, dict) or not data:
        c.add("", "'schalen' moet een of meer schalen met een naam bevatten", path,
              "Bijvoorbeeld 'schalen:' met daaronder 'volwassenheid:' en 'opties:'.")
        return scales
    for sid, spec in data.items():
        p = path + (sid,)
        where = f"schaal '{sid}'"
        if not isinstance(sid, str) or not _SLUG_RE.match(sid):
            c.add("", f"schaalnaam '{sid}' mag alleen kleine letters, cijfers en '-' bevatten", p)
            continue
        if not isinstance(spec, dict):
            c.add(where, "een schaal moet sleutels hebben ('omschrijving', 'opties', ...)", p)
            continue
        c.keys(where, spec, p, SCALE_KEYS, SCALE_REQUIRED)
        options = _scale_options(c, where, spec.get("opties"), p + ("opties",))
        if "opties" in spec and options is None:
            continue
        scales[sid] = model.Scale(
            id=sid,
            description=c.field_text(where, spec, "omschrijving", p),
            options=options or (),
            allows_unknown=c.field_flag(where, spec, "weet_niet", p, True),
            allows_na=c.field_flag(where, spec, "nvt", p, False),
        )
    return scales


def _scale_options(
    c: _Collector, where: str, data: Any, p: tuple,
) -> tuple[model.Option, ...] | None:
    if data is None:
        return None
    if not isinstance(data, dict) or len(data) < 2:
        c.add(where, "'opties' moet minstens twee waarden hebben, zoals '0: Niet aanwezig'", p)
        return None
    out = []
    ok = True
    for k, label in data.items():
        if not _is_int(k) or k < 0:
            c.add(where, f"schaalwaarde '{k}' moet een heel getal van 0 of hoger zijn", p + (k,))
            ok = False
        elif not isinstance(label, str) or not label.strip():
            c.add(where, f"waarde {k} heeft geen omschrijving", p + (k,),
                  f"Schrijf bijvoorbeeld '{k}: Gedeeltelijk ingericht'.")
            ok = False
        else:
            out.append(model.Option(k, label.strip()))
    if not ok:
        return None
    values = sorted(int(o.value) for o in out)
    if values != list(range(values[0], values[0] + len(values))):
        c.add(where, f"de schaalwaarden moeten aansluiten (nu: {', '.join(map(str, values))})", p,
              "Nummer de waarden zonder gaten, bijvoorbeeld 0, 1, 2, 3, 4.")
        return None
    return tuple(sorted(out, key=lambda o: int(o.value)))


# --- manifest -------------------------------------------------------------------------------

@dataclass
class _Manifest:
    doc: YamlDoc
    id: str = ""
    version: int = 0
    title: str = ""
    scales: dict[str, model.Scale] = field(default_factory=dict)
    modules: list[tuple[Path, int | None]] = field(default_factory=list)  # (path, manifest line)
    config_files: dict[str, str] = field(default_factory=dict)
    notes_classification: str = model.CONFIDENTIAL


def _parse_manifest(doc: YamlDoc, problems: list[Problem]) -> _Manifest:
    c = _Collector(doc, problems)
    m = _Manifest(doc)
    data = doc.data
    if not isinstance(data, dict):
        c.add("", "het hoofdbestand van de vragenlijst moet sleutels hebben "
                  "(id, versie, titel, schalen, modules), geen losse lijst of tekst", ())
        return m
    c.keys("", data, (), MANIFEST_KEYS, MANIFEST_REQUIRED)
    m.id = c.field_text("", data, "id", ())
    if "id" in data and not _SLUG_RE.match(m.id):
        c.add("", f"id '{m.id}' mag alleen kleine letters, cijfers en '-' bevatten", ("id",))
    if "versie" in data:
        if _is_int(data["versie"]) and data["versie"] >= 1:
            m.version = data["versie"]
        else:
            c.add("", "'versie' moet een heel getal van 1 of hoger zijn", ("versie",))
    m.title = c.field_text("", data, "titel", ())
    if "schalen" in data:
        m.scales = _parse_scales(c, data["schalen"], ("schalen",))
    base = Path(doc.file).parent
    if "modules" in data:
        mods = data["modules"]
        if not isinstance(mods, list) or not mods:
            c.add("", "'modules' moet een lijst van bestandsnamen zijn", ("modules",),
                  "Bijvoorbeeld: modules: [intake.yaml, dreiging.yaml, aanpak.yaml]")
        else:
            seen: set[str] = set()
            for i, name in enumerate(mods):
                line = doc.line("modules", i)
                if not isinstance(name, str) or not name.strip():
                    c.add("", "een module moet een bestandsnaam zijn", ("modules", i))
                    continue
                if name in seen:
                    c.add("", f"module '{name}' staat twee keer in de lijst", ("modules", i))
                    continue
                seen.add(name)
                m.modules.append((base / name, line))
    for key in CONFIG_KEYS:
        if key not in data:
            continue
        name = data[key]
        if not isinstance(name, str) or not name.strip():
            c.add("", f"'{key}' moet een bestandsnaam zijn", (key,))
            continue
        p = base / name
        if not p.is_file():
            c.add("", f"het bestand '{name}' (bij '{key}') bestaat niet", (key,),
                  f"Zet {name} naast {Path(doc.file).name} of verbeter de naam.")
            continue
        m.config_files[key] = str(p.resolve())
    if "toelichtingen_classificatie" in data:
        v = data["toelichtingen_classificatie"]
        if v in model.CLASSIFICATIONS:
            m.notes_classification = str(v)
        else:
            c.add("", f"onbekende classificatie '{v}' bij 'toelichtingen_classificatie'",
                  ("toelichtingen_classificatie",),
                  "Kies " + " of ".join(model.CLASSIFICATIONS) + ".")
    return m


# --- modules --------------------------------------------------------------------------------

@dataclass
class _RawQuestion:
    """A question whose condition is checked once all ids are known."""

    file_c: _Collector
    where: str
    path: tuple
    condition: Any
    index: int  # position in the whole questionnaire


@dataclass
class _State:
    scales: dict[str, model.Scale]
    problems: list[Problem]
    sections: list[model.Section] = field(default_factory=list)
    section_where: dict[str, str] = field(default_factory=dict)  # id -> "file:line"
    question_where: dict[str, str] = field(default_factory=dict)
    question_order: dict[str, int] = field(default_factory=dict)
    questions: dict[str, model.Question] = field(default_factory=dict)
    pending: list[_RawQuestion] = field(default_factory=list)
    definitions: list[model.Definition] = field(default_factory=list)
    objectives: list[model.Objective] = field(default_factory=list)
    ambition: str = ""
    ambition_where: str = ""
    retired: set[str] = field(default_factory=set)  # ids of dropped questions ('vervallen')
    # Where each section was defined (file collector and path), for the short-scan check.
    section_at: dict[str, tuple[_Collector, tuple]] = field(default_factory=dict)


def _parse_module(doc: YamlDoc, st: _State) -> None:
    c = _Collector(doc, st.problems)
    data = doc.data
    if not isinstance(data, dict):
        kind = "een lijst" if isinstance(data, list) else "een losse waarde"
        c.add("", f"een vragenlijstmodule moet sleutels hebben (zoals 'secties'), niet {kind}", (),
              "Begin het bestand met 'secties:' en zet de secties daaronder als lijst.")
        return
    c.keys("", data, (), MODULE_KEYS)
    if "ambitie" in data:
        text = c.field_text("", data, "ambitie", ())
        if st.ambition_where:
            c.add("", f"'ambitie' staat al in {st.ambition_where}", ("ambitie",),
                  "Zet de ambitie in één module.")
        elif text:
            st.ambition = text
            st.ambition_where = f"{doc.file}:{doc.line('ambitie')}"
    if "definities" in data:
        def add_definition(d: dict, p: tuple, w: str) -> None:
            st.definitions.append(model.Definition(
                c.field_text(w, d, "term", p), c.field_text(w, d, "tekst", p), c.field_text(w, d, "bron", p)))
        _parse_list(c, data["definities"], ("definities",), "definitie", DEFINITION_KEYS,
                    DEFINITION_REQUIRED, add_definition)
    if "doelstellingen" in data:
        def add_objective(d: dict, p: tuple, w: str) -> None:
            oid = c.field_text(w, d, "id", p)
            if oid and not _SLUG_RE.match(oid):
                c.add(w, f"id '{oid}' mag alleen kleine letters, cijfers en '-' bevatten",
                      p + ("id",))
            st.objectives.append(model.Objective(oid, c.field_text(w, d, "tekst", p)))
        _parse_list(c, data["doelstellingen"], ("doelstellingen",), "doelstelling",
                    OBJECTIVE_KEYS, OBJECTIVE_REQUIRED, add_objective)
    if "vervallen" in data:
        items = data["vervallen"]
        if isinstance(items, list) and all(isinstance(i, str) for i in items):
            st.retired.update(items)
        else:
            c.add("", "'vervallen' moet een lijst van vraag-ids zijn", ("vervallen",),
                  "Deze lijst maakt 'zelfscan generate'; bewerk hem niet met de hand.")
    secties = data.get("secties")
    if "secties" not in data:
        c.add("", "verplichte sleutel 'secties' ontbreekt", (),
              "Voeg 'secties:' met een lijst toe.")
        return
    if not isinstance(secties, list):
        c.add("", "'secties' moet een lijst zijn (elke sectie begint met '- id: ...')",
              ("secties",))
        return
    for i, sec in enumerate(secties):
        _parse_section(c, sec, ("secties", i), st)


def _parse_list(
    c: _Collector, items: Any, path: tuple, what: str, keys: tuple[str, ...],
    required: tuple[str, ...], add: Callable[[dict, tuple, str], None],
) -> None:
    if not isinstance(items, list):
        c.add("", f"'{path[-1]}' moet een lijst zijn", path)
        return
    for i, item in enumerate(items):
        p = path + (i,)
        where = f"{what} {i + 1}"
        if not isinstance(item, dict):
            c.add(where, "moet sleutels hebben: " + ", ".join(required), p)
            continue
        c.keys(where, item, p, keys, required)
        add(item, p, where)


def _claim_id(c: _Collector, where: str, p: tuple, ident: str, seen: dict[str, str],
              noun: str) -> bool:
    """Record where `ident` (a section or question id) is defined; False if already taken."""
    if ident in seen:
        c.add(where, f"{noun}-id '{ident}' komt twee keer voor (eerder in {seen[ident]})",
              p + ("id",), f"Geef elke {noun} een eigen id.")
        return False
    seen[ident] = f"{c.file}:{c.doc.line(*p, 'id')}"
    return True


def _parse_section(c: _Collector, sec: Any, p: tuple, st: _State) -> None:
    if not isinstance(sec, dict):
        c.add("", "een sectie moet sleutels hebben (id, titel, soort, vragen)", p)
        return
    sid = sec.get("id")
    where = f"sectie '{sid}'" if isinstance(sid, str) else f"sectie {p[-1] + 1}"
    c.keys(where, sec, p, SECTION_KEYS, SECTION_REQUIRED)
    ok = True
    if "id" in sec:
        if not isinstance(sid, str) or not _SLUG_RE.match(sid):
            c.add(where, f"id '{sid}' mag alleen kleine letters, cijfers en '-' bevatten",
                  p + ("id",), "Bijvoorbeeld: lokaal-beeld")
            ok = False
        else:
            ok = _claim_id(c, where, p, sid, st.section_where, "sectie")
    else:
        ok = False
    kind = sec.get("soort")
    if "soort" in sec and kind not in model.SECTION_KINDS:
        c.add(where, f"onbekende soort sectie '{kind}'", p + ("soort",),
              _suggest(str(kind), model.SECTION_KINDS))
        ok = False
    classification = c.classification(where, sec, p, model.PUBLIC)
    short = c.field_flag(where, sec, "kort", p, False)  # the default for its questions
    questions: list[model.Question] = []
    vragen = sec.get("vragen", [])
    if vragen is None:
        vragen = []
    if not isinstance(vragen, list):
        c.add(where, "'vragen' moet een lijst zijn (elke vraag begint met '- id: ...')",
              p + ("vragen",))
        vragen = []
    for j, q in enumerate(vragen):
        parsed = _parse_question(c, q, p + ("vragen", j), sid if ok else None, where,
                                 classification, st, short)
        if parsed is not None:
            questions.append(parsed)
    section = model.Section(
        id=str(sid) if sid is not None else "",
        title=c.field_text(where, sec, "titel", p),
        kind=str(kind),
        questions=tuple(questions),
        intro=c.field_text(where, sec, "inleiding", p),
        short_intro=c.field_text(where, sec, "inleiding_kort", p),
        subtitle=c.field_text(where, sec, "ondertitel", p),
        what=c.field_text(where, sec, "wat", p),
        how=c.field_text(where, sec, "hoe", p),
        classification=classification,
        source=c.field_text(where, sec, "bron", p),
    )
    if ok:
        st.sections.append(section)
        st.section_at[section.id] = (c, p)


def _parse_question(
    c: _Collector, q: Any, p: tuple, sid: str | None, swhere: str, sclass: str, st: _State,
    short: bool = False,
) -> model.Question | None:
    if not isinstance(q, dict):
        c.add(swhere, "een vraag moet sleutels hebben (id, soort, tekst)", p)
        return None
    qid = q.get("id")
    where = f"{swhere}, vraag '{qid}'" if isinstance(qid, str) else f"{swhere}, vraag {p[-1] + 1}"
    c.keys(where, q, p, QUESTION_KEYS, QUESTION_REQUIRED)
    ok = True
    if "id" in q:
        if not isinstance(qid, str) or not re.match(rf"^{_SLUG}\.{_SLUG}$", qid):
            c.add(where, f"vraag-id '{qid}' heeft niet de vorm '<sectie-id>.<naam>'", p + ("id",),
                  f"Bijvoorbeeld: {sid or 'lokaal-beeld'}.welke-partners")
            ok = False
        elif sid is not None and not qid.startswith(sid + "."):
            c.add(where, f"vraag-id '{qid}' moet beginnen met '{sid}.'", p + ("id",),
                  f"Vragen in sectie '{sid}' heten '{sid}.<naam>'.")
            ok = False
        else:
            ok = _claim_id(c, where, p, qid, st.question_where, "vraag")
    else:
        ok = False
    yaml_kind = q.get("soort")
    kind = model.KIND_FROM_YAML.get(yaml_kind) if isinstance(yaml_kind, str) else None
    if "soort" in q and kind is None:
        c.add(where, f"onbekende soort vraag '{yaml_kind}'", p + ("soort",),
              _suggest(str(yaml_kind), tuple(model.KIND_FROM_YAML)))
        ok = False

    scale: model.Scale | None = None
    options: tuple[model.Option, ...] = ()
    allows_unknown, allows_na = False, False
    if kind == model.SCALE:
        name = q.get("schaal")
        if "schaal" not in q:
            c.add(where, "een schaalvraag heeft 'schaal:' nodig", p,
                  "Bekende schalen: " + ", ".join(st.scales) + ".")
            ok = False
        elif not isinstance(name, str) or name not in st.scales:  # [] is unhashable
            c.add(where, f"onbekende schaal '{name}'", p + ("schaal",),
                  "Bekende schalen: " + (", ".join(st.scales) or "(geen)") + "."
                  + (f" {s}" if (s := did_you_mean(name, st.scales)) else ""))
            ok = False
        else:
            scale = st.scales[name]
            options = scale.options
            allows_unknown, allows_na = scale.allows_unknown, scale.allows_na
            if "opties" in q:
                anchors = _anchors(c, where, q["opties"], p + ("opties",), scale)
                if anchors is None:
                    ok = False
                else:
                    options = anchors
    elif kind == model.CHOICE:
        if "opties" not in q:
            c.add(where, "een keuzevraag heeft 'opties:' nodig", p,
                  "Bijvoorbeeld: opties: {ja: Ja, nee: Nee}")
            ok = False
        else:
            choice = _choices(c, where, q["opties"], p + ("opties",))
            if choice is None:
                ok = False
            else:
                options = choice
    if kind is not None and kind != model.SCALE and "schaal" in q:
        c.add(where, f"'schaal' hoort alleen bij soort schaal (deze vraag is '{yaml_kind}')",
              p + ("schaal",))
    if kind in (model.TEXT, model.NUMBER) and "opties" in q:
        c.add(where, f"'opties' hoort niet bij soort '{yaml_kind}'", p + ("opties",),
              "Gebruik soort keuze of schaal, of haal 'opties' weg.")
    if kind == model.TEXT:
        # Free text may always be 'weet niet' (typed w), unless an answer is required.
        allows_unknown = conditions.yes_no(q.get("verplicht", False)) is not True
    allows_unknown = c.field_flag(where, q, "weet_niet", p, allows_unknown)
    allows_na = c.field_flag(where, q, "nvt", p, allows_na)

    minimum = maximum = None
    for key in ("min", "max"):
        if key not in q:
            continue
        if kind is not None and kind != model.NUMBER:
            c.add(where, f"'{key}' hoort alleen bij soort getal", p + (key,))
        elif not _is_int(q[key]):
            c.add(where, f"'{key}' moet een heel getal zijn (nu: {q[key]!r})", p + (key,),
                  "Schrijf het getal zonder punten, bijvoorbeeld 1000000.")
        elif key == "min":
            minimum = q[key]
        else:
            maximum = q[key]
    if minimum is not None and maximum is not None and minimum > maximum:
        c.add(where, f"'min' ({minimum}) is groter dan 'max' ({maximum})", p + ("min",))
        ok = False

    weight = 1.0
    if "gewicht" in q:
        if _is_number(q["gewicht"]) and q["gewicht"] >= 0:
            weight = float(q["gewicht"])
        else:
            c.add(where, f"'gewicht' moet een getal van 0 of hoger zijn (nu: {q['gewicht']!r})",
                  p + ("gewicht",))
    tags: tuple[str, ...] = ()
    if "labels" in q:
        raw = q["labels"]
        if isinstance(raw, list) and all(isinstance(t, str) and _SLUG_RE.match(t) for t in raw):
            tags = tuple(raw)
        else:
            c.add(where, "'labels' moet een lijst van korte namen zijn (kleine letters, '-')",
                  p + ("labels",), "Bijvoorbeeld: labels: [sleutelfiguren, scholen]")
    condition = q.get("toon_als")
    if condition is not None:
        condition = conditions.normalise_condition(condition)
        st.pending.append(_RawQuestion(c, where, p + ("toon_als",), condition,
                                       len(st.question_order)))
    if not ok or kind is None or sid is None or qid is None:
        return None
    st.question_order[qid] = len(st.question_order)
    question = model.Question(
        id=qid,
        kind=kind,
        text=c.field_text(where, q, "tekst", p),
        section_id=sid,
        help=c.field_text(where, q, "toelichting", p),
        scale_id=scale.id if scale else None,
        options=options,
        allows_unknown=allows_unknown,
        allows_na=allows_na,
        required=c.field_flag(where, q, "verplicht", p, False),
        condition=condition,
        classification=c.classification(where, q, p, sclass),
        weight=weight,
        source=c.field_text(where, q, "bron", p),
        minimum=minimum,
        maximum=maximum,
        tags=tags,
        short=c.field_flag(where, q, "kort", p, short),
    )
    if not question.text and "tekst" in q:
        c.add(where, "'tekst' is leeg", p + ("tekst",), "Schrijf de vraag zoals de bot haar stelt.")
    st.questions[qid] = question
    return question


def _anchors(
    c: _Collector, where: str, data: Any, p: tuple, scale: model.Scale,
) -> tuple[model.Option, ...] | None:
    values = [int(o.value) for o in scale.options]
    if not isinstance(data, dict):
        c.add(where, "'opties' moet per schaalwaarde een omschrijving geven, zoals '0: Geen'", p)
        return None
    out: list[model.Option] = []
    ok = True
    for k, label in data.items():
        if not _is_int(k) or k not in values:
            c.add(where, f"'{k}' is geen waarde van schaal '{scale.id}'", p + (k,),
                  "Gebruik de waarden " + ", ".join(map(str, values)) + ".")
            ok = False
        elif not isinstance(label, str) or not label.strip():
            c.add(where, f"waarde {k} heeft geen omschrijving", p + (k,))
            ok = False
        else:
            out.append(model.Option(k, label.strip()))
    missing = [v for v in values if v not in data]
    if ok and missing:
        c.add(where, "'opties' moet alle waarden van schaal "
                     f"'{scale.id}' beschrijven; ontbreekt: {', '.join(map(str, missing))}", p)
        ok = False
    return tuple(sorted(out, key=lambda o: int(o.value))) if ok else None


def _choices(c: _Collector, where: str, data: Any, p: tuple) -> tuple[model.Option, ...] | None:
    if not isinstance(data, dict) or len(data) < 2:
        c.add(where, "'opties' moet minstens twee keuzes hebben, zoals '{ja: Ja, nee: Nee}'", p)
        return None
    out: list[model.Option] = []
    ok = True
    for k, label in data.items():
        if not isinstance(k, str) or not _SLUG_RE.match(k) or k in model.SPECIAL_LABELS:
            c.add(where, f"keuze '{k}' moet een korte naam zijn (kleine letters, cijfers, '-')",
                  p + (k,), "Bijvoorbeeld: noord-holland: Noord-Holland. "
                            "'weet_niet' en 'nvt' zijn voorbehouden.")
            ok = False
        elif not isinstance(label, str) or not label.strip():
            c.add(where, f"keuze '{k}' heeft geen omschrijving", p + (k,))
            ok = False
        else:
            out.append(model.Option(k, label.strip()))
    return tuple(out) if ok else None


def _condition_refs(cond: Any, path: tuple) -> list[tuple[str, tuple, dict]]:
    """Every (question id, path of its 'vraag' key, atom) in a condition."""
    found: list[tuple[str, tuple, dict]] = []
    if isinstance(cond, dict):
        if isinstance(cond.get("vraag"), str):
            found.append((cond["vraag"], path + ("vraag",), cond))
        for k, v in cond.items():
            if isinstance(v, (dict, list)):
                found += _condition_refs(v, path + (k,))
    elif isinstance(cond, list):
        for i, v in enumerate(cond):
            found += _condition_refs(v, path + (i,))
    return found


def _check_conditions(st: _State, external_ids: set[str]) -> None:
    all_ids = set(st.question_order) | external_ids
    for raw in st.pending:
        c = raw.file_c
        probs = conditions.check(raw.condition, file=c.file, line_of=c.doc.line, path=raw.path,
                                 question_ids=all_ids, where=raw.where + ", toon_als")
        st.problems.extend(probs)
        for ref, path, atom in _condition_refs(raw.condition, raw.path):
            if ref in external_ids or ref not in st.question_order:
                continue
            if st.question_order[ref] >= raw.index:
                c.add(raw.where + ", toon_als",
                      f"vraag '{ref}' komt niet eerder in de vragenlijst", path,
                      "Een voorwaarde kan alleen verwijzen naar een vraag die eerder gesteld "
                      "wordt; verplaats de vraag of de voorwaarde.")
                continue
            _check_condition_values(c, raw.where, st.questions[ref], atom, path[:-1])


def _check_short_scan(st: _State) -> None:
    """The short scan ('kort') must give a first profile: every component measured by at
    least one statement, and a short question's condition only naming short questions
    (otherwise it would never be asked in the short scan)."""
    if not any(q.short for q in st.questions.values()):
        return
    for sec in st.sections:
        c, p = st.section_at[sec.id]
        if sec.kind == "component" and sec.statements() and \
                not any(q.short for q in sec.statements()):
            c.add(f"sectie '{sec.id}'", "geen enkele stelling van dit onderdeel hoort bij de "
                  "korte scan, dus de korte scan meet dit onderdeel niet", p,
                  "Zet 'kort: ja' bij de stelling die het meest zegt (bij een gemaakte "
                  "module: in stellingen.yaml).")
    by_index = {i: qid for qid, i in st.question_order.items()}
    for raw in st.pending:
        question = st.questions.get(by_index.get(raw.index, ""))
        if question is None or not question.short:
            continue
        for ref, path, _atom in _condition_refs(raw.condition, raw.path):
            if ref in st.questions and not st.questions[ref].short:
                raw.file_c.add(raw.where + ", toon_als",
                               f"deze vraag hoort bij de korte scan, maar '{ref}' niet; in de "
                               "korte scan wordt ze dus nooit gesteld", path,
                               f"Zet ook bij '{ref}' 'kort: ja', of haal 'kort' hier weg.")


def _check_condition_values(c: _Collector, where: str, q: model.Question, atom: dict,
                            p: tuple) -> None:
    """The compared values must be answers the referenced question can have."""
    where = where + ", toon_als"
    if q.kind in (model.SCALE, model.CHOICE):
        allowed = q.allowed_values()
        for op in ("is", "niet_is"):
            if op in atom and atom[op] not in allowed:
                c.add(where, f"'{atom[op]}' is geen mogelijk antwoord op '{q.id}'", p + (op,),
                      "Mogelijk: " + ", ".join(map(str, allowed)) + ".")
        if isinstance(atom.get("in"), list):
            for v in atom["in"]:
                if v not in allowed:
                    c.add(where, f"'{v}' is geen mogelijk antwoord op '{q.id}'", p + ("in",),
                          "Mogelijk: " + ", ".join(map(str, allowed)) + ".")
    for op in ("minstens", "hoogstens"):
        if op in atom and q.kind in (model.TEXT, model.CHOICE):
            c.add(where, f"'{op}' werkt alleen bij een schaal- of getalvraag; "
                         f"'{q.id}' is {model.KIND_TO_YAML[q.kind]}", p + (op,),
                  "Gebruik 'is' of 'in'.")


# --- public API -----------------------------------------------------------------------------

def _read(path: Path, problems: list[Problem], what: str) -> YamlDoc | None:
    try:
        return load_yaml(path, what=what)
    except ZelfscanError as e:
        problems.extend(e.problems)
        return None


def _raise(problems: list[Problem], file: str) -> None:
    if problems:
        # Read order: files in the order they were read, lines top to bottom.
        first = {f: i for i, f in reversed(list(enumerate(p.file for p in problems)))}
        problems = sorted(problems, key=lambda p: (first[p.file], p.line or 0))
        n = len(problems)
        raise ValidationError(
            problems,
            summary=f"{file}: de vragenlijst bevat {n} {'fout' if n == 1 else 'fouten'}. "
                    "Verbeter ze en controleer opnieuw met 'zelfscan validate'.",
        )


def _build(path: Path) -> model.Questionnaire:
    problems: list[Problem] = []
    doc = _read(path, problems, "vragenlijst")
    if doc is None:
        _raise(problems, str(path))
    assert doc is not None
    if isinstance(doc.data, dict) and "modules" not in doc.data:
        # An answers file or a module given to --vragenlijst: say so, instead of a list
        # of "unknown key" problems that hide the real mistake.
        kind = ("een antwoordbestand" if "antwoorden" in doc.data else
                "een module" if "secties" in doc.data else None)
        if kind:
            _raise([Problem(f"dit is {kind}, geen hoofdbestand van een vragenlijst", doc.file,
                            doc.line(), "Geef bij --vragenlijst het hoofdbestand (zoals "
                            "zelfscan.yaml, met 'modules:'); een antwoordbestand geeft u op "
                            "na de opdracht, bijv. 'zelfscan validate antwoorden.yaml'.")],
                   str(path))
    manifest = _parse_manifest(doc, problems)
    st = _State(manifest.scales, problems)
    for mod_path, line in manifest.modules:
        if not mod_path.is_file():
            problems.append(Problem(
                f"module '{mod_path.name}' niet gevonden ({mod_path})", doc.file, line,
                f"Zet het bestand naast {path.name} of haal het uit de lijst 'modules'."))
            continue
        mdoc = _read(mod_path, problems, "vragenlijstmodule")
        if mdoc is not None:
            _parse_module(mdoc, st)
    _check_conditions(st, set())
    _check_short_scan(st)
    if not problems and manifest.modules and not any(s.questions for s in st.sections):
        problems.append(Problem("de vragenlijst bevat geen enkele vraag", doc.file,
                                doc.line("modules")))
    _raise(problems, str(path))
    return model.Questionnaire(
        id=manifest.id,
        version=manifest.version,
        title=manifest.title,
        sections=tuple(st.sections),
        scales=dict(manifest.scales),
        definitions=tuple(st.definitions),
        ambition=st.ambition,
        objectives=tuple(st.objectives),
        source_file=str(path),
        config_files=dict(manifest.config_files),
        notes_classification=manifest.notes_classification,
        retired=frozenset(st.retired - set(st.question_order)),
    )


def _stamp(folder: Path) -> tuple:
    """Changes whenever a YAML file in the folder changes, so the cache never goes stale."""
    out = []
    for p in sorted(folder.glob("*.yaml")):
        try:
            s = p.stat()
        except OSError:
            continue
        out.append((p.name, s.st_mtime_ns, s.st_size))
    return tuple(out)


@lru_cache(maxsize=4)
def _cached(path: str, stamp: tuple) -> model.Questionnaire:
    return _build(Path(path))


def load_questionnaire(path: str | Path | None = None) -> model.Questionnaire:
    """Load and validate a questionnaire (manifest path; None = the built-in one).

    Raises ValidationError listing every problem with file:line.
    """
    if path is None:
        from wizard.files.resources import manifest_path

        p = manifest_path()
        return _cached(str(p), _stamp(p.parent))
    return _build(Path(path))


def load_module(
    path: str | Path, scales: dict[str, model.Scale], external_ids: Iterable[str] = (),
) -> model.Questionnaire:
    """Validate one module file on its own, with the given scales.

    Conditions may refer to `external_ids` (questions of other modules) without order checks.
    """
    p = Path(path)
    problems: list[Problem] = []
    doc = _read(p, problems, "vragenlijstmodule")
    _raise(problems, str(p))
    assert doc is not None
    st = _State(dict(scales), problems)
    _parse_module(doc, st)
    _check_conditions(st, set(external_ids) - set(st.question_order))
    _raise(problems, str(p))
    return model.Questionnaire(
        id=p.stem, version=1, title=p.stem, sections=tuple(st.sections), scales=dict(scales),
        definitions=tuple(st.definitions), ambition=st.ambition,
        objectives=tuple(st.objectives), source_file=str(p),
    )


# --- zelfscan validate ----------------------------------------------------------------------
