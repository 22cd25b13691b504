"""No console errors: the HTMX swaps a learner repeats (note saves, status buttons, the
questionnaire's screens and Back, live search) leave Chromium's console and CSP report empty,
however often they are repeated and whatever the learner did to the page in between (a note's
box resized with the mouse carries an inline style, which htmx used to copy while settling and
the strict CSP refused).

Each test stays on one document, so `page_problems` sees everything that happened.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import answer_small_questionnaire, answer_small_questions
from tests.browser.test_csp import SETTLE, as_owner, saved_path  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def drag_resize(page, locator, dy: int) -> None:
    """Drag the bottom-right resize handle of a textarea, as a learner does with the mouse."""
    box = locator.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] - 3, box["y"] + box["height"] - 3
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y + dy, steps=5)
    page.mouse.up()


def open_as_owner(page, live_server, path) -> None:
    as_owner(page.context, live_server, path)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + path.get_absolute_url())
    page.evaluate("window.__sameDocument = true")


def test_repeated_note_saves_log_nothing(live_server, page, page_problems, saved_path):  # noqa: F811
    open_as_owner(page, live_server, saved_path)
    step = page.locator("#step-webfw")
    for round_ in range(5):
        step.locator("summary").click()
        box = step.get_by_role("textbox")
        box.fill(f"Note, round {round_}.")
        if round_ % 2 == 0:
            drag_resize(page, box, 60)
            assert box.get_attribute("style"), "the drag left the box its own size"
        step.get_by_role("button", name="Save note").click()
        expect(step.locator(".note-text")).to_have_text(f"Note, round {round_}.")
        expect(step.get_by_text("Note saved.")).to_be_visible()
        page.evaluate(SETTLE)
    assert page.evaluate("window.__sameDocument") is True
    assert page_problems() == []


def test_repeated_status_changes_log_nothing(live_server, page, page_problems, saved_path):  # noqa: F811
    open_as_owner(page, live_server, saved_path)
    for slug in ("webfw", "web"):
        step = page.locator(f"#step-{slug}")
        for label in ("Doing", "Done", "Skipped", "To do", "Done"):
            step.get_by_role("button", name=label, exact=True).click()
            expect(step.get_by_text(f"Status: {label}")).to_be_visible()
            page.evaluate(SETTLE)
    assert page.evaluate("window.__sameDocument") is True
    assert page_problems() == []


def test_questionnaire_screens_back_and_forth_log_nothing(
    live_server, page, page_problems, small_catalog
):
    page.goto(live_server.url + "/advisor/")
    page.evaluate("window.__sameDocument = true")
    for _ in range(2):
        page.get_by_role("button", name="Next").click()  # nothing chosen: an error swap
        page.get_by_text("Choose at least one answer.").wait_for()
        answer_small_questions(page)
        page.get_by_role("button", name="Back").click()
        page.wait_for_url("**/advisor/q/size/")
        page.get_by_role("button", name="Back").click()
        page.wait_for_url(re.compile(r"/advisor/(q/goal/)?$"))
        page.get_by_label("A website").uncheck()
        page.evaluate(SETTLE)
    assert page.evaluate("window.__sameDocument") is True
    answer_small_questionnaire(page)
    page.evaluate(SETTLE)
    assert page_problems() == []


def test_live_search_typed_and_changed_logs_nothing(
    live_server, page, page_problems, small_catalog
):
    page.goto(live_server.url + "/catalog/")
    page.evaluate("window.__sameDocument = true")
    field = page.locator("#filter-q")
    for word in ("web", "zzz-nothing", "fw"):
        field.fill("")
        field.press_sequentially(word, delay=40)
        expect(page).to_have_url(re.compile(rf"q={re.escape(word)}"))
        page.evaluate(SETTLE)
    page.locator("#filter-kind").select_option("framework")
    page.evaluate(SETTLE)
    page.locator("#filter-kind").select_option("")
    page.evaluate(SETTLE)
    assert page.evaluate("window.__sameDocument") is True
    assert page_problems() == []
