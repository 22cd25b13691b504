"""A NUL character in a request is never a 500: the admin and the API answer 400.

PostgreSQL (psycopg) refuses NUL in any string it is sent, and the admin puts query-string
values straight into queries (list filters, its search, the autocomplete), so a NUL there
answered 500 on PostgreSQL. The public pages keep answering any query as they did (their
forms refuse a NUL with a message); a cookie with a NUL counts as no cookie.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from catalog.versioning import current_version
from tests.factories import first_choice_answers

pytestmark = pytest.mark.django_db

ADMIN = "/" + settings.ADMIN_URL
MESSAGE = "NUL character"

ADMIN_URLS = [
    "catalog/technology/?slug=%00",
    "catalog/technology/?name__startswith=a%00b",
    "catalog/technology/?kind=%00",
    "catalog/technology/?q=%00",
    "catalog/technology/?q=web&kind=%00",
    "catalog/category/?q=%00",
    "catalog/category/?slug=%00",
    "catalog/question/?q=%00",
    "catalog/choice/?q=%00",
    "catalog/recommendation/?q=%00",
    "catalog/prerequisite/?q=%00",
    "catalog/resource/?q=%00",
    "catalog/project/?q=%00",
    "paths/learningpath/?q=%00",
    "auth/user/?q=%00",
    "auth/user/?username=%00",
    "catalog/technology/?%00=1",
    "catalog/technology/1%00/change/",
    "autocomplete/?term=%00&app_label=catalog&model_name=prerequisite&field_name=requires",
    "autocomplete/?term=%00&app_label=catalog&model_name=technologycategory&field_name=category",
    "autocomplete/?term=a%00&app_label=catalog&model_name=choice&field_name=knows",
]


@pytest.fixture
def curator(small_catalog, django_user_model) -> Client:
    client = Client()
    user = django_user_model.objects.create_superuser("curator", "c@example.org", "pw-curator-1")
    client.force_login(user)
    return client


def assert_refused_as_html(response) -> None:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_a_nul_in_an_admin_list_search_or_autocomplete_is_a_400(curator, url):
    assert_refused_as_html(curator.get(ADMIN + url))


def test_the_admin_still_answers_without_a_nul(curator):
    """The refusal is for the NUL only: the same URLs with a plain value work."""
    for url in ADMIN_URLS:
        response = curator.get(ADMIN + url.replace("%00", ""))
        assert response.status_code in (200, 302), url


def test_a_nul_in_an_admin_form_is_a_400_and_saves_nothing(curator):
    version = current_version()
    response = curator.post(
        ADMIN + "catalog/category/add/",
        {"name": "Bad\x00name", "slug": "bad", "summary": "x", "position": "0"},
    )
    assert_refused_as_html(response)
    assert current_version() == version


def test_a_nul_in_the_admin_log_in_is_a_400(small_catalog):
    response = Client().post(ADMIN + "login/", {"username": "admin\x00", "password": "pw-1"})
    assert_refused_as_html(response)


def test_a_nul_in_the_site_log_in_is_a_form_error(small_catalog):
    response = Client().post("/accounts/login/", {"username": "admin\x00", "password": "pw-1"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/catalog/?q=web%00",
        "/catalog/?kind=%00",
        "/catalog/alpha/?q=%00",
        "/technologies/web/?q=%00",
        "/?next=%00",
        "/advisor/?q=%00",
    ],
)
def test_a_nul_on_a_public_page_still_answers_the_page(client, small_catalog, url):
    assert client.get(url).status_code == 200


def test_a_nul_in_a_public_path_is_a_404(client, small_catalog):
    assert client.get("/catalog/a%00/").status_code == 404
    assert client.get("/technologies/web%00/").status_code == 404


def test_a_nul_in_an_api_query_string_is_a_json_400(client, small_catalog):
    response = client.get("/api/catalog?x=%00")
    assert response.status_code == 400
    errors = response.json()["errors"]["__all__"]
    assert any(MESSAGE in error for error in errors)


def test_a_nul_in_an_api_form_body_is_a_json_400(client, small_catalog):
    response = client.post("/api/plan", {"answers": "goal\x00"})
    assert response.status_code == 400
    assert any(MESSAGE in error for error in response.json()["errors"]["__all__"])


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"goal\x00": ["site"]}},
        {"answers": {"goal": ["site\x00"]}},
        {"answers": {"goal": ["site"]}, "known": ["basics\x00"]},
        {"answers": {"goal": ["site"]}, "hours_per_week": "5\x00"},
        {"answers": {"goal": ["site"]}, "\x00": 1},
    ],
)
def test_a_nul_in_a_json_plan_request_is_a_json_400(client, small_catalog, body):
    """JSON strings never reach the database here; the API answers its own 400 for them."""
    response = client.post("/api/plan", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_a_plan_request_without_a_nul_still_works(client, small_catalog):
    body = {"answers": first_choice_answers(small_catalog)}
    response = client.post("/api/plan", json.dumps(body), content_type="application/json")
    assert response.status_code == 200


def test_a_nul_in_the_session_cookie_is_not_a_500(client, small_catalog):
    """Such a cookie is taken as no session at all: the page answers as to a new visitor."""
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijkl"
    response = client.get("/advisor/")
    assert response.status_code == 200
