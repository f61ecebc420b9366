"""Scoring: threat versus resilience, proportionate.

`load_config(q)` reads and validates questionnaires/scoring.yaml (Dutch keys, every number
explained there); `score(q, answers, config)` turns answers into a `results.Profile`.

Principles (see ../shared/DOMAIN.md):
- 'weet_niet' and unanswered questions are never scored as 0 or as the maximum: they are
  counted as unknown, lower the confidence and are listed. 'nvt' is excluded entirely.
- An unknown threat is not a low threat: with too few known threat answers the level is at
  least the configured fallback level.
- The required level of a component = its base + the rise of the threat level (capped at
  the scale maximum), so every municipality needs a basis and none a programme it does not
  need.
- Resilience is the share of components at or above their required level; a component
  whose level is unknown counts as not at level, so 'weet niet' never raises resilience.

score() is pure and deterministic: no I/O, no clock, no randomness.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from wizard.assessment import results
from wizard.errors import Problem, ValidationError
from wizard.files.yamlio import YamlDoc, load_yaml
from wizard.questionnaire import conditions
from wizard.questionnaire.conditions import AnswersContext, yes_no
from wizard.questionnaire.model import NVT, SCALE, WEET_NIET, Question, Questionnaire, Section

STEP_BANDS = ("beginnen", "opbouwen", "borgen")
UNKNOWN_BAND = "onbekend"
STEP_FIELDS = ("titel", "niveau", "nodig", "dreiging")
NOTE_KEYS = ("onzeker_beeld", "dreiging_onbekend", "basis_eerst", "urgent")
NOTE_FIELDS = ("onbekend", "totaal", "dreiging")

STATUS_OK = "op orde"
STATUS_SHORT = "tekort"
STATUS_UNKNOWN = "onbekend"
STATUS_NA = "nvt"  # every statement answered 'niet van toepassing'


# --------------------------------------------------------------------------- config


@dataclass(frozen=True)
class ThreatLevel:
    id: str
    label: str
    threshold: float  # lowest threat score (0..1) at which this level applies
    rise: int  # levels added to each component's base
    factor: float  # weight of a gap in the priority score
    phrase: str  # e.g. 'verhoogde dreiging', for sentences
    meaning: str


@dataclass(frozen=True)
class Floor:
    question_id: str | None  # None: any threat question
    answer_at_least: float
    level: str


@dataclass(frozen=True)
class Band:
    id: str
    label: str
    threshold: float
    meaning: str = ""


@dataclass(frozen=True)
class QuadrantDef:
    id: str
    name: str
    meaning: str
    threat_high: bool | None  # None for the low-confidence quadrant
    resilience_ok: bool | None
    uncertain: bool = False


@dataclass(frozen=True)
class ComponentConfig:
    id: str
    base: int
    importance: float
    rise: Mapping[str, int] | None  # per threat level, overrides the level's own rise
    steps: Mapping[str, tuple[str, ...]]  # per step band
    configured: bool = True  # False: not in scoring.yaml, defaults apply


@dataclass(frozen=True)
class ScoringConfig:
    file: str
    default_weight: float
    threat_weights: Mapping[str, float]
    threat_levels: tuple[ThreatLevel, ...]
    floors: tuple[Floor, ...]  # an answer this high sets a minimum threat level
    min_known_threat: float
    unknown_threat_level: str
    unknown_threat_label: str
    unknown_threat_meaning: str
    max_unknown_share: float
    default_base: int
    default_importance: float
    step_thresholds: tuple[tuple[str, float], ...]  # (band, from level), ascending
    default_steps: Mapping[str, tuple[str, ...]]
    components: Mapping[str, ComponentConfig]
    resilience_bands: tuple[Band, ...]
    high_threat_from: str
    sufficient_resilience_from: str
    quadrants: tuple[QuadrantDef, ...]
    unknown_gap: float
    unknown_gap_low_threat: float
    urgency: tuple[Band, ...]  # descending thresholds
    notes: Mapping[str, str] = field(default_factory=dict)

    def level(self, level_id: str) -> ThreatLevel:
        for lv in self.threat_levels:
            if lv.id == level_id:
                return lv
        raise KeyError(level_id)

    def level_rank(self, level_id: str) -> int | None:
        for i, lv in enumerate(self.threat_levels):
            if lv.id == level_id:
                return i
        return None

    def weight(self, qid: str) -> float:
        return self.threat_weights.get(qid, self.default_weight)

    def component(self, cid: str) -> ComponentConfig:
        """The settings of a component; defaults for one scoring.yaml does not mention."""
        c = self.components.get(cid)
        if c is not None:
            return c
        return ComponentConfig(cid, self.default_base, self.default_importance, None, {},
                               configured=False)

    def required_level(self, cid: str, threat_level: str, scale_max: int = 4) -> int:
        comp = self.component(cid)
        rise = comp.rise.get(threat_level) if comp.rise else None
        if rise is None:
            rise = self.level(threat_level).rise
        return max(comp.base, min(scale_max, comp.base + rise))

    def step_band(self, level: float | None) -> str:
        if level is None:
            return UNKNOWN_BAND
        band = self.step_thresholds[0][0]
        for name, start in self.step_thresholds:
            if level >= start:
                band = name
        return band

    def steps(self, cid: str, band: str) -> tuple[str, ...]:
        own = self.component(cid).steps.get(band)
        return own if own else self.default_steps.get(band, ())

    def urgency_for(self, priority_score: float) -> Band:
        for b in self.urgency:
            if priority_score >= b.threshold:
                return b
        return self.urgency[-1]


class _Reader:
    """Collects every problem in a YAML document, each with file:line."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def bad(self, path: tuple, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(message, self.doc.file, self.doc.line(*path), hint))

    def get(self, path: tuple) -> Any:
        node: Any = self.doc.data
        for p in path:
            if isinstance(node, dict) and p in node or isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node):
                node = node[p]
            else:
                return None
        return node

    def mapping(self, path: tuple, *, required: bool = True) -> dict:
        v = self.get(path)
        if v is None:
            if required:
                self.bad(path, f"'{_name(path)}' ontbreekt",
                         "Vergelijk met het meegeleverde scoring.yaml.")
            return {}
        if not isinstance(v, dict):
            self.bad(path, f"'{_name(path)}' moet sleutels met waarden bevatten")
            return {}
        return v

    def seq(self, path: tuple, *, required: bool = True) -> list:
        v = self.get(path)
        if v is None:
            if required:
                self.bad(path, f"'{_name(path)}' ontbreekt",
                         "Vergelijk met het meegeleverde bestand.")
            return []
        if not isinstance(v, list):
            self.bad(path, f"'{_name(path)}' moet een lijst zijn (regels die beginnen met '- ')")
            return []
        return v

    def number(self, path: tuple, default: float | None = None, *, lo: float | None = None,
               hi: float | None = None, integer: bool = False) -> float:
        v = self.get(path)
        fallback = default if default is not None else (lo if lo is not None else 0)
        if v is None:
            if default is None:
                self.bad(path, f"'{_name(path)}' ontbreekt", "Vul een getal in.")
            return fallback
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.bad(path, f"'{_name(path)}' moet een getal zijn, niet '{v}'",
                     "Gebruik een punt als decimaalteken, bijvoorbeeld 0.5.")
            return fallback
        if integer and int(v) != v:
            self.bad(path, f"'{_name(path)}' moet een geheel getal zijn, niet {v}")
            return fallback
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            rng = f"tussen {_fmt(lo)} en {_fmt(hi)}" if hi is not None else f"minstens {_fmt(lo)}"
            self.bad(path, f"'{_name(path)}' moet {rng} liggen, niet {_fmt(v)}")
            return fallback
        return int(v) if integer else float(v)

    def text(self, path: tuple, *, required: bool = True, fields: Iterable[str] = ()) -> str:
        v = self.get(path)
        if v is None or v == "":
            if required:
                self.bad(path, f"'{_name(path)}' ontbreekt of is leeg", "Vul een tekst in.")
            return ""
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            self.bad(path, f"'{_name(path)}' moet een tekst zijn")
            return ""
        s = str(v).strip()
        self.placeholders(path, s, tuple(fields))
        return s

    def placeholders(self, path: tuple, s: str, allowed: tuple[str, ...]) -> None:
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(s) if f is not None]
        except ValueError:
            self.bad(path, "losse accolade { of } in de tekst",
                     "Gebruik accolades alleen rond een invulveld, bijvoorbeeld {titel}.")
            return
        for n in names:
            if n not in allowed:
                hint = ("Toegestaan: " + ", ".join("{" + a + "}" for a in allowed) + "."
                        if allowed else "In deze tekst kunnen geen velden worden ingevuld.")
                self.bad(path, f"onbekend invulveld '{{{n}}}'", hint)

    def unknown_keys(self, path: tuple, mapping: dict, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for k in mapping:
            if k not in allowed:
                self.bad(path + (k,), f"onbekende sleutel '{k}'",
                         "Toegestaan: " + ", ".join(allowed) + ".")


def _name(path: tuple) -> str:
    parts = [str(p) for p in path if not isinstance(p, int)]
    return parts[-1] if parts else "bestand"


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace(".", ",")


def config_path(q: Questionnaire, key: str) -> Path:
    """Where the rule file `key` ('scoring', 'ondersteuning') of this questionnaire lives."""
    from wizard.files.resources import data_dir

    default = {"scoring": "scoring.yaml", "ondersteuning": "ondersteuning.yaml"}.get(key, key)
    raw = q.config_files.get(key) or default
    p = Path(raw)
    if p.is_absolute():
        return p
    base = Path(q.source_file).parent if q.source_file else data_dir()
    return base / p


def threat_questions(q: Questionnaire) -> list[Question]:
    return [qq for s in q.sections if s.kind == "dreiging" for qq in s.questions
            if qq.kind == SCALE]


def load_config(q: Questionnaire, path: str | Path | None = None) -> ScoringConfig:
    """Read and validate scoring.yaml. ValidationError lists every problem with file:line."""
    doc = load_yaml(path or config_path(q, "scoring"), what="rekenregels (scoring.yaml)")
    return parse_config(doc, q)


def parse_config(doc: YamlDoc, q: Questionnaire) -> ScoringConfig:
    r = _Reader(doc)
    if not isinstance(doc.data, dict):
        r.bad((), "het bestand moet sleutels bevatten (versie, dreiging, onderdelen, ...)")
        raise ValidationError(r.problems, summary="Fouten in de rekenregels:")
    r.unknown_keys((), doc.data, ("versie", "dreiging", "betrouwbaarheid", "onderdelen",
                                  "weerbaarheid", "kwadranten", "prioriteiten", "opmerkingen"))
    threat_ids = {qq.id for qq in threat_questions(q)}

    # -- threat
    d = ("dreiging",)
    r.mapping(d)
    r.unknown_keys(d, r.mapping(d, required=False), (
        "standaardgewicht", "gewichten", "niveaus", "ondergrenzen", "minimaal_bekend", "bij_onbekend",
        "onbekend_label", "onbekend_betekenis"))
    default_weight = r.number(d + ("standaardgewicht",), 1.0, lo=0)
    weights: dict[str, float] = {}
    for qid in r.mapping(d + ("gewichten",), required=False):
        if qid not in threat_ids:
            r.bad(d + ("gewichten", qid), f"onbekende dreigingsvraag '{qid}'",
                  "Gebruik het id van een vraag uit de dreigingsmodule (bijv. dreiging.signalen).")
            continue
        weights[qid] = r.number(d + ("gewichten", qid), lo=0)

    levels: list[ThreatLevel] = []
    seen: set[str] = set()
    for i, _ in enumerate(r.seq(d + ("niveaus",))):
        p = d + ("niveaus", i)
        item = r.mapping(p)
        r.unknown_keys(p, item, ("id", "label", "vanaf", "verhoging", "factor", "in_zin",
                                 "betekenis"))
        lid = r.text(p + ("id",))
        if lid in seen:
            r.bad(p + ("id",), f"dreigingsniveau '{lid}' komt twee keer voor")
        seen.add(lid)
        lv = ThreatLevel(
            id=lid,
            label=r.text(p + ("label",)),
            threshold=r.number(p + ("vanaf",), lo=0, hi=1),
            rise=int(r.number(p + ("verhoging",), lo=0, hi=4, integer=True)),
            factor=r.number(p + ("factor",), 1.0, lo=0),
            phrase=r.text(p + ("in_zin",), required=False) or f"dreiging {lid}",
            meaning=r.text(p + ("betekenis",)),
        )
        if levels and lv.threshold <= levels[-1].threshold:
            r.bad(p + ("vanaf",), "'vanaf' moet hoger zijn dan bij het vorige niveau",
                  "Zet de niveaus van laag naar hoog.")
        if not levels and lv.threshold != 0:
            r.bad(p + ("vanaf",), "het eerste (laagste) niveau moet 'vanaf: 0' hebben")
        levels.append(lv)
    level_ids = [lv.id for lv in levels]

    def level_ref(path: tuple, required: bool = True) -> str | None:
        v = r.get(path)
        if v is None and not required:
            return None
        if v not in level_ids:
            r.bad(path, f"onbekend dreigingsniveau '{v}'",
                  "Bekende niveaus: " + ", ".join(level_ids) + ".")
            return level_ids[-1] if level_ids else None
        return str(v)

    floors: list[Floor] = []
    for i, _ in enumerate(r.seq(d + ("ondergrenzen",), required=False)):
        p = d + ("ondergrenzen", i)
        item = r.mapping(p)
        r.unknown_keys(p, item, ("vraag", "antwoord_minstens", "dan_minstens"))
        fq = item.get("vraag")
        if fq is not None and fq not in threat_ids:
            r.bad(p + ("vraag",), f"onbekende dreigingsvraag '{fq}'",
                  "Gebruik het id van een vraag uit de dreigingsmodule (bijv. dreiging.casussen).")
        at_least = r.number(p + ("antwoord_minstens",), lo=0)
        if at_least == 0:  # would let 'weet niet' count lower than an answer of 0
            r.bad(p + ("antwoord_minstens",), "'antwoord_minstens' moet groter dan 0 zijn")
        floors.append(Floor(None if fq is None else str(fq), at_least,
                            level_ref(p + ("dan_minstens",)) or ""))
    min_known = r.number(d + ("minimaal_bekend",), 0.5, lo=0, hi=1)
    unknown_level = level_ref(d + ("bij_onbekend",)) or ""
    unknown_label = r.text(d + ("onbekend_label",))
    unknown_meaning = r.text(d + ("onbekend_betekenis",))

    # -- confidence
    b = ("betrouwbaarheid",)
    r.unknown_keys(b, r.mapping(b), ("maximaal_onbekend",))
    max_unknown = r.number(b + ("maximaal_onbekend",), lo=0, hi=1)

    # -- components
    o = ("onderdelen",)
    r.unknown_keys(o, r.mapping(o), ("standaard", "stapgrenzen", "standaardstappen", "lijst"))
    r.unknown_keys(o + ("standaard",), r.mapping(o + ("standaard",)), ("basis", "belang"))
    default_base = int(r.number(o + ("standaard", "basis"), lo=0, hi=4, integer=True))
    default_importance = r.number(o + ("standaard", "belang"), 1.0, lo=0)
    thresholds: list[tuple[str, float]] = []
    sg = r.mapping(o + ("stapgrenzen",))
    r.unknown_keys(o + ("stapgrenzen",), sg, STEP_BANDS)
    for band in STEP_BANDS:
        thresholds.append((band, r.number(o + ("stapgrenzen", band), lo=0, hi=4)))
    for (_, a), (name, bb) in itertools.pairwise(thresholds):
        if bb <= a:
            r.bad(o + ("stapgrenzen", name), f"'{name}' moet hoger liggen dan de vorige grens")
    if thresholds and thresholds[0][1] != 0:
        r.bad(o + ("stapgrenzen", "beginnen"), "'beginnen' moet 0 zijn")

    def steps(path: tuple, required: bool) -> dict[str, tuple[str, ...]]:
        m = r.mapping(path, required=required)
        r.unknown_keys(path, m, STEP_BANDS + (UNKNOWN_BAND,))
        out: dict[str, tuple[str, ...]] = {}
        for band in STEP_BANDS + (UNKNOWN_BAND,):
            if band not in m:
                if required:
                    r.bad(path, f"stappen voor '{band}' ontbreken")
                continue
            items = r.seq(path + (band,))
            texts = tuple(r.text(path + (band, i), fields=STEP_FIELDS)
                          for i in range(len(items)))
            if not texts:
                r.bad(path + (band,), f"geef minstens één stap voor '{band}'")
            out[band] = texts
        return out

    default_steps = steps(o + ("standaardstappen",), True)
    component_ids = [s.id for s in q.components()]
    comps: dict[str, ComponentConfig] = {}
    for i, _ in enumerate(r.seq(o + ("lijst",))):
        p = o + ("lijst", i)
        item = r.mapping(p)
        r.unknown_keys(p, item, ("id", "basis", "belang", "verhoging", "stappen"))
        cid = r.text(p + ("id",))
        if cid and cid not in component_ids:
            r.bad(p + ("id",), f"onbekend onderdeel '{cid}'",
                  "Gebruik het id van een onderdeel uit de vragenlijst (een rij van het "
                  "sjabloon), bijvoorbeeld: " + ", ".join(component_ids[:3]) + ".")
            continue
        if cid in comps:
            r.bad(p + ("id",), f"onderdeel '{cid}' komt twee keer voor")
            continue
        rise: dict[str, int] | None = None
        if "verhoging" in item:
            rise = {}
            vm = r.mapping(p + ("verhoging",))
            for lid in vm:
                if lid not in level_ids:
                    r.bad(p + ("verhoging", lid), f"onbekend dreigingsniveau '{lid}'",
                          "Bekende niveaus: " + ", ".join(level_ids) + ".")
                    continue
                rise[lid] = int(r.number(p + ("verhoging", lid), lo=0, hi=4, integer=True))
        comps[cid] = ComponentConfig(
            id=cid,
            base=int(r.number(p + ("basis",), float(default_base), lo=0, hi=4, integer=True)),
            importance=r.number(p + ("belang",), default_importance, lo=0),
            rise=rise,
            steps=steps(p + ("stappen",), False) if "stappen" in item else {},
        )

    # -- resilience bands
    def bands(path: tuple, ascending: bool, with_meaning: bool) -> list[Band]:
        out: list[Band] = []
        ids: set[str] = set()
        for i, _ in enumerate(r.seq(path)):
            p = path + (i,)
            item = r.mapping(p)
            r.unknown_keys(p, item, ("id", "label", "vanaf", "betekenis"))
            bid = r.text(p + ("id",))
            if bid in ids:
                r.bad(p + ("id",), f"'{bid}' komt twee keer voor")
            ids.add(bid)
            band = Band(bid, r.text(p + ("label",)), r.number(p + ("vanaf",), lo=0),
                        r.text(p + ("betekenis",), required=with_meaning))
            if out and ((band.threshold <= out[-1].threshold) if ascending
                        else (band.threshold >= out[-1].threshold)):
                r.bad(p + ("vanaf",), "de grenzen moeten " +
                      ("oplopen" if ascending else "aflopen") + " in deze lijst")
            out.append(band)
        if out and ascending and out[0].threshold != 0:
            r.bad(path + (0, "vanaf"), "de eerste band moet 'vanaf: 0' hebben")
        if out and not ascending and out[-1].threshold != 0:
            r.bad(path + (len(out) - 1, "vanaf"), "de laatste band moet 'vanaf: 0' hebben")
        return out

    w = ("weerbaarheid",)
    r.unknown_keys(w, r.mapping(w), ("banden",))
    res_bands = bands(w + ("banden",), True, True)
    for i, res_band in enumerate(res_bands):
        if res_band.threshold > 1:
            r.bad(w + ("banden", i, "vanaf"), "'vanaf' is een aandeel en ligt tussen 0 en 1")

    # -- quadrants
    k = ("kwadranten",)
    r.unknown_keys(k, r.mapping(k), ("hoge_dreiging_vanaf", "voldoende_weerbaarheid_vanaf",
                                     "lijst"))
    high_from = level_ref(k + ("hoge_dreiging_vanaf",)) or ""
    suff_from = r.get(k + ("voldoende_weerbaarheid_vanaf",))
    if suff_from not in [bd.id for bd in res_bands]:
        r.bad(k + ("voldoende_weerbaarheid_vanaf",), f"onbekende weerbaarheidsband '{suff_from}'",
              "Bekend: " + ", ".join(bd.id for bd in res_bands) + ".")
    quads: list[QuadrantDef] = []
    combos: set[tuple] = set()
    for i, _ in enumerate(r.seq(k + ("lijst",))):
        p = k + ("lijst", i)
        item = r.mapping(p)
        r.unknown_keys(p, item, ("id", "dreiging", "weerbaarheid", "onzeker", "naam",
                                 "betekenis"))
        uncertain = yes_no(item.get("onzeker")) is True
        if "onzeker" in item and yes_no(item.get("onzeker")) is None:
            r.bad(p + ("onzeker",), "'onzeker' moet ja of nee zijn")
        th = rs = None
        if not uncertain:
            dv, wv = item.get("dreiging"), item.get("weerbaarheid")
            if dv not in ("laag", "hoog"):
                r.bad(p + ("dreiging",), "'dreiging' moet 'laag' of 'hoog' zijn")
            if wv not in ("voldoende", "onvoldoende"):
                r.bad(p + ("weerbaarheid",), "'weerbaarheid' moet 'voldoende' of 'onvoldoende' zijn")
            th, rs = dv == "hoog", wv == "voldoende"
        key = ("onzeker",) if uncertain else (th, rs)
        if key in combos:
            r.bad(p, "dit kwadrant komt twee keer voor")
        combos.add(key)
        quads.append(QuadrantDef(r.text(p + ("id",)), r.text(p + ("naam",)),
                                 r.text(p + ("betekenis",)), th, rs, uncertain))
    for needed in [(False, True), (False, False), (True, True), (True, False), ("onzeker",)]:
        if needed not in combos:
            r.bad(k + ("lijst",), "er ontbreekt een kwadrant: "
                  + ("het onzekere beeld ('onzeker: ja')" if needed == ("onzeker",)
                     else f"dreiging {'hoog' if needed[0] else 'laag'}, weerbaarheid "
                          f"{'voldoende' if needed[1] else 'onvoldoende'}"))

    # -- priorities
    pr = ("prioriteiten",)
    r.unknown_keys(pr, r.mapping(pr), ("onbekend_tekort", "onbekend_tekort_lage_dreiging",
                                       "urgentie"))
    unknown_gap = r.number(pr + ("onbekend_tekort",), lo=0, hi=4)
    unknown_gap_low = r.number(pr + ("onbekend_tekort_lage_dreiging",), lo=0, hi=4)
    urgency = bands(pr + ("urgentie",), False, False)

    # -- notes
    nt = ("opmerkingen",)
    notes_map = r.mapping(nt)
    r.unknown_keys(nt, notes_map, NOTE_KEYS)
    notes = {key: r.text(nt + (key,), fields=NOTE_FIELDS) for key in NOTE_KEYS}

    if r.problems:
        raise ValidationError(r.problems, summary="Fouten in de rekenregels (scoring.yaml):")
    return ScoringConfig(
        file=doc.file, default_weight=default_weight, threat_weights=weights,
        threat_levels=tuple(levels), floors=tuple(floors),
        min_known_threat=min_known, unknown_threat_level=unknown_level,
        unknown_threat_label=unknown_label, unknown_threat_meaning=unknown_meaning,
        max_unknown_share=max_unknown, default_base=default_base,
        default_importance=default_importance, step_thresholds=tuple(thresholds),
        default_steps=default_steps, components=comps, resilience_bands=tuple(res_bands),
        high_threat_from=high_from, sufficient_resilience_from=str(suff_from),
        quadrants=tuple(quads), unknown_gap=unknown_gap, unknown_gap_low_threat=unknown_gap_low,
        urgency=tuple(urgency), notes=notes,
    )


# --------------------------------------------------------------------------- answers


def answer_values(answers: Any) -> Mapping[str, Any]:
    """The answer values from an Answers object (`.values`) or a plain mapping."""
    if isinstance(answers, Mapping):
        return answers
    values = getattr(answers, "values", None)
    return values if isinstance(values, Mapping) else {}


AnswerContext = AnswersContext  # shared with the engine and scoring


def visible_values(q: Questionnaire, answers: Any) -> tuple[list[Question], dict[str, Any]]:
    """The visible questions in order, and the answers that count (hidden ones dropped).

    Conditions are evaluated in questionnaire order; an answer to a question that is
    itself hidden never makes another question visible.
    """
    raw = answer_values(answers)
    hidden: set[str] = set()

    class _Masked(AnswerContext):
        def answer(self, qid: str) -> Any:
            return None if qid in hidden else raw.get(qid)

    ctx = _Masked(raw)
    shown: list[Question] = []
    for qq in q.questions():
        if qq.condition is None or conditions.evaluate(qq.condition, ctx):
            shown.append(qq)
        else:
            hidden.add(qq.id)
    vals = {qq.id: raw[qq.id] for qq in shown if qq.id in raw}
    return shown, vals


def _is_value(v: Any) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


# --------------------------------------------------------------------------- score


def score(q: Questionnaire, answers: Any, config: ScoringConfig) -> results.Profile:
    """Answers -> Profile (threat, components, resilience, quadrant, confidence)."""
    shown, vals = visible_values(q, answers)
    shown_ids = {qq.id for qq in shown}

    unknown_ids = tuple(qq.id for qq in shown if vals.get(qq.id) == WEET_NIET)
    skipped_ids = tuple(qq.id for qq in shown if _is_empty(vals.get(qq.id)))

    threat = _threat(q, vals, shown_ids, config)
    comps = tuple(_component(s, vals, shown_ids, threat.level, config) for s in q.components())

    # Resilience: share of (applicable) components at their required level.
    applicable = [c for c in comps if c.status != STATUS_NA]
    share = (sum(1 for c in applicable if c.status == STATUS_OK) / len(applicable)
             if applicable else None)
    known_levels = [c.level for c in comps if c.level is not None]
    mean_level = round(sum(known_levels) / len(known_levels), 2) if known_levels else None
    band = _band(config.resilience_bands, share)

    # Confidence over every scored question shown: threat questions and statements.
    scored = [qq for qq in threat_questions(q) if qq.id in shown_ids]
    scored += [st for s in q.components() for st in s.statements() if st.id in shown_ids]
    counted = [qq for qq in scored if vals.get(qq.id) != NVT]
    known = sum(1 for qq in counted if _is_value(vals.get(qq.id)))
    confidence = known / len(counted) if counted else 0.0
    unknown_share = 1 - confidence if counted else 1.0
    threat_known_share = threat.known / threat.total if threat.total else 0.0
    low_conf = (threat_known_share < config.min_known_threat
                or unknown_share > config.max_unknown_share)

    quadrant = _quadrant(config, threat, band, low_conf)
    objectives = tuple(
        results.ObjectiveResult(qq.id, qq.text, vals.get(qq.id), qq.label_for(vals.get(qq.id)))
        for s in q.sections if s.kind == "doelstellingen" for qq in s.questions
        if qq.id in shown_ids and qq.kind == SCALE
    )
    return results.Profile(
        threat=threat,
        components=comps,
        resilience=mean_level,
        resilience_label=band.label if band else "Onbekend",
        quadrant=quadrant,
        confidence=round(confidence, 4),
        unknown_ids=unknown_ids,
        skipped_ids=skipped_ids,
        objectives=objectives,
        low_confidence=low_conf,
        resilience_share=None if share is None else round(share, 4),
        resilience_level=band.id if band else "onbekend",
        scored_total=len(counted),
        scored_unknown=len(counted) - known,
    )


def _threat(q: Questionnaire, vals: Mapping[str, Any], shown_ids: set[str],
            config: ScoringConfig) -> results.ThreatResult:
    questions = [qq for qq in threat_questions(q) if qq.id in shown_ids]
    total_w = weighted = 0.0
    known = 0
    unknown: list[str] = []
    total = 0
    floor_levels: list[str] = []
    for qq in questions:
        v = vals.get(qq.id)
        if v == NVT:
            continue
        total += 1
        if not _is_value(v):
            unknown.append(qq.id)
            continue
        known += 1
        top = _scale_max(q, qq)
        w = config.weight(qq.id)
        total_w += w
        weighted += w * (min(float(v), top) / top if top else 0.0)
        floor_levels += [f.level for f in config.floors
                         if f.question_id in (None, qq.id) and v >= f.answer_at_least]
    value = weighted / total_w if total_w else None
    level = config.threat_levels[0]
    if value is not None:
        for lv in config.threat_levels:
            if value >= lv.threshold - 1e-9:
                level = lv
    for fl in floor_levels:
        level = _max_level(config, level, fl)
    assumed = False
    share = known / total if total else 0.0
    if share < config.min_known_threat:
        raised = _max_level(config, level, config.unknown_threat_level)
        assumed = raised.id != level.id or value is None
        level = raised
    rank = config.level_rank(level.id) or 0
    return results.ThreatResult(
        level=level.id,
        label=config.unknown_threat_label if assumed else level.label,
        rank=rank,
        score=None if value is None else round(value, 4),
        known=known,
        unknown=len(unknown),
        total=total,
        unknown_ids=tuple(unknown),
        meaning=config.unknown_threat_meaning if assumed else level.meaning,
        assumed=assumed,
        phrase=level.phrase,
    )


def _max_level(config: ScoringConfig, level: ThreatLevel, other_id: str) -> ThreatLevel:
    other = config.level(other_id)
    return other if (config.level_rank(other.id) or 0) > (config.level_rank(level.id) or 0) \
        else level


def _scale_max(q: Questionnaire, qq: Question) -> int:
    if qq.options:
        try:
            return max(int(o.value) for o in qq.options)
        except (TypeError, ValueError):
            pass
    if qq.scale_id and qq.scale_id in q.scales:
        return q.scales[qq.scale_id].max_value
    return 4


def _component(s: Section, vals: Mapping[str, Any], shown_ids: set[str], threat_level: str,
               config: ScoringConfig) -> results.ComponentResult:
    statements = [st for st in s.statements() if st.id in shown_ids]
    scale_max = 4
    levels: list[tuple[float, float]] = []
    unknown: list[str] = []
    na = 0
    for st in statements:
        v = vals.get(st.id)
        if v == NVT:
            na += 1
        elif _is_value(v):
            levels.append((float(v), st.weight))
        else:
            unknown.append(st.id)
    if statements and statements[0].options:
        try:
            scale_max = max(int(o.value) for o in statements[0].options)
        except (TypeError, ValueError):
            scale_max = 4
    required = config.required_level(s.id, threat_level, scale_max)
    wsum = sum(w for _, w in levels)
    if levels and wsum > 0:
        level: float | None = round(sum(v * w for v, w in levels) / wsum, 2)
    elif levels:
        level = round(sum(v for v, _ in levels) / len(levels), 2)
    else:
        level = None
    if statements and na == len(statements):
        status, gap = STATUS_NA, None
    elif level is None:
        status, gap = STATUS_UNKNOWN, None
    else:
        gap = round(required - level, 2)
        status = STATUS_SHORT if gap > 0 else STATUS_OK
    return results.ComponentResult(
        id=s.id, title=s.title, level=level, required=required, gap=gap,
        answered=len(levels), unknown=len(unknown), not_applicable=na,
        total=len(statements), status=status, unknown_ids=tuple(unknown),
        base=config.component(s.id).base,
    )


def _band(bands: tuple[Band, ...], value: float | None) -> Band | None:
    if value is None or not bands:
        return None
    chosen = bands[0]
    for b in bands:
        if value >= b.threshold - 1e-9:
            chosen = b
    return chosen


def _quadrant(config: ScoringConfig, threat: results.ThreatResult, band: Band | None,
              low_conf: bool) -> results.Quadrant:
    if low_conf or band is None:
        qd = next(x for x in config.quadrants if x.uncertain)
    else:
        high = threat.rank >= (config.level_rank(config.high_threat_from) or 0)
        ids = [b.id for b in config.resilience_bands]
        ok = ids.index(band.id) >= ids.index(config.sufficient_resilience_from)
        qd = next(x for x in config.quadrants
                  if not x.uncertain and x.threat_high == high and x.resilience_ok == ok)
    return results.Quadrant(qd.id, qd.name, qd.meaning)
