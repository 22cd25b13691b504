"""With `REDIS_URL` set, every app server shares one Redis cache: cached pages still show each
edit on the next request, never mix visitors, and the login throttle counts across servers.

Runs against a real Redis (this machine kind starts one on 127.0.0.1:6379, and CI uses it;
`TEST_REDIS_URL` points elsewhere). Each test keeps its keys under a prefix of its own and
deletes them afterwards, so it never touches anything else in that Redis.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from catalog.models import Technology
from paths.services import learner_create, note_set, progress_set
from tests.factories import act_as, make_path

pytestmark = pytest.mark.django_db

URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    client = redis.Redis.from_url(URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        # CI's machine runs Redis: there a missing server is a failure, never a quiet skip.
        if os.environ.get("CI"):
            pytest.fail(f"no Redis at {URL}: {error}")
        pytest.skip(f"no Redis at {URL}: {error}")
    prefix = f"backendpath-test-{uuid.uuid4().hex}"
    # The same backend and options advisor/settings.py configures from REDIS_URL.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": URL,
            "KEY_PREFIX": prefix,
            "TIMEOUT": 3600,
        }
    }
    yield lambda: sorted(key.decode() for key in client.scan_iter(f"{prefix}:*"))
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def test_cached_catalog_pages_live_in_redis_and_show_an_edit_at_once(redis_cache, small_catalog):
    assert "django.core.cache.backends.redis" in type(cache._cache).__module__
    url = "/technologies/webfw/"
    assert "Web Framework" in Client().get(url).content.decode()
    assert any(":page:" in key for key in redis_cache())  # stored in Redis, not in memory
    technology = Technology.objects.get(slug="webfw")
    technology.name = "Renamed Framework"
    technology.save()
    assert "Renamed Framework" in Client().get(url).content.decode()


def test_a_path_page_from_redis_follows_progress_and_keeps_notes_private(
    redis_cache, small_catalog, client
):
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers={"goal": ["site", "tools"], "size": ["large"]})
    url = path.get_absolute_url()
    note_set(learner_id=learner.pk, technology_slug="web", text="my own words", expected_version=0)
    client.get(url), Client().get(url)  # owner's and reader's copies cached
    progress_set(learner_id=learner.pk, technology_slug="web", status="done")
    owner_html = client.get(url).content.decode()
    reader_html = Client().get(url).content.decode()
    assert 'aria-pressed="true">Done' in owner_html and "my own words" in owner_html
    assert "Status: Done" in reader_html
    assert "my own words" not in reader_html and 'name="status"' not in reader_html


def test_the_login_throttle_counts_in_redis(redis_cache, client, django_user_model):
    django_user_model.objects.create_user("ada", "ada@example.org", "correct-horse-battery-42")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    assert redis_cache()  # the failures were counted in Redis
    # Another "app server" (a new client on the same Redis) sees the same count.
    response = Client().post(
        "/accounts/login/", {"username": "ada", "password": "correct-horse-battery-42"}
    )
    assert "Too many failed attempts" in response.content.decode()
