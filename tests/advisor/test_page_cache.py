"""Cached pages: each visitor gets their own CSRF token and account links; edits show at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from advisor.page_cache import CSRF_PLACEHOLDER
from catalog.models import Category, Technology

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'')
PAGES = ["/", "/catalog/", "/catalog/alpha/", "/technologies/webfw/", "/search/?q=web"]


@pytest.mark.parametrize("url", PAGES)
def test_a_cached_page_carries_each_visitors_own_working_csrf_token(small_catalog, url):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html = first.get(url).content.decode()
    second_html = second.get(url).content.decode()  # served from the cache
    assert CSRF_PLACEHOLDER not in first_html + second_html
    token = TOKEN.search(second_html).group(1)
    assert token != TOKEN.search(first_html).group(1)
    # The token works for the visitor who got it: a CSRF-protected post is not refused.
    response = second.post(
        "/accounts/login/", {"username": "x", "password": "y"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/healthz")
    refused = stranger.post(
        "/accounts/login/", {"username": "x", "password": "y"}, HTTP_X_CSRFTOKEN=token
    )
    assert refused.status_code == 403


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
def test_a_signed_in_visitor_never_gets_an_anonymous_copy_or_someone_elses(
    small_catalog, django_user_model, url
):
    anonymous = Client()
    assert "Log in" in anonymous.get(url).content.decode()
    ada = Client()
    ada.force_login(django_user_model.objects.create_user("ada-lovelace", password="pw-12345-xy"))
    html = ada.get(url).content.decode()
    assert "Log out" in html and "ada-lovelace" in html
    grace = Client()
    grace.force_login(django_user_model.objects.create_user("grace-hopper", password="pw-12345-xy"))
    html = grace.get(url).content.decode()
    assert "grace-hopper" in html and "ada-lovelace" not in html
    assert "Log in" in anonymous.get(url).content.decode()


def test_in_development_every_request_renders_so_template_edits_show(
    client, small_catalog, settings
):
    from django.core.cache import cache

    if not hasattr(cache, "_cache"):
        pytest.skip("counts entries of the local-memory cache; REDIS_URL is set")
    settings.DEBUG = True
    cache.clear()
    assert client.get("/catalog/").status_code == 200
    assert not any(":page:" in key for key in cache._cache)
    settings.DEBUG = False
    assert client.get("/catalog/").status_code == 200
    assert any(":page:" in key for key in cache._cache)
