"""Aliases, the other names a learner may search for: loaded, exported, edited in the admin
and served by the API (the schema's rules are in test_yaml_schema.py, the search's in
test_search.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Technology
from catalog.selectors import build_document
from catalog.yaml_writer import dump_catalog
from tests.catalog.test_admin import post_data_from_change_page
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def with_aliases() -> dict:
    document = make_document()
    document["technologies"][2]["aliases"] = ["wf", "The Framework"]
    return document


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_aliases_load_export_and_reload_unchanged(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(dump_catalog(with_aliases()), encoding="utf-8")
    run("load_catalog", str(path))
    assert Technology.objects.get(slug="webfw").aliases == ["wf", "The Framework"]
    assert build_document().model_dump(mode="json") == with_aliases()
    exported = tmp_path / "export.yaml"
    run("export_catalog", "-o", str(exported))
    assert exported.read_text() == path.read_text()
    assert "    aliases: [wf, The Framework]\n" in exported.read_text()
    assert "No changes." in run("load_catalog", str(path))


def test_a_changed_alias_is_a_change(tmp_path, load_document):
    load_document(make_document())
    path = tmp_path / "catalog.yaml"
    path.write_text(dump_catalog(with_aliases()), encoding="utf-8")
    assert "webfw" in run("load_catalog", str(path), "--dry-run")
    assert Technology.objects.get(slug="webfw").aliases == []
    run("load_catalog", str(path))
    assert Technology.objects.get(slug="webfw").aliases == ["wf", "The Framework"]


def test_the_api_serves_aliases(client, load_document):
    load_document(with_aliases())
    technologies = {t["slug"]: t for t in client.get("/api/catalog").json()["technologies"]}
    assert technologies["webfw"]["aliases"] == ["wf", "The Framework"]
    assert "aliases" not in technologies["basics"]  # empty optional keys are left out


@pytest.fixture
def curator(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "c@example.org", "pw-curator-1")
    client.force_login(user)
    return client


def test_a_curator_edits_aliases_one_per_line_and_the_search_finds_them(curator, small_catalog):
    technology = Technology.objects.get(slug="microfw")
    url = reverse("admin:catalog_technology_change", args=[technology.pk])
    data = post_data_from_change_page(curator.get(url))
    data["aliases"] = "tinyfw\n\n  Small Framework  "
    response = curator.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    technology.refresh_from_db()
    assert technology.aliases == ["tinyfw", "Small Framework"]
    html = curator.get("/search/", {"q": "tinyfw"}).content.decode()
    assert "1 technology matches “tinyfw”." in html


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        ("web framework", "“web framework” is already a name of Web Framework."),
        ("WEBFW", "“WEBFW” is already a name of Web Framework."),
        ("tiny\nTiny", "“Tiny” is listed twice."),
        ("???", "“???” has no letter or digit, so no search finds it."),
    ],
)
def test_the_admin_refuses_an_alias_that_would_mislead_a_search(
    curator, small_catalog, aliases, message
):
    technology = Technology.objects.get(slug="microfw")
    url = reverse("admin:catalog_technology_change", args=[technology.pk])
    data = post_data_from_change_page(curator.get(url))
    data["aliases"] = aliases
    response = curator.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["aliases"] == [message]
    technology.refresh_from_db()
    assert technology.aliases == []
