"""In production (gunicorn via `bin/serve`, DEBUG off, behind a TLS proxy): every kind of
response carries the security headers, cookies are Secure, HttpOnly and SameSite, HTTP is
redirected, and what gunicorn refuses (huge request lines and headers) is a 4xx.

`check --deploy --fail-level WARNING` and HSTS on / are in tests/advisor/test_production.py.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from tests.hardening.servers import Browser, request, serve, server_env
from tests.process import manage, throwaway_database_url

HTTPS = {"X-Forwarded-Proto": "https"}

SETUP = """
import json
from django.contrib.sessions.backends.db import SessionStore
from catalog.selectors import catalog_document
from paths.services import learner_create
from tests.factories import make_path
document = catalog_document()[1].model_dump(mode="json")
learner = learner_create()
path = make_path(learner=learner)
session = SessionStore()
session["learner_id"] = str(learner.pk)
session.create()
question = document["questions"][0]
print(json.dumps({"token": path.token, "session": session.session_key,
                  "category": document["categories"][0]["slug"],
                  "technology": document["technologies"][0]["slug"],
                  "search": document["technologies"][0]["name"],
                  "choice": question["choices"][0]["slug"]}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("headers")
    env = server_env(
        throwaway_database_url(tmp_path, "headers"),
        DJANGO_SECURE_SSL_REDIRECT="1",
        WEB_CONCURRENCY="1",
    )
    with serve(env, tmp_path / "serve.log") as base:
        setup = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        yield base, setup


def pages(setup: dict) -> list[tuple[str, str, bool, int]]:
    """(url, content type, as the owner, the status it must answer) for every kind of page."""
    token = setup["token"]
    return [
        ("/", "text/html", False, 200),
        ("/catalog/", "text/html", False, 200),
        (f"/catalog/{setup['category']}/", "text/html", False, 200),
        (f"/technologies/{setup['technology']}/", "text/html", False, 200),
        (f"/search/?q={quote(setup['search'])}", "text/html", False, 200),
        ("/advisor/", "text/html", False, 200),
        ("/paths/", "text/html", True, 200),
        (f"/paths/{token}/", "text/html", True, 200),
        (f"/paths/{token}/", "text/html", False, 200),
        (f"/paths/{token}/rename/", "text/html", True, 200),
        (f"/paths/{token}.md", "text/markdown", False, 200),
        (f"/paths/{token}.ics", "text/calendar", False, 200),
        ("/accounts/login/", "text/html", False, 200),
        ("/accounts/signup/", "text/html", False, 200),
        ("/accounts/password_reset/", "text/html", False, 200),
        ("/admin/login/", "text/html", False, 200),
        ("/api/catalog", "application/json", False, 200),
        ("/no-such-page/", "text/html", False, 404),
        ("/healthz", "text/plain", False, 200),
        ("/readyz", "application/json", False, 200),
    ]


def assert_security_headers(headers, where: str, *, html: bool) -> None:
    hsts = headers["Strict-Transport-Security"] or ""
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts, where
    assert headers["X-Content-Type-Options"] == "nosniff", where
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", where
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin", where
    assert headers["X-Frame-Options"] == "DENY", where
    assert "camera=()" in (headers["Permissions-Policy"] or ""), where
    if html:
        csp = {
            part.split()[0]: part.split()[1:]
            for part in headers["Content-Security-Policy"].split(";")
            if part.strip()
        }
        assert csp["default-src"] == ["'none'"], where
        assert "'unsafe-inline'" not in csp["script-src"], where
        assert "'unsafe-eval'" not in csp["script-src"], where
        assert csp["frame-ancestors"] == ["'none'"], where
        assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'self'"], where


def test_every_kind_of_response_carries_the_security_headers(site):
    base, setup = site
    for url, content_type, as_owner, status in pages(setup):
        headers = dict(HTTPS)
        if as_owner:
            headers["Cookie"] = f"sessionid={setup['session']}"
        response = request(base, "GET", url, headers=headers)
        assert response.status == status, (url, response.status)
        assert response.headers["Content-Type"].startswith(content_type), url
        assert_security_headers(response.headers, url, html=content_type == "text/html")


def test_static_files_and_refusals_carry_them_too(site):
    base, _ = site
    page = request(base, "GET", "/", headers=HTTPS).text
    stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    static = request(base, "GET", stylesheet, headers=HTTPS)
    assert static.status == 200
    assert static.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in static.headers["Strict-Transport-Security"]
    too_big = request(
        base,
        "POST",
        "/advisor/",
        headers={**HTTPS, "Content-Type": "application/x-www-form-urlencoded"},
        body=b"answer=" + b"x" * (2 * 1024 * 1024),
    )
    assert too_big.status == 413 and "Too much to send" in too_big.text
    assert_security_headers(too_big.headers, "413", html=True)


def test_cookies_are_secure_httponly_and_same_site(site):
    base, setup = site
    visitor = Browser(base)
    page = visitor.send("GET", "/advisor/", headers=HTTPS)
    csrf = page.cookies()["csrftoken"]
    answered = visitor.send(
        "POST",
        "/advisor/",
        headers={**HTTPS, "Referer": f"https://127.0.0.1:{base.rsplit(':', 1)[1]}/advisor/"},
        form={"answer": setup["choice"]},
    )
    # A valid answer moves the learner on to the next screen and starts their session.
    assert answered.status == 302, answered.text[:500]
    assert answered.headers["Location"].startswith("/advisor/")
    assert answered.headers["Location"] != "/advisor/"
    session = answered.cookies()["sessionid"]
    assert visitor.send("GET", answered.headers["Location"], headers=HTTPS).status == 200
    again = visitor.send("GET", "/advisor/", headers=HTTPS).text
    assert any(
        f'value="{setup["choice"]}"' in tag and " checked" in tag
        for tag in re.findall(r"<input[^>]*>", again)
    ), "the answer is not remembered"
    for name, line in (("csrftoken", csrf), ("sessionid", session)):
        attributes = {part.strip().split("=")[0].lower() for part in line.split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= attributes, (name, line)
        assert "samesite=lax" in line.lower(), (name, line)


def test_plain_http_is_redirected_except_health_checks(site):
    base, setup = site
    for url in ("/", f"/paths/{setup['token']}/", "/admin/login/"):
        response = request(base, "GET", url)
        assert response.status == 301 and response.headers["Location"].startswith("https://")
    for url in ("/healthz", "/readyz"):
        assert request(base, "GET", url).status == 200


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/search/?q=" + "a" * 10_000, {}),
        ("/", {"X-Padding": "p" * 20_000}),
        ("/", {f"X-Field-{number}": "x" for number in range(150)}),
    ],
    ids=["request line", "header size", "header count"],
)
def test_gunicorn_refuses_oversize_requests_with_a_4xx(site, url, headers):
    base, _ = site
    response = request(base, "GET", url, headers={**HTTPS, **headers})
    assert 400 <= response.status < 500, response.status
