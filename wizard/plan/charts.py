"""The plan's two figures and the chat's text chart.

- The quadrant figure (threat x resilience). The municipality's dot lies inside the cell of
  the quadrant the text names: the cell comes from the same rule scoring uses (threat level
  from `hoge_dreiging_vanaf`, resilience band from `voldoende_weerbaarheid_vanaf`), and the
  position inside the cell from the threat score and the share of components at level, each
  scaled between that cell's own thresholds. An unknown threat (or one assumed because too
  little is known) is drawn as unknown: a hatched band over the whole threat axis with a
  question mark, never as a dot at zero.
- The components figure: current level (solid bar) against the required level (hatched).

Each figure is a `figures.Scene`, drawn as SVG (plan.md, plan.html) and PNG (Word).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.assessment.results import Profile
from wizard.plan.document import Figure
from wizard.plan.figures import Circle, Label, Line, Rect, Scene, to_svg

QUADRANT_FILE = "plan-kwadrant.svg"
COMPONENTS_FILE = "plan-onderdelen.svg"
CHART_FILES = (QUADRANT_FILE, COMPONENTS_FILE)

MAX_LEVEL = 4  # the volwassenheid scale runs 0..4

# The four cells of the threat x resilience grid, in words (row: threat, column: resilience).
CELL_LABELS = {
    (True, False): ("Hoge dreiging,", "lage weerbaarheid"),
    (True, True): ("Hoge dreiging,", "hoge weerbaarheid"),
    (False, False): ("Lage dreiging,", "lage weerbaarheid"),
    (False, True): ("Lage dreiging,", "hoge weerbaarheid"),
}
LEFT, TOP, SIZE = 90, 40, 360  # the plot square
HALF = SIZE / 2
MARGIN = 22  # the dot (r 13) stays this far inside its cell


@dataclass(frozen=True)
class Grid:
    """What scoring.yaml says about the grid: where a row or column starts."""

    high_from: float  # threat score where the high row starts
    high_rank: int  # threat rank from which the row is 'high'
    ok_from: float  # resilience share where the right column starts
    cells: dict[str, tuple[bool, bool]]  # quadrant id -> (threat high, resilience ok)


def grid_from_config(config: Any) -> Grid:
    high_rank = config.level_rank(config.high_threat_from) or 0
    high_from = config.threat_levels[high_rank].threshold if config.threat_levels else 0.5
    ok_from = next((b.threshold for b in config.resilience_bands
                    if b.id == config.sufficient_resilience_from), 0.75)
    cells = {x.id: (bool(x.threat_high), bool(x.resilience_ok))
             for x in config.quadrants if not x.uncertain}
    return Grid(high_from, high_rank, ok_from, cells)


def _within(value: float, lo: float, hi: float) -> float:
    """value between lo and hi as 0..1 (clamped)."""
    if hi <= lo:
        return 0.5
    return max(0.0, min(1.0, (value - lo) / (hi - lo)))


def cell_rect(high: bool, ok: bool) -> tuple[float, float, float, float]:
    """(x, y, w, h) of a cell: high threat at the top, sufficient resilience on the right."""
    return (LEFT + (HALF if ok else 0), TOP + (0 if high else HALF), HALF, HALF)


def threat_known(profile: Profile) -> bool:
    return profile.threat.score is not None and not profile.threat.assumed


@dataclass(frozen=True)
class Marker:
    """Where the municipality is drawn: a dot (both known) or bands (what is unknown)."""

    x: float | None  # None: resilience unknown
    y: float | None  # None: threat unknown
    cell: tuple[bool, bool] | None  # the named quadrant's cell, None when uncertain


def marker(profile: Profile, grid: Grid) -> Marker:
    t = profile.threat
    high = t.rank >= grid.high_rank
    share = profile.resilience_share
    cell = grid.cells.get(profile.quadrant.id)
    ok = cell[1] if cell else (share is not None and share >= grid.ok_from)
    x = y = None
    if share is not None:
        f = _within(share, 0, grid.ok_from) if not ok else _within(share, grid.ok_from, 1)
        x = LEFT + (HALF if ok else 0) + MARGIN + f * (HALF - 2 * MARGIN)
    if threat_known(profile):
        score = float(t.score or 0.0)
        # A floor can lift the level above what the score says: the dot then sits at the
        # bottom of the high row, never outside it.
        f = _within(score, grid.high_from, 1) if high else _within(score, 0, grid.high_from)
        y = TOP + (0 if high else HALF) + HALF - MARGIN - f * (HALF - 2 * MARGIN)
    return Marker(x, y, cell)


def quadrant_scene(profile: Profile, gemeente: str, grid: Grid) -> Scene:
    t = profile.threat
    title = f"Dreiging en weerbaarheid van {gemeente}"
    desc = (f"{gemeente}: dreiging {t.label.lower()}, weerbaarheid "
            f"{profile.resilience_label.lower()}. Kwadrant: {profile.quadrant.name}.")
    sc = Scene(560, 484, title, desc, "kw")
    sc.add(Rect(0, 0, 560, 484, fill="#ffffff"))
    m = marker(profile, grid)
    for high in (True, False):
        for ok in (False, True):
            x, y, w, h = cell_rect(high, ok)
            named = m.cell == (high, ok)
            sc.add(Rect(x, y, w, h, fill="#dde6f0" if named else "#f4f4f4",
                        stroke="#333333", width=3 if named else 1.5,
                        hatch="#c4c4c4" if (high, ok) == (True, False) else ""))
            l1, l2 = CELL_LABELS[(high, ok)]
            cx = x + w / 2
            sc.add(Label(cx, y + 24, l1, 13, "middle", fill="#333333", halo=True),
                   Label(cx, y + 40, l2, 13, "middle", fill="#333333", halo=True))
    sc.add(Label(LEFT + HALF, TOP + SIZE + 32, "Weerbaarheid (laag → hoog)", 14, "middle"),
           Label(LEFT - 40, TOP + HALF, "Dreiging (laag → hoog)", 14, "middle", rotate=-90))
    unknown = []
    if m.y is None:  # unknown threat: a band over the whole threat axis, never a dot at 0
        unknown.append("dreiging onbekend")
        bx = (m.x - 16) if m.x is not None else LEFT
        bw = 32 if m.x is not None else SIZE
        sc.add(Rect(bx, TOP, bw, SIZE, fill="none", stroke="#000000", width=2, dash=True,
                    hatch="#7a7a7a"))
    if m.x is None:
        unknown.append("weerbaarheid onbekend")
        by = (m.y - 16) if m.y is not None else TOP
        bh = 32 if m.y is not None else SIZE
        sc.add(Rect(LEFT, by, SIZE, bh, fill="none", stroke="#000000", width=2, dash=True,
                    hatch="#7a7a7a"))
    if m.x is not None and m.y is not None:
        dash = m.cell is None  # known, but too uncertain for a quadrant
        sc.add(Circle(m.x, m.y, 9, fill="#000000", stroke="#ffffff", width=2),
               Circle(m.x, m.y, 13, stroke="#000000", width=2, dash=dash))
        px, py = m.x, m.y
    else:
        px = m.x if m.x is not None else LEFT + HALF
        py = m.y if m.y is not None else TOP + HALF
        sc.add(Circle(px, py, 15, fill="#ffffff", stroke="#000000", width=2),
               Label(px, py + 7, "?", 20, "middle", bold=True))
    label = gemeente + (f" ({', '.join(unknown)})" if unknown else "")
    anchor, lx = ("end", px - 20) if px > LEFT + HALF else ("start", px + 20)
    ly = py - 18 if py > TOP + 40 else py + 30
    sc.add(Label(lx, ly, label, 15, anchor, bold=True, halo=True),
           Label(280, 470, "Kwadrant: " + profile.quadrant.name, 13, "middle"))
    return sc


def components_scene(profile: Profile, gemeente: str) -> Scene:
    comps = profile.components
    label_w, bar_w = 250, 240
    row_h, top = 44, 64
    w = label_w + bar_w + 220
    h = top + row_h * max(1, len(comps)) + 30
    unit = bar_w / MAX_LEVEL
    parts = [f"{c.title}: nu {_nl(c.level)}, nodig {c.required}" for c in comps]
    desc = ("Schaal 0 tot 4. " + "; ".join(parts) + ".") if parts else "Geen onderdelen."
    sc = Scene(w, h, f"Niveau per onderdeel van {gemeente}: nu en nodig", desc, "od")
    sc.add(Rect(0, 0, w, h, fill="#ffffff"),
           Rect(10, 12, 22, 12, fill="#333333"),
           Label(38, 23, "nu (huidig niveau)", 13),
           Rect(190, 12, 22, 12, fill="#ffffff", stroke="#333333", hatch="#666666"),
           Label(218, 23, "nodig (gezien de dreiging)", 13))
    for i in range(MAX_LEVEL + 1):
        x = label_w + i * unit
        sc.add(Line(x, top - 8, x, top + row_h * len(comps), stroke="#dddddd"),
               Label(x, top - 12, str(i), 11, "middle", fill="#333333"))
    for i, c in enumerate(comps):
        y = top + i * row_h
        title = c.title if len(c.title) <= 34 else c.title[:33] + "…"
        sc.add(Label(label_w - 8, y + 22, title, 13, "end"),
               Rect(label_w, y + 4, max(0, c.required) * unit, 14, fill="#ffffff",
                    stroke="#333333", hatch="#666666"))
        if c.level is not None:
            sc.add(Rect(label_w, y + 20, max(0.0, min(MAX_LEVEL, c.level)) * unit, 14,
                        fill="#333333"))
        else:
            sc.add(Label(label_w + 4, y + 32, "onbekend", 12, italic=True))
        verdict = {"tekort": "tekort", "op orde": "op orde"}.get(c.status, "onbekend")
        sc.add(Label(label_w + bar_w + 10, y + 22,
                     f"nu {_nl(c.level)} / nodig {c.required}: {verdict}", 13))
    return sc


def _nl(x: float | None) -> str:
    return "onbekend" if x is None else f"{x:.1f}".replace(".", ",")


def alt_texts(profile: Profile, gemeente: str) -> dict[str, str]:
    """What each figure shows, in words (alt text and caption)."""
    short = [c for c in profile.components if c.status == "tekort"]
    t = profile.threat
    threat = "onbekend" if not threat_known(profile) else t.label.lower()
    return {
        QUADRANT_FILE: (f"Figuur: {gemeente} staat in het kwadrant '{profile.quadrant.name}' "
                        f"(dreiging {threat}, weerbaarheid {profile.resilience_label.lower()})"),
        COMPONENTS_FILE: (f"Figuur: niveau per onderdeel, nu en nodig; {len(short)} van "
                          f"{len(profile.components)} onderdelen hebben een tekort"),
    }


def figures(profile: Profile, gemeente: str, grid: Grid) -> dict[str, Figure]:
    """File name -> Figure (SVG and PNG from one scene), in a fixed order."""
    alts = alt_texts(profile, gemeente)
    scenes = {QUADRANT_FILE: (quadrant_scene(profile, gemeente, grid), 7.5),
              COMPONENTS_FILE: (components_scene(profile, gemeente), 11.5)}
    return {name: Figure(name, alts[name], to_svg(sc), sc, width)
            for name, (sc, width) in scenes.items()}


def text_chart(profile: Profile, width: int = 80, header: bool = True) -> str:
    """A compact chart in plain text (at most `width` columns), for the end of the chat.
    `header=False` leaves out the profile lines when the caller has just said them."""
    bar_len = 20
    name_w = max(10, width - bar_len - 30)
    lines = [
        f"Dreiging:     {profile.threat.label}",
        f"Weerbaarheid: {profile.resilience_label} ({_nl(profile.resilience)} van {MAX_LEVEL})",
        f"Kwadrant:     {profile.quadrant.name}",
        "",
    ] if header else []
    lines.append(f"{'Onderdeel':<{name_w}} {'0    1    2    3    4':<{bar_len + 1}}  nu / nodig")
    for c in profile.components:
        title = c.title if len(c.title) <= name_w else c.title[: name_w - 1] + "…"
        level = c.level if c.level is not None else 0.0
        filled = round(max(0.0, min(MAX_LEVEL, level)) * bar_len / MAX_LEVEL)
        req = round(c.required * bar_len / MAX_LEVEL)
        cells = []
        for i in range(bar_len):
            if c.level is not None and i < filled:
                cells.append("#")
            elif i < req:
                cells.append(".")
            else:
                cells.append(" ")
        # The required level is marked with '|' right after its last cell (overlaid, so
        # every bar stays aligned with the 0..4 ticks above).
        if req < bar_len:
            cells[req] = "|"
        else:
            cells.append("|")
        bar = "".join(cells)
        mark = {"tekort": "tekort", "op orde": "ok"}.get(c.status, "?")
        now = _nl(c.level) if c.level is not None else " ? "
        line = f"{title:<{name_w}} {bar:<{bar_len + 1}}  {now:>3} / {c.required}  {mark}"
        lines.append(line[:width].rstrip())
    lines.append("")
    lines.append("# = nu, . = nog nodig, | = vereist niveau, ? = onbekend")
    return "\n".join(line[:width] for line in lines) + "\n"
