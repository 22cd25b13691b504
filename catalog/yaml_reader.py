"""Reading a catalog's YAML text into plain data (dicts, lists, str, int, ...) with line marks.

No Django. Events come from libyaml's C parser when PyYAML has it (a 2 MB file in well under a
second), else from PyYAML's pure-Python parser; either way this module builds the data itself,
from the event stream, without recursion, refusing anchors, aliases, unsafe tags and deep
nesting as it goes (before anything is expanded), reporting duplicate keys, and noting the line
of every place (see catalog/schema_errors.py). What the data means is checked elsewhere:
catalog/document.py (its shape) and catalog/references.py (what refers to what).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import yaml
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from catalog.schema_errors import CatalogInvalid, Path, SchemaError
from catalog.schema_errors import place as _place

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 50  # the schema needs 6 levels; anything far deeper is a mistake or an attack


@dataclass
class YamlData:
    """A file's data, the line of each place, and what the reader already reported."""

    data: object
    marks: dict[Path, int]
    errors: list[SchemaError] = field(default_factory=list)
    unreadable: set[Path] = field(default_factory=set)  # reported places, built as None


def read_yaml(source: str | bytes, *, filename: str) -> YamlData:
    """Decode and build the YAML; raise ``CatalogInvalid`` when nothing can be built.

    Values that could not be built are None in the data, reported in ``errors`` and listed
    in ``unreadable`` (so the checks after this stay quiet about them).
    """
    text, error = _decode(source, filename)
    if error is not None:
        raise CatalogInvalid([error])
    data, marks, errors, unreadable = _load_yaml(text, filename)
    if errors and data is None:
        raise CatalogInvalid(errors)
    return YamlData(data, marks, errors, unreadable)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects that all live.

    Its passes over a big graph of new objects cost a quarter of the time of a 2 MB file.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_YAML_TAG = "tag:yaml.org,2002:"
_SEQ_TAG = _YAML_TAG + "seq"
_MAP_TAG = _YAML_TAG + "map"
_STR_TAG = _YAML_TAG + "str"
_ALLOWED_TAGS = frozenset(
    _YAML_TAG + name for name in ("null", "bool", "int", "float", "str", "seq", "map")
)
_SCALAR_CONSTRUCTORS: dict[str, Callable] = {
    _YAML_TAG + "null": SafeConstructor.construct_yaml_null,
    _YAML_TAG + "bool": SafeConstructor.construct_yaml_bool,
    _YAML_TAG + "int": SafeConstructor.construct_yaml_int,
    _YAML_TAG + "float": SafeConstructor.construct_yaml_float,
    _STR_TAG: SafeConstructor.construct_yaml_str,
    # Plain dates resolve implicitly; the schema then refuses them where it wants text.
    _YAML_TAG + "timestamp": SafeConstructor.construct_yaml_timestamp,
}

# SafeLoader's implicit resolvers (YAML 1.1: null, bool, int, float, timestamp, ...) by the
# first character of a plain scalar, each list ending with those that apply to any character.
_ANY_FIRST = tuple(Resolver.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {
    first: (*resolvers, *_ANY_FIRST)
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
    if first is not None
}

# libyaml's C parser, when PyYAML was built with it. Only its events are used: its composer
# (CSafeLoader's) recurses once per level of nesting and crashes the process on deep input.
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml: the pure-Python parser
    _CParser = None


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that the catalog refuses: anchors, aliases, tags, deep nesting."""


class _PythonParser(Reader, Scanner, Parser):
    """PyYAML's pure-Python parser: events only, no composer, resolver or constructor."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _decode(source: str | bytes, filename: str) -> tuple[str, SchemaError | None]:
    """Check the size limit and decode UTF-8, before any parsing."""
    if isinstance(source, bytes):
        size = len(source)
    elif len(source) > MAX_BYTES or len(source) * 4 <= MAX_BYTES:
        size = len(source)  # decides the limit either way without encoding
    else:
        size = len(source.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        message = (
            f"the file is {size:,} bytes, over the limit of {MAX_BYTES:,} bytes (2 MiB); "
            "split it or trim it"
        )
        return "", SchemaError(filename, 1, "", message)
    if isinstance(source, str):
        return source, None
    try:
        return source.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = source.count(b"\n", 0, exc.start) + 1
        message = (
            f"the file is not valid UTF-8 (byte 0x{source[exc.start]:02x} at offset "
            f"{exc.start}); save it as UTF-8"
        )
        return "", SchemaError(filename, line, "", message)


def _load_yaml(
    text: str, filename: str, *, libyaml: bool | None = None
) -> tuple[object, dict[Path, int], list[SchemaError], set[Path]]:
    """Build the YAML into plain data plus the line of every place.

    Also returns the errors found on the way and the places of values that could
    not be built (they hold None); ``(None, {}, [error], set())`` when the YAML
    itself is unreadable or refused. Events come from libyaml's C parser when
    PyYAML has it (``libyaml=None``), else from PyYAML's pure-Python parser; the
    same ``_Builder`` checks and builds them either way.
    """
    encoded = None
    if libyaml is None:
        # libyaml accepts tabs where PyYAML's safe_load refuses them; such files take the
        # pure-Python parser, so exactly what safe_load accepts is allowed.
        libyaml = _CParser is not None and "\t" not in text
    if libyaml:
        if _CParser is None:
            raise RuntimeError("PyYAML was built without libyaml")
        try:
            encoded = text.encode("utf-8")
        except UnicodeEncodeError:
            encoded = None  # lone surrogates: the pure-Python reader names the character
    marks: dict[Path, int] = {}
    builder = _Builder(filename, marks)
    try:
        parser = _CParser(encoded) if encoded is not None else _PythonParser(text)
        try:
            data = builder.document(parser.get_event)
        finally:
            parser.dispose()
    except yaml.MarkedYAMLError as exc:
        return None, {}, [_yaml_error(exc, filename)], set()
    except ReaderError as exc:
        # libyaml counts bytes of the UTF-8 it was given; the pure-Python reader characters.
        if encoded is not None:
            line = encoded.count(b"\n", 0, exc.position) + 1
        else:
            line = text.count("\n", 0, exc.position) + 1
        character = exc.character if isinstance(exc.character, int) else None
        message = (
            f"the file contains the character U+{character:04X}, which YAML does not allow"
            if character is not None
            else f"the file cannot be read as YAML: {exc.reason}"
        )
        return None, {}, [SchemaError(filename, line, "", message)], set()
    return data, marks, builder.errors, builder.unreadable_paths


def _yaml_error(exc: yaml.MarkedYAMLError, filename: str) -> SchemaError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 1
    if isinstance(exc, _Refused):
        message = exc.problem
    elif exc.problem == "but found another document":
        message = "the file holds a second YAML document (after '---'); a catalog is one document"
    elif exc.context and exc.problem:
        context_line = exc.context_mark.line + 1 if exc.context_mark else line
        message = f"invalid YAML: {exc.context} (line {context_line}): {exc.problem}"
    else:
        message = f"invalid YAML: {exc.problem or exc.context}"
    return SchemaError(filename, line, "", " ".join(str(message).split()))


# States of a mapping being built, besides the key whose value comes next.
_EXPECT_KEY = object()  # the next node is a key
_KEY_OPEN = object()  # a key that is a list or a mapping is being read (reported, not built)
_SKIP_VALUE = object()  # the next node is the value of a key that was reported


class _Builder:
    """Build plain data straight from parser events, without recursion, noting each place's line.

    Every node is checked as it comes, the way PyYAML's composer meets them, wherever it
    is (even inside a value that is not built): an alias, an anchor, a tag outside the safe
    set or nesting deeper than MAX_DEPTH refuses the whole file at once, before anything
    is expanded or the nesting gets deeper. Values that cannot be built (a tag that does
    not fit, a duplicate key, a key that is not text) are reported with their line and held
    as None; the validator stays quiet about them.
    """

    def __init__(self, filename: str, marks: dict[Path, int]) -> None:
        self.filename = filename
        self.marks = marks
        self.errors: list[SchemaError] = []
        self.unreadable_paths: set[Path] = set()  # values already reported, built as None
        self.constructor = SafeConstructor()

    def error(self, line: int, path: Path, message: str) -> None:
        self.errors.append(SchemaError(self.filename, line, _place(path), message))

    def unreadable(self, line: int, path: Path, message: str) -> None:
        """Report a value that cannot be built; the validator stays quiet about it."""
        self.error(line, path, message)
        self.unreadable_paths.add(path)

    def document(self, get_event: Callable[[], Event]) -> object:
        """Read the stream: one document or none (None); a second document is an error."""
        get_event()  # StreamStartEvent
        event = get_event()
        if isinstance(event, StreamEndEvent):
            return None
        start_mark = event.start_mark  # DocumentStartEvent
        data = self.nodes(get_event)
        get_event()  # DocumentEndEvent
        event = get_event()
        if not isinstance(event, StreamEndEvent):
            raise ComposerError(
                "expected a single document in the stream",
                start_mark,
                "but found another document",
                event.start_mark,
            )
        return data

    def nodes(self, get_event: Callable[[], Event]) -> object:
        """Build the root node and everything in it; return its value.

        ``stack`` holds the open lists and mappings as ``[container, path, state]``;
        container is None for one that is not built (only checked), and state is the key
        whose value comes next (or _EXPECT_KEY, _KEY_OPEN, _SKIP_VALUE) for a mapping.
        """
        marks = self.marks
        stack: list[list] = []
        while True:
            event = get_event()
            kind = type(event)
            if kind is SequenceEndEvent or kind is MappingEndEvent:
                value = stack.pop()[0]
            else:
                line = event.start_mark.line + 1
                if kind is AliasEvent:
                    raise _Refused(
                        problem=f"aliases (*{event.anchor}) are not allowed; write the value out",
                        problem_mark=event.start_mark,
                    )
                if event.anchor is not None:
                    raise _Refused(
                        problem=f"anchors (&{event.anchor}) are not allowed; write each value out",
                        problem_mark=event.start_mark,
                    )
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
                    raise _Refused(
                        problem=f"the tag {_show_tag(tag)} is not allowed; "
                        "write plain text, numbers, lists and mappings",
                        problem_mark=event.start_mark,
                    )
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(
                        problem=f"the document is nested more than {MAX_DEPTH} levels deep",
                        problem_mark=event.start_mark,
                    )
                # Where the node goes: path is None when it is only checked, not built.
                if not stack:
                    path: Path | None = ()
                    marks[path] = line
                else:
                    parent = stack[-1]
                    container = parent[0]
                    if container is None:
                        path = None
                    elif type(container) is list:
                        path = (*parent[1], len(container))
                        marks[path] = line
                    else:
                        state = parent[2]
                        if state is _EXPECT_KEY:
                            if kind is ScalarEvent:
                                key = event.value
                                key_path = (*parent[1], key)
                                if key in container:
                                    first = marks[key_path]
                                    message = f"duplicate key '{key}' (first given on line {first})"
                                    self.error(line, key_path, message)
                                    parent[2] = _SKIP_VALUE
                                else:
                                    marks[key_path] = line
                                    parent[2] = key
                                continue
                            message = "a key must be a plain name, not a list or a mapping"
                            self.error(line, parent[1], message)
                            parent[2] = _KEY_OPEN
                            path = None
                        elif state is _SKIP_VALUE:
                            path = None
                        else:
                            path = (*parent[1], state)
                # The node itself.
                if kind is ScalarEvent:
                    value = None if path is None else self.scalar(event, tag, path, line)
                elif path is None:
                    stack.append([None, None, None])
                    continue
                elif kind is SequenceStartEvent:
                    if tag is None or tag == "!" or tag == _SEQ_TAG:
                        stack.append([[], path, None])
                    else:
                        message = f"the tag {_show_tag(tag)} cannot be put on a list"
                        self.unreadable(line, path, message)
                        stack.append([None, None, None])
                    continue
                else:  # MappingStartEvent
                    if tag is None or tag == "!" or tag == _MAP_TAG:
                        stack.append([{}, path, _EXPECT_KEY])
                    else:
                        message = f"the tag {_show_tag(tag)} cannot be put on a mapping"
                        self.unreadable(line, path, message)
                        stack.append([None, None, None])
                    continue
            # A node is complete: hand its value to the list or mapping around it.
            if not stack:
                return value
            parent = stack[-1]
            container = parent[0]
            if container is None:
                continue
            if type(container) is list:
                container.append(value)
                continue
            state = parent[2]
            if state is _KEY_OPEN:
                parent[2] = _SKIP_VALUE
            elif state is _SKIP_VALUE:
                parent[2] = _EXPECT_KEY
            else:
                container[state] = value
                parent[2] = _EXPECT_KEY

    def scalar(self, event: ScalarEvent, tag: str | None, path: Path, line: int) -> object:
        value = event.value
        if tag is None or tag == "!":
            # PyYAML resolves a '!' scalar like a plain one even when empty; libyaml does not.
            tag = _STR_TAG
            if event.implicit[0] or event.tag == "!":
                for candidate, pattern in _IMPLICIT.get(value[:1], _ANY_FIRST):
                    if pattern.match(value):
                        tag = candidate
                        break
        if tag == _STR_TAG:
            return value
        construct = _SCALAR_CONSTRUCTORS.get(tag)
        if construct is None:
            if tag in (_SEQ_TAG, _MAP_TAG):
                return self.unreadable(
                    line, path, f"the tag {_show_tag(tag)} cannot be put on a value"
                )
            return value  # the implicit '<<' and '=' tags: plain text here
        try:
            return construct(
                self.constructor, ScalarNode(tag, value, event.start_mark, event.end_mark)
            )
        except (ValueError, KeyError, TypeError, OverflowError):
            return self.unreadable(line, path, f"'{value}' is not a valid {_show_tag(tag)} value")
