"""A saved path in Chromium: its owner marks steps and writes notes with and without
JavaScript, shares the link with a second browser that can only read, prints it, re-plans it
when the catalog changes, and manages it from My paths; every page is accessible light and
dark, on a desktop and a phone."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from paths.models import LearningPath, Note, Progress
from paths.services import note_set
from tests.browser.conftest import axe_violations
from tests.factories import make_document, make_path

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


def finish_text(page) -> str:
    return page.locator(".path-totals div", has_text="Estimated finish").inner_text()


def test_owner_marks_steps_with_javascript(live_server, page, page_problems, saved_path):
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    names = [name.strip() for name in page.locator("ol.path-steps > li h4").all_inner_texts()]
    # Goals by score: Web Framework (3) after Web Protocol (Basics is known), then Scripting Kit.
    assert names == ["Web Protocol", "Web Framework", "Scripting Kit"]
    page.evaluate("window.__sameDocument = true")
    finish_before = finish_text(page)

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
    assert page.locator("#path-progress-label").inner_text().startswith("1 of 3 steps done")
    assert page.locator("#path-status progress").get_attribute("value") == "1"
    assert finish_text(page) != finish_before  # 10 hours fewer to learn: an earlier day
    # Focus moves when htmx settles the swap, a moment after the new content shows.
    expect(step(page, "web").get_by_role("button", name="Done")).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True

    step(page, "webfw").get_by_role("button", name="Skipped").click()
    step(page, "webfw").get_by_text("Status: Skipped").wait_for()
    assert page.locator("#path-progress-label").inner_text().startswith("1 of 2 steps done")
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


def test_owner_writes_a_note_with_javascript(live_server, page, page_problems, saved_path):
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    web = step(page, "web")
    web.get_by_text("Add a private note").click()
    box = web.get_by_label("Note on Web Protocol")
    box.fill("Read RFC 9110 <carefully>\nthen practise")
    # Marking the step while the note is being typed leaves the typing alone.
    web.get_by_role("button", name="Doing").click()
    web.get_by_text("Status: Doing").wait_for()
    assert box.input_value() == "Read RFC 9110 <carefully>\nthen practise"
    web.get_by_role("button", name="Save note").click()
    web.get_by_text("Note saved.").wait_for()
    assert web.locator(".note-text").inner_text() == "Read RFC 9110 <carefully>\nthen practise"
    expect(web.get_by_text("Edit your note")).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True
    assert Note.objects.get().text == "Read RFC 9110 <carefully>\nthen practise"
    assert axe_violations(page) == []
    assert page_problems() == []


def test_owner_marks_steps_and_writes_notes_without_javascript(live_server, nojs_page, saved_path):
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
    assert page.locator("#path-progress-label").inner_text().startswith("0 of 3 steps done")

    # <details> opens without JavaScript; the form is a plain post and redirect.
    step(page, "scripting").get_by_text("Add a private note").click()
    step(page, "scripting").get_by_label("Note on Scripting Kit").fill("Try argparse")
    step(page, "scripting").get_by_role("button", name="Save note").click()
    page.wait_for_url("**#step-scripting")
    assert page.get_by_text("Your note is saved.").is_visible()
    assert step(page, "scripting").locator(".note-text").inner_text() == "Try argparse"
    # Without JavaScript there is nothing to copy with: the link is shown to select instead.
    assert page.get_by_role("button", name="Copy link").count() == 0
    assert (
        page.get_by_label("Link to this path").input_value().endswith(saved_path.get_absolute_url())
    )


def test_sharing_the_link_with_a_second_browser(live_server, browser, saved_path):
    owner_context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    sign_in_as_owner(owner_context, live_server, saved_path)
    owner = owner_context.new_page()
    owner.goto(live_server.url + saved_path.get_absolute_url())
    step(owner, "web").get_by_role("button", name="Done").click()
    step(owner, "web").get_by_text("Status: Done").wait_for()
    step(owner, "web").get_by_text("Add a private note").click()
    step(owner, "web").get_by_label("Note on Web Protocol").fill("Private thoughts")
    step(owner, "web").get_by_role("button", name="Save note").click()
    step(owner, "web").get_by_text("Note saved.").wait_for()
    owner.get_by_role("button", name="Copy link").click()
    owner.get_by_text("Link copied.").wait_for()
    link = owner.evaluate("navigator.clipboard.readText()")
    assert link == live_server.url + saved_path.get_absolute_url()

    friend_context = browser.new_context()
    friend = friend_context.new_page()
    friend.goto(link)
    assert friend.get_by_role("heading", name="Your learning path", level=1).is_visible()
    assert friend.get_by_text("You are reading a shared path.").is_visible()
    assert step(friend, "web").get_by_text("Status: Done").is_visible()
    assert step(friend, "webfw").get_by_text("Status: To do").is_visible()
    for name in ("To do", "Doing", "Done", "Skipped", "Save note", "Rename", "Delete"):
        assert friend.get_by_role("button", name=name, exact=True).count() == 0
        assert friend.get_by_role("link", name=name, exact=True).count() == 0
    assert friend.get_by_text("Private thoughts").count() == 0
    assert axe_violations(friend) == []
    # The shared page holds no token; even a hand-made post with a valid one changes nothing.
    assert friend.locator("input[name=csrfmiddlewaretoken]").count() == 0
    friend.goto(live_server.url + f"/paths/{saved_path.token}/start-from/")
    token = friend.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = friend.request.post(
        live_server.url + f"/paths/{saved_path.token}/progress/web/",
        form={"status": "todo", "csrfmiddlewaretoken": token},
    )
    assert response.status == 403
    assert Progress.objects.get().status == "done"
    friend_context.close()
    owner_context.close()


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
    note_set(
        learner_id=saved_path.learner_id,
        technology_slug="web",
        text="A note\non two lines",
        expected_version=0,
    )
    Progress.objects.create(learner=saved_path.learner, technology_slug="web", status="doing")
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        sign_in_as_owner(context, live_server, saved_path)
        page = context.new_page()
        page.goto(live_server.url + saved_path.get_absolute_url())
        # A phone gets the roadmap as a list that wraps its names, a desktop the picture.
        picture = page.get_by_role("group", name="Roadmap of your learning path")
        assert picture.is_visible() == (width > 640)
        assert page.locator(".roadmap-list").is_visible() == (width <= 640)
        step(page, "scripting").get_by_text("Add a private note").click()  # an open editor too
        assert axe_violations(page) == [], (width, scheme)
        # The roadmap scrolls inside its frame; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()


def test_the_path_prints_without_navigation_or_controls(live_server, page, saved_path):
    note_set(
        learner_id=saved_path.learner_id, technology_slug="web", text="Mine", expected_version=0
    )
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in ("header.site-header", "footer.site-footer", ".path-aside", "form", "button"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.get_by_role("heading", name="Your learning path").is_visible()
    assert step(page, "webfw").get_by_text("Status: To do").is_visible()
    assert step(page, "web").locator(".note-text").is_visible()  # the owner's own print
    assert page.locator(".step-card").first.evaluate("e => getComputedStyle(e).breakInside") == (
        "avoid"
    )
    for paper in ("A4", "Letter"):
        assert page.pdf(format=paper).startswith(b"%PDF")


def test_the_exports(live_server, page, saved_path):
    page.goto(live_server.url + saved_path.get_absolute_url())
    href = page.get_by_role("link", name="Markdown", exact=True).get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.ok and response.text().startswith("# Your learning path")
    href = page.get_by_role("link", name="Calendar (.ics)", exact=True).get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.ok and response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.text().count("BEGIN:VEVENT") == 3
    assert response.text().count("RRULE:FREQ=WEEKLY;WKST=MO;BYDAY=TU,TH;COUNT=") == 3


def test_the_owner_s_markdown_download_has_their_note_a_reader_s_not(
    live_server, page, browser, saved_path
):
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    card = step(page, "webfw")
    card.locator("summary").click()
    card.get_by_role("textbox").fill("Read chapter 4 twice.")
    card.get_by_role("button", name="Save note").click()
    card.get_by_text("Note saved.").wait_for()
    href = page.get_by_role("link", name="Markdown", exact=True).get_attribute("href")
    mine = page.request.get(live_server.url + href).text()  # with the owner's cookies
    assert "  - Your note (private):\n    > Read chapter 4 twice.\n" in mine
    reader = browser.new_context()
    theirs = reader.request.get(live_server.url + f"/paths/{saved_path.token}.md").text()
    reader.close()
    assert theirs.startswith("# Your learning path") and "chapter 4" not in theirs


def test_a_changed_catalog_shows_the_difference_and_re_plans_in_place(
    live_server, page, saved_path, load_document
):
    document = make_document()
    document["technologies"][1]["effort_hours"] = 12
    load_document(document)
    Progress.objects.create(learner=saved_path.learner, technology_slug="web", status="done")
    sign_in_as_owner(page.context, live_server, saved_path)
    url = live_server.url + saved_path.get_absolute_url()
    page.goto(url)
    assert page.get_by_text("The catalog has changed since this path was saved").is_visible()
    assert page.get_by_text("Web Protocol: 10 → 12 hours").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Re-plan with the same answers").click()
    page.get_by_text("Your path now follows the current catalog.").wait_for()
    assert page.url == url  # the same path, the same link
    assert page.get_by_text("47 hours").first.is_visible()
    assert step(page, "web").get_by_text("Status: Done").is_visible()
    assert page.get_by_text("The catalog has changed").count() == 0
    assert LearningPath.objects.get().snapshot["total_hours"] == 47


def test_my_paths_rename_and_delete(live_server, page, page_problems, saved_path):
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="My paths").click()
    page.get_by_role("heading", name="My paths", level=1).wait_for()
    assert page.get_by_text("0 of 3 steps done").is_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], scheme
    page.get_by_role("link", name=f"Rename {saved_path.name}").click()
    assert axe_violations(page) == []
    page.get_by_label("Name").fill("Evenings <and> weekends")
    page.get_by_role("button", name="Save name").click()
    page.get_by_text("The path is now called “Evenings <and> weekends”.").wait_for()
    assert page.get_by_role("link", name="Evenings <and> weekends", exact=True).is_visible()
    page.get_by_role("link", name="Delete Evenings <and> weekends").click()
    page.get_by_role("heading", name="Delete “Evenings <and> weekends”?").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Keep it").click()
    page.get_by_role("link", name="Delete Evenings <and> weekends").click()
    page.get_by_role("button", name="Delete this path").click()
    page.get_by_text("“Evenings <and> weekends” is deleted.").wait_for()
    assert page.get_by_text("You have no saved paths yet.").is_visible()
    assert not LearningPath.objects.exists()
    assert page_problems() == []


def step_names(page) -> list[str]:
    return [name.strip() for name in page.locator("ol.path-steps > li h4").all_inner_texts()]


def test_owner_reshapes_the_path_with_javascript(live_server, page, page_problems, saved_path):
    Progress.objects.create(learner_id=saved_path.learner_id, technology_slug="web", status="done")
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    reshape = page.locator("#reshape")

    # A refusal swaps in beside its field, focused, without leaving the page.
    page.evaluate("window.__sameDocument = true")
    reshape.get_by_label("Hours per week").fill("0")
    reshape.get_by_role("button", name="Update hours").click()
    error = page.locator("#reshape-hours-error")
    expect(error).to_have_text("Hours per week must be a whole number from 1 to 80.")
    expect(error).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True

    page.locator("#reshape").get_by_label("Hours per week").fill("9")
    page.locator("#reshape").get_by_role("button", name="Update hours").click()
    page.get_by_text("Your path now runs at 9 hours a week: 5 weeks.").wait_for()
    assert "5 weeks at 9 hours a week" in page.locator("#path-status").inner_text()

    page.locator("#reshape").get_by_label("Technology").fill("Micro Framwork")
    page.locator("#reshape").get_by_role("button", name="Add to path").click()
    expect(page.locator("#reshape-technology-error")).to_contain_text(
        "Did you mean Micro Framework?"
    )
    page.locator("#reshape").get_by_label("Technology").fill("Micro Framework")
    page.locator("#reshape").get_by_role("button", name="Add to path").click()
    page.get_by_text("Micro Framework is now a goal of this path").wait_for()
    assert step_names(page) == ["Web Protocol", "Micro Framework", "Web Framework", "Scripting Kit"]
    assert step(page, "microfw").get_by_text("You asked for Micro Framework.").is_visible()
    assert step(page, "web").get_by_text("Status: Done").is_visible()  # progress kept
    assert axe_violations(page) == []
    assert page_problems() == []


def test_owner_reshapes_the_path_without_javascript(live_server, nojs_page, saved_path):
    page = nojs_page
    sign_in_as_owner(page.context, live_server, saved_path)
    page.goto(live_server.url + saved_path.get_absolute_url())
    page.locator("#reshape").get_by_label("Hours per week").fill("2")
    page.locator("#reshape").get_by_role("button", name="Update hours").click()
    page.wait_for_url("**#reshape")
    assert page.get_by_text("Your path now runs at 2 hours a week: 23 weeks.").is_visible()

    page.locator("#reshape").get_by_label("Technology").fill("cobol")
    page.locator("#reshape").get_by_role("button", name="Add to path").click()
    assert page.get_by_text("There is no technology “cobol” in the catalog.").is_visible()
    page.locator("#reshape").get_by_label("Technology").fill("microfw")
    page.locator("#reshape").get_by_role("button", name="Add to path").click()
    page.wait_for_url("**#step-microfw")
    assert step_names(page) == ["Web Protocol", "Micro Framework", "Web Framework", "Scripting Kit"]
    assert LearningPath.objects.get().goals == ["microfw"]

    # A reader of the link sees the result and never the controls.
    reader = page.context.browser.new_context(java_script_enabled=False).new_page()
    reader.goto(live_server.url + saved_path.get_absolute_url())
    assert step(reader, "microfw").get_by_text("You asked for Micro Framework.").is_visible()
    assert reader.get_by_role("button", name="Update hours").count() == 0
    assert reader.get_by_role("button", name="Add to path").count() == 0
    reader.context.close()
