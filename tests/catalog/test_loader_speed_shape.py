"""The loader's shape at any size: statements per table, never per row (no timing here).

A 10,000-technology load must stay fast on SQLite and PostgreSQL; these tests pin what makes
it fast, so that a per-row query or an ORM bulk call creeping back in fails here first.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.generator import generate_document
from catalog.models import Category, Prerequisite, Project, Question, Technology
from catalog.selectors import build_document
from catalog.services import catalog_load
from catalog.versioning import current_version

pytestmark = pytest.mark.django_db


def load(document: dict, **options: object) -> int:
    """Load document; return how many statements the load ran."""
    with CaptureQueriesContext(connection) as captured:
        catalog_load(document=document, **options)
    return len(captured.captured_queries)


def empty_catalog() -> None:
    for question in Question.objects.order_by("-position"):
        question.delete()  # later first: show_if protects the question it names
    for model in (Technology, Category, Project):
        model.objects.all().delete()


def test_a_fresh_load_runs_about_as_many_statements_at_any_size():
    small = load(generate_document(20, seed=1))
    empty_catalog()
    large_document = generate_document(600, seed=1)
    large = load(large_document)
    rows = Technology.objects.count() + Prerequisite.objects.count()
    assert rows > 1200
    # SQLite takes at most 999 values per statement, so a few more INSERTs; never one per row.
    assert large - small <= 15, (small, large)
    assert large < 80
    assert build_document().model_dump(mode="json") == large_document


def test_reloading_an_unchanged_catalog_runs_the_same_statements_at_any_size():
    counts = []
    for size in (20, 600):
        document = generate_document(size, seed=2)
        load(document)
        version = current_version()
        counts.append(load(document))
        assert current_version() == version  # nothing changed, no new version
        empty_catalog()
    assert counts[0] == counts[1]


def test_changing_every_technology_updates_in_place_with_few_statements():
    load(generate_document(600, seed=3))
    ids = dict(Technology.objects.values_list("slug", "id"))
    number = current_version()[0]
    changed = generate_document(600, seed=4)
    statements = load(changed)
    assert statements < 120
    assert build_document().model_dump(mode="json") == changed
    assert dict(Technology.objects.values_list("slug", "id")) == ids  # same rows, updated
    assert current_version()[0] == number + 1  # one bump for the whole load


def test_prune_after_a_large_load_leaves_exactly_the_file():
    load(generate_document(600, seed=5))
    smaller = generate_document(250, seed=6)
    load(smaller, prune=True)
    assert build_document().model_dump(mode="json") == smaller


def test_any_text_survives_the_bulk_writes():
    """Plain SQL and COPY get the same values the ORM would: tabs, newlines, backslashes,
    COPY's own null marker, quotes and non-ASCII text, in new and in updated rows."""
    awkward = "Tab\there, new\nline, back\\slash, \\N, 'quote', \"double\", é, 🐍, %s, %(x)s"
    for text in (awkward, awkward + " again"):  # created, then updated
        document = generate_document(30, seed=7)
        technology = document["technologies"][5]
        technology["summary"] = text
        technology["highlights"] = [text, "\\N"]
        technology["checkpoints"] = []
        technology["prerequisites"] = [{"technology": "tech-00001", "why": text}]
        technology["resources"] = [
            {"title": text, "url": "https://example.com/a?b=%s", "kind": "docs"}
        ]
        document["projects"][0]["brief"] = text
        load(document)
        assert build_document().model_dump(mode="json") == document
