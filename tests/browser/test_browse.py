"""Browsing and searching the catalog in a real browser, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/catalog/",
    "/catalog/?q=web",
    "/catalog/?kind=framework",
    "/catalog/beta/",
    "/technologies/webfw/",
    "/technologies/basics/",
    "/search/",
    "/search/?q=framework",
]


# Resolves once no htmx request has started or ended for 300 ms.
SETTLE = """() => new Promise((resolve) => {
  let timer = setTimeout(resolve, 300);
  const wait = () => { clearTimeout(timer); timer = setTimeout(resolve, 300); };
  document.body.addEventListener("htmx:beforeRequest", wait);
  document.body.addEventListener("htmx:afterRequest", wait);
})"""


def cards(page):
    return page.locator("#results .technology-card h3")


def settle(page) -> None:
    """Wait until htmx is quiet, so leaving the page aborts no request."""
    page.evaluate(SETTLE)


def test_browse_from_home_to_a_technology_and_follow_learn_first(
    live_server, page, page_problems, small_catalog
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Browse the catalog").click()
    expect(page).to_have_url(live_server.url + "/catalog/")
    # A card names its categories, each a link to that category's page.
    basics = page.get_by_role("heading", name="Basics", exact=True)
    page.locator(".technology-card", has=basics).get_by_role("link", name="Alpha things").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha things")
    page.get_by_role("link", name="Web Framework").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Web Framework")
    expect(page.get_by_role("heading", name="Ready to move on when you can")).to_be_visible()
    expect(page.get_by_role("group", name="Prerequisite chain of Web Framework")).to_be_visible()

    learn_first = page.locator("section.learn-first")
    learn_first.get_by_role("list").first.get_by_role("link", name="Web Protocol").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Web Protocol")
    expect(page.get_by_text("You write handlers in it.")).to_be_visible()
    page.locator("section.learn-first").get_by_role("link", name="Basics").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Basics")
    expect(page.get_by_text("Basics is a starting point.")).to_be_visible()
    assert page_problems() == []


def test_live_search_updates_in_place_and_keeps_focus_in_the_box(
    live_server, page, page_problems, small_catalog
):
    page.goto(live_server.url + "/catalog/")
    page.evaluate("window.notReloaded = true")
    search = page.locator("#filter-q")
    search.click()
    search.press_sequentially("micro", delay=40)
    expect(page).to_have_url(re.compile(r"/catalog/\?q=micro"))
    expect(cards(page)).to_have_text(["Micro Framework"])
    expect(page.locator("#results-count")).to_have_text("1 technology matches “micro”.")
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == "filter-q"
    assert page_problems() == []


def test_filters_update_the_list_in_place(live_server, page, page_problems, small_catalog):
    page.goto(live_server.url + "/catalog/")
    page.evaluate("window.notReloaded = true")
    page.locator("#filter-kind").select_option("framework")
    expect(page).to_have_url(re.compile(r"kind=framework"))
    expect(cards(page)).to_have_count(2)  # each once, though Web Framework is in both categories
    page.locator("#filter-level").select_option("intermediate")
    expect(page).to_have_url(re.compile(r"kind=framework&level=intermediate"))
    expect(cards(page)).to_have_text(["Web Framework"])
    assert page.evaluate("window.notReloaded") is True
    assert page_problems() == []


def test_back_after_a_live_search_shows_the_earlier_results(
    live_server, page, page_problems, small_catalog
):
    page.goto(live_server.url + "/catalog/")
    search = page.locator("#filter-q")
    search.fill("web")
    expect(page).to_have_url(re.compile(r"q=web"))
    expect(page.locator("#results-count")).to_contain_text("“web”")
    search.fill("scripting")
    expect(page).to_have_url(re.compile(r"q=scripting"))
    expect(cards(page)).to_have_text(["Scripting Kit"])

    page.go_back()
    expect(page).to_have_url(re.compile(r"q=web(&|$)"))
    expect(page.locator("#filter-q")).to_have_value("web")
    expect(cards(page).first).to_have_text("Web Protocol")
    page.go_back()
    expect(page).to_have_url(live_server.url + "/catalog/")
    expect(page.locator("#filter-q")).to_have_value("")
    expect(page.locator("#results-count")).to_have_text("5 technologies in 2 categories.")
    assert page_problems() == []


def test_search_page_searches_live(live_server, page, page_problems, small_catalog):
    page.goto(live_server.url + "/search/")
    page.locator("#filter-q").press_sequentially("FRAMEWORK", delay=30)
    expect(page).to_have_url(re.compile(r"/search/\?q=FRAMEWORK"))
    expect(cards(page)).to_have_text(["Web Framework", "Micro Framework"])
    settle(page)
    page.locator("#results").get_by_role("link", name="Micro Framework").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Micro Framework")
    assert page_problems() == []


def test_keyboard_only_search_and_open_a_result(live_server, page, page_problems, small_catalog):
    page.goto(live_server.url + "/catalog/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "filter-q":
            break
    assert page.evaluate("document.activeElement.id") == "filter-q"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.type("protocol")
    page.keyboard.press("Enter")
    expect(cards(page)).to_have_text(["Web Protocol"])
    settle(page)  # Enter fires both "search" and "submit": let the second answer land too
    page.locator("#results").get_by_role("link", name="Web Protocol").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Web Protocol")
    assert page_problems() == []


def test_without_javascript_the_same_form_submits_normally(live_server, nojs_page, small_catalog):
    page = nojs_page
    page.goto(live_server.url + "/catalog/")
    page.locator("#filter-q").fill("framework")
    page.locator("#filter-level").select_option("beginner")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/catalog/\?q=framework&kind=&level=beginner"))
    expect(cards(page)).to_have_text(["Micro Framework"])
    page.get_by_role("link", name="Micro Framework").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Micro Framework")
    page.locator("section.learn-first").get_by_role("link", name="Web Protocol").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Web Protocol")


def test_every_catalog_page_has_zero_axe_violations_light_and_dark(
    live_server, page, page_problems, small_catalog
):
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for path in PAGES:
            page.goto(live_server.url + path)
            assert axe_violations(page) == [], f"{path} ({scheme})"
    assert page_problems() == []


def test_live_results_have_zero_axe_violations(live_server, page, small_catalog):
    page.goto(live_server.url + "/catalog/")
    page.locator("#filter-q").fill("zzz")
    expect(page.locator("#results-count")).to_contain_text("No technology matches")
    assert axe_violations(page) == []


def test_catalog_pages_read_on_a_320px_phone_without_sideways_scrolling(
    live_server, browser, small_catalog
):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in PAGES:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


def test_a_wide_diagram_scrolls_inside_its_frame_and_can_be_reached_by_keyboard(
    live_server, browser, load_document
):
    from catalog.generator import generate_document

    document = generate_document(120)
    load_document(document)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server.url}/technologies/{document['technologies'][-1]['slug']}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    frame = page.locator(".diagram")
    assert frame.evaluate("element => element.scrollWidth > element.clientWidth")
    assert frame.get_attribute("tabindex") == "0"
    context.close()
