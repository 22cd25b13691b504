"""Ticking a step's checkpoints in Chromium, with JavaScript (in place) and without (plain
posts); a second browser reads them without controls."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from paths.models import CheckpointTick
from tests.browser.conftest import axe_violations
from tests.browser.test_path import sign_in_as_owner
from tests.factories import make_document, make_path

pytestmark = pytest.mark.django_db(transaction=True)

CHECKPOINTS = ["Name the methods.", "Read a status code.", "Set a header.", "Send a cookie."]


@pytest.fixture
def saved_path(load_document):
    document = make_document()
    document["technologies"][1]["checkpoints"] = CHECKPOINTS  # web, the first step
    load_document(document)
    return make_path(answers={"goal": ["site", "tools"], "size": ["large"]})


def checkpoints(page):
    return page.locator("#step-web-checkpoints")


def test_the_owner_ticks_checkpoints_in_place_with_javascript(
    live_server, page, page_problems, saved_path
):
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    expect(checkpoints(page)).to_contain_text("0 of 4 checkpoints")
    checkpoints(page).get_by_label("Read a status code.").check()
    expect(checkpoints(page)).to_contain_text("1 of 4 checkpoints")
    expect(checkpoints(page).get_by_label("Read a status code.")).to_be_focused()
    checkpoints(page).get_by_label("Send a cookie.").check()
    expect(checkpoints(page)).to_contain_text("2 of 4 checkpoints")
    checkpoints(page).get_by_label("Read a status code.").uncheck()
    expect(checkpoints(page)).to_contain_text("1 of 4 checkpoints")
    assert page.evaluate("window.__sameDocument") is True
    assert list(CheckpointTick.objects.values_list("checkpoint", flat=True)) == ["Send a cookie."]
    page.reload()
    expect(checkpoints(page).get_by_label("Send a cookie.")).to_be_checked()
    expect(checkpoints(page).get_by_label("Read a status code.")).not_to_be_checked()
    assert axe_violations(page) == []
    assert page_problems() == []


def test_the_owner_ticks_checkpoints_without_javascript(
    live_server, nojs_page, saved_path, browser
):
    page = nojs_page
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    checkpoints(page).get_by_label("Name the methods.").check()
    checkpoints(page).get_by_label("Set a header.").check()
    checkpoints(page).get_by_role("button", name="Save checkpoints").click()
    page.wait_for_url(f"**{saved_path.get_absolute_url()}#step-web")
    expect(checkpoints(page)).to_contain_text("2 of 4 checkpoints")
    expect(checkpoints(page).get_by_label("Set a header.")).to_be_checked()

    reader = browser.new_context(java_script_enabled=False).new_page()
    reader.goto(live_server.url + saved_path.get_absolute_url())
    expect(checkpoints(reader)).to_contain_text("2 of 4 checkpoints")
    assert checkpoints(reader).locator("input, button, form").count() == 0
    expect(checkpoints(reader).locator(".checkpoint-ticked")).to_have_count(2)
    reader.context.close()
