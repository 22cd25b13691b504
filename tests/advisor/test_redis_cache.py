"""With `REDIS_URL` set, every app server shares one Redis cache: cached pages still show each
edit on the next request and never mix visitors; the login throttle needs no Redis (it counts in
the database, see tests/accounts/).

Runs against a real Redis (this machine kind starts one on 127.0.0.1:6379, and CI uses it;
`TEST_REDIS_URL` points elsewhere). Each test keeps its keys under a prefix of its own and
deletes them afterwards, so it never touches anything else in that Redis.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from catalog.models import Technology
from paths.services import learner_create, note_set, progress_set
from tests.factories import act_as, make_path
from tests.services import redis_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings):
    """The shared cache on the real Redis, under a key prefix of this test's own."""
    with redis_space() as space:
        settings.CACHES = space.cache_settings()
        yield space.stored


def test_cached_catalog_pages_live_in_redis_and_show_an_edit_at_once(redis_cache, small_catalog):
    assert type(cache._cache).__name__ == "RedisCacheClient"
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


def test_the_login_throttle_counts_in_the_database_so_losing_redis_forgets_nothing(
    redis_cache, client, django_user_model
):
    django_user_model.objects.create_user("ada", "ada@example.org", "correct-horse-battery-42")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    # Redis restarts empty (or the count moves to another server): the count is still there.
    for key in redis_cache():
        cache.delete_many([key.split(":", 2)[2]])
    assert redis_cache() == []
    response = Client().post(
        "/accounts/login/", {"username": "ada", "password": "correct-horse-battery-42"}
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
