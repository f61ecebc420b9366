"""The scales of a questionnaire (manifest `schalen`): options, 'weet niet' and 'nvt'."""

from __future__ import annotations

from typing import Any

from wizard.questionnaire import model
from wizard.questionnaire.modules import SLUG_RE, Collector, is_int

SCALE_REQUIRED = ("opties",)


SCALE_KEYS = ("omschrijving", "opties", "weet_niet", "nvt")


def parse_scales(c: Collector, data: Any, path: tuple) -> dict[str, model.Scale]:
    scales: dict[str, model.Scale] = {}
    if not isinstance(data, dict) or not data:
        c.add("", "'schalen' moet een of meer schalen met een naam bevatten", path,
              "Bijvoorbeeld 'schalen:' met daaronder 'volwassenheid:' en 'opties:'.")
        return scales
    for sid, spec in data.items():
        p = path + (sid,)
        where = f"schaal '{sid}'"
        if not isinstance(sid, str) or not SLUG_RE.match(sid):
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
    c: Collector, where: str, data: Any, p: tuple,
) -> tuple[model.Option, ...] | None:
    if data is None:
        return None
    if not isinstance(data, dict) or len(data) < 2:
        c.add(where, "'opties' moet minstens twee waarden hebben, zoals '0: Niet aanwezig'", p)
        return None
    out = []
    ok = True
    for k, label in data.items():
        if not is_int(k) or k < 0:
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
