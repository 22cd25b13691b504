"""Bodies Django cannot read (a charset other than UTF-8, multipart without a boundary, too
many fields, too large, bytes that are not UTF-8, odd content types) get a 4xx on every URL,
never a 500: the styled 400/413 page for HTML pages, `{"errors": ...}` JSON for the API, and
nothing is written.

The limits' own pages (titles, the limit named) are in tests/hardening/test_limits.py.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.conf import settings
from django.test import Client

from paths import questionnaire
from paths.models import LearningPath

pytestmark = pytest.mark.django_db

TOKEN_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')
TOO_BIG = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024
FORM = "application/x-www-form-urlencoded"

# (content type, body, the status every URL answers): each is something a client can send.
UNREADABLE = {
    "form in UTF-16": (f"{FORM}; charset=utf-16", "answer=site".encode("utf-16"), 400),
    "form in Latin-1": (f"{FORM}; charset=latin-1", b"answer=caf\xe9", 400),
    "multipart without a boundary": ("multipart/form-data", b"--x\r\nanswer\r\n--x--", 400),
    "multipart with an empty boundary": ("multipart/form-data; boundary=", b"--\r\n", 400),
    "multipart with a bad boundary": ("multipart/form-data; boundary=\x7f\x7f", b"x", 400),
    "too many fields": (FORM, "&".join(f"f{n}=1" for n in range(2000)).encode(), 400),
    "too large a form": (FORM, b"answer=" + b"x" * TOO_BIG, 413),
    "too large a multipart": (
        "multipart/form-data; boundary=b",
        b'--b\r\nContent-Disposition: form-data; name="answer"\r\n\r\n'
        + b"x" * TOO_BIG
        + b"\r\n--b--\r\n",
        413,
    ),
}
URLS = ["/advisor/", "/advisor/q/size/", "/accounts/login/", "/accounts/signup/", "/api/plan"]


@pytest.fixture
def visitor(small_catalog):
    """A visitor half-way through the questionnaire, with a CSRF cookie and the page's token."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    token = TOKEN_IN_PAGE.search(client.get("/advisor/").content.decode()).group(1)
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    assert client.post("/advisor/", {"answer": ["site"]}).status_code == 302
    return client


def assert_clear_refusal(response, status: int, url: str) -> None:
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    if url.startswith("/api/"):
        assert response["Content-Type"] == "application/json", url
        errors = response.json()["errors"]
        assert errors and all(isinstance(v, list) and v for v in errors.values()), errors
    else:
        html = response.content.decode()
        assert response["Content-Type"].startswith("text/html"), url
        assert "site.css" in html and "Nothing was saved" in html, url  # the styled page
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("case", list(UNREADABLE))
def test_an_unreadable_body_is_a_clear_4xx_on_every_url(visitor, url, case, caplog):
    content_type, body, status = UNREADABLE[case]
    before = visitor.session.get(questionnaire.STATE_KEY), LearningPath.objects.count()
    with caplog.at_level(logging.ERROR, logger="django"):
        response = visitor.generic("POST", url, body, content_type=content_type)
    assert_clear_refusal(response, status, url)
    assert (visitor.session.get(questionnaire.STATE_KEY), LearningPath.objects.count()) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]


@pytest.mark.parametrize("htmx", [False, True])
def test_the_questionnaire_in_utf16_is_a_styled_400_with_or_without_htmx(visitor, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = visitor.generic(
        "POST",
        "/advisor/q/size/",
        b"answer=large",
        content_type=f"{FORM}; charset=utf-16",
        **headers,
    )
    assert_clear_refusal(response, 400, "/advisor/q/size/")
    assert "UTF-8" in response.content.decode()


def test_the_api_names_the_problem_for_a_form_it_cannot_read(visitor):
    response = visitor.generic("POST", "/api/plan", b"a=b", content_type=f"{FORM}; charset=utf-16")
    assert response.status_code == 400
    assert "UTF-8" in response.json()["errors"]["__all__"][0]
    response = visitor.generic("POST", "/api/plan", b"a=" + b"x" * TOO_BIG, content_type=FORM)
    assert response.status_code == 413
    assert response.json()["errors"]["__all__"][0].startswith("The request body is larger")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json; charset=utf-16", '{"answers": {}}'.encode("utf-16")),
        ("application/json; charset=bogus", b'{"answers": {}}'),
        ("application/json", b'{"answers": "\xff\xfe"}'),
        ("application/json", b"\x00\x01\x02"),
        ("application/json", b'{"a": ' * 50_000),
        ("application/json", b" " * TOO_BIG),
        ("text/plain; charset=utf-16", b"\xff\xfe{"),
        (";;;", b"{}"),
        ("application/x-www-form-urlencoded; charset=bogus", b"a=b"),
        ("", b"{}"),
    ],
)
def test_the_api_answers_json_for_any_body(visitor, content_type, body):
    response = visitor.generic("POST", "/api/plan", body, content_type=content_type)
    assert response.status_code in (400, 413), (content_type, response.content[:200])
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (";;;", b"answer=large"),
        ("text/plain; charset=utf-16", "answer=large".encode("utf-16")),
        (f"{FORM}; charset=bogus", b"answer=large"),
        (f"{FORM}; charset=UTF-8", b"answer=\xff\xfe"),
        ("application/json", b'{"answer": "large"}'),
        (
            "multipart/form-data; boundary=b; charset=utf-16",
            b'--b\r\nContent-Disposition: form-data; name="answer"\r\n\r\n'
            b"\xff\xfe\xff\r\n--b--\r\n",
        ),
    ],
)
def test_odd_content_types_on_a_page_are_never_a_500(visitor, content_type, body):
    """Not a form Django reads, or a form it reads with replacement characters (multipart in
    another charset is decoded with replacements): the page
    answers as for any other unusable answer (its own 200 or a redirect), never a 500."""
    response = visitor.generic("POST", "/advisor/q/size/", body, content_type=content_type)
    assert response.status_code in (200, 302, 400), response.status_code
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("url", ["/", "/advisor/", "/catalog/", "/api/catalog"])
def test_a_get_with_a_body_is_answered_as_a_get(visitor, url):
    response = visitor.generic(
        "GET", url, "answer=site".encode("utf-16"), content_type=f"{FORM}; charset=utf-16"
    )
    assert response.status_code == 200


def test_a_bad_host_gets_the_styled_400_without_reading_the_body(small_catalog):
    """Django's own 400 view re-reads the body (for its CSRF token); ours never does."""
    client = Client(raise_request_exception=False)
    response = client.generic(
        "POST",
        "/advisor/",
        b"a=b",
        content_type=f"{FORM}; charset=utf-16",
        HTTP_HOST="evil.example",
    )
    assert response.status_code == 400
    assert "site.css" in response.content.decode()
    response = client.post("/api/plan", b"{}", content_type="application/json", HTTP_HOST="x.evil")
    assert response.status_code == 400 and response.json()["errors"]["__all__"]
