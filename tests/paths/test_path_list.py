"""My paths (/paths/): the learner's saved paths with their progress; renaming and deleting a
path (with a confirmation page, so both work without JavaScript)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from catalog.generator import generate_document
from paths.models import Learner, LearningPath, Note, Progress
from paths.services import learner_create, note_set, path_create, path_rename, progress_set
from tests.factories import act_as, first_choice_answers, make_document, make_path

SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def owner(client, small_catalog):
    learner = learner_create()
    act_as(client, learner)
    return make_path(learner=learner, answers=SITE_LARGE, hours_per_week=4)


def listed_names(html: str) -> list[str]:
    return re.findall(r'<h2 class="path-card-name"[^>]*><a href="[^"]+">([^<]+)</a>', html)


# The list -------------------------------------------------------------------------------------


def test_a_new_visitor_has_no_paths_and_nothing_is_written(client, small_catalog):
    response = client.get("/paths/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = body(response)
    assert "<h1>My paths</h1>" in html
    assert "You have no saved paths yet." in html and 'href="/advisor/"' in html
    assert '<a href="/paths/" aria-current="page">My paths</a>' in html
    assert not Learner.objects.exists()


def test_the_list_shows_the_learners_paths_newest_first_with_progress(client, owner):
    newer = make_path(learner=owner.learner, answers={"goal": ["tools"]})
    make_path(answers={"goal": ["tools"]})  # someone else's
    path_rename(path=owner, name="Web first")
    progress_set(learner_id=owner.learner_id, technology_slug="web", status="done")
    html = body(client.get("/paths/"))
    assert listed_names(html) == [newer.name, "Web first"]
    assert "<strong>1 of 3 steps done</strong> · 35 hours left" in html
    assert '<progress class="progress" max="3" value="1"' in html
    assert f'href="/paths/{owner.token}/rename/?from=list"' in html
    assert f'href="/paths/{owner.token}/delete/?from=list"' in html
    assert "Catalog updated since" not in html
    assert "Sign up" in html  # a guest is offered an account


def test_the_list_tells_paths_apart_by_goals_and_answers(client, owner):
    make_path(learner=owner.learner, answers={"goal": ["tools"]})
    path_create(
        learner=owner.learner,
        answers={"goal": ["tools"]},
        known=[],
        hours_per_week=5,
        goals=["microfw"],
    )
    html = body(client.get("/paths/"))
    cards = html.split('<li class="path-card">')[1:]
    assert "Leads to <strong>Micro Framework</strong>, <strong>Scripting Kit</strong>" in cards[0]
    assert "(asked for: Micro Framework)" in cards[0]
    assert "Leads to <strong>Scripting Kit</strong></p>" in cards[1]
    assert "Leads to <strong>Web Framework</strong>, <strong>Scripting Kit</strong>" in cards[2]
    assert "Your answers: A website, Little tools; Large" in cards[2]
    assert "Your answers: Little tools</p>" in cards[0]


def test_the_list_says_when_the_catalog_changed(client, owner, load_document):
    document = make_document()
    document["technologies"][0]["effort_hours"] = 41
    load_document(document)
    assert "Catalog updated since" in body(client.get("/paths/"))


def test_path_names_are_escaped(client, owner):
    path_rename(path=owner, name="<img src=x onerror=alert(1)>")
    html = body(client.get("/paths/"))
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# Rename ---------------------------------------------------------------------------------------


def test_rename_without_javascript(client, owner):
    page = client.get(f"/paths/{owner.token}/rename/")
    assert page.status_code == 200
    assert f'value="{owner.name}"' in body(page)
    response = client.post(f"/paths/{owner.token}/rename/", {"name": "  My   web\tpath \n"})
    assert response.status_code == 302 and response["Location"] == owner.get_absolute_url()
    assert LearningPath.objects.get().name == "My web path"
    html = body(client.get(owner.get_absolute_url()))
    assert "The path is now called “My web path”." in html
    assert '<p class="lead">For: My web path</p>' in html


def test_rename_from_the_list_returns_there(client, owner):
    assert 'name="from" value="list"' in body(client.get(f"/paths/{owner.token}/rename/?from=list"))
    response = client.post(f"/paths/{owner.token}/rename/", {"name": "X", "from": "list"})
    assert response["Location"] == "/paths/"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "Give the path a name."),
        ("   ", "Give the path a name."),
        ("x" * 201, "200 characters"),
    ],
)
def test_rename_refuses_a_bad_name(client, owner, name, error):
    response = client.post(f"/paths/{owner.token}/rename/", {"name": name})
    assert response.status_code == 200
    assert error in body(response) and 'aria-invalid="true"' in body(response)
    assert LearningPath.objects.get().name == owner.name


# Delete ---------------------------------------------------------------------------------------


def test_delete_asks_first_then_deletes_and_keeps_progress_and_notes(client, owner):
    progress_set(learner_id=owner.learner_id, technology_slug="web", status="done")
    note_set(learner_id=owner.learner_id, technology_slug="web", text="n", expected_version=0)
    page = client.get(f"/paths/{owner.token}/delete/")
    assert page.status_code == 200
    html = body(page)
    assert f"<h1>Delete “{owner.name}”?</h1>" in html
    assert f'action="/paths/{owner.token}/delete/"' in html
    assert ">Delete this path</button>" in html and ">Keep it</a>" in html
    assert LearningPath.objects.exists()  # asking deletes nothing

    response = client.post(f"/paths/{owner.token}/delete/")
    assert response.status_code == 302 and response["Location"] == "/paths/"
    assert not LearningPath.objects.exists()
    assert Progress.objects.statuses(owner.learner_id) == {"web": "done"}
    assert Note.objects.filter(learner=owner.learner).exists()
    assert f"“{owner.name}” is deleted." in body(client.get("/paths/"))
    assert client.get(owner.get_absolute_url()).status_code == 404
    assert client.get(f"/paths/{owner.token}.md").status_code == 404


# Only the owner --------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["rename", "delete"])
def test_others_cannot_rename_or_delete(owner, action):
    stranger = Client()
    act_as(stranger, learner_create())
    for client in (stranger, Client()):
        assert client.get(f"/paths/{owner.token}/{action}/").status_code == 403
        assert client.post(f"/paths/{owner.token}/{action}/", {"name": "Theirs"}).status_code == 403
    path = LearningPath.objects.get()
    assert path.name == owner.name


@pytest.mark.parametrize("action", ["rename", "delete"])
def test_rename_and_delete_need_a_csrf_token(owner, action):
    strict = Client(enforce_csrf_checks=True)
    act_as(strict, owner.learner)
    assert strict.post(f"/paths/{owner.token}/{action}/", {"name": "X"}).status_code == 403
    assert LearningPath.objects.get().name == owner.name


# Query budget ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["small", 1000])
def test_query_budget(client, load_document, django_assert_max_num_queries, size):
    document = make_document() if size == "small" else generate_document(size)
    load_document(document)
    learner = learner_create()
    act_as(client, learner)
    for hours in (3, 5, 8):
        make_path(learner=learner, answers=first_choice_answers(document), hours_per_week=hours)
    # Session, learner, paths, statuses, catalog version: whatever the number of paths.
    with django_assert_max_num_queries(5):
        html = body(client.get("/paths/"))
    assert len(listed_names(html)) == 3
    with django_assert_max_num_queries(4):
        assert client.get(f"/paths/{LearningPath.objects.first().token}/rename/").status_code == 200


@pytest.mark.parametrize("size", ["small", 1000])
def test_query_budget_when_logged_in(
    client, load_document, django_assert_max_num_queries, django_user_model, size
):
    document = make_document() if size == "small" else generate_document(size)
    load_document(document)
    django_user_model.objects.create_user("ada", password="a-long-password-42")
    client.post("/accounts/login/", {"username": "ada", "password": "a-long-password-42"})
    learner = django_user_model.objects.get().learner
    for hours in (3, 5):
        make_path(learner=learner, answers=first_choice_answers(document), hours_per_week=hours)
    # One more than a guest: the user.
    with django_assert_max_num_queries(6):
        html = body(client.get("/paths/"))
    assert len(listed_names(html)) == 2 and "Logged in as ada" in html
