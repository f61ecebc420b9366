"""Injection proven in a real browser: a plan.html built from hostile answers runs no script
and makes no request when opened in headless Chromium.

A local HTTP server on 127.0.0.1 records every request. The hostile answers try to reach it
in every way HTML, CSS and Markdown allow. A control page (not from the pipeline) proves the
browser and server do see such requests, so a silent harness cannot pass the test.

CI installs Debian's `chromium`; without it this test FAILS (it never skips).
"""

from __future__ import annotations

import base64
import html
import html.parser
import http.server
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from wizard.answers.store import load_answers
from wizard.plan.output import write_outputs
from wizard.questionnaire.loader import load_questionnaire

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium() -> str:
    for c in CHROMIUM_CANDIDATES:
        if os.access(c, os.X_OK):
            return c
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    pytest.fail("Chromium ontbreekt: installeer het met 'apt-get update && apt-get install -y "
                "chromium' (.ci/run doet dat). Deze test wordt nooit overgeslagen.")


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def _record(self) -> None:
        type(self).hits.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = do_HEAD = _record

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@pytest.fixture
def server():
    _Recorder.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], _Recorder.hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def payload(port: int) -> str:
    u = f"http://127.0.0.1:{port}"
    return "\n".join([
        f"<script>fetch('{u}/script'); document.title = 'GEHACKT';</script>",
        f"<img src=\"{u}/img\" onerror=\"fetch('{u}/onerror')\">",
        "<img src=x onerror=\"document.body.innerHTML='GEHACKT'\">",
        f"<a href=\"javascript:fetch('{u}/jslink')\">klik</a>",
        f"[markdown-link](javascript:fetch('{u}/mdjs'))",
        f"<iframe src=\"{u}/iframe\"></iframe>",
        f"<style>@import url({u}/css-import); body {{ background: url({u}/css-bg) }}</style>",
        f"<p style=\"background-image: url({u}/style-attr)\">stijl</p>",
        f"![plaatje]({u}/md-image)",
        f"![ref-plaatje][r]\n\n[r]: {u}/md-ref-image",
        f"[gewone link]({u}/md-link) <{u}/autolink>",
        f"<svg><image href=\"{u}/svg-image\"/></svg><svg onload=\"fetch('{u}/svg')\"></svg>",
        f"<object data=\"{u}/object\"></object><embed src=\"{u}/embed\">",
        f"<link rel=\"stylesheet\" href=\"{u}/link-css\">",
        f"<meta http-equiv=\"refresh\" content=\"0;url={u}/meta-refresh\">",
        f"<base href=\"{u}/base/\"><img src=\"relatief.png\">",
        f"<video poster=\"{u}/poster\"></video><audio src=\"{u}/audio\"></audio>",
        (f"<form action=\"{u}/form\"><button autofocus onfocus=\"fetch('{u}/focus')\">x</button>"
        "</form>"),
        f"<details open ontoggle=\"fetch('{u}/toggle')\"><summary>s</summary></details>",
        f"<body onload=\"fetch('{u}/body')\" background=\"{u}/body-bg\">",
        f"<input type=image src=\"{u}/input-image\">",
        "```\n</code></pre><script>document.title='GEHACKT'</script>\n```",
        f"`<img src={u}/in-code>` <!-- <img src={u}/comment> -->",
    ])


def hostile_answers(tmp_path: Path, port: int, q) -> Path:
    bad = payload(port)
    text_ids = [x.id for x in q.questions() if x.kind == "text"]
    values: dict = {qid: f"Onze aanpak.\n{bad}" for qid in text_ids}
    # The municipality name lands in <title> and headings.
    values["intake.gemeente"] = (f"</title><script>fetch('http://127.0.0.1:{port}/title')"
                                 "</script>Voorbeeldstad")
    notes = {x.id: bad for x in list(q.questions())[:15] if x.kind != "text"}
    data = {"vragenlijst": q.id, "versie": q.version, "datum": "2026-11-23",
            "antwoorden": values, "toelichtingen": notes}
    path = tmp_path / "vijandig.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def open_in_chromium(html: Path, profile: Path) -> str:
    cmd = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
        "--virtual-time-budget=3000", "--dump-dom", html.resolve().as_uri(),
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False)
    assert r.returncode == 0, f"Chromium faalde ({r.returncode}):\n{r.stderr[-2000:]}"
    assert "<html" in r.stdout.lower(), r.stderr[-2000:]
    return r.stdout


@pytest.mark.timeout(240)
def test_control_page_proves_the_harness_sees_scripts_and_requests(server, tmp_path):
    port, hits = server
    control = tmp_path / "controle.html"
    control.write_text(
        "<!doctype html><html><head><title>controle</title></head><body>"
        f"<img src=\"http://127.0.0.1:{port}/control-img\">"
        f"<script>document.title='GEHACKT'; fetch('http://127.0.0.1:{port}/control-script');"
        "</script></body></html>", encoding="utf-8")
    dom = open_in_chromium(control, tmp_path / "profiel")
    assert "<title>GEHACKT</title>" in dom
    assert any("/control-img" in h for h in hits), hits


@pytest.mark.timeout(240)
def test_hostile_answers_render_inert_in_chromium(server, tmp_path):
    port, hits = server
    q = load_questionnaire()
    answers = load_answers(hostile_answers(tmp_path, port, q), q)
    out = tmp_path / "uit"
    written = write_outputs(q, answers, out)
    html_file = next(p for p in written if p.name == "plan.html")
    source = html_file.read_text(encoding="utf-8")
    # The pipeline kept the text (escaped), so the payload really went through it.
    assert "Onze aanpak." in source and "GEHACKT" in source

    dom = open_in_chromium(html_file, tmp_path / "profiel")
    assert hits == [], f"de pagina deed verzoeken: {hits}"
    elements = parse_dom(dom)
    title = [text for tag, _, text in elements if tag == "title"]
    assert title and "GEHACKT" not in title[0] and "Voorbeeldstad" in title[0], title
    tags = {tag for tag, _, _ in elements}
    forbidden = {"script", "iframe", "object", "embed", "video", "audio", "form",
                 "input", "base", "meta-refresh", "link", "image", "button", "details"}
    assert not tags & forbidden, tags & forbidden
    for tag, attrs, _ in elements:
        for name, value in attrs:
            value = value or ""
            assert not name.startswith("on"), (tag, name, value)
            if name in URL_ATTRS:  # alt/title text may quote the payload; it is only text
                assert f"127.0.0.1:{port}" not in value, (tag, name, value)
            if tag == "img" and name == "src":
                # The plan's own charts: inline SVG images. An <img> never runs script or
                # loads anything, but check the picture itself is clean too.
                assert value.startswith("data:image/svg+xml;base64,"), value[:80]
                svg = base64.b64decode(value.split(",", 1)[1]).decode("utf-8").lower()
                assert "<script" not in svg and "<foreignobject" not in svg
                assert not re.search(r"(href|src)\s*=\s*[\"']?(https?:|javascript:|//)", svg)
                assert not re.search(r"<[^>]*\son\w+\s*=", svg), "event handler in SVG"
            elif name in ("href", "src", "action", "formaction", "poster", "background",
                          "data"):
                assert value.startswith("#"), (tag, name, value)
    # The visible text still shows what the officer typed (escaped, not executed).
    assert "<script>fetch(" in "".join(text for _, _, text in elements)


URL_ATTRS = {"href", "src", "action", "formaction", "poster", "background", "data", "srcset",
             "style", "xlink:href", "ping", "cite", "longdesc", "manifest"}


class _DomParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[list] = []
        self.stack: list[list] = []

    def handle_starttag(self, tag, attrs):
        if tag == "meta" and any(k == "http-equiv" and (v or "").lower() == "refresh"
                                 for k, v in attrs):
            tag = "meta-refresh"
        el = [tag, attrs, ""]
        self.elements.append(el)
        if tag not in ("br", "hr", "meta", "meta-refresh", "link", "img", "input", "base",
                       "embed"):
            self.stack.append(el)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2] += data


def parse_dom(dom: str) -> list[tuple[str, list, str]]:
    """(tag, attributes, direct text) for every element Chromium ended up with."""
    p = _DomParser()
    p.feed(dom)
    return [tuple(e) for e in p.elements]  # type: ignore[misc]


# --------------------------------------------------------------------------- print


def _pdf_words(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """(yMin, yMax, word) per page, read with pdftotext -bbox (Debian: poppler-utils)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext ontbreekt: installeer het Debian-pakket poppler-utils "
                    "(.ci/run doet dat). Deze test wordt nooit overgeslagen.")
    out = subprocess.run([tool, "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page)
        pages.append([(float(a), float(b), html.unescape(w)) for a, b, w in words])
    return pages


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name,marking", [
    ("plan.html", "Openbaar concept"),
    ("bijlage-vertrouwelijk.html", "VERTROUWELIJK — niet openbaar maken"),
])
def test_printed_html_has_the_banner_on_every_page_above_the_text(tmp_path, name, marking):
    """Printed from Chromium, the classification is on every page, in the top margin, and
    the body text of every page starts below it (it never overlaps content)."""
    q = load_questionnaire()
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "uit"
    write_outputs(q, load_answers(root / "examples" / "schelderhoven.yaml", q), out)
    pdf = tmp_path / "print.pdf"
    r = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-first-run", "--disable-background-networking",
                        f"--user-data-dir={tmp_path / 'profiel'}", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", (out / name).resolve().as_uri()],
                       capture_output=True, text=True, timeout=120, check=False)
    assert pdf.exists(), r.stderr[-2000:]
    pages = _pdf_words(pdf)
    assert len(pages) >= 3, "a plan of several pages"
    first_word = marking.split()[0]
    for i, words in enumerate(pages, start=1):
        top = min(words, key=lambda w: w[0])
        assert top[2] == first_word, (i, top)  # the marking is the topmost text of the page
        band = [w for w in words if abs(w[0] - top[0]) < 1]
        assert " ".join(w[2] for w in band) == marking, (i, band)
        bottom_of_marking = max(w[1] for w in band)
        body = [w for w in words if w not in band]
        assert body and min(w[0] for w in body) > bottom_of_marking, (i, "overlap")
