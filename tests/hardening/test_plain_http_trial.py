"""The plain-HTTP trial (DJANGO_SECURE_SSL_REDIRECT=0, DEBUG off) on a host name that is not
loopback, through gunicorn via `bin/serve`: over plain HTTP the cookies come without `Secure`
(a browser would drop them and every form would fail its CSRF check), over HTTPS from the
trusted proxy they keep it, and HSTS is sent over HTTPS only.

The same in Chromium, with and without JavaScript: tests/browser/test_trial_host.py.
"""

from __future__ import annotations

import pytest

from tests.hardening.servers import Browser, request, serve_site

HOST = "trial.example"
HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve_site(tmp_path_factory, "trial", DJANGO_ALLOWED_HOSTS=HOST) as base:
        yield base


def first_answer(browser: Browser, headers: dict[str, str]) -> dict[str, str]:
    """Open /advisor/ and answer its first question: the Set-Cookie lines of both steps."""
    page = browser.send("GET", "/advisor/", headers=headers)
    assert page.status == 200
    value = page.text.split('name="answer" value="', 1)[1].split('"', 1)[0]
    answer = browser.send("POST", "/advisor/", headers=headers, form={"answer": value})
    assert answer.status == 302, answer.text[:300]
    return page.cookies() | answer.cookies()


def attributes(line: str) -> set[str]:
    return {part.strip().split("=", 1)[0].lower() for part in line.split(";")[1:]}


def test_over_plain_http_the_cookies_are_not_secure_and_there_is_no_hsts(site):
    browser = Browser(site)
    cookies = first_answer(browser, {"Host": HOST})
    assert {"csrftoken", "sessionid"} <= set(cookies), cookies
    for line in cookies.values():
        assert "secure" not in attributes(line), line
        assert "samesite" in attributes(line), line
    assert "httponly" in attributes(cookies["sessionid"])
    response = request(site, "GET", "/", headers={"Host": HOST})
    assert response.status == 200 and "Strict-Transport-Security" not in response.headers


def test_over_https_from_the_proxy_the_cookies_stay_secure_with_hsts(site):
    browser = Browser(site)
    cookies = first_answer(browser, {"Host": HOST, "Origin": f"https://{HOST}", **HTTPS})
    assert {"csrftoken", "sessionid"} <= set(cookies), cookies
    for line in cookies.values():
        assert {"secure", "httponly", "samesite"} <= attributes(line), line
    response = request(site, "GET", "/", headers={"Host": HOST, **HTTPS})
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_a_csrf_failure_is_a_styled_403_that_says_what_to_do(site):
    browser = Browser(site)
    browser.send("GET", "/advisor/", headers={"Host": HOST})
    browser.cookies.pop("csrftoken")
    response = browser.send("POST", "/advisor/", headers={"Host": HOST}, form={"answer": "x"})
    assert response.status == 403
    assert "/static/css/site." in response.text  # the styled page, not Django's bare one
    assert "Reload the page and try again" in response.text
