"""The project documents itself: README.md and docs/ link nothing outside the repository.

Every Markdown link, image and autolink in them (code spans and code blocks are text, not
links) must point at a file or folder of this repository, and a web address that GitHub
would turn into a link by itself counts as a link too. The API reference also has to agree
with the API: every path and field the OpenAPI document names is in docs/api.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])

FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+).+?\1", re.S)
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>")
BARE = re.compile(r"(?<![\w/])(?:https?://|www\.)[^\s<>)]+", re.I)
HTML_LINK = re.compile(r"""<(?:a|img)\s[^>]*(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)


def prose(text: str) -> str:
    """The text without code blocks and code spans."""
    return CODE_SPAN.sub(" ", FENCE.sub(" ", text))


def targets(text: str) -> list[str]:
    text = prose(text)
    found = [
        m.group(1)
        for pattern in (LINK, REFERENCE, AUTOLINK, HTML_LINK)
        for m in pattern.finditer(text)
    ]
    return found + [m.group(0) for m in BARE.finditer(text)]


def outside(document: Path, target: str) -> str | None:
    """Why `target`, linked from `document`, is not a part of this repository (None if it is)."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("//", "www.")):
        return "a link off the repository"
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:  # a link to a heading of the same file
        return None
    resolved = (ROOT / path.lstrip("/")) if path.startswith("/") else (document.parent / path)
    resolved = resolved.resolve()
    if ROOT not in resolved.parents and resolved != ROOT:
        return "a path outside the repository"
    if not resolved.exists():
        return "no such file in the repository"
    return None


def test_there_are_documents_to_check():
    names = {str(path.relative_to(ROOT)) for path in DOCUMENTS}
    assert {"README.md", "docs/api.md", "docs/catalog.md"} <= names


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_documents_link_nothing_outside_the_repository(document):
    problems = [
        f"{target}: {why}"
        for target in targets(document.read_text(encoding="utf-8"))
        if (why := outside(document, target))
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("See [the design](../shared/DESIGN.md).", True),
        ("See [Django](https://www.djangoproject.com/).", True),
        ("Go to https://example.org/ now.", True),
        ("Mail <mailto:someone@example.org>.", True),
        ('<a href="https://example.org/">x</a>', True),
        ("[ref]: https://example.org/", True),
        ("![shot](docs/screenshots/none.png)", True),
        ("See [the guide](docs/architecture.md#parts) and [up](#run-it).", False),
        ("`https://example.org` in code, and\n```\ncurl https://example.org/\n```\n", False),
    ],
)
def test_the_check_sees_links_off_the_repository(text, bad):
    """The control: each kind of outside link is caught, and code is not a link."""
    problems = [t for t in targets(text) if outside(ROOT / "README.md", t)]
    assert bool(problems) == bad, problems


def test_the_api_reference_names_every_path_field_and_status_of_the_openapi_document():
    from paths.openapi import openapi_document

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    spec = openapi_document()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert f"`{method.upper()} {path}`" in text
            for status in operation["responses"]:
                assert f"`{status}" in text, (path, status)
    schemas = spec["components"]["schemas"]
    for name in ("PlanRequest", "Plan"):
        for field in schemas[name]["properties"]:
            assert f"`{field}`" in text, (name, field)


def test_the_catalog_reference_has_an_example_of_every_key():
    """Every key of the schema's models (and `aliases`, DESIGN.md) appears in docs/catalog.md,
    in its table and in a YAML example."""
    from catalog import document

    text = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    examples = "\n".join(re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S))
    keys = {
        key
        for name in dir(document)
        if name.endswith("_KEYS") and isinstance(getattr(document, name), tuple)
        for key in getattr(document, name)
    } | {"aliases"}
    for key in sorted(keys):
        assert f"`{key}`" in text, key
        assert re.search(rf"^\s*(- )?{key}:", examples, re.M), key
