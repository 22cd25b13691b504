"""Reshaping a saved path in place (DESIGN.md): "Hours per week" + "Update hours" and
"Technology" + "Add to path", for the owner only, with htmx and with plain posts; progress
and notes stay, readers see the result and never the controls, bad input is a message."""

from __future__ import annotations

import pytest
from django.test import Client

from paths.catalog_cache import get_catalog_bundle
from paths.models import LearningPath, Note, Progress
from paths.services import learner_create, note_set, path_rename, path_replan, progress_set
from tests.factories import act_as, make_document, make_path, make_technology

HTMX = {"HTTP_HX_REQUEST": "true"}
# Goals webfw (3) after web, then scripting (2); basics is known through "Large".
SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}


def body(response) -> str:
    return response.content.decode()


def slugs(path: LearningPath) -> list[str]:
    return [step["technology"] for step in path.snapshot["steps"]]


@pytest.fixture
def owner(client, small_catalog):
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers=SITE_LARGE, hours_per_week=4)
    progress_set(learner_id=learner.pk, technology_slug="web", status="done")
    note_set(learner_id=learner.pk, technology_slug="web", text="Read it", expected_version=0)
    return path


def hours_url(path: LearningPath) -> str:
    return f"/paths/{path.token}/hours/"


def goal_url(path: LearningPath) -> str:
    return f"/paths/{path.token}/goals/"


def kept_progress_and_notes(path: LearningPath) -> bool:
    return Progress.objects.statuses(path.learner_id) == {"web": "done"} and Note.objects.texts(
        path.learner_id
    ) == {"web": ("Read it", 1)}


# The controls ---------------------------------------------------------------------------------


def test_the_owner_has_both_controls_and_a_reader_has_neither(client, owner):
    html = body(client.get(owner.get_absolute_url()))
    assert '<label for="reshape-hours">Hours per week</label>' in html
    assert 'value="4"' in html[html.index('id="reshape-hours"') :][:300]
    assert ">Update hours</button>" in html
    assert '<label for="reshape-technology">Technology</label>' in html
    assert ">Add to path</button>" in html
    assert html.count('name="csrfmiddlewaretoken"', html.index('id="reshape"')) >= 2
    reader = body(Client().get(owner.get_absolute_url()))
    for control in ("Update hours", "Add to path", "/hours/", "/goals/", 'id="reshape"'):
        assert control not in reader


# Update hours ---------------------------------------------------------------------------------


def test_update_hours_changes_the_pace_in_place(client, owner):
    response = client.post(hours_url(owner), {"hours_per_week": "9"})
    assert response.status_code == 302
    assert response["Location"] == owner.get_absolute_url() + "#reshape"
    path = LearningPath.objects.get()
    assert (path.token, path.hours_per_week) == (owner.token, 9)
    # 45 hours: 12 weeks at 4 a week, 5 weeks at 9; the steps stay as they were.
    assert (path.snapshot["weeks"], path.snapshot["hours_per_week"]) == (5, 9)
    assert slugs(path) == slugs(owner) and path.catalog_version == owner.catalog_version
    assert kept_progress_and_notes(path)
    html = body(client.get(path.get_absolute_url()))
    assert "Your path now runs at 9 hours a week: 5 weeks." in html
    assert "5 weeks at 9 hours a week" in html
    reader = body(Client().get(path.get_absolute_url()))
    assert "5 weeks at 9 hours a week" in reader


def test_update_hours_with_htmx_reloads_the_page(client, owner):
    response = client.post(hours_url(owner), {"hours_per_week": "1"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == owner.get_absolute_url()
    assert LearningPath.objects.get().snapshot["weeks"] == 45


@pytest.mark.parametrize("hours", ["0", "81", "", "five", "4.5", "9" * 30])
def test_bad_hours_are_a_message_beside_the_field_and_change_nothing(client, owner, hours):
    response = client.post(hours_url(owner), {"hours_per_week": hours})
    assert response.status_code == 400
    html = body(response)
    assert "<h1>Your learning path</h1>" in html
    assert "Hours per week must be a whole number from 1 to 80." in html
    assert 'aria-describedby="reshape-hours-error"' in html
    swapped = client.post(hours_url(owner), {"hours_per_week": hours}, **HTMX)
    assert swapped.status_code == 200 and "<html" not in body(swapped)
    assert body(swapped).lstrip().startswith('<section id="reshape"')
    assert "Hours per week must be a whole number from 1 to 80." in body(swapped)
    path = LearningPath.objects.get()
    assert path.hours_per_week == 4 and path.snapshot == owner.snapshot


# Add to path ----------------------------------------------------------------------------------


def test_add_to_path_makes_a_goal_with_its_prerequisites_first(client, owner):
    response = client.post(goal_url(owner), {"technology": "  micro FRAMEWORK "})
    assert response.status_code == 302
    assert response["Location"] == owner.get_absolute_url() + "#step-microfw"
    path = LearningPath.objects.get()
    assert path.token == owner.token and path.goals == ["microfw"]
    # The goal asked for comes first: microfw after web (basics known); then webfw, scripting.
    assert slugs(path) == ["web", "microfw", "webfw", "scripting"]
    microfw = path.snapshot["steps"][1]
    assert microfw["reasons"][0] == "You asked for Micro Framework."
    assert path.snapshot["total_hours"] == 55
    assert path.name == "Micro Framework · Web Framework · Scripting Kit"  # it was the default
    assert kept_progress_and_notes(path)
    html = body(client.get(path.get_absolute_url()))
    assert "Micro Framework is now a goal of this path: milestone 1, 1 new step." in html
    assert "<li>You asked for Micro Framework.</li>" in html
    reader = body(Client().get(path.get_absolute_url()))
    assert "<li>You asked for Micro Framework.</li>" in reader
    assert '<a href="/technologies/microfw/">Micro Framework</a>' in reader


def test_add_to_path_by_slug_with_htmx_and_a_name_of_ones_own_stays(client, owner):
    path_rename(path=owner, name="Mine")
    response = client.post(goal_url(owner), {"technology": "microfw"}, **HTMX)
    assert response["HX-Redirect"] == owner.get_absolute_url()
    path = LearningPath.objects.get()
    assert path.goals == ["microfw"] and path.name == "Mine"


@pytest.mark.parametrize(
    ("technology", "message"),
    [
        (
            "Micro Framwork",
            "There is no technology “Micro Framwork” in the catalog. Did you mean Micro Framework?",
        ),
        ("<cobol>", "There is no technology “&lt;cobol&gt;” in the catalog."),
        ("   ", "Type the name of a technology to add."),
        ("x" * 500, "That is longer than any technology"),
        ("Basics", "Basics is among what you already know, so the path leaves it out."),
    ],
)
def test_bad_technologies_are_a_message_and_change_nothing(client, owner, technology, message):
    response = client.post(goal_url(owner), {"technology": technology})
    assert response.status_code == 400
    assert message in body(response)
    swapped = client.post(goal_url(owner), {"technology": technology}, **HTMX)
    assert swapped.status_code == 200 and message in body(swapped)
    assert 'aria-describedby="reshape-technology-help reshape-technology-error"' in body(swapped)
    path = LearningPath.objects.get()
    assert path.goals == [] and path.snapshot == owner.snapshot


def test_a_goal_asked_for_twice_is_refused(client, owner):
    client.post(goal_url(owner), {"technology": "microfw"})
    response = client.post(goal_url(owner), {"technology": "Micro Framework"})
    assert "Micro Framework is already a goal of this path." in body(response)
    assert LearningPath.objects.get().goals == ["microfw"]


# Only the owner, with CSRF --------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_anyone_else_is_refused_and_nothing_is_written(owner, htmx):
    stranger = Client()
    act_as(stranger, learner_create())
    for client in (stranger, Client()):
        extra = HTMX if htmx else {}
        assert client.post(hours_url(owner), {"hours_per_week": "9"}, **extra).status_code == 403
        assert client.post(goal_url(owner), {"technology": "microfw"}, **extra).status_code == 403
    path = LearningPath.objects.get()
    assert path.hours_per_week == 4 and path.goals == [] and path.snapshot == owner.snapshot


def test_both_need_the_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    act_as(client, owner.learner)
    assert client.post(hours_url(owner), {"hours_per_week": "9"}).status_code == 403
    assert client.post(goal_url(owner), {"technology": "microfw"}).status_code == 403
    assert LearningPath.objects.get().hours_per_week == 4


def test_only_posts(client, owner):
    assert client.get(hours_url(owner)).status_code == 405
    assert client.get(goal_url(owner)).status_code == 405


# Re-planning after a catalog change keeps both ------------------------------------------------


def test_catalog_re_planning_keeps_the_goals_and_the_hours(client, owner, load_document):
    client.post(goal_url(owner), {"technology": "microfw"})
    client.post(hours_url(owner), {"hours_per_week": "10"})
    document = make_document()
    document["technologies"].append(
        make_technology("routing", name="Routing", prerequisites=["web"], effort_hours=4)
    )
    document["technologies"][3]["prerequisites"].append({"technology": "routing", "why": ""})
    load_document(document)
    path = LearningPath.objects.get()
    path_replan(path=path, expected_version=get_catalog_bundle().version)
    path = LearningPath.objects.get()
    # microfw (asked for) now needs routing too: web, routing, microfw; then webfw, scripting.
    assert slugs(path) == ["web", "routing", "microfw", "webfw", "scripting"]
    assert path.goals == ["microfw"] and path.hours_per_week == 10
    assert path.snapshot["hours_per_week"] == 10 and path.snapshot["weeks"] == 6  # 59 hours
    assert kept_progress_and_notes(path)


def test_adding_a_goal_after_a_catalog_change_plans_on_the_current_catalog(
    client, owner, load_document
):
    document = make_document()
    document["technologies"][1]["effort_hours"] = 12  # web
    load_document(document)
    client.post(goal_url(owner), {"technology": "microfw"})
    path = LearningPath.objects.get()
    assert path.catalog_version == get_catalog_bundle().version
    assert path.snapshot["steps"][0]["effort_hours"] == 12
