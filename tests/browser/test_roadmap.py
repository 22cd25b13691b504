"""The roadmap in Chromium: its nodes are links to their steps, show the status in words, and
follow a status change without a reload; the technology page's diagram links to technologies."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_path import sign_in_as_owner
from tests.factories import make_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def saved_path(small_catalog):
    return make_path(answers={"goal": ["site", "tools"], "size": ["large"]})


def test_a_node_leads_to_its_step_and_follows_a_status_change(
    live_server, page, page_problems, saved_path
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    node = page.locator("#roadmap svg a", has_text="Web Framework")
    expect(node).to_contain_text("To do")
    page.locator("#step-webfw").get_by_role("button", name="Doing").click()
    expect(page.locator("#roadmap svg a", has_text="Web Framework")).to_contain_text("Doing")
    assert page.evaluate("window.__sameDocument") is True
    page.locator("#roadmap svg a", has_text="Web Framework").click()
    page.wait_for_url("**#step-webfw")
    expect(page.locator("#step-webfw")).to_be_in_viewport()
    assert axe_violations(page) == []
    assert page_problems() == []


def test_the_technology_diagram_links_to_what_comes_first(live_server, page, small_catalog):
    page.goto(live_server.url + "/technologies/webfw/")
    page.locator(".prerequisite-diagram a", has_text="Web Protocol").click()
    page.wait_for_url("**/technologies/web/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Web Protocol")
