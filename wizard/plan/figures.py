"""A figure as a list of shapes, drawn twice: as SVG text (plan.md, plan.html) and as a PNG
picture with Pillow (Word). One geometry, two drawings, so the figures agree in every format.

SVG is written by hand on purpose: deterministic bytes (no timestamps, ids or float noise),
a few KB, readable as text and safe to embed as a data: URI. The PNG comes from Pillow (a
well-kept imaging library; no hand-written encoder) and is deterministic for the same scene
and fonts. Meaning is carried by words, numbers and hatching, never by colour alone.
"""

from __future__ import annotations

import html
import io
import itertools
from dataclasses import dataclass, field
from functools import cache
from typing import Any

FONT_FAMILY = "DejaVu Sans, Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str = "none"
    stroke: str = ""
    width: float = 1.0
    hatch: str = ""  # hatch colour: diagonal lines over the fill
    dash: bool = False


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = "#000000"
    width: float = 1.0
    dash: bool = False


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str = "none"
    stroke: str = ""
    width: float = 1.0
    dash: bool = False


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    size: float = 13
    anchor: str = "start"  # start | middle | end
    bold: bool = False
    italic: bool = False
    fill: str = "#000000"
    halo: bool = False  # a white outline so the text reads over lines and hatching
    rotate: int = 0  # 0 or -90 (vertical axis title)


Shape = Rect | Line | Circle | Label


@dataclass
class Scene:
    width: int
    height: int
    title: str
    desc: str
    ident: str  # prefix for SVG ids (two figures may share one HTML page)
    shapes: list[Shape] = field(default_factory=list)

    def add(self, *shapes: Shape) -> None:
        self.shapes.extend(shapes)


# --------------------------------------------------------------------------- SVG


def num(x: float) -> str:
    """A fixed, short number for SVG coordinates (no float noise)."""
    return f"{x:.1f}".removesuffix(".0")


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _paint(fill: str, stroke: str, width: float, dash: bool) -> str:
    out = f' fill="{fill}"'
    if stroke:
        out += f' stroke="{stroke}" stroke-width="{num(width)}"'
    if dash:
        out += ' stroke-dasharray="5 4"'
    return out


def to_svg(scene: Scene) -> str:
    p = scene.ident
    hatches = sorted({s.hatch for s in scene.shapes if isinstance(s, Rect) and s.hatch})
    out = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="{scene.width}" '
         f'height="{scene.height}" viewBox="0 0 {scene.width} {scene.height}" role="img" '
         f'aria-labelledby="{p}-title {p}-desc" font-family="{FONT_FAMILY}">'),
        f'<title id="{p}-title">{_esc(scene.title)}</title>',
        f'<desc id="{p}-desc">{_esc(scene.desc)}</desc>',
    ]
    if hatches:
        out.append("<defs>" + "".join(
            f'<pattern id="{p}-hatch{i}" width="8" height="8" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" '
            f'stroke="{c}" stroke-width="2"/></pattern>' for i, c in enumerate(hatches))
            + "</defs>")
    for s in scene.shapes:
        if isinstance(s, Rect):
            box = f'x="{num(s.x)}" y="{num(s.y)}" width="{num(s.w)}" height="{num(s.h)}"'
            out.append(f"<rect {box}{_paint(s.fill, s.stroke, s.width, s.dash)}/>")
            if s.hatch:
                out.append(f'<rect {box} fill="url(#{p}-hatch{hatches.index(s.hatch)})"/>')
        elif isinstance(s, Line):
            out.append(f'<line x1="{num(s.x1)}" y1="{num(s.y1)}" x2="{num(s.x2)}" '
                       f'y2="{num(s.y2)}"{_paint("none", s.stroke, s.width, s.dash)}/>')
        elif isinstance(s, Circle):
            out.append(f'<circle cx="{num(s.cx)}" cy="{num(s.cy)}" r="{num(s.r)}"'
                       f'{_paint(s.fill, s.stroke, s.width, s.dash)}/>')
        else:
            attrs = (f'x="{num(s.x)}" y="{num(s.y)}" font-size="{num(s.size)}" '
                     f'text-anchor="{s.anchor}" fill="{s.fill}"')
            if s.bold:
                attrs += ' font-weight="bold"'
            if s.italic:
                attrs += ' font-style="italic"'
            if s.halo:
                attrs += ' stroke="#ffffff" stroke-width="4" paint-order="stroke"'
            if s.rotate:
                attrs += f' transform="rotate({s.rotate} {num(s.x)} {num(s.y)})"'
            out.append(f"<text {attrs}>{_esc(s.text)}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- PNG

_SANS = ("DejaVuSans.ttf", "Arial.ttf", "arial.ttf", "LiberationSans-Regular.ttf")
_SANS_BOLD = ("DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf",
              "LiberationSans-Bold.ttf")


# Rendered texts kept per font, least recently used out first: the labels that are the same
# in every plan stay; the municipality names do not pile up in a long batch.
_MASK_BYTES_PER_FONT = 500_000


@cache
def _font(size: int, bold: bool) -> Any:
    """A TrueType font (the system's DejaVu/Arial/Liberation), else Pillow's own."""
    from PIL import ImageFont

    for name in _SANS_BOLD if bold else _SANS:
        try:
            return _remembering(ImageFont.truetype(name, size))
        except OSError:
            continue
    return _remembering(ImageFont.load_default(size=size))


def _remembering(font: Any) -> Any:
    """The font, rendering each text once per process (issue 17: FreeType rendering was a
    quarter of a figure's drawing; most labels are the same in every plan). The mask is the
    same for the same arguments, so the pixels are too."""
    from PIL import ImageFont

    if not isinstance(font, ImageFont.FreeTypeFont):
        return font
    masks: dict[Any, Any] = {}  # in order of use
    kept = [0]  # bytes of the masks kept (one byte per pixel)

    def area(hit: Any) -> int:
        width, height = hit[0].size
        return int(width * height)

    class RememberingFont(type(font)):  # type: ignore[misc]
        def getmask2(self, text: Any, *args: Any, **kwargs: Any) -> Any:
            key = (text, args, tuple(sorted(kwargs.items())))
            hit = masks.pop(key, None)
            if hit is None:
                hit = super().getmask2(text, *args, **kwargs)
                kept[0] += area(hit)
                while masks and kept[0] > _MASK_BYTES_PER_FONT:
                    kept[0] -= area(masks.pop(next(iter(masks))))
            masks[key] = hit
            return hit

    font.__class__ = RememberingFont
    return font


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _dashed(draw: Any, pts: list[tuple[float, float]], colour: str, width: int,
            on: float, off: float) -> None:
    """A dashed polyline (Pillow draws solid lines only)."""
    carry = 0.0
    drawing = True
    for (x1, y1), (x2, y2) in itertools.pairwise(pts):
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        pos = 0.0
        while pos < length:
            step = min((on if drawing else off) - carry, length - pos)
            if drawing:
                a, b = pos / length, (pos + step) / length
                draw.line([(x1 + (x2 - x1) * a, y1 + (y2 - y1) * a),
                           (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b)], fill=colour, width=width)
            pos += step
            carry += step
            if carry >= (on if drawing else off) - 1e-9:
                carry, drawing = 0.0, not drawing


@cache
def _pil() -> tuple[Any, Any]:
    """Pillow's Image and ImageDraw with the PNG format only. Image.save() would first load
    the BMP, GIF, JPEG and PPM formats too (~6 ms per process, issue 17); Pillow still loads
    every format when something else opens or saves another (Image.init)."""
    from PIL import Image, ImageDraw, PngImagePlugin

    assert PngImagePlugin  # registers PNG
    # A private flag of Pillow's: if a release drops or changes it, leave it alone (then
    # save() loads its usual formats, as before; only slower).
    level = getattr(Image, "_initialized", None)
    if isinstance(level, int) and level < 1:
        Image._initialized = 1
    return Image, ImageDraw


def to_png(scene: Scene, scale: float = 2.0) -> bytes:
    """The scene as a PNG picture, `scale` pixels per SVG unit."""
    import math

    Image, ImageDraw = _pil()
    k = scale
    img = Image.new("RGB", (round(scene.width * k), round(scene.height * k)), "#ffffff")
    draw = ImageDraw.Draw(img)
    for s in scene.shapes:
        if isinstance(s, Rect):
            box = [s.x * k, s.y * k, (s.x + s.w) * k, (s.y + s.h) * k]
            if s.fill != "none":
                draw.rectangle(box, fill=s.fill)
            if s.hatch:
                layer = Image.new("RGBA", (round(s.w * k), round(s.h * k)), (0, 0, 0, 0))
                ld = ImageDraw.Draw(layer)
                step = 8 * k * math.sqrt(2)  # as the SVG pattern: 8 units apart
                i: float = -layer.height
                while i < layer.width:
                    ld.line([(i, layer.height), (i + layer.height, 0)], fill=s.hatch,
                            width=max(1, round(2 * k)))
                    i += step
                img.paste(layer, (round(s.x * k), round(s.y * k)), layer)
            if s.stroke:
                w = max(1, round(s.width * k))
                if s.dash:
                    x0, y0, x1, y1 = box
                    _dashed(draw, [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)],
                            s.stroke, w, 5 * k, 4 * k)
                else:
                    draw.rectangle(box, outline=s.stroke, width=w)
        elif isinstance(s, Line):
            pts = [(s.x1 * k, s.y1 * k), (s.x2 * k, s.y2 * k)]
            w = max(1, round(s.width * k))
            if s.dash:
                _dashed(draw, pts, s.stroke, w, 5 * k, 4 * k)
            else:
                draw.line(pts, fill=s.stroke, width=w)
        elif isinstance(s, Circle):
            box = [(s.cx - s.r) * k, (s.cy - s.r) * k, (s.cx + s.r) * k, (s.cy + s.r) * k]
            if s.fill != "none":
                draw.ellipse(box, fill=s.fill)
            if s.stroke:
                w = max(1, round(s.width * k))
                if s.dash:
                    n = 16
                    for i in range(0, n, 2):
                        draw.arc(box, 360 * i / n, 360 * (i + 1) / n, fill=s.stroke, width=w)
                else:
                    draw.ellipse(box, outline=s.stroke, width=w)
        else:
            _label(img, draw, s, k)
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=3)  # level 6+ costs twice the time
    return buf.getvalue()


def _label(img: Any, draw: Any, s: Label, k: float) -> None:
    from PIL import Image, ImageDraw

    font = _font(round(s.size * k), s.bold)
    anchor = {"start": "ls", "middle": "ms", "end": "rs"}[s.anchor]
    halo = {"stroke_width": round(3 * k), "stroke_fill": "#ffffff"} if s.halo else {}
    if not s.rotate:
        draw.text((s.x * k, s.y * k), s.text, font=font, fill=s.fill, anchor=anchor, **halo)
        return
    # Vertical text: drawn on its own layer, turned, and pasted centred on (x, y).
    left, top, right, bottom = draw.textbbox((0, 0), s.text, font=font, anchor="ls")
    layer = Image.new("RGBA", (right - left + 4, bottom - top + 4), (255, 255, 255, 0))
    ImageDraw.Draw(layer).text((2 - left, 2 - top), s.text, font=font, fill=s.fill, anchor="ls")
    layer = layer.rotate(90 if s.rotate < 0 else -90, expand=True)
    img.paste(layer, (round(s.x * k - layer.width / 2), round(s.y * k - layer.height / 2)),
              layer)
