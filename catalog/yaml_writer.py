"""Writing the catalog document as canonical schema-version-1 YAML (the exports)."""

from __future__ import annotations

import re

import yaml

from catalog.document import (
    CATEGORY_KEYS,
    RECOMMENDATION_KEYS,
    RESOURCE_KEYS,
    CatalogDocument,
    Category,
    Choice,
    Project,
    Question,
    Technology,
    as_document,
)

_SEQ_TAG = "tag:yaml.org,2002:seq"
_FOLD_AT = re.compile(r"(?<=\S) (?=\S)")
_STR_TAG = "tag:yaml.org,2002:str"


def dump_catalog(document: CatalogDocument | dict) -> str:
    """Write a catalog document as canonical schema-version-1 YAML.

    Keys come in DESIGN.md's order, empty optional keys are left out, a
    prerequisite without a reason is a bare slug, and slug lists use flow style. Text too
    long for its line is folded (`>-`) and wrapped at WIDTH columns, never split otherwise;
    a blank line comes before each section. The result reads like the hand-written file,
    so that an export differs from the file it was loaded from only where the catalog does.
    A plain mapping is validated into the document first (catalog.document.as_document).
    """
    text = yaml.dump(
        canonical(as_document(document)),
        Dumper=_CatalogDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=WIDTH,
    )
    return _SECTION_RE.sub(r"\n\1", text)


WIDTH = 88
# A top-level key after the first line: the start of a section, set off by a blank line.
_SECTION_RE = re.compile(r"(?<=\n)([a-z_]+:)", re.MULTILINE)


def canonical(document: CatalogDocument) -> dict:
    """The document as the YAML export and /api/catalog write it: plain data in the schema's
    key order, empty optional keys left out, a prerequisite without a reason a bare slug."""
    out: dict = {
        "version": 1,
        "categories": [_dump_category(category) for category in document.categories],
        "technologies": [_dump_technology(technology) for technology in document.technologies],
    }
    if document.projects:
        out["projects"] = [_dump_project(project) for project in document.projects]
    if document.questions:
        out["questions"] = [_dump_question(question) for question in document.questions]
    return out


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

    def choose_scalar_style(self) -> str:
        """Fold text that does not fit on its line (when folding keeps it exactly)."""
        style = super().choose_scalar_style()
        value = self.event.value
        if (
            not self.event.style
            and not self.simple_key_context
            and style in ("", "'", '"')
            and " " in value
            and self.analysis.allow_block
            and self.column + 1 + len(value) > self.best_width
        ):
            return ">"
        return style

    def write_folded(self, text: str) -> None:
        """Folded text wrapped so no line passes WIDTH (PyYAML's passes it by a word): breaks
        only at a single space between two words, so the folding gives the same text back."""
        if "\n" in text or text != text.strip():
            return super().write_folded(text)
        self.write_indicator(">" + self.determine_block_hints(text), True)
        self.write_line_break()
        self.write_indent()
        words = _FOLD_AT.split(text)
        line = words[0]
        for word in words[1:]:
            if self.column + len(line) + 1 + len(word) > self.best_width:
                self._write_text(line)
                self.write_line_break()
                self.write_indent()
                line = word
            else:
                line += " " + word
        self._write_text(line)
        return None

    def _write_text(self, data: str) -> None:
        self.column += len(data)
        if self.encoding:
            data = data.encode(self.encoding)
        self.stream.write(data)

    def process_scalar(self) -> None:
        """As PyYAML's, but a plain or quoted scalar is never split over lines."""
        if self.analysis is None:
            self.analysis = self.analyze_scalar(self.event.value)
        if self.style is None:
            self.style = self.choose_scalar_style()
        if self.style == '"':
            self.write_double_quoted(self.analysis.scalar, False)
        elif self.style == "'":
            self.write_single_quoted(self.analysis.scalar, False)
        elif self.style == ">":
            self.write_folded(self.analysis.scalar)
        elif self.style == "|":
            self.write_literal(self.analysis.scalar)
        else:
            self.write_plain(self.analysis.scalar, False)
        self.analysis = None
        self.style = None


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


def _dump_category(category: Category) -> dict:
    return {key: getattr(category, key) for key in CATEGORY_KEYS}


def _dump_technology(technology: Technology) -> dict:
    prerequisites: list = [
        {"technology": prerequisite.technology, "why": prerequisite.why}
        if prerequisite.why
        else prerequisite.technology
        for prerequisite in technology.prerequisites
    ]
    if all(isinstance(prerequisite, str) for prerequisite in prerequisites):
        prerequisites = _Flow(prerequisites)
    out = {
        "slug": technology.slug,
        "name": technology.name,
        "kind": technology.kind,
        "level": technology.level,
        "categories": _Flow(technology.categories),
        "summary": technology.summary,
        "highlights": list(technology.highlights),
        "aliases": _Flow(technology.aliases),
        "checkpoints": list(technology.checkpoints),
        "effort_hours": technology.effort_hours,
        "prerequisites": prerequisites,
        "alternatives": _Flow(technology.alternatives),
        "homepage": technology.homepage,
        "resources": [
            {key: getattr(resource, key) for key in RESOURCE_KEYS}
            for resource in technology.resources
        ],
    }
    return _without_empty(
        out,
        (
            "highlights",
            "aliases",
            "checkpoints",
            "prerequisites",
            "alternatives",
            "homepage",
            "resources",
        ),
    )


def _dump_project(project: Project) -> dict:
    return {
        "slug": project.slug,
        "title": project.title,
        "brief": project.brief,
        "uses": _Flow(project.uses),
    }


def _dump_question(question: Question) -> dict:
    show_if = question.show_if
    out = {
        "slug": question.slug,
        "prompt": question.prompt,
        "help": question.help,
        "kind": question.kind,
        "show_if": show_if and {"question": show_if.question, "any_of": _Flow(show_if.any_of)},
        "choices": [_dump_choice(choice) for choice in question.choices],
    }
    return _without_empty(out, ("help", "show_if"))


def _dump_choice(choice: Choice) -> dict:
    out = {
        "slug": choice.slug,
        "label": choice.label,
        "recommends": [
            {key: getattr(recommendation, key) for key in RECOMMENDATION_KEYS}
            for recommendation in choice.recommends
        ],
        "knows": _Flow(choice.knows),
    }
    return _without_empty(out, ("recommends", "knows"))
