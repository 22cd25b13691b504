"""The admin's frictions a curator met (issue 14), each fixed."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse

from catalog.models import Question, Recommendation, Technology
from catalog.versioning import current_version
from tests.catalog.test_admin import post_data_from_change_page
from tests.factories import make_document, make_technology

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "c@example.org", "pw-curator-1")
    client.force_login(user)
    return client


def test_the_prerequisite_picker_puts_the_exact_match_first(curator, load_document):
    document = make_document()
    document["technologies"] += [
        make_technology("kit-rest", name="Kit REST tools"),
        make_technology("logs", name="Logging", summary="Logging for Kit apps."),
        make_technology("kit", name="Kit"),
        make_technology("toolkit", name="Toolkit"),
    ]
    load_document(document)
    query = {"app_label": "catalog", "model_name": "prerequisite", "field_name": "requires"}
    response = curator.get(reverse("admin:autocomplete"), {**query, "term": "kit"})
    names = [result["text"] for result in response.json()["results"]]
    assert names[:2] == ["Kit", "Kit REST tools"]  # exact, then starts with, then the rest
    assert set(names[2:]) == {"Logging", "Toolkit", "Scripting Kit"}


def test_every_catalog_model_has_a_proper_plural():
    for model in apps.get_app_config("catalog").get_models():
        plural = str(model._meta.verbose_name_plural)
        assert not plural.endswith(("ys", "ss", "chs")), plural


def test_the_technology_page_headers_and_kind_labels_read_properly(curator, small_catalog):
    web = Technology.objects.get(slug="web")
    html = curator.get(reverse("admin:catalog_technology_change", args=[web.pk])).content.decode()
    assert ">Categories<" in html
    assert "Categorys" not in html and "categorys" not in html
    assert '<option value="stdlib">Standard library</option>' in html
    assert '<option value="framework">Framework</option>' in html
    question = Question.objects.get(slug="goal")
    html = curator.get(
        reverse("admin:catalog_question_change", args=[question.pk])
    ).content.decode()
    assert '<option value="single">Single (exactly one choice)</option>' in html


def show_if_options(curator, slug: str) -> list[str]:
    question = Question.objects.get(slug=slug)
    html = curator.get(reverse("admin:catalog_question_change", args=[question.pk])).content
    select = re.search(
        r'<select name="show_if_choices".*?</select>', html.decode(), flags=re.DOTALL
    ).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_show_if_offers_only_the_choices_of_earlier_questions(curator, load_document):
    document = make_document()
    document["questions"].append(
        {
            "slug": "third",
            "prompt": "And then?",
            "help": "",
            "kind": "single",
            "show_if": None,
            "choices": [
                {"slug": "yes", "label": "Yes", "recommends": [], "knows": []},
                {"slug": "no", "label": "No", "recommends": [], "knows": []},
            ],
        }
    )
    load_document(document)
    assert show_if_options(curator, "goal") == []
    assert show_if_options(curator, "size") == ["goal: A website", "goal: Little tools"]
    assert show_if_options(curator, "third") == [
        "goal: A website",
        "goal: Little tools",
        "size: Small",
        "size: Large",
    ]


def question_form(curator, slug: str) -> tuple[str, dict]:
    question = Question.objects.get(slug=slug)
    url = reverse("admin:catalog_question_change", args=[question.pk])
    return url, post_data_from_change_page(curator.get(url))


def test_recommendations_are_edited_on_the_questions_page(curator, small_catalog):
    url, data = question_form(curator, "size")
    assert data["choices-0-recommends_text"] == (
        "microfw 4 Small is light.\nwebfw -5 Too heavy."
    )  # what the choice "Small" recommends, in the form
    version = current_version()
    data["choices-0-recommends_text"] = "microfw 6 Small is light.\nbasics 1 Start here."
    data["choices-1-recommends_text"] = "webfw 2 Large needs a full framework."
    response = curator.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = list(
        Recommendation.objects.filter(choice__question__slug="size")
        .order_by("choice__position", "position")
        .values_list("choice__slug", "technology__slug", "weight", "because")
    )
    assert rows == [
        ("small", "microfw", 6, "Small is light."),
        ("small", "basics", 1, "Start here."),
        ("large", "webfw", 2, "Large needs a full framework."),
    ]
    assert current_version() != version


def test_a_wrong_recommendation_line_is_refused_with_its_line(curator, small_catalog):
    url, data = question_form(curator, "size")
    before = list(Recommendation.objects.values_list("id", "weight", "because"))
    data["choices-0-recommends_text"] = "microfww 4 Small is light.\nwebfw 0 Zero."
    html = curator.post(url, data).content.decode()
    assert "line 2: use a weight from -10 to 10 other than 0" in html
    data["choices-0-recommends_text"] = "microfww 4 Small is light."
    html = curator.post(url, data).content.decode()
    assert "line 1: no technology &#x27;microfww&#x27;; did you mean &#x27;microfw&#x27;?" in html
    assert list(Recommendation.objects.values_list("id", "weight", "because")) == before
