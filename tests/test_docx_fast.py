"""The Word files are written directly (wizard.plan.docx_body, issue 17) with exactly the
bytes python-docx's own way of building them gave (tests/docx_reference.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx_reference import reference_render
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.answers.store import load_answers
from wizard.plan import docx_out
from wizard.plan.document import (
    CONFIDENTIAL,
    PUBLIC,
    Cell,
    Document,
    ListBlock,
    Paragraph,
    Section,
    Table,
    Text,
)
from wizard.plan.output import documents
from wizard.questionnaire.loader import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def q():  # type: ignore[no-untyped-def]
    return load_questionnaire()


def _answers_files(tmp: Path) -> list[Path]:
    from bench.make_answers import generate

    return sorted((ROOT / "examples").glob("*.yaml")) + generate(3, tmp, seed=23)


def test_plans_and_annexes_have_the_same_bytes_as_before(q, tmp_path) -> None:
    files = _answers_files(tmp_path)
    for path in files:
        plan, annex, _ = documents(q, load_answers(path, q))
        for doc in (plan, annex):
            assert docx_out.render(doc) == reference_render(doc), f"{path.name}: {doc.title}"


# Text with what needs care in Word XML: markup characters, tabs, line breaks (LF and CR),
# spaces at either end, characters XML cannot hold, non-Latin text.
_chars = st.sampled_from(list("ab &<>\"'\t\n\r é€😀\x01\x0b\ufffe") + ["  ", "x y"])
_text = st.lists(_chars, max_size=12).map("".join)
_runs = st.lists(st.builds(Text, _text, st.booleans(), st.booleans()), max_size=4).map(tuple)
_para = st.builds(Paragraph, _runs, st.just(PUBLIC), st.booleans())
_list = st.builds(ListBlock, st.lists(_runs, max_size=3).map(tuple), st.booleans())
_cell = st.builds(Cell, st.lists(st.one_of(_para, _list), max_size=3).map(tuple))


@st.composite
def _table(draw):  # type: ignore[no-untyped-def]
    cols = draw(st.integers(1, 4))
    header = tuple(draw(st.lists(_text, min_size=cols, max_size=cols)))
    rows = draw(st.lists(st.lists(_cell, min_size=cols, max_size=cols).map(tuple),
                         max_size=3).map(tuple))
    widths = draw(st.one_of(st.just(()), st.lists(st.floats(0.5, 5), min_size=cols,
                                                    max_size=cols).map(tuple)))
    return Table(header, rows, widths, small=draw(st.booleans()))


_block = st.one_of(_para, _list, _table())
_section = st.recursive(
    st.builds(Section, _text, st.lists(_block, max_size=3).map(tuple)),
    lambda inner: st.builds(Section, _text, st.lists(_block, max_size=2).map(tuple),
                            st.lists(inner, max_size=2).map(tuple)),
    max_leaves=4,
)
_document = st.builds(Document, _text, st.sampled_from([PUBLIC, CONFIDENTIAL]),
                      st.sampled_from(["Openbaar concept", "VERTROUWELIJK — niet openbaar maken"]),
                      st.lists(_block, max_size=3).map(tuple),
                      st.lists(_section, max_size=3).map(tuple))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_document)
def test_any_document_has_the_same_bytes_as_before(doc: Document) -> None:
    assert docx_out.render(doc) == reference_render(doc)


def _zipfile_bytes(members: list[tuple[str, bytes]]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return buf.getvalue()


@settings(max_examples=40, deadline=None)
@given(members=st.lists(st.tuples(
    st.sampled_from(["word/document.xml", "word/styles.xml", "[Content_Types].xml",
                     "word/media/image1.png", "map/ë.xml"]),
    st.one_of(st.binary(max_size=200), st.binary(min_size=5000, max_size=9000),
              st.just(b"<w:styles/>" * 2000))), max_size=5, unique_by=lambda m: m[0]))
def test_zip_members_writes_what_zipfile_writes(members: list[tuple[str, bytes]]) -> None:
    from wizard.plan.docx_zip import zip_members

    assert zip_members(members) == _zipfile_bytes(members)
    assert zip_members(members) == _zipfile_bytes(members)  # from the cache: the same


def test_the_template_is_what_python_docx_makes() -> None:
    """templates/zelfscan.docx holds the styles, page, header and footer python-docx makes
    (tests/docx_reference.py); after a change there, `python tests/docx_reference.py`."""
    import io
    import zipfile

    from docx_reference import TEMPLATE, template_bytes

    def parts(data: bytes) -> list[tuple[str, bytes]]:
        z = zipfile.ZipFile(io.BytesIO(data))
        return [(i.filename, z.read(i)) for i in z.infolist()]

    assert parts(TEMPLATE.read_bytes()) == parts(template_bytes())


def test_word_is_written_without_python_docx() -> None:
    """python-docx costs ~60 ms to import: a batch with Word never imports it."""
    import subprocess
    import sys

    code = ("import sys; from wizard.plan import docx_out; "
            "from wizard.plan.document import Document, PUBLIC; "
            "docx_out.render(Document('t', PUBLIC, 'Openbaar concept')); "
            "print('docx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_template_parts_compressed_by_another_zlib_are_compressed_again(monkeypatch) -> None:
    """The template's compressed parts are used only when this zlib version wrote them."""
    from wizard.plan import docx_zip

    doc = Document("Titel", PUBLIC, "Openbaar concept", (Paragraph((Text("a"),)),))
    expected = reference_render(doc)
    for mark in (docx_zip.ZLIB_MARK, b"zlib 0.0"):
        monkeypatch.setattr(docx_zip, "ZLIB_MARK", mark)
        monkeypatch.setattr(docx_zip, "_known", {})
        docx_out._template.cache_clear()
        assert docx_out.render(doc) == expected
    docx_out._template.cache_clear()


def test_pictures_have_the_same_bytes_as_before() -> None:
    """The same picture twice is one image part (as python-docx did); names and alt texts
    with markup, tabs and line breaks; a caption without text."""
    from wizard.plan.document import Figure
    from wizard.plan.figures import Label, Rect, Scene

    def fig(colour: str, alt: str, name: str = "f.svg", width: float = 7.5) -> Figure:
        scene = Scene(120, 80, "t", "d", "x", [Rect(5, 5, 50, 30, fill=colour),
                                                Label(10, 60, "a & b")])
        return Figure(name, alt, "<svg/>", scene, width)

    blocks = (fig("#ff0000", 'a "b" <c> & \td\ne'), Paragraph((Text("x"),)),
              fig("#ff0000", "zelfde", 'n "1"\t'), fig("#00ff00", "", width=11.5))
    doc = Document("Titel", PUBLIC, "Openbaar concept", blocks,
                   (Section("Hoofdstuk", (fig("#0000ff", "in een hoofdstuk"),)),))
    assert docx_out.render(doc) == reference_render(doc)
