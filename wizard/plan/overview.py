"""A regional overview over several municipalities' results (for overzicht.md).

It answers three questions for a region or an adviser:
- where is the region as a whole weak (components most often short)?
- which components are a top priority for several municipalities at once
  (candidates for regional cooperation)?
- which support bodies are needed most?

Privacy (AVG; see DOMAIN.md "avoid counts so small they identify someone"): a count that
rests on threat answers (the threat level, or a recommendation whose reasons cite a threat
question or a confidential answer) is shown as "minder dan 3" when it is 1 or 2, and such
counts are never broken down per municipality. Organisational findings (which components
are short) name the municipalities, because that is what cooperation needs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from wizard.assessment.results import Advice, Profile

SMALL_COUNT = 3  # threat-related counts below this are shown as "minder dan 3"
TOP_PRIORITIES = 3  # the plan's priorities: advice.top(3)
SHARED_FROM = 2  # a priority shared by at least this many municipalities is 'shared'
THREAT_PREFIX = "dreiging."


def small(n: int, threshold: int = SMALL_COUNT) -> str:
    """A threat-related count, safe to publish: 0, 'minder dan 3', or the number."""
    if n == 0:
        return "0"
    if n < threshold:
        return f"minder dan {threshold}"
    return str(n)


def _esc(value: Any) -> str:
    from wizard.plan.render import md_cell

    return md_cell(value)


def _name(answers: Any) -> str:
    return str(answers.values.get("intake.gemeente") or "(naam onbekend)")


def _threat_related(rec: Any) -> bool:
    for r in rec.reasons:
        if getattr(r, "confidential", False):
            return True
        if any(str(qid).startswith(THREAT_PREFIX) for qid in r.question_ids):
            return True
    return False


def regional_overview_markdown(items: Sequence[tuple[Any, Any, Profile, Advice]],
                               heading_level: int = 2) -> str:
    """Dutch Markdown section(s) for several (q, answers, profile, advice) of one region."""
    H = "#" * heading_level
    H2 = "#" * (heading_level + 1)
    items = sorted(items, key=lambda it: _name(it[1]).casefold())
    n = len(items)
    out = [f"{H} Regionaal beeld", ""]
    if n == 0:
        return "\n".join(out + ["Er zijn geen plannen om samen te vatten.", ""])
    out += [(f"Samengevat over {n} {'gemeente' if n == 1 else 'gemeenten'}. Aantallen die op "
            f"de dreigingsvragen rusten, staan er als 'minder dan {SMALL_COUNT}' wanneer ze "
            f"kleiner zijn dan {SMALL_COUNT}, zodat geen gemeente of casus herkenbaar is."), ""]

    # Threat levels: counts only, never which municipality.
    levels: dict[int, tuple[str, int]] = {}
    for _, _, profile, _ in items:
        t = profile.threat
        label, count = levels.get(t.rank, (t.label, 0))
        levels[t.rank] = (label, count + 1)
    out += [f"{H2} Dreiging in de regio", "", "| Dreiging | Aantal gemeenten |", "|---|---|"]
    for rank in sorted(levels, reverse=True):
        label, count = levels[rank]
        out.append(f"| {_esc(label)} | {small(count)} |")
    out.append("")

    # Weak components: how many municipalities are short, and which.
    short: dict[str, list[str]] = defaultdict(list)
    titles: dict[str, str] = {}
    order: dict[str, int] = {}
    gaps: dict[str, list[float]] = defaultdict(list)
    for _, answers, profile, _ in items:
        for i, c in enumerate(profile.components):
            titles.setdefault(c.id, c.title)
            order.setdefault(c.id, i)
            if c.status == "tekort":
                short[c.id].append(_name(answers))
                if c.gap is not None:
                    gaps[c.id].append(c.gap)
    out += [f"{H2} Waar de regio zwak staat", ""]
    if not short:
        out += ["Geen enkel onderdeel heeft bij een gemeente een tekort.", ""]
    else:
        out += ["Onderdelen waarop gemeenten een tekort hebben, meest voorkomend eerst.", "",
                "| Onderdeel | Gemeenten met tekort | Gemiddeld tekort | Gemeenten |",
                "|---|---|---|---|"]
        ranked = sorted(short, key=lambda cid: (-len(short[cid]), order[cid]))
        for cid in ranked:
            names = short[cid]
            g = gaps.get(cid) or []
            mean = f"{sum(g) / len(g):.1f}".replace(".", ",") if g else "onbekend"
            out.append(f"| {_esc(titles[cid])} | {len(names)} van {n} | {mean} | "
                       f"{_esc(', '.join(sorted(names, key=str.casefold)))} |")
        out.append("")

    # Shared priorities: candidates for regional cooperation.
    shared: dict[str, list[str]] = defaultdict(list)
    for _, answers, _, advice in items:
        if not advice.has_shortfall:  # nothing short: 'bijhouden', not a priority
            continue
        for p in advice.top(TOP_PRIORITIES):
            if p.status and p.status not in ("tekort", "onbekend"):
                continue
            shared[p.component_id].append(_name(answers))
            titles.setdefault(p.component_id, p.title)
            order.setdefault(p.component_id, len(order))
    common = [cid for cid in shared if len(shared[cid]) >= SHARED_FROM]
    out += [f"{H2} Samen oppakken", ""]
    if not common:
        out += [f"Geen onderdeel is bij {SHARED_FROM} of meer gemeenten een topprioriteit.", ""]
    else:
        out += [(f"Deze onderdelen zijn bij {SHARED_FROM} of meer gemeenten een topprioriteit "
                "(top 3). Hier kan regionale samenwerking lonen: samen een training, een "
                "gedeelde adviseur of één regionaal beeld."), ""]
        for cid in sorted(common, key=lambda c: (-len(shared[c]), order[c])):
            joined = ", ".join(sorted(shared[cid], key=str.casefold))
            out.append(f"- **{_esc(titles[cid])}**: {len(shared[cid])} gemeenten ({joined})")
        out.append("")

    # Support bodies needed most.
    counts: Counter[str] = Counter()
    sensitive: set[str] = set()
    names_by_id: dict[str, str] = {}
    for _, _, _, advice in items:
        for r in advice.recommendations:
            counts[r.body_id] += 1
            names_by_id.setdefault(r.body_id, r.name)
            if _threat_related(r):
                sensitive.add(r.body_id)
    out += [f"{H2} Meest gevraagde ondersteuning", ""]
    if not counts:
        out += ["Geen enkele gemeente krijgt externe ondersteuning aanbevolen.", ""]
    else:
        out += ["| Ondersteuning | Aanbevolen bij |", "|---|---|"]
        for bid in sorted(counts, key=lambda b: (-counts[b], names_by_id[b].casefold())):
            shown = small(counts[bid]) if bid in sensitive else str(counts[bid])
            out.append(f"| {_esc(names_by_id[bid])} | {shown} van {n} gemeenten |")
        out.append("")
        if sensitive:
            out += [(f"Aanbevelingen die (ook) op dreigingsantwoorden rusten, tellen we zonder "
                    f"gemeentenamen en als 'minder dan {SMALL_COUNT}' bij kleine aantallen."), ""]
    return "\n".join(out).rstrip() + "\n"


def overview_items(results: Iterable[tuple[Any, Any, Profile, Advice]]) -> list:
    """Convenience for callers that collect results as they go."""
    return list(results)
