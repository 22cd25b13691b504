"""The page cache (catalog/page_cache.py): a page for everyone is stored whole and served as it
was rendered, with nothing of one visitor in it; edits show on the next request; a browser's
current copy gets a 304; in development nothing is stored."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from catalog.models import Category, Technology
from catalog.page_cache import local_copy_keys
from paths.services import learner_create, path_rename
from tests.factories import act_as, make_path

pytestmark = pytest.mark.django_db

PAGES = ["/", "/catalog/", "/catalog/alpha/", "/technologies/webfw/", "/catalog/?kind=framework"]
SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}


@pytest.fixture
def reader_page(small_catalog):
    path = make_path(learner=learner_create(), answers=SITE_LARGE)
    return path, path.get_absolute_url()


@pytest.mark.parametrize("url", PAGES)
def test_a_page_for_everyone_is_the_same_bytes_for_every_visitor(small_catalog, url):
    first, second = Client(), Client()
    page = first.get(url)
    assert page.status_code == 200
    assert second.get(url).content == page.content  # no token, no name, nothing per visitor
    html = page.content.decode()
    assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
    assert 'method="post"' not in html


def test_a_reader_s_path_page_is_the_same_for_every_reader(reader_page):
    _, url = reader_page
    html = Client().get(url).content
    assert Client().get(url).content == html
    assert b"csrfmiddlewaretoken" not in html and b'method="post"' not in html


def test_text_that_looks_like_a_placeholder_is_shown_as_written(reader_page):
    path, url = reader_page
    path_rename(path=path, name="My csrf-token-placeholder-3b9d1c path")
    for _ in range(2):  # rendered, then from the cache
        html = Client().get(url).content.decode()
        assert "<title>My csrf-token-placeholder-3b9d1c path" in html


def test_pages_that_post_carry_a_working_token_of_their_visitor(small_catalog):
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get("/accounts/login/").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = visitor.post(
        "/accounts/login/", {"username": "x", "password": "y", "csrfmiddlewaretoken": token}
    )
    assert response.status_code != 403


@pytest.mark.parametrize("url", PAGES[1:])
def test_an_edit_shows_on_the_next_request(client, small_catalog, url):
    assert "Renamed Framework" not in client.get(url).content.decode()
    technology = Technology.objects.get(slug="webfw")
    technology.name = "Renamed Framework"
    technology.save()
    assert "Renamed Framework" in client.get(url).content.decode()


def test_a_category_edit_shows_on_the_home_page_at_once(client, small_catalog):
    assert "Renamed Category" not in client.get("/").content.decode()
    category = Category.objects.get(slug="alpha")
    category.name = "Renamed Category"
    category.save()
    assert "Renamed Category" in client.get("/").content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_signed_in_visitors_share_one_copy_and_never_get_the_anonymous_one(
    small_catalog, django_user_model, url
):
    anonymous = Client()
    assert "Log in" in anonymous.get(url).content.decode()
    ada, grace = Client(), Client()
    ada.force_login(django_user_model.objects.create_user("ada-lovelace", password="pw-12345-xy"))
    grace.force_login(django_user_model.objects.create_user("grace-hopper", password="pw-12345"))
    html = ada.get(url).content
    assert b"Log out" in html and b"Log in" not in html
    assert b"ada-lovelace" not in html  # the page names no account: it is every member's
    assert grace.get(url).content == html
    assert "Log in" in anonymous.get(url).content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_a_current_copy_gets_a_304_and_an_edit_a_new_page(client, small_catalog, url):
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content
    Technology.objects.filter(slug="webfw").update(name="Changed")  # no signal: no new version
    Category.objects.get(slug="alpha").save()  # a real edit: the version moves
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_signing_in_changes_the_etag(client, small_catalog, django_user_model):
    etag = client.get("/catalog/")["ETag"]
    client.force_login(django_user_model.objects.create_user("ada", password="pw-12345-xy"))
    response = client.get("/catalog/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and b"Log out" in response.content


def test_a_new_release_never_serves_a_page_of_the_old_one(client, small_catalog, settings):
    client.get("/catalog/")
    settings.RELEASE = "old-build"
    old = client.get("/catalog/")["ETag"]
    settings.RELEASE = "new-build"
    response = client.get("/catalog/", HTTP_IF_NONE_MATCH=old)
    assert response.status_code == 200 and response["ETag"] != old


def test_in_development_nothing_is_stored_so_template_edits_show(client, small_catalog, settings):
    settings.DEBUG = True
    assert client.get("/catalog/").status_code == 200
    assert local_copy_keys() == []
    assert not any(":page:" in key for key in cache._cache)
    settings.DEBUG = False
    assert client.get("/catalog/").status_code == 200
    assert len(local_copy_keys()) == 1


def test_an_owner_s_page_in_another_browser_carries_that_browser_s_token(reader_page):
    path, url = reader_page
    tabs = [Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)]
    for tab in tabs:
        act_as(tab, path.learner)
    for tab in (*tabs, *tabs):  # each browser in turn, from the cache when it can be
        html = tab.get(url).content.decode()
        token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        step = path.snapshot["steps"][0]["technology"]
        response = tab.post(
            f"/paths/{path.token}/progress/{step}/",
            {"status": "doing", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302


def test_the_process_keeps_a_bounded_size_of_pages_the_least_recently_served_going_first():
    from catalog.page_cache import _Copy, _LocalCopies

    copies = _LocalCopies(limit=100)

    def page(size: int) -> _Copy:
        return _Copy(state="s", content_type="text/html", content=b"x" * size, shared=False)

    copies.put("a", page(40))
    copies.put("b", page(40))
    assert copies.get("a") is not None  # served: now the most recent
    copies.put("c", page(40))  # over the limit: "b", the least recently served, goes
    assert copies.keys() == ["a", "c"]
    copies.put("a", page(10))  # a new copy replaces the old one, and its size
    copies.put("d", page(50))
    assert copies.keys() == ["c", "a", "d"]
    copies.put("huge", page(101))  # larger than the whole store: never kept
    assert copies.get("huge") is None and copies.keys() == ["c", "a", "d"]


def test_searches_are_kept_apart_so_made_up_queries_push_out_no_page(
    client, small_catalog, monkeypatch
):
    from catalog import page_cache

    monkeypatch.setattr(page_cache._typed, "limit", 3 * len(client.get("/search/?q=web").content))
    client.get("/catalog/")
    pages = page_cache._local.keys()
    for number in range(20):
        assert client.get(f"/search/?q=made-up-{number}").status_code == 200
    assert page_cache._local.keys() == pages  # the catalog page is still stored
    assert len(page_cache._typed.keys()) <= 3


GUEST_PAGES = [*PAGES, "/search/?q=web"]


@pytest.mark.parametrize("url", GUEST_PAGES)
def test_a_guest_asking_again_gets_the_view_s_answer_without_the_visitor_layers(small_catalog, url):
    first = Client().get(url)
    again = Client().get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert sorted(again.headers.items()) == sorted(first.headers.items())
    # Answered from the copy: sessions, accounts and the view never saw the request.
    assert hasattr(first.wsgi_request, "session")
    assert not hasattr(again.wsgi_request, "session")


@pytest.mark.parametrize("url", ["/catalog/", "/search/?q=web"])
def test_an_htmx_swap_and_a_whole_page_are_kept_apart_for_guests(small_catalog, url):
    swap = {"HX-Request": "true"}
    page, fragment = Client().get(url), Client().get(url, headers=swap)
    assert fragment.content != page.content and b"<html" not in fragment.content
    assert Client().get(url).content == page.content
    assert Client().get(url, headers=swap).content == fragment.content
    restore = Client().get(url, headers={**swap, "HX-History-Restore-Request": "true"})
    assert restore.content == page.content  # a history restore needs the whole page


def test_a_guest_with_a_flash_message_sees_it_on_a_stored_page(small_catalog):
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    for _ in range(2):
        Client().get("/catalog/")
    storage = CookieStorage(HttpRequest())
    storage.add(messages.INFO, "A message for this browser only")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor = Client()
    visitor.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    assert "A message for this browser only" in visitor.get("/catalog/").content.decode()
    assert "A message for this browser only" not in visitor.get("/catalog/").content.decode()


def test_a_guest_s_page_follows_a_new_release(small_catalog, settings):
    settings.RELEASE = "old-build"
    old = Client().get("/catalog/")["ETag"]
    assert Client().get("/catalog/")["ETag"] == old
    settings.RELEASE = "new-build"
    assert Client().get("/catalog/")["ETag"] != old


def test_a_guest_s_page_is_refused_for_a_host_not_allowed(small_catalog):
    for _ in range(2):
        assert Client().get("/catalog/").status_code == 200
    assert Client(HTTP_HOST="elsewhere.example").get("/catalog/").status_code == 400


def test_guest_requests_are_remembered_in_a_bounded_number(client, small_catalog, monkeypatch):
    from catalog import page_cache

    monkeypatch.setattr(page_cache._answers, "limit", 5)
    for number in range(20):
        assert client.get(f"/catalog/?made-up={number}").status_code == 200
    assert len(page_cache._answers) == 5
    assert len(local_copy_keys()) == 1  # made-up parameters share the one page
    page_cache._answers.clear()
    long = "x" * (page_cache.REMEMBERED_QUERY_LENGTH + 1)
    for _ in range(2):
        assert client.get(f"/catalog/?made-up={long}").status_code == 200
    assert len(page_cache._answers) == 0  # a query string that long is never remembered
