"""The catalog pages: /catalog/, /catalog/<category>/, /technologies/<slug>/ (and /search/)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_document, make_technology

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def html_of(response) -> str:
    return response.content.decode()


def position(html: str, text: str) -> int:
    index = html.find(text)
    assert index >= 0, f"{text!r} not on the page"
    return index


def card_names(html: str) -> list[str]:
    """Technology names of the cards, in page order."""
    return re.findall(r'<li class="card technology-card">\s*<h3><a href="[^"]+">([^<]+)</a>', html)


# ------------------------------------------------------------------------------ /catalog/


def test_catalog_lists_every_category_with_its_technologies_as_cards(client, small_catalog):
    response = client.get("/catalog/")
    assert response.status_code == 200
    html = html_of(response)
    for category in small_catalog["categories"]:
        assert category["name"] in html
        assert f'href="/catalog/{category["slug"]}/"' in html
    for technology in small_catalog["technologies"]:
        assert f'href="/technologies/{technology["slug"]}/"' in html
        assert technology["name"] in html
    # A card: name, one-line summary, kind, level and effort.
    assert "Summary of webfw." in html
    assert ">Framework<" in html and ">Intermediate<" in html and ">30 hours<" in html
    assert 'aria-current="page">Catalog' in html


def test_catalog_shows_each_technology_once_foundations_first(client, small_catalog):
    html = html_of(client.get("/catalog/"))
    names = card_names(html)
    assert sorted(names) == sorted(t["name"] for t in small_catalog["technologies"])
    assert names.index("Basics") < names.index("Web Protocol") < names.index("Web Framework")
    # Web Framework is in both categories: one card, tagged with both.
    assert names.count("Web Framework") == 1
    assert (
        'For <a href="/catalog/alpha/">Alpha things</a>, <a href="/catalog/beta/">Beta things</a>'
        in html
    )
    assert "5 technologies in 2 categories." in html


def test_a_category_is_a_filter_and_its_page_still_lists_its_own(client, small_catalog):
    html = html_of(client.get("/catalog/?category=beta"))
    assert set(card_names(html)) == {"Web Framework", "Micro Framework", "Scripting Kit"}
    assert 'href="?category=beta" aria-current="page"' in html
    assert '<option value="beta" selected>' in html
    assert 'href="/catalog/beta/"' in html
    assert set(card_names(html_of(client.get("/catalog/beta/")))) == {
        "Web Framework",
        "Micro Framework",
        "Scripting Kit",
    }
    html = html_of(client.get("/catalog/?q=framework&category=alpha"))
    assert card_names(html) == ["Web Framework"]
    html = html_of(client.get("/catalog/?category=nowhere"))
    assert "There is no category called “nowhere”, so every one is shown." in html
    assert len(card_names(html)) == 5


def test_a_technology_in_no_category_is_still_listed(client, load_document):
    document = make_document()
    document["technologies"].append(make_technology("loner", name="Lone Tool", categories=[]))
    load_document(document)
    html = html_of(client.get("/catalog/"))
    assert "Lone Tool" in card_names(html)


def test_catalog_filters_by_kind_and_level(client, small_catalog):
    html = html_of(client.get("/catalog/?kind=framework"))
    assert set(card_names(html)) == {"Web Framework", "Micro Framework"}
    assert "2 technologies match these filters." in html
    html = html_of(client.get("/catalog/?kind=framework&level=intermediate"))
    assert set(card_names(html)) == {"Web Framework"}
    assert '<option value="framework" selected>' in html
    assert '<option value="intermediate" selected>' in html
    html = html_of(client.get("/catalog/?kind=service"))
    assert card_names(html) == []
    assert "No technology matches these filters." in html


def test_unknown_filter_values_are_ignored_with_a_message(client, small_catalog):
    response = client.get("/catalog/?kind=spaceship&level=%3Cb%3Eguru%3C%2Fb%3E")
    assert response.status_code == 200
    html = html_of(response)
    assert "There is no kind called “spaceship”, so every kind is shown." in html
    assert "There is no level called “&lt;b&gt;guru&lt;/b&gt;”" in html
    assert len(set(card_names(html))) == len(small_catalog["technologies"])


def test_catalog_search_box_ranks_results(client, small_catalog):
    html = html_of(client.get("/catalog/?q=framework"))
    assert card_names(html)[:2] == ["Web Framework", "Micro Framework"]
    assert "2 technologies match “framework”." in html
    assert 'value="framework"' in html


def test_catalog_answers_htmx_with_the_results_fragment(client, small_catalog):
    response = client.get("/catalog/?q=web&kind=framework", **HX)
    assert response.status_code == 200
    html = html_of(response)
    assert "<html" not in html and "<form" not in html
    assert '<div id="results"' in html
    assert '<p id="results-count" hx-swap-oob="innerHTML">' in html
    assert card_names(html) == ["Web Framework"]
    assert "HX-Request" in response.headers["Vary"]


def test_a_history_restore_gets_the_whole_page(client, small_catalog):
    response = client.get("/catalog/?q=web", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HX)
    html = html_of(response)
    assert "<html" in html and "<form" in html and "hx-swap-oob" not in html


def test_the_filter_form_works_without_javascript_and_enhances_with_htmx(client, small_catalog):
    html = html_of(client.get("/catalog/"))
    form = re.search(r"<form[^>]*>", html, re.S).group(0)
    assert 'action="/catalog/"' in form and 'method="get"' in form
    assert 'hx-get="/catalog/"' in form and 'hx-target="#results"' in form
    assert 'hx-push-url="true"' in form
    assert 'hx-trigger="submit, input changed delay:300ms, search"' in form
    assert '<button type="submit"' in html
    assert 'name="q"' in html and 'name="kind"' in html and 'name="level"' in html


def test_an_empty_catalog_says_how_to_load_one(client, db):
    response = client.get("/catalog/")
    assert response.status_code == 200
    assert "load_catalog" in html_of(response)


# ----------------------------------------------------------------- /catalog/<category>/


def test_category_page_shows_its_summary_and_technologies_foundations_first(client, small_catalog):
    response = client.get("/catalog/beta/")
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>Beta things</h1>" in html and "The second category." in html
    names = card_names(html)
    assert set(names) == {"Web Framework", "Micro Framework", "Scripting Kit"}
    # Scripting Kit needs only Basics (depth 1); the frameworks need Web Protocol (depth 2).
    assert names[0] == "Scripting Kit"
    assert "Basics" not in names


def test_unknown_category_is_the_styled_404(client, small_catalog):
    response = client.get("/catalog/no-such-thing/")
    assert response.status_code == 404
    assert "Page not found" in html_of(response)


# ---------------------------------------------------------------- /technologies/<slug>/


def test_technology_page_shows_everything_a_learner_needs(client, small_catalog):
    response = client.get("/technologies/webfw/")
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>Web Framework</h1>" in html
    assert "Summary of webfw." in html
    assert "<li>Admin pages</li>" in html and "<li>An ORM</li>" in html
    assert "Framework" in html and "Intermediate" in html and "About 30 hours" in html
    assert 'href="https://example.org/webfw/"' in html
    assert "Learn first" in html and "Unlocks" in html
    assert "Ready to move on when you can" in html and "Use webfw in a small program." in html
    # Alternatives, resources by kind, the project that uses it.
    assert 'href="/technologies/microfw/">Micro Framework</a>' in html
    assert "<h3>Tutorials</h3>" in html and 'href="https://example.org/t"' in html
    assert "A tiny site" in html and "Build a page with the framework." in html
    plans = re.findall(r'<a [^>]*href="/advisor/\?goal=webfw"[^>]*>([^<]+)</a>', html)
    assert "Plan a path with Web Framework" in plans


def test_learn_first_lists_direct_prerequisites_with_why_and_the_chain_from_zero(
    client, small_catalog
):
    html = html_of(client.get("/technologies/web/"))
    learn_first = html[position(html, "Learn first") : position(html, "Unlocks")]
    assert 'href="/technologies/basics/">Basics</a>' in learn_first
    assert "You write handlers in it." in learn_first

    html = html_of(client.get("/technologies/webfw/"))
    chain = re.search(r'<ol class="chain"[^>]*>(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r">([^<>]+)</(?:a|strong)>", chain) == [
        "Basics",
        "Web Protocol",
        "Web Framework",
    ]


def test_unlocks_lists_what_needs_it(client, small_catalog):
    html = html_of(client.get("/technologies/basics/"))
    unlocks = html[position(html, 'id="unlocks-heading"') :]
    unlocks = unlocks[: unlocks.find("</section>")]
    assert 'href="/technologies/web/"' in unlocks and 'href="/technologies/scripting/"' in unlocks
    assert "You write handlers in it." in unlocks
    assert "is a starting point" in html
    html = html_of(client.get("/technologies/webfw/"))
    assert "Nothing in the catalog builds on Web Framework yet." in html


def test_technology_page_draws_its_prerequisite_chain(client, small_catalog):
    html = html_of(client.get("/technologies/webfw/"))
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    # Its boxes are links, so it is a named group of links rather than an image.
    assert 'role="group"' in svg and "aria-labelledby=" in svg
    assert "<title" in svg and "<desc" in svg
    assert all(name in svg for name in ("Basics", "Web Protocol", "Web Framework"))
    assert "style=" not in svg


def test_each_box_of_a_technologys_diagram_links_to_that_technology(client, small_catalog):
    svg = re.search(r"<svg.*?</svg>", html_of(client.get("/technologies/webfw/")), re.S).group(0)
    links = re.findall(r'<a class="node node-link" href="([^"]+)" aria-label="([^"]+)">', svg)
    assert sorted(links) == [
        ("/technologies/basics/", "Basics"),
        ("/technologies/web/", "Web Protocol"),
    ]
    assert '<g class="node current">' in svg  # the page's own technology is no link


def test_unknown_technology_is_the_styled_404(client, small_catalog):
    response = client.get("/technologies/nope/")
    assert response.status_code == 404
    assert "Page not found" in html_of(response)


def test_a_prerequisite_cycle_made_in_the_database_does_not_break_the_pages(client, small_catalog):
    from catalog.models import Prerequisite, Technology

    basics, webfw = Technology.objects.get(slug="basics"), Technology.objects.get(slug="webfw")
    Prerequisite.objects.create(technology=basics, requires=webfw)
    for url in ("/catalog/", "/catalog/alpha/", "/technologies/basics/", "/technologies/webfw/"):
        assert client.get(url).status_code == 200


# ------------------------------------------------------------------------------ escaping

HOSTILE = '<script>alert("x")</script><b onmouseover="alert(1)">bold</b>'


def test_catalog_text_is_escaped_everywhere_including_the_diagram(client, load_document):
    document = make_document()
    document["categories"][0]["name"] = f"Cat {HOSTILE}"
    document["technologies"][1].update(
        name=f"Web {HOSTILE}", summary=f"Sum {HOSTILE}", highlights=[f"High {HOSTILE}"]
    )
    document["technologies"][1]["prerequisites"][0]["why"] = f"Why {HOSTILE}"
    load_document(document)
    pages = [
        "/catalog/",
        "/catalog/alpha/",
        "/technologies/web/",
        "/technologies/webfw/",
        "/search/?q=web",
        "/catalog/?q=web",
    ]
    for url in pages:
        html = html_of(client.get(url))
        assert "<script>alert" not in html, url
        assert "<b onmouseover" not in html, url
        assert "&lt;script&gt;alert(" in html, url
    html = html_of(client.get("/technologies/webfw/"))
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "&lt;script&gt;" in svg and "<script" not in svg


def test_only_web_addresses_become_links(client, load_document):
    document = make_document()
    document["technologies"][0].update(
        homepage="javascript:alert(1)",
        resources=[{"title": "Sneaky", "url": "javascript:alert(2)", "kind": "docs"}],
    )
    load_document(document)
    html = html_of(client.get("/technologies/basics/"))
    assert "javascript:" not in html
    assert "Sneaky" in html


def test_pages_have_no_inline_script_or_style(client, small_catalog):
    for url in ("/catalog/", "/catalog/alpha/", "/technologies/webfw/", "/search/?q=web"):
        html = html_of(client.get(url))
        assert "<script>" not in html and " style=" not in html and "hx-on" not in html, url


# ----------------------------------------------------------------- garbage in, no 500 out

GARBAGE = [
    "?q=" + "x" * 10_000,
    "?q=%00%01%02",
    "?q=%ff%fe",
    "?q=' OR 1=1 --",
    "?q=%25%5F%5C",
    "?q=<script>alert(1)</script>",
    "?q=🐍 Ünïcödé ß",
    "?q=&kind=&level=",
    "?kind=framework&kind=library",
    "?kind[]=x&level[]=y",
    "?kind=%00&level=" + "z" * 5000,
    "?page=-1&sort=drop+table",
    "?q=a&q=b",
]


@pytest.mark.parametrize("url", ["/catalog/", "/search/", "/catalog/alpha/", "/technologies/web/"])
@pytest.mark.parametrize("query", GARBAGE)
def test_query_string_garbage_never_breaks_a_page(client, small_catalog, url, query):
    assert client.get(url + query).status_code == 200
    assert client.get(url + query, **HX).status_code == 200


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=300), kind=st.text(max_size=30), level=st.text(max_size=30))
def test_any_query_answers_200(client, small_catalog, q, kind, level):
    for url in ("/catalog/", "/search/"):
        response = client.get(url, {"q": q, "kind": kind, "level": level})
        assert response.status_code == 200


@pytest.mark.parametrize(
    "url", ["/catalog/%3Cscript%3E/", "/technologies/..%2F..%2Fetc/", "/technologies/A/"]
)
def test_odd_slugs_are_404_not_500(client, small_catalog, url):
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------- query counts


def page_urls(document: dict) -> list[str]:
    last = document["technologies"][-1]["slug"]
    return [
        "/catalog/",
        "/catalog/?kind=framework&level=beginner",
        "/catalog/?q=a",
        f"/catalog/{document['categories'][0]['slug']}/",
        f"/technologies/{last}/",
        "/search/?q=1",
        "/search/?q=a",
    ]


def assert_fixed_queries(client, urls, django_assert_max_num_queries, django_assert_num_queries):
    from django.core.cache import cache

    from catalog import selectors

    for url in urls:
        cache.clear()
        selectors._browse_memo = None  # as in a fresh process
        # A cold start reads the whole catalog once, in a fixed number of queries.
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
        # After that, a page costs one query: the catalog version.
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(1):
            assert client.get(url, **HX).status_code == 200
    # The home page lists the categories with their counts in one aggregate query.
    with django_assert_max_num_queries(3):
        assert client.get("/").status_code == 200


def test_every_page_runs_a_fixed_number_of_queries_on_a_small_catalog(
    client, small_catalog, django_assert_max_num_queries, django_assert_num_queries
):
    assert_fixed_queries(
        client, page_urls(small_catalog), django_assert_max_num_queries, django_assert_num_queries
    )


def test_every_page_runs_a_fixed_number_of_queries_on_1000_technologies(
    client, load_document, django_assert_max_num_queries, django_assert_num_queries
):
    from catalog.generator import generate_document

    document = generate_document(1000)
    load_document(document)
    assert_fixed_queries(
        client, page_urls(document), django_assert_max_num_queries, django_assert_num_queries
    )


def test_every_page_runs_a_fixed_number_of_queries_at_100_times_the_default_catalog(
    client, load_document, django_assert_max_num_queries, django_assert_num_queries
):
    from catalog.generator import generate_document
    from tests.factories import shipped_catalog_size

    document = generate_document(100 * shipped_catalog_size())
    load_document(document)
    assert_fixed_queries(
        client, page_urls(document), django_assert_max_num_queries, django_assert_num_queries
    )


# ------------------------------------------------------------------- conditional requests


def test_pages_carry_validators_and_answer_304_when_unchanged(client, small_catalog):
    for url in ("/catalog/", "/catalog/alpha/", "/technologies/web/", "/catalog/?kind=library"):
        first = client.get(url)
        etag = first.headers["ETag"]
        assert "private" in first.headers["Cache-Control"]
        assert "no-cache" in first.headers["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert again.headers["ETag"] == etag


def test_a_repeated_search_is_served_from_the_process_store_and_follows_edits(
    client, small_catalog
):
    from catalog.models import Technology

    for url in ("/search/?q=web", "/catalog/?q=web"):
        first = client.get(url)
        assert first.status_code == 200 and first.headers["ETag"]
        assert client.get(url).content == first.content
        assert client.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"]).status_code == 304
    technology = Technology.objects.get(slug="webfw")
    technology.name = "Web Renamed"
    technology.save()
    for url in ("/search/?q=web", "/catalog/?q=web"):
        assert "Web Renamed" in html_of(client.get(url))


def test_a_304_costs_one_query(client, small_catalog, django_assert_num_queries):
    etag = client.get("/technologies/web/").headers["ETag"]
    with django_assert_num_queries(1):
        assert client.get("/technologies/web/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_edit_is_visible_on_the_next_request(client, small_catalog):
    from catalog.models import Technology

    first = client.get("/technologies/web/")
    technology = Technology.objects.get(slug="web")
    technology.name = "Renamed Protocol"
    technology.save()
    second = client.get("/technologies/web/", HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert "Renamed Protocol" in html_of(second)
    assert "Renamed Protocol" in html_of(client.get("/catalog/"))
    assert "Renamed Protocol" in html_of(client.get("/technologies/basics/"))


def test_a_page_for_everyone_revalidates_whatever_the_cookies(client, small_catalog):
    first = client.get("/catalog/")
    etag = first.headers["ETag"]
    client.cookies.clear()  # the page holds no token, so no cookie can make it stale
    assert client.get("/catalog/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_signing_in_or_out_changes_the_etag(client, small_catalog, django_user_model):
    anonymous = client.get("/catalog/").headers["ETag"]
    user = django_user_model.objects.create_user("learner", password="a-long-password-1")
    client.force_login(user)
    signed_in = client.get("/catalog/", HTTP_IF_NONE_MATCH=anonymous)
    assert signed_in.status_code == 200
    assert signed_in.headers["ETag"] != anonymous


def test_the_fragment_and_the_page_have_different_etags(client, small_catalog):
    page = client.get("/catalog/?kind=library")
    fragment = client.get("/catalog/?kind=library", HTTP_IF_NONE_MATCH=page.headers["ETag"], **HX)
    assert fragment.status_code == 200
    assert fragment.headers["ETag"] != page.headers["ETag"]
