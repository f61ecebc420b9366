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
import stat as _stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wizard.errors import WriteError, ZelfscanError

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
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ZelfscanError(
            f"{what} niet gevonden", file=p, hint="Controleer de naam en de map van het bestand."
        ) from None
    except OSError as e:
        raise _os_error(e, what, p) from None
    if _stat.S_ISDIR(st.st_mode):
        raise ZelfscanError(f"dit is een map, geen {what}", file=p, hint="Geef een bestand op.")
    if st.st_size > max_bytes:
        raise _too_big(what, p, st.st_size, max_bytes)
    try:
        with open(p, "rb") as fh:
            # Bounded read: a device (/dev/zero), pipe or a file that grew since stat()
            # must not make us read more than the limit.
            raw = fh.read(max_bytes + 1)
    except OSError as e:
        raise _os_error(e, what, p) from None
    if len(raw) > max_bytes:
        raise _too_big(what, p, None, max_bytes)
    return decode_text(raw, p, what=what)


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


def _os_error(e: OSError, what: str, p: Path) -> ZelfscanError:
    """An OSError as a Dutch message (strerror is English and locale-dependent)."""
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
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(path: str | Path, *, what: str = "bestand") -> YamlDoc:
    """Read and parse a YAML file. Raises ZelfscanError with file:line on any problem."""
    text = read_text(path, what=what)
    return parse_yaml(text, str(path), what=what)


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
                "Schrijf de waarde voluit op elke plek waar ze nodig is.",
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
    try:
        node = _compose(text, what)
    except _Refused as e:
        line = e.mark.line + 1 if e.mark is not None else None
        raise ZelfscanError(e.message, file=file, line=line, hint=e.hint) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ZelfscanError(
            f"{what} is geen geldige YAML: {_dutch_yaml_problem(e)}",
            file=file,
            line=line,
            hint="Controleer inspringing, dubbele punten en aanhalingstekens rond deze regel.",
        ) from None
    except yaml.reader.ReaderError as e:
        # A control character (e.g. from a copy-paste out of Word or a binary file).
        line = text.count("\n", 0, max(0, e.position)) + 1
        char = e.character if isinstance(e.character, int) else 0
        raise ZelfscanError(
            f"{what} bevat een teken dat niet in een tekstbestand hoort (U+{char:04X})",
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
    builder = _Builder(doc, what)
    doc.data = builder.build(node, (), 0)
    return doc


# PyYAML's problems (English) as Dutch, by regular expression, in order. Nothing English
# reaches the user: an unknown problem gets the general Dutch sentence at the end.
_YAML_PROBLEMS = (
    (r"found character '\\t' that cannot start any token", "een tab-teken; gebruik spaties"),
    (r"found character '(.)' that cannot start any token",
     "het teken {0} kan hier niet aan het begin staan; zet de tekst tussen aanhalingstekens"),
    (r"mapping values are not allowed here", "een dubbele punt op een plek waar dat niet mag"),
    (r"could not find expected ':'", "er ontbreekt een dubbele punt"),
    (r"found undefined alias", "een verwijzing (*) zonder anker"),
    (r"expected <block end>, but found '-'", "een lijstitem op de verkeerde inspringing"),
    (r"expected <block end>, but found '<scalar>'",
     "tekst na een afsluitend aanhalingsteken; zet de hele tekst tussen aanhalingstekens"),
    (r"expected <block end>, but found", "de inspringing klopt niet"),
    (r"but found another document", "meer dan één YAML-document (een tweede '---')"),
    (r"found duplicate anchor", "hetzelfde anker (&) komt twee keer voor"),
    (r"found unknown escape character '?(.)'?",
     ("een onbekende code \\{0} tussen dubbele aanhalingstekens; gebruik enkele "
      "aanhalingstekens, of schrijf \\\\ voor een backslash")),
    (r"expected ',' or '\]'", "een lijst tussen [ ] is niet afgesloten"),
    (r"expected ',' or '\}'", "sleutels tussen { } zijn niet afgesloten"),
    (r"found unexpected end of stream",
     "het bestand houdt onverwacht op (ontbreekt een aanhalingsteken?)"),
    (r"found unhashable key", "een sleutel moet een eenvoudige tekst zijn"),
    (r"could not determine a constructor", "een onbekend YAML-label (!!...)"),
    (r"did not find expected key", "de inspringing klopt niet (een sleutel ontbreekt)"),
    (r"did not find expected (-|<document start>|node content)",
     "de inspringing of een aanhalingsteken klopt niet"),
)


def _dutch_yaml_problem(e: yaml.MarkedYAMLError) -> str:
    import re

    problem = (e.problem or "").strip()
    for english, dutch in _YAML_PROBLEMS:
        m = re.match(english, problem)
        if m:
            return dutch.replace("{0}", m.group(1)) if m.groups() else dutch
    return "de opbouw klopt hier niet (inspringing, dubbele punt of aanhalingsteken)"


class _Builder:
    def __init__(self, doc: YamlDoc, what: str) -> None:
        self.doc = doc
        self.what = what
        self.count = 0
        self.constructor = yaml.SafeLoader("")  # only used for scalar conversion
        self.seen_nodes: set[int] = set()

    def fail(self, message: str, node: yaml.Node, hint: str | None = None) -> ZelfscanError:
        return ZelfscanError(message, file=self.doc.file, line=node.start_mark.line + 1, hint=hint)

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
        if node.tag not in _STD_TAGS:
            raise self.fail(
                f"onbekend YAML-label '{node.tag}'",
                node,
                hint="Labels als !!python/object worden nooit uitgevoerd; haal het label weg.",
            )
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
        return value

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag not in _STD_TAGS:
            raise self.fail(
                f"onbekend YAML-label '{node.tag}'",
                node,
                hint="Labels als !!python/object worden nooit uitgevoerd; haal het label weg.",
            )
        try:
            value = self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError):
            # e.g. 2026-13-45 (looks like a date, is none) or an integer of 5,000 digits.
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            raise self.fail(
                f"waarde '{shown}' kan niet worden gelezen",
                node,
                hint="Een datum schrijft u als JJJJ-MM-DD (bijv. 2026-11-23); een getal met "
                "hooguit 15 cijfers; anders zet u de tekst tussen aanhalingstekens.",
            ) from None
        if isinstance(value, _dt.datetime):
            return value.isoformat()
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, float) and math.isnan(value):  # NaN never means anything here
            return node.value
        return value


def atomic_write_text(path: str | Path, text: str, *, private: bool = False) -> None:
    """Write a file so that readers see the old or the new content, never half of it.

    Writes to a temporary file in the same folder, fsyncs, then renames over the target.
    `private` creates the file readable by the user only (answers and session files).
    """
    atomic_write_bytes(path, text.encode("utf-8"), private=private)


def atomic_write_bytes(path: str | Path, data: bytes, *, private: bool = False) -> None:
    """See atomic_write_text. Any OSError is raised as WriteError (Dutch, file named)."""
    try:
        _atomic_write_bytes(Path(path), data, private)
    except WriteError:
        raise
    except OSError as e:
        # Read-only folder, full disk, a file where a folder should be: the user's to fix,
        # so a Dutch message instead of a crash report. Still an OSError for callers.
        if e.errno == _errno.EEXIST:  # mkdir of a folder whose name is taken by a file
            e = NotADirectoryError(_errno.ENOTDIR, "not a directory")
        raise WriteError(e, path) from None


def _atomic_write_bytes(p: Path, data: bytes, private: bool) -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    # Unique per process and per call, created exclusively: two writers (threads or
    # processes) never share a temp file. Hidden and ending in .tmp, so no loader or
    # glob for *.yaml / *.md ever picks one up if a kill leaves it behind.
    import secrets  # here, not at the top: it pulls in hmac/hashlib (~8 ms at start-up)

    tmp = p.with_name(f".{p.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    mode = 0o600 if private else 0o644
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(p.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    _remove_stale_temps(p)


def _remove_stale_temps(p: Path) -> None:
    """Delete temp files of `p` left by writers that were killed (their pid is gone)."""
    try:
        candidates = list(p.parent.glob(f".{_glob_escape(p.name)}.*.tmp"))
    except OSError:
        return
    for tmp in candidates:
        parts = tmp.name[len(p.name) + 2 :].split(".")
        if len(parts) < 2 or not parts[0].isdigit():
            continue
        pid = int(parts[0])
        if pid == os.getpid() or _pid_alive(pid):
            continue
        try:
            tmp.unlink()
        except OSError:
            pass


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or unknown: leave its file alone
    return True


def quarantine(path: str | Path) -> Path:
    """Move a damaged file aside as `<stem>.beschadigd-<n><suffix>` and return the new path.

    Used when a session file cannot be read on resume: the user's data is kept (never
    overwritten by a fresh session) and the original name is free again. `n` is the
    lowest number not yet taken, so earlier quarantined copies are never replaced.
    """
    p = Path(path)
    n = 1
    while True:
        target = p.with_name(f"{p.stem}.beschadigd-{n}{p.suffix}")
        try:
            os.link(p, target)  # fails if target exists: no race overwrites a copy
        except FileExistsError:
            n += 1
            continue
        except OSError:
            if target.exists():
                n += 1
                continue
            os.replace(p, target)  # file systems without hard links
            return target
        os.unlink(p)
        return target
