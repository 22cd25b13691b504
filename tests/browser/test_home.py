"""The home page in a real browser: loads, htmx runs, no errors, accessible."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_loads_with_htmx_and_no_problems(live_server, page, page_problems, small_catalog):
    page.goto(live_server.url + "/")
    assert page.title().startswith("Backend Path")
    page.get_by_role("link", name="Start the questionnaire").wait_for()
    assert page.evaluate("typeof window.htmx !== 'undefined' && htmx.version.startsWith('2')")
    assert page.evaluate("htmx.config.allowEval") is False
    assert page_problems() == []


def test_home_has_zero_axe_violations_light_and_dark(live_server, page, small_catalog):
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(live_server.url + "/")
        assert axe_violations(page) == [], scheme


def test_home_reads_on_a_phone_without_sideways_scrolling(live_server, browser, small_catalog):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_skip_link_moves_focus_to_main(live_server, page, small_catalog):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    assert page.evaluate("location.hash") == "#main"
