"""The prerequisite graph (catalog/graph.py): pure functions over slug → prerequisites."""

from __future__ import annotations

import random

import pytest

from catalog.graph import (
    CycleError,
    ancestors,
    cycles,
    dependents,
    depth,
    is_acyclic,
    topological_order,
    transitive_reduction,
    would_close_cycle,
)

# webfw needs web and scripting; web needs basics; scripting needs basics.
CATALOG = {
    "basics": [],
    "web": ["basics"],
    "scripting": ["basics"],
    "webfw": ["web", "scripting"],
}


def chain(length: int) -> dict[str, list[str]]:
    """step-0 ← step-1 ← … : each step needs the one before."""
    slugs = [f"step-{number}" for number in range(length)]
    return {slug: ([slugs[index - 1]] if index else []) for index, slug in enumerate(slugs)}


# --- cycles -------------------------------------------------------------------------------------


def test_an_acyclic_catalog_has_no_cycles():
    assert is_acyclic(CATALOG)
    assert cycles(CATALOG) == []


def test_a_cycle_is_spelled_from_its_smallest_slug():
    edges = {"zeta": ["alpha"], "mid": ["zeta"], "alpha": ["mid"], "free": []}
    assert not is_acyclic(edges)
    assert cycles(edges) == [("alpha", "mid", "zeta", "alpha")]


def test_every_cycle_to_break_is_listed_once_shortest_first():
    edges = {
        "a": ["b", "c"],
        "b": ["a"],
        "c": ["a"],
        "p": ["q"],
        "q": ["r"],
        "r": ["p"],
        "d": ["e"],
        "e": ["d"],
    }
    assert cycles(edges) == [
        ("a", "b", "a"),
        ("a", "c", "a"),
        ("d", "e", "d"),
        ("p", "q", "r", "p"),
    ]


def test_a_cycle_takes_the_shortest_way_back():
    edges = {"a": ["long", "b"], "long": ["longer"], "longer": ["a"], "b": ["a"]}
    assert cycles(edges)[0] == ("a", "b", "a")


def test_a_technology_that_needs_itself_is_a_cycle():
    assert cycles({"a": ["a"], "b": []}) == [("a", "a")]


def test_the_cycle_search_stops_at_its_limit():
    edges = {}
    for number in range(10):
        edges[f"x{number}"] = [f"y{number}"]
        edges[f"y{number}"] = [f"x{number}"]
    assert len(cycles(edges)) == 10
    assert len(cycles(edges, limit=3)) == 3


def test_prerequisites_outside_the_graph_are_ignored():
    assert cycles({"a": ["missing"]}) == []
    assert depth({"a": ["missing"]}) == {"a": 0}
    assert ancestors({"a": ["missing"]}, "a") == []


def test_a_3000_long_chain_is_walked_without_recursion():
    edges = chain(3000)
    assert cycles(edges) == []
    assert depth(edges)["step-2999"] == 2999
    assert ancestors(edges, "step-2999") == [f"step-{number}" for number in range(2999)]
    assert topological_order(edges) == list(edges)


def test_a_3000_long_cycle_is_spelled_out_without_recursion():
    edges = chain(3000)
    edges["step-0"] = ["step-2999"]
    (cycle,) = cycles(edges)
    assert len(cycle) == 3001
    assert cycle[:3] == ("step-0", "step-2999", "step-2998")
    assert set(depth(edges)) == set(edges)
    assert len(ancestors(edges, "step-0")) == 2999
    with pytest.raises(CycleError):
        topological_order(edges)


# --- the admin's question: would this edit close a cycle? ---------------------------------------


def test_a_new_prerequisite_that_closes_a_cycle_returns_the_cycle():
    assert would_close_cycle(CATALOG, "basics", ["webfw"]) == (
        "basics",
        "webfw",
        "scripting",
        "basics",
    )
    assert would_close_cycle(CATALOG, "basics", ["web"]) == ("basics", "web", "basics")


def test_the_shortest_cycle_among_the_new_prerequisites_is_shown():
    assert would_close_cycle(CATALOG, "basics", ["webfw", "web"]) == ("basics", "web", "basics")


def test_a_harmless_new_prerequisite_closes_no_cycle():
    assert would_close_cycle(CATALOG, "webfw", ["basics"]) is None
    assert would_close_cycle({}, "new", ["basics"]) is None


def test_being_its_own_prerequisite_is_the_shortest_cycle():
    assert would_close_cycle(CATALOG, "web", ["basics", "web"]) == ("web", "web")


# --- ancestors, dependents, depth ----------------------------------------------------------------


def test_ancestors_come_in_a_learnable_order():
    order = ancestors(CATALOG, "webfw")
    assert order == ["basics", "web", "scripting"]
    for index, slug in enumerate(order):
        assert set(CATALOG[slug]) <= set(order[:index])


def test_ancestors_nearest_first_go_by_distance():
    assert ancestors(CATALOG, "webfw", nearest_first=True) == ["web", "scripting", "basics"]
    assert ancestors(CATALOG, "basics") == []
    assert ancestors(CATALOG, "unknown") == []


def test_ancestors_do_not_follow_a_cycle():
    edges = {"a": ["b"], "b": ["c"], "c": ["a"]}
    assert ancestors(edges, "a") == ["c", "b"]
    assert ancestors(edges, "a", nearest_first=True) == ["b", "c"]


def test_dependents_are_what_a_technology_unlocks_in_catalog_order():
    assert dependents(CATALOG) == {
        "basics": ["web", "scripting"],
        "web": ["webfw"],
        "scripting": ["webfw"],
        "webfw": [],
    }


def test_depth_is_the_longest_chain_below_each_technology():
    assert depth(CATALOG) == {"basics": 0, "web": 1, "scripting": 1, "webfw": 2}
    assert depth({"a": [], "b": ["a"], "c": ["a", "b"]}) == {"a": 0, "b": 1, "c": 2}


def test_depth_of_part_of_the_catalog_counts_only_that_part():
    # A path that skips "basics" (known) starts web and scripting at 0.
    part = {slug: CATALOG[slug] for slug in ("web", "scripting", "webfw")}
    assert depth(part) == {"web": 0, "scripting": 0, "webfw": 1}


def test_depth_is_the_same_whatever_the_order_of_the_keys():
    reversed_catalog = dict(reversed(CATALOG.items()))
    assert depth(reversed_catalog) == depth(CATALOG)
    backwards = dict(reversed(chain(3000).items()))  # the walk, 3,000 deep, not recursive
    assert depth(backwards)["step-2999"] == 2999


def test_depth_survives_a_cycle():
    assert set(depth({"a": ["b"], "b": ["a"]})) == {"a", "b"}
    assert depth({"a": ["a"]}) == {"a": 0}


# --- topological order ---------------------------------------------------------------------------


def test_topological_order_puts_prerequisites_first_and_keeps_the_catalog_order():
    assert topological_order(CATALOG) == ["basics", "web", "scripting", "webfw"]


def test_topological_order_breaks_ties_as_asked():
    order = topological_order(CATALOG, tie_break=lambda slug: -len(slug))
    assert order == ["basics", "scripting", "web", "webfw"]


def test_topological_order_is_the_same_whatever_the_mapping_order():
    rng = random.Random(3)
    edges = {f"t{n:03}": [f"t{m:03}" for m in rng.sample(range(n), min(n, 3))] for n in range(200)}
    expected = topological_order(edges, tie_break=str)
    items = list(edges.items())
    for _ in range(5):
        rng.shuffle(items)
        shuffled = {slug: list(reversed(requires)) for slug, requires in items}
        assert topological_order(shuffled, tie_break=str) == expected
    position = {slug: index for index, slug in enumerate(expected)}
    assert all(position[r] < position[slug] for slug, requires in edges.items() for r in requires)


# --- the drawing's edges ----------------------------------------------------------------------


def test_transitive_reduction_drops_the_shortcuts_only():
    edges = {"basics": [], "web": ["basics"], "webfw": ["web", "basics"], "cli": ["basics"]}
    assert transitive_reduction(edges) == {
        "basics": [],
        "web": ["basics"],
        "webfw": ["web"],
        "cli": ["basics"],
    }
    assert transitive_reduction(CATALOG) == CATALOG
    cyclic = {"a": ["b", "c"], "b": ["a"], "c": []}
    assert transitive_reduction(cyclic) == cyclic
