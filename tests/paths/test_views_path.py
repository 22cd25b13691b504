"""A saved path: the page, the owner's progress buttons, read-only sharing, re-planning."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from catalog.generator import generate_document
from paths.models import LearningPath, Progress
from paths.services import learner_create, progress_set
from tests.factories import act_as, first_choice_answers, make_document, make_path

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


def test_owner_sees_the_path(client, owner):
    response = client.get(owner.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = body(response)
    assert "<h1>Your learning path</h1>" in html
    assert step_items(html) == ["web", "scripting", "webfw"]
    assert "Total effort" in html and "45 hours" in html
    assert "12 <span" in html  # weeks: 45 hours at 4 a week
    assert "Estimated finish" in html
    assert "Foundations" in html and "Core skills" in html
    assert "This is needed before Web Framework." in html
    assert "Sites need it." in html
    assert "Use webfw in a small program." in html  # checkpoints
    assert "Ready to move on when you can" in html
    assert 'or instead: <a href="/technologies/microfw/">Micro Framework</a>' in html
    assert 'href="/technologies/webfw/"' in html
    assert "Status: To do" in html
    assert "Already known" in html and "Basics" in html
    assert "Why this order" in html


def test_projects_stand_after_their_step(client, owner):
    html = body(client.get(owner.get_absolute_url()))
    webfw = html.index('id="step-webfw"')
    project = html.index("A tiny site")
    assert html.index("</article>", webfw) < project < html.index("</ol>", webfw)


def test_considered_not_recommended(client, small_catalog):
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers={"goal": ["site"], "size": ["small"]})
    html = body(client.get(path.get_absolute_url()))
    assert "Considered, not recommended" in html
    assert "Web Framework</a>: Too heavy." in html


def test_owner_gets_the_four_buttons_with_the_current_one_pressed(client, owner):
    progress_set(learner_id=owner.learner_id, technology_slug="web", status="doing")
    html = body(client.get(owner.get_absolute_url()))
    web = html[html.index('id="step-web"') : html.index('id="step-scripting"')]
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
    assert step_items(html) == ["web", "scripting", "webfw"]
    assert "Status: Done" in html and "Status: To do" in html
    assert "aria-pressed" not in html and "/progress/" not in html
    assert "You are reading a shared path." in html


def test_progress_post_saves_and_redirects_to_the_step(client, owner):
    response = client.post(progress_url(owner, "web"), {"status": "done"})
    assert response.status_code == 302
    assert response["Location"] == f"{owner.get_absolute_url()}#step-web"
    assert Progress.objects.get().status == "done"
    assert "Status: Done" in body(client.get(owner.get_absolute_url()))


def test_progress_post_with_htmx_swaps_the_step(client, owner):
    response = client.post(progress_url(owner, "webfw"), {"status": "skipped"}, **HTMX)
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    html = body(response)
    assert html.lstrip().startswith('<li id="step-webfw"')
    assert "<html" not in html
    assert "Status: Skipped" in html
    assert 'aria-pressed="true" data-focus-after-swap>Skipped</button>' in html
    assert "A tiny site" in html  # the project after the step is part of its item
    assert '<dd id="path-progress" hx-swap-oob="true">0 of 3 done</dd>' in html


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
    assert 'role="img"' in svg and 'aria-labelledby="roadmap-title roadmap-desc"' in svg
    assert '<title id="roadmap-title">' in svg and '<desc id="roadmap-desc">' in svg
    assert "Web Framework (after Web Protocol)" in svg
    assert svg.count('class="node"') == 3
    assert svg.count('class="edge"') == 1  # web → webfw
    assert "Foundations" in svg and "Core skills" in svg
    assert "style=" not in html


def test_an_empty_path(client, small_catalog):
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers={"goal": ["tools"]}, known=["basics", "scripting"])
    html = body(client.get(path.get_absolute_url()))
    assert "nothing new to learn" in html and "<svg" not in html
    assert "0 hours" in html


def test_the_page_says_when_the_catalog_changed_and_re_plans(client, owner, load_document):
    assert "The catalog has changed" not in body(client.get(owner.get_absolute_url()))
    document = make_document()
    document["technologies"][1]["effort_hours"] = 20
    load_document(document)
    html = body(client.get(owner.get_absolute_url()))
    assert "The catalog has changed since this path was saved" in html
    assert "Re-plan with the same answers" in html

    response = client.post(f"/paths/{owner.token}/replan/")
    new_path = LearningPath.objects.exclude(pk=owner.pk).get()
    assert response["Location"] == new_path.get_absolute_url()
    assert new_path.answers == owner.answers and new_path.hours_per_week == 4
    assert new_path.snapshot["total_hours"] == owner.snapshot["total_hours"] + 10
    assert "The catalog has changed" not in body(client.get(new_path.get_absolute_url()))
    assert LearningPath.objects.get(pk=owner.pk).snapshot == owner.snapshot  # unchanged


def test_re_planning_asks_what_the_questionnaire_added(client, owner, load_document):
    document = make_document()
    extra = dict(document["questions"][1], slug="pace", prompt="How fast?", show_if=None)
    document["questions"].append(extra)
    load_document(document)
    response = client.post(f"/paths/{owner.token}/replan/", follow=True)
    assert response.redirect_chain == [("/advisor/q/pace/", 302)]
    assert "please answer what is new" in body(response)
    assert LearningPath.objects.count() == 1


def test_re_planning_someone_elses_path_makes_your_own(owner, load_document):
    load_document(make_document(projects=[]))
    stranger = Client()
    response = stranger.post(f"/paths/{owner.token}/replan/")
    new_path = LearningPath.objects.exclude(pk=owner.pk).get()
    assert response["Location"] == new_path.get_absolute_url()
    assert new_path.learner_id != owner.learner_id
    assert str(new_path.learner_id) == stranger.session["learner_id"]


def test_markdown_view(client, owner):
    progress_set(learner_id=owner.learner_id, technology_slug="web", status="done")
    response = Client().get(f"/paths/{owner.token}.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = body(response)
    assert text.startswith("# Your learning path\n")
    assert "- [x] **1. Web Protocol**" in text
    assert "- [ ] **3. Web Framework**" in text
    assert f"http://testserver/paths/{owner.token}/" in text


# Query budgets ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["small", 1000])
def test_query_budget(client, load_document, django_assert_max_num_queries, size):
    document = make_document() if size == "small" else generate_document(size)
    load_document(document)
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers=first_choice_answers(document))
    steps = [step["technology"] for step in path.snapshot["steps"]]
    if size != "small":
        assert len(steps) > 60  # big enough to show the diagram's limit
    for slug in steps[:3]:
        progress_set(learner_id=learner.pk, technology_slug=slug, status="done")
    with django_assert_max_num_queries(4):
        assert client.get(path.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(4):
        assert Client().get(path.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"/paths/{path.token}.md").status_code == 200
    # Path, session, the upsert (a locked select and a write) and the statuses; the rest
    # are the savepoints of the nested atomic blocks.
    with django_assert_max_num_queries(11):
        response = client.post(progress_url(path, steps[-1]), {"status": "doing"}, **HTMX)
        assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.post(progress_url(path, steps[-1]), {"status": "done"}).status_code == 302
