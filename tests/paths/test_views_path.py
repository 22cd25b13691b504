"""A saved path: the page, the owner's progress buttons and progress bar, read-only sharing,
the exports' links, and query budgets. Re-planning, notes, My paths and ownership have files of
their own."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from catalog.generator import generate_document
from paths.models import LearningPath, Progress
from paths.schedule import step_days
from paths.services import (
    checkpoints_set,
    learner_create,
    note_set,
    path_create,
    path_rename,
    progress_set,
)
from tests.factories import (
    CHAIN_ANSWERS,
    act_as,
    first_choice_answers,
    make_chain_document,
    make_document,
    make_path,
    shipped_catalog_size,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
# goal=site, size=large: basics is known, so the path is web → webfw, and project "site"
# (which uses webfw) stands right after webfw.
SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}


@pytest.fixture
def owner(client, small_catalog):
    """The test client as the learner who made a path; returns the path."""
    learner = learner_create()
    act_as(client, learner)
    return make_path(learner=learner, answers=SITE_LARGE, hours_per_week=4)


def body(response) -> str:
    return response.content.decode()


def step_items(html: str) -> list[str]:
    """The <li> of the steps' <ol>s, in page order."""
    lists = re.findall(r'<ol class="path-steps"[^>]*>(.*?)</ol>', html, re.S)
    return re.findall(r'<li id="step-([a-z0-9-]+)"', "".join(lists))


def progress_url(path: LearningPath, slug: str) -> str:
    return f"/paths/{path.token}/progress/{slug}/"


def never_cache_headers(response) -> tuple[set[str], bool]:
    return {part.strip() for part in response["Cache-Control"].split(",")}, "Expires" in response


def test_no_browser_or_proxy_keeps_a_path_page(client, owner):
    """Every answer of the path page carries Django's never_cache headers with the page
    cache's validators: the owner's and a reader's, stored or rendered, a 304, and a page
    with a message pending."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    expected = ({"private", "no-cache", "max-age=0", "no-store", "must-revalidate"}, True)
    url = owner.get_absolute_url()
    reader = Client()
    for visitor in (client, reader):
        first, stored = visitor.get(url), visitor.get(url)
        again = visitor.get(url, headers={"If-None-Match": stored["ETag"]})
        assert (first.status_code, stored.status_code, again.status_code) == (200, 200, 304)
        for response in (first, stored, again):
            assert never_cache_headers(response) == expected
            assert response["ETag"] == stored["ETag"]
    storage = CookieStorage(client.get(url).wsgi_request)
    client.cookies[CookieStorage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Saved.")]
    )
    with_message = client.get(url)
    assert "Saved." in body(with_message)
    assert never_cache_headers(with_message) == expected


def answered_by_the_view(response) -> bool:
    """Whether the request went through the visitor layers and the view, not answered again
    from the page's copy before sessions run (advisor.middleware.StoredPageMiddleware)."""
    return hasattr(response.wsgi_request, "session")


def test_a_path_page_asked_again_is_answered_before_the_visitor_layers(
    client, owner, django_assert_num_queries
):
    """Once the view has answered a request with the stored page and set no cookie, the same
    request gets the same answer again, bytes and headers, in the page's one query: the
    owner's (with their session and CSRF cookies) and a reader's."""
    url = owner.get_absolute_url()
    reader = Client()
    # The owner's first answer issues their CSRF cookie, so the view answers them twice.
    for visitor, by_the_view in ((client, [True, True, False]), (reader, [True, False, False])):
        answers = [visitor.get(url), visitor.get(url)]
        with django_assert_num_queries(1):
            answers.append(visitor.get(url))
        assert [answered_by_the_view(answer) for answer in answers] == by_the_view
        stored, again = answers[1:]
        assert again.content == stored.content
        assert sorted(again.headers.items()) == sorted(stored.headers.items())
    assert 'aria-pressed="true"' in body(client.get(url))
    assert 'aria-pressed="true"' not in body(reader.get(url))


@pytest.mark.parametrize("change", ["status", "note", "name"])
def test_a_change_shows_at_once_on_a_page_asked_again(client, owner, change):
    url = owner.get_absolute_url()
    reader = Client()
    for _ in range(3):
        client.get(url), reader.get(url)
    slug = owner.snapshot["steps"][0]["technology"]
    if change == "status":
        assert client.post(progress_url(owner, slug), {"status": "done"}).status_code == 302
    elif change == "note":
        note_set(
            learner_id=owner.learner_id, technology_slug=slug, text="Mine.", expected_version=0
        )
    else:
        path_rename(path=owner, name="A path renamed")
    mine, theirs = client.get(url), reader.get(url)
    assert answered_by_the_view(mine) and answered_by_the_view(theirs)
    shown = {
        "status": (r'value="done"[^>]*aria-pressed="true"', "Status: Done"),
        "note": ("Mine.", None),
        "name": ("A path renamed", "A path renamed"),
    }[change]
    assert re.search(shown[0], body(mine))
    if shown[1] is None:
        assert "Mine." not in body(theirs)  # notes are the owner's alone
    else:
        assert shown[1] in body(theirs)


def test_a_session_that_ended_is_never_answered_as_the_owner(client, owner):
    from django.contrib.sessions.models import Session

    url = owner.get_absolute_url()
    for _ in range(3):
        client.get(url)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    page = client.get(url)
    assert answered_by_the_view(page)
    assert page.status_code == 200 and "aria-pressed" not in body(page)  # a reader's page


def test_the_owner_s_page_is_answered_again_only_for_the_same_cookies_and_host(client, owner):
    from django.conf import settings

    url = owner.get_absolute_url()
    for _ in range(3):
        client.get(url)
    # The same session in another browser, without this one's CSRF cookie: the view answers,
    # with a token of its own.
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = other.get(url)
    assert answered_by_the_view(page) and settings.CSRF_COOKIE_NAME in page.cookies
    assert 'aria-pressed="true"' in body(page)
    # Another host the site answers to: its own page, with its own share link.
    elsewhere = client.get(url, HTTP_HOST="localhost")
    assert answered_by_the_view(elsewhere)
    assert f'value="http://localhost{url}"' in body(elsewhere)


def test_a_page_asked_again_on_another_day_counts_from_that_day(client, owner):
    """The estimated finish counts from today, so a page stored yesterday is not answered
    again today. The day is moved without touching the clock: it is the date in the current
    time zone, and Kiritimati (UTC+14) and Pago Pago (UTC-11) never share a date."""
    url = owner.get_absolute_url()

    def finish_shown() -> tuple[date, date]:
        for _ in range(3):
            page = client.get(url)
        found = re.search(r'Estimated finish</dt><dd><time datetime="([0-9-]+)"', body(page))
        return timezone.localdate(), date.fromisoformat(found[1])

    with timezone.override(zoneinfo.ZoneInfo("Pacific/Kiritimati")):
        earlier_today, earlier_finish = finish_shown()
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Pago_Pago")):
        page = client.get(url)
        assert answered_by_the_view(page)
        today, finish = finish_shown()
    assert today != earlier_today
    assert earlier_finish - finish == earlier_today - today


def test_owner_sees_the_path(client, owner):
    response = client.get(owner.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = body(response)
    assert "<h1>Your learning path</h1>" in html
    # Goals by score: webfw (3) with web before it (basics is known), then scripting (2).
    assert step_items(html) == ["web", "webfw", "scripting"]
    assert "Total effort" in html and "45 hours" in html
    assert "12 weeks at 4 hours a week" in html
    assert "Left to learn</dt><dd>45 hours" in html
    assert "Estimated finish" in html
    assert "<strong>0 of 3 steps done</strong>" in html
    assert '<progress class="progress" max="3" value="0"' in html
    assert "Milestone 1: Web Framework" in html and "Milestone 2: Scripting Kit" in html
    assert "This is needed before Web Framework." in html
    assert "Sites need it." in html
    assert "Use webfw in a small program." in html  # checkpoints
    assert "Ready to move on when you can" in html
    assert 'or instead: <a href="/technologies/microfw/">Micro Framework</a>' in html
    assert 'href="/technologies/webfw/"' in html
    assert "Status: To do" in html
    assert "Already known" in html and "Basics" in html
    assert "Why this order" in html


def test_the_path_says_what_it_is_for_to_owner_and_reader(client, owner):
    assert owner.name == "Web Framework · Scripting Kit"  # its goals, in path order
    for html in (
        body(client.get(owner.get_absolute_url())),
        body(Client().get(owner.get_absolute_url())),
    ):
        answers = html[
            html.index('id="answers-heading"') : html.index(
                "</section>", html.index('id="answers-heading"')
            )
        ]
        assert "<dt>What do you want to make?</dt><dd>A website, Little tools</dd>" in answers
        assert "<dt>How big is the site?</dt><dd>Large</dd>" in answers
        assert "Goals asked for" not in answers  # none were asked for by name
        assert "It leads to Web Framework, Scripting Kit, in that order." in answers
        assert '<p class="lead">For: Web Framework · Scripting Kit</p>' in html


def test_goals_asked_for_show_in_your_answers_and_on_their_step(client, small_catalog):
    learner = learner_create()
    act_as(client, learner)
    path = path_create(
        learner=learner, answers=SITE_LARGE, known=[], hours_per_week=5, goals=["scripting"]
    )
    html = body(Client().get(path.get_absolute_url()))
    assert (
        '<dt>Goals asked for</dt><dd><a href="/technologies/scripting/">Scripting Kit</a>' in html
    )
    assert step_items(html)[0] == "scripting"
    assert "<li>You asked for Scripting Kit.</li>" in html
    assert "Milestone 1: Scripting Kit" in html and "the goal you asked for" in html
    assert path.name == "Scripting Kit · Web Framework"


def test_you_are_here_follows_progress(client, owner):
    html = body(client.get(owner.get_absolute_url()))
    assert 'You are here: <a href="#step-web">Web Protocol</a>' in html
    assert "on the way to Web Framework" in html
    response = client.post(progress_url(owner, "web"), {"status": "done"}, **HTMX)
    assert 'You are here: <a href="#step-webfw">Web Framework</a>' in body(response)
    client.post(progress_url(owner, "webfw"), {"status": "skipped"})
    html = body(client.get(owner.get_absolute_url()))
    assert 'You are here: <a href="#step-scripting">Scripting Kit</a>' in html


def test_a_snapshot_saved_before_it_recorded_answers_still_shows_them(client, owner):
    snapshot = dict(owner.snapshot)
    del snapshot["answers"]
    LearningPath.objects.filter(pk=owner.pk).update(snapshot=snapshot)
    html = body(Client().get(owner.get_absolute_url()))
    assert "<dt>How big is the site?</dt><dd>Large</dd>" in html


def test_projects_stand_after_their_step(client, owner):
    html = body(client.get(owner.get_absolute_url()))
    webfw = html.index('id="step-webfw"')
    project = html.index("A tiny site")
    assert html.index("</article>", webfw) < project < html.index("</ol>", webfw)


def test_a_project_stands_right_after_its_last_technology_not_at_the_end(client, load_document):
    load_document(make_chain_document())
    learner = learner_create()
    act_as(client, learner)
    html = body(client.get(make_path(learner=learner, answers=CHAIN_ANSWERS).get_absolute_url()))
    assert step_items(html) == ["one", "two", "three", "four"]
    early = html.index("Practice project: Early project")
    assert html.index("</article>", html.index('id="step-two"')) < early
    assert early < html.index('id="step-three"')
    late = html.index("Practice project: Late project")
    assert html.index("</article>", html.index('id="step-four"')) < late


def test_considered_not_recommended(client, small_catalog):
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers={"goal": ["site"], "size": ["small"]})
    html = body(client.get(path.get_absolute_url()))
    assert "Considered, not recommended" in html
    assert "Web Framework</a>: Too heavy." in html


def page_and_todays(client, url: str) -> tuple[str, set]:
    """The page, and the days the server may have taken as today while making it (two when
    the request runs across midnight)."""
    before = timezone.localdate()
    html = body(client.get(url))
    return html, {before, timezone.localdate()}


def shows_finish(html: str, days: int, todays: set) -> bool:
    """Whether the page writes the last day of `days` days of study from today."""
    return any(
        f'<time datetime="{today + timedelta(days=days - 1):%Y-%m-%d}">' in html for today in todays
    )


def test_the_progress_bar_and_the_finish_date_move_with_progress(client, owner):
    # 10, 30 and 5 hours at 4 hours a week, one step after another from today.
    days = {slug: step_days(hours, 4) for slug, hours in (("web", 10), ("scripting", 5))}
    days["webfw"] = step_days(30, 4)
    html, todays = page_and_todays(client, owner.get_absolute_url())
    assert shows_finish(html, sum(days.values()), todays)
    client.post(progress_url(owner, "web"), {"status": "done"})
    client.post(progress_url(owner, "scripting"), {"status": "doing"})
    client.post(progress_url(owner, "webfw"), {"status": "skipped"})
    html, todays = page_and_todays(client, owner.get_absolute_url())
    assert "<strong>1 of 2 steps done</strong> · 1 in progress · 1 skipped" in html
    assert '<progress class="progress" max="2" value="1"' in html
    assert "Left to learn</dt><dd>5 hours" in html
    assert shows_finish(html, days["scripting"], todays)
    client.post(progress_url(owner, "scripting"), {"status": "done"})
    html = body(client.get(owner.get_absolute_url()))
    assert "Finished <span" in html and "<time" not in html.split("Estimated finish")[1][:200]
    assert "<strong>2 of 2 steps done</strong>" in html


def test_owner_gets_the_four_buttons_with_the_current_one_pressed(client, owner):
    progress_set(learner_id=owner.learner_id, technology_slug="web", status="doing")
    html = body(client.get(owner.get_absolute_url()))
    web = html[html.index('id="step-web"') : html.index('id="step-webfw"')]
    buttons = re.findall(r'aria-pressed="(true|false)"[^>]*>([^<]+)</button>', web)
    assert buttons == [
        ("false", "To do"),
        ("true", "Doing"),
        ("false", "Done"),
        ("false", "Skipped"),
    ]
    assert "Status: Doing" in web
    assert f'action="{progress_url(owner, "web")}"' in web


def test_anyone_else_reads_the_owners_progress_without_buttons(owner):
    progress_set(learner_id=owner.learner_id, technology_slug="web", status="done")
    stranger = Client()
    html = body(stranger.get(owner.get_absolute_url()))
    assert step_items(html) == ["web", "webfw", "scripting"]
    assert "Status: Done" in html and "Status: To do" in html
    assert "aria-pressed" not in html and "/progress/" not in html
    assert "You are reading a shared path." in html
    for control in ("/notes/", "/rename/", "/delete/", "/replan/", "Add a private note"):
        assert control not in html
    assert "Plan my own from these answers" in html


def test_progress_post_saves_and_redirects_to_the_step(client, owner):
    response = client.post(progress_url(owner, "web"), {"status": "done"})
    assert response.status_code == 302
    assert response["Location"] == f"{owner.get_absolute_url()}#step-web"
    assert Progress.objects.get().status == "done"
    assert "Status: Done" in body(client.get(owner.get_absolute_url()))


def test_progress_post_with_htmx_swaps_the_buttons_the_status_and_the_totals(client, owner):
    response = client.post(progress_url(owner, "webfw"), {"status": "skipped"}, **HTMX)
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    html = body(response)
    # The step's form (its target), then its status in words and the totals out of band; the
    # rest of the step, its note with any text being typed included, is left alone.
    assert html.lstrip().startswith('<form id="step-webfw-status"')
    assert "<html" not in html and "step-webfw-note" not in html
    assert 'aria-pressed="true" data-focus-after-swap>Skipped</button>' in html
    assert (
        '<span id="step-webfw-badge" class="status status-skipped" hx-swap-oob="true">'
        "Status: Skipped</span>"
    ) in html
    assert '<div id="path-status" class="path-status" hx-swap-oob="true">' in html
    assert "<strong>0 of 2 steps done</strong> · 1 skipped" in html
    assert "Left to learn</dt><dd>15 hours" in html


def test_two_tabs_marking_steps_lose_nothing(client, owner):
    """Each button posts one step's status, so tabs opened on the same page never overwrite
    each other's other steps; the totals each answer carries are read after the write."""
    second_tab = Client()
    act_as(second_tab, owner.learner)
    first_page = body(client.get(owner.get_absolute_url()))
    second_page = body(second_tab.get(owner.get_absolute_url()))
    assert first_page.count("Status: To do") == second_page.count("Status: To do") == 3
    client.post(progress_url(owner, "web"), {"status": "done"}, **HTMX)
    response = second_tab.post(progress_url(owner, "webfw"), {"status": "doing"}, **HTMX)
    assert "<strong>1 of 3 steps done</strong> · 1 in progress" in body(response)
    assert Progress.objects.statuses(owner.learner_id) == {"web": "done", "webfw": "doing"}


def test_updating_a_status_changes_the_row(client, owner):
    for status in ("doing", "done", "todo"):
        client.post(progress_url(owner, "web"), {"status": status})
    assert list(Progress.objects.values_list("technology_slug", "status")) == [("web", "todo")]


def test_progress_belongs_to_the_learner_and_the_technology(client, owner):
    other_path = make_path(learner=owner.learner, answers={"goal": ["site"], "size": ["small"]})
    client.post(progress_url(owner, "web"), {"status": "done"})
    html = body(client.get(other_path.get_absolute_url()))
    web = html[html.index('id="step-web"') :]
    assert "Status: Done" in web[: web.index("</li>")]


def test_done_technologies_are_pre_ticked_in_the_next_questionnaire(client, owner):
    client.post(progress_url(owner, "web"), {"status": "done"})
    client.post("/advisor/", {"answer": ["site"]})
    client.post("/advisor/q/size/", {"answer": "small"})
    html = body(client.get("/advisor/known/"))
    assert re.search(r'value="web" checked', html)
    assert not re.search(r'value="microfw" checked', html)


@pytest.mark.parametrize("htmx", [False, True])
def test_others_cannot_change_progress(owner, htmx):
    stranger = Client()
    act_as(stranger, learner_create())
    for client in (stranger, Client()):
        response = client.post(
            progress_url(owner, "web"), {"status": "done"}, **(HTMX if htmx else {})
        )
        assert response.status_code == 403
    assert not Progress.objects.exists()


def test_the_page_names_the_path_and_previews_well_when_shared(client, owner):
    path_rename(path=owner, name='Mine & "yours" <b>bold</b>')
    html = body(Client().get(owner.get_absolute_url()))
    escaped = "Mine &amp; &quot;yours&quot; &lt;b&gt;bold&lt;/b&gt;"
    assert f"<title>{escaped} · Your learning path · Backend Path</title>" in html
    assert f'<p class="lead">For: {escaped}</p>' in html
    og_title = f"{escaped} · A learning path on Backend Path"
    assert f'<meta property="og:title" content="{og_title}">' in html
    assert (
        '<meta property="og:description" content="3 steps, 45 hours: Web Protocol, Web '
        "Framework, Scripting Kit. An ordered study plan"
    ) in html
    assert f'<meta property="og:url" content="http://testserver/paths/{owner.token}/">' in html
    assert "<b>bold</b>" not in html


def test_sharing_has_a_copy_button_and_a_read_only_link_without_javascript(client, owner):
    html = body(Client().get(owner.get_absolute_url()))
    assert (
        f'<input id="share-link" type="text" readonly value="http://testserver/paths/{owner.token}/">'
    ) in html
    # Hidden until site.js shows it: without JavaScript it could not copy anything.
    assert re.search(r'<button type="button"[^>]*data-copy-target="share-link"[^>]*hidden>', html)
    assert f'href="/paths/{owner.token}.md"' in html
    assert f'href="/paths/{owner.token}.ics"' in html


def test_the_owner_is_offered_an_account_until_they_have_one(client, owner, django_user_model):
    html = body(client.get(owner.get_absolute_url()))
    next_url = f"/paths/{owner.token}/"
    assert f'href="/accounts/signup/?next={next_url}"' in html
    assert f'href="/accounts/login/?next={next_url}"' in html
    user = django_user_model.objects.create_user("ada", password="a-long-password-42")
    client.post("/accounts/login/", {"username": "ada", "password": "a-long-password-42"})
    assert LearningPath.objects.get(pk=owner.pk).learner.user == user
    html = body(client.get(owner.get_absolute_url()))
    assert "/accounts/signup/" not in html and "Rename" in html


def test_notes_are_never_shown_to_readers(client, owner):
    note_set(
        learner_id=owner.learner_id, technology_slug="web", text="my secret", expected_version=0
    )
    assert "my secret" in body(client.get(owner.get_absolute_url()))
    assert "my secret" not in body(Client().get(owner.get_absolute_url()))
    assert "my secret" not in body(Client().get(f"/paths/{owner.token}.md"))
    assert "my secret" not in body(Client().get(f"/paths/{owner.token}.ics"))
    assert "my secret" in body(client.get(f"/paths/{owner.token}.md"))  # the owner's own copy
    assert "my secret" not in body(client.get(f"/paths/{owner.token}.ics"))


def test_progress_needs_a_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    act_as(client, owner.learner)
    assert client.post(progress_url(owner, "web"), {"status": "done"}).status_code == 403
    assert not Progress.objects.exists()


@pytest.mark.parametrize(
    ("slug", "data", "status"),
    [
        ("web", {"status": "finished"}, 400),
        ("web", {}, 400),
        ("web", {"status": "x" * 10000}, 400),
        ("microfw", {"status": "done"}, 404),  # in the catalog, not on this path
        ("nope", {"status": "done"}, 404),
    ],
)
def test_bad_progress_posts(client, owner, slug, data, status):
    assert client.post(progress_url(owner, slug), data).status_code == status
    assert not Progress.objects.exists()


def test_progress_only_by_post(client, owner):
    assert client.get(progress_url(owner, "web")).status_code == 405


@pytest.mark.parametrize("token", ["x" * 32, "short", "has.dot" * 5])
def test_unknown_tokens_are_404(client, small_catalog, token):
    assert client.get(f"/paths/{token}/").status_code == 404
    assert client.get(f"/paths/{token}.md").status_code == 404


def test_the_diagram_is_accessible_svg_without_style_attributes(client, owner):
    html = body(client.get(owner.get_absolute_url()))
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="group"' in svg and 'aria-labelledby="roadmap-title"' in svg
    assert 'aria-describedby="roadmap-desc"' in svg
    assert '<title id="roadmap-title">' in svg and '<desc id="roadmap-desc">' in svg
    assert "Web Framework (after Web Protocol)" in svg
    assert svg.count('class="node node-todo') == 3
    assert svg.count('class="edge"') == 1  # web → webfw
    assert svg.count("node-goal") == 2  # webfw and scripting end their milestones
    assert "Milestone 1: Web Framework" in svg and "Milestone 2: Scripting Kit" in svg
    assert "style=" not in html


def test_an_empty_path(client, small_catalog):
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers={"goal": ["tools"]}, known=["basics", "scripting"])
    html = body(client.get(path.get_absolute_url()))
    assert "nothing new to learn" in html and "<svg" not in html
    assert "0 hours" in html


def test_markdown_view(client, owner):
    progress_set(learner_id=owner.learner_id, technology_slug="web", status="done")
    response = Client().get(f"/paths/{owner.token}.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = body(response)
    assert text.startswith("# Your learning path\n")
    assert "- [x] **1. Web Protocol**" in text
    assert "- [ ] **2. Web Framework**" in text
    assert "    - [Official tutorial](https://example.org/t) (tutorial)" in text
    assert "- Progress: 1 of 3 steps done, 35 hours left" in text
    assert f"http://testserver/paths/{owner.token}/" in text
    assert "no-store" in response["Cache-Control"]


def test_the_owner_s_markdown_holds_their_notes_and_a_reader_s_never(client, owner):
    note_set(
        learner_id=owner.learner_id,
        technology_slug="webfw",
        text="Finish *part 2*\n\nthen the <admin>.",
        expected_version=0,
    )
    mine = body(client.get(f"/paths/{owner.token}.md"))
    step = mine[mine.index("**2. Web Framework**") :]
    assert "  - Your note (private):\n    > Finish \\*part 2\\*\n    >\n" in step
    assert "    > then the \\<admin\\>.\n" in step
    assert "- [ ] Use webfw in a small program." in step  # a checkpoint, not ticked
    without_note = [
        line for line in mine.split("\n") if not line.startswith(("  - Your note", "    >"))
    ]
    theirs = body(Client().get(f"/paths/{owner.token}.md"))  # a reader: everything but the note
    assert theirs == "\n".join(without_note)


# Query budgets ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["small", 1000, "100x shipped"])
def test_query_budget(
    client, load_document, django_assert_max_num_queries, django_assert_num_queries, size
):
    if size == "small":
        document = make_document()
    else:
        document = generate_document(100 * shipped_catalog_size() if size != 1000 else 1000)
    load_document(document)
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers=first_choice_answers(document))
    steps = [step["technology"] for step in path.snapshot["steps"]]
    if size != "small":
        assert len(steps) > 60  # big enough to show the diagram's limit
    for slug in steps[:3]:
        progress_set(learner_id=learner.pk, technology_slug=slug, status="done")
        note_set(learner_id=learner.pk, technology_slug=slug, text="A note.", expected_version=0)
        checkpoints_set(
            learner_id=learner.pk,
            technology_slug=slug,
            checkpoints=["A checkpoint."],
            ticked=["A checkpoint."],
        )
    # One query names everything the page's stored copy depends on: the path's header, its
    # learner's marks revision, the catalog version and the visitor's session data. The first
    # visit also loads the path (its snapshot) and the marks to render the page; later ones
    # are served as stored.
    with django_assert_max_num_queries(3):
        assert client.get(path.get_absolute_url()).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(path.get_absolute_url()).status_code == 200
    # A reader: no session, no notes.
    with django_assert_max_num_queries(3):
        assert Client().get(path.get_absolute_url()).status_code == 200
    with django_assert_num_queries(1):
        assert Client().get(path.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"/paths/{path.token}.md").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"/paths/{path.token}.ics").status_code == 200
    # Session, path, the learner's marks revision, the upsert (a locked select and a write)
    # and the statuses; the rest are the savepoints of the nested atomic blocks.
    with django_assert_max_num_queries(12):
        response = client.post(progress_url(path, steps[-1]), {"status": "doing"}, **HTMX)
        assert response.status_code == 200
    with django_assert_max_num_queries(11):
        assert client.post(progress_url(path, steps[-1]), {"status": "done"}).status_code == 302


@pytest.mark.parametrize("size", ["small", 1000])
def test_query_budget_of_a_logged_in_owner(
    client,
    load_document,
    django_assert_max_num_queries,
    django_assert_num_queries,
    django_user_model,
    size,
):
    document = make_document() if size == "small" else generate_document(size)
    load_document(document)
    django_user_model.objects.create_user("ada", password="a-long-password-42")
    client.post("/accounts/login/", {"username": "ada", "password": "a-long-password-42"})
    learner = django_user_model.objects.get().learner
    path = make_path(learner=learner, answers=first_choice_answers(document))
    # One more than a guest: the user, whom the header needs anyway.
    with django_assert_max_num_queries(4):
        assert "Rename" in body(client.get(path.get_absolute_url()))
    with django_assert_num_queries(2):
        assert "Rename" in body(client.get(path.get_absolute_url()))


def roadmap_nodes(html: str) -> list[tuple[str, str, str]]:
    """(status class, link, accessible name) of each node of the roadmap picture."""
    svg = html[html.index("<svg") : html.index("</svg>")]
    return re.findall(r'<a class="node node-(\w+)[^"]*" href="([^"]+)" aria-label="([^"]+)"', svg)


def test_each_roadmap_node_links_to_its_step_with_its_status_in_words(client, owner):
    progress_set(learner_id=owner.learner_id, technology_slug="web", status="done")
    progress_set(learner_id=owner.learner_id, technology_slug="webfw", status="doing")
    html = body(Client().get(owner.get_absolute_url()))  # a reader sees the owner's
    assert roadmap_nodes(html) == [
        ("done", "#step-web", "1. Web Protocol: Done"),
        ("doing", "#step-webfw", "2. Web Framework (a goal): Doing"),
        ("todo", "#step-scripting", "3. Scripting Kit (a goal): To do"),
    ]
    for slug in ("web", "scripting", "webfw"):
        assert f'id="step-{slug}"' in html  # every anchor lands on its step
    narrow = re.search(r'<ol class="roadmap-list">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'<li class="status-(\w+)[^"]*"><a href="(#step-[a-z]+)">', narrow) == [
        ("done", "#step-web"),
        ("doing", "#step-webfw"),
        ("todo", "#step-scripting"),
    ]
    assert '<span class="roadmap-status">Done</span>' in narrow


def test_a_status_change_with_htmx_brings_the_roadmap_along(client, owner):
    response = client.post(progress_url(owner, "scripting"), {"status": "skipped"}, **HTMX)
    html = body(response)
    assert (
        '<figure id="roadmap" class="roadmap" aria-labelledby="roadmap-caption" hx-swap-oob="true">'
    ) in html
    assert ("skipped", "#step-scripting", "3. Scripting Kit (a goal): Skipped") in roadmap_nodes(
        html
    )


def where_you_are(html: str) -> str:
    start = html.index('<section id="path-now"')
    return html[start : html.index("</section>", start)]


def test_the_page_leads_with_where_the_learner_is(client, owner):
    html = body(client.get(owner.get_absolute_url()))
    assert html.index('id="path-now"') < html.index('id="roadmap"') < html.index("steps-heading")
    panel = where_you_are(html)
    assert '<a href="#step-web">1. Web Protocol</a> <span class="unit">· To do</span>' in panel
    assert '<a href="#step-webfw">2. Web Framework</a>' in panel
    assert "<dd>45 hours</dd>" in panel
    assert 'href="#share-heading">Share or export</a>' in panel
    assert (
        f'href="/paths/{owner.token}.md"' in panel and f'href="/paths/{owner.token}.ics"' in panel
    )

    progress_set(learner_id=owner.learner_id, technology_slug="web", status="done")
    progress_set(learner_id=owner.learner_id, technology_slug="scripting", status="doing")
    panel = where_you_are(body(Client().get(owner.get_absolute_url())))  # readers see it too
    assert (
        '<a href="#step-scripting">3. Scripting Kit</a> <span class="unit">· Doing</span>' in panel
    )
    assert '<a href="#step-webfw">2. Web Framework</a>' in panel  # still to do, before it
    assert "<dd>35 hours</dd>" in panel


def test_where_you_are_follows_a_status_change_with_htmx(client, owner):
    html = body(client.post(progress_url(owner, "web"), {"status": "done"}, **HTMX))
    panel = where_you_are(html)
    assert 'hx-swap-oob="true"' in panel
    assert '<a href="#step-webfw">2. Web Framework</a> <span class="unit">· To do</span>' in panel
    for slug in ("scripting", "webfw"):
        client.post(progress_url(owner, slug), {"status": "done"})
    panel = where_you_are(body(client.get(owner.get_absolute_url())))
    assert "Every step is done or skipped." in panel


def test_the_owner_s_markdown_ticks_their_checkpoints_and_a_reader_s_never(client, owner):
    checkpoint = "Use webfw in a small program."  # make_document()'s checkpoint of webfw
    checkpoints_set(
        learner_id=owner.learner_id,
        technology_slug="webfw",
        checkpoints=[checkpoint],
        ticked=[checkpoint],
    )
    mine = body(client.get(f"/paths/{owner.token}.md"))
    assert f"    - [x] {checkpoint}" in mine
    theirs = body(Client().get(f"/paths/{owner.token}.md"))
    assert f"    - [ ] {checkpoint}" in theirs and "[x] Use webfw" not in theirs
