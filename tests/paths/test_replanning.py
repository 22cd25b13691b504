"""When the catalog changes: what re-planning a saved path would change (paths/replanning.py),
the owner accepting it in place, and everyone else planning their own instead."""

from __future__ import annotations

import pytest
from django.test import Client

from catalog.generator import generate_document
from paths.catalog_cache import get_catalog_bundle
from paths.models import LearningPath, Note, Progress
from paths.replanning import plan_diff, replan_input
from paths.services import learner_create, note_set, path_replan, progress_set
from tests.factories import act_as, first_choice_answers, make_document, make_path, make_technology

HTMX = {"HTTP_HX_REQUEST": "true"}
SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}


def body(response) -> str:
    return response.content.decode()


def snapshot(*steps: tuple[str, int], projects: tuple[str, ...] = ()) -> dict:
    """A minimal snapshot: (slug, hours) steps, project slugs."""
    return {
        "steps": [
            {"technology": slug, "name": slug.title(), "effort_hours": hours}
            for slug, hours in steps
        ],
        "projects": [{"project": slug, "title": slug.title()} for slug in projects],
        "total_hours": sum(hours for _, hours in steps),
        "weeks": 1,
    }


def changed_document() -> dict:
    """The small catalog after an edit: a new step for sites, scripting no longer recommended
    for tools, and web re-estimated."""
    document = make_document()
    document["technologies"][1]["effort_hours"] = 12  # web
    document["technologies"].append(
        make_technology("templates", name="Templates", prerequisites=["web"], effort_hours=6)
    )
    goal = document["questions"][0]
    goal["choices"][0]["recommends"].append(
        {"technology": "templates", "weight": 2, "because": "Pages need templates."}
    )
    goal["choices"][1]["recommends"] = []
    return document


@pytest.fixture
def owner(client, small_catalog):
    learner = learner_create()
    act_as(client, learner)
    return make_path(learner=learner, answers=SITE_LARGE, hours_per_week=4)


# plan_diff ----------------------------------------------------------------------------------


def test_no_difference():
    old = snapshot(("a", 1), ("b", 2), projects=("p",))
    diff = plan_diff(old, old)
    assert not diff.changes_anything
    assert diff.added == diff.dropped == diff.moved == diff.effort_changed == ()


def test_added_dropped_and_re_estimated_steps_and_projects():
    old = snapshot(("a", 1), ("b", 2), ("c", 3), projects=("p",))
    new = snapshot(("a", 1), ("x", 5), ("c", 4), projects=("q",))
    diff = plan_diff(old, new)
    assert diff.added == ("X",) and diff.dropped == ("B",) and diff.moved == ()
    assert [(c.name, c.old, c.new) for c in diff.effort_changed] == [("C", 3, 4)]
    assert diff.projects_added == ("Q",) and diff.projects_dropped == ("P",)
    assert diff.total_hours == (6, 10) and diff.changes_anything


@pytest.mark.parametrize(
    ("old", "new", "moved"),
    [
        ("abcd", "abcd", ""),
        ("abcd", "bacd", "a"),  # one step out of a run of three
        ("abcd", "dabc", "d"),
        ("abcd", "dcba", "abc"),  # reversed: all but one must move
        ("abcde", "aexbcd", "e"),  # an added step does not count as a move
    ],
)
def test_reordered_steps_are_the_fewest_that_moved(old, new, moved):
    diff = plan_diff(snapshot(*((c, 1) for c in old)), snapshot(*((c, 1) for c in new)))
    assert len(diff.moved) == len(moved)
    if moved == "abc":
        assert set(diff.moved) <= {"A", "B", "C", "D"}
    else:
        assert set(diff.moved) == {c.upper() for c in moved}


def test_a_long_reordering_is_fast():
    old = snapshot(*((f"t{n}", 1) for n in range(3000)))
    new = snapshot(*((f"t{n}", 1) for n in reversed(range(3000))))
    assert len(plan_diff(old, new).moved) == 2999


# The owner's path page and accepting the re-plan ------------------------------------------


def test_an_unchanged_catalog_says_nothing(client, owner):
    html = body(client.get(owner.get_absolute_url()))
    assert "The catalog has changed" not in html and "/replan/" not in html


def test_the_owner_sees_what_re_planning_would_change(client, owner, load_document):
    load_document(changed_document())
    html = body(client.get(owner.get_absolute_url()))
    assert "The catalog has changed since this path was saved" in html
    assert "<li><strong>Add</strong> 1 step: Templates</li>" in html
    assert "<li><strong>Drop</strong> 1 step: Scripting Kit</li>" in html
    assert "<li><strong>Re-estimate</strong> Web Protocol: 10 → 12 hours</li>" in html
    assert "<li>Total effort: 45 → 48 hours (12 → 12 weeks)</li>" in html
    assert "Reorder" not in html
    version = get_catalog_bundle().version
    assert f'name="catalog_version" value="{version}"' in html
    assert LearningPath.objects.get().catalog_version == version - 1  # a GET changes nothing


def test_accepting_updates_the_path_in_place_and_keeps_progress_and_notes(
    client, owner, load_document
):
    progress_set(learner_id=owner.learner_id, technology_slug="scripting", status="done")
    progress_set(learner_id=owner.learner_id, technology_slug="web", status="doing")
    note_set(learner_id=owner.learner_id, technology_slug="web", text="Hi", expected_version=0)
    load_document(changed_document())
    version = get_catalog_bundle().version
    response = client.post(f"/paths/{owner.token}/replan/", {"catalog_version": version})
    assert response.status_code == 302 and response["Location"] == owner.get_absolute_url()
    path = LearningPath.objects.get()
    assert path.pk == owner.pk and path.token == owner.token and path.name == owner.name
    assert path.catalog_version == version
    # Goals webfw (3) with web before it, then templates (2); scripting is no longer asked.
    assert [step["technology"] for step in path.snapshot["steps"]] == [
        "web",
        "webfw",
        "templates",
    ]
    assert path.snapshot["total_hours"] == 48
    assert Progress.objects.statuses(owner.learner_id) == {"scripting": "done", "web": "doing"}
    assert Note.objects.texts(owner.learner_id) == {"web": ("Hi", 1)}
    html = body(client.get(owner.get_absolute_url()))
    assert "Your path now follows the current catalog." in html
    assert "The catalog has changed" not in html
    assert "Status: Doing" in html and ">Hi</p>" in html


def test_accepting_with_htmx_reloads_the_page(client, owner, load_document):
    load_document(changed_document())
    version = get_catalog_bundle().version
    response = client.post(f"/paths/{owner.token}/replan/", {"catalog_version": version}, **HTMX)
    assert response["HX-Redirect"] == owner.get_absolute_url()
    assert LearningPath.objects.get().catalog_version == version


def test_a_catalog_that_changed_again_shows_the_new_difference_first(client, owner, load_document):
    load_document(changed_document())
    seen = get_catalog_bundle().version
    document = changed_document()
    document["technologies"][1]["effort_hours"] = 14
    load_document(document)
    response = client.post(f"/paths/{owner.token}/replan/", {"catalog_version": seen}, follow=True)
    html = body(response)
    assert "The catalog changed again" in html
    assert "Web Protocol: 10 → 14 hours" in html
    assert LearningPath.objects.get().snapshot == owner.snapshot


@pytest.mark.parametrize("data", [{}, {"catalog_version": "x"}])
def test_a_re_plan_without_a_version_is_refused(client, owner, load_document, data):
    load_document(changed_document())
    assert client.post(f"/paths/{owner.token}/replan/", data).status_code == 400
    assert LearningPath.objects.get().snapshot == owner.snapshot


def test_path_replan_refuses_answers_the_questionnaire_no_longer_takes(owner, load_document):
    document = make_document()
    document["questions"].append(
        dict(document["questions"][1], slug="pace", prompt="How fast?", show_if=None)
    )
    load_document(document)
    bundle = get_catalog_bundle()
    assert replan_input(owner, bundle) is None
    with pytest.raises(Exception, match="questionnaire has changed"):
        path_replan(path=owner, expected_version=bundle.version)


def test_a_new_question_sends_the_owner_through_the_questionnaire(client, owner, load_document):
    document = make_document()
    document["questions"].append(
        dict(document["questions"][1], slug="pace", prompt="How fast?", show_if=None)
    )
    load_document(document)
    html = body(client.get(owner.get_absolute_url()))
    assert "cannot simply be planned again" in html and "Answer the new questions" in html
    assert "/replan/" not in html
    response = client.post(f"/paths/{owner.token}/start-from/", follow=True)
    assert response.redirect_chain == [("/advisor/q/pace/", 302)]
    assert "this path&#x27;s answers filled in" in body(response)
    assert LearningPath.objects.count() == 1


def test_a_removed_choice_is_not_silently_dropped(client, owner, load_document):
    document = make_document()
    goal = document["questions"][0]
    goal["choices"] = [choice for choice in goal["choices"] if choice["slug"] != "tools"]
    load_document(document)
    assert replan_input(owner, get_catalog_bundle()) is None
    assert "Answer the new questions" in body(client.get(owner.get_absolute_url()))


# Everyone else --------------------------------------------------------------------------------


def test_a_reader_is_told_and_plans_their_own(owner, load_document):
    load_document(changed_document())
    reader = Client()
    html = body(reader.get(owner.get_absolute_url()))
    assert "The catalog has changed since this path was saved" in html
    assert "This path stays as its owner saved it." in html
    assert "/replan/" not in html and "Add</strong>" not in html
    version = get_catalog_bundle().version
    assert (
        reader.post(f"/paths/{owner.token}/replan/", {"catalog_version": version}).status_code
        == 403
    )
    assert LearningPath.objects.get().snapshot == owner.snapshot

    response = reader.post(f"/paths/{owner.token}/start-from/")
    assert response.status_code == 302 and response["Location"] == "/advisor/known/"
    reader.post("/advisor/known/", {"known": []})
    response = reader.post("/advisor/hours/", {"hours_per_week": "4"})
    mine = LearningPath.objects.exclude(pk=owner.pk).get()
    assert response["Location"] == mine.get_absolute_url()
    assert mine.answers == owner.answers and mine.learner_id != owner.learner_id
    assert str(mine.learner_id) == reader.session["learner_id"]


# Query budgets ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["small", 1000])
def test_query_budget_of_a_changed_catalog(
    client, load_document, django_assert_max_num_queries, size
):
    document = make_document() if size == "small" else generate_document(size)
    load_document(document)
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers=first_choice_answers(document))
    changed = make_document() if size == "small" else generate_document(size)
    changed["technologies"][0]["effort_hours"] += 1
    load_document(changed)
    client.get(path.get_absolute_url())  # build this process's planner catalog once
    # The page's five, and the catalog version again for the planner's catalog.
    with django_assert_max_num_queries(6):
        html = body(client.get(path.get_absolute_url()))
    assert "Re-plan with the same answers" in html
    version = get_catalog_bundle().version
    with django_assert_max_num_queries(12):
        response = client.post(f"/paths/{path.token}/replan/", {"catalog_version": version})
    assert response.status_code == 302
    assert LearningPath.objects.get().catalog_version == version
