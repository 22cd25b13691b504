"""The file's order is the order every page, export and API shows, on every database.

The catalog here lists categories z..a and technologies and questions in no alphabetical
order, so neither slug, name nor id order can pass for the file's. Each test runs on a fresh
load and on a database whose rows were first created in the reverse order (ids then run
against the file), which is what a GROUP BY without ORDER BY returns on SQLite; PostgreSQL
returns groups in hash order either way.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command

from catalog.selectors import build_document
from catalog.services import catalog_load
from catalog.validation import parse_catalog
from catalog.yaml_writer import dump_catalog
from paths.catalog_cache import get_planner_catalog
from tests.factories import make_document, make_technology

pytestmark = pytest.mark.django_db

CATEGORY_SLUGS = ["zulu", "yankee", "whiskey", "tango", "romeo", "mike", "delta", "alpha"]
# Not alphabetical by slug or by name; (slug, name, category).
TECHNOLOGIES = [
    ("quill", "Quill", "zulu"),
    ("birch", "Birch", "zulu"),
    ("nectar", "Nectar", "zulu"),
    ("fjord", "Fjord", "yankee"),
    ("cobalt", "Cobalt", "yankee"),
    ("umber", "Umber", "whiskey"),
    ("amber", "Amber", "tango"),
    ("lotus", "Lotus", "tango"),
    ("heron", "Heron", "romeo"),
    ("garnet", "Garnet", "mike"),
    ("ember", "Ember", "delta"),
    ("opal", "Opal", "alpha"),
    ("delta-kit", "Delta Kit", "alpha"),
]
QUESTION_SLUGS = ["where", "budget", "stack", "always"]


def question(slug: str, choices: list[str], show_if: dict | None = None) -> dict:
    return {
        "slug": slug,
        "prompt": f"Question {slug}?",
        "help": "",
        "kind": "multiple",
        "show_if": show_if,
        "choices": [
            {
                "slug": choice,
                "label": f"Answer {choice}",
                "recommends": [{"technology": "quill", "weight": 2, "because": "Quill helps."}],
                "knows": [],
            }
            for choice in choices
        ],
    }


def ordered_document() -> dict:
    """A catalog whose file order is neither alphabetical nor the reverse of it."""
    return make_document(
        categories=[
            {"slug": slug, "name": f"{slug.title()} backends", "summary": f"About {slug}."}
            for slug in CATEGORY_SLUGS
        ],
        technologies=[
            make_technology(slug, name=name, categories=[category])
            for slug, name, category in TECHNOLOGIES
        ],
        projects=[
            {"slug": slug, "title": f"Project {slug}", "brief": "Build it.", "uses": ["quill"]}
            for slug in ("second", "first", "third")
        ],
        questions=[
            question("where", ["up", "down", "across"]),
            question("budget", ["tiny", "huge"], {"question": "where", "any_of": ["up"]}),
            question("stack", ["zinc", "iron"]),
            question("always", ["yes", "no"]),
        ],
    )


def reversed_document(document: dict) -> dict:
    """The same catalog with every list in the reverse order (so rows get ids in that order)."""
    backwards = copy.deepcopy(document)
    for section in ("categories", "technologies", "projects"):
        backwards[section].reverse()
    # A show_if must name an earlier question: keep the question it names first.
    backwards["questions"] = [backwards["questions"][0], *reversed(backwards["questions"][1:])]
    for entry in backwards["questions"]:
        entry["choices"].reverse()
    return backwards


@pytest.fixture(params=["fresh", "reordered"])
def catalog(request, db) -> dict:
    """The ordered catalog, loaded into an empty database or over its own reverse."""
    document = ordered_document()
    if request.param == "reordered":
        catalog_load(document=reversed_document(document))
    catalog_load(document=document)
    return document


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def category_links(html: str) -> list[str]:
    return unique(re.findall(r'href="/catalog/([a-z0-9-]+)/"', html))


def technology_links(html: str) -> list[str]:
    return unique(re.findall(r'href="/technologies/([a-z0-9-]+)/"', html))


def test_the_order_catalog_is_valid_and_round_trips():
    """The catalog these tests use is one a curator could write (parse of its dump gives it)."""
    document = ordered_document()
    assert parse_catalog(dump_catalog(document).encode()).model_dump(mode="json") == document


def test_home_lists_categories_in_file_order(client, catalog):
    html = client.get("/").content.decode()
    assert category_links(html) == CATEGORY_SLUGS


def test_catalog_index_lists_categories_and_technologies_in_file_order(client, catalog):
    html = client.get("/catalog/").content.decode()
    filters = re.findall(r'href="\?category=([a-z0-9-]+)"', html)
    assert filters == CATEGORY_SLUGS
    assert technology_links(html) == [slug for slug, _, _ in TECHNOLOGIES]


@pytest.mark.parametrize("category", ["zulu", "tango", "alpha"])
def test_category_page_lists_technologies_in_file_order(client, catalog, category):
    html = client.get(f"/catalog/{category}/").content.decode()
    expected = [slug for slug, _, member in TECHNOLOGIES if member == category]
    assert technology_links(html) == expected


def test_api_catalog_is_in_file_order(client, catalog):
    body = json.loads(client.get("/api/catalog").content)
    assert [c["slug"] for c in body["categories"]] == CATEGORY_SLUGS
    assert [t["slug"] for t in body["technologies"]] == [slug for slug, _, _ in TECHNOLOGIES]
    assert [p["slug"] for p in body["projects"]] == ["second", "first", "third"]
    assert [q["slug"] for q in body["questions"]] == QUESTION_SLUGS
    assert [c["slug"] for c in body["questions"][0]["choices"]] == ["up", "down", "across"]


def test_the_document_read_back_is_the_file(catalog):
    """What the API, the planner and the browse pages are built from."""
    assert build_document().model_dump(mode="json") == catalog


def test_export_command_output_is_in_file_order(catalog, capsys):
    call_command("export_catalog")
    assert capsys.readouterr().out == dump_catalog(catalog)


def test_questionnaire_asks_in_file_order(client, catalog):
    _, planner = get_planner_catalog()
    assert [q.slug for q in planner.questions] == QUESTION_SLUGS
    html = client.get("/advisor/", follow=True).content.decode()
    assert "Question where?" in html
    assert html.index("Answer up") < html.index("Answer down") < html.index("Answer across")


def test_admin_category_autocomplete_is_in_file_order(client, catalog, django_user_model):
    """The category picker on a technology's admin page offers the file's order."""
    client.force_login(django_user_model.objects.create_superuser("curator", "c@example.org", "p"))
    response = client.get(
        f"/{settings.ADMIN_URL}autocomplete/",
        {
            "app_label": "catalog",
            "model_name": "technologycategory",
            "field_name": "category",
            "term": "",
        },
    )
    assert response.status_code == 200
    names = [result["text"] for result in response.json()["results"]]
    assert names == [f"{slug.title()} backends" for slug in CATEGORY_SLUGS]


def test_admin_category_list_is_in_file_order(client, catalog, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("curator", "c@example.org", "p"))
    html = client.get(f"/{settings.ADMIN_URL}catalog/category/").content.decode()
    names = re.findall(r">(\w+) backends<", html)
    assert names == [slug.title() for slug in CATEGORY_SLUGS]
