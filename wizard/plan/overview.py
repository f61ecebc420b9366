"""The batch overview (overzicht.md / .html): one row per plan, plus a regional picture.

The regional picture answers three questions for a region or an adviser: where is the
region weak, which components are a top priority for several municipalities at once
(candidates for cooperation), which support bodies are needed most.

Privacy (AVG; DOMAIN.md "avoid counts so small they identify someone"): the overview names
municipalities only next to organisational findings (resilience, components short,
priorities, support that rests on no threat answer). Everything that rests on threat
answers — the threat level, the quadrant, support advised because of the threat — is only
counted, never named per municipality, and a count of 1 or 2 is shown as "minder dan 3".
The threat table adds the protection a sum needs: when the hidden counts could be worked
out from the total and the other rows, more rows are hidden, or the table is left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wizard.assessment.results import Advice, Profile
from wizard.plan.agenda import needs_work
from wizard.plan.build_common import MARKINGS
from wizard.plan.document import (
    PUBLIC,
    Block,
    Document,
    ListBlock,
    Section,
    Text,
    bullets,
    inline,
    lazy_rows,
    para,
    table,
)
from wizard.plan.text import nl_number, one_line

TITLE = "Overzicht zelfscans radicalisering en extremisme"
SMALL_COUNT = 3  # threat-related counts below this are shown as "minder dan 3"
TOP_PRIORITIES = 3  # the plan's priorities: advice.top(3)
SHARED_FROM = 2  # a priority shared by at least this many municipalities is 'shared'
THREAT_PREFIX = "dreiging."
UNKNOWN = "Onbekend"
HIDDEN_SMALL = f"minder dan {SMALL_COUNT}"
HIDDEN_LARGE = f"{SMALL_COUNT} of meer"


def small(n: int, threshold: int = SMALL_COUNT) -> str:
    """A threat-related count, safe to publish: 0, 'minder dan 3', or the number."""
    if n == 0:
        return "0"
    if n < threshold:
        return f"minder dan {threshold}"
    return str(n)


def _name(answers: Any) -> str:
    return one_line(answers.values.get("intake.gemeente")) or "(naam onbekend)"


def threat_related(rec: Any) -> bool:
    """A recommendation that rests (also) on threat answers or confidential answers."""
    for r in rec.reasons:
        if getattr(r, "confidential", False):
            return True
        if any(str(qid).startswith(THREAT_PREFIX) for qid in r.question_ids):
            return True
    return False


def threat_row(profile: Profile) -> str:
    """The row a municipality counts in: its level, or 'Onbekend' when the level was
    assumed because too little is known (never counted as that assumed level)."""
    t = profile.threat
    return UNKNOWN if (t.assumed or t.score is None) else t.label


def open_priorities(advice: Advice) -> list[Any]:
    """The top priorities that still have work in them ([] when nothing falls short)."""
    if not (advice.has_shortfall or any(map(needs_work, advice.priorities))):
        return []
    return [p for p in advice.top(TOP_PRIORITIES) if needs_work(p)]


@dataclass(frozen=True)
class Summary:
    """What the overview needs of one plan, small enough to keep for thousands of plans
    (a batch keeps this, not the answers and advice: issue 17, flat memory)."""

    municipality: str
    threat_label: str  # threat_row()
    threat_rank: int  # -1 for 'Onbekend'
    resilience: str
    components: tuple[tuple[str, str, str, float | None], ...]  # id, title, status, gap
    priorities: tuple[tuple[str, str], ...]  # open_priorities(): component id, title
    recommendations: tuple[tuple[str, str, bool], ...]  # body id, name, threat_related()


def summary(municipality: str, profile: Profile, advice: Advice) -> Summary:
    label = threat_row(profile)
    return Summary(
        municipality, label, -1 if label == UNKNOWN else profile.threat.rank,
        profile.resilience_label,
        tuple((c.id, c.title, c.status, c.gap) for c in profile.components),
        tuple((p.component_id, p.title) for p in open_priorities(advice)),
        tuple((r.body_id, r.name, threat_related(r)) for r in advice.recommendations))


def summarize(answers: Any, profile: Profile, advice: Advice) -> Summary:
    return summary(_name(answers), profile, advice)


def _summaries(items: Sequence[Any]) -> list[Summary]:
    """Summaries, or (q, answers, profile, advice) items made into them."""
    return [it if isinstance(it, Summary) else summarize(it[1], it[2], it[3])
            for it in items]


# --------------------------------------------------------------------------- threat table


def publish_counts(counts: Sequence[int], total: int) -> list[str] | None:
    """Published values for rows that add up to `total`, or None when no safe table
    exists. A count of 1 or 2 is 'minder dan 3'; when those could be worked out from the
    total and the shown rows, the smallest shown rows become '3 of meer' until they cannot."""
    shown = ["" for _ in counts]
    primary = [i for i, c in enumerate(counts) if 0 < c < SMALL_COUNT]
    for i, c in enumerate(counts):
        shown[i] = HIDDEN_SMALL if i in primary else str(c)
    if not primary:
        return shown
    order = sorted((i for i in range(len(counts)) if i not in primary),
                   key=lambda i: (counts[i], i))
    for extra in range(len(order) + 1):
        for i in order[:extra]:
            shown[i] = HIDDEN_LARGE
        if all(len(feasible(shown, total, i)) >= 2 for i in primary):
            return shown
    return None


def _range(value: str, total: int) -> tuple[int, int]:
    if value == HIDDEN_SMALL:
        return 1, SMALL_COUNT - 1
    if value == HIDDEN_LARGE:
        return SMALL_COUNT, total
    return int(value), int(value)


def feasible(shown: Sequence[str], total: int, i: int) -> range:
    """The values row i can have, given every published value and the total (what a
    reader can work out)."""
    ranges = [_range(v, total) for v in shown]
    lo_others = sum(lo for j, (lo, _) in enumerate(ranges) if j != i)
    hi_others = sum(hi for j, (_, hi) in enumerate(ranges) if j != i)
    lo, hi = ranges[i]
    return range(max(lo, total - hi_others), min(hi, total - lo_others) + 1)


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class PlanRow:
    """One written plan: where it is and what it says (organisational parts only).
    `profile` and `advice` may be given as one `Summary` (as `summary`)."""

    municipality: str
    date: str
    folder: str
    profile: Profile | None = None
    advice: Advice | None = None
    summary: Summary | None = None

    def summed(self) -> Summary:
        if self.summary is not None:
            return self.summary
        assert self.profile is not None and self.advice is not None
        return summary(self.municipality, self.profile, self.advice)


def _plans_table(rows: Iterable[PlanRow]) -> list[Block]:
    """`rows`: a list, or a view that can be read more than once and is never held whole
    (a batch's plans, read back from disk: the table is made as it is written)."""
    hidden = any(threat for r in rows for _, _, threat in r.summed().recommendations)
    cells = (lambda: map(_plan_cells, rows)) if not isinstance(rows, (list, tuple)) else None
    blocks: list[Block] = [table(
        ("Gemeente", "Datum", "Map", "Weerbaarheid", "Prioriteiten", "Ondersteuning"),
        lazy_rows(cells) if cells is not None else [_plan_cells(r) for r in rows],
        widths=(2.2, 1.8, 2.2, 1.8, 5, 4), small=True, kind="overzicht")]
    note = ("De dreiging en wat daaruit volgt, staan in het plan van elke gemeente, niet in "
            "deze tabel: het regionale beeld telt ze alleen.")
    if hidden:
        note += (" Ondersteuning die op dreigingsantwoorden rust, staat daarom ook niet per "
                 "gemeente in de tabel.")
    blocks.append(para(note))
    return blocks


def _plan_cells(r: PlanRow) -> tuple[str, ...]:
    s = r.summed()
    bodies = [name for _, name, threat in s.recommendations if not threat]
    return (r.municipality, r.date or "—", r.folder, s.resilience,
            "; ".join(title for _, title in s.priorities) or "geen tekort: bijhouden",
            ", ".join(bodies) or "—")


def regional_section(items: Iterable[Any]) -> Section:
    """'Regionaal beeld' for several plans, one per municipality: `Summary`s, or
    (q, answers, profile, advice) items."""
    tally = RegionalTally()
    for it in sorted(_summaries(list(items)), key=lambda it: it.municipality.casefold()):
        tally.add(it)
    return tally.section()


class RegionalTally:
    """The regional picture, counted one plan at a time (a batch of thousands of plans
    reads them back from disk and never holds them all). Add the plans sorted by name
    (`municipality.casefold()`): names are listed, and first-seen titles kept, in that order."""

    def __init__(self) -> None:
        self.n = 0
        self.levels: dict[str, tuple[int, int]] = {}  # threat label -> (rank, count)
        self.titles: dict[str, str] = {}  # component id -> title
        self.order: dict[str, int] = {}  # component id -> place in the template
        self.short: dict[str, list[str]] = defaultdict(list)  # id -> municipalities
        self.gaps: dict[str, list[float]] = defaultdict(list)
        self.shared: dict[str, list[str]] = defaultdict(list)  # id -> top priority of
        self.shared_titles: dict[str, str] = {}
        self.shared_order: dict[str, int] = {}
        self.support: Counter[str] = Counter()
        self.sensitive: set[str] = set()
        self.names: dict[str, str] = {}  # body id -> name

    def add(self, it: Summary) -> None:
        self.n += 1
        rank = it.threat_rank
        self.levels[it.threat_label] = (rank, self.levels.get(it.threat_label, (rank, 0))[1] + 1)
        for i, (cid, title, status, gap) in enumerate(it.components):
            self.titles.setdefault(cid, title)
            self.order.setdefault(cid, i)
            self.shared_order.setdefault(cid, i)
            if status == "tekort":
                self.short[cid].append(it.municipality)
                if gap is not None:
                    self.gaps[cid].append(gap)
        for cid, title in it.priorities:
            self.shared[cid].append(it.municipality)
            self.shared_titles.setdefault(cid, title)
            self.shared_order.setdefault(cid, len(self.shared_order))
        for body_id, name, threat in it.recommendations:
            self.support[body_id] += 1
            self.names.setdefault(body_id, name)
            if threat:
                self.sensitive.add(body_id)

    def section(self) -> Section:
        n = self.n
        if n == 0:
            return Section("Regionaal beeld",
                           (para("Er zijn geen plannen om samen te vatten."),))
        intro = para(f"Samengevat over {n} {'gemeente' if n == 1 else 'gemeenten'}. Aantallen "
                     f"die op de dreigingsvragen rusten, staan er als '{HIDDEN_SMALL}' wanneer "
                     f"ze kleiner zijn dan {SMALL_COUNT}, zodat geen gemeente of casus "
                     "herkenbaar is.")
        return Section("Regionaal beeld", (intro,), (
            self._threat(), self._weak(), self._shared(), self._support()))

    def _threat(self) -> Section:
        n, levels = self.n, self.levels
        labels = sorted(levels, key=lambda k: (-levels[k][0] if levels[k][0] >= 0 else 99, k))
        counts = [levels[k][1] for k in labels]
        shown = publish_counts(counts, n) if n >= SMALL_COUNT else None
        if shown is None:
            return Section("Dreiging in de regio", (para(
                "De verdeling over de dreigingsniveaus wordt hier niet getoond: bij zo weinig "
                "gemeenten zou een klein aantal te herleiden zijn."),))
        blocks: list[Block] = [table(("Dreiging", "Aantal gemeenten"),
                                     list(zip(labels, shown)), widths=(3, 2))]
        if UNKNOWN in labels:
            blocks.append(para("'Onbekend': te weinig bekend over de dreiging; het plan van "
                               "die gemeenten gaat voorzichtigheidshalve uit van een verhoogde "
                               "dreiging."))
        return Section("Dreiging in de regio", tuple(blocks))

    def _weak(self) -> Section:
        short, order = self.short, self.order
        if not short:
            return Section("Waar de regio zwak staat", (
                para("Geen enkel onderdeel heeft bij een gemeente een tekort."),))
        rows = []
        for cid in sorted(short, key=lambda c: (-len(short[c]), order[c])):
            g = self.gaps.get(cid) or []
            rows.append((self.titles[cid], f"{len(short[cid])} van {self.n}",
                         nl_number(sum(g) / len(g)) if g else "onbekend",
                         ", ".join(sorted(short[cid], key=str.casefold))))
        return Section("Waar de regio zwak staat", (
            para("Onderdelen waarop gemeenten een tekort hebben, meest voorkomend eerst."),
            table(("Onderdeel", "Gemeenten met tekort", "Gemiddeld tekort", "Gemeenten"), rows,
                  widths=(4, 2, 2, 5))))

    def _shared(self) -> Section:
        shared, order = self.shared, self.shared_order
        common = [cid for cid in shared if len(shared[cid]) >= SHARED_FROM]
        if not common:
            return Section("Samen oppakken", (para(
                f"Geen onderdeel is bij {SHARED_FROM} of meer gemeenten een topprioriteit."),))
        lines = [inline(Text(self.shared_titles[cid], bold=True), f": {len(shared[cid])} "
                        "gemeenten (" + ", ".join(sorted(shared[cid], key=str.casefold)) + ")")
                 for cid in sorted(common, key=lambda c: (-len(shared[c]), order[c]))]
        return Section("Samen oppakken", (
            para(f"Deze onderdelen zijn bij {SHARED_FROM} of meer gemeenten een topprioriteit "
                 "(top 3). Hier kan regionale samenwerking lonen: samen een training, een "
                 "gedeelde adviseur of één regionaal beeld."), ListBlock(tuple(lines))))

    def _support(self) -> Section:
        n, counts, names = self.n, self.support, self.names
        if not counts:
            return Section("Meest gevraagde ondersteuning", (
                para("Geen enkele gemeente krijgt externe ondersteuning aanbevolen."),))
        rows = [(names[b], banded(counts[b], n) if b in self.sensitive else str(counts[b]))
                for b in sorted(counts, key=lambda b: (-counts[b], names[b].casefold()))]
        blocks: list[Block] = [table(("Ondersteuning",
                                      f"Aanbevolen bij (van de {n} gemeenten)"),
                                     rows, widths=(4, 2))]
        if self.sensitive:
            blocks.append(para("Aanbevelingen die (ook) op dreigingsantwoorden rusten, tellen "
                               f"we zonder gemeentenamen en als '{HIDDEN_SMALL}' bij kleine "
                               "aantallen."))
        return Section("Meest gevraagde ondersteuning", tuple(blocks))


def banded(count: int, n: int) -> str:
    """A threat-related count out of n whose complement is sensitive too: exact only from
    3 up to n - 3 ('minder dan 3' below, 'op minder dan 3 na alle' above)."""
    if count == 0:
        return "0"
    if count < SMALL_COUNT:
        return HIDDEN_SMALL
    if n - count < SMALL_COUNT:
        return f"op minder dan {SMALL_COUNT} na alle"
    return str(count)


def overview_document(rows: Sequence[PlanRow] | Iterable[PlanRow], failed: Sequence[str],
                      regional: Sequence[Any] | RegionalTally = ()) -> Document:
    """The overview of one batch run. `rows`: a list, or a view a batch reads back from disk
    (re-readable, with a length). `regional`: one item per municipality (the latest), or
    their tally; shown only when there are at least two."""
    blocks: list[Block] = [para("Dit overzicht vergelijkt de gemeenten uit één batch. Het plan "
                                "van elke gemeente staat in een eigen map naast dit bestand "
                                "(kolom 'Map').")]
    blocks += _plans_table(rows) if rows else [para("Er zijn in deze batch geen plannen "
                                                    "geschreven.")]
    sections: list[Section] = []
    if failed:
        sections.append(Section("Niet verwerkt", (
            para("De volgende bestanden konden niet worden verwerkt; de reden staat in de "
                 "uitvoer van de opdracht."), bullets(failed))))
    if isinstance(regional, RegionalTally):
        if regional.n >= 2:
            sections.append(regional.section())
    elif len(regional) >= 2:
        sections.append(regional_section(regional))
    return Document(TITLE, PUBLIC, MARKINGS[PUBLIC], tuple(blocks), tuple(sections),
                    subject=TITLE, toc=False)


def regional_overview_markdown(items: Sequence[Any]) -> str:
    """The regional section alone, as Markdown (for tests and callers that only want it)."""
    from wizard.plan import markdown_out

    doc = Document("Regionaal beeld", PUBLIC, MARKINGS[PUBLIC], (),
                   (regional_section(items),), toc=False)
    return markdown_out.render(doc)

