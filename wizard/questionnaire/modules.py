"""Reading one questionnaire module: its sections, questions, scales and conditions.

Every problem is collected with file:line (wizard.rules.reader), so `zelfscan validate` names
them all at once. `wizard.questionnaire.loader` puts the modules of a manifest together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from wizard.errors import Problem, did_you_mean
from wizard.files.yamlio import YamlDoc
from wizard.questionnaire import conditions, model
from wizard.rules.reader import RuleReader, allowed_hint

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


_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"


SLUG_RE = re.compile(rf"^{_SLUG}$")


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _suggest(key: object, known: Iterable[str]) -> str:
    return allowed_hint(key, known)


class Collector(RuleReader):
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


@dataclass
class _RawQuestion:
    """A question whose condition is checked once all ids are known."""

    file_c: Collector
    where: str
    path: tuple
    condition: Any
    index: int  # position in the whole questionnaire


@dataclass
class State:
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
    section_at: dict[str, tuple[Collector, tuple]] = field(default_factory=dict)


def parse_module(doc: YamlDoc, st: State) -> None:
    c = Collector(doc, st.problems)
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
            if oid and not SLUG_RE.match(oid):
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
    c: Collector, items: Any, path: tuple, what: str, keys: tuple[str, ...],
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


def _claim_id(c: Collector, where: str, p: tuple, ident: str, seen: dict[str, str],
              noun: str) -> bool:
    """Record where `ident` (a section or question id) is defined; False if already taken."""
    if ident in seen:
        c.add(where, f"{noun}-id '{ident}' komt twee keer voor (eerder in {seen[ident]})",
              p + ("id",), f"Geef elke {noun} een eigen id.")
        return False
    seen[ident] = f"{c.file}:{c.doc.line(*p, 'id')}"
    return True


def _parse_section(c: Collector, sec: Any, p: tuple, st: State) -> None:
    if not isinstance(sec, dict):
        c.add("", "een sectie moet sleutels hebben (id, titel, soort, vragen)", p)
        return
    sid = sec.get("id")
    where = f"sectie '{sid}'" if isinstance(sid, str) else f"sectie {p[-1] + 1}"
    c.keys(where, sec, p, SECTION_KEYS, SECTION_REQUIRED)
    ok = True
    if "id" in sec:
        if not isinstance(sid, str) or not SLUG_RE.match(sid):
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
    c: Collector, q: Any, p: tuple, sid: str | None, swhere: str, sclass: str, st: State,
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
        elif not is_int(q[key]):
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
        if isinstance(raw, list) and all(isinstance(t, str) and SLUG_RE.match(t) for t in raw):
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
    c: Collector, where: str, data: Any, p: tuple, scale: model.Scale,
) -> tuple[model.Option, ...] | None:
    values = [int(o.value) for o in scale.options]
    if not isinstance(data, dict):
        c.add(where, "'opties' moet per schaalwaarde een omschrijving geven, zoals '0: Geen'", p)
        return None
    out: list[model.Option] = []
    ok = True
    for k, label in data.items():
        if not is_int(k) or k not in values:
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


def _choices(c: Collector, where: str, data: Any, p: tuple) -> tuple[model.Option, ...] | None:
    if not isinstance(data, dict) or len(data) < 2:
        c.add(where, "'opties' moet minstens twee keuzes hebben, zoals '{ja: Ja, nee: Nee}'", p)
        return None
    out: list[model.Option] = []
    ok = True
    for k, label in data.items():
        if not isinstance(k, str) or not SLUG_RE.match(k) or k in model.SPECIAL_LABELS:
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
