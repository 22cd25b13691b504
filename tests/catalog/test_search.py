"""Search: the ranking (catalog/search.py) and the /search/ page."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.search import MAX_TERMS, SearchEntry, fold, rank, terms
from tests.factories import make_document, make_technology


def entry(slug: str, name: str, summary: str = "", highlights=(), position: int = 0):
    return SearchEntry.build(
        slug=slug, name=name, summary=summary, highlights=highlights, position=position
    )


ENTRIES = [
    entry("ormkit", "Data Mapper", "Maps rows to objects; not a web framework.", position=0),
    entry("webfw", "Web Framework", "Pages, forms and an admin.", ["Admin pages"], 1),
    entry("microfw", "Micro Framework", "A tiny web framework.", position=2),
    entry("cafe", "Café Queue", "Jobs in the background.", ["Retries"], 3),
    entry("framework", "Framework", "Just the word.", position=4),
    entry("postgres", "PostgreSQL", "A relational database.", position=5),
]


# ------------------------------------------------------------------------------ folding


def test_fold_lowercases_and_strips_accents():
    assert fold("Café ÉCOLE naïve") == "cafe ecole naive"
    assert fold("Straße") == "strasse"


def test_terms_split_on_anything_but_letters_and_digits():
    assert terms("  Web-framework, web!! ") == ["web", "framework"]
    assert terms("C++ / C#") == ["c"]
    assert terms("!!! ---") == []
    assert len(terms(" ".join(f"w{n}" for n in range(50)))) == MAX_TERMS


# ------------------------------------------------------------------------------ ranking


def test_a_name_equal_to_the_query_comes_first_then_names_then_other_fields():
    assert rank(ENTRIES, "framework") == ["framework", "webfw", "microfw", "ormkit"]


def test_name_matches_rank_above_summary_matches():
    result = rank(ENTRIES, "web")
    assert result[0] == "webfw"
    assert set(result[1:]) == {"microfw", "ormkit"}


def test_search_is_case_and_accent_insensitive_both_ways():
    assert rank(ENTRIES, "CAFE") == ["cafe"]
    assert rank(ENTRIES, "café") == ["cafe"]
    assert rank(ENTRIES, "QUEUE café") == ["cafe"]


def test_slug_summary_and_highlights_are_searched():
    assert rank(ENTRIES, "microfw") == ["microfw"]
    assert rank(ENTRIES, "relational") == ["postgres"]
    assert rank(ENTRIES, "retries") == ["cafe"]


def test_every_term_must_match_somewhere():
    assert rank(ENTRIES, "web admin") == ["webfw"]
    assert rank(ENTRIES, "web nothing-like-this") == []


def test_terms_match_word_prefixes_and_parts_of_names():
    assert rank(ENTRIES, "frame") == ["framework", "webfw", "microfw", "ormkit"]
    assert rank(ENTRIES, "sql") == ["postgres"]  # inside a name
    assert rank(ENTRIES, "lational") == []  # not inside a summary word


def test_ties_keep_catalog_order():
    entries = [entry(f"t{n}", f"Tool {n}", position=n) for n in (3, 1, 2)]
    assert rank(entries, "tool") == ["t1", "t2", "t3"]


def test_empty_or_wordless_queries_match_nothing():
    assert rank(ENTRIES, "") == []
    assert rank(ENTRIES, "   ") == []
    assert rank(ENTRIES, "%_*") == []


@given(st.text(max_size=500))
def test_rank_accepts_any_text(query):
    result = rank(ENTRIES, query)
    assert len(result) == len(set(result))


# ------------------------------------------------------------------------------ the page

needs_db = pytest.mark.django_db


def names_in(html: str) -> list[str]:
    return re.findall(r'<li class="card technology-card">\s*<h3><a href="[^"]+">([^<]+)</a>', html)


@needs_db
def test_search_page_without_a_query_invites_one(client, small_catalog):
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form class="filters" action="/search/"' in html
    assert names_in(html) == []


@needs_db
def test_search_page_ranks_name_matches_first(client, load_document):
    document = make_document()
    document["technologies"].append(
        make_technology("gears", name="Gears", summary="Framework gears for tiny tools.")
    )
    load_document(document)
    html = client.get("/search/?q=framework").content.decode()
    names = names_in(html)
    assert names[:2] == ["Web Framework", "Micro Framework"]
    assert names[-1] == "Gears"
    assert "3 technologies match “framework”." in html


@needs_db
def test_search_page_is_case_and_accent_insensitive(client, load_document):
    document = make_document()
    document["technologies"].append(
        make_technology("resume", name="Résumé Builder", highlights=["Naïve layouts"])
    )
    load_document(document)
    for query in ("resume", "RÉSUMÉ", "Resume builder", "naive", "NAÏVE"):
        assert names_in(client.get("/search/", {"q": query}).content.decode()) == [
            "Résumé Builder"
        ], query


@needs_db
def test_search_page_applies_kind_and_level(client, small_catalog):
    html = client.get("/search/?q=web&kind=practice").content.decode()
    assert names_in(html) == ["Web Protocol"]


@needs_db
def test_search_answers_htmx_with_the_results_fragment(client, small_catalog):
    response = client.get("/search/?q=micro", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and '<div id="results"' in html
    assert names_in(html) == ["Micro Framework"]
    assert "HX-Request" in response.headers["Vary"]


@needs_db
def test_no_match_says_so(client, small_catalog):
    html = client.get("/search/?q=zzzz").content.decode()
    assert "No technology matches “zzzz”." in html
    assert 'href="/catalog/"' in html


@needs_db
@pytest.mark.parametrize("query", ["a" * 5000, "%", "_", "\\", "'", '"', "<", "\x00", "🐍", "  "])
def test_a_query_of_any_length_or_character_answers_200(client, small_catalog, query):
    assert client.get("/search/", {"q": query}).status_code == 200


@needs_db
def test_search_results_are_capped_with_a_note(client, load_document):
    from catalog.generator import generate_document

    load_document(generate_document(300))
    html = client.get("/search/?q=technology").content.decode()
    assert len(names_in(html)) == 100
    assert "These are the best 100 of 300 matches." in html
