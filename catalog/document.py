"""The catalog document, schema version 1, as typed, frozen pydantic models.

No Django. These models are the shape DESIGN.md ("The YAML catalog") gives a catalog: unknown
keys are errors (``extra="forbid"``), values are never coerced (``strict=True``: ``"3"`` is not
a number, ``true`` is not text), kinds and levels are ``Literal``s, slugs, texts, numbers and
URLs are constrained, lists are tuples. A key that is present holds a value of its type, so
``knows: ~`` is an error, not an empty list; only ``show_if`` may be null (no condition), as
the normalized document writes it. What refers to what (slugs that exist, ``show_if`` order,
prerequisite cycles) is catalog/references.py's; turning pydantic's errors into located,
curator-worded messages is catalog/validation.py's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Literal, get_args
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from catalog.schema_errors import describe

# Field length limits, also the database column sizes (docs/catalog-document.md).
SLUG_MAX_LENGTH = 64
NAME_MAX_LENGTH = 200  # names, titles, labels, prompts
URL_MAX_LENGTH = 500
ITEM_MAX_LENGTH = 300  # each highlight and checkpoint
TEXT_MAX_LENGTH = 5000  # summaries, briefs, help, why, because

# \Z rather than $ so that a trailing newline never passes.
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")

# What a YAML file may not hold as it is (PyYAML's reader refuses the same set): NUL and the
# other C0 controls but tab, line feed and carriage return; DEL; C1 but NEL; surrogates;
# U+FFFE/FFFF. Double-quoted escapes ("\0") can still put them into a string, so text is
# checked too: PostgreSQL refuses NUL, and none of them belongs on a page.
NOT_IN_YAML_RE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# The same two rules for pydantic's (Rust) regex engine, on text already stripped. Surrogates
# never get that far: pydantic refuses a string holding one before any pattern.
_SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_TEXT_PATTERN = r"^[\t\n\r\x20-\x7e\x{85}\x{a0}-\x{d7ff}\x{e000}-\x{fffd}\x{10000}-\x{10ffff}]*$"

TechnologyKind = Literal[
    "language", "framework", "library", "stdlib", "tool", "platform", "service", "practice"
]
Level = Literal["beginner", "intermediate", "advanced"]
ResourceKind = Literal["docs", "tutorial", "course", "book", "video", "article"]
QuestionKind = Literal["single", "multiple"]

KINDS: tuple[str, ...] = get_args(TechnologyKind)
LEVELS: tuple[str, ...] = get_args(Level)
RESOURCE_KINDS: tuple[str, ...] = get_args(ResourceKind)
QUESTION_KINDS: tuple[str, ...] = get_args(QuestionKind)


def _stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _web_url(value: str) -> str:
    if value and not _is_web_url(value):
        raise PydanticCustomError(
            "web_url",
            "'{value}' is not an http(s) URL with a host, like https://example.com/",
            {"value": value},
        )
    return value


def _is_web_url(value: str) -> bool:
    if any(character.isspace() for character in value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _not_zero(value: int) -> int:
    if value == 0:
        raise PydanticCustomError("not_zero", "'weight' must not be 0; leave the entry out instead")
    return value


def _prerequisite(value: object) -> object:
    """A bare slug is short for a mapping without a reason."""
    if isinstance(value, str):
        return {"technology": value}
    if isinstance(value, dict):
        return value
    raise PydanticCustomError(
        "prerequisite_type",
        "a prerequisite is a technology slug or a mapping (technology, why), got {got}",
        {"got": describe(value)},
    )


def _text(max_length: int, *, blank: bool = False) -> object:
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            min_length=0 if blank else 1,
            max_length=max_length,
            pattern=_TEXT_PATTERN,
        ),
    ]


Slug = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=SLUG_MAX_LENGTH, pattern=_SLUG_PATTERN
    ),
]
# A slug naming something else; whether that exists is catalog/references.py's to say.
SlugRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Name = _text(NAME_MAX_LENGTH)
Text = _text(TEXT_MAX_LENGTH)
OptionalText = _text(TEXT_MAX_LENGTH, blank=True)
Item = _text(ITEM_MAX_LENGTH)
Url = Annotated[_text(URL_MAX_LENGTH), AfterValidator(_web_url)]
OptionalUrl = Annotated[_text(URL_MAX_LENGTH, blank=True), AfterValidator(_web_url)]
Weight = Annotated[int, Field(ge=-10, le=10), AfterValidator(_not_zero)]


def _tuple(item: object, *, min_length: int = 0) -> object:
    # Lists in, tuples out: strict for the items, not for list versus tuple.
    return Annotated[tuple[item, ...], Strict(False), Field(min_length=min_length)]


# Kinds and levels are stripped like all text before they are looked up.
TechnologyKindField = Annotated[TechnologyKind, BeforeValidator(_stripped)]
LevelField = Annotated[Level, BeforeValidator(_stripped)]
ResourceKindField = Annotated[ResourceKind, BeforeValidator(_stripped)]
QuestionKindField = Annotated[QuestionKind, BeforeValidator(_stripped)]
SlugRefs = _tuple(SlugRef)
SomeSlugRefs = _tuple(SlugRef, min_length=1)  # at least one
Items = _tuple(Item)


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Category(_Schema):
    slug: Slug
    name: Name
    summary: Text


class Prerequisite(_Schema):
    technology: SlugRef
    why: OptionalText = ""


class Resource(_Schema):
    title: Name
    url: Url
    kind: ResourceKindField


class Technology(_Schema):
    slug: Slug
    name: Name
    kind: TechnologyKindField
    level: LevelField
    categories: SomeSlugRefs
    summary: Text
    highlights: Items = ()
    aliases: _tuple(Name) = ()  # other names a learner may search for
    checkpoints: Items = ()
    effort_hours: Annotated[int, Field(ge=1, le=1000)]
    prerequisites: _tuple(Annotated[Prerequisite, BeforeValidator(_prerequisite)]) = ()
    alternatives: SlugRefs = ()
    homepage: OptionalUrl = ""
    resources: _tuple(Resource) = ()


class Project(_Schema):
    slug: Slug
    title: Name
    brief: Text
    uses: SomeSlugRefs


class Recommendation(_Schema):
    technology: SlugRef
    weight: Weight
    because: Text


class Choice(_Schema):
    slug: Slug
    label: Name
    recommends: _tuple(Recommendation) = ()
    knows: SlugRefs = ()


class ShowIf(_Schema):
    question: SlugRef
    any_of: SomeSlugRefs


class Question(_Schema):
    slug: Slug
    prompt: Name
    help: OptionalText = ""
    kind: QuestionKindField
    show_if: ShowIf | None = None
    choices: _tuple(Choice, min_length=1)

    @property
    def is_single(self) -> bool:
        """True when the question takes exactly one choice."""
        return self.kind == "single"

    @cached_property
    def choice_slugs(self) -> tuple[str, ...]:
        """The choices' slugs, in order (worked out once: answers are checked against them)."""
        return tuple(choice.slug for choice in self.choices)


class CatalogDocument(_Schema):
    version: Literal[1]
    categories: _tuple(Category)
    technologies: _tuple(Technology)
    projects: _tuple(Project) = ()
    questions: _tuple(Question) = ()


# Where a part holds other parts: (model, key) -> the model of its items.
_PARTS: dict[tuple[type[BaseModel], str], type[BaseModel]] = {
    (CatalogDocument, "categories"): Category,
    (CatalogDocument, "technologies"): Technology,
    (CatalogDocument, "projects"): Project,
    (CatalogDocument, "questions"): Question,
    (Technology, "prerequisites"): Prerequisite,
    (Technology, "resources"): Resource,
    (Question, "show_if"): ShowIf,
    (Question, "choices"): Choice,
    (Choice, "recommends"): Recommendation,
}


def as_document(document: CatalogDocument | Mapping) -> CatalogDocument:
    """`document` itself, or the plain data of a normalized document (docs/catalog-document.md)
    as one, built without validation (`model_construct`): for data already checked, or made to
    be written out as it is. Validate untrusted data with catalog.validation instead."""
    if isinstance(document, CatalogDocument):
        return document
    return _constructed(CatalogDocument, document)


def _constructed(model: type[BaseModel], data: Mapping) -> BaseModel:
    values = {}
    for key, value in data.items():
        part = _PARTS.get((model, key))
        if isinstance(value, list | tuple):
            value = tuple(_part(part, item) for item in value)
        elif isinstance(value, Mapping) and part is not None:
            value = _constructed(part, value)
        values[key] = value
    return model.model_construct(**values)


def _part(model: type[BaseModel] | None, item: object) -> object:
    if model is Prerequisite and isinstance(item, str):
        item = {"technology": item}
    return _constructed(model, item) if model is not None and isinstance(item, Mapping) else item


def keys_of(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_fields)


# Keys in DESIGN.md's order: the schema and the order the writer writes them in.
TOP_KEYS = keys_of(CatalogDocument)
CATEGORY_KEYS = keys_of(Category)
TECHNOLOGY_KEYS = keys_of(Technology)
PREREQUISITE_KEYS = keys_of(Prerequisite)
RESOURCE_KEYS = keys_of(Resource)
PROJECT_KEYS = keys_of(Project)
QUESTION_KEYS = keys_of(Question)
SHOW_IF_KEYS = keys_of(ShowIf)
CHOICE_KEYS = keys_of(Choice)
RECOMMENDATION_KEYS = keys_of(Recommendation)
