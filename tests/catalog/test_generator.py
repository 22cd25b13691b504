"""The synthetic catalog generator: deterministic, valid, and the requested size."""

from __future__ import annotations

import io
import json
import re
from graphlib import TopologicalSorter

import pytest

from catalog.generator import generate_document, technology_slug
from catalog.validation import validate_document  # a rename must fail here, never skip
from paths.api_json import validate_answers
from paths.planner import build_plan, catalog_from_document, visible_questions

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The generator is pure: these tests need neither Django's cache nor its settings."""
    yield


def test_the_same_arguments_give_the_same_document():
    assert json.dumps(generate_document(300, seed=7)) == json.dumps(generate_document(300, seed=7))
    assert generate_document(300, seed=7) != generate_document(300, seed=8)


@pytest.mark.parametrize("size", [1, 2, 10, 100, 1000])
def test_sizes(size):
    document = generate_document(size)

    assert [item["slug"] for item in document["technologies"]] == [
        technology_slug(index) for index in range(size)
    ]
    assert technology_slug(42) == "tech-00042"
    assert 4 <= len(document["categories"]) <= 8
    assert len(document["projects"]) == max(2, size // 50)
    assert len(document["questions"]) == 7
    assert all(1 <= len(item["resources"]) <= 2 for item in document["technologies"])


def test_prerequisites_point_to_lower_indexes_about_one_and_a_half_per_technology():
    document = generate_document(1000)
    index = {item["slug"]: position for position, item in enumerate(document["technologies"])}

    links = [
        (index[item["slug"]], index[link["technology"]])
        for item in document["technologies"]
        for link in item["prerequisites"]
    ]

    assert all(prerequisite < dependent for dependent, prerequisite in links)
    assert 1.3 <= len(links) / 1000 <= 1.7
    assert any(link["why"] for item in document["technologies"] for link in item["prerequisites"])
    assert any(item["alternatives"] for item in document["technologies"])
    graph = {
        item["slug"]: [link["technology"] for link in item["prerequisites"]]
        for item in document["technologies"]
    }
    assert len(list(TopologicalSorter(graph).static_order())) == 1000


@pytest.mark.parametrize("size", [1, 3, 100, 1000])
def test_every_reference_and_value_is_valid(size):
    document = generate_document(size, seed=size)
    technologies = {item["slug"] for item in document["technologies"]}
    categories = {item["slug"] for item in document["categories"]}

    for item in document["technologies"]:
        assert SLUG.match(item["slug"])
        assert item["categories"] and set(item["categories"]) <= categories
        assert len(set(item["categories"])) == len(item["categories"])
        assert 1 <= item["effort_hours"] <= 1000
        assert item["level"] in {"beginner", "intermediate", "advanced"}
        prerequisites = [link["technology"] for link in item["prerequisites"]]
        assert set(prerequisites) <= technologies
        assert len(set(prerequisites)) == len(prerequisites)
        assert item["slug"] not in prerequisites
        assert set(item["alternatives"]) <= technologies - {item["slug"]}
        assert all(url["url"].startswith("https://") for url in item["resources"])
    for project in document["projects"]:
        assert project["uses"] and set(project["uses"]) <= technologies
    asked = set()
    for question in document["questions"]:
        assert question["kind"] in {"single", "multiple"}
        assert len(question["choices"]) >= 2
        if question["show_if"]:
            assert question["show_if"]["question"] in asked
        asked.add(question["slug"])
        for choice in question["choices"]:
            assert SLUG.match(choice["slug"])
            assert set(choice["knows"]) <= technologies
            for recommendation in choice["recommends"]:
                assert recommendation["technology"] in technologies
                assert -3 <= recommendation["weight"] <= 5
                assert recommendation["weight"] != 0
                assert recommendation["because"]
    assert any(question["show_if"] for question in document["questions"])


def test_the_planner_plans_over_a_generated_catalog():
    catalog = catalog_from_document(generate_document(1000))
    answers: dict[str, list[str]] = {}
    for question in catalog.questions:
        if question.slug in {item.slug for item in visible_questions(catalog, answers)}:
            answers[question.slug] = list(question.choice_slugs[: 1 if question.is_single else 2])

    assert validate_answers(catalog, answers, [], 5) == {}
    plan = build_plan(catalog, answers, [], 5)
    assert plan.steps
    assert plan.total_hours > 0


@pytest.mark.parametrize("size", [1, 100, 1000])
def test_the_document_passes_the_catalog_schema(size):
    document = generate_document(size, seed=size)

    normalized, errors = validate_document(document)

    assert [str(error) for error in errors] == []
    assert normalized.model_dump(mode="json") == document


# --- the compact form -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def compact_ten_thousand() -> tuple[dict, str]:
    from catalog.yaml_writer import dump_catalog

    document = generate_document(10_000, compact=True)
    return document, dump_catalog(document)


def test_compact_ten_thousand_fits_the_loader_and_loads_back(compact_ten_thousand):
    from catalog.validation import parse_catalog
    from catalog.yaml_reader import MAX_BYTES

    document, text = compact_ten_thousand
    size = len(text.encode())
    assert size < 2_000_000 < MAX_BYTES
    assert parse_catalog(text).model_dump(mode="json") == document


def test_compact_keeps_about_one_and_a_half_prerequisites_and_some_details(compact_ten_thousand):
    technologies = compact_ten_thousand[0]["technologies"]
    assert len(technologies) == 10_000
    edges = sum(len(item["prerequisites"]) for item in technologies)
    assert 1.4 <= edges / 10_000 <= 1.6
    detailed = [item for item in technologies if item["resources"]]
    assert 100 <= len(detailed) <= 1000  # a fraction, not none
    assert all(item["highlights"] and item["checkpoints"] for item in detailed)
    assert any(link["why"] for item in technologies for link in item["prerequisites"])
    assert any(item["alternatives"] for item in technologies)


def test_compact_is_deterministic_and_has_the_full_forms_graph():
    compact = generate_document(500, seed=3, compact=True)
    assert json.dumps(compact) == json.dumps(generate_document(500, seed=3, compact=True))
    full = generate_document(500, seed=3)

    def shape(document: dict) -> list:
        return [
            (
                item["slug"],
                item["kind"],
                item["level"],
                item["effort_hours"],
                [link["technology"] for link in item["prerequisites"]],
                item["alternatives"],
            )
            for item in document["technologies"]
        ]

    assert shape(compact) == shape(full)
    assert compact["projects"] == full["projects"]
    assert len(compact["categories"]) == len(full["categories"])


@pytest.mark.parametrize("size", [1, 3, 100])
def test_compact_documents_pass_the_catalog_schema(size):
    from catalog.validation import validate_document

    document = generate_document(size, seed=size, compact=True)
    normalized, errors = validate_document(document)
    assert [str(error) for error in errors] == []
    assert normalized.model_dump(mode="json") == document


def test_generate_catalog_writes_the_compact_form(tmp_path):
    from django.core.management import call_command

    from catalog.yaml_writer import dump_catalog

    path = tmp_path / "compact.yaml"
    call_command(
        "generate_catalog",
        "--technologies",
        "60",
        "--compact",
        "-o",
        str(path),
        stdout=io.StringIO(),
    )
    assert path.read_text(encoding="utf-8") == dump_catalog(generate_document(60, compact=True))
