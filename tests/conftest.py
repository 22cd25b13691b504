"""Shared test set-up: catalogs loaded through the real loader."""

from __future__ import annotations

import os

import pytest

# The live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache and no per-process catalog memo, so neither cached
    pages nor an earlier test's catalog leak between tests, whatever order they run in."""
    from django.core.cache import cache

    from catalog.page_cache import reset_local_copies
    from catalog.selectors import reset_memo as reset_browse_memo
    from paths.catalog_cache import reset_memo as reset_planner_memo

    def reset() -> None:
        cache.clear()
        reset_browse_memo()
        reset_planner_memo()
        reset_local_copies()

    reset()
    yield
    reset()


@pytest.fixture
def load_document(db):
    """Load a normalized catalog document into the test database with the real loader."""
    from catalog.services import catalog_load

    def load(document: dict, **options: object):
        return catalog_load(document=document, **options)

    return load


@pytest.fixture
def small_catalog(load_document):
    """The small catalog of tests/factories.py, loaded; returns the document."""
    from tests.factories import make_document

    document = make_document()
    load_document(document)
    return document


@pytest.fixture
def owner(small_catalog):
    """A test client whose session owns a saved path over the small catalog: (client, path)."""
    from django.test import Client

    from paths.services import learner_create
    from tests.factories import SMALL_ANSWERS, act_as, make_path

    client = Client(raise_request_exception=False)
    path = make_path(learner=learner_create(), answers=SMALL_ANSWERS)
    act_as(client, path.learner)
    return client, path
