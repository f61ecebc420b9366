"""Charts: SVG figures (valid, accessible, deterministic), text chart, and real rendering."""

from __future__ import annotations

import base64
import io
import re
import struct
import subprocess
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.answers.store import Answers, load_answers
from wizard.assessment import scoring
from wizard.assessment.results import ComponentResult, Profile, Quadrant, ThreatResult
from wizard.plan.charts import (
    COMPONENTS_FILE,
    HALF,
    LEFT,
    QUADRANT_FILE,
    SIZE,
    TOP,
    cell_rect,
    components_scene,
    figures,
    grid_from_config,
    marker,
    quadrant_scene,
    text_chart,
    threat_known,
)
from wizard.plan.figures import Circle, Label, Rect, num, to_png, to_svg
from wizard.plan.html_out import svg_data_uri
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import CHOICE, NVT, SCALE, TEXT, WEET_NIET

Q = load_questionnaire()
CONFIG = scoring.load_config(Q)
GRID = grid_from_config(CONFIG)
SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = "/usr/bin/chromium"
EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


def _answers(name: str = "Voorbeeldstad") -> Answers:
    a = Answers(Q.id, Q.version, "2026-11-23")
    for i, qq in enumerate(Q.questions()):
        if qq.id == "intake.gemeente":
            a.values[qq.id] = name
        elif qq.id == "intake.inwoners":
            a.values[qq.id] = 23000
        elif qq.kind == CHOICE:
            a.values[qq.id] = qq.options[0].value
        elif qq.kind == SCALE:
            a.values[qq.id] = i % 4 if not qq.id.startswith("dreiging.") else 2
        elif qq.kind == TEXT:
            a.values[qq.id] = f"Tekst {i}"
    return a


@pytest.fixture(scope="module")
def profile() -> Profile:
    return scoring.score(Q, _answers(), CONFIG)


def _unknown_profile() -> Profile:
    threat = ThreatResult("onbekend", "Onbekend", 0, None, 0, 3, 3)
    comp = ComponentResult("lokaal-beeld", "Lokaal beeld", None, 2, None, 0, 3, 0, 3,
                           "onbekend")
    return Profile(threat, (comp,), None, "Onbekend", Quadrant("q", "Eerst beeld vormen", ""),
                   0.0, (), ())


def _texts(root: ET.Element) -> str:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def _svg(sc) -> ET.Element:
    return ET.fromstring(to_svg(sc))


def test_quadrant_svg_is_valid_accessible_and_labelled(profile):
    root = _svg(quadrant_scene(profile, "Voorbeeldstad", GRID))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and "Voorbeeldstad" in title.text
    assert desc is not None and profile.quadrant.name in desc.text
    assert profile.threat.label.lower() in desc.text
    words = _texts(root)
    for label in ("Hoge dreiging,", "lage weerbaarheid", "Lage dreiging,", "hoge weerbaarheid",
                  "Weerbaarheid (laag → hoog)", "Dreiging (laag → hoog)", "Voorbeeldstad",
                  profile.quadrant.name):
        assert label in words


def _dot(sc) -> Circle | None:
    solid = [s for s in sc.shapes if isinstance(s, Circle) and s.fill == "#000000"]
    return solid[0] if solid else None


def _assert_truthful(profile: Profile, name: str = "X") -> None:
    """The figure agrees with the text: the dot lies inside the quadrant the text names;
    an unknown threat is drawn as unknown (a band and a question mark), never as a dot."""
    sc = quadrant_scene(profile, name, GRID)
    cell = GRID.cells.get(profile.quadrant.id)
    dot = _dot(sc)
    if not threat_known(profile):
        assert dot is None, profile.threat
        bands = [s for s in sc.shapes if isinstance(s, Rect) and s.dash and s.h == SIZE]
        assert bands, "an unknown threat is a band over the whole threat axis"
        assert any(isinstance(s, Label) and s.text == "?" for s in sc.shapes)
        assert any(isinstance(s, Label) and "dreiging onbekend" in s.text for s in sc.shapes)
        return
    if profile.resilience_share is None:
        assert dot is None
        return
    assert dot is not None
    if cell is None:  # known, but too uncertain for a quadrant: drawn, with a dashed ring
        assert any(isinstance(s, Circle) and s.dash for s in sc.shapes)
        return
    x, y, w, h = cell_rect(*cell)
    ring = 13
    assert x + ring < dot.cx < x + w - ring and y + ring < dot.cy < y + h - ring, (
        profile.quadrant.id, dot, (x, y, w, h))
    # The named cell is the one drawn with the heavy border.
    heavy = [s for s in sc.shapes if isinstance(s, Rect) and s.width == 3]
    assert [(s.x, s.y) for s in heavy] == [(x, y)]
    # The SVG says the same as the scene (the PNG is drawn from the same scene).
    svg = to_svg(sc)
    assert f'cx="{num(dot.cx)}" cy="{num(dot.cy)}"' in svg


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_figure_agrees_with_the_text(path):
    _assert_truthful(scoring.score(Q, load_answers(path, Q), CONFIG))


THREAT = [qq for s in Q.sections if s.kind == "dreiging" for qq in s.questions
          if qq.kind == SCALE]
STATEMENTS = [st_ for c in Q.components() for st_ in c.statements()]


@st.composite
def scored(draw):
    a = Answers(Q.id, Q.version, "2026-11-23", {"intake.gemeente": "Hypostad"})
    for qq in THREAT:
        a.values[qq.id] = draw(st.sampled_from([0, 1, 2, 3, WEET_NIET, None]))
    for qq in STATEMENTS:
        a.values[qq.id] = draw(st.sampled_from([0, 1, 2, 3, 4, WEET_NIET, NVT, None]))
    a.values = {k: v for k, v in a.values.items() if v is not None}
    return scoring.score(Q, a, CONFIG)


@settings(max_examples=150, deadline=None)
@given(scored())
def test_quadrant_dot_lies_in_the_named_quadrant(profile):
    _assert_truthful(profile)


def test_components_svg_prints_numbers_and_uses_patterns(profile):
    root = _svg(components_scene(profile, "Voorbeeldstad"))
    words = _texts(root)
    for c in profile.components:
        assert (c.title if len(c.title) <= 34 else c.title[:33]) in words
        assert f"/ nodig {c.required}" in words
    assert "nu (huidig niveau)" in words and "nodig (gezien de dreiging)" in words
    # Greyscale-safe: the required level is hatched, not just another colour.
    assert root.find(f"{SVG}defs/{SVG}pattern") is not None
    assert sum(1 for r in root.iter(f"{SVG}rect") if (r.get("fill") or "").startswith(
        "url(#od-hatch")) == len(profile.components) + 1


def test_unknowns_are_said_in_words():
    p = _unknown_profile()
    words = _texts(_svg(quadrant_scene(p, "Nergenshuizen", GRID)))
    assert "dreiging onbekend" in words and "weerbaarheid onbekend" in words
    assert "onbekend" in _texts(_svg(components_scene(p, "Nergenshuizen")))
    assert "?" in text_chart(p)
    m = marker(p, GRID)
    assert m.x is None and m.y is None


def test_svg_escapes_names_png_is_a_picture_and_both_are_deterministic(profile):
    sc = quadrant_scene(profile, 'Gemeente <script>&"x"', GRID)
    svg = to_svg(sc)
    ET.fromstring(svg)  # still well-formed
    assert "<script>" not in svg
    one, two = figures(profile, "A", GRID), figures(profile, "A", GRID)
    assert [(f.svg, to_png(f.scene)) for f in one.values()] == [
        (f.svg, to_png(f.scene)) for f in two.values()]
    from PIL import Image

    img = Image.open(io.BytesIO(to_png(sc)))
    assert img.format == "PNG" and img.size == (sc.width * 2, sc.height * 2)
    uri = svg_data_uri(svg)
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg


def test_png_pixels_are_the_same_with_remembered_texts(profile, monkeypatch):
    """Fonts remember the texts they rendered (issue 17); the PNG stays the same."""
    from wizard.plan import figures as fig

    scenes = [f.scene for f in figures(profile, "Aa", GRID).values()]
    scenes += [quadrant_scene(profile, "Bb", GRID)]
    fig._font.cache_clear()
    monkeypatch.setattr(fig, "_remembering", lambda font: font)
    fresh = [to_png(sc) for sc in scenes]
    monkeypatch.undo()
    fig._font.cache_clear()
    assert [to_png(sc) for sc in scenes] == fresh  # rendered, then remembered
    assert [to_png(sc) for sc in scenes] == fresh  # all from memory
    fig._font.cache_clear()


def test_svg_files_show_the_name_as_typed_without_markdown_escapes(tmp_path):
    from wizard.plan.output import write_outputs

    out = tmp_path / "plan"
    write_outputs(Q, _answers("Stad_*Noord*"), out, word=False)
    for name in (QUADRANT_FILE, COMPONENTS_FILE):
        title = ET.fromstring((out / name).read_text(encoding="utf-8")).find(f"{SVG}title")
        assert title is not None and "van Stad_*Noord*" in title.text, title.text
    md = (out / "plan.md").read_text(encoding="utf-8")
    assert "Stad\\_\\*Noord\\*" in md  # in Markdown (alt text, headings) still escaped


def test_text_chart_fits_80_columns(profile):
    text = text_chart(profile)
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].endswith(profile.threat.label)
    for c in profile.components:
        assert any(line.startswith(c.title[:20]) for line in lines)
    assert "nu / nodig" in text


def test_markdown_references_files(tmp_path):
    from wizard.plan.output import render_plan

    md = render_plan(Q, _answers())
    assert f"]({QUADRANT_FILE})" in md and f"]({COMPONENTS_FILE})" in md
    assert "![Figuur:" in md
    assert (LEFT, TOP, HALF) == (90, 40, 180)


# --------------------------------------------------------------------------- rendering


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG (as Chromium writes it) into rows of raw pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for r in range(height):
        f = raw[r * (stride + 1)]
        line = bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def _screenshot(html: Path, tmp: Path) -> bytes:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium ontbreekt: installeer het Debian-pakket chromium")
    out = tmp / f"{html.stem}.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp / 'profiel'}", f"--screenshot={out}",
         "--window-size=1000,1400", html.resolve().as_uri()],
        capture_output=True, timeout=120, check=False,
    )
    assert out.exists(), "chromium schreef geen schermafdruk"
    return out.read_bytes()


def _dark_share(png: bytes) -> float:
    width, _height, rows = _png_pixels(png)
    channels = len(rows[0]) // width
    dark = total = 0
    for row in rows[::4]:
        for x in range(0, width * channels, channels * 4):
            total += 1
            if sum(row[x:x + 3]) < 3 * 128:
                dark += 1
    return dark / total


def test_charts_render_in_chromium_under_the_plan_csp(profile, tmp_path):
    files = figures(profile, "Voorbeeldstad", GRID)
    imgs = "".join(f'<img alt="{n}" src="{svg_data_uri(f.svg)}">' for n, f in files.items())
    page = tmp_path / "figuren.html"
    page.write_text(
        "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\"></head>"
        f"<body style='margin:0;background:#fff'>{imgs}</body></html>", encoding="utf-8")
    blank = tmp_path / "leeg.html"
    blank.write_text("<!DOCTYPE html><html><body style='background:#fff'></body></html>",
                     encoding="utf-8")
    shot = _screenshot(page, tmp_path)
    assert len(shot) > 10_000
    assert _dark_share(shot) > 0.005  # the figures were drawn: text, bars, the point
    assert _dark_share(_screenshot(blank, tmp_path)) == 0.0


def test_plan_html_embeds_charts_and_is_not_blank(tmp_path):
    from wizard.plan.output import write_outputs

    out = tmp_path / "plan"
    paths = write_outputs(Q, _answers(), out)
    assert {QUADRANT_FILE, COMPONENTS_FILE} <= {p.name for p in paths}
    md = (out / "plan.md").read_text(encoding="utf-8")
    assert f"]({QUADRANT_FILE})" in md and f"]({COMPONENTS_FILE})" in md
    html = (out / "plan.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img alt="Figuur:[^"]*" src="data:image/svg\+xml;base64,', html)) == 2
    ET.fromstring((out / QUADRANT_FILE).read_text(encoding="utf-8"))
    shot = _screenshot(out / "plan.html", tmp_path)
    assert len(shot) > 20_000 and _dark_share(shot) > 0.005
