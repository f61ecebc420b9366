"""Scoring configuration: scoring.yaml read and validated (file:line) into frozen dataclasses.

`load_config(q)` reads questionnaires/scoring.yaml (Dutch keys, every number explained
there). The threat themes, floors and gaps are read by `wizard.assessment.threat`; the
computation itself is in `scoring.score`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wizard.assessment.reader import Reader, config_path
from wizard.errors import ValidationError
from wizard.files.yamlio import YamlDoc, load_yaml
from wizard.questionnaire.conditions import yes_no
from wizard.questionnaire.model import SCALE, Question, Questionnaire

STEP_BANDS = ("beginnen", "opbouwen", "borgen")
UNKNOWN_BAND = "onbekend"
STEP_FIELDS = ("titel", "niveau", "nodig", "dreiging")
NOTE_KEYS = ("onzeker_beeld", "dreiging_onbekend", "basis_eerst", "urgent")
OPTIONAL_NOTE_KEYS = ("gaten", "grensgeval", "ondergrens", "bijhouden")
NOTE_FIELDS = ("onbekend", "totaal", "dreiging", "vragen", "niveau")

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
    reason: str = ""  # Dutch, may name the fact (annex)
    public: str = ""  # Dutch, general terms (public plan)


@dataclass(frozen=True)
class Theme:
    """A threat theme: the questions that make it present and the components it raises."""

    id: str
    label: str  # general terms, fit for the public plan
    questions: Mapping[str, float]  # question id -> answer from which the theme is present
    raises: Mapping[str, int]  # component id -> levels added when present
    heavy: bool = False  # 'weet niet' here is a gap in the threat picture
    gap_raises: Mapping[str, int] = field(default_factory=dict)  # when a heavy question is a gap


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
    themes: tuple[Theme, ...] = ()
    borderline_margin: float = 0.0  # a score this close under a threshold is 'borderline'
    uncertain_first: str = ""  # component that ranks first when the picture is uncertain
    theme_weight: float = 0.0  # priority score x (1 + theme_weight x raise by themes)

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

    def required_level(self, cid: str, threat_level: str, scale_max: int = 4,
                       extra: int = 0) -> int:
        """base + the threat level's rise + `extra` (the raises of the themes present),
        never above the scale maximum and never below the base."""
        comp = self.component(cid)
        rise = comp.rise.get(threat_level) if comp.rise else None
        if rise is None:
            rise = self.level(threat_level).rise
        return max(comp.base, min(scale_max, comp.base + rise + extra))

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


def threat_questions(q: Questionnaire) -> list[Question]:
    return [qq for s in q.sections if s.kind == "dreiging" for qq in s.questions
            if qq.kind == SCALE]


def load_config(q: Questionnaire, path: str | Path | None = None) -> ScoringConfig:
    """Read and validate scoring.yaml. ValidationError lists every problem with file:line."""
    doc = load_yaml(path or config_path(q, "scoring"), what="rekenregels (scoring.yaml)")
    return parse_config(doc, q)


def parse_config(doc: YamlDoc, q: Questionnaire) -> ScoringConfig:
    r = Reader(doc)
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
        "onbekend_label", "onbekend_betekenis", "themas", "grensmarge"))
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
        r.unknown_keys(p, item, ("vraag", "antwoord_minstens", "dan_minstens", "reden",
                                 "openbaar"))
        fq = item.get("vraag")
        if fq is not None and fq not in threat_ids:
            r.bad(p + ("vraag",), f"onbekende dreigingsvraag '{fq}'",
                  "Gebruik het id van een vraag uit de dreigingsmodule (bijv. dreiging.casussen).")
        at_least = r.number(p + ("antwoord_minstens",), lo=0)
        if at_least == 0:  # would let 'weet niet' count lower than an answer of 0
            r.bad(p + ("antwoord_minstens",), "'antwoord_minstens' moet groter dan 0 zijn")
        floors.append(Floor(None if fq is None else str(fq), at_least,
                            level_ref(p + ("dan_minstens",)) or "",
                            r.text(p + ("reden",), required=False),
                            r.text(p + ("openbaar",), required=False)))
    min_known = r.number(d + ("minimaal_bekend",), 0.5, lo=0, hi=1)
    unknown_level = level_ref(d + ("bij_onbekend",)) or ""
    unknown_label = r.text(d + ("onbekend_label",))
    unknown_meaning = r.text(d + ("onbekend_betekenis",))
    margin = r.number(d + ("grensmarge",), 0.0, lo=0, hi=0.5)
    themes = _themes(r, d + ("themas",), threat_ids, {s.id for s in q.components()})

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
    for i, rb in enumerate(res_bands):
        if rb.threshold > 1:
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
                                       "urgentie", "bij_onzeker_eerst", "thema_zwaarte"))
    theme_weight = r.number(pr + ("thema_zwaarte",), 0.0, lo=0, hi=5)
    first = r.text(pr + ("bij_onzeker_eerst",), required=False)
    if first and first not in {s.id for s in q.components()}:
        r.bad(pr + ("bij_onzeker_eerst",), f"onbekend onderdeel '{first}'",
              "Gebruik het id van een onderdeel, bijvoorbeeld lokaal-beeld.")
    unknown_gap = r.number(pr + ("onbekend_tekort",), lo=0, hi=4)
    unknown_gap_low = r.number(pr + ("onbekend_tekort_lage_dreiging",), lo=0, hi=4)
    urgency = bands(pr + ("urgentie",), False, False)

    # -- notes
    nt = ("opmerkingen",)
    notes_map = r.mapping(nt)
    r.unknown_keys(nt, notes_map, NOTE_KEYS + OPTIONAL_NOTE_KEYS)
    notes = {key: r.text(nt + (key,), fields=NOTE_FIELDS) for key in NOTE_KEYS}
    notes.update({key: r.text(nt + (key,), required=False, fields=NOTE_FIELDS)
                  for key in OPTIONAL_NOTE_KEYS})

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
        urgency=tuple(urgency), notes=notes, themes=themes, borderline_margin=margin,
        uncertain_first=first, theme_weight=theme_weight,
    )


def _themes(r: Reader, path: tuple, threat_ids: set[str],
            component_ids: set[str]) -> tuple[Theme, ...]:
    """dreiging.themas: each theme names its questions (with the answer from which it is
    present) and the components it raises. A question belongs to at most one theme."""
    out: list[Theme] = []
    owner: dict[str, str] = {}

    def raises(p: tuple) -> dict[str, int]:
        got: dict[str, int] = {}
        for cid in r.mapping(p, required=False):
            if cid not in component_ids:
                r.bad(p + (cid,), f"onbekend onderdeel '{cid}'",
                      "Gebruik het id van een onderdeel (een rij van het sjabloon), "
                      "bijvoorbeeld persoonsgerichte-aanpak-pga-r.")
                continue
            got[cid] = int(r.number(p + (cid,), lo=0, hi=4, integer=True))
        return got

    for i, _ in enumerate(r.seq(path, required=False)):
        p = path + (i,)
        item = r.mapping(p)
        r.unknown_keys(p, item, ("id", "label", "vragen", "zwaar", "verhoogt",
                                 "bij_weet_niet_verhoogt"))
        tid = r.text(p + ("id",))
        if tid and any(t.id == tid for t in out):
            r.bad(p + ("id",), f"thema '{tid}' komt twee keer voor")
        questions: dict[str, float] = {}
        vm = r.mapping(p + ("vragen",))
        if not vm and isinstance(item.get("vragen"), dict):
            r.bad(p + ("vragen",), f"thema '{tid}' heeft geen vragen")
        for qid in vm:
            if qid not in threat_ids:
                r.bad(p + ("vragen", qid), f"onbekende dreigingsvraag '{qid}'",
                      "Gebruik het id van een vraag uit de dreigingsmodule "
                      "(bijv. dreiging.terugkeerders).")
                continue
            if qid in owner:
                r.bad(p + ("vragen", qid), f"vraag '{qid}' hoort al bij thema '{owner[qid]}'",
                      "Een dreigingsvraag hoort bij één thema.")
                continue
            owner[qid] = tid
            at = r.number(p + ("vragen", qid), lo=0)
            if at == 0:  # 'weet niet' would then never be weaker than an answer of 0
                r.bad(p + ("vragen", qid), "het antwoord vanaf welk het thema speelt moet "
                      "groter dan 0 zijn")
            questions[qid] = at
        out.append(Theme(tid, r.text(p + ("label",)), questions, raises(p + ("verhoogt",)),
                         r.flag(p + ("zwaar",)), raises(p + ("bij_weet_niet_verhoogt",))))
    return tuple(out)


