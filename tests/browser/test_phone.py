"""Phone first: the path page, its roadmap and the catalog at 320 px and on a desktop, with
JavaScript and without: zero axe violations, no sideways scrolling, roadmap nodes that lead to
their steps, status in words."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from paths.services import progress_set
from tests.browser.conftest import axe_violations
from tests.browser.test_path import sign_in_as_owner
from tests.factories import make_document, make_path, make_technology

pytestmark = pytest.mark.django_db(transaction=True)

LONG_NAME = "Testing with a very long technology name indeed"


@pytest.fixture
def saved_path(load_document):
    document = make_document()
    document["technologies"][4]["name"] = LONG_NAME  # scripting: a label the picture would cut
    for number in range(8):  # many technologies in two categories each
        document["technologies"].append(
            make_technology(f"extra-{number}", categories=["alpha", "beta"])
        )
    load_document(document)
    path = make_path(answers={"goal": ["site", "tools"], "size": ["large"]})
    progress_set(learner_id=path.learner_id, technology_slug="web", status="done")
    return path


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("javascript", [True, False])
def test_the_path_page_on_a_phone_and_a_desktop(
    live_server, browser, saved_path, width, javascript
):
    context = browser.new_context(
        viewport={"width": width, "height": 740}, java_script_enabled=javascript
    )
    sign_in_as_owner(context, live_server, saved_path)
    page = context.new_page()
    page.goto(live_server.url + saved_path.get_absolute_url())
    # Where the learner is comes first, within the first screen, with share and export.
    now = page.locator("#path-now")
    expect(now).to_contain_text(f"3. {LONG_NAME}")
    expect(now).to_contain_text("Hours left")
    assert now.bounding_box()["y"] < 740
    now.get_by_role("link", name="Share or export").click()
    expect(page.get_by_role("heading", name="Share or export")).to_be_in_viewport()
    page.goto(live_server.url + saved_path.get_absolute_url())
    # The roadmap: a list that wraps on a phone, the picture on a desktop; status in words.
    if width < 640:
        nodes = page.locator(".roadmap-list a")
        expect(page.locator(".roadmap-list")).to_contain_text(LONG_NAME)  # whole, not cut
        expect(page.locator(".roadmap-list li").first).to_contain_text("Done")
    else:
        nodes = page.locator("#roadmap svg a")
        expect(nodes.first).to_contain_text("Done")
    expect(nodes).to_have_count(3)
    nodes.nth(1).click()
    page.wait_for_url("**#step-webfw")
    expect(page.locator("#step-webfw")).to_be_in_viewport()
    assert fits(page), page.evaluate("document.documentElement.scrollWidth")
    if javascript:
        assert axe_violations(page) == [], width
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_the_catalog_shows_each_technology_once_and_fits(live_server, browser, saved_path, width):
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/catalog/")
    expect(page.locator(".technology-card", has_text="Web Framework")).to_have_count(1)
    expect(page.locator(".technology-card")).to_have_count(13)
    assert fits(page)
    assert axe_violations(page) == [], width
    page.get_by_role("navigation", name="Show one kind of backend").get_by_role(
        "link", name="Beta things"
    ).click()
    expect(page.locator(".technology-card")).to_have_count(11)
    assert fits(page)
    page.goto(live_server.url + "/technologies/webfw/")
    assert fits(page)
    assert axe_violations(page) == [], width
    context.close()
