"""Properties every plan must have, on random small catalogs and random valid answers."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paths.api_json import plan_to_api, validate_answers
from paths.planner import (
    build_plan,
    catalog_from_document,
    path_candidates,
    visible_questions,
)

# Rules 1 and 5 are restated below from DESIGN.md over the plain document, without the
# planner's code: a check that reuses the code under test could not fail.

LEVELS = ("beginner", "intermediate", "advanced")
WEIGHTS = [weight for weight in range(-10, 11) if weight != 0]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The planner is pure: these tests need neither Django's cache nor its settings."""
    yield


@st.composite
def documents(draw: st.DrawFn) -> dict:
    """A small valid normalized catalog document.

    Prerequisites point from a technology to ones created before it (so there is no cycle),
    then the file order is shuffled so that prerequisites are not always listed first.
    """
    count = draw(st.integers(1, 10))
    created = [f"t{index}" for index in range(count)]
    technologies = []
    for index, slug in enumerate(created):
        prerequisites = (
            draw(st.lists(st.sampled_from(created[:index]), unique=True, max_size=3))
            if index
            else []
        )
        technologies.append(
            {
                "slug": slug,
                "name": f"Tech {index}",
                "kind": "tool",
                "level": draw(st.sampled_from(LEVELS)),
                "categories": ["c"],
                "summary": "",
                "highlights": [],
                "checkpoints": [],
                "effort_hours": draw(st.integers(1, 60)),
                "prerequisites": [
                    {"technology": item, "why": draw(st.sampled_from(["", f"{slug} uses {item}."]))}
                    for item in prerequisites
                ],
                "alternatives": [],
                "homepage": "",
                "resources": [],
            }
        )
    technologies = draw(st.permutations(technologies))

    questions = []
    for number in range(draw(st.integers(1, 4))):
        slug = f"q{number}"
        choices = []
        for choice_number in range(draw(st.integers(2, 3))):
            recommended = draw(st.lists(st.sampled_from(created), unique=True, max_size=3))
            choices.append(
                {
                    "slug": f"c{choice_number}",
                    "label": f"Choice {choice_number}",
                    "recommends": [
                        {
                            "technology": item,
                            "weight": draw(st.sampled_from(WEIGHTS)),
                            "because": f"{slug}/c{choice_number} on {item}.",
                        }
                        for item in recommended
                    ],
                    "knows": draw(st.lists(st.sampled_from(created), unique=True, max_size=2)),
                }
            )
        show_if = None
        if questions and draw(st.booleans()):
            parent = draw(st.sampled_from(questions))
            parent_choices = [item["slug"] for item in parent["choices"]]
            any_of = draw(st.lists(st.sampled_from(parent_choices), unique=True, min_size=1))
            show_if = {"question": parent["slug"], "any_of": any_of}
        questions.append(
            {
                "slug": slug,
                "prompt": f"Question {number}?",
                "help": "",
                "kind": draw(st.sampled_from(["single", "multiple"])),
                "show_if": show_if,
                "choices": choices,
            }
        )

    projects = [
        {
            "slug": f"p{number}",
            "title": f"Project {number}",
            "brief": "",
            "uses": draw(st.lists(st.sampled_from(created), unique=True, min_size=1, max_size=3)),
        }
        for number in range(draw(st.integers(0, 4)))
    ]
    return {
        "version": 1,
        "categories": [{"slug": "c", "name": "C", "summary": ""}],
        "technologies": technologies,
        "projects": projects,
        "questions": questions,
    }


def reference_visible(document: dict, answers: dict) -> list[str]:
    """Rule 1 over the document: a question is visible when it has no show_if, or the
    question it names is visible and was answered with one of any_of."""
    visible: list[str] = []
    for question in document["questions"]:
        show_if = question["show_if"]
        if show_if is None or (
            show_if["question"] in visible
            and set(answers.get(show_if["question"], ())) & set(show_if["any_of"])
        ):
            visible.append(question["slug"])
    return visible


@st.composite
def plan_requests(draw: st.DrawFn) -> tuple[dict, dict, list[str], int, list[str]]:
    """A document and valid input for it: answers (with some to hidden questions), known,
    hours, and goals asked for by name (sometimes one twice, sometimes a known one)."""
    document = draw(documents())
    answers: dict[str, list[str]] = {}
    for question in document["questions"]:
        slugs = [item["slug"] for item in question["choices"]]
        visible = question["slug"] in reference_visible(document, answers)
        if question["kind"] == "single" and visible:
            answers[question["slug"]] = [draw(st.sampled_from(slugs))]
        elif visible or draw(st.booleans()):
            # Hidden questions may carry any answers: the planner must ignore them.
            answers[question["slug"]] = draw(
                st.lists(st.sampled_from(slugs), unique=True, min_size=1)
            )
    technology_slugs = [item["slug"] for item in document["technologies"]]
    known = draw(st.lists(st.sampled_from(technology_slugs), unique=True, max_size=3))
    goals = draw(st.lists(st.sampled_from(technology_slugs), max_size=3))
    return document, answers, known, draw(st.integers(1, 80)), goals


def reference_path(
    document: dict,
    answers: dict,
    known: list[str],
    goals: list[str] = (),
    *,
    use_knows: bool = True,
) -> tuple[set, set, dict]:
    """Rules 1-4 written as plainly as possible: (path, known, scores)."""
    visible = set(reference_visible(document, answers))
    scores: dict[str, int] = {}
    known_set = set(known)
    for question in document["questions"]:
        if question["slug"] not in visible:
            continue
        for choice in question["choices"]:
            if choice["slug"] in answers.get(question["slug"], []):
                for recommendation in choice["recommends"]:
                    slug = recommendation["technology"]
                    scores[slug] = scores.get(slug, 0) + recommendation["weight"]
                if use_knows:
                    known_set.update(choice["knows"])
    prerequisites = {
        item["slug"]: [link["technology"] for link in item["prerequisites"]]
        for item in document["technologies"]
    }
    path = set()
    recommended = {slug for slug, score in scores.items() if score > 0} | set(goals)
    todo = [slug for slug in recommended if slug not in known_set]
    while todo:
        slug = todo.pop()
        if slug not in path:
            path.add(slug)
            todo.extend(item for item in prerequisites[slug] if item not in known_set)
    return path, known_set, scores


def reference_order(
    document: dict, path: set, scores: dict, goals: list[str]
) -> tuple[list[str], list[str]]:
    """Rule 5 as DESIGN.md says it, by brute force: the goals (asked for in the order asked,
    then by score, highest first, ties in catalog order), each preceded by its prerequisites on
    the path not yet placed, each after its own (ties: catalog order). Returns the order and
    the goals that were not already placed when their turn came (one milestone each)."""
    catalog_order = [item["slug"] for item in document["technologies"]]
    needs = {
        item["slug"]: {link["technology"] for link in item["prerequisites"]} & path
        for item in document["technologies"]
    }
    asked = [slug for slug in dict.fromkeys(goals) if slug in path]
    rest = [slug for slug in catalog_order if scores.get(slug, 0) > 0 and slug not in asked]
    rest.sort(key=lambda slug: -scores[slug])  # a stable sort keeps catalog order in ties
    order: list[str] = []
    milestones: list[str] = []
    for goal in [slug for slug in asked + rest if slug in path]:
        if goal in order:
            continue
        milestones.append(goal)
        wanted, frontier = {goal}, [goal]
        while frontier:
            for item in needs[frontier.pop()]:
                if item not in order and item not in wanted:
                    wanted.add(item)
                    frontier.append(item)
        while wanted:
            ready = [slug for slug in catalog_order if slug in wanted and needs[slug] <= set(order)]
            order.append(ready[0])
            wanted.discard(ready[0])
    return order, milestones


def ancestors(document: dict, slug: str, path: set) -> set:
    """The technology and everything it needs on the path, through steps on the path."""
    needs = {
        item["slug"]: [link["technology"] for link in item["prerequisites"]]
        for item in document["technologies"]
    }
    found, frontier = {slug}, [slug]
    while frontier:
        for item in needs[frontier.pop()]:
            if item in path and item not in found:
                found.add(item)
                frontier.append(item)
    return found


@settings(max_examples=150, deadline=None)
@given(plan_requests())
def test_plans_satisfy_the_design_rules(request):
    document, answers, known, hours_per_week, goals = request
    catalog = catalog_from_document(document)
    assert validate_answers(catalog, answers, known, hours_per_week, goals) == {}
    assert [item.slug for item in visible_questions(catalog, answers)] == reference_visible(
        document, answers
    )

    plan = build_plan(catalog, answers, known, hours_per_week, goals)
    order = [step.technology for step in plan.steps]
    position = {slug: index for index, slug in enumerate(order)}
    expected_path, known_set, scores = reference_path(document, answers, known, goals)
    asked = set(goals)
    prerequisites = {
        item["slug"]: [link["technology"] for link in item["prerequisites"]]
        for item in document["technologies"]
    }

    # The path is rule 4's set, each technology once, no known one.
    assert len(order) == len(position)
    assert set(order) == expected_path
    assert not known_set & set(order)
    assert ({slug for slug, score in scores.items() if score > 0} | asked) - known_set <= set(order)
    # Rule 5: goal by goal, as restated above.
    expected_order, goal_steps = reference_order(document, expected_path, scores, goals)
    assert order == expected_order
    assert [slug for slug in order if plan.steps[position[slug]].goal] == goal_steps
    # Nothing stands before a goal unless it serves that goal or a goal ranked above it.
    for rank, goal in enumerate(goal_steps):
        served = set().union(
            *(ancestors(document, g, expected_path) for g in goal_steps[: rank + 1])
        )
        assert set(order[: position[goal]]) <= served
    # Rule 6: each text once; "You asked for X." first on a goal asked for.
    # Every on-path prerequisite comes first and is listed, in path order.
    for step in plan.steps:
        on_path = [item for item in prerequisites[step.technology] if item in position]
        assert all(position[item] < position[step.technology] for item in on_path)
        assert list(step.prerequisites) == sorted(on_path, key=position.__getitem__)
        assert step.reasons
        assert len(set(step.reasons)) == len(step.reasons)
        assert (step.reasons[0] == f"You asked for {step.name}.") == (step.technology in asked)
        assert step.score == scores.get(step.technology, 0)
        assert step.recommended == (step.score > 0 or step.technology in asked)
    # Considered: every mentioned technology with score <= 0, except goals asked for.
    assert {item.technology for item in plan.considered} == {
        slug for slug, score in scores.items() if score <= 0 and slug not in asked
    }
    assert plan.goals == tuple(dict.fromkeys(goals))
    # Effort.
    assert plan.total_hours == sum(step.effort_hours for step in plan.steps)
    assert plan.weeks == math.ceil(plan.total_hours / hours_per_week)
    # Milestones are contiguous, cover the steps in order, and each ends with its goal.
    assert [slug for stage in plan.stages for slug in stage.steps] == order
    assert [stage.steps[-1] for stage in plan.stages] == [stage.goal for stage in plan.stages]
    assert [stage.goal for stage in plan.stages] == goal_steps
    # Projects: exactly those whose uses are all on the path or known, one on the path, each
    # right after the last of its technologies on the path.
    joined = [
        item["slug"]
        for item in document["projects"]
        if all(slug in position or slug in known_set for slug in item["uses"])
        and any(slug in position for slug in item["uses"])
    ]
    assert sorted(project.slug for project in plan.projects) == sorted(joined)
    for project in plan.projects:
        on_path = [slug for slug in project.uses if slug in position]
        assert project.after == max(on_path, key=position.__getitem__)
    timeline = [getattr(item, "technology", None) or item.slug for item in plan.timeline()]
    assert [slug for slug in timeline if slug in position] == order
    assert len(timeline) == len(order) + len(plan.projects)


@settings(max_examples=100, deadline=None)
@given(plan_requests())
def test_the_same_input_gives_the_same_plan_byte_for_byte(request):
    document, answers, known, hours_per_week, goals = request
    first = build_plan(catalog_from_document(document), answers, known, hours_per_week, goals)
    again = build_plan(
        catalog_from_document(json.loads(json.dumps(document))),
        dict(reversed(list(answers.items()))),
        list(reversed(known)),
        hours_per_week,
        goals + goals,  # asking again for the same technologies changes nothing
    )

    assert first == again
    assert json.dumps(plan_to_api(first)) == json.dumps(plan_to_api(again))


@settings(max_examples=100, deadline=None)
@given(plan_requests())
def test_candidates_are_the_path_when_nothing_is_known(request):
    document, answers, _, _, goals = request
    catalog = catalog_from_document(document)

    candidates = path_candidates(catalog, answers, goals)
    expected, _, _ = reference_path(document, answers, [], goals, use_knows=False)

    assert set(candidates) == expected
    assert len(candidates) == len(expected)
    # Knowing more only ever removes steps.
    steps = build_plan(catalog, answers, [], 5, goals).steps
    assert {step.technology for step in steps} <= expected
