"""A gunicorn worker builds its catalog read models before it takes a request
(advisor/warmup.py, called from gunicorn's post_worker_init hook)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

import catalog.selectors
import paths.catalog_cache
from advisor.gunicorn_config import post_worker_init
from advisor.warmup import warm_worker
from tests.factories import first_choice_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def cold_process(small_catalog):
    """This process as a freshly forked worker finds it: no read models, an empty cache."""
    catalog.selectors._browse_memo = None
    paths.catalog_cache._latest = None
    cache.clear()
    return small_catalog


def plan(client, document):
    body = {"answers": first_choice_answers(document), "known": [], "hours_per_week": 5}
    return client.post("/api/plan", json.dumps(body), content_type="application/json")


def test_a_cold_worker_reads_the_whole_catalog_on_its_first_requests(
    client, cold_process, django_assert_max_num_queries
):
    # The control: without the warm-up, the first visitor pays for reading the catalog.
    with pytest.raises(pytest.fail.Exception), django_assert_max_num_queries(1):
        client.get("/catalog/")


def test_a_warmed_worker_answers_its_first_requests_with_the_version_check_alone(
    client, cold_process, django_assert_max_num_queries
):
    post_worker_init(worker=None)
    with django_assert_max_num_queries(1):
        assert client.get("/catalog/").status_code == 200
    with django_assert_max_num_queries(1):
        assert plan(client, cold_process).status_code == 200


def test_warming_up_an_empty_catalog_is_harmless(client, db):
    warm_worker()
    assert client.get("/catalog/").status_code == 200
