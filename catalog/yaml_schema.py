"""The YAML catalog, schema version 1: parse, validate, normalize and dump.

No Django: the loader, the management commands, the admin and the API build on
it. YAML events come from libyaml's C parser when PyYAML has it (a 2 MB file in
well under a second), else from PyYAML's pure-Python parser; either way this
module builds the data itself, without recursion, refusing anchors, aliases,
unsafe tags and deep nesting as it goes.

``parse_catalog`` turns YAML text into the normalized document of
docs/catalog-document.md or raises ``CatalogInvalid`` with every error of the
file; ``validate_document`` does the same for plain data; ``dump_catalog``
writes a normalized document back as canonical YAML.

Places in the document are tuples of keys and list indexes, e.g.
``("technologies", 3, "prerequisites", 0)``, shown as
``technologies[3].prerequisites[0]``; ``marks`` maps such a place to its
1-based line in the file (for a mapping entry, the line of its key).
"""

from __future__ import annotations

import datetime
import difflib
import gc
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

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

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 50  # the schema needs 6 levels; anything far deeper is a mistake or an attack

KINDS = (
    "language",
    "framework",
    "library",
    "stdlib",
    "tool",
    "platform",
    "service",
    "practice",
)
LEVELS = ("beginner", "intermediate", "advanced")
RESOURCE_KINDS = ("docs", "tutorial", "course", "book", "video", "article")
QUESTION_KINDS = ("single", "multiple")

# \Z rather than $ so that a trailing newline never passes.
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")

# What a YAML file may not hold as it is (PyYAML's reader refuses the same set): NUL and the
# other C0 controls but tab, line feed and carriage return; DEL; C1 but NEL; surrogates;
# U+FFFE/FFFF. Double-quoted escapes ("\0") can still put them into a string, so text is
# checked too: PostgreSQL refuses NUL, and none of them belongs on a page.
NOT_IN_YAML_RE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)

# Field length limits, also the database column sizes (docs/catalog-document.md).
SLUG_MAX_LENGTH = 64
NAME_MAX_LENGTH = 200  # names, titles, labels, prompts
URL_MAX_LENGTH = 500
ITEM_MAX_LENGTH = 300  # each highlight and checkpoint
TEXT_MAX_LENGTH = 5000  # summaries, briefs, help, why, because

# Keys in DESIGN.md's order: the schema and the order dump_catalog writes them in.
TOP_KEYS = ("version", "categories", "technologies", "projects", "questions")
CATEGORY_KEYS = ("slug", "name", "summary")
TECHNOLOGY_KEYS = (
    "slug",
    "name",
    "kind",
    "level",
    "categories",
    "summary",
    "highlights",
    "checkpoints",
    "effort_hours",
    "prerequisites",
    "alternatives",
    "homepage",
    "resources",
)
PREREQUISITE_KEYS = ("technology", "why")
RESOURCE_KEYS = ("title", "url", "kind")
PROJECT_KEYS = ("slug", "title", "brief", "uses")
QUESTION_KEYS = ("slug", "prompt", "help", "kind", "show_if", "choices")
SHOW_IF_KEYS = ("question", "any_of")
CHOICE_KEYS = ("slug", "label", "recommends", "knows")
RECOMMENDATION_KEYS = ("technology", "weight", "because")

Path = tuple[str | int, ...]
Marks = Mapping[Path, int]


@dataclass(frozen=True)
class SchemaError:
    """One problem in a catalog file, with where it is."""

    filename: str
    line: int | None  # 1-based; None only for data that never had lines (e.g. from the database)
    place: str  # e.g. "technologies[3].prerequisites[0]"; "" for the whole document
    message: str

    def __str__(self) -> str:
        where = self.filename if self.line is None else f"{self.filename}:{self.line}"
        return ": ".join(part for part in (where, self.place, self.message) if part)


class CatalogInvalid(Exception):
    """A catalog with at least one error; ``errors`` holds all of them, in file order."""

    def __init__(self, errors: Iterable[SchemaError]) -> None:
        self.errors: list[SchemaError] = sorted(errors, key=_error_order)
        super().__init__("\n".join(str(error) for error in self.errors))


def parse_catalog(source: str | bytes, *, filename: str = "<catalog>") -> dict:
    """Parse and validate a YAML catalog; return the normalized document.

    Raises ``CatalogInvalid`` listing every error of the file.
    """
    text, error = _decode(source, filename)
    if error is not None:
        raise CatalogInvalid([error])
    with _collector_paused():
        data, marks, errors, unreadable = _load_yaml(text, filename)
        if errors and data is None:
            raise CatalogInvalid(errors)
        validator = _Validator(filename, marks, quiet=unreadable)
        document = validator.document(data)
    errors += validator.errors
    if errors:
        raise CatalogInvalid(errors)
    return document


def validate_document(
    data: object, *, filename: str = "<catalog>", marks: Marks | None = None
) -> tuple[dict | None, list[SchemaError]]:
    """Validate plain data (dicts, lists, str, int) against schema version 1.

    Returns ``(document, [])`` with the normalized document when valid, else
    ``(None, errors)`` sorted by line then place. With ``marks`` (place → line)
    every error carries a line; without, lines are None.
    """
    validator = _Validator(filename, marks)
    document = validator.document(data)
    errors = sorted(validator.errors, key=_error_order)
    return (None if errors else document), errors


def dump_catalog(document: dict) -> str:
    """Write a normalized document as canonical schema-version-1 YAML.

    Keys come in DESIGN.md's order, empty optional keys are left out, a
    prerequisite without a reason is a bare slug, and slug lists use flow style.
    """
    out: dict = {
        "version": 1,
        "categories": [_dump_category(category) for category in document.get("categories", [])],
        "technologies": [
            _dump_technology(technology) for technology in document.get("technologies", [])
        ],
    }
    if document.get("projects"):
        out["projects"] = [_dump_project(project) for project in document["projects"]]
    if document.get("questions"):
        out["questions"] = [_dump_question(question) for question in document["questions"]]
    return yaml.dump(
        out,
        Dumper=_CatalogDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=sys.maxsize,  # never fold long lines
    )


# --- reading YAML ---------------------------------------------------------------------------

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


@contextmanager
def _collector_paused() -> Iterator[None]:
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


# --- validating -----------------------------------------------------------------------------

_MISSING = object()
_NULL_HINT = "leave the key out, or write a value"
_OWN_ROLES = {"prerequisites": "prerequisite", "alternatives": "alternative"}
_SUGGESTION_BUDGET = 200  # did-you-mean look-ups per file; each scans every slug
_CYCLE_BUDGET = 100  # cycles spelled out per file; each costs a pass over its component


def _error_order(error: SchemaError) -> tuple[int, str, str]:
    return (error.line or 0, error.place, error.message)


def _place(path: Path) -> str:
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else str(part))
    return "".join(parts)


def _describe(value: object) -> str:
    """Name a value's type the way a curator would."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes, no, on, off, true and false as true/false)"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.date):
        return f"a date ({value.isoformat()})"
    return type(value).__name__


def _subject(path: Path) -> str:
    """How a message names the value at path: "'name'" or "each item of 'highlights'"."""
    last = path[-1] if path else ""
    if isinstance(last, int):
        parent = path[-2] if len(path) > 1 else ""
        return f"each item of '{parent}'"
    return f"'{last}'"


def _quote_hint(value: object) -> str:
    if isinstance(value, bool | int | float | datetime.date):
        return "; put it in quotes to make it text"
    return ""


class _Validator:
    """One pass over plain data: collects every error and builds the normalized document."""

    def __init__(self, filename: str, marks: Marks | None, *, quiet: Iterable[Path] = ()) -> None:
        self.filename = filename
        self.marks = marks
        self.quiet = frozenset(quiet)  # places whose errors are already reported
        self.errors: list[SchemaError] = []
        self.suggestions: dict[tuple[int, str], str | None] = {}

    # reporting

    def line(self, path: Path) -> int | None:
        if self.marks is None:
            return None
        for end in range(len(path), -1, -1):
            line = self.marks.get(path[:end])
            if line is not None:
                return line
        return 1

    def error(self, path: Path, message: str) -> None:
        if path not in self.quiet:
            self.errors.append(SchemaError(self.filename, self.line(path), _place(path), message))

    def where(self, path: Path) -> str:
        """Name an earlier definition and its line, like: categories[0] on line 3."""
        line = self.line(path)
        return _place(path) + ("" if line is None else f" on line {line}")

    def closest(self, word: str, candidates: Iterable[str], group: object) -> str | None:
        """The candidate nearest to word, or None; memoized per (group, word)."""
        key = (id(group), word)
        if key not in self.suggestions:
            if len(self.suggestions) >= _SUGGESTION_BUDGET:
                return None
            matches = difflib.get_close_matches(word, list(candidates), n=1)
            self.suggestions[key] = matches[0] if matches else None
        return self.suggestions[key]

    def unknown(self, noun: str, word: str, candidates: Mapping[str, object]) -> str:
        match = self.closest(word, candidates, candidates)
        hint = f"; did you mean '{match}'?" if match else ""
        return f"unknown {noun} '{word}'{hint}"

    # shapes

    def mapping(
        self, value: object, path: Path, keys: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict | None:
        """Check value is a mapping with only known keys and every required one."""
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping ({', '.join(keys)}), got {_describe(value)}")
            return None
        for key in value:
            if key in keys:
                continue
            if not isinstance(key, str):
                self.error(path, f"the key {key!r} must be a name")
                continue
            match = difflib.get_close_matches(key, keys, n=1)
            hint = f"did you mean '{match[0]}'?" if match else f"expected one of: {', '.join(keys)}"
            self.error((*path, key), f"unknown key '{key}'; {hint}")
        for key in keys:
            if key not in value and key not in optional:
                self.error(path, f"missing required key '{key}'")
        return value

    def items(self, mapping: dict, key: str, path: Path, *, nonempty: str = "") -> list:
        """The list at mapping[key]; [] when absent (missing keys are reported apart).

        A present key holds a list: null is an error, never an empty list (a `categories: ~`
        taken as none would let `load_catalog --prune` delete the catalog). With
        ``nonempty`` (a noun), an empty list is an error.
        """
        value = mapping.get(key, _MISSING)
        if value is _MISSING:
            return []
        if value is None:
            if nonempty:
                self.error((*path, key), f"'{key}' must name at least one {nonempty}")
            else:
                self.error((*path, key), f"'{key}' must be a list, got nothing; {_NULL_HINT}")
            return []
        if not isinstance(value, list):
            self.error((*path, key), f"'{key}' must be a list, got {_describe(value)}")
            return []
        if not value and nonempty:
            self.error((*path, key), f"'{key}' must name at least one {nonempty}")
        return value

    def text_value(self, value: object, path: Path, limit: int, *, optional: bool = False) -> str:
        """Stripped text; "" (with an error unless optional and blank) when blank or not text."""
        if not isinstance(value, str):
            hint = f"; {_NULL_HINT}" if value is None else _quote_hint(value)
            self.error(path, f"{_subject(path)} must be text, got {_describe(value)}{hint}")
            return ""
        refused = NOT_IN_YAML_RE.search(value)
        if refused is not None:
            self.error(
                path,
                f"{_subject(path)} contains the character U+{ord(refused.group()):04X}, which "
                "a catalog may not hold (YAML allows it only as an escape); remove it",
            )
            return ""
        value = value.strip()
        if not value:
            if not optional:
                self.error(path, f"{_subject(path)} must not be blank")
            return ""
        if len(value) > limit:
            self.error(
                path,
                f"{_subject(path)} is {len(value):,} characters long; the limit is {limit:,}",
            )
        return value

    def text(
        self, mapping: dict, key: str, path: Path, limit: int, *, optional: bool = False
    ) -> str:
        value = mapping.get(key, _MISSING)
        if value is _MISSING:
            return ""  # a missing required key is reported by mapping()
        return self.text_value(value, (*path, key), limit, optional=optional)

    def texts(self, mapping: dict, key: str, path: Path, limit: int) -> list[str]:
        """An optional list of short texts (highlights, checkpoints)."""
        return [
            self.text_value(item, (*path, key, index), limit)
            for index, item in enumerate(self.items(mapping, key, path))
        ]

    def slug(self, mapping: dict, path: Path) -> str:
        value = self.text(mapping, "slug", path, SLUG_MAX_LENGTH)
        if value and len(value) <= SLUG_MAX_LENGTH and not SLUG_RE.fullmatch(value):
            fixed = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
            hint = f"; did you mean '{fixed}'?" if fixed else ""
            self.error(
                (*path, "slug"),
                f"'{value}' is not a valid slug: use lowercase letters, digits and single "
                f"hyphens, like 'web-app'{hint}",
            )
        return value

    def unique(self, slug: str, index: int, path: Path, seen: dict[str, int], noun: str) -> None:
        """Report slug when an earlier item already has it (seen holds first indexes)."""
        first = seen.get(slug)
        if slug and first is not None and first != index:
            earlier = (*path[:-1], first)
            self.error((*path, "slug"), f"duplicate {noun} slug '{slug}' ({self.where(earlier)})")

    def choice(self, mapping: dict, key: str, path: Path, allowed: tuple[str, ...]) -> str:
        value = self.text(mapping, key, path, NAME_MAX_LENGTH)
        if value and value not in allowed:
            match = difflib.get_close_matches(value, allowed, n=1)
            hint = (
                f"did you mean '{match[0]}'?" if match else f"expected one of: {', '.join(allowed)}"
            )
            self.error((*path, key), f"unknown {key} '{value}'; {hint}")
        return value

    def integer(
        self, mapping: dict, key: str, path: Path, low: int, high: int, *, nonzero: bool = False
    ) -> int:
        value = mapping.get(key, _MISSING)
        if value is _MISSING:
            return 0
        where = (*path, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(
                where,
                f"'{key}' must be a whole number from {low} to {high}, got {_describe(value)}",
            )
            return 0
        if not low <= value <= high:
            self.error(where, f"'{key}' must be from {low} to {high}, got {value}")
        elif nonzero and value == 0:
            self.error(where, f"'{key}' must not be 0; leave the entry out instead")
        return value

    def url(self, mapping: dict, key: str, path: Path, *, optional: bool = False) -> str:
        value = self.text(mapping, key, path, URL_MAX_LENGTH, optional=optional)
        if value and not _is_web_url(value):
            self.error(
                (*path, key),
                f"'{value}' is not an http(s) URL with a host, like https://example.com/",
            )
        return value

    def references(
        self,
        mapping: dict,
        key: str,
        path: Path,
        known: Mapping[str, object] | None,
        noun: str,
        *,
        nonempty: bool = False,
        own_slug: str = "",
    ) -> list[str]:
        """A list of slugs that must name members of known (None: don't check membership)."""
        found: list[str] = []
        seen: set[str] = set()
        items = self.items(mapping, key, path, nonempty=noun if nonempty else "")
        for index, item in enumerate(items):
            where = (*path, key, index)
            slug = self.reference(item, where, known, noun, seen, own_slug)
            if slug:
                found.append(slug)
        return found

    def reference(
        self,
        value: object,
        path: Path,
        known: Mapping[str, object] | None,
        noun: str,
        seen: set[str],
        own_slug: str = "",
    ) -> str:
        """One slug naming a member of known, not listed before (seen) and not own_slug."""
        if not isinstance(value, str) or not value.strip():
            self.error(path, f"expected a {noun} slug, got {_describe(value)}")
            return ""
        slug = value.strip()
        if slug in seen:
            self.error(path, f"{noun} '{slug}' is listed twice")
            return ""
        seen.add(slug)
        if own_slug and slug == own_slug:
            role = next(part for part in reversed(path) if part in _OWN_ROLES)
            self.error(
                path, f"'{slug}' is this technology itself; it cannot be its own {_OWN_ROLES[role]}"
            )
            return ""
        if known is not None and slug not in known:
            self.error(path, self.unknown(noun, slug, known))
            return ""
        return slug

    # the document

    def document(self, data: object) -> dict | None:
        if data is None:
            self.error((), "the catalog is empty; it starts with 'version: 1'")
            return None
        if not isinstance(data, dict):
            self.error(
                (),
                "the top of the catalog must be a mapping (version, categories, technologies, "
                f"projects, questions), got {_describe(data)}",
            )
            return None
        version = data.get("version", _MISSING)
        if version is not _MISSING and not (type(version) is int and version == 1):
            # Another version has another schema: any other "errors" would only be noise.
            if type(version) is int:
                message = f"unsupported catalog version {version}; this program reads version 1"
            else:
                message = f"'version' must be the number 1, got {_describe(version)}"
            self.error(("version",), message)
            return None
        self.mapping(data, (), TOP_KEYS, optional=("projects", "questions"))
        # A section that is not a list is one error; references to it are not checked.
        categories = self.categories(data)
        known_categories = categories if isinstance(data.get("categories"), list) else None
        technologies = self.technologies(data, known_categories)
        known_technologies = technologies if isinstance(data.get("technologies"), list) else None
        projects = self.projects(data, known_technologies)
        questions = self.questions(data, known_technologies)
        return {
            "version": 1,
            "categories": list(categories.values()),
            "technologies": list(technologies.values()),
            "projects": projects,
            "questions": questions,
        }

    def first_indexes(self, items: list) -> dict[str, int]:
        """Slug → index of its first item (lets references look ahead)."""
        indexes: dict[str, int] = {}
        for index, item in enumerate(items):
            if isinstance(item, dict):
                slug = item.get("slug")
                # Malformed slugs count too: their one error is at the definition, not at each use.
                if isinstance(slug, str) and (slug := slug.strip()):
                    indexes.setdefault(slug, index)
        return indexes

    def categories(self, data: dict) -> dict[str, dict]:
        """Slug → normalized category, in file order."""
        items = self.items(data, "categories", ())
        first = self.first_indexes(items)
        categories: dict[str, dict] = {}
        for index, item in enumerate(items):
            path = ("categories", index)
            mapping = self.mapping(item, path, CATEGORY_KEYS)
            if mapping is None:
                continue
            slug = self.slug(mapping, path)
            self.unique(slug, index, path, first, "category")
            category = {
                "slug": slug,
                "name": self.text(mapping, "name", path, NAME_MAX_LENGTH),
                "summary": self.text(mapping, "summary", path, TEXT_MAX_LENGTH),
            }
            if first.get(slug) == index:
                categories[slug] = category
        return categories

    def technologies(self, data: dict, categories: dict[str, dict] | None) -> dict[str, dict]:
        """Slug → normalized technology, in file order; also checks prerequisite cycles."""
        items = self.items(data, "technologies", ())
        first = self.first_indexes(items)
        technologies: dict[str, dict] = {}
        # slug → [(prerequisite slug, index in its prerequisites)], for the cycle check
        graph: dict[str, list[tuple[str, int]]] = {}
        for index, item in enumerate(items):
            path = ("technologies", index)
            mapping = self.mapping(
                item,
                path,
                TECHNOLOGY_KEYS,
                optional=(
                    "highlights",
                    "checkpoints",
                    "prerequisites",
                    "alternatives",
                    "homepage",
                    "resources",
                ),
            )
            if mapping is None:
                continue
            slug = self.slug(mapping, path)
            self.unique(slug, index, path, first, "technology")
            prerequisites, edges = self.prerequisites(mapping, path, first, slug)
            technology = {
                "slug": slug,
                "name": self.text(mapping, "name", path, NAME_MAX_LENGTH),
                "kind": self.choice(mapping, "kind", path, KINDS),
                "level": self.choice(mapping, "level", path, LEVELS),
                "categories": self.references(
                    mapping, "categories", path, categories, "category", nonempty=True
                ),
                "summary": self.text(mapping, "summary", path, TEXT_MAX_LENGTH),
                "highlights": self.texts(mapping, "highlights", path, ITEM_MAX_LENGTH),
                "checkpoints": self.texts(mapping, "checkpoints", path, ITEM_MAX_LENGTH),
                "effort_hours": self.integer(mapping, "effort_hours", path, 1, 1000),
                "prerequisites": prerequisites,
                "alternatives": self.references(
                    mapping, "alternatives", path, first, "technology", own_slug=slug
                ),
                "homepage": self.url(mapping, "homepage", path, optional=True),
                "resources": self.resources(mapping, path),
            }
            if first.get(slug) == index:
                technologies[slug] = technology
                graph[slug] = edges
        self.cycles(graph, first)
        return technologies

    def prerequisites(
        self, mapping: dict, path: Path, known: dict[str, int], own_slug: str
    ) -> tuple[list[dict], list[tuple[str, int]]]:
        prerequisites: list[dict] = []
        edges: list[tuple[str, int]] = []
        seen: set[str] = set()
        for index, item in enumerate(self.items(mapping, "prerequisites", path)):
            where = (*path, "prerequisites", index)
            why = ""
            if isinstance(item, dict):
                self.mapping(item, where, PREREQUISITE_KEYS, optional=("why",))
                why = self.text(item, "why", where, TEXT_MAX_LENGTH, optional=True)
                if "technology" not in item:
                    continue
                value, ref_path = item["technology"], (*where, "technology")
            elif isinstance(item, str):
                value, ref_path = item, where
            else:
                self.error(
                    where,
                    "a prerequisite is a technology slug or a mapping (technology, why), "
                    f"got {_describe(item)}",
                )
                continue
            slug = self.reference(value, ref_path, known, "technology", seen, own_slug)
            if slug:
                prerequisites.append({"technology": slug, "why": why})
                edges.append((slug, index))
        return prerequisites, edges

    def resources(self, mapping: dict, path: Path) -> list[dict]:
        resources = []
        for index, item in enumerate(self.items(mapping, "resources", path)):
            where = (*path, "resources", index)
            resource = self.mapping(item, where, RESOURCE_KEYS)
            if resource is not None:
                resources.append(
                    {
                        "title": self.text(resource, "title", where, NAME_MAX_LENGTH),
                        "url": self.url(resource, "url", where),
                        "kind": self.choice(resource, "kind", where, RESOURCE_KINDS),
                    }
                )
        return resources

    def cycles(self, graph: dict[str, list[tuple[str, int]]], first: dict[str, int]) -> None:
        """Report each prerequisite cycle once, spelled out from its smallest slug.

        After reporting a cycle its closing edge is set aside and the rest of the
        component is searched again, so every cycle to break gets its own error.
        """
        pending = [set(component) for component in _strongly_connected(graph) if len(component) > 1]
        reported = 0
        while pending:
            if reported == _CYCLE_BUDGET:
                self.error(("technologies",), f"more prerequisite cycles than the {reported} shown")
                return
            members = pending.pop()
            start = min(members)
            cycle, first_edge = _shortest_cycle(graph, start, members)
            reported += 1
            self.error(
                ("technologies", first[start], "prerequisites", first_edge),
                f"prerequisites form a cycle: {' → '.join(cycle)} (each needs the next)",
            )
            closing = cycle[-2]
            graph[closing] = [edge for edge in graph[closing] if edge[0] != start]
            subgraph = {
                slug: [edge for edge in graph[slug] if edge[0] in members] for slug in members
            }
            pending.extend(
                set(component) for component in _strongly_connected(subgraph) if len(component) > 1
            )

    def projects(self, data: dict, technologies: dict[str, dict] | None) -> list[dict]:
        items = self.items(data, "projects", ())
        first = self.first_indexes(items)
        projects = []
        for index, item in enumerate(items):
            path = ("projects", index)
            mapping = self.mapping(item, path, PROJECT_KEYS)
            if mapping is None:
                continue
            slug = self.slug(mapping, path)
            self.unique(slug, index, path, first, "project")
            projects.append(
                {
                    "slug": slug,
                    "title": self.text(mapping, "title", path, NAME_MAX_LENGTH),
                    "brief": self.text(mapping, "brief", path, TEXT_MAX_LENGTH),
                    "uses": self.references(
                        mapping, "uses", path, technologies, "technology", nonempty=True
                    ),
                }
            )
        return projects

    def questions(self, data: dict, technologies: dict[str, dict] | None) -> list[dict]:
        items = self.items(data, "questions", ())
        first = self.first_indexes(items)
        choices_of: dict[str, dict[str, int]] = {}  # question slug → its choices, when valid
        questions = []
        for index, item in enumerate(items):
            path = ("questions", index)
            mapping = self.mapping(item, path, QUESTION_KEYS, optional=("help", "show_if"))
            if mapping is None:
                continue
            slug = self.slug(mapping, path)
            self.unique(slug, index, path, first, "question")
            question = {
                "slug": slug,
                "prompt": self.text(mapping, "prompt", path, NAME_MAX_LENGTH),
                "help": self.text(mapping, "help", path, TEXT_MAX_LENGTH, optional=True),
                "kind": self.choice(mapping, "kind", path, QUESTION_KINDS),
                "show_if": self.show_if(mapping, path, index, slug, first, choices_of),
                "choices": self.choices(mapping, path, technologies),
            }
            if first.get(slug) == index and isinstance(mapping.get("choices"), list):
                choices_of[slug] = self.first_indexes(mapping["choices"])
            questions.append(question)
        return questions

    def show_if(
        self,
        mapping: dict,
        path: Path,
        index: int,
        own_slug: str,
        questions: dict[str, int],
        choices_of: dict[str, dict[str, int]],
    ) -> dict | None:
        value = mapping.get("show_if")
        if value is None:
            return None
        where = (*path, "show_if")
        show_if = self.mapping(value, where, SHOW_IF_KEYS)
        if show_if is None:
            return None
        question = ""
        choices: dict[str, int] | None = None  # None: the question is unusable, skip any_of names
        if "question" in show_if:
            question = self.reference(
                show_if["question"], (*where, "question"), None, "question", set()
            )
        if question:
            question_path = (*where, "question")
            if question == own_slug:
                self.error(question_path, "a question cannot depend on itself")
            elif question not in questions:
                earlier = {slug: i for slug, i in questions.items() if i < index}
                self.error(question_path, self.unknown("question", question, earlier))
            elif questions[question] > index:
                self.error(
                    question_path,
                    f"show_if can only name an earlier question; '{question}' is asked later "
                    f"({self.where(('questions', questions[question]))})",
                )
            else:
                choices = choices_of.get(question)
        any_of = self.references(show_if, "any_of", where, choices, "choice", nonempty=True)
        return {"question": question, "any_of": any_of}

    def choices(
        self, mapping: dict, path: Path, technologies: dict[str, dict] | None
    ) -> list[dict]:
        items = self.items(mapping, "choices", path, nonempty="choice")
        first = self.first_indexes(items)
        choices = []
        for index, item in enumerate(items):
            where = (*path, "choices", index)
            choice = self.mapping(item, where, CHOICE_KEYS, optional=("recommends", "knows"))
            if choice is None:
                continue
            slug = self.slug(choice, where)
            self.unique(slug, index, where, first, "choice")
            choices.append(
                {
                    "slug": slug,
                    "label": self.text(choice, "label", where, NAME_MAX_LENGTH),
                    "recommends": self.recommends(choice, where, technologies),
                    "knows": self.references(choice, "knows", where, technologies, "technology"),
                }
            )
        return choices

    def recommends(
        self, mapping: dict, path: Path, technologies: dict[str, dict] | None
    ) -> list[dict]:
        recommends = []
        seen: set[str] = set()
        for index, item in enumerate(self.items(mapping, "recommends", path)):
            where = (*path, "recommends", index)
            recommendation = self.mapping(item, where, RECOMMENDATION_KEYS)
            if recommendation is None:
                continue
            technology = ""
            if "technology" in recommendation:
                technology = self.reference(
                    recommendation["technology"],
                    (*where, "technology"),
                    technologies,
                    "technology",
                    seen,
                )
            recommends.append(
                {
                    "technology": technology,
                    "weight": self.integer(recommendation, "weight", where, -10, 10, nonzero=True),
                    "because": self.text(recommendation, "because", where, TEXT_MAX_LENGTH),
                }
            )
        return recommends


def _is_web_url(value: str) -> bool:
    if any(character.isspace() for character in value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _strongly_connected(graph: Mapping[str, list[tuple[str, int]]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iterative (chains can be thousands long)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in graph:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph[root]))]
        while work:
            node, edges = work[-1]
            for target, _index in edges:
                if target not in graph:
                    continue
                if target not in order:
                    order[target] = low[target] = len(order)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    break
                if target in on_stack:
                    low[node] = min(low[node], order[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def _shortest_cycle(
    graph: Mapping[str, list[tuple[str, int]]], start: str, members: set[str]
) -> tuple[list[str], int]:
    """The shortest cycle through start inside members (breadth first, edges in file order).

    Returns the slugs, start first and last, and the index of start's first edge.
    """
    parents: dict[str, str] = {start: start}
    queue = [start]
    for node in queue:
        for target, _index in graph[node]:
            if target not in members:
                continue
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                cycle = [*reversed(path), start]
                second = cycle[1]
                first_edge = next(i for slug, i in graph[start] if slug == second)
                return cycle, first_edge
            if target not in parents:
                parents[target] = node
                queue.append(target)
    raise AssertionError(f"{start} is on no cycle")  # callers pass a strongly connected set


# --- writing YAML ---------------------------------------------------------------------------


class _Flow(list):
    """A list of slugs, written on one line: [web-app, api]."""


class _CatalogDumper(yaml.SafeDumper):
    """SafeDumper that never writes anchors or aliases (parse_catalog refuses them).

    It also indents lists under their key, the way DESIGN.md writes the catalog.
    """

    def ignore_aliases(self, data: object) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence(_SEQ_TAG, data, flow_style=True)


def _represent_text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = None
    if any(mark in data for mark in "\r\x85\u2028\u2029"):
        style = '"'  # other styles turn these line breaks into spaces or "\n"
    elif "\n" in data:
        style = "|"  # multi-line text as a literal block (the emitter falls back if it can't)
    return dumper.represent_scalar(_STR_TAG, data, style=style)


_CatalogDumper.add_representer(_Flow, _represent_flow)
_CatalogDumper.add_representer(str, _represent_text)


def _without_empty(mapping: dict, optional: tuple[str, ...]) -> dict:
    return {key: value for key, value in mapping.items() if key not in optional or value}


def _dump_category(category: dict) -> dict:
    return {key: category[key] for key in CATEGORY_KEYS}


def _dump_technology(technology: dict) -> dict:
    prerequisites: list = [
        {"technology": prerequisite["technology"], "why": prerequisite["why"]}
        if prerequisite.get("why")
        else prerequisite["technology"]
        for prerequisite in technology.get("prerequisites", [])
    ]
    if all(isinstance(prerequisite, str) for prerequisite in prerequisites):
        prerequisites = _Flow(prerequisites)
    out = {
        "slug": technology["slug"],
        "name": technology["name"],
        "kind": technology["kind"],
        "level": technology["level"],
        "categories": _Flow(technology["categories"]),
        "summary": technology["summary"],
        "highlights": list(technology.get("highlights", [])),
        "checkpoints": list(technology.get("checkpoints", [])),
        "effort_hours": technology["effort_hours"],
        "prerequisites": prerequisites,
        "alternatives": _Flow(technology.get("alternatives", [])),
        "homepage": technology.get("homepage", ""),
        "resources": [
            {key: resource[key] for key in RESOURCE_KEYS}
            for resource in technology.get("resources", [])
        ],
    }
    return _without_empty(
        out,
        ("highlights", "checkpoints", "prerequisites", "alternatives", "homepage", "resources"),
    )


def _dump_project(project: dict) -> dict:
    return {
        "slug": project["slug"],
        "title": project["title"],
        "brief": project["brief"],
        "uses": _Flow(project["uses"]),
    }


def _dump_question(question: dict) -> dict:
    show_if = question.get("show_if")
    out = {
        "slug": question["slug"],
        "prompt": question["prompt"],
        "help": question.get("help", ""),
        "kind": question["kind"],
        "show_if": show_if
        and {"question": show_if["question"], "any_of": _Flow(show_if["any_of"])},
        "choices": [_dump_choice(choice) for choice in question["choices"]],
    }
    return _without_empty(out, ("help", "show_if"))


def _dump_choice(choice: dict) -> dict:
    out = {
        "slug": choice["slug"],
        "label": choice["label"],
        "recommends": [
            {key: recommendation[key] for key in RECOMMENDATION_KEYS}
            for recommendation in choice.get("recommends", [])
        ],
        "knows": _Flow(choice.get("knows", [])),
    }
    return _without_empty(out, ("recommends", "knows"))
