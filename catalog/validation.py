"""Checking a catalog: YAML text or plain data in, the catalog document or every error out.

No Django. ``parse_catalog`` reads YAML (catalog/yaml_reader.py), checks its shape against the
pydantic models of catalog/document.py and what refers to what (catalog/references.py), and
returns the validated ``CatalogDocument`` (docs/catalog-document.md), or raises
``CatalogInvalid`` with every error of the file at once.
pydantic's errors are put into the curator's words here: each names the file, the line (from
the reader's marks, through pydantic's ``loc``), the place (``technologies[3].kind``) and what
is wrong, with "did you mean" for unknown keys and values.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Annotated, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from catalog.document import NOT_IN_YAML_RE, SLUG_RE, TOP_KEYS, CatalogDocument
from catalog.references import check_references
from catalog.schema_errors import (
    CatalogInvalid,
    Marks,
    Path,
    Reporter,
    SchemaError,
    closest,
    describe,
    error_order,
)
from catalog.yaml_reader import collector_paused, read_yaml

_NULL_HINT = "leave the key out, or write a value"
# Fields holding slugs of something else, and what that is; also what a list must name.
_NOUNS = {
    "categories": "category",
    "alternatives": "technology",
    "prerequisites": "technology",
    "uses": "technology",
    "knows": "technology",
    "technology": "technology",
    "question": "question",
    "any_of": "choice",
    "choices": "choice",
}


def parse_catalog(source: str | bytes, *, filename: str = "<catalog>") -> CatalogDocument:
    """Parse and validate a YAML catalog; return the catalog document.

    Raises ``CatalogInvalid`` listing every error of the file.
    """
    with collector_paused():
        read = read_yaml(source, filename=filename)
        document, errors = _validate(read.data, filename, read.marks, read.unreadable)
    errors = read.errors + errors
    if errors:
        raise CatalogInvalid(errors)
    return document


def validate_document(
    data: object, *, filename: str = "<catalog>", marks: Marks | None = None
) -> tuple[CatalogDocument | None, list[SchemaError]]:
    """Validate plain data (dicts, lists, str, int) against schema version 1.

    Returns ``(document, [])`` with the catalog document when valid, else
    ``(None, errors)`` sorted by line then place. With ``marks`` (place → line)
    every error carries a line; without, lines are None.
    """
    document, errors = _validate(data, filename, marks, ())
    return (None if errors else document), sorted(errors, key=error_order)


def _validate(
    data: object, filename: str, marks: Marks | None, quiet: typing.Iterable[Path]
) -> tuple[CatalogDocument | None, list[SchemaError]]:
    report = Reporter(filename, marks, quiet=quiet)
    if data is None:
        report.error((), "the catalog is empty; it starts with 'version: 1'")
        return None, report.errors
    if not isinstance(data, dict):
        report.error(
            (),
            "the top of the catalog must be a mapping (version, categories, technologies, "
            f"projects, questions), got {describe(data)}",
        )
        return None, report.errors
    version = data.get("version", 1)
    if not (type(version) is int and version == 1):
        # Another version has another schema: any other "errors" would only be noise.
        if type(version) is int:
            message = f"unsupported catalog version {version}; this program reads version 1"
        else:
            message = f"'version' must be the number 1, got {describe(version)}"
        report.error(("version",), message)
        return None, report.errors
    document = None
    try:
        document = CatalogDocument.model_validate(data)
    except ValidationError as invalid:
        for error in invalid.errors(include_url=False):
            _report(report, error)
    check_references(data, report)
    if report.errors or document is None:
        return None, report.errors
    return document, []


# --- pydantic's errors in the curator's words -----------------------------------------------


def _unwrap(annotation: object) -> object:
    """The type under Annotated[...] and Optional[...]."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
        else:
            return annotation


def _is_model(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _schema_at(path: Path) -> tuple[FieldInfo | None, object]:
    """The field that holds the value at path (for a list item, the list's) and the value's
    type, following the models from CatalogDocument; (None, None) off the schema."""
    info: FieldInfo | None = None
    annotation: object = CatalogDocument
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = get_args(annotation) if get_origin(annotation) is tuple else ()
            if not args:
                return None, None
            annotation = args[0]
        elif _is_model(annotation) and part in annotation.model_fields:
            info = annotation.model_fields[part]
            annotation = info.annotation
        else:
            return None, None
    return info, _unwrap(annotation)


def _keys_at(path: Path) -> tuple[str, ...]:
    _, annotation = _schema_at(path)
    return tuple(annotation.model_fields) if _is_model(annotation) else TOP_KEYS


def _subject(path: Path) -> str:
    """How a message names the value at path: "'name'" or "each item of 'highlights'"."""
    last = path[-1] if path else ""
    if isinstance(last, int):
        parent = path[-2] if len(path) > 1 else ""
        return f"each item of '{parent}'"
    return f"'{last}'"


def _field_name(path: Path) -> str:
    return next((part for part in reversed(path) if isinstance(part, str)), "")


def _range(info: FieldInfo | None) -> tuple[int, int]:
    metadata = info.metadata if info is not None else []
    low = next((item.ge for item in metadata if isinstance(item, Ge)), None)
    high = next((item.le for item in metadata if isinstance(item, Le)), None)
    return low, high


def _refused_character(value: object, path: Path) -> str | None:
    if isinstance(value, str) and (refused := NOT_IN_YAML_RE.search(value)):
        return (
            f"{_subject(path)} contains the character U+{ord(refused.group()):04X}, which "
            "a catalog may not hold (YAML allows it only as an escape); remove it"
        )
    return None


def _not_text(value: object, path: Path) -> str:
    if value is None:
        hint = f"; {_NULL_HINT}"
    elif isinstance(value, bool | int | float) or type(value).__name__ in ("date", "datetime"):
        hint = "; put it in quotes to make it text"
    else:
        hint = ""
    return f"{_subject(path)} must be text, got {describe(value)}{hint}"


def _report(report: Reporter, error: dict) -> None:
    """Report one pydantic error at its place, worded as the curator reads it."""
    kind, loc, value = error["type"], tuple(error["loc"]), error.get("input")
    if kind == "missing":
        report.error(loc[:-1], f"missing required key '{loc[-1]}'")
        return
    if kind in ("extra_forbidden", "invalid_key"):
        key = loc[-1]
        if not isinstance(key, str) or kind == "invalid_key":
            report.error(loc[:-1], f"the key {key!r} must be a name")
            return
        keys = _keys_at(loc[:-1])
        match = closest(key, keys)
        hint = f"did you mean '{match}'?" if match else f"expected one of: {', '.join(keys)}"
        report.error(loc, f"unknown key '{key}'; {hint}")
        return
    if kind == "too_short" and isinstance(value, list | tuple) and value:
        return  # items were refused (each is reported); the list itself is not empty
    report.error(loc, _message(kind, loc, value, error))


def _message(kind: str, loc: Path, value: object, error: dict) -> str:
    info, annotation = _schema_at(loc)
    name = _field_name(loc)
    is_reference = annotation is str and name in _NOUNS and name != "choices"
    noun = _NOUNS.get(name, "item")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping ({', '.join(_keys_at(loc))}), got {describe(value)}"
    if kind in ("tuple_type", "list_type"):
        if value is None and info is not None and _min_length(info):
            return f"'{name}' must name at least one {noun}"
        hint = f"; {_NULL_HINT}" if value is None else ""
        return f"'{name}' must be a list, got {describe(value)}{hint}"
    if kind == "too_short":
        return f"'{name}' must name at least one {noun}"
    if kind in ("string_pattern_mismatch", "string_unicode") or (
        kind == "literal_error" and isinstance(value, str) and NOT_IN_YAML_RE.search(value)
    ):
        refused = _refused_character(value, loc)
        if refused:
            return refused
    if is_reference and kind in ("string_type", "string_too_short"):
        got = "blank text" if isinstance(value, str) else describe(value)
        return f"expected a {noun} slug, got {got}"
    if kind == "string_type" or (kind == "literal_error" and not isinstance(value, str)):
        return _not_text(value, loc)
    if kind == "string_too_short" or (kind == "literal_error" and not value.strip()):
        return f"{_subject(loc)} must not be blank"
    if kind == "string_too_long":
        length, limit = len(value.strip()), error["ctx"]["max_length"]
        return f"{_subject(loc)} is {length:,} characters long; the limit is {limit:,}"
    if kind == "string_pattern_mismatch":  # a slug
        slug = value.strip()
        fixed = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")
        hint = f"; did you mean '{fixed}'?" if fixed and SLUG_RE.match(fixed) else ""
        return (
            f"'{slug}' is not a valid slug: use lowercase letters, digits and single "
            f"hyphens, like 'web-app'{hint}"
        )
    if kind == "literal_error":
        allowed = get_args(annotation) if get_origin(annotation) is Literal else ()
        word = value.strip()
        match = closest(word, allowed)
        hint = f"did you mean '{match}'?" if match else f"expected one of: {', '.join(allowed)}"
        return f"unknown {name} '{word}'; {hint}"
    if kind == "int_type":
        low, high = _range(info)
        return f"'{name}' must be a whole number from {low} to {high}, got {describe(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = _range(info)
        return f"'{name}' must be from {low} to {high}, got {value}"
    return error["msg"]  # our own PydanticCustomErrors are worded already


def _min_length(info: FieldInfo) -> int:
    return next((item.min_length for item in info.metadata if hasattr(item, "min_length")), 0)
