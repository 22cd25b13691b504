"""The plain-HTTP trial in Chromium on a host name that is not loopback: gunicorn via
`bin/serve` (DEBUG off, DJANGO_SECURE_SSL_REDIRECT=0, DJANGO_ALLOWED_HOSTS=trial.example),
Chromium mapping trial.example to 127.0.0.1. Chromium keeps Secure cookies on loopback only, so
this is where a Secure cookie over plain HTTP broke the questionnaire's first "Next".

And when the CSRF cookie is gone (expired, blocked), an htmx request shows the learner why in
the page, and a plain post answers a styled 403 that says what to do.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, CSP_LISTENER
from tests.hardening.servers import serve_site

HOST = "trial.example"
SESSION_MESSAGE = "Reload the page and try again"


@pytest.fixture(scope="module")
def trial(tmp_path_factory):
    """The trial's base URL, http://trial.example:<port>."""
    with serve_site(tmp_path_factory, "trial-browser", DJANGO_ALLOWED_HOSTS=HOST) as base:
        yield base.replace("127.0.0.1", HOST)


@pytest.fixture(scope="module")
def trial_browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"],
    )
    yield browser
    browser.close()


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def trial_page(request, trial_browser):
    context = trial_browser.new_context(java_script_enabled=request.param)
    page = context.new_page()
    page.javascript = request.param
    errors: list[str] = []
    page.add_init_script(CSP_LISTENER)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    if request.param:
        errors += page.evaluate("window.__cspViolations")
    context.close()
    assert errors == []  # no script error, nothing the strict CSP had to block


def answer_first_option(page) -> None:
    page.locator("#question-form .choice-list input").first.check()
    page.get_by_role("button", name="Next").click()


def test_the_questionnaire_goes_past_next_on_a_plain_http_host_name(trial, trial_page):
    page = trial_page
    page.goto(trial + "/advisor/")
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    if page.javascript:
        page.evaluate("window.__sameDocument = true")
    answer_first_option(page)
    expect(page.get_by_text("Question 2 of")).to_be_visible()
    if page.javascript:
        assert page.evaluate("window.__sameDocument === true")  # an htmx swap, not a reload
    answer_first_option(page)
    expect(page.get_by_text("Question 3 of")).to_be_visible()


def test_a_lost_csrf_cookie_is_explained_in_the_page(trial, trial_page):
    page = trial_page
    page.goto(trial + "/advisor/")
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    page.context.clear_cookies(name="csrftoken")
    answer_first_option(page)
    if page.javascript:
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text(SESSION_MESSAGE)
        expect(alert).to_be_visible()
        expect(page.get_by_text("Question 1 of")).to_be_visible()  # the form is still there
        # Reloading, as the message says, gets a new cookie and the next answer goes through.
        page.reload()
        answer_first_option(page)
        expect(page.get_by_text("Question 2 of")).to_be_visible()
        expect(page.get_by_role("alert")).not_to_contain_text(SESSION_MESSAGE)
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text("Your session has expired")
        expect(page.get_by_text(SESSION_MESSAGE)).to_be_visible()
