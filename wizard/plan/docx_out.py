"""Document -> Word (.docx): the format the officer will edit.

Written straight from the document model (no Markdown in between):
- A4 with 2 cm margins; a header with the classification ('Openbaar concept' /
  'VERTROUWELIJK — niet openbaar maken') and a footer with 'Pagina X van Y' on every page;
- Word's own heading styles (the navigation pane works), 'Table Grid' tables with a bold,
  shaded header row that repeats on every page, column widths per table;
- bullet lists in 'List Bullet'; numbered lists in 'List Number', each list restarting at 1;
- figures as PNG pictures (drawn with Pillow from the same geometry as the SVG), with their
  description as alt text and caption;
- Dutch as document language; the assessment date as created/modified date.

The package is filled in, not built with python-docx (issue 17: python-docx cost ~45 ms per
document and ~60 ms to import). templates/zelfscan.docx holds the parts that are the same in
every document (styles, settings, theme, fonts, page set-up); it is read once per process and
only document.xml, numbering, header, footer, properties, relationships and the pictures are
written per document, with the bytes python-docx wrote: tests/docx_reference.py keeps
python-docx's way, tests/test_docx_fast.py compares the two, byte for byte.

Deterministic: core properties come from the document, and the zip has fixed timestamps,
so the same answers give the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wizard.files.docdate import document_datetime
from wizard.plan.document import CONFIDENTIAL, Document, Figure, Text
from wizard.plan.docx_body import BodyWriter, esc, para, run, run_content
from wizard.plan.docx_zip import read_template, zip_members

LANGUAGE = "nl-NL"
# Our own paragraph styles (the officer can change them once for the whole document).
TABLE_TEXT = "Tabeltekst"
SMALL_TABLE_TEXT = "Tabeltekst klein"
SMALL_TEXT = "Kleine tekst"
_TEXT_WIDTH_CM = 17.0  # A4 (21 cm) minus 2 x 2 cm margins
_ACCENT = "154273"
_RED = "8B0000"
TEMPLATE = Path(__file__).parent / "templates" / "zelfscan.docx"
# Characters XML 1.0 cannot hold (lxml raises on them): never written.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# python-docx's user-interface names for Word's built-in style names (BabelFish).
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header",
             **{f"heading {i}": f"Heading {i}" for i in range(1, 10)}}
_STYLE = re.compile(r'<w:style [^>]*?w:styleId="([^"]*)"[^>]*>(?:<w:name w:val="([^"]*)"/>)?')
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_PNG_DEFAULT = '<Default Extension="png" ContentType="image/png"/>'
_KEYWORDS = "zelfscan; plan van aanpak; radicalisering; extremisme"
_INLINE = (
    '<wp:inline xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{id}" name="{name}" descr="{descr}"/>'
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image.png"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
    '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
    '</a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic>'
    '</wp:inline>'
)


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _attr(text: str) -> str:
    """An attribute value as lxml writes it."""
    return (esc(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
            .replace("\r", "&#13;"))


def _text(text: str) -> str:
    """Element text as lxml writes it (a CR as a character reference)."""
    return esc(text).replace("\r", "&#13;")


@dataclass(frozen=True)
class _Template:
    """The parts of templates/zelfscan.docx, split where the per-document text goes."""

    members: tuple[tuple[str, bytes], ...]  # in package order
    document: tuple[str, str]  # document.xml before and after the body's blocks
    numbering: str  # numbering.xml without its end tag
    num_ids: frozenset[int]  # numbering instances the template has
    abstract_id: str  # the numbering definition of 'List Number'
    header: str  # the header part's start (up to its paragraph)
    footer: str
    core: str  # core.xml up to the first property
    types: str  # [Content_Types].xml
    rels: str  # document.xml.rels without its end tag
    rel_count: int
    style_ids: dict[str, str]


def _split(text: str, at: str) -> tuple[str, str]:
    i = text.index(at)
    return text[:i], text[i:]


@cache
def _template(path: Path = TEMPLATE) -> _Template:
    members = read_template(path)
    parts = {name: data.decode("utf-8") for name, data in members if name.endswith((".xml",
                                                                                    ".rels"))}
    styles = parts["word/styles.xml"]
    style_ids: dict[str, str] = {}
    for m in _STYLE.finditer(styles):
        name = _UI_NAMES.get(m.group(2), m.group(2)) if m.group(2) is not None else None
        style_ids[name] = m.group(1)  # type: ignore[index]  # as python-docx: last one wins
    numbering = parts["word/numbering.xml"]
    list_number = styles[styles.index(f'w:styleId="{style_ids["List Number"]}"'):]
    list_num_id = re.search(r'<w:numId w:val="(\d+)"/>', list_number[:list_number.index(
        "</w:style>")])
    assert list_num_id is not None
    abstract = re.search(rf'<w:num w:numId="{list_num_id.group(1)}"><w:abstractNumId '
                         r'w:val="(\d+)"/>', numbering)
    assert abstract is not None
    doc = parts["word/document.xml"]
    head, rest = _split(doc, "<w:body>")
    rels = parts["word/_rels/document.xml.rels"]
    return _Template(
        members=members,
        document=(head + "<w:body>", rest[len("<w:body>"):]),
        numbering=numbering[:numbering.rindex("</w:numbering>")],
        num_ids=frozenset(int(n) for n in re.findall(r'<w:num w:numId="(\d+)"', numbering)),
        abstract_id=abstract.group(1),
        header=_split(parts["word/header1.xml"], "<w:p>")[0],
        footer=_split(parts["word/footer1.xml"], "<w:p>")[0],
        core=_split(parts["docProps/core.xml"], "<dc:title>")[0],
        types=parts["[Content_Types].xml"],
        rels=rels[:rels.rindex("</Relationships>")],
        rel_count=rels.count("<Relationship "),
        style_ids=style_ids,
    )


class _Package:
    """What one document adds to the template: numbering instances and pictures."""

    def __init__(self, t: _Template) -> None:
        self.t = t
        self.nums: list[str] = []
        self.used = set(t.num_ids)
        self.images: dict[bytes, tuple[str, str]] = {}  # picture -> (rId, part name)
        self.rels: list[str] = []
        self.media: list[tuple[str, bytes]] = []
        self.shape_id = 0

    def add_num(self) -> int:
        """A new numbering instance restarting at 1 (python-docx's first unused id)."""
        n = next(i for i in range(1, len(self.used) + 2) if i not in self.used)
        self.used.add(n)
        self.nums.append(f'<w:num w:numId="{n}"><w:abstractNumId w:val="{self.t.abstract_id}"/>'
                         '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                         "</w:num>")
        return n

    def picture(self, png: bytes, width_cm: float, name: str, descr: str) -> str:
        """A picture as python-docx's run.add_picture writes it (the same image once)."""
        if png not in self.images:  # python-docx compared SHA-1s: the same pictures
            rid = f"rId{self.t.rel_count + len(self.images) + 1}"
            part = f"media/image{len(self.images) + 1}.png"
            self.images[png] = (rid, part)
            self.rels.append(f'<Relationship Id="{rid}" Type="{_REL}" Target="{part}"/>')
            self.media.append((f"word/{part}", png))
        rid = self.images[png][0]
        px_w, px_h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        native_w, native_h = int(px_w / 72 * 914400), int(px_h / 72 * 914400)  # 72 dpi
        cx = int(width_cm * 360000)
        cy = round(native_h * (float(cx) / float(native_w)))
        self.shape_id += 1
        return _INLINE.format(cx=cx, cy=cy, id=self.shape_id, name=_attr(name),
                              descr=_attr(descr), rid=rid)



def _half_points(size: float) -> str:
    """A run's font size as python-docx writes it (w:sz, half points)."""
    return str(int(int(size * 12700) / 12700 * 2))


def _twips(cm: float) -> int:
    """A column or cell width as python-docx writes it (w:gridCol, w:tcW)."""
    return round(int(cm * 360000) / 635.0)


def _core(t: _Template, doc: Document, title: str) -> str:
    # Word's core properties hold at most 255 characters; a long municipality name must
    # not stop the document from being written.
    title = title if len(title) <= 255 else title[:254] + "…"
    when = document_datetime(doc.date).strftime("%Y-%m-%dT%H:%M:%SZ")
    stamp = f'xsi:type="dcterms:W3CDTF">{when}'
    comments = f"{doc.marking}. Concept, gemaakt met Zelfscan. Bewerk dit document vrij."
    return (f"{t.core}<dc:title>{_text(title)}</dc:title>"
            f"<dc:subject>{_text(xml_safe(doc.subject)[:255])}</dc:subject>"
            f"<dc:creator>Zelfscan</dc:creator><cp:keywords>{_KEYWORDS}</cp:keywords>"
            f"<dc:description>{_text(comments)}</dc:description>"
            "<cp:lastModifiedBy>Zelfscan</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            f"<dcterms:created {stamp}</dcterms:created>"
            f"<dcterms:modified {stamp}</dcterms:modified><cp:category/>"
            f"<dc:language>{LANGUAGE}</dc:language>"
            f"<cp:lastPrinted>{when}</cp:lastPrinted></cp:coreProperties>")


def _header_footer(t: _Template, marking: str, colour: str, title: str) -> tuple[str, str]:
    marking = xml_safe(marking)
    head = (f'{t.header}<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr>'
            f'<w:r><w:rPr><w:b/><w:color w:val="{colour}"/><w:sz w:val="18"/></w:rPr>'
            f"{run_content(marking)}</w:r></w:p></w:hdr>")
    short = title if len(title) <= 90 else title[:89] + "…"
    small = '<w:rPr><w:sz w:val="16"/></w:rPr>'

    def field(instruction: str) -> str:
        return f'<w:fldSimple w:instr="{instruction}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'

    foot = (f'{t.footer}<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
            f"<w:r>{small}{run_content(f'{short} — {marking} — pagina ')}</w:r>"
            f"{field('PAGE')}<w:r>{small}{run_content(' van ')}</w:r>{field('NUMPAGES')}"
            "</w:p></w:ftr>")
    return head, foot


def _content_types(t: _Template, pictures: bool) -> str:
    if not pictures or 'Extension="png"' in t.types:
        return t.types
    # Defaults are sorted by extension; png comes before the first one after it.
    for m in re.finditer(r'<Default Extension="([^"]*)"', t.types):
        if m.group(1) > "png":
            return t.types[:m.start()] + _PNG_DEFAULT + t.types[m.start():]
    i = t.types.index("<Override")
    return t.types[:i] + _PNG_DEFAULT + t.types[i:]


def render(doc: Document) -> bytes:
    """The document as a .docx file (bytes; deterministic for the same document)."""
    t = _template()
    pkg = _Package(t)
    out: list[str] = [t.document[0]]
    title = xml_safe(doc.title)
    colour = _RED if doc.classification == CONFIDENTIAL else _ACCENT

    def figure(b: Figure) -> None:
        from wizard.plan.figures import to_png

        out.append('<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing>'
                   + pkg.picture(to_png(b.scene), b.width_cm, xml_safe(b.name), xml_safe(b.alt))
                   + "</w:drawing></w:r></w:p>")
        caption = "Caption" if "Caption" in t.style_ids else SMALL_TEXT
        out.append(para(bw.pstyle(caption), bw.runs((Text(b.alt, italic=True),))))

    bw = BodyWriter(out.append, t.style_ids, pkg.add_num, figure, _half_points, _twips,
                    xml_safe, _TEXT_WIDTH_CM, str(round(_TEXT_WIDTH_CM / 2.54 * 1440)),
                    (TABLE_TEXT, SMALL_TABLE_TEXT, SMALL_TEXT))
    out.append(para(bw.pstyle("Heading 1"), run(title)))
    out.append(f'<w:p><w:r><w:rPr><w:b/><w:color w:val="{colour}"/></w:rPr>'
               f"{run_content(xml_safe(doc.marking))}</w:r></w:p>")
    for b in doc.blocks:
        bw.block(b)
    for s in doc.sections:
        bw.section(s, 2)
    bw.flush()
    out.append(t.document[1])
    header, footer = _header_footer(t, doc.marking, colour, title)
    parts = {
        "[Content_Types].xml": _content_types(t, bool(pkg.media)),
        "docProps/core.xml": _core(t, doc, title),
        "word/document.xml": "".join(out),
        "word/_rels/document.xml.rels": t.rels + "".join(pkg.rels) + "</Relationships>",
        "word/numbering.xml": t.numbering + "".join(pkg.nums) + "</w:numbering>",
        "word/header1.xml": header,
        "word/footer1.xml": footer,
    }
    members: list[tuple[str, bytes]] = []
    for name, data in t.members:
        text = parts.get(name)
        members.append((name, data if text is None else text.encode("utf-8")))
        if name == "word/footer1.xml":  # the pictures follow the parts the template has
            members += pkg.media
    return zip_members(members)
