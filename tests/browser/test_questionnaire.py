"""The questionnaire in Chromium, with JavaScript (htmx swaps) and without (plain posts):
answer, go Back, change an answer, finish, and land on the saved path with its steps in order.
Every screen has zero axe violations, light and dark."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def path_of(page) -> str:
    return urlparse(page.url).path


def legend_text(page) -> str:
    return page.locator("#question-form legend").inner_text().strip()


def assert_accessible(page) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], f"{path_of(page)} ({scheme})"
    page.emulate_media(color_scheme="light")


def expected_steps(page, answers: dict, known: list[str], hours: int) -> list[str]:
    """The step names the API plans for the same input."""
    response = page.request.post(
        page.url.split("/paths/")[0] + "/api/plan",
        data={"answers": answers, "known": known, "hours_per_week": hours},
    )
    assert response.ok
    return [step["name"] for step in response.json()["steps"]]


def shown_steps(page) -> list[str]:
    return [name.strip() for name in page.locator("ol.path-steps > li h4").all_inner_texts()]


def test_questionnaire_with_javascript(live_server, page, page_problems, small_catalog):
    page.goto(live_server.url + "/advisor/")
    assert legend_text(page) == "What do you want to make?"
    assert page.get_by_text("Question 1 of 3").is_visible()
    assert page.get_by_role("button", name="Back").count() == 0
    assert_accessible(page)
    # Marks this document: a full page load would lose it, an htmx swap keeps it.
    page.evaluate("window.__sameDocument = true")

    page.get_by_role("button", name="Next").click()  # nothing chosen
    page.get_by_text("Choose at least one answer.").wait_for()
    assert_accessible(page)

    page.get_by_label("A website").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/q/size/")
    assert legend_text(page) == "How big is the site?"
    assert page.title().startswith("How big is the site?")
    expect(page.locator("#question-form legend")).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True
    assert_accessible(page)

    page.get_by_role("button", name="Back").click()
    page.wait_for_url(re.compile(r"/advisor/$"))
    assert page.get_by_label("A website").is_checked()
    page.get_by_label("A website").uncheck()
    page.get_by_label("Little tools").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/known/")  # "How big is the site?" no longer applies
    assert legend_text(page) == "What do you already know?"
    assert page.get_by_label("Basics").is_visible()
    assert_accessible(page)

    page.go_back()  # the browser's own Back and Forward follow the screens
    page.wait_for_url(re.compile(r"/advisor/$"))
    page.locator("#question-form legend", has_text="What do you want to make?").wait_for()
    assert page.get_by_label("Little tools").is_checked()
    page.go_forward()
    page.wait_for_url("**/advisor/known/")
    page.locator("#question-form legend", has_text="What do you already know?").wait_for()

    page.get_by_label("Basics").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/hours/")
    assert legend_text(page) == "How many hours a week can you study?"
    assert page.get_by_label("Hours per week").input_value() == "5"
    assert page.get_by_role("button", name="Next").count() == 0
    assert_accessible(page)
    page.get_by_label("Hours per week").fill("0")
    page.get_by_role("button", name="Show my path").click()
    page.get_by_text("Enter a whole number of hours from 1 to 80.").wait_for()
    assert_accessible(page)
    page.get_by_label("Hours per week").fill("3")
    page.get_by_role("button", name="Show my path").click()

    page.wait_for_url(re.compile(r"/paths/[A-Za-z0-9_-]{32}/$"))
    assert page.get_by_role("heading", name="Your learning path", level=1).is_visible()
    assert shown_steps(page) == expected_steps(page, {"goal": ["tools"]}, ["basics"], 3)
    assert shown_steps(page) == ["Scripting Kit"]
    assert page_problems() == []


def test_questionnaire_without_javascript(live_server, nojs_page, small_catalog):
    page = nojs_page
    page.goto(live_server.url + "/advisor/")
    page.get_by_label("A website").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/q/size/")
    assert legend_text(page) == "How big is the site?"
    assert page.get_by_text("Question 2 of 4").is_visible()

    page.get_by_role("button", name="Next").click()  # nothing chosen
    page.get_by_text("Choose one answer.").wait_for()
    assert path_of(page) == "/advisor/q/size/"

    page.get_by_role("button", name="Back").click()
    page.wait_for_url(re.compile(r"/advisor/\??$"))
    assert page.get_by_label("A website").is_checked()
    page.get_by_label("Little tools").check()  # change the answer: both now
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/q/size/")
    page.get_by_label("Large").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/known/")
    assert page.get_by_label("Basics").is_checked()  # "Large" implies it
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/hours/")
    page.get_by_label("Hours per week").fill("10")
    page.get_by_role("button", name="Show my path").click()

    page.wait_for_url(re.compile(r"/paths/[A-Za-z0-9_-]{32}/$"))
    assert page.get_by_role("heading", name="Your learning path", level=1).is_visible()
    answers = {"goal": ["site", "tools"], "size": ["large"]}
    assert shown_steps(page) == expected_steps(page, answers, ["basics"], 10)
    # Web Framework (3) first, with Web Protocol before it; then Scripting Kit (2).
    assert shown_steps(page) == ["Web Protocol", "Web Framework", "Scripting Kit"]


def test_a_stale_screen_url_starts_over_with_a_note(live_server, page, small_catalog):
    page.goto(live_server.url + "/advisor/hours/")
    page.wait_for_url(re.compile(r"/advisor/$"))
    assert page.get_by_text("could not find your earlier answers").is_visible()
    assert axe_violations(page) == []


def test_screens_fit_a_phone(live_server, browser, small_catalog):
    context = browser.new_context(viewport={"width": 320, "height": 640}, color_scheme="dark")
    page = context.new_page()
    page.goto(live_server.url + "/advisor/")
    page.get_by_label("A website").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/advisor/q/size/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []
    context.close()
