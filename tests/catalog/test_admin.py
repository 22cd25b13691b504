"""Curating the catalog in Django admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Prerequisite, Technology
from catalog.validation import parse_catalog
from catalog.versioning import current_version
from tests.factories import make_document

pytestmark = pytest.mark.django_db

MODELS = [
    "category",
    "technology",
    "project",
    "question",
    "choice",
    "resource",
    "recommendation",
    "prerequisite",
]


@pytest.fixture
def curator(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "c@example.org", "pw-curator-1")
    client.force_login(user)
    return client


def post_data_from_change_page(response) -> dict:
    """The form data a browser would submit unchanged from an admin change page."""
    data: dict = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for index, sub in enumerate(formset.forms):
            for name in sub.fields:
                value = sub[name].value()
                if value is not None and value is not False:
                    data[f"{formset.prefix}-{index}-{name}"] = (
                        value.pk if hasattr(value, "pk") else value
                    )
    return data


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_add_pages_open_with_bounded_queries(
    curator, small_catalog, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert curator.get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200
    with django_assert_max_num_queries(12):
        assert curator.get(reverse(f"admin:catalog_{model}_add")).status_code == 200


def test_changelist_query_count_does_not_grow_with_the_catalog(
    curator, load_document, django_assert_max_num_queries
):
    from catalog.generator import generate_document

    load_document(generate_document(300))
    for model in MODELS:
        with django_assert_max_num_queries(12):
            assert curator.get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200


def test_technology_change_page_shows_inlines(
    curator, small_catalog, django_assert_max_num_queries
):
    technology = Technology.objects.get(slug="webfw")
    with django_assert_max_num_queries(25):
        response = curator.get(reverse("admin:catalog_technology_change", args=[technology.pk]))
    html = response.content.decode()
    assert "prerequisites (learn first)" in html.lower()
    assert "Official tutorial" in html  # resources inline


def test_search_and_filters_work(curator, small_catalog):
    url = reverse("admin:catalog_technology_changelist")
    html = curator.get(url, {"q": "micro"}).content.decode()
    assert "Micro Framework" in html and "Scripting Kit" not in html
    html = curator.get(url, {"kind__exact": "stdlib"}).content.decode()
    assert "Scripting Kit" in html and "Micro Framework" not in html


def test_editing_a_technology_in_admin_saves_and_bumps_the_version(curator, small_catalog):
    technology = Technology.objects.get(slug="web")
    url = reverse("admin:catalog_technology_change", args=[technology.pk])
    data = post_data_from_change_page(curator.get(url))
    data["summary"] = "Edited by a curator."
    data["highlights"] = "First line\nSecond line"
    version = current_version()[0]
    response = curator.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    technology.refresh_from_db()
    assert technology.summary == "Edited by a curator."
    assert technology.highlights == ["First line", "Second line"]
    assert current_version()[0] > version


def test_a_prerequisite_that_closes_a_cycle_is_refused_with_the_cycle(curator, small_catalog):
    basics = Technology.objects.get(slug="basics")
    url = reverse("admin:catalog_technology_change", args=[basics.pk])
    data = post_data_from_change_page(curator.get(url))
    prefix = "prerequisite_links"
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    data[f"{prefix}-{index}-requires"] = Technology.objects.get(slug="webfw").pk
    data[f"{prefix}-{index}-position"] = 0
    response = curator.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "go round in a circle" in html
    # Names, as the curator sees them in the admin, not slugs.
    assert "Basics → Web Framework → Web Protocol → Basics" in html
    assert "basics → webfw" not in html
    assert not Prerequisite.objects.filter(technology=basics).exists()


def test_a_technology_cannot_be_its_own_prerequisite(curator, small_catalog):
    web = Technology.objects.get(slug="web")
    response = curator.post(
        reverse("admin:catalog_prerequisite_add"),
        {"technology": web.pk, "requires": web.pk, "why": "", "position": 0},
    )
    assert response.status_code == 200
    assert "cannot be its own prerequisite" in response.content.decode()


def test_the_prerequisite_admin_refuses_cycles_too(curator, small_catalog):
    response = curator.post(
        reverse("admin:catalog_prerequisite_add"),
        {
            "technology": Technology.objects.get(slug="basics").pk,
            "requires": Technology.objects.get(slug="scripting").pk,
            "why": "",
            "position": 0,
        },
    )
    assert "Basics → Scripting Kit → Basics" in response.content.decode()


def test_download_catalog_as_yaml_from_the_admin(curator, small_catalog):
    index = curator.get(reverse("admin:index")).content.decode()
    assert "Download catalog as YAML" in index
    response = curator.get(reverse("admin-catalog-export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert (
        parse_catalog(response.content, filename="download.yaml").model_dump(mode="json")
        == make_document()
    )


def test_the_yaml_download_is_for_staff_only(client, small_catalog):
    response = client.get(reverse("admin-catalog-export"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_admin_edit_exports_and_loads_elsewhere_with_the_same_result(
    curator, small_catalog, tmp_path
):
    technology = Technology.objects.get(slug="scripting")
    technology.name = "Scripting Toolkit"
    technology.save()
    exported = curator.get(reverse("admin-catalog-export")).content
    document = parse_catalog(exported, filename="x.yaml")
    assert next(t for t in document.technologies if t.slug == "scripting").name == (
        "Scripting Toolkit"
    )
