"""The plan's agenda and support route, from the advice.

`agenda(ctx)`: the rows of the Uitvoeringsagenda — acute actions first ('Nu regelen'), then
the steps of every component that falls short (or whose level is unknown), most urgent
first. The advice gives each step as an `Action` (trekker, partners, termijn, inzet,
resultaat); where it leaves a field empty (or gives only `Priority.next_steps` text), the
plan fills it from plan.yaml 'agenda': a role, a term by urgency, an effort by register.

`route(ctx)`: the support bodies in the order to contact them, each with 'wanneer', and the
bodies that are 'ook beschikbaar'.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from wizard.assessment.results import Action, Priority, Recommendation
from wizard.plan.build_common import Ctx
from wizard.plan.text import one_line

ACUTE = "Nu regelen"
MAX_ROUTE = 4  # bodies on the route; the rest are 'ook beschikbaar'
MAINTAIN = 3  # components to keep up when nothing falls short


@dataclass(frozen=True)
class Row:
    onderdeel: str
    action: Action  # every field filled for display
    acute: bool = False


def needs_work(p: Priority) -> bool:
    """A component that falls short, or whose level is unknown (finding out is work)."""
    if p.status:
        return p.status in ("tekort", "onbekend")
    return p.gap is None or p.gap > 0


def _fill(ctx: Ctx, a: Action, prio: Priority | None) -> Action:
    t = ctx.texts
    term = a.term or ("nu" if a.acute else
                      t.get("agenda", "termijn").get(prio.urgency if prio else "middel",
                                                     t.get("agenda", "termijn")["middel"]))
    result = a.result
    if not result and prio is not None:
        result = t.text("agenda", "resultaat", onderdeel=prio.title,
                        nodig=str(prio.required), nu=ctx.level_short(prio.current))
    text = a.text
    if ctx.public and ctx.censor.leaks(text):  # the contract says public wording; make sure
        text = "Zie de vertrouwelijke bijlage."
    # An acute action's effort depends on the case: never a generic figure.
    effort = a.effort or ("nader te bepalen" if a.acute else t.get("agenda", "inzet")[ctx.register])
    return replace(a, text=one_line(text), owner=a.owner or t.text("agenda", "trekker"),
                   term=term, effort=effort, result=result or "—")


def _steps(p: Priority) -> list[Action]:
    if p.steps:
        return list(p.steps)
    return [Action(id=f"{p.component_id}-{i}", component_id=p.component_id, text=s)
            for i, s in enumerate(p.next_steps, start=1)]


def agenda(ctx: Ctx) -> list[Row]:
    adv = ctx.advice
    titles = {p.component_id: p.title for p in adv.priorities}
    rows = [Row(f"{ACUTE}: {titles[a.component_id]}" if a.component_id in titles else ACUTE,
                _fill(ctx, a, None), acute=True) for a in adv.acute]
    if adv.has_shortfall or any(map(needs_work, adv.priorities)):
        for p in sorted(adv.priorities, key=lambda p: p.rank):
            if not needs_work(p):
                continue
            rows += [Row(p.title, _fill(ctx, a, p)) for a in _steps(p)]  # the advice chose them
        return rows
    # Nothing falls short: keep up the components with the least room above their level.
    order = {c.id: i for i, c in enumerate(ctx.profile.components)}
    levels = {c.id: c for c in ctx.profile.components}
    keep = sorted((p for p in adv.priorities if levels.get(p.component_id) is not None
                   and levels[p.component_id].level is not None),
                  key=lambda p: ((levels[p.component_id].level or 0) - p.required,
                                 order.get(p.component_id, 0)))[:MAINTAIN]
    for p in keep:
        steps = _steps(p)[:1] or [Action(
            id=f"{p.component_id}-bijhouden", component_id=p.component_id,
            text=ctx.texts.text("agenda", "bijhouden", onderdeel=p.title))]
        rows += [Row(p.title, _fill(ctx, replace(a, term=a.term or "doorlopend"), p))
                 for a in steps]
    return rows


def maintained(ctx: Ctx) -> list[Priority]:
    """The components to keep up when nothing falls short (the agenda's order)."""
    seen: list[Priority] = []
    by_title = {p.title: p for p in ctx.advice.priorities}
    for r in agenda(ctx):
        p = by_title.get(r.onderdeel)
        if p is not None and p not in seen:
            seen.append(p)
    return seen


@dataclass(frozen=True)
class Stop:
    rec: Recommendation
    when: str


def route(ctx: Ctx) -> tuple[list[Stop], list[Recommendation]]:
    adv = ctx.advice
    recs = list(adv.recommendations)
    also = list(adv.also_available)
    if not also and len(recs) > MAX_ROUTE:  # the advice gave no route: the strongest four
        recs, also = recs[:MAX_ROUTE], recs[MAX_ROUTE:]
    acute_bodies = {b for a in adv.acute for b in a.support}
    stops = []
    for i, r in enumerate(recs):
        when = r.when
        if not when:
            if r.body_id in acute_bodies:
                when = "nu"
            elif adv.has_shortfall and i < 2:
                when = "dit kwartaal"
            else:
                when = "bij behoefte"
        stops.append(Stop(r, when))
    return stops, also
