"""The small rule language shared by question conditions (`toon_als`) and advice rules (`als`).

Written in YAML with Dutch keys so a non-programmer can read and change it:

    vraag: dreiging.polarisatie   # an answer ...
    minstens: 2                   # ... is at least 2   (also: is, niet_is, in, hoogstens,
                                  #     beantwoord: ja/nee, bevat: [woorden] for free text:
                                  #     one of the words occurs, ignoring case)
    alle: [ ... ]                 # all of the conditions hold
    een_van: [ ... ]              # at least one holds
    niet: { ... }                 # the condition does not hold
    dreiging: {minstens: verhoogd}            # threat level (advice rules only)
    component: {id: lokaal-beeld, niveau_onder: 2}  # component level (advice rules only;
                                  #     also: tekort_minstens, onbekend: ja)
    altijd: ja                    # always

`weet_niet` and `nvt` never satisfy a numeric comparison: an unknown threat is not a low
threat, and not a high one either. Test for them explicitly with `is: weet_niet`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from wizard.errors import Problem
from wizard.rules.reader import yes_no  # the strict ja/nee reading, shared with the rule files

ANSWER_OPS = ("is", "niet_is", "in", "minstens", "hoogstens", "beantwoord", "bevat")
COMPONENT_OPS = ("niveau_onder", "niveau_minstens", "tekort_minstens", "onbekend")
THREAT_OPS = ("minstens", "hoogstens", "is")


class Context(Protocol):
    """What a condition can look at. The engine provides only answers."""

    def answer(self, qid: str) -> Any: ...

    # Advice only (None when not available):
    def threat_rank(self, level: str) -> int | None: ...  # rank of a named level
    def current_threat_rank(self) -> int | None: ...
    def component_state(self, cid: str) -> Mapping[str, Any] | None: ...
    # keys: 'level' (float|None), 'gap' (float|None), 'unknown' (bool)


@dataclass(frozen=True)
class Fact:
    """One atom that made a condition true: used as a reason in advice."""

    kind: str  # 'vraag' | 'dreiging' | 'component' | 'altijd'
    ref: str  # question id, component id, or ''
    detail: str  # short Dutch description, e.g. "minstens 2"


def evaluate(cond: Mapping[str, Any] | None, ctx: Context) -> bool:
    return explain(cond, ctx) is not None


def explain(cond: Mapping[str, Any] | None, ctx: Context) -> list[Fact] | None:
    """The facts that make `cond` true, or None if it is false."""
    if cond is None:
        return []
    if "alle" in cond:
        facts: list[Fact] = []
        for sub in cond["alle"]:
            f = explain(sub, ctx)
            if f is None:
                return None
            facts += f
        return facts
    if "een_van" in cond:
        found: list[Fact] = []
        ok = False
        for sub in cond["een_van"]:
            f = explain(sub, ctx)
            if f is not None:
                ok = True
                found += f
        return found if ok else None
    if "niet" in cond:
        return [] if explain(cond["niet"], ctx) is None else None
    if "altijd" in cond:
        return [Fact("altijd", "", "altijd")] if as_bool(cond["altijd"]) else None
    if "vraag" in cond:
        return _answer_atom(cond, ctx)
    if "dreiging" in cond:
        return _threat_atom(cond["dreiging"], ctx)
    if "component" in cond:
        return _component_atom(cond["component"], ctx)
    return None


_YES = {"ja", "yes", "true", "waar"}
_NO = {"nee", "no", "false", "onwaar"}


def as_bool(v: Any) -> bool | None:
    """YAML reads `ja`/`nee` as text; accept them (and real booleans) as yes/no."""
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        low = v.strip().lower()
        if low in _YES:
            return True
        if low in _NO:
            return False
    return None


# Condition keys whose argument is yes/no: YAML reads `ja`/`nee` as text, the rule
# language expects a bool (bool("nee") would be True).
BOOL_CONDITION_KEYS = ("beantwoord", "altijd", "onbekend")


def normalise_condition(cond: Any) -> Any:
    """Turn ja/nee into bools where the rule language expects yes/no."""
    if isinstance(cond, list):
        return [normalise_condition(x) for x in cond]
    if not isinstance(cond, dict):
        return cond
    out = {}
    for k, v in cond.items():
        b = yes_no(v) if k in BOOL_CONDITION_KEYS else None
        out[k] = b if b is not None else normalise_condition(v)
    return out


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _answer_atom(cond: Mapping[str, Any], ctx: Context) -> list[Fact] | None:
    qid = cond["vraag"]
    value = ctx.answer(qid)
    answered = value is not None and value != ""
    checks: list[str] = []
    for op in ANSWER_OPS:
        if op not in cond:
            continue
        arg = cond[op]
        if op == "beantwoord":
            want = bool(as_bool(arg))
            ok = answered == want
            checks.append("beantwoord" if want else "niet beantwoord")
        elif not answered:
            return None
        elif op == "is":
            ok = value == arg
            checks.append(f"is {arg}")
        elif op == "niet_is":
            ok = value != arg
            checks.append(f"is niet {arg}")
        elif op == "in":
            ok = value in list(arg)
            checks.append("is " + " of ".join(str(a) for a in arg))
        elif op == "bevat":
            words = [arg] if isinstance(arg, str) else list(arg)
            text = value.casefold() if isinstance(value, str) else ""
            ok = any(str(w).casefold() in text for w in words)
            checks.append("bevat " + " of ".join(f"'{w}'" for w in words))
        elif op == "minstens":
            ok = _is_number(value) and value >= arg
            checks.append(f"minstens {arg}")
        else:  # hoogstens
            ok = _is_number(value) and value <= arg
            checks.append(f"hoogstens {arg}")
        if not ok:
            return None
    return [Fact("vraag", qid, ", ".join(checks) or "beantwoord")]


def _threat_atom(spec: Mapping[str, Any], ctx: Context) -> list[Fact] | None:
    current = ctx.current_threat_rank()
    if current is None:
        return None
    for op in THREAT_OPS:
        if op not in spec:
            continue
        rank = ctx.threat_rank(str(spec[op]))
        if rank is None:
            return None
        if op == "minstens" and not current >= rank:
            return None
        if op == "hoogstens" and not current <= rank:
            return None
        if op == "is" and current != rank:
            return None
    detail = ", ".join(f"{op.replace('_', ' ')} {spec[op]}" for op in THREAT_OPS if op in spec)
    return [Fact("dreiging", "", detail)]


def _component_atom(spec: Mapping[str, Any], ctx: Context) -> list[Fact] | None:
    cid = spec["id"]
    state = ctx.component_state(cid)
    if state is None:
        return None
    level, gap, unknown = state.get("level"), state.get("gap"), bool(state.get("unknown"))
    parts: list[str] = []
    if "onbekend" in spec:
        want = bool(as_bool(spec["onbekend"]))
        if unknown != want:
            return None
        parts.append("niveau onbekend" if want else "niveau bekend")
    if "niveau_onder" in spec:
        if level is None or not level < spec["niveau_onder"]:
            return None
        parts.append(f"niveau onder {spec['niveau_onder']}")
    if "niveau_minstens" in spec:
        if level is None or not level >= spec["niveau_minstens"]:
            return None
        parts.append(f"niveau minstens {spec['niveau_minstens']}")
    if "tekort_minstens" in spec:
        if gap is None or not gap >= spec["tekort_minstens"]:
            return None
        parts.append(f"tekort minstens {spec['tekort_minstens']}")
    return [Fact("component", cid, ", ".join(parts))]


def check(
    cond: Any,
    *,
    file: str,
    line_of: Any,
    path: tuple,
    question_ids: set[str] | None = None,
    component_ids: set[str] | None = None,
    threat_levels: set[str] | None = None,
    allow_advice_terms: bool = False,
    where: str = "",
) -> list[Problem]:
    """Validate the structure of a condition. `line_of(*path)` gives a line number.

    Reports unknown keys, unknown question/component ids and wrong argument types.
    """
    problems: list[Problem] = []
    prefix = f"{where}: " if where else ""

    def bad(msg: str, p: tuple, hint: str | None = None) -> None:
        problems.append(Problem(prefix + msg, file, line_of(*p), hint))

    def walk(c: Any, p: tuple) -> None:
        if not isinstance(c, dict):
            bad("een voorwaarde moet een lijst van sleutels zijn (bijv. 'vraag: ...')", p)
            return
        if "alle" in c or "een_van" in c:
            key = "alle" if "alle" in c else "een_van"
            if len(c) != 1:
                bad(f"'{key}' staat alleen; zet andere sleutels in de lijst eronder", p)
            items = c[key]
            if not isinstance(items, list) or not items:
                bad(f"'{key}' moet een niet-lege lijst van voorwaarden zijn", p + (key,))
                return
            for i, sub in enumerate(items):
                walk(sub, p + (key, i))
            return
        if "niet" in c:
            if len(c) != 1:
                bad("'niet' staat alleen", p)
            walk(c["niet"], p + ("niet",))
            return
        if "altijd" in c:
            if len(c) != 1 or as_bool(c["altijd"]) is None:
                bad("'altijd' staat alleen, met de waarde ja of nee", p)
            return
        if "vraag" in c:
            qid = c["vraag"]
            if not isinstance(qid, str):
                bad("'vraag' moet een vraag-id zijn", p + ("vraag",))
            elif question_ids is not None and qid not in question_ids:
                bad(
                    f"onbekende vraag '{qid}'",
                    p + ("vraag",),
                    "Gebruik een id uit de vragenlijst (zelfscan blank toont ze allemaal).",
                )
            extra = set(c) - {"vraag", *ANSWER_OPS}
            for k in sorted(extra, key=str):
                bad(f"onbekende sleutel '{k}' in voorwaarde", p + (k,),
                    "Toegestaan: " + ", ".join(ANSWER_OPS) + ".")
            for op in ("minstens", "hoogstens"):
                if op in c and not _is_number(c[op]):
                    bad(f"'{op}' moet een getal zijn", p + (op,))
            if "in" in c and not isinstance(c["in"], list):
                bad("'in' moet een lijst zijn", p + ("in",))
            if "bevat" in c and not (
                    isinstance(c["bevat"], str) and c["bevat"].strip()
                    or isinstance(c["bevat"], list) and c["bevat"]
                    and all(isinstance(w, str) and w.strip() for w in c["bevat"])):
                bad("'bevat' moet een woord of een lijst van woorden zijn", p + ("bevat",))
            if "beantwoord" in c and as_bool(c["beantwoord"]) is None:
                bad("'beantwoord' moet ja of nee zijn", p + ("beantwoord",))
            if not any(op in c for op in ANSWER_OPS):
                bad("voorwaarde op een vraag zonder toets (bijv. 'is' of 'minstens')", p)
            return
        if "dreiging" in c or "component" in c:
            key = "dreiging" if "dreiging" in c else "component"
            if not allow_advice_terms:
                bad(f"'{key}' kan alleen in adviesregels, niet in 'toon_als'", p + (key,))
                return
            spec = c[key]
            if not isinstance(spec, dict):
                bad(f"'{key}' moet sleutels hebben (bijv. 'minstens: verhoogd')", p + (key,))
                return
            ops = THREAT_OPS if key == "dreiging" else COMPONENT_OPS + ("id",)
            for k in spec:
                if k not in ops:
                    bad(f"onbekende sleutel '{k}' bij '{key}'", p + (key, k),
                        "Toegestaan: " + ", ".join(ops) + ".")
            if key == "dreiging" and threat_levels is not None:
                for op in THREAT_OPS:
                    if op in spec and str(spec[op]) not in threat_levels:
                        bad(f"onbekend dreigingsniveau '{spec[op]}'", p + (key, op),
                            "Bekende niveaus: " + ", ".join(sorted(threat_levels)) + ".")
            if key == "component":
                cid = spec.get("id")
                if not isinstance(cid, str):
                    bad("'component' heeft een 'id' nodig", p + (key,))
                elif component_ids is not None and cid not in component_ids:
                    bad(f"onbekend onderdeel '{cid}'", p + (key, "id"),
                        "Gebruik het id van een onderdeel uit de vragenlijst.")
            return
        bad("onbekende voorwaarde; verwacht 'vraag', 'alle', 'een_van', 'niet', 'dreiging', "
            "'component' of 'altijd'", p)

    walk(cond, path)
    return problems


class AnswersContext:
    """A Context over answers alone: what `toon_als` may look at (advice terms are absent)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def answer(self, qid: str) -> Any:
        return self.values.get(qid)

    def threat_rank(self, level: str) -> int | None:
        return None

    def current_threat_rank(self) -> int | None:
        return None

    def component_state(self, cid: str) -> Mapping[str, Any] | None:
        return None
