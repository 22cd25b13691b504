"""Writing a normalized catalog document as canonical schema-version-1 YAML (the exports)."""

from __future__ import annotations

import sys

import yaml

from catalog.document import CATEGORY_KEYS, RECOMMENDATION_KEYS, RESOURCE_KEYS

_SEQ_TAG = "tag:yaml.org,2002:seq"
_STR_TAG = "tag:yaml.org,2002:str"


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
        "aliases": _Flow(technology.get("aliases", [])),
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
