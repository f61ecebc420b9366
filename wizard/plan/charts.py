"""Charts for the plan: two SVG figures and a compact text chart for the chat.

Hand-written SVG rather than a plotting library, on purpose:
- no extra dependency (matplotlib & co. are tens of megabytes for two simple figures);
- deterministic bytes: the same profile always gives the same file (no timestamps, ids
  or float noise), so plans stay byte-identical for the same answers;
- tiny (a few KB) and readable as text, so it embeds in HTML as a data: URI;
- print- and greyscale-safe: meaning is carried by words, numbers and hatching, never
  by colour alone; every figure has role="img", <title> and <desc> for screen readers.

Public: `quadrant_svg(profile, gemeente)`, `components_svg(profile, gemeente)`,
`svg_data_uri(svg)`, `text_chart(profile)`, `chart_files(profile, gemeente)`,
`charts_markdown(profile, gemeente)`, `embed_chart_images(html, charts)`.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping

from wizard.assessment.results import Profile

QUADRANT_FILE = "plan-kwadrant.svg"
COMPONENTS_FILE = "plan-onderdelen.svg"

MAX_LEVEL = 4  # the volwassenheid scale runs 0..4
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"

# The four cells of the threat x resilience grid, in words (row: threat, column: resilience).
CELL_LABELS = {
    ("hoog", "laag"): ("Hoge dreiging,", "lage weerbaarheid"),
    ("hoog", "hoog"): ("Hoge dreiging,", "hoge weerbaarheid"),
    ("laag", "laag"): ("Lage dreiging,", "lage weerbaarheid"),
    ("laag", "hoog"): ("Lage dreiging,", "hoge weerbaarheid"),
}


def _num(x: float) -> str:
    """A fixed, short number for SVG coordinates (no float noise)."""
    s = f"{x:.1f}"
    return s.removesuffix(".0")


def _nl(x: float | None, digits: int = 1) -> str:
    """A Dutch decimal number (comma), or 'onbekend'."""
    if x is None:
        return "onbekend"
    return f"{x:.{digits}f}".replace(".", ",")


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def threat_position(profile: Profile) -> float | None:
    """Threat on a 0..1 axis: the threat score when known, otherwise None."""
    t = profile.threat
    if t.score is None:
        return None
    return max(0.0, min(1.0, float(t.score)))


def resilience_position(profile: Profile) -> float | None:
    r = profile.resilience
    if r is None:
        return None
    return max(0.0, min(1.0, float(r) / MAX_LEVEL))


def quadrant_svg(profile: Profile, gemeente: str) -> str:
    """The threat x resilience position as a 2x2 grid with the municipality as a point."""
    w, h = 560, 484
    left, top, size = 90, 40, 360  # plot square
    half = size / 2
    tx = threat_position(profile)
    rx = resilience_position(profile)
    title = f"Dreiging en weerbaarheid van {gemeente}"
    desc = (
        f"{gemeente}: dreiging {profile.threat.label.lower()}, weerbaarheid "
        f"{profile.resilience_label.lower()} ({_nl(profile.resilience)} van {MAX_LEVEL}). "
        f"Kwadrant: {profile.quadrant.name}."
    )
    out: list[str] = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-labelledby="kw-title kw-desc" '
        f'font-family="{FONT}">'),
        f'<title id="kw-title">{_esc(title)}</title>',
        f'<desc id="kw-desc">{_esc(desc)}</desc>',
        ('<defs><pattern id="kw-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" stroke="#bbbbbb" '
        'stroke-width="2"/></pattern></defs>'),
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    # Cells: the urgent one (high threat, low resilience) hatched so it shows in greyscale.
    for row, y in (("hoog", top), ("laag", top + half)):
        for col, x in (("laag", left), ("hoog", left + half)):
            fill = "url(#kw-hatch)" if (row, col) == ("hoog", "laag") else "#f2f2f2"
            out.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(half)}" height="{_num(half)}" '
                f'fill="{fill}" stroke="#333333" stroke-width="1.5"/>'
            )
            l1, l2 = CELL_LABELS[(row, col)]
            cx = x + half / 2
            out.append(
                f'<text x="{_num(cx)}" y="{_num(y + 24)}" text-anchor="middle" font-size="13" '
                f'fill="#333333"><tspan x="{_num(cx)}">{_esc(l1)}</tspan>'
                f'<tspan x="{_num(cx)}" dy="16">{_esc(l2)}</tspan></text>'
            )
    # Axes and their words.
    out.append(
        f'<text x="{_num(left + half)}" y="{_num(top + size + 32)}" text-anchor="middle" '
        f'font-size="14" fill="#000000">Weerbaarheid (laag → hoog)</text>'
    )
    out.append(
        f'<text x="{_num(left - 40)}" y="{_num(top + half)}" text-anchor="middle" '
        f'font-size="14" fill="#000000" transform="rotate(-90 {_num(left - 40)} '
        f'{_num(top + half)})">Dreiging (laag → hoog)</text>'
    )
    out.append(
        f'<text x="{_num(left)}" y="{_num(top + size + 16)}" font-size="11" '
        f'fill="#333333">0</text>'
    )
    out.append(
        f'<text x="{_num(left + size)}" y="{_num(top + size + 16)}" font-size="11" '
        f'text-anchor="end" fill="#333333">{MAX_LEVEL}</text>'
    )
    # The municipality. Unknown values sit on the middle line, drawn dashed and said in words.
    px = left + (rx if rx is not None else 0.5) * size
    py = top + size - (tx if tx is not None else 0.5) * size
    unknown = []
    if tx is None:
        unknown.append("dreiging onbekend")
    if rx is None:
        unknown.append("weerbaarheid onbekend")
    dash = ' stroke-dasharray="4 3"' if unknown else ""
    out.append(
        f'<circle cx="{_num(px)}" cy="{_num(py)}" r="9" fill="#000000" stroke="#ffffff" '
        f'stroke-width="2"{dash}/>'
    )
    out.append(
        f'<circle cx="{_num(px)}" cy="{_num(py)}" r="13" fill="none" stroke="#000000" '
        f'stroke-width="2"{dash}/>'
    )
    label = gemeente + (f" ({', '.join(unknown)})" if unknown else "")
    anchor, lx = ("end", px - 18) if px > left + half else ("start", px + 18)
    ly = py - 16 if py > top + 30 else py + 28
    out.append(
        f'<text x="{_num(lx)}" y="{_num(ly)}" text-anchor="{anchor}" font-size="15" '
        f'font-weight="bold" fill="#000000" stroke="#ffffff" stroke-width="4" '
        f'paint-order="stroke">{_esc(label)}</text>'
    )
    out.append(
        f'<text x="{_num(w / 2)}" y="{_num(h - 14)}" text-anchor="middle" font-size="13" '
        f'fill="#000000">{_esc("Kwadrant: " + profile.quadrant.name)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def components_svg(profile: Profile, gemeente: str) -> str:
    """Per component: current level (solid bar) against the required level (hatched bar)."""
    comps = profile.components
    label_w, bar_w, num_w = 250, 240, 200
    row_h, top = 44, 64
    w = label_w + bar_w + num_w + 20
    h = top + row_h * max(1, len(comps)) + 30
    unit = bar_w / MAX_LEVEL
    title = f"Niveau per onderdeel van {gemeente}: nu en nodig"
    parts = []
    for c in comps:
        parts.append(f"{c.title}: nu {_nl(c.level)}, nodig {c.required}")
    desc = "Schaal 0 tot 4. " + "; ".join(parts) + "." if parts else "Geen onderdelen."
    out: list[str] = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-labelledby="od-title od-desc" '
        f'font-family="{FONT}">'),
        f'<title id="od-title">{_esc(title)}</title>',
        f'<desc id="od-desc">{_esc(desc)}</desc>',
        ('<defs><pattern id="od-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#666666" '
        'stroke-width="1.5"/></pattern></defs>'),
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
        # Legend: words plus the same fills as the bars.
        '<rect x="10" y="12" width="22" height="12" fill="#333333"/>',
        '<text x="38" y="23" font-size="13" fill="#000000">nu (huidig niveau)</text>',
        '<rect x="190" y="12" width="22" height="12" fill="url(#od-hatch)" stroke="#333333"/>',
        '<text x="218" y="23" font-size="13" fill="#000000">nodig (gezien de dreiging)</text>',
    ]
    x0 = label_w
    # Scale ticks 0..4.
    for i in range(MAX_LEVEL + 1):
        x = x0 + i * unit
        out.append(
            f'<line x1="{_num(x)}" y1="{top - 8}" x2="{_num(x)}" '
            f'y2="{_num(top + row_h * len(comps))}" stroke="#dddddd" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_num(x)}" y="{top - 12}" text-anchor="middle" font-size="11" '
            f'fill="#333333">{i}</text>'
        )
    for i, c in enumerate(comps):
        y = top + i * row_h
        title_text = c.title if len(c.title) <= 34 else c.title[:33] + "…"
        out.append(
            f'<text x="{label_w - 8}" y="{_num(y + 22)}" text-anchor="end" font-size="13" '
            f'fill="#000000">{_esc(title_text)}</text>'
        )
        out.append(
            f'<rect x="{_num(x0)}" y="{_num(y + 4)}" width="{_num(c.required * unit)}" '
            f'height="14" fill="url(#od-hatch)" stroke="#333333" stroke-width="1"/>'
        )
        if c.level is not None:
            out.append(
                f'<rect x="{_num(x0)}" y="{_num(y + 20)}" '
                f'width="{_num(max(0.0, min(MAX_LEVEL, c.level)) * unit)}" height="14" '
                f'fill="#333333"/>'
            )
        else:
            out.append(
                f'<text x="{_num(x0 + 4)}" y="{_num(y + 32)}" font-size="12" '
                f'font-style="italic" fill="#000000">onbekend</text>'
            )
        verdict = {"tekort": "tekort", "op orde": "op orde"}.get(c.status, "onbekend")
        out.append(
            f'<text x="{_num(x0 + bar_w + 10)}" y="{_num(y + 22)}" font-size="13" '
            f'fill="#000000">nu {_nl(c.level)} / nodig {c.required}: {_esc(verdict)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def chart_files(profile: Profile, gemeente: str) -> dict[str, str]:
    """File name -> SVG text, in a fixed order."""
    return {
        QUADRANT_FILE: quadrant_svg(profile, gemeente),
        COMPONENTS_FILE: components_svg(profile, gemeente),
    }


def alt_texts(profile: Profile, gemeente: str) -> dict[str, str]:
    """Short alternative texts for the two figures (Markdown image alt / HTML alt)."""
    short = [c for c in profile.components if c.status == "tekort"]
    return {
        QUADRANT_FILE: (
            f"Figuur: {gemeente} staat in het kwadrant '{profile.quadrant.name}' "
            f"(dreiging {profile.threat.label.lower()}, weerbaarheid "
            f"{profile.resilience_label.lower()})"
        ),
        COMPONENTS_FILE: (
            f"Figuur: niveau per onderdeel, nu en nodig; {len(short)} van "
            f"{len(profile.components)} onderdelen hebben een tekort"
        ),
    }


def charts_markdown(profile: Profile, gemeente: str) -> str:
    """Markdown that shows both figures (references to the SVG files next to plan.md)."""
    alts = alt_texts(profile, gemeente)
    lines = []
    for name in (QUADRANT_FILE, COMPONENTS_FILE):
        alt = alts[name].replace("[", "(").replace("]", ")")
        lines.append(f"![{alt}]({name})")
        lines.append("")
    return "\n".join(lines)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')


def embed_chart_images(html_text: str, charts: Mapping[str, str]) -> str:
    """Replace <img src="plan-*.svg"> by inline data: URIs, so plan.html stands alone.

    Run after sanitising: the sanitiser may drop data: URIs, and the content is ours.
    The CSP of plan.html allows `img-src data:`.
    """

    def repl(m: re.Match[str]) -> str:
        src = html.unescape(m.group(2))
        if src in charts:
            return m.group(1) + svg_data_uri(charts[src]) + m.group(3)
        return m.group(0)

    return _IMG_SRC.sub(repl, html_text)


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
        cells = []
        level = c.level if c.level is not None else 0.0
        filled = round(max(0.0, min(MAX_LEVEL, level)) * bar_len / MAX_LEVEL)
        req = round(c.required * bar_len / MAX_LEVEL)
        for i in range(bar_len):
            if c.level is not None and i < filled:
                cells.append("#")
            elif i < req:
                cells.append(".")
            else:
                cells.append(" ")
        # The required level is marked with '|' right after its last cell.
        # Overlay (not insert) so every bar stays aligned with the 0..4 ticks above.
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

