"""The fast way to read a valid YAML file: libyaml's events straight into plain data.

`yamlio.parse_yaml` reads every file through here first. The general reader composes a node
tree in Python and then walks it (about two thirds of all reading time); this one builds the
data, lines, sources, typed texts and comments in one pass over libyaml's events, with the
same resolution and conversion. It handles only what a valid file needs: at the first thing
that would be a problem for the general reader (an anchor, an alias, an explicit tag, a
duplicate or non-text key, a value that cannot be converted, a refused character, too many
nodes or levels, more than one document, a syntax error) it gives up (`Fallback`) and the
file is read again the general way, so every error message stays exactly as it was.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import yaml
from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from wizard.files.text import find_bad_char, join_surrogate_pairs

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: always the general reader
    CParser = None  # type: ignore[assignment,misc]  # a missing optional class, checked below

_STR = "tag:yaml.org,2002:str"
# Tags a plain scalar may resolve to that the general reader converts without a problem;
# any other (merge '<<', value '=') is refused there, so here it means Fallback.
_CONVERTED = frozenset({
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
})


# A comment after a plain scalar on its line (YAML drops it); yamlio records it.
COMMENT_AFTER = re.compile(r"[ \t]+(#.*)$")


# The composer's resolver (yamlio's readers mix in yaml.resolver.Resolver), and the first
# characters its implicit resolvers look at; with path resolvers or a resolver for any first
# character (None), every plain scalar is resolved.
_RESOLVER = yaml.resolver.Resolver()
_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)
_ANY_FIRST = None in yaml.resolver.Resolver.yaml_implicit_resolvers \
    or bool(yaml.resolver.Resolver.yaml_path_resolvers)


class Fallback(Exception):
    """Not for the fast reader: read the text again with the general one."""


def build(text: str, builder: Any, max_nodes: int, max_depth: int) -> Any:
    """The document's data, recording into builder.doc exactly what yamlio's _Builder
    records for the same text; raises Fallback for anything else (see the module text).

    `builder` is yamlio's _Builder: its `doc`, `scalar` (conversion of non-text values),
    `constructor.resolve` and `source_line` are used, so both readers share one definition.
    """
    if CParser is None:
        raise Fallback
    try:
        parser = CParser(text)
    except Exception:  # noqa: BLE001 - e.g. a lone surrogate: the general reader decides
        raise Fallback from None
    try:
        return _Reader(parser, builder, text, max_nodes, max_depth).document()
    except Fallback:
        raise
    except Exception:  # noqa: BLE001 - a syntax error etc.: the general reader words it
        raise Fallback from None
    finally:
        parser.dispose()


class _Reader:
    def __init__(self, parser: Any, builder: Any, text: str, max_nodes: int,
                 max_depth: int) -> None:
        self.get = parser.get_event
        self.builder = builder
        self.doc = builder.doc
        self.lines = builder.doc.lines
        self.max_nodes, self.max_depth = max_nodes, max_depth
        self.nodes = 0
        # No character can be refused and no surrogate pair joined in any value when the
        # whole text has none and no backslash escape (values come from the text, or from
        # escapes in double quotes); then the per-value checks can be skipped.
        self.clean = "\\" not in text and find_bad_char(text) is None

    def document(self) -> Any:
        get = self.get
        get()  # StreamStart
        event = get()
        if type(event) is StreamEndEvent:
            raise Fallback  # empty: the general reader says so
        data = self.node(get(), (), 0)
        get()  # DocumentEnd
        if type(get()) is not StreamEndEvent:
            raise Fallback  # a second document
        return data

    def scalar(self, event: Any) -> Any:
        """The value of a scalar event, as _Builder.scalar gives it."""
        value = event.value
        # A plain scalar is resolved as the composer does (Resolver.resolve); one whose first
        # character starts no implicit resolver is text without asking (most of them).
        if event.implicit[0] and (not value or value[0] in _FIRST or _ANY_FIRST):
            tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
            if tag != _STR:
                if tag not in _CONVERTED:
                    raise Fallback
                node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark,
                                       style=event.style)
                try:
                    return self.builder.scalar(node)
                except Exception:  # noqa: BLE001 - the general reader gives the message
                    raise Fallback from None
        if not self.clean:
            value = join_surrogate_pairs(value)
            if find_bad_char(value) is not None:
                raise Fallback
        return value

    def node(self, event: Any, path: tuple, depth: int) -> Any:
        kind = type(event)
        if kind is not ScalarEvent and kind is not MappingStartEvent \
                and kind is not SequenceStartEvent:
            raise Fallback  # an alias
        self.nodes += 1
        if self.nodes > self.max_nodes or depth > self.max_depth or event.anchor is not None \
                or event.tag is not None:
            raise Fallback  # too many nodes, too deep, an anchor or an explicit tag
        self.lines.setdefault(path, event.start_mark.line + 1)
        if kind is ScalarEvent:
            value = self.scalar(event)
            if isinstance(value, float):
                self.doc.sources[path] = event.value
            if not event.style:  # plain: what YAML made of the text as typed
                if not isinstance(value, str) and value is not None:
                    self.doc.typed[path] = event.value
                end = event.end_mark
                # match at a position, not on a slice: a slice copies the rest of the line
                # for every value (quadratic on a long flow list)
                comment = COMMENT_AFTER.match(self.builder.source_line(end.line), end.column)
                if comment:
                    self.doc.comments[path] = comment.group(1)
            return value
        get = self.get
        if kind is SequenceStartEvent:
            out: list[Any] = []
            i = 0
            while True:
                item = get()
                if type(item) is SequenceEndEvent:
                    return out
                out.append(self.node(item, path + (i,), depth + 1))
                i += 1
        result: dict[Any, Any] = {}
        lines = self.lines
        while True:
            key_event: Any = get()
            if type(key_event) is MappingEndEvent:
                return result
            if type(key_event) is not ScalarEvent:
                raise Fallback  # a key that is not plain text, or an alias
            self.nodes += 1
            if self.nodes > self.max_nodes or depth + 1 > self.max_depth \
                    or key_event.anchor is not None or key_event.tag is not None:
                raise Fallback
            key = self.scalar(key_event)
            if key is None or isinstance(key, (bool, float, _dt.date)):
                key = key_event.value
            if key in result:
                raise Fallback  # a duplicate key
            key_path = path + (key,)
            key_line = key_event.start_mark.line + 1  # type: ignore[union-attr]  # set by libyaml
            lines[key_path] = key_line
            result[key] = self.node(get(), key_path, depth + 1)
            lines[key_path] = key_line

