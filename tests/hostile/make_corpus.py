"""Writes the hostile corpus next to this file. Run once after changing it:

    .venv/bin/python tests/hostile/make_corpus.py

The files are committed; test_hostile.py feeds each through the real CLI. Big files (30 MB)
are made at test time in a temporary folder instead.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).parent

TEXT_Q = "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken"  # a free-text question

ANSWERS_OK = (
    "vragenlijst: zelfscan\nversie: 1\ndatum: '2026-11-23'\nantwoorden:\n"
    "  intake.gemeente: Voorbeeldstad\n"
)

# Shapes every YAML loader must refuse, whatever the file is for.
COMMON: dict[str, bytes] = {
    "ongeldige-yaml.yaml": b"id: zelfscan\nversie: 1\n  titel: [niet gesloten\n",
    "leeg.yaml": b"",
    "alleen-commentaar.yaml": b"# niets dan commentaar\n# ook hier\n",
    "lijst-bovenaan.yaml": b"- een\n- twee\n",
    "tekst-bovenaan.yaml": b"gewoon een zin\n",
    "binair.yaml": bytes(range(256)) * 4,
    "latin1.yaml": "id: zelfscan\ntitel: Gemeente Súdwest-Fryslân — café\n".encode("latin-1",
                                                                                   "replace"),
    "utf16.yaml": "id: zelfscan\nversie: 1\n".encode("utf-16"),
    "diep-genest.yaml": ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 60))).encode(),
    "diep-genest-flow.yaml": b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "alias-bom.yaml": (
        b"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        b"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        b"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        b"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        b"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
        b"i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
    ),
    "python-tag.yaml": b"id: zelfscan\nversie: !!python/object/apply:os.system ['touch /tmp/gehackt']\n",
    "dubbele-sleutel.yaml": b"id: zelfscan\nversie: 1\nid: anders\n",
    "stuurteken.yaml": b"id: zelf\x07scan\n",
    "twee-documenten.yaml": b"id: zelfscan\n---\nid: tweede\n",
    "ongeldige-datum.yaml": b"id: zelfscan\nversie: 1\ndatum: 2026-13-45\n",
    "reuzengetal.yaml": b"id: zelfscan\nversie: " + b"9" * 6000 + b"\n",
    # Issue 18: text that YAML reads but no output format can hold (escapes in double quotes).
    "los-surrogaat.yaml": b'id: zelfscan\nversie: 1\ntitel: "OOV \\udc80 en jeugd"\n',
    "niet-teken.yaml": b'id: zelfscan\nversie: 1\ntitel: "OOV \\uFFFE"\n',
    "niet-teken-fdd0.yaml": "id: zelfscan\nversie: 1\ntitel: OOV \ufdd0\n".encode(),
    "stuurteken-als-code.yaml": b'id: zelfscan\nversie: 1\ntitel: "bel \\x07"\n',
    "c1-teken-als-code.yaml": b'id: zelfscan\nversie: 1\ntitel: "OOV \\x9b31m"\n',
    "regelterugloop-als-code.yaml": b'id: zelfscan\nversie: 1\ntitel: "a\\rb"\n',
    # Typed tags whose value does not fit the tag.
    "bool-misschien.yaml": b'id: zelfscan\nversie: !!bool "misschien"\n',
    "lege-timestamp.yaml": b"id: zelfscan\nversie: 1\ndatum: !!timestamp ''\n",
    "lege-int.yaml": b'id: zelfscan\nversie: !!int ""\n',
    "foute-float.yaml": b'id: zelfscan\nversie: !!float "twee"\n',
    "null-met-tekst.yaml": b"id: zelfscan\nversie: 1\ntitel: !!null weg ermee\n",
    "str-label-op-lijst.yaml": b"id: zelfscan\nversie: 1\ntitel: !!str [een, twee]\n",
    # An anchor nothing refers to: '&OOV en jeugd' would silently lose '&OOV'.
    "anker.yaml": b"id: zelfscan\nversie: 1\ntitel: &OOV en jeugd\n",
}

QUESTIONNAIRE = {
    "verkeerde-types.yaml": b"id: [zelfscan]\nversie: een\ntitel: 5\nmodules: intake.yaml\n",
    "onbekende-module.yaml": b"id: zelfscan\nversie: 1\ntitel: T\nmodules: [bestaat-niet.yaml]\n",
}

MODULE = {
    "verkeerde-types.yaml": (
        b"secties:\n  - id: proef\n    titel: Proef\n    soort: component\n    vragen:\n"
        b"      - id: proef.a\n        soort: schaal\n        schaal: bestaat-niet\n"
        b"        tekst: [geen, tekst]\n"
    ),
    "onbekende-id-in-voorwaarde.yaml": (
        b"secties:\n  - id: proef\n    titel: Proef\n    soort: component\n    vragen:\n"
        b"      - id: proef.a\n        soort: tekst\n        tekst: Vraag?\n"
        b"        toon_als: {vraag: proef.bestaat-niet, is: ja}\n"
    ),
    "dubbele-vraag-id.yaml": (
        b"secties:\n  - id: proef\n    titel: Proef\n    soort: component\n    vragen:\n"
        b"      - id: proef.a\n        soort: tekst\n        tekst: Vraag?\n"
        b"      - id: proef.a\n        soort: tekst\n        tekst: Nog een vraag?\n"
    ),
}

ANSWERS = {
    "antwoorden-is-lijst.yaml": b"vragenlijst: zelfscan\nversie: 1\nantwoorden:\n  - a\n  - b\n",
    "onbekende-vraag.yaml": (ANSWERS_OK + "  intake.bestaat-niet: 3\n").encode(),
    "verkeerd-type.yaml": (ANSWERS_OK + "  intake.inwoners: heel veel\n").encode(),
    "andere-versie.yaml": ANSWERS_OK.replace("versie: 1", "versie: 99").encode(),
    "andere-vragenlijst.yaml": ANSWERS_OK.replace("vragenlijst: zelfscan",
                                                  "vragenlijst: iets-anders").encode(),
    "geneste-waarde.yaml": (ANSWERS_OK + "  intake.inwoners: {a: {b: 1}}\n").encode(),
    # Issue 18: answers as an officer types them, which YAML would change or cannot read.
    "ampersand.yaml": (ANSWERS_OK + f"  {TEXT_Q}: &OOV en jeugd\n").encode(),
    "hekje.yaml": (ANSWERS_OK + f"  {TEXT_Q}: OOV #1 in de regio\n").encode(),
    "apenstaart.yaml": (ANSWERS_OK + f"  {TEXT_Q}: @team OOV\n").encode(),
    "backtick.yaml": (ANSWERS_OK + f"  {TEXT_Q}: `OOV`\n").encode(),
    "procent.yaml": (ANSWERS_OK + f"  {TEXT_Q}: % van het budget\n").encode(),
    "ster.yaml": (ANSWERS_OK + f"  {TEXT_Q}: * OOV\n").encode(),
    "uitroepteken.yaml": (ANSWERS_OK + f"  {TEXT_Q}: !belangrijk OOV\n").encode(),
    "hoekje.yaml": (ANSWERS_OK + f"  {TEXT_Q}: 'Stichting 't Hoekje'\n").encode(),
    "dubbele-punt.yaml": (ANSWERS_OK + f"  {TEXT_Q}: OOV: en jeugd\n").encode(),
    "pijp-op-de-regel.yaml": (ANSWERS_OK + f"  {TEXT_Q}: | OOV\n").encode(),
    # The blank file's '|-' with the answer typed on the same line.
    "blok-op-de-regel.yaml": (ANSWERS_OK + f"  {TEXT_Q}: |- OOV en jeugd\n").encode(),
    "octaal.yaml": (ANSWERS_OK + "  intake.inwoners: 017600\n").encode(),
    "zestigtallig.yaml": (ANSWERS_OK + "  intake.inwoners: 1:30\n").encode(),
    "surrogaat-in-antwoord.yaml": (ANSWERS_OK + f'  {TEXT_Q}: "OOV \\udc80"\n').encode(),
}

SESSION = {
    # Cut mid-write, as a non-atomic writer would leave it when killed.
    "afgebroken.yaml": (ANSWERS_OK + "sessie:\n  status: bezig\n  deelnemers: [{rol: ambtenaar, "
                        "vanaf: '2026-11-23T10:0").encode(),
    "sessie-is-tekst.yaml": (ANSWERS_OK + "sessie: ja hoor\n").encode(),
}


def _fake_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>niet af")
    return buf.getvalue()


TEMPLATE = {
    "leeg.txt": b"",
    "binair.txt": bytes(range(256)) * 8,
    "latin1.txt": "Activiteiten — café\n".encode("latin-1", "replace"),
    "geen-tabel.txt": b"Plan van aanpak\n\nGewoon wat tekst zonder tabel.\n",
    "tekst-als-docx.docx": b"Dit is gewoon tekst met de naam .docx\n",
    "kapotte-zip.docx": b"PK\x03\x04" + b"\x00" * 200,
    "zip-zonder-word.docx": _fake_docx(),
}


def write() -> None:
    groups = {
        "vragenlijst": {**COMMON, **QUESTIONNAIRE},
        "module": {**COMMON, **MODULE},
        "antwoorden": {**COMMON, **ANSWERS},
        "sessie": {**COMMON, **SESSION},
        "sjabloon": TEMPLATE,
    }
    for group, files in groups.items():
        folder = HERE / group
        folder.mkdir(exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)


if __name__ == "__main__":
    write()
