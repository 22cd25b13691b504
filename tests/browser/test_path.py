"""A saved path in Chromium: its maker marks steps with and without JavaScript, anyone else
reads it; the page is accessible light and dark, on a desktop and a phone."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from paths.models import Progress
from tests.browser.conftest import axe_violations
from tests.factories import make_path

pytestmark = pytest.mark.django_db(transaction=True)

SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}


@pytest.fixture
def saved_path(small_catalog):
    return make_path(answers=SITE_LARGE, hours_per_week=4)


def sign_in_as_owner(context, live_server, path) -> None:
    """Give the browser the session of the learner who made the path."""
    session = SessionStore()
    session["learner_id"] = str(path.learner_id)
    session.save()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


def step(page, slug: str):
    return page.locator(f"#step-{slug}")


def test_owner_marks_steps_with_javascript(live_server, page, page_problems, saved_path):
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    names = [name.strip() for name in page.locator("ol.path-steps > li h4").all_inner_texts()]
    assert names == ["Web Protocol", "Scripting Kit", "Web Framework"]
    page.evaluate("window.__sameDocument = true")

    done = step(page, "web").get_by_role("button", name="Done")
    assert done.get_attribute("aria-pressed") == "false"
    done.click()
    step(page, "web").get_by_text("Status: Done").wait_for()
    done = step(page, "web").get_by_role("button", name="Done")
    assert done.get_attribute("aria-pressed") == "true"
    assert (
        step(page, "web").get_by_role("button", name="To do").get_attribute("aria-pressed")
        == "false"
    )
    assert page.locator("#path-progress").inner_text().startswith("1 of 3 done")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Done"
    assert page.evaluate("window.__sameDocument") is True

    step(page, "webfw").get_by_role("button", name="Skipped").click()
    step(page, "webfw").get_by_text("Status: Skipped").wait_for()
    page.reload()
    assert step(page, "web").get_by_text("Status: Done").is_visible()
    assert (
        step(page, "webfw").get_by_role("button", name="Skipped").get_attribute("aria-pressed")
        == "true"
    )
    assert dict(Progress.objects.values_list("technology_slug", "status")) == {
        "web": "done",
        "webfw": "skipped",
    }
    assert page_problems() == []


def test_owner_marks_steps_without_javascript(live_server, nojs_page, saved_path):
    page = nojs_page
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    step(page, "scripting").get_by_role("button", name="Doing").click()
    page.wait_for_url("**#step-scripting")
    assert step(page, "scripting").get_by_text("Status: Doing").is_visible()
    assert (
        step(page, "scripting").get_by_role("button", name="Doing").get_attribute("aria-pressed")
        == "true"
    )
    assert Progress.objects.get().status == "doing"


def test_anyone_else_reads_the_path_and_its_progress(live_server, browser, saved_path):
    Progress.objects.create(learner=saved_path.learner, technology_slug="web", status="done")
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + saved_path.get_absolute_url())
    assert page.get_by_role("heading", name="Your learning path", level=1).is_visible()
    assert step(page, "web").get_by_text("Status: Done").is_visible()
    assert step(page, "webfw").get_by_text("Status: To do").is_visible()
    for name in ("To do", "Doing", "Done", "Skipped"):
        assert page.get_by_role("button", name=name, exact=True).count() == 0
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_path_page_is_accessible_and_fits(live_server, browser, saved_path, width):
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        sign_in_as_owner(context, live_server, saved_path)
        page = context.new_page()
        page.goto(live_server.url + saved_path.get_absolute_url())
        assert page.get_by_role("img", name="Roadmap of your learning path").is_visible()
        assert axe_violations(page) == [], (width, scheme)
        # The roadmap scrolls inside its frame; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()


def test_the_markdown_link(live_server, page, saved_path):
    page.goto(live_server.url + saved_path.get_absolute_url())
    href = page.get_by_role("link", name="Markdown").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.ok and response.text().startswith("# Your learning path")


def test_a_changed_catalog_offers_to_re_plan(live_server, page, saved_path, load_document):
    from tests.factories import make_document

    document = make_document()
    document["technologies"][1]["effort_hours"] = 12
    load_document(document)
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    assert page.get_by_text("The catalog has changed since this path was saved").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Re-plan with the same answers").click()
    page.wait_for_url(lambda url: saved_path.token not in url and "/paths/" in url)
    assert page.get_by_text("47 hours").is_visible()
