"""Redis is a cache: while it is unreachable every page is still served (rendered afresh), log-in
works, the log says once what is wrong, /readyz stays ready and says so, and pages are cached
again when Redis returns. Nothing a visitor types stores a cache entry of its own.

The outage is real: the cache talks to the real Redis through a TCP proxy that the test stops
and starts (tests/hardening/servers.py), never a mock. The same in production shape (gunicorn,
two workers, PostgreSQL) is in tests/advisor/test_production_shape.py.
"""

from __future__ import annotations

import logging
import time
import uuid

import pytest
from django.test import Client

from tests.factories import SMALL_ANSWERS
from tests.hardening.servers import TcpProxy
from tests.services import redis_space

pytestmark = pytest.mark.django_db

ANSWERED = SMALL_ANSWERS
PASSWORD = "correct-horse-battery-42"


@pytest.fixture
def space():
    with redis_space() as space:
        yield space


@pytest.fixture
def proxy(space):
    """A proxy in front of the test Redis; not started: Redis is down until the test says."""
    proxy = TcpProxy(space.address)
    yield proxy
    proxy.stop()


@pytest.fixture
def cache_through_proxy(settings, space, proxy):
    """The app's cache on the real Redis, reached through `proxy`, retrying quickly."""
    settings.CACHES = space.cache_settings(space.via(proxy.port), RETRY_AFTER=0.2)
    return space


PAGES = [
    "/",
    "/catalog/",
    "/catalog/?kind=framework",
    "/catalog/alpha/",
    "/technologies/web/",
    "/search/?q=web",
    "/advisor/",
    "/paths/",
    "/paths/{token}/",
    "/paths/{token}.md",
    "/paths/{token}.ics",
    "/api/catalog",
    "/accounts/login/",
    "/readyz",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_while_redis_is_down(cache_through_proxy, owner, url):
    client, path = owner
    url = url.format(token=path.token)
    for visitor in (client, Client(raise_request_exception=False)):  # owner and reader
        response = visitor.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert b"Traceback" not in response.content
    assert cache_through_proxy.stored() == []  # nothing could be stored


def test_an_htmx_search_and_a_plan_answer_while_redis_is_down(cache_through_proxy, owner):
    client, _ = owner
    fragment = client.get("/search/?q=web", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    plan = client.post("/api/plan", {"answers": ANSWERED}, content_type="application/json")
    assert plan.status_code == 200 and plan.json()["steps"]


def test_log_in_works_while_redis_is_down(cache_through_proxy, django_user_model, small_catalog):
    django_user_model.objects.create_user("ada", "ada@example.org", PASSWORD)
    client = Client(raise_request_exception=False)
    wrong = client.post("/accounts/login/", {"username": "ada", "password": "nope"})
    assert wrong.status_code in (200, 401, 403) and b"Traceback" not in wrong.content
    right = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert right.status_code == 302, right.status_code
    assert client.get("/paths/").status_code == 200


def test_the_log_says_once_what_is_wrong_and_once_when_it_is_back(
    cache_through_proxy, owner, proxy, caplog
):
    client, path = owner
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            for url in ("/", "/catalog/", f"/paths/{path.token}/"):
                assert client.get(url).status_code == 200
            time.sleep(0.25)  # past the retry interval: Redis is asked, and fails, again
        proxy.start()
        time.sleep(0.25)
        assert client.get("/").status_code == 200
        assert client.get("/catalog/").status_code == 200
    records = caplog.get_records("setup") + caplog.get_records("call")  # make_path reads too
    messages = [r.getMessage() for r in records if r.name == "advisor.cache_backend"]
    down = [message for message in messages if "unreachable" in message]
    back = [message for message in messages if "reachable again" in message]
    assert len(down) == 1 and len(back) == 1, messages
    assert "Serving without it" in down[0] and "127.0.0.1" in down[0]


def test_pages_are_cached_again_when_redis_returns(cache_through_proxy, owner, proxy):
    client, path = owner
    assert client.get("/catalog/").status_code == 200
    assert cache_through_proxy.stored() == []
    proxy.start()
    time.sleep(0.25)  # the retry interval of the fixture's cache
    for url in ("/catalog/", f"/paths/{path.token}/", "/api/catalog"):
        assert client.get(url).status_code == 200
    keys = cache_through_proxy.stored()
    assert any(":page:" in key for key in keys), keys
    assert any(":catalog:document:" in key for key in keys), keys


def test_readyz_stays_ready_and_reports_the_cache(cache_through_proxy, proxy, client):
    down = client.get("/readyz")
    assert down.status_code == 200
    assert down.json() == {"status": "ok", "database": "ok", "cache": "unavailable"}
    proxy.start()
    time.sleep(0.25)
    assert client.get("/readyz").json()["cache"] == "ok"


def test_readyz_says_local_without_a_shared_cache(client):
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok", "cache": "local"}


# ------------------------------------------------------ what visitors type stores nothing


@pytest.fixture
def shared_cache(settings, space):
    settings.CACHES = space.cache_settings()
    return space


def test_searches_store_no_entry_per_query(shared_cache, small_catalog):
    client = Client()
    for url in ("/search/?q=web", "/catalog/?q=web", "/catalog/", "/search/"):
        assert client.get(url).status_code == 200
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    before = shared_cache.stored()
    for _ in range(40):
        made_up = uuid.uuid4().hex[:12]
        for url in (f"/search/?q={made_up}", f"/catalog/?q={made_up}&kind=framework"):
            assert client.get(url).status_code == 200
            assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    assert shared_cache.stored() == before


def test_made_up_addresses_and_parameters_store_nothing(shared_cache, small_catalog):
    client = Client()
    assert client.get("/catalog/").status_code == 200
    before = shared_cache.stored()
    for _ in range(20):
        made_up = uuid.uuid4().hex[:16]
        assert client.get(f"/technologies/{made_up}/").status_code == 404
        assert client.get(f"/catalog/{made_up}/").status_code == 404
        assert client.get(f"/paths/{made_up}{made_up}/").status_code == 404
        assert client.get(f"/catalog/?{made_up}=1&kind={made_up}").status_code == 200
    assert shared_cache.stored() == before
