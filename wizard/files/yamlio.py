"""Safe YAML reading with line numbers, limits and Dutch errors.

Every YAML file the tool reads (questionnaires, rules, answers, sessions) comes through
`load_yaml`. It never constructs objects (safe loader, standard tags only), refuses
anchors/aliases (no alias bombs), duplicate keys, over-deep nesting and oversized files,
and remembers the line of every key and list item so validation can say file:line.
"""

from __future__ import annotations

import datetime as _dt
import errno as _errno
import math
import os
import re
import stat as _stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wizard.errors import ZelfscanError
from wizard.files import yamlfast

# Writing lives in wizard.files.atomic; these names stay importable from here.
from wizard.files.atomic import (  # noqa: F401
    _pid_alive,
    _remove_stale_temps,
    atomic_write_bytes,
    atomic_write_text,
    quarantine,
)
from wizard.files.text import BAD_CHAR_HINT, describe_char, find_bad_char, join_surrogate_pairs
from wizard.files.yamlerrors import dutch_problem, mark_line, syntax_hint

# Documented limits (README, "Grenzen").
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000

Path_ = tuple  # a path into the document: keys and list indexes

_STD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class YamlDoc:
    """A parsed YAML document plus the line (1-based) of every node, keyed by path."""

    data: Any
    file: str
    lines: dict[tuple, int] = field(default_factory=dict)
    # The text as written of every scalar YAML read as a float, keyed by path: YAML reads
    # the Dutch "25.000" as 25.0, and the answers reader needs the digits to read 25000.
    sources: dict[tuple, str] = field(default_factory=dict)
    # Plain (unquoted) scalars that YAML read as something other than text: path -> the
    # text as typed (`12:30` -> 750, `ja` -> True). Answers to text questions use it.
    typed: dict[tuple, str] = field(default_factory=dict)
    # Plain scalars followed by a comment on the same line: path -> '# ...' (YAML drops it).
    comments: dict[tuple, str] = field(default_factory=dict)

    def line(self, *path: Any) -> int | None:
        """Line of the node at `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]

    def source(self, *path: Any) -> str | None:
        """The text as written of the float scalar at `path`, or None."""
        return self.sources.get(tuple(path))


def read_text(path: str | Path, *, what: str = "bestand", max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file (BOM allowed) with a size limit checked before reading."""
    return decode_text(read_bytes(path, what=what, max_bytes=max_bytes), path, what=what)


def read_bytes(path: str | Path, *, what: str = "bestand", max_bytes: int = MAX_FILE_BYTES
               ) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, or a Dutch ZelfscanError.

    Anything that is not a regular file (a named pipe, a device, a socket, a folder) is
    refused before it is opened: reading a pipe blocks until someone writes to it, so one
    such name would hang a whole batch. The file is opened non-blocking and checked again
    on the open descriptor, so a pipe swapped in after the first check cannot hang us either.
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise ZelfscanError(
            f"{what} niet gevonden", file=p, hint="Controleer de naam en de map van het bestand."
        ) from None
    except (OSError, ValueError) as e:
        raise _os_error(e, what, p) from None
    _require_regular(st, what, p)
    if st.st_size > max_bytes:
        raise _too_big(what, p, st.st_size, max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise ZelfscanError(
            f"{what} niet gevonden", file=p, hint="Controleer de naam en de map van het bestand."
        ) from None
    except OSError as e:
        raise _os_error(e, what, p) from None
    try:
        _require_regular(os.fstat(fd), what, p)
        # Bounded read: a file that grew since stat() must not make us read more.
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as e:
        raise _os_error(e, what, p) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > max_bytes:
        raise _too_big(what, p, None, max_bytes)
    return raw


_SPECIAL_KINDS = (
    (_stat.S_ISFIFO, "een pijp (FIFO)"),
    (_stat.S_ISCHR, "een apparaat"),
    (_stat.S_ISBLK, "een apparaat"),
    (_stat.S_ISSOCK, "een socket"),
)


def _require_regular(st: os.stat_result, what: str, p: Path) -> None:
    if _stat.S_ISREG(st.st_mode):
        return
    if _stat.S_ISDIR(st.st_mode):
        raise ZelfscanError(f"dit is een map, geen {what}", file=p, hint="Geef een bestand op.")
    kind = next((name for test, name in _SPECIAL_KINDS if test(st.st_mode)), "geen gewoon bestand")
    raise ZelfscanError(
        f"dit is {kind}, geen gewoon bestand; Zelfscan leest het niet", file=p,
        hint="Geef een gewoon bestand op (bijvoorbeeld een .yaml-bestand op schijf).")


def _too_big(what: str, p: Path, size: int | None, max_bytes: int) -> ZelfscanError:
    shown = f"{size // 1024} KiB" if size is not None else f"meer dan {max_bytes // 1024} KiB"
    return ZelfscanError(
        f"{what} is te groot ({shown}; de grens is {max_bytes // (1024 * 1024)} MiB)",
        file=p,
        hint="Controleer of dit het juiste bestand is; een vragenlijst of antwoordbestand "
        "is hooguit enkele honderden KiB.",
    )


_OS_REASONS = {
    _errno.EACCES: "geen toestemming om het te lezen",
    _errno.EPERM: "geen toestemming om het te lezen",
    _errno.EISDIR: "het is een map",
    _errno.ENOTDIR: "een deel van het pad is geen map",
    _errno.ENAMETOOLONG: "de naam is te lang",
    _errno.ELOOP: "te veel snelkoppelingen (symlinks) achter elkaar",
    _errno.EIO: "leesfout op de schijf",
}


def _os_error(e: OSError | ValueError, what: str, p: Path) -> ZelfscanError:
    """An OSError as a Dutch message (strerror is English and locale-dependent)."""
    if isinstance(e, ValueError):  # e.g. a NUL byte in the name
        reason = "ongeldige bestandsnaam"
    else:
        reason = _OS_REASONS.get(e.errno or 0, f"systeemfout {e.errno}")
    return ZelfscanError(
        f"{what} kan niet worden gelezen ({reason})",
        file=p,
        hint="Controleer de naam, de map en de rechten van het bestand.",
    )


def decode_text(raw: bytes, file: str | Path, *, what: str = "bestand") -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ZelfscanError(
            f"{what} is opgeslagen als UTF-16; verwacht wordt UTF-8",
            file=file,
            hint="Sla het bestand op als UTF-8 (in Kladblok: Opslaan als → Codering: UTF-8).",
        )
    if raw.startswith(b"PK\x03\x04"):
        named_zip = str(file).lower().endswith((".xlsx", ".xlsm", ".docx"))
        raise ZelfscanError(
            f"{what} is een ingepakt bestand (zoals een Excel- of Word-bestand), geen tekst",
            file=file,
            hint=("Dit is waarschijnlijk het Word-bestand: geef het de naam .docx, of "
                  "exporteer het sjabloon als tekst (.txt)." if "sjabloon" in what else
                  "Hier is een YAML-bestand nodig. Een Excel-werkmap gebruikt u met "
                  "'zelfscan batch', 'compare' of 'validate'; een Word-sjabloon met "
                  "'zelfscan generate'." if named_zip else
                  "Een ingevulde Excel-werkmap moet op .xlsx eindigen; een sjabloon in Word "
                  "op .docx. Anders: geef het YAML-bestand op."),
        )
    if b"\x00" in raw[:8192]:
        raise ZelfscanError(
            f"{what} lijkt een binair bestand, geen tekst",
            file=file,
            hint="Verwacht wordt een tekstbestand in UTF-8 (bijvoorbeeld .yaml of .txt).",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ZelfscanError(
            f"{what} is geen geldige UTF-8-tekst (byte 0x{raw[e.start]:02x}); "
            "verwacht wordt UTF-8",
            file=file,
            line=line,
            hint="Sla het bestand op als UTF-8 (in Kladblok: Opslaan als → Codering: UTF-8).",
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_c1(text, file, what)
    return text


_C1 = re.compile("[\x80-\x9f]")


def _refuse_c1(text: str, file: str | Path, what: str) -> None:
    """YAML reads U+0085 as a line break and drops it silently; no C1 control belongs in
    text (it is usually Windows-1252 text saved the wrong way)."""
    c1 = _C1.search(text)
    if c1 is not None:
        raise ZelfscanError(
            f"{what} bevat {describe_char(c1.group())}, een teken dat niet in een tekstbestand "
            "hoort", file=file, line=text.count("\n", 0, c1.start()) + 1,
            hint="Verwijder dat teken, of sla het bestand opnieuw op als gewone UTF-8-tekst.")


def load_yaml(path: str | Path, *, what: str = "bestand") -> YamlDoc:
    """Read and parse a YAML file. Raises ZelfscanError with file:line on any problem."""
    text = read_text(path, what=what)  # decode_text has refused C1 controls already
    return _parse(text, str(path), what)


class _Refused(Exception):
    """A limit hit while composing; turned into a ZelfscanError by parse_yaml."""

    def __init__(self, message: str, mark: Any, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.mark, self.hint = message, mark, hint


class _Limits:
    """Composer mixin that enforces the limits while it reads.

    Checking only after composing is too late: a 2 MB flow list builds millions of nodes
    (hundreds of MB, tens of seconds) before anyone counts them, and aliases would already
    be shared. Here the first alias, the node past MAX_NODES or the level past MAX_DEPTH
    stops the parse at once.
    """

    def _init_limits(self, what: str) -> None:
        self._what = what
        self._nodes = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        event = self.peek_event()  # type: ignore[attr-defined]  # from the mixed-in parser
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                "YAML-ankers en -verwijzingen (& en *) worden niet ondersteund",
                event.start_mark,
                "Schrijf de waarde voluit op elke plek waar ze nodig is. Begint uw tekst met "
                "*? Zet hem dan tussen aanhalingstekens.",
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            # An anchor that nothing refers to is harmless to YAML but not to a typed answer:
            # `&OOV en jeugd` would silently lose '&OOV'. Anchors are never needed here.
            raise _Refused(
                f"'&{anchor}' is voor YAML een anker, geen tekst: het zou wegvallen (YAML-ankers "
                "en -verwijzingen worden niet ondersteund)",
                event.start_mark,
                "Begint uw tekst met &? Zet de hele waarde dan tussen enkele aanhalingstekens, "
                f"bijv. '&{anchor} ...'. Anders: haal het anker weg.",
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(
                f"{self._what} bevat te veel elementen (meer dan {MAX_NODES})",
                event.start_mark,
                "Controleer of dit het juiste bestand is.",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:  # the root is level 0
                raise _Refused(
                    f"{self._what} is te diep genest (meer dan {MAX_DEPTH} niveaus)",
                    event.start_mark,
                    "Een antwoorden- of vragenbestand heeft maar een paar niveaus nodig.",
                )
            return super().compose_node(parent, index)  # type: ignore[misc]  # the Composer
        finally:
            self._depth -= 1


class _LimitedLoader(_Limits, yaml.SafeLoader):
    """The pure-Python reader, scanner and parser (exact PyYAML messages for errors)."""

    def __init__(self, text: str, what: str) -> None:
        yaml.SafeLoader.__init__(self, text)
        self._init_limits(what)


try:  # Performance: libyaml's scanner and parser are ~10x faster than PyYAML's own.
    from yaml._yaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None  # type: ignore[assignment,misc]  # a missing optional class, checked below

if _CParser is not None:

    class _FastLimitedLoader(_Limits, yaml.composer.Composer, _CParser,  # type: ignore[misc]
                             yaml.resolver.Resolver):
        """libyaml events composed by PyYAML's Python composer with the same limit checks.

        Only scanning and parsing (the slow part) happen in C; composing stays in Python,
        so aliases, node counts and depth are still refused while reading, and every node
        keeps its line. On a syntax error the text is read again with _LimitedLoader, so
        messages and lines stay exactly PyYAML's; a refused limit is reported at once.
        """

        def __init__(self, text: str, what: str) -> None:
            _CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._init_limits(what)


def _compose(text: str, what: str) -> Any:
    """The document's root node (None when empty); limits enforced while composing."""
    if _CParser is not None:
        loader: Any = _FastLimitedLoader(text, what)
        try:
            return loader.get_single_node()
        except yaml.YAMLError:
            pass  # read again below: the pure-Python reader gives the documented messages
        finally:
            loader.dispose()
    loader = _LimitedLoader(text, what)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def parse_yaml(text: str, file: str, *, what: str = "bestand") -> YamlDoc:
    _refuse_c1(text, file, what)
    return _parse(text, file, what)


def _parse(text: str, file: str, what: str) -> YamlDoc:
    if _CParser is not None:  # a valid file in one pass; anything else the general way below
        doc = YamlDoc(None, file)
        try:
            doc.data = yamlfast.build(text, _Builder(doc, what, text), MAX_NODES, MAX_DEPTH)
            return doc
        except yamlfast.Fallback:
            pass
    try:
        node = _compose(text, what)
    except _Refused as e:
        line = e.mark.line + 1 if e.mark is not None else None
        raise ZelfscanError(e.message, file=file, line=line, hint=e.hint) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark_line(mark)
        raise ZelfscanError(
            f"{what} is geen geldige YAML: {dutch_problem(e.problem)}",
            file=file,
            line=line,
            hint=syntax_hint(text, line) or
            "Controleer inspringing, dubbele punten en aanhalingstekens rond deze regel.",
        ) from None
    except yaml.reader.ReaderError as e:
        # A control character (e.g. from a copy-paste out of Word or a binary file).
        line = text.count("\n", 0, max(0, e.position)) + 1
        char = e.character if isinstance(e.character, int) else 0
        raise ZelfscanError(
            f"{what} bevat {describe_char(chr(char))}, een teken dat niet in een tekstbestand "
            "hoort",
            file=file,
            line=line,
            hint="Verwijder dat teken, of sla het bestand opnieuw op als gewone UTF-8-tekst.",
        ) from None
    except yaml.YAMLError:
        raise ZelfscanError(
            f"{what} is geen geldige YAML",
            file=file,
            hint="Controleer inspringing, dubbele punten en aanhalingstekens.",
        ) from None
    except RecursionError:
        raise ZelfscanError(
            f"{what} is te diep genest (meer dan {MAX_DEPTH} niveaus)", file=file
        ) from None
    if node is None:
        raise ZelfscanError(f"{what} is leeg", file=file, hint="Vul het bestand of kies een ander.")
    doc = YamlDoc(None, file)
    builder = _Builder(doc, what, text)
    doc.data = builder.build(node, (), 0)
    return doc


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


_TAG_HINTS = {
    "tag:yaml.org,2002:bool": "ja/nee-waarden zijn true of false",
    "tag:yaml.org,2002:int": "een heel getal, zoals 42",
    "tag:yaml.org,2002:float": "een getal, zoals 4.2",
    "tag:yaml.org,2002:timestamp": "een datum als JJJJ-MM-DD, zoals 2026-11-23",
    "tag:yaml.org,2002:null": "leeg, ~ of null",
}
_NULL_WORDS = {"", "~", "null", "Null", "NULL"}
_COMMENT_AFTER = yamlfast.COMMENT_AFTER


class _Builder:
    """Turns the composed nodes into plain data, recording lines and what YAML changed.

    Besides data and lines it records, for plain (unquoted) scalars, the text as typed when
    YAML read it as something other than text (`12:30` -> 750, `ja` -> True) and a comment
    that follows on the same line (`OOV #1` -> 'OOV'), so answers can be read as typed or
    refused (wizard.answers.store); and it refuses characters no output format can hold.
    """

    def __init__(self, doc: YamlDoc, what: str, text: str) -> None:
        self.doc = doc
        self.what = what
        self.text = text
        self._lines: list[str] | None = None
        self.count = 0
        self.constructor = yaml.SafeLoader("")  # only used for scalar conversion
        self.seen_nodes: set[int] = set()

    def source_line(self, index: int) -> str:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines[index] if 0 <= index < len(self._lines) else ""

    def fail(self, message: str, node: yaml.Node, hint: str | None = None,
             line: int | None = None) -> ZelfscanError:
        return ZelfscanError(message, file=self.doc.file,
                             line=line or node.start_mark.line + 1, hint=hint)

    def build(self, node: yaml.Node, path: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"{self.what} bevat te veel elementen (meer dan {MAX_NODES})", node)
        if depth > MAX_DEPTH:
            raise self.fail(
                f"{self.what} is te diep genest (meer dan {MAX_DEPTH} niveaus)",
                node,
                hint="Een antwoorden- of vragenbestand heeft maar een paar niveaus nodig.",
            )
        if id(node) in self.seen_nodes:  # the composer shares aliased nodes
            raise self.fail(
                "YAML-ankers en -verwijzingen (& en *) worden niet ondersteund", node,
                hint="Schrijf de waarde voluit op elke plek waar ze nodig is.",
            )
        self.check_tag(node)
        self.seen_nodes.add(id(node))
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail("YAML-samenvoegsleutels (<<) worden niet ondersteund", key_node)
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail("een sleutel moet een eenvoudige tekst zijn", key_node)
                self.check_tag(key_node)
                key = self.scalar(key_node)
                if isinstance(key, (_dt.date, float)) or key is None or isinstance(key, bool):
                    key = key_node.value
                key_line = key_node.start_mark.line + 1
                if key in seen:
                    raise self.fail(
                        f"sleutel '{key}' komt twee keer voor (eerder op regel {seen[key]})",
                        key_node,
                        hint="Verwijder een van de twee of geef ze verschillende namen.",
                    )
                seen[key] = key_line
                self.doc.lines[path + (key,)] = key_line
                result[key] = self.build(value_node, path + (key,), depth + 1)
                # Scalar values: the key's line is the useful one for messages.
                self.doc.lines[path + (key,)] = key_line
            return result
        if isinstance(node, yaml.SequenceNode):
            out = []
            for i, item in enumerate(node.value):
                out.append(self.build(item, path + (i,), depth + 1))
            return out
        value = self.scalar(node)
        if isinstance(value, float):
            self.doc.sources[path] = node.value
        if not getattr(node, "style", None):  # plain: what YAML made of the text as typed
            if not isinstance(value, str) and value is not None:
                self.doc.typed[path] = node.value
            comment = _COMMENT_AFTER.match(  # at a position: no copy of a long line
                self.source_line(node.end_mark.line), node.end_mark.column)
            if comment:
                self.doc.comments[path] = comment.group(1)
        return value

    def check_tag(self, node: yaml.Node) -> None:
        if node.tag not in _STD_TAGS:
            raise self.fail(
                f"onbekend YAML-label '{node.tag}'",
                node,
                hint="Labels als !!python/object worden nooit uitgevoerd; haal het label weg. "
                "Begint uw tekst met !? Zet hem dan tussen aanhalingstekens.",
            )
        kind = ("tag:yaml.org,2002:map" if isinstance(node, yaml.MappingNode) else
                "tag:yaml.org,2002:seq" if isinstance(node, yaml.SequenceNode) else None)
        if (kind is not None and node.tag != kind) or (
                kind is None and node.tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")):
            raise self.fail(
                f"het YAML-label {_short_tag(node.tag)} past niet bij deze waarde",
                node, hint=f"Haal het label {_short_tag(node.tag)} weg.")

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag == "tag:yaml.org,2002:null" and node.value not in _NULL_WORDS:
            raise self.tag_mismatch(node)  # `!!null tekst` would silently drop the text
        try:
            value = self.constructor.construct_object(node)
        except Exception:  # noqa: BLE001 - PyYAML raises KeyError, IndexError, ... for typed tags
            # e.g. 2026-13-45 (looks like a date, is none), an integer of 5,000 digits, or
            # an explicit tag with a value that does not fit it (`!!bool misschien`).
            if self.explicit_tag(node):
                raise self.tag_mismatch(node) from None
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            raise self.fail(
                f"waarde '{shown}' kan niet worden gelezen",
                node,
                hint="Een datum schrijft u als JJJJ-MM-DD (bijv. 2026-11-23); een getal met "
                "hooguit 15 cijfers; anders zet u de tekst tussen aanhalingstekens.",
            ) from None
        if isinstance(value, str):
            value = join_surrogate_pairs(value)
            self.check_text(value, node)
            return value
        if isinstance(value, _dt.datetime):
            return value.isoformat()
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, float) and math.isnan(value):  # NaN never means anything here
            return node.value
        return value

    def explicit_tag(self, node: yaml.Node) -> bool:
        resolved = self.constructor.resolve(yaml.ScalarNode, node.value, (True, False))
        return bool(getattr(node, "style", None)) or node.tag != resolved

    def tag_mismatch(self, node: yaml.Node) -> ZelfscanError:
        shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
        tag = _short_tag(node.tag)
        expected = _TAG_HINTS.get(node.tag)
        return self.fail(
            f"waarde '{shown}' past niet bij het YAML-label {tag}", node,
            hint=f"Haal het label {tag} weg" + (f", of schrijf een waarde die past ({expected})"
                                              if expected else "") + ".")

    def check_text(self, value: str, node: yaml.Node) -> None:
        i = find_bad_char(value)
        if i is None:
            return
        ch = value[i]
        line = node.start_mark.line + 1
        # The character as it stands in the file (not written as a \ code): its own line.
        for n in range(node.start_mark.line, node.end_mark.line + 1):
            if ch in self.source_line(n):
                line = n + 1
                break
        raise self.fail(f"de tekst bevat {describe_char(ch)}", node, hint=BAD_CHAR_HINT,
                        line=line)
