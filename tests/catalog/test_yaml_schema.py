"""The YAML catalog schema: reading, every validation rule, normalization and writing
(catalog/yaml_reader.py, document.py, references.py, validation.py, yaml_writer.py).

Pure tests (no database, no Django settings): run them alone with
`pytest -p no:django tests/catalog/test_yaml_schema.py`. Every test runs twice: with events
from libyaml's C parser (the default when PyYAML has it) and from PyYAML's pure-Python parser.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog import yaml_reader
from catalog.document import (
    KINDS,
    LEVELS,
    QUESTION_KINDS,
    RESOURCE_KINDS,
    SLUG_RE,
    Prerequisite,
    as_document,
)
from catalog.generator import generate_document
from catalog.schema_errors import CatalogInvalid, SchemaError
from catalog.validation import parse_catalog, validate_document
from catalog.yaml_reader import MAX_BYTES, MAX_DEPTH
from catalog.yaml_writer import dump_catalog
from tests.factories import chain_document

BAD = Path(__file__).parent / "bad"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Override the suite's cache reset: these tests use no cache and need no settings."""
    yield


@pytest.fixture(autouse=True)
def yaml_events(request, monkeypatch):
    """Run each test with libyaml's events and again with the pure-Python parser's."""
    if request.param == "libyaml":
        if yaml_reader._CParser is None:
            pytest.skip("PyYAML is built without libyaml here")
    elif request.param == "python":
        monkeypatch.setattr(yaml_reader, "_CParser", None)
    return request.param


def pytest_generate_tests(metafunc):
    runs = getattr(metafunc.function, "yaml_runs", ["libyaml", "python"])
    metafunc.parametrize("yaml_events", runs, indirect=True)


def run_once(test):
    """For tests that pick the parser themselves: run them once, with libyaml available."""
    test.yaml_runs = ["as-is"]
    return test


SMALL = """\
version: 1
categories:
  - slug: web-app
    name: Website or web app
    summary: Sites people use in a browser.
technologies:
  - slug: python-basics
    name: "  Python basics  "
    kind: language
    level: beginner
    categories: [web-app]
    summary: Variables, functions and modules.
    effort_hours: 40
  - slug: django
    name: Django
    kind: framework
    level: intermediate
    categories: [web-app]
    summary: |
      A web framework.
      Batteries included.
    highlights: [Admin views]
    checkpoints:
      - Build a model and edit it in the admin.
    effort_hours: 40
    prerequisites:
      - python-basics
    alternatives: []
    homepage: https://www.djangoproject.com/
    resources:
      - title: Tutorial
        url: https://docs.djangoproject.com/en/5.2/intro/
        kind: tutorial
questions:
  - slug: goals
    prompt: What do you want to build?
    kind: multiple
    choices:
      - slug: website
        label: A website
        recommends:
          - technology: django
            weight: 3
            because: Django has an admin.
        knows: []
  - slug: size
    prompt: How big?
    help: Pick one.
    kind: single
    show_if: {question: goals, any_of: [website]}
    choices:
      - slug: small
        label: Small
"""


def make_document() -> dict:
    """The normalized form of SMALL."""
    return {
        "version": 1,
        "categories": [
            {
                "slug": "web-app",
                "name": "Website or web app",
                "summary": "Sites people use in a browser.",
            }
        ],
        "technologies": [
            {
                "slug": "python-basics",
                "name": "Python basics",
                "kind": "language",
                "level": "beginner",
                "categories": ["web-app"],
                "summary": "Variables, functions and modules.",
                "highlights": [],
                "aliases": [],
                "checkpoints": [],
                "effort_hours": 40,
                "prerequisites": [],
                "alternatives": [],
                "homepage": "",
                "resources": [],
            },
            {
                "slug": "django",
                "name": "Django",
                "kind": "framework",
                "level": "intermediate",
                "categories": ["web-app"],
                "summary": "A web framework.\nBatteries included.",
                "highlights": ["Admin views"],
                "aliases": [],
                "checkpoints": ["Build a model and edit it in the admin."],
                "effort_hours": 40,
                "prerequisites": [{"technology": "python-basics", "why": ""}],
                "alternatives": [],
                "homepage": "https://www.djangoproject.com/",
                "resources": [
                    {
                        "title": "Tutorial",
                        "url": "https://docs.djangoproject.com/en/5.2/intro/",
                        "kind": "tutorial",
                    }
                ],
            },
        ],
        "projects": [],
        "questions": [
            {
                "slug": "goals",
                "prompt": "What do you want to build?",
                "help": "",
                "kind": "multiple",
                "show_if": None,
                "choices": [
                    {
                        "slug": "website",
                        "label": "A website",
                        "recommends": [
                            {"technology": "django", "weight": 3, "because": "Django has an admin."}
                        ],
                        "knows": [],
                    }
                ],
            },
            {
                "slug": "size",
                "prompt": "How big?",
                "help": "Pick one.",
                "kind": "single",
                "show_if": {"question": "goals", "any_of": ["website"]},
                "choices": [{"slug": "small", "label": "Small", "recommends": [], "knows": []}],
            },
        ],
    }


def errors_of(source: str | bytes, filename: str = "catalog.yaml") -> list[SchemaError]:
    with pytest.raises(CatalogInvalid) as caught:
        parse_catalog(source, filename=filename)
    return caught.value.errors


def only_error(source: str | bytes) -> SchemaError:
    errors = errors_of(source)
    assert len(errors) == 1, [str(error) for error in errors]
    return errors[0]


def replaced(old: str, new: str, source: str = SMALL) -> str:
    assert source.count(old) == 1, old
    return source.replace(old, new)


# --- the valid document ---------------------------------------------------------------------


def test_small_catalog_normalizes_as_documented():
    assert parse_catalog(SMALL).model_dump(mode="json") == make_document()


def test_bytes_are_read_as_utf8():
    source = replaced("name: Django\n", "name: Django — “batteries”\n").encode()
    document = parse_catalog(source)
    assert document.technologies[1].name == "Django — “batteries”"


def test_byte_order_mark_and_windows_line_ends_are_fine():
    source = ("\ufeff" + SMALL.replace("\n", "\r\n")).encode()
    assert parse_catalog(source).model_dump(mode="json") == make_document()
    source = replaced("    kind: framework\n", "    kind: framwork\n").replace("\n", "\r\n")
    assert only_error(source).line == 16


def test_prerequisite_mapping_keeps_its_reason():
    source = replaced(
        "      - python-basics\n",
        "      - technology: python-basics\n        why: '  Django is Python.  '\n",
    )
    prerequisites = parse_catalog(source).technologies[1].prerequisites
    assert prerequisites == (Prerequisite(technology="python-basics", why="Django is Python."),)


def test_show_if_null_means_no_condition():
    """The normalized document writes an unconditional question's show_if as null."""
    source = replaced("    show_if: {question: goals, any_of: [website]}\n", "    show_if: ~\n")
    assert parse_catalog(source).questions[1].show_if is None


def _without_section(name: str, value: str) -> str:
    """SMALL with a whole top-level section replaced by ``name: value``."""
    start = SMALL.index(f"\n{name}:\n") + 1
    end = min(
        (
            SMALL.index(f"\n{other}:", start) + 1
            for other in ("technologies", "questions")
            if f"\n{other}:" in SMALL[start:]
        ),
        default=len(SMALL),
    )
    return SMALL[:start] + f"{name}:{value}\n" + SMALL[end:]


RESOURCES = (
    "    resources:\n      - title: Tutorial\n"
    "        url: https://docs.djangoproject.com/en/5.2/intro/\n        kind: tutorial\n"
)
RECOMMENDS = (
    "        recommends:\n          - technology: django\n            weight: 3\n"
    "            because: Django has an admin.\n"
)


@pytest.mark.parametrize(
    ("source", "line", "place", "message"),
    [
        (_without_section("categories", " ~"), 2, "categories", "'categories' must be a list"),
        (_without_section("technologies", ""), 6, "technologies", "'technologies' must be a list"),
        (_without_section("questions", ""), 34, "questions", "'questions' must be a list"),
        (replaced("questions:\n", "projects: ~\nquestions:\n"), 34, "projects", "must be a list"),
        (
            replaced("    alternatives: []\n", "    alternatives:\n"),
            28,
            "technologies[1].alternatives",
            "'alternatives' must be a list, got nothing",
        ),
        (
            replaced("        knows: []\n", "        knows: ~\n"),
            45,
            "questions[0].choices[0].knows",
            "'knows' must be a list, got nothing",
        ),
        (
            replaced("    highlights: [Admin views]\n", "    highlights: ~\n"),
            22,
            "technologies[1].highlights",
            "'highlights' must be a list, got nothing",
        ),
        (
            replaced(
                "    checkpoints:\n      - Build a model and edit it in the admin.\n",
                "    checkpoints:\n",
            ),
            23,
            "technologies[1].checkpoints",
            "'checkpoints' must be a list, got nothing",
        ),
        (
            replaced("    prerequisites:\n      - python-basics\n", "    prerequisites: ~\n"),
            26,
            "technologies[1].prerequisites",
            "'prerequisites' must be a list, got nothing",
        ),
        (
            replaced(RESOURCES, "    resources: ~\n"),
            30,
            "technologies[1].resources",
            "'resources' must be a list, got nothing",
        ),
        (
            replaced(RECOMMENDS, "        recommends: ~\n"),
            41,
            "questions[0].choices[0].recommends",
            "'recommends' must be a list, got nothing",
        ),
        (
            replaced("    help: Pick one.\n", "    help: ~\n"),
            48,
            "questions[1].help",
            "'help' must be text, got nothing",
        ),
        (
            replaced("    homepage: https://www.djangoproject.com/\n", "    homepage:\n"),
            29,
            "technologies[1].homepage",
            "'homepage' must be text, got nothing",
        ),
        (
            replaced(
                "      - python-basics\n",
                "      - technology: python-basics\n        why: ~\n",
            ),
            28,
            "technologies[1].prerequisites[0].why",
            "'why' must be text, got nothing",
        ),
    ],
    ids=lambda value: None,
)
def test_a_present_key_holds_a_value_of_its_type(source, line, place, message):
    """`key: ~` (or nothing after the colon) is an error, never an empty default: a
    `categories: ~` taken as no categories would let `load_catalog --prune` empty the catalog."""
    error = only_error(source)
    assert (error.line, error.place) == (line, place), str(error)
    assert message in error.message


@pytest.mark.parametrize(
    ("escape", "code"),
    [
        ("\\0", "U+0000"),
        ("\\a", "U+0007"),
        ("\\e", "U+001B"),
        ("\\x7f", "U+007F"),
        ("\\x9b", "U+009B"),
        ("\\uFFFE", "U+FFFE"),
    ],
)
def test_text_holds_no_character_that_a_yaml_file_may_not(escape, code):
    """A double-quoted escape can put into a string what YAML refuses in the file itself,
    NUL above all (PostgreSQL refuses it in text); each is a located error."""
    error = only_error(replaced("    name: Django\n", f'    name: "Dja{escape}ngo"\n'))
    assert (error.line, error.place) == (15, "technologies[1].name")
    assert f"contains the character {code}" in error.message


def test_an_escaped_surrogate_is_refused_on_its_line():
    """libyaml refuses the escape itself; PyYAML's parser builds it and the schema refuses it."""
    error = only_error(replaced("    name: Django\n", '    name: "Dja\\ud800ngo"\n'))
    assert error.line == 15
    assert "U+D800" in error.message or "invalid Unicode character escape" in error.message


@pytest.mark.parametrize(
    ("old", "new", "place"),
    [
        (
            "    summary: Sites people use in a browser.\n",
            '    summary: "Sites\\0"\n',
            "categories[0].summary",
        ),
        (
            "      - Build a model and edit it in the admin.\n",
            '      - "Build\\0 a model and edit it in the admin."\n',
            "technologies[1].checkpoints[0]",
        ),
        ("        label: Small\n", '        label: "Sm\\0all"\n', "questions[1].choices[0].label"),
        ("    help: Pick one.\n", '    help: "Pick\\0 one."\n', "questions[1].help"),
        (
            "            because: Django",
            '            because: "\\0" # Django',
            "questions[0].choices[0].recommends[0].because",
        ),
        (
            "        kind: tutorial\n",
            '        kind: "tutorial\\0"\n',
            "technologies[1].resources[0].kind",
        ),
        ("    kind: multiple\n", '    kind: "multiple\\0"\n', "questions[0].kind"),
    ],
)
def test_nul_is_refused_in_every_string(old, new, place):
    errors = errors_of(replaced(old, new))
    assert [error.place for error in errors] == [place], [str(error) for error in errors]
    assert "U+0000" in errors[0].message


def test_tabs_and_line_breaks_in_text_are_fine():
    source = replaced("    name: Django\n", '    name: "Dja\\tngo\\r\\n\\x85"\n')
    assert parse_catalog(source).technologies[1].name == "Dja\tngo"
    source = replaced("    help: Pick one.\n", '    help: "Pick\\tone.\\r\\nOr\\x85two"\n')
    assert parse_catalog(source).questions[1].help == "Pick\tone.\r\nOr\x85two"


def test_references_may_point_forward():
    source = replaced(
        "    effort_hours: 40\n  - slug: django",
        "    effort_hours: 40\n    alternatives: [django]\n  - slug: django",
    )
    assert parse_catalog(source).technologies[0].alternatives == ("django",)


def test_public_enums_follow_design_order():
    assert KINDS == (
        "language",
        "framework",
        "library",
        "stdlib",
        "tool",
        "platform",
        "service",
        "practice",
    )
    assert LEVELS == ("beginner", "intermediate", "advanced")
    assert RESOURCE_KINDS == ("docs", "tutorial", "course", "book", "video", "article")
    assert QUESTION_KINDS == ("single", "multiple")


@pytest.mark.parametrize("slug", ["django", "web-app", "python3", "a-b-c", "0"])
def test_slug_rule_accepts(slug):
    assert SLUG_RE.match(slug)


@pytest.mark.parametrize(
    "slug", ["", "Django", "web_app", "-web", "web-", "web--app", "web app", "django\n"]
)
def test_slug_rule_refuses(slug):
    assert not SLUG_RE.match(slug)


# --- errors: where and what -----------------------------------------------------------------


def test_error_text_names_file_line_and_place():
    source = replaced("      - python-basics\n", "      - python-basic\n")
    error = only_error(source)
    assert error == SchemaError(
        filename="catalog.yaml",
        line=27,
        place="technologies[1].prerequisites[0]",
        message="unknown technology 'python-basic'; did you mean 'python-basics'?",
    )
    assert str(error) == (
        "catalog.yaml:27: technologies[1].prerequisites[0]: "
        "unknown technology 'python-basic'; did you mean 'python-basics'?"
    )


def test_whole_document_errors_have_no_place():
    assert str(only_error("- 1\n")).startswith("catalog.yaml:1: the top of the catalog")


def test_all_errors_are_reported_together_in_file_order():
    source = replaced("    kind: framework\n", "    kind: framwork\n")
    source = replaced("            weight: 3\n", "            weight: 30\n", source)
    source = replaced("    level: beginner\n", "    level: expert\n    colour: red\n", source)
    errors = errors_of(source)
    assert [(error.line, error.place) for error in errors] == [
        (10, "technologies[0].level"),
        (11, "technologies[0].colour"),
        (17, "technologies[1].kind"),
        (44, "questions[0].choices[0].recommends[0].weight"),
    ]
    assert "did you mean 'framework'?" in errors[2].message
    assert "from -10 to 10, got 30" in errors[3].message


def test_catalog_invalid_lists_every_error_in_its_text():
    source = replaced("    kind: framework\n", "    kind: framwork\n")
    source = replaced("            weight: 3\n", "            weight: 0\n", source)
    with pytest.raises(CatalogInvalid) as caught:
        parse_catalog(source, filename="c.yaml")
    assert str(caught.value).splitlines() == [str(error) for error in caught.value.errors]
    assert len(caught.value.errors) == 2


def test_unknown_key_without_close_match_lists_the_valid_keys():
    error = only_error(
        replaced(
            "    effort_hours: 40\n  - slug: django",
            "    effort_hours: 40\n    zzz: 1\n  - slug: django",
        )
    )
    assert error.place == "technologies[0].zzz"
    assert "unknown key 'zzz'; expected one of: slug, name, kind" in error.message


def test_missing_key_points_at_its_mapping():
    error = only_error(replaced("    kind: language\n", ""))
    assert (error.line, error.place, error.message) == (
        7,
        "technologies[0]",
        "missing required key 'kind'",
    )


@pytest.mark.parametrize(
    ("old", "new", "place", "message"),
    [
        (
            "effort_hours: 40\n  - slug: django",
            "effort_hours: true\n  - slug: django",
            "technologies[0].effort_hours",
            "must be a whole number from 1 to 1000, got true",
        ),
        (
            "effort_hours: 40\n  - slug: django",
            "effort_hours: 4.5\n  - slug: django",
            "technologies[0].effort_hours",
            "got a number (4.5)",
        ),
        (
            "effort_hours: 40\n  - slug: django",
            "effort_hours: 0\n  - slug: django",
            "technologies[0].effort_hours",
            "must be from 1 to 1000, got 0",
        ),
        (
            "    name: Django\n",
            "    name: 2024-01-01\n",
            "technologies[1].name",
            "got a date (2024-01-01); put it in quotes",
        ),
        (
            "    name: Django\n",
            "    name: [Django]\n",
            "technologies[1].name",
            "must be text, got a list",
        ),
        (
            "highlights: [Admin views]",
            "highlights: Admin views",
            "technologies[1].highlights",
            "'highlights' must be a list, got text",
        ),
        (
            "highlights: [Admin views]",
            "highlights: [Admin views, '']",
            "technologies[1].highlights[1]",
            "each item of 'highlights' must not be blank",
        ),
        (
            "            weight: 3\n",
            "            weight: -11\n",
            "questions[0].choices[0].recommends[0].weight",
            "must be from -10 to 10, got -11",
        ),
        (
            "            weight: 3\n",
            "            weight: false\n",
            "questions[0].choices[0].recommends[0].weight",
            "got false",
        ),
        (
            "        kind: tutorial\n",
            "        kind: tutorail\n",
            "technologies[1].resources[0].kind",
            "did you mean 'tutorial'?",
        ),
        (
            "homepage: https://www.djangoproject.com/",
            "homepage: https:///no-host",
            "technologies[1].homepage",
            "is not an http(s) URL with a host",
        ),
        (
            "homepage: https://www.djangoproject.com/",
            "homepage: 'https://www.django project.com/'",
            "technologies[1].homepage",
            "is not an http(s) URL",
        ),
        (
            "homepage: https://www.djangoproject.com/",
            "homepage: 'http://[::1'",
            "technologies[1].homepage",
            "is not an http(s) URL",
        ),
        ("    kind: multiple\n", "    kind: many\n", "questions[0].kind", "unknown kind 'many'"),
        (
            "        knows: []\n",
            "        knows: [django, django]\n",
            "questions[0].choices[0].knows[1]",
            "technology 'django' is listed twice",
        ),
        (
            "        knows: []\n",
            "        knows: [3]\n",
            "questions[0].choices[0].knows[0]",
            "expected a technology slug, got a number (3)",
        ),
        (
            "because: Django has an admin.\n",
            "because: Django has an admin.\n"
            "          - {technology: django, weight: 1, because: Again.}\n",
            "questions[0].choices[0].recommends[1].technology",
            "technology 'django' is listed twice",
        ),
        (
            "show_if: {question: goals, any_of: [website]}",
            "show_if: {question: size, any_of: [small]}",
            "questions[1].show_if.question",
            "a question cannot depend on itself",
        ),
        (
            "show_if: {question: goals, any_of: [website]}",
            "show_if: [goals]",
            "questions[1].show_if",
            "expected a mapping (question, any_of), got a list",
        ),
        (
            "show_if: {question: goals, any_of: [website]}",
            "show_if: {question: goals}",
            "questions[1].show_if",
            "missing required key 'any_of'",
        ),
        (
            "      - python-basics\n",
            "      - 7\n",
            "technologies[1].prerequisites[0]",
            "a prerequisite is a technology slug or a mapping",
        ),
        (
            "      - python-basics\n",
            "      - technology: python-basics\n        when: later\n",
            "technologies[1].prerequisites[0].when",
            "unknown key 'when'",
        ),
        (
            "      - python-basics\n",
            "      - technology: django\n",
            "technologies[1].prerequisites[0].technology",
            "cannot be its own prerequisite",
        ),
        (
            "    summary: Sites people use in a browser.\n",
            "    summary: " + "x" * 5001 + "\n",
            "categories[0].summary",
            "is 5,001 characters long; the limit is 5,000",
        ),
        (
            "      - slug: small\n",
            "      - slug: " + "w" * 65 + "\n",
            "questions[1].choices[0].slug",
            "is 65 characters long; the limit is 64",
        ),
        (
            "      - Build a model and edit it in the admin.\n",
            "      - " + "y" * 301 + "\n",
            "technologies[1].checkpoints[0]",
            "the limit is 300",
        ),
        (
            "url: https://docs.djangoproject.com/en/5.2/intro/",
            "url: https://example.com/" + "z" * 490,
            "technologies[1].resources[0].url",
            "the limit is 500",
        ),
        (
            "    prompt: How big?\n",
            "    prompt: 'null'\n    prompt: How big?\n",
            "questions[1].prompt",
            "duplicate key 'prompt'",
        ),
        ("version: 1\n", "version: '1'\n", "version", "'version' must be the number 1, got text"),
        ("version: 1\n", "version: true\n", "version", "must be the number 1, got true"),
        (
            "        label: Small\n",
            "        label: !!int twelve\n",
            "questions[1].choices[0].label",
            "'twelve' is not a valid !!int value",
        ),
        (
            "        label: Small\n",
            "        label: !!binary aGVsbG8=\n",
            "",
            "the tag !!binary is not allowed",
        ),
        ("        label: Small\n", "        label: !!str 12\n", None, None),
        (
            "        label: Small\n",
            "        label: !!map Small\n",
            "questions[1].choices[0].label",
            "the tag !!map cannot be put on a value",
        ),
        (
            "highlights: [Admin views]",
            "highlights: !!str [Admin views]",
            "technologies[1].highlights",
            "the tag !!str cannot be put on a list",
        ),
        (
            "show_if: {question: goals, any_of: [website]}",
            "show_if: !!seq {question: goals, any_of: [website]}",
            "questions[1].show_if",
            "the tag !!seq cannot be put on a mapping",
        ),
        (
            "    name: Django\n",
            "    name: Django\n    [a, b]: {c: d}\n",
            "technologies[1]",
            "a key must be a plain name, not a list or a mapping",
        ),
        (
            "    name: Django\n",
            "    name: Django\n    ? {a: 1}\n    : x\n",
            "technologies[1]",
            "a key must be a plain name, not a list or a mapping",
        ),
    ],
)
def test_each_rule_names_place_and_problem(old, new, place, message):
    source = replaced(old, new)
    if place is None:
        parse_catalog(source)  # an explicit standard tag is fine
        return
    error = only_error(source)
    assert error.place == place
    assert message in error.message
    assert isinstance(error.line, int) and error.line >= 1


def test_error_line_is_the_line_of_the_offending_node():
    source = replaced(
        "    categories: [web-app]\n    summary: |",
        "    categories:\n      - web-app\n      - api\n    summary: |",
    )
    error = only_error(source)
    assert (error.line, error.place) == (20, "technologies[1].categories[1]")
    assert error.message == "unknown category 'api'"


def test_duplicate_slugs_name_the_first_one():
    duplicate = (
        "  - {slug: python-basics, name: Python, kind: language, level: beginner,\n"
        "     categories: [web-app], summary: Again., effort_hours: 10}\n"
    )
    source = replaced("questions:\n", duplicate + "questions:\n")
    assert [str(error) for error in errors_of(source)] == [
        "catalog.yaml:34: technologies[2].slug: duplicate technology slug 'python-basics' "
        "(technologies[0] on line 7)"
    ]


def test_invalid_slug_suggests_a_valid_one():
    error = only_error(
        replaced("  - slug: web-app\n", "  - slug: Web App\n").replace("[web-app]", "['Web App']")
    )
    assert error.place == "categories[0].slug"
    assert "did you mean 'web-app'?" in error.message


def test_show_if_unknown_question_suggests_only_earlier_questions():
    source = replaced(
        "show_if: {question: goals, any_of: [website]}",
        "show_if: {question: goal, any_of: [website]}",
    )
    error = only_error(source)
    assert error.message == "unknown question 'goal'; did you mean 'goals'?"


# --- prerequisite cycles --------------------------------------------------------------------


def chain_catalog(edges: dict[str, list[str]]) -> str:
    """A catalog of practice technologies with the given prerequisites, in this order."""
    lines = [
        "version: 1",
        "categories:",
        "  - {slug: web-app, name: Web, summary: Web things.}",
        "technologies:",
    ]
    for slug, prerequisites in edges.items():
        lines += [
            f"  - slug: {slug}",
            f"    name: {slug.title()}",
            "    kind: practice",
            "    level: beginner",
            "    categories: [web-app]",
            "    summary: Something to learn.",
            "    effort_hours: 5",
            f"    prerequisites: [{', '.join(prerequisites)}]",
        ]
    return "\n".join(lines) + "\n"


def test_cycle_is_spelled_out_from_its_smallest_slug():
    source = chain_catalog({"zeta": ["alpha"], "mid": ["zeta"], "alpha": ["mid"], "free": []})
    error = only_error(source)
    assert (
        error.message
        == "prerequisites form a cycle: alpha → mid → zeta → alpha (each needs the next)"
    )
    assert error.place == "technologies[2].prerequisites[0]"
    assert error.line == 28


def test_each_cycle_is_reported_once():
    source = chain_catalog({"a": ["b", "c"], "b": ["a"], "c": ["a"], "d": ["e"], "e": ["d"]})
    messages = [error.message for error in errors_of(source)]
    assert messages == [
        "prerequisites form a cycle: a → b → a (each needs the next)",
        "prerequisites form a cycle: a → c → a (each needs the next)",
        "prerequisites form a cycle: d → e → d (each needs the next)",
    ]


def test_a_long_chain_is_no_cycle():
    slugs = [f"step-{number}" for number in range(2000)]
    edges = {slug: ([slugs[index - 1]] if index else []) for index, slug in enumerate(slugs)}
    document = parse_catalog(chain_catalog(edges))
    assert len(document.technologies) == 2000


def test_a_long_cycle_is_reported_without_recursion():
    slugs = [f"step-{number}" for number in range(3000)]
    edges = {slug: [slugs[index - 1]] for index, slug in enumerate(slugs)}
    error = only_error(chain_catalog(edges))
    assert error.message.startswith("prerequisites form a cycle: step-0 → step-2999 → step-2998")


# --- hostile input --------------------------------------------------------------------------


def test_oversize_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(SMALL + "#" * MAX_BYTES, encoding="utf-8")
    error = only_error(path.read_bytes())
    assert error.line == 1
    assert f"{MAX_BYTES:,}" in error.message
    assert f"{path.stat().st_size:,} bytes" in error.message
    assert only_error(path.read_text(encoding="utf-8")).message == error.message


def test_file_at_the_limit_is_parsed():
    source = SMALL + "#" * (MAX_BYTES - len(SMALL.encode()))
    assert len(source.encode()) == MAX_BYTES
    assert parse_catalog(source).model_dump(mode="json") == make_document()


@pytest.mark.parametrize(
    "source",
    [
        "highlights: " + "[" * 100_000,
        "highlights: " + "{a: " * 100_000,
        "highlights:\n" + "- " * 100_000,
    ],
    ids=["flow-lists", "flow-mappings", "block-lists"],
)
def test_very_deep_nesting_is_a_clean_error(source):
    # How fast it is refused is a row of `make bench`, not a wall-clock limit here.
    error = only_error(source)
    assert error.message == f"the document is nested more than {MAX_DEPTH} levels deep"
    assert error.line == source.count("\n") + 1


def test_alias_bomb_is_refused_at_once():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 30)]
    error = only_error("\n".join(lines) + "\n")  # timed in `make bench`
    assert "anchors (&a0) are not allowed" in error.message


def test_alias_alone_is_refused():
    error = only_error("version: 1\ncategories: *undefined\n")
    assert (error.line, error.message) == (
        2,
        "aliases (*undefined) are not allowed; write the value out",
    )


def test_refused_nodes_are_refused_even_where_nothing_is_built():
    """A value that is never built (a duplicate key's, a list key's) is still checked."""
    duplicate = replaced("    prompt: How big?\n", "    prompt: How big?\n    prompt: [*x]\n")
    assert only_error(duplicate).message == "aliases (*x) are not allowed; write the value out"
    list_key = replaced("    name: Django\n", "    name: Django\n    [!!python/none a]: b\n")
    assert "the tag !!python/none is not allowed" in only_error(list_key).message
    nested = replaced("    name: Django\n", "    name: Django\n    [a]: " + "[" * 60 + "\n")
    assert "nested more than" in only_error(nested).message


def test_lone_surrogates_are_named():
    error = only_error(SMALL.replace("Variables", "Vari\ud800ables"))
    assert (error.line, error.message) == (
        12,
        "the file contains the character U+D800, which YAML does not allow",
    )


def test_python_tags_never_run():
    source = "version: !!python/object/apply:os.system ['touch /tmp/pwned-by-catalog']\n"
    error = only_error(source)
    assert "!!python/object/apply:os.system is not allowed" in error.message
    assert not Path("/tmp/pwned-by-catalog").exists()


def test_non_utf8_bytes_name_the_line():
    error = only_error(SMALL.replace("Variables", "Variábles").encode("latin-1"))
    assert (error.line, error.message[:33]) == (12, "the file is not valid UTF-8 (byte")


# --- validate_document on plain data --------------------------------------------------------


def test_validate_document_accepts_a_normalized_document():
    document = make_document()
    assert validate_document(copy.deepcopy(document)) == (as_document(document), [])


def test_validate_document_without_marks_has_no_lines():
    document = make_document()
    document["technologies"][1]["prerequisites"] = [{"technology": "flask", "why": ""}]
    result, errors = validate_document(document, filename="database")
    assert result is None
    assert [str(error) for error in errors] == [
        "database: technologies[1].prerequisites[0].technology: unknown technology 'flask'"
    ]


def test_validate_document_refuses_non_text_keys():
    document = make_document()
    document["categories"][0][1] = "one"
    _, errors = validate_document(document)
    assert [error.message for error in errors] == ["the key 1 must be a name"]


@pytest.mark.parametrize("data", [None, [], "catalog", 1])
def test_validate_document_needs_a_mapping(data):
    result, errors = validate_document(data)
    assert result is None
    assert len(errors) == 1
    assert errors[0].place == ""


# --- dumping --------------------------------------------------------------------------------


def test_dump_is_canonical():
    text = dump_catalog(make_document())
    assert text.startswith("version: 1\n\ncategories:\n  - slug: web-app\n")
    assert "    categories: [web-app]\n" in text
    assert "    prerequisites: [python-basics]\n" in text
    assert "    summary: |-\n      A web framework.\n      Batteries included.\n" in text
    assert "alternatives" not in text  # empty optional keys are left out
    assert "projects" not in text
    assert "    show_if:\n      question: goals\n      any_of: [website]\n" in text
    assert "&" not in text and "*" not in text


def test_dump_writes_reasons_as_mappings():
    document = make_document()
    document["technologies"][1]["prerequisites"][0]["why"] = "Django is Python."
    text = dump_catalog(document)
    assert (
        "    prerequisites:\n      - technology: python-basics\n        why: Django is Python.\n"
        in text
    )
    assert parse_catalog(text) == as_document(document)


def test_dump_never_writes_aliases_for_shared_objects():
    document = make_document()
    shared = ["web-app"]
    for technology in document["technologies"]:
        technology["categories"] = shared
    text = dump_catalog(document)
    assert parse_catalog(text) == as_document(document)


def test_dump_folds_long_lines_and_reads_them_back():
    document = make_document()
    document["categories"][0]["summary"] = " ".join(["word"] * 1000)
    text = dump_catalog(document)
    assert "  summary: >-\n      word word" in text
    assert max(len(line) for line in text.splitlines()) <= 88
    assert parse_catalog(text) == as_document(document)


def test_dump_of_the_small_catalog_round_trips():
    text = dump_catalog(parse_catalog(SMALL))
    assert dump_catalog(parse_catalog(text)) == text


def test_five_thousand_technologies_validate():
    document = chain_document(5000)
    result, errors = validate_document(document)  # timed in `make bench`
    assert errors == []
    assert result == as_document(document)


# --- round trip property --------------------------------------------------------------------

slugs = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)


# Characters a YAML file may hold as they are (the schema refuses the others in text).
text_characters = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Cn"), include_characters="\t\n\r\x85"
)


def texts(max_size: int = 30) -> st.SearchStrategy[str]:
    return st.text(text_characters, max_size=max_size).map(str.strip).filter(bool)


def urls() -> st.SearchStrategy[str]:
    return st.builds(lambda host, path: f"https://{host}.example/{path}", slugs, slugs)


@st.composite
def documents(draw: st.DrawFn) -> dict:
    category_slugs = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    technology_slugs = draw(st.lists(slugs, max_size=6, unique=True))
    technologies = []
    for index, slug in enumerate(technology_slugs):
        earlier, others = technology_slugs[:index], [s for s in technology_slugs if s != slug]
        technologies.append(
            {
                "slug": slug,
                "name": draw(texts()),
                "kind": draw(st.sampled_from(KINDS)),
                "level": draw(st.sampled_from(LEVELS)),
                "categories": draw(
                    st.lists(st.sampled_from(category_slugs), min_size=1, unique=True)
                ),
                "summary": draw(texts(80)),
                "highlights": draw(st.lists(texts(), max_size=2)),
                # Each starts with its own word ("aka2x0"), so no two aliases ever clash.
                "aliases": [
                    f"aka{index}x{number} {draw(texts(8))}"
                    for number in range(draw(st.integers(0, 2)))
                ],
                "checkpoints": draw(st.lists(texts(), max_size=2)),
                "effort_hours": draw(st.integers(1, 1000)),
                "prerequisites": [
                    {"technology": prerequisite, "why": draw(st.just("") | texts())}
                    for prerequisite in draw(
                        st.lists(st.sampled_from(earlier), unique=True, max_size=3)
                    )
                ]
                if earlier
                else [],
                "alternatives": draw(st.lists(st.sampled_from(others), unique=True, max_size=2))
                if others
                else [],
                "homepage": draw(st.just("") | urls()),
                "resources": draw(
                    st.lists(
                        st.fixed_dictionaries(
                            {
                                "title": texts(),
                                "url": urls(),
                                "kind": st.sampled_from(RESOURCE_KINDS),
                            }
                        ),
                        max_size=2,
                    )
                ),
            }
        )
    projects = []
    if technology_slugs:
        for slug in draw(st.lists(slugs, max_size=2, unique=True)):
            uses = draw(st.lists(st.sampled_from(technology_slugs), min_size=1, unique=True))
            projects.append(
                {"slug": slug, "title": draw(texts()), "brief": draw(texts(80)), "uses": uses}
            )
    questions: list[dict] = []
    for slug in draw(st.lists(slugs, max_size=3, unique=True)):
        choices = []
        for choice_slug in draw(st.lists(slugs, min_size=1, max_size=3, unique=True)):
            recommended = (
                draw(st.lists(st.sampled_from(technology_slugs), unique=True))
                if technology_slugs
                else []
            )
            choices.append(
                {
                    "slug": choice_slug,
                    "label": draw(texts()),
                    "recommends": [
                        {
                            "technology": technology,
                            "weight": draw(st.integers(-10, 10).filter(bool)),
                            "because": draw(texts()),
                        }
                        for technology in recommended
                    ],
                    "knows": draw(st.lists(st.sampled_from(technology_slugs), unique=True))
                    if technology_slugs
                    else [],
                }
            )
        show_if = None
        if questions and draw(st.booleans()):
            target = draw(st.sampled_from(questions))
            target_choices = [choice["slug"] for choice in target["choices"]]
            any_of = draw(st.lists(st.sampled_from(target_choices), min_size=1, unique=True))
            show_if = {"question": target["slug"], "any_of": any_of}
        questions.append(
            {
                "slug": slug,
                "prompt": draw(texts()),
                "help": draw(st.just("") | texts()),
                "kind": draw(st.sampled_from(QUESTION_KINDS)),
                "show_if": show_if,
                "choices": choices,
            }
        )
    return {
        "version": 1,
        "categories": [
            {"slug": slug, "name": draw(texts()), "summary": draw(texts(80))}
            for slug in category_slugs
        ],
        "technologies": technologies,
        "projects": projects,
        "questions": questions,
    }


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_dump_then_parse_gives_the_document_back(document):
    assert validate_document(document) == (as_document(document), [])
    text = dump_catalog(document)
    assert parse_catalog(text) == as_document(document)
    assert dump_catalog(parse_catalog(text)) == text


# --- the corpus of broken files -------------------------------------------------------------

# file → (line, place, part of the message). Each file is the same small, plausible catalog with
# exactly one defect; the command tests reuse them.
EXPECTED = {
    "alternatives-empty.yaml": (
        53,
        "technologies[3].alternatives",
        "'alternatives' must be a list, got nothing",
    ),
    "alias-bomb.yaml": (33, "", "anchors (&a) are not allowed"),
    "alias.yaml": (3, "", "anchors (&web) are not allowed"),
    "bad-homepage.yaml": (
        40,
        "technologies[2].homepage",
        "'www.djangoproject.com' is not an http(s) URL",
    ),
    "bad-resource-url.yaml": (43, "technologies[2].resources[0].url", "is not an http(s) URL"),
    "blank-because.yaml": (
        91,
        "questions[0].choices[1].recommends[0].because",
        "'because' must not be blank",
    ),
    "blank-name.yaml": (21, "technologies[1].name", "'name' must not be blank"),
    "bool-effort-hours.yaml": (
        51,
        "technologies[3].effort_hours",
        "must be a whole number from 1 to 1000, got true",
    ),
    "categories-not-a-list.yaml": (
        58,
        "technologies[4].categories",
        "'categories' must be a list, got text",
    ),
    "categories-null.yaml": (2, "categories", "'categories' must be a list, got nothing"),
    "comments-only.yaml": (1, "", "the catalog is empty"),
    "control-character.yaml": (59, "", "the character U+0007, which YAML does not allow"),
    "deep-nesting.yaml": (33, "", f"nested more than {MAX_DEPTH} levels deep"),
    "duplicate-category-slug.yaml": (
        9,
        "categories[2].slug",
        "duplicate category slug 'scripts' (categories[1] on line 6)",
    ),
    "duplicate-choice-slug.yaml": (
        109,
        "questions[1].choices[1].slug",
        "duplicate choice slug 'small'",
    ),
    "duplicate-in-slug-list.yaml": (
        14,
        "technologies[0].categories[2]",
        "category 'web-app' is listed twice",
    ),
    "duplicate-key.yaml": (
        47,
        "technologies[3].name",
        "duplicate key 'name' (first given on line 46)",
    ),
    "duplicate-project-slug.yaml": (75, "projects[1].slug", "duplicate project slug 'cli-weather'"),
    "duplicate-question-slug.yaml": (112, "questions[2].slug", "duplicate question slug 'size'"),
    "duplicate-technology-slug.yaml": (
        62,
        "technologies[5].slug",
        "duplicate technology slug 'requests'",
    ),
    "effort-hours-out-of-range.yaml": (
        26,
        "technologies[1].effort_hours",
        "must be from 1 to 1000, got 1500",
    ),
    "empty-categories.yaml": (66, "technologies[5].categories", "must name at least one category"),
    "empty-choices.yaml": (99, "questions[1].choices", "must name at least one choice"),
    "empty.yaml": (1, "", "the catalog is empty"),
    "invalid-slug.yaml": (71, "projects[0].slug", "'CLI_weather' is not a valid slug"),
    "knows-unknown-technology.yaml": (
        111,
        "questions[1].choices[1].knows[0]",
        "unknown technology 'python'; did you mean 'python-basics'?",
    ),
    "knows-null.yaml": (
        111,
        "questions[1].choices[1].knows",
        "'knows' must be a list, got nothing",
    ),
    "local-tag.yaml": (50, "", "the tag !include is not allowed"),
    "missing-required-key.yaml": (54, "technologies[4]", "missing required key 'level'"),
    "multiple-documents.yaml": (112, "", "second YAML document"),
    "name-too-long.yaml": (28, "technologies[2].name", "the limit is 200"),
    "not-utf8.yaml": (59, "", "not valid UTF-8"),
    "nul-character.yaml": (
        50,
        "technologies[3].summary",
        "'summary' contains the character U+0000",
    ),
    "number-as-name.yaml": (
        63,
        "technologies[5].name",
        "must be text, got a number (3.12); put it in quotes",
    ),
    "prerequisite-cycle.yaml": (
        53,
        "technologies[3].prerequisites[1]",
        "cycle: flask → http-basics → flask",
    ),
    "project-unknown-technology.yaml": (
        74,
        "projects[0].uses[1]",
        "unknown technology 'argparser'; did you mean 'argparse'?",
    ),
    "project-uses-nothing.yaml": (74, "projects[0].uses", "must name at least one technology"),
    "python-tag.yaml": (59, "", "the tag !!python/object/apply:os.system is not allowed"),
    "question-kind.yaml": (
        95,
        "questions[1].kind",
        "unknown kind 'several'; expected one of: single, multiple",
    ),
    "questions-null.yaml": (75, "questions", "'questions' must be a list, got nothing"),
    "recommends-unknown-technology.yaml": (
        89,
        "questions[0].choices[1].recommends[0].technology",
        "unknown technology 'httpx'",
    ),
    "self-alternative.yaml": (
        39,
        "technologies[2].alternatives[1]",
        "cannot be its own alternative",
    ),
    "self-prerequisite.yaml": (
        69,
        "technologies[5].prerequisites[1]",
        "cannot be its own prerequisite",
    ),
    "show-if-empty-any-of.yaml": (
        98,
        "questions[1].show_if.any_of",
        "must name at least one choice",
    ),
    "show-if-later-question.yaml": (
        80,
        "questions[0].show_if.question",
        "can only name an earlier question; 'size' is asked later",
    ),
    "show-if-unknown-choice.yaml": (
        98,
        "questions[1].show_if.any_of[0]",
        "unknown choice 'web-site'; did you mean 'website'?",
    ),
    "show-if-unknown-question.yaml": (
        97,
        "questions[1].show_if.question",
        "unknown question 'goal'; did you mean 'goals'?",
    ),
    "syntax-error.yaml": (25, "", "invalid YAML"),
    "technologies-null.yaml": (9, "technologies", "'technologies' must be a list, got nothing"),
    "top-level-list.yaml": (1, "", "the top of the catalog must be a mapping"),
    "unknown-alternative.yaml": (
        53,
        "technologies[3].alternatives[0]",
        "unknown technology 'bottle'",
    ),
    "unknown-category.yaml": (
        49,
        "technologies[3].categories[0]",
        "unknown category 'webapp'; did you mean 'web-app'?",
    ),
    "unknown-key.yaml": (
        40,
        "technologies[2].homepgae",
        "unknown key 'homepgae'; did you mean 'homepage'?",
    ),
    "unknown-kind.yaml": (
        56,
        "technologies[4].kind",
        "unknown kind 'libary'; did you mean 'library'?",
    ),
    "unknown-level.yaml": (
        23,
        "technologies[1].level",
        "unknown level 'begginer'; did you mean 'beginner'?",
    ),
    "unknown-prerequisite.yaml": (
        36,
        "technologies[2].prerequisites[0]",
        "unknown technology 'python-basic'; did you mean 'python-basics'?",
    ),
    "unknown-resource-kind.yaml": (44, "technologies[2].resources[0].kind", "unknown kind 'blog'"),
    "unknown-top-level-key.yaml": (
        70,
        "project",
        "unknown key 'project'; did you mean 'projects'?",
    ),
    "version-2.yaml": (1, "version", "unsupported catalog version 2"),
    "version-missing.yaml": (2, "", "missing required key 'version'"),
    "weight-as-text.yaml": (
        107,
        "questions[1].choices[0].recommends[1].weight",
        "must be a whole number from -10 to 10, got text",
    ),
    "weight-out-of-range.yaml": (
        84,
        "questions[0].choices[0].recommends[0].weight",
        "must be from -10 to 10, got 11",
    ),
    "weight-zero.yaml": (
        90,
        "questions[0].choices[1].recommends[0].weight",
        "'weight' must not be 0",
    ),
}


def test_every_bad_file_has_an_expectation():
    assert sorted(path.name for path in BAD.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_refused_with_its_one_error(name):
    line, place, message = EXPECTED[name]
    errors = errors_of((BAD / name).read_bytes(), filename=name)
    assert all(isinstance(error.line, int) and error.line >= 1 for error in errors)
    assert [(error.filename, error.line, error.place) for error in errors] == [(name, line, place)]
    assert message in errors[0].message


def test_the_bad_files_differ_from_a_valid_catalog_by_one_defect():
    """The corpus's shared base is valid: fixing the defect of one file makes it load."""
    fixed = (BAD / "unknown-key.yaml").read_text(encoding="utf-8").replace("homepgae:", "homepage:")
    document = parse_catalog(fixed)
    assert [technology.slug for technology in document.technologies] == [
        "python-basics",
        "http-basics",
        "django",
        "flask",
        "requests",
        "argparse",
    ]


# --- the two parsers ------------------------------------------------------------------------

LIBYAML = yaml_reader._CParser  # as imported, before the fixture hides it
needs_libyaml = pytest.mark.skipif(LIBYAML is None, reason="PyYAML is built without libyaml")


@needs_libyaml
@run_once
def test_libyaml_is_used_when_present(monkeypatch):
    monkeypatch.setattr(yaml_reader, "_PythonParser", None)  # would fail if called
    assert parse_catalog(SMALL).model_dump(mode="json") == make_document()


@needs_libyaml
@pytest.mark.parametrize(
    "name", [*sorted(EXPECTED), "small", "generated"], ids=lambda name: name.removesuffix(".yaml")
)
@run_once
def test_both_parsers_build_the_same_data_marks_and_errors(name):
    if name == "small":
        source = SMALL.encode()
    elif name == "generated":
        source = dump_catalog(generate_document(300, seed=5)).encode()
    else:
        source = (BAD / name).read_bytes()
    text, error = yaml_reader._decode(source, name)
    if error is not None:
        return  # refused before parsing
    fast = yaml_reader._load_yaml(text, name, libyaml=True)
    slow = yaml_reader._load_yaml(text, name, libyaml=False)
    if name == "syntax-error.yaml":  # libyaml words its syntax errors its own way
        assert [(e.line, e.place) for e in fast[2]] == [(e.line, e.place) for e in slow[2]]
        assert fast[2][0].message.startswith("invalid YAML: while parsing a flow sequence")
        return
    assert fast == slow


@needs_libyaml
@run_once
def test_libyaml_refuses_deep_nesting_at_full_size_without_crashing():
    """libyaml's own composer (CSafeLoader) recurses per level and crashes on such input;
    only its events are used, so the process survives and names the line. Run apart, so
    a crash would fail this test rather than the whole run."""
    code = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from catalog.yaml_reader import MAX_BYTES, _load_yaml
size = MAX_BYTES - 20
for source in ("[" * size, "{{a: " * (size // 4), "- " * (size // 2), "a:\\n  " + "[" * size):
    _, _, errors, _ = _load_yaml(source, "f", libyaml=True)
    print(errors[0].line, errors[0].message)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    message = f"the document is nested more than {MAX_DEPTH} levels deep"
    assert result.stdout.splitlines() == [f"1 {message}"] * 3 + [f"2 {message}"]


def test_a_tab_that_safe_load_refuses_is_refused_whichever_parser_is_available():
    import yaml

    source = "version:\t1\ncategories: []\ntechnologies: []\n"  # libyaml would accept it
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(source)
    with pytest.raises(CatalogInvalid) as caught:
        parse_catalog(source, filename="tabs.yaml")
    assert caught.value.errors[0].line is not None


# --- aliases: other names a learner may search for ---------------------------------------------


def test_aliases_are_read_kept_in_order_and_written_back_in_flow_style():
    source = replaced(
        "    highlights: [Admin views]\n",
        "    highlights: [Admin views]\n    aliases: [dj, 'django: the framework']\n",
    )
    document = parse_catalog(source)
    assert document.technologies[1].aliases == ("dj", "django: the framework")
    assert document.technologies[0].aliases == ()
    text = dump_catalog(document)
    assert "    highlights: [Admin views]\n" not in text  # highlights stay a block list
    assert "    aliases: [dj, 'django: the framework']\n    checkpoints:\n" in text
    assert parse_catalog(text) == document
    assert "aliases" not in dump_catalog(make_document())  # none: the key is left out


@pytest.mark.parametrize(
    ("aliases", "place", "message"),
    [
        ("[dj, DJ]", "technologies[1].aliases[1]", "alias 'DJ' is listed twice"),
        ("[Django]", "technologies[1].aliases[0]", "alias 'Django' is this technology's own name"),
        (
            "[python basics]",
            "technologies[1].aliases[0]",
            "alias 'python basics' is already the name of technologies[0] on line 7",
        ),
        (
            "[Python-Basics]",
            "technologies[1].aliases[0]",
            "alias 'Python-Basics' is already the name of technologies[0] on line 7",
        ),
        ("['!!!']", "technologies[1].aliases[0]", "has no letter or digit, so no search finds it"),
        ("dj", "technologies[1].aliases", "must be a list"),
        ("[[dj]]", "technologies[1].aliases[0]", ""),
        ("['']", "technologies[1].aliases[0]", ""),
    ],
)
def test_an_alias_that_would_mislead_a_search_is_refused(aliases, place, message):
    error = only_error(
        replaced(
            "    highlights: [Admin views]\n",
            f"    highlights: [Admin views]\n    aliases: {aliases}\n",
        )
    )
    assert error.place == place
    assert message in error.message


def test_two_technologies_cannot_share_an_alias():
    source = replaced(
        "    effort_hours: 40\n  - slug: django",
        "    aliases: [py]\n    effort_hours: 40\n  - slug: django",
    )
    source = replaced(
        "    highlights: [Admin views]\n",
        "    highlights: [Admin views]\n    aliases: [Py]\n",
        source,
    )
    error = only_error(source)
    assert error.place == "technologies[1].aliases[0]"
    assert error.message.startswith("alias 'Py' is already the alias of technologies[0] on line")
