"""The Content-Security-Policy in Chromium: every kind of page, and its HTMX interactions, runs
with zero CSP violations and zero console errors, under a policy that is really enforced.

`page_problems` records console errors, page errors and `securitypolicyviolation` events; it
is read after each page, since a navigation starts a new document and a new record.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from paths.services import learner_create, note_set, progress_set
from tests.browser.conftest import answer_small_questionnaire
from tests.factories import make_path

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN = "/" + settings.ADMIN_URL
PASSWORD = "correct-horse-battery-42"
SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}

# Resolves once no htmx request has started or ended for 300 ms.
SETTLE = """() => new Promise((resolve) => {
  let timer = setTimeout(resolve, 300);
  const wait = () => { clearTimeout(timer); timer = setTimeout(resolve, 300); };
  document.body.addEventListener("htmx:beforeRequest", wait);
  document.body.addEventListener("htmx:afterRequest", wait);
})"""


@pytest.fixture
def saved_path(small_catalog):
    learner = learner_create()
    path = make_path(learner=learner, answers=SITE_LARGE)
    progress_set(learner_id=learner.pk, technology_slug="web", status="doing")
    note_set(learner_id=learner.pk, technology_slug="web", text="My note.", expected_version=0)
    return path


def as_owner(context, live_server, path) -> None:
    session = SessionStore()
    session["learner_id"] = str(path.learner_id)
    session.save()
    context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def visit(page, page_problems, url: str, seen: dict[str, list[str]]) -> None:
    """Open `url`, check it is under our policy, and record what went wrong there (console
    messages pile up across pages, CSP violations are per document)."""
    earlier = [problem for problem in page_problems() if not problem.startswith("csp ")]
    response = page.goto(url)
    assert response is not None
    csp = response.headers.get("content-security-policy", "")
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp, url
    page.wait_for_load_state("networkidle")
    page.evaluate(SETTLE)
    seen[url] = page_problems()[len(earlier) :]


def test_the_policy_is_enforced_and_violations_are_seen(live_server, page, page_problems, db):
    """The control: an injected inline handler is blocked and reported, so "no violations"
    below means something."""
    page.goto(live_server.url + "/")
    page.evaluate(
        """document.body.insertAdjacentHTML('beforeend',
             '<img src="/static/img/favicon.svg" onload="window.__pwned = 1">')"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__pwned") is None
    assert any(problem.startswith("csp script-src") for problem in page_problems())


def test_every_public_page_has_no_csp_violation_or_console_error(
    live_server, page, page_problems, saved_path
):
    seen: dict[str, list[str]] = {}
    for url in [
        "/",
        "/catalog/",
        "/catalog/?kind=framework",
        "/catalog/alpha/",
        "/technologies/webfw/",
        "/technologies/basics/",
        "/search/",
        "/search/?q=web",
        "/advisor/",
        "/paths/",
        saved_path.get_absolute_url(),  # as a reader
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        f"{ADMIN}login/",
        "/no-such-page/",
    ]:
        # A 404 is logged by Chromium as a failed resource; that is the page, not an error.
        visit(page, page_problems, live_server.url + url, seen)
    problems = {
        url: [p for p in found if not (url.endswith("no-such-page/") and "404" in p)]
        for url, found in seen.items()
    }
    assert {url: found for url, found in problems.items() if found} == {}


def test_htmx_interactions_stay_within_the_policy(live_server, page, page_problems, saved_path):
    """Live search, the questionnaire's swaps and the path page's buttons and notes."""
    seen: dict[str, list[str]] = {}
    page.goto(live_server.url + "/catalog/")
    page.locator("#filter-q").press_sequentially("web", delay=30)
    expect(page).to_have_url(re.compile(r"q=web"))
    page.locator("#filter-kind").select_option("framework")
    page.evaluate(SETTLE)
    seen["live search"] = page_problems()

    page.goto(live_server.url + "/advisor/")
    answer_small_questionnaire(page)
    page.evaluate(SETTLE)
    seen["questionnaire"] = page_problems()

    as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    step = page.locator("#step-webfw")
    step.get_by_role("button", name="Done").click()
    step.get_by_text("Status: Done").wait_for()
    step.locator("summary").click()
    step.get_by_role("textbox").fill("Finish the tutorial.")
    step.get_by_role("button", name="Save note").click()
    step.get_by_text("Note saved.").wait_for()
    page.get_by_role("button", name="Copy link").click()
    page.evaluate(SETTLE)
    seen["path page (owner)"] = page_problems()
    assert {where: found for where, found in seen.items() if found} == {}


def test_the_owner_s_pages_have_no_csp_violation(live_server, page, page_problems, saved_path):
    as_owner(page.context, live_server, saved_path)
    token = saved_path.token
    seen: dict[str, list[str]] = {}
    for url in [
        "/paths/",
        f"/paths/{token}/",
        f"/paths/{token}/rename/",
        f"/paths/{token}/delete/",
        f"/paths/{token}/notes/web/",
    ]:
        visit(page, page_problems, live_server.url + url, seen)
    assert {url: found for url, found in seen.items() if found} == {}


def test_signed_in_pages_and_the_admin_have_no_csp_violation(
    live_server, page, page_problems, saved_path, django_user_model
):
    django_user_model.objects.create_superuser("curator", "c@example.org", PASSWORD)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    seen: dict[str, list[str]] = {"after log in": page_problems()}
    from catalog.models import Question, Technology

    technology = Technology.objects.get(slug="webfw").pk
    question = Question.objects.get(slug="size").pk
    for url in [
        "/",
        "/paths/",
        "/accounts/password_change/",
        ADMIN,
        f"{ADMIN}catalog/technology/",
        f"{ADMIN}catalog/technology/?q=web",
        f"{ADMIN}catalog/technology/{technology}/change/",
        f"{ADMIN}catalog/technology/add/",
        f"{ADMIN}catalog/question/{question}/change/",
        f"{ADMIN}paths/learningpath/",
    ]:
        visit(page, page_problems, live_server.url + url, seen)
    assert {url: found for url, found in seen.items() if found} == {}
