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


# ------------------------------------------------------------------------------ forgiving


def forgiving_entries():
    return [
        entry("orchestrator", "Container Orchestrator", "Runs containers.", position=0),
        entry("cloudmock", "Cloud Double", "Fakes a cloud in unit tests.", position=1),
        entry("webkit", "Webkit", "Pages and an admin.", position=2),
        entry(
            "timer",
            "Timer Daemon",
            "Starts commands at set times, so scripts run on a schedule.",
            position=3,
        ),
        entry("pager", "Pager", "Splits long lists.", position=4),
    ]


def index_of(entries):
    from catalog.search import SearchIndex

    return SearchIndex(entries=tuple(entries))


def test_aliases_are_searched_like_names():
    entries = forgiving_entries()
    entries[0] = SearchEntry.build(
        slug="orchestrator",
        name="Container Orchestrator",
        summary="Runs containers.",
        highlights=(),
        position=0,
        aliases=["K8s", "kube"],
    )
    entries[1] = SearchEntry.build(
        slug="cloudmock",
        name="Cloud Double",
        summary="Fakes a cloud in unit tests.",
        highlights=(),
        position=1,
        aliases=["mock"],
    )
    assert rank(entries, "k8s") == ["orchestrator"]
    assert rank(entries, "KUBE") == ["orchestrator"]
    assert rank(entries, "mock") == ["cloudmock"]
    assert rank(entries, "mo")[0] == "cloudmock"  # a prefix of an alias


def test_an_alias_ranks_above_a_summary_mention():
    entries = [
        entry("text", "Mentions", "Works like a mock of anything.", position=0),
        SearchEntry.build(
            slug="fake", name="Fake", summary="", highlights=(), position=1, aliases=["mock"]
        ),
    ]
    assert rank(entries, "mock") == ["fake", "text"]


def test_word_endings_are_forgiven_in_summaries():
    assert rank(forgiving_entries(), "scheduled scripts") == ["timer"]
    assert rank(forgiving_entries(), "schedules") == ["timer"]


def test_category_names_are_searched():
    entries = [
        SearchEntry.build(
            slug="cron",
            name="Cron",
            summary="",
            highlights=(),
            position=0,
            categories=["Backend scripts"],
        ),
        entry("other", "Other", "Nothing here.", position=1),
    ]
    assert rank(entries, "backend scripts") == ["cron"]


def test_a_typo_is_corrected_to_the_nearest_name_and_said():
    index = index_of(forgiving_entries())
    result = index.search("webkti")  # two letters swapped
    assert result.slugs == ["webkit"]
    assert (result.corrected, result.named) == ("webkit", "webkit")


def test_a_correction_to_a_search_that_names_no_technology():
    result = index_of(forgiving_entries()).search("contaner")
    assert result.slugs == ["orchestrator"]
    assert (result.corrected, result.named) == ("container", "")


def test_what_matches_as_typed_is_never_corrected():
    result = index_of(forgiving_entries()).search("pager")
    assert (result.slugs, result.corrected) == (["pager"], "")


def test_no_correction_when_nothing_is_near():
    for query in ("zzzzzz", "qx", "12345", "web zzzzzz"):
        result = index_of(forgiving_entries()).search(query)
        assert (result.slugs, result.corrected) == ([], ""), query


@given(st.text(max_size=300))
def test_search_accepts_any_text(query):
    result = index_of(forgiving_entries()).search(query)
    assert len(result.slugs) == len(set(result.slugs))


def forgiving_document():
    document = make_document()
    document["categories"][1]["name"] = "Backend scripts"
    document["technologies"] += [
        make_technology(
            "orchestrator",
            name="Container Orchestrator",
            summary="Keeps many containers running.",
            aliases=["k8s"],
        ),
        make_technology(
            "timer",
            name="Timer Daemon",
            categories=["beta"],
            summary="Starts commands at set times, so a job runs on a schedule.",
        ),
        make_technology("djungo", name="Djungo", summary="A web framework with an admin."),
    ]
    return document


@needs_db
def test_the_page_offers_did_you_mean_with_a_link_to_the_technology(client, load_document):
    load_document(forgiving_document())
    html = client.get("/search/", {"q": "djnugo"}).content.decode()
    assert 'Did you mean <a href="/technologies/djungo/">Djungo</a>?' in html
    assert "No technology matches “djnugo”; 1 technology matches “djungo”." in html
    assert names_in(html) == ["Djungo"]


@needs_db
def test_did_you_mean_links_to_the_corrected_search_when_it_names_no_technology(
    client, load_document
):
    load_document(forgiving_document())
    html = client.get("/search/", {"q": "contaner", "level": "beginner"}).content.decode()
    assert 'Did you mean <a href="/search/?q=container&amp;level=beginner">container</a>?' in html
    assert names_in(html) == ["Container Orchestrator"]


@needs_db
def test_aliases_categories_and_word_endings_find_technologies_on_the_page(client, load_document):
    load_document(forgiving_document())
    assert names_in(client.get("/search/", {"q": "k8s"}).content.decode()) == [
        "Container Orchestrator"
    ]
    assert names_in(client.get("/search/", {"q": "scheduled scripts"}).content.decode()) == [
        "Timer Daemon"
    ]
    html = client.get("/search/", {"q": "k8s"}, HTTP_HX_REQUEST="true").content.decode()
    assert names_in(html) == ["Container Orchestrator"] and "<html" not in html
    html = client.get("/catalog/", {"q": "djnugo"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Did you mean" in html and names_in(html) == ["Djungo"]


@needs_db
def test_the_technology_page_lists_its_aliases(client, load_document):
    load_document(forgiving_document())
    html = client.get("/technologies/orchestrator/").content.decode()
    assert "Also known as k8s" in html


QUERIES = ["k8s", "djnugo", "contaner", "scheduled scripts", "framework", "web admin", "zzzz"]


@needs_db
def test_searches_run_one_query_whatever_they_find(
    client, load_document, django_assert_num_queries
):
    load_document(forgiving_document())
    client.get("/search/?q=warm")
    for query in QUERIES:
        with django_assert_num_queries(1):
            client.get("/search/", {"q": query}, HTTP_HX_REQUEST="true")


@needs_db
def test_results_are_the_same_on_every_database(client, load_document):
    """Run on SQLite and with DATABASE_URL on PostgreSQL: the pinned answers hold on both."""
    load_document(forgiving_document())
    expected = {
        "k8s": ["Container Orchestrator"],
        "djnugo": ["Djungo"],
        "contaner": ["Container Orchestrator"],
        "scheduled scripts": ["Timer Daemon"],
        "framework": ["Web Framework", "Micro Framework", "Djungo"],
        "zzzz": [],
    }
    for query, names in expected.items():
        assert names_in(client.get("/search/", {"q": query}).content.decode()) == names, query


def test_a_term_in_more_fields_ranks_higher():
    entries = [
        entry("dates", "Dates", "Jobs run on schedules, so scripts need dates.", position=0),
        SearchEntry.build(
            slug="timer",
            name="Timer",
            summary="Runs scripts on a schedule.",
            highlights=(),
            position=1,
            categories=["Backend scripts"],
        ),
    ]
    assert rank(entries, "scheduled scripts") == ["timer", "dates"]
