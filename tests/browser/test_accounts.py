"""Accounts in Chromium: a guest signs up half-way through a path and loses nothing, then finds
every path, tick and note on a second browser after logging in; logging out ends it there."""

from __future__ import annotations

import pytest

from tests.browser.conftest import answer_small_questionnaire, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-42"


def assert_accessible(page) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], f"{page.url} ({scheme})"
    page.emulate_media(color_scheme="light")


def plan_a_path(page, live_server) -> None:
    """Answer the small catalog's questionnaire as a guest and land on the saved path."""
    page.goto(live_server.url + "/advisor/")
    answer_small_questionnaire(page, hours="4")


def test_signing_up_mid_way_loses_nothing(live_server, browser, page, page_problems, small_catalog):
    plan_a_path(page, live_server)
    path_url = page.url
    web = page.locator("#step-web")
    web.get_by_role("button", name="Done").click()
    web.get_by_text("Status: Done").wait_for()
    web.get_by_text("Add a private note").click()
    web.get_by_label("Note on Web Protocol").fill("Finished the HTTP chapter")
    web.get_by_role("button", name="Save note").click()
    web.get_by_text("Note saved.").wait_for()

    page.locator(".keep-note").get_by_role("link", name="Sign up").click()
    page.get_by_role("heading", name="Sign up", level=1).wait_for()
    assert_accessible(page)
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(path_url)
    assert page.get_by_text(
        "The path you made in this browser is now kept in your account"
    ).is_visible()
    assert web.get_by_text("Status: Done").is_visible()
    assert web.locator(".note-text").inner_text() == "Finished the HTTP chapter"
    assert web.get_by_role("button", name="Done").get_attribute("aria-pressed") == "true"
    assert page.locator(".keep-note").count() == 0  # nothing more to offer
    assert_accessible(page)
    assert page_problems() == []

    # Another device: log in, and everything is there, to change as well as to read.
    laptop = browser.new_context()
    other = laptop.new_page()
    other.goto(path_url)
    assert other.get_by_text("You are reading a shared path.").is_visible()
    other.get_by_role("link", name="Log in").click()
    assert_accessible(other)
    other.get_by_label("Username").fill("grace")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    other.get_by_role("heading", name="My paths", level=1).wait_for()
    assert other.get_by_text("Logged in as grace").is_visible()
    assert other.get_by_text("1 of 2 steps done").is_visible()
    assert_accessible(other)
    other.get_by_role("link", name="Web Framework", exact=True).click()  # named after its goal
    other.wait_for_url(path_url)
    other_web = other.locator("#step-web")
    assert other_web.get_by_text("Status: Done").is_visible()
    assert other_web.locator(".note-text").inner_text() == "Finished the HTTP chapter"
    other.locator("#step-webfw").get_by_role("button", name="Doing").click()
    other.locator("#step-webfw").get_by_text("Status: Doing").wait_for()

    # Logging out there ends it there: the path reads as anyone's shared path.
    other.get_by_role("link", name="Log out").click()
    other.get_by_role("button", name="Log out").click()
    other.wait_for_url("**/")
    other.goto(path_url)
    assert other.get_by_text("You are reading a shared path.").is_visible()
    assert other.get_by_role("button", name="Done", exact=True).count() == 0
    assert other.get_by_text("Finished the HTTP chapter").count() == 0
    laptop.close()

    page.reload()
    assert page.locator("#step-webfw").get_by_text("Status: Doing").is_visible()
