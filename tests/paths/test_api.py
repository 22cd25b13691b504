"""The JSON API: GET /api/catalog and POST /api/plan exactly as DESIGN.md, never a 500."""

from __future__ import annotations

import json

import pytest
import yaml
from django.test import Client

from catalog.generator import generate_document
from catalog.yaml_writer import dump_catalog
from paths.api_json import plan_to_api
from paths.models import LearningPath
from paths.planner import build_plan, catalog_from_document
from tests.factories import CHAIN_ANSWERS, first_choice_answers, make_chain_document, make_document

VALID = {"answers": {"goal": ["site"], "size": ["large"]}, "known": [], "hours_per_week": 5}


@pytest.fixture
def api():
    """A client that enforces CSRF, to show the API is exempt."""
    return Client(enforce_csrf_checks=True)


def post(api, data, **extra):
    payload = data if isinstance(data, bytes | str) else json.dumps(data)
    return api.post("/api/plan", payload, content_type="application/json", **extra)


def errors_of(response) -> dict:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["errors"]


# GET /api/catalog ---------------------------------------------------------------------------


def test_catalog_is_the_yaml_shape(api, small_catalog):
    response = api.get("/api/catalog")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data == yaml.safe_load(dump_catalog(small_catalog))
    assert data["version"] == 1
    assert [c["slug"] for c in data["categories"]] == ["alpha", "beta"]
    technologies = {t["slug"]: t for t in data["technologies"]}
    # A prerequisite with a reason is a mapping, one without is a bare slug.
    assert technologies["web"]["prerequisites"] == [
        {"technology": "basics", "why": "You write handlers in it."}
    ]
    assert technologies["webfw"]["prerequisites"] == ["web"]
    assert "prerequisites" not in technologies["basics"]  # empty optional keys are left out
    questions = {q["slug"]: q for q in data["questions"]}
    assert "show_if" not in questions["goal"]
    assert questions["size"]["show_if"] == {"question": "goal", "any_of": ["site"]}


def test_catalog_answers_not_modified_to_its_etag(api, small_catalog):
    etag = api.get("/api/catalog")["ETag"]
    response = api.get("/api/catalog", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and not response.content


def test_catalog_changes_with_the_catalog(api, small_catalog, load_document):
    first = api.get("/api/catalog")
    document = make_document()
    document["categories"][0]["name"] = "Renamed"
    load_document(document)
    second = api.get("/api/catalog")
    assert second["ETag"] != first["ETag"]
    assert second.json()["categories"][0]["name"] == "Renamed"


def test_empty_catalog(api, db):
    data = api.get("/api/catalog").json()
    assert data["version"] == 1 and data["technologies"] == []


def test_catalog_refuses_other_methods(api, small_catalog):
    response = api.post("/api/catalog", {})
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert "__all__" in response.json()["errors"]


# POST /api/plan: valid ----------------------------------------------------------------------


def test_plan(api, small_catalog):
    response = post(api, VALID)
    assert response.status_code == 200
    catalog = catalog_from_document(small_catalog)
    assert response.json() == plan_to_api(build_plan(catalog, VALID["answers"], [], 5))
    data = response.json()
    assert set(data) == {"steps", "projects", "considered", "total_hours", "weeks"}
    assert set(data["steps"][0]) == {
        "technology",
        "name",
        "reasons",
        "effort_hours",
        "prerequisites",
    }
    assert [step["technology"] for step in data["steps"]] == ["web", "webfw"]  # basics is known
    assert data["projects"] == [{"project": "site", "title": "A tiny site", "after": "webfw"}]


def test_the_same_body_gets_the_same_plan_until_the_catalog_changes(api, small_catalog):
    from catalog.models import Technology

    first = post(api, VALID)
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    again = post(api, VALID)
    assert again.content == first.content and again["Content-Type"] == "application/json"
    technology = Technology.objects.get(slug="webfw")
    technology.name = "Renamed Framework"
    technology.save()
    renamed = post(api, VALID).json()
    assert "Renamed Framework" in [step["name"] for step in renamed["steps"]]
    other = post(api, {**VALID, "hours_per_week": 1})
    assert other.json()["weeks"] != renamed["weeks"]


def test_a_project_comes_after_its_last_technology_not_the_last_step(api, load_document):
    load_document(make_chain_document())
    data = post(api, {"answers": CHAIN_ANSWERS}).json()
    assert [step["technology"] for step in data["steps"]] == ["one", "two", "three", "four"]
    assert data["projects"] == [
        {"project": "early", "title": "Early project", "after": "two"},
        {"project": "late", "title": "Late project", "after": "four"},
    ]


def test_plan_defaults_known_and_hours(api, small_catalog):
    response = post(api, {"answers": {"goal": ["tools"]}})
    assert response.status_code == 200
    data = response.json()
    assert data["total_hours"] == 45 and data["weeks"] == 9  # 45 hours at 5 a week


def test_goals_asked_for_lead_the_path(api, small_catalog):
    # The goal asked for (scripting) comes first with "You asked for", then webfw (score 3)
    # after web; basics is known through "Large".
    data = post(api, {**VALID, "goals": ["scripting", "scripting"]}).json()
    assert [step["technology"] for step in data["steps"]] == ["scripting", "web", "webfw"]
    assert data["steps"][0]["reasons"] == ["You asked for Scripting Kit."]
    # A goal scored against is still on the path, and not "considered".
    data = post(api, {"answers": {"goal": ["site"], "size": ["small"]}, "goals": ["webfw"]}).json()
    assert [step["technology"] for step in data["steps"]][-1] == "microfw"
    assert "webfw" in [step["technology"] for step in data["steps"]]
    assert data["considered"] == []


@pytest.mark.parametrize(
    ("goals", "message"),
    [
        (["nope"], "Unknown technology 'nope'"),
        (["scriptin"], "did you mean 'scripting'?"),
        ("webfw", "must be a list"),
        ([None], "must be a list"),
    ],
)
def test_invalid_goals(api, small_catalog, goals, message):
    errors = errors_of(post(api, {**VALID, "goals": goals}))
    assert list(errors) == ["goals"]
    assert any(message in text for text in errors["goals"])


def test_plan_is_stateless(api, small_catalog):
    response = post(api, VALID)
    assert response.status_code == 200
    assert not response.cookies
    assert not LearningPath.objects.exists()
    assert response["Cache-Control"] == "no-store"


def test_answers_to_hidden_questions_are_ignored(api, small_catalog):
    hidden = {"answers": {"goal": ["tools"], "size": ["small"]}}
    assert post(api, hidden).json() == post(api, {"answers": {"goal": ["tools"]}}).json()


# POST /api/plan: invalid input is a 400 with an "errors" mapping ----------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not json",
        b"{",
        b"\xff\xfe\x00garbage",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"hours_per_week": 1' + b"0" * 5000 + b"}",
    ],
)
def test_not_json(api, small_catalog, payload):
    assert list(errors_of(post(api, payload))) == ["__all__"]


@pytest.mark.parametrize("payload", [[], "answers", 5, None, True, [VALID]])
def test_not_an_object(api, small_catalog, payload):
    assert list(errors_of(post(api, payload))) == ["__all__"]


def test_unknown_top_level_keys_are_named(api, small_catalog):
    errors = errors_of(post(api, {**VALID, "hours": 5, "extra": []}))
    assert set(errors) == {"hours", "extra"}


def test_many_unknown_keys_stay_short(api, small_catalog):
    errors = errors_of(post(api, {**VALID, **{f"k{n}": n for n in range(1000)}}))
    assert len(errors) == 21 and "1000" not in json.dumps(errors["__all__"])


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"goal": ["site"], "nope": ["x"]}, "Unknown question 'nope'"),
        ({"goal": ["sight"], "size": ["large"]}, "did you mean 'site'?"),
        ({"goal": ["site"], "size": ["small", "large"]}, "takes exactly one choice"),
        ({"goal": ["site"]}, "Question 'size' must be answered."),
        ({}, "Question 'goal' must be answered."),
        ({"goal": "site"}, "takes a list of choice slugs"),
        ({"goal": [1]}, "takes a list of choice slugs"),
        ({"goal": ["site", "site"], "size": ["large"]}, "twice"),
        (["goal"], "must be an object"),
        (None, "must be an object"),
    ],
)
def test_invalid_answers(api, small_catalog, answers, message):
    errors = errors_of(post(api, {"answers": answers}))
    assert list(errors) == ["answers"]
    assert any(message in text for text in errors["answers"]), errors


def test_answers_are_required(api, small_catalog):
    errors = errors_of(post(api, {"known": [], "hours_per_week": 5}))
    assert list(errors) == ["answers"] and "required" in errors["answers"][0]


@pytest.mark.parametrize("hours", [0, 81, -1, 5.5, 5.0, "5", True, None, [5], 10**100])
def test_invalid_hours(api, small_catalog, hours):
    errors = errors_of(post(api, {**VALID, "hours_per_week": hours}))
    assert list(errors) == ["hours_per_week"]


@pytest.mark.parametrize(
    ("known", "message"),
    [
        (["nope"], "Unknown technology 'nope'"),
        (["webf"], "did you mean 'webfw'?"),
        ("basics", "must be a list"),
        ([1], "must be a list"),
        (None, "must be a list"),
        ({"basics": True}, "must be a list"),
    ],
)
def test_invalid_known(api, small_catalog, known, message):
    errors = errors_of(post(api, {**VALID, "known": known}))
    assert list(errors) == ["known"]
    assert any(message in text for text in errors["known"])


def test_every_invalid_field_is_reported_together(api, small_catalog):
    errors = errors_of(post(api, {"answers": {"x": []}, "known": ["y"], "hours_per_week": 0}))
    assert set(errors) == {"answers", "known", "hours_per_week"}


def test_garbage_answers_stay_cheap_and_short(api, small_catalog):
    answers = {f"question-{n}": ["x" * 100] for n in range(5000)}
    errors = errors_of(post(api, {"answers": answers}))
    assert len(errors["answers"]) <= 21


def test_a_body_over_one_megabyte_is_refused(api, small_catalog):
    payload = json.dumps({**VALID, "padding": "x" * (1024 * 1024)})
    response = post(api, payload)
    assert response.status_code == 413
    assert list(response.json()["errors"]) == ["__all__"]


def test_plan_refuses_other_methods(api, small_catalog):
    response = api.get("/api/plan")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "__all__" in response.json()["errors"]


def test_plan_with_form_encoding_is_not_json(api, small_catalog):
    response = api.post("/api/plan", {"answers": "x"})
    assert list(errors_of(response)) == ["__all__"]


# Query budgets ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["small", 1000])
def test_query_budget(api, load_document, django_assert_max_num_queries, size):
    document = make_document() if size == "small" else generate_document(size)
    load_document(document)
    body = {"answers": first_choice_answers(document), "hours_per_week": 7}
    with django_assert_max_num_queries(20):  # cold: builds the document once per version
        assert post(api, body).status_code == 200
    with django_assert_max_num_queries(1):
        assert post(api, body).status_code == 200
    with django_assert_max_num_queries(1):
        assert post(api, {"answers": {"nope": []}}).status_code == 400
    with django_assert_max_num_queries(20):
        assert api.get("/api/catalog").status_code == 200
    with django_assert_max_num_queries(1):
        assert api.get("/api/catalog").status_code == 200
