"""Rules 2 to 8: score, path, goal-first order, milestones, reasons, effort and projects.

`build_plan()` only touches the technologies, questions and projects that the answers reach,
so a plan over 10,000 technologies takes milliseconds. See the package docstring for the rules.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from paths.planner.types import (
    HOURS_PER_WEEK_MIN,
    Answers,
    Choice,
    Considered,
    PlacedProject,
    Plan,
    PlannerCatalog,
    Stage,
    Step,
)
from paths.planner.visibility import chosen_choices


@dataclass(slots=True)
class _Scores:
    """What the chosen choices say about each technology they mention."""

    score: dict[str, int]
    raised: dict[str, list[tuple[int, str]]]  # (weight, because) of positive recommendations
    against: dict[str, list[str]]  # because texts of negative recommendations
    becauses: dict[str, list[str]]  # every because text, in question and choice order


def _score(chosen: Sequence[Choice]) -> _Scores:
    scores = _Scores({}, defaultdict(list), defaultdict(list), defaultdict(list))
    for choice in chosen:
        for recommendation in choice.recommends:
            slug = recommendation.technology
            scores.score[slug] = scores.score.get(slug, 0) + recommendation.weight
            if recommendation.because:
                scores.becauses[slug].append(recommendation.because)
                if recommendation.weight > 0:
                    scores.raised[slug].append((recommendation.weight, recommendation.because))
                else:
                    scores.against[slug].append(recommendation.because)
    return scores


@dataclass(frozen=True, slots=True)
class _Ordered:
    """The path (rule 4) in goal-first order (rule 5)."""

    path: list[str]
    goals: list[str]  # the goals on the path, in rank order
    milestone_of: dict[str, str]  # step slug -> the goal whose milestone placed it
    asked: list[str]  # the goals asked for (known catalog slugs, each once, in order asked)
    scores: _Scores
    known: set[str]


def _by_position(catalog: PlannerCatalog) -> Callable[[str], int]:
    technology_by_slug = catalog.technology_by_slug
    return lambda slug: technology_by_slug[slug].position


def _order_path(
    catalog: PlannerCatalog,
    answers: Answers,
    ticked_known: Iterable[str],
    goals: Iterable[str],
    *,
    use_knows: bool,
) -> _Ordered:
    technology_by_slug = catalog.technology_by_slug
    position = _by_position(catalog)
    chosen = chosen_choices(catalog, answers)
    scores = _score(chosen)
    known = {slug for slug in ticked_known if slug in technology_by_slug}
    if use_knows:
        for choice in chosen:
            known.update(choice.knows)
    asked = list(dict.fromkeys(slug for slug in goals if slug in technology_by_slug))

    # Rule 3 and 4: recommended (score > 0, plus the goals asked for) and their prerequisites,
    # never through a known technology.
    asked_set = set(asked)
    by_score = sorted(
        (slug for slug, score in scores.score.items() if score > 0 and slug not in asked_set),
        key=lambda slug: (-scores.score[slug], position(slug)),
    )
    ranked = [slug for slug in (*asked, *by_score) if slug not in known]
    on_path = set(ranked)
    pending = list(ranked)
    while pending:
        for link in technology_by_slug[pending.pop()].prerequisites:
            slug = link.technology
            if slug not in on_path and slug not in known:
                on_path.add(slug)
                pending.append(slug)

    # Rule 5: goal by goal, each preceded by its prerequisites not yet placed; among those, a
    # technology comes as soon as its own prerequisites are placed, earliest in the catalog first.
    path: list[str] = []
    placed: set[str] = set()
    milestone_of: dict[str, str] = {}
    goals_on_path: list[str] = []
    for goal in ranked:
        if goal in placed:
            continue
        goals_on_path.append(goal)
        group = {goal}
        stack = [goal]
        while stack:
            for link in technology_by_slug[stack.pop()].prerequisites:
                slug = link.technology
                if slug in on_path and slug not in placed and slug not in group:
                    group.add(slug)
                    stack.append(slug)
        waiting: dict[str, int] = {}
        dependents: dict[str, list[str]] = defaultdict(list)
        for slug in group:
            needs = {link.technology for link in technology_by_slug[slug].prerequisites}
            needs &= group
            waiting[slug] = len(needs)
            for need in needs:
                dependents[need].append(slug)
        ready = [(position(slug), slug) for slug, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        while ready:
            _, slug = heapq.heappop(ready)
            path.append(slug)
            placed.add(slug)
            milestone_of[slug] = goal
            for dependent in dependents.get(slug, ()):
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    heapq.heappush(ready, (position(dependent), dependent))
    return _Ordered(path, goals_on_path, milestone_of, asked, scores, known)


def path_candidates(
    catalog: PlannerCatalog, answers: Answers, goals: Iterable[str] = ()
) -> list[str]:
    """The technologies the path would hold if nothing were known, in path order.

    Feeds the "What do you already know?" screen.
    """
    return _order_path(catalog, answers, (), goals, use_knows=False).path


def _once(texts: Iterable[str]) -> tuple[str, ...]:
    """Each non-empty text once, where it first appears."""
    return tuple(dict.fromkeys(text for text in texts if text))


def build_plan(
    catalog: PlannerCatalog,
    answers: Answers,
    known: Iterable[str],
    hours_per_week: int,
    goals: Iterable[str] = (),
) -> Plan:
    """Plan a path for validated input (see `paths.api_json.validate_answers`); rules in the
    package docstring. `goals` are the technologies asked for by name, in the order asked.

    Unknown known- and goal-slugs and malformed answers are ignored; hours per week below 1
    raise ValueError.
    """
    if hours_per_week < HOURS_PER_WEEK_MIN:
        raise ValueError(f"hours_per_week must be at least {HOURS_PER_WEEK_MIN}.")
    ordered = _order_path(catalog, answers, known, goals, use_knows=True)
    path, scores, known_set = ordered.path, ordered.scores, ordered.known
    asked = set(ordered.asked)
    technology_by_slug = catalog.technology_by_slug
    path_index = {slug: index for index, slug in enumerate(path)}

    # For each step: its dependents on the path with the link's why, and its prerequisites on
    # the path, both in path order.
    needed_by: dict[str, list[tuple[str, str]]] = defaultdict(list)
    prerequisites_on_path: dict[str, tuple[str, ...]] = {}
    for slug in path:
        found = []
        for link in technology_by_slug[slug].prerequisites:
            if link.technology in path_index:
                found.append(link.technology)
                needed_by[link.technology].append((slug, link.why))
        if len(found) > 1:
            found.sort(key=path_index.__getitem__)
        prerequisites_on_path[slug] = tuple(found)

    goal_set = set(ordered.goals)
    steps = []
    for slug in path:
        technology = technology_by_slug[slug]
        reasons: list[str] = []
        if slug in asked:
            reasons.append(f"You asked for {technology.name}.")
        # The strongest recommendation first; equal weights keep question and choice order.
        raised = sorted(enumerate(scores.raised.get(slug, ())), key=lambda item: -item[1][0])
        reasons.extend(because for _, (_, because) in raised)
        dependents = needed_by.get(slug)
        if dependents:
            names = ", ".join(
                dict.fromkeys(technology_by_slug[dependent].name for dependent, _ in dependents)
            )
            reasons.append(f"This is needed before {names}.")
            reasons.extend(why for _, why in dependents)
        score = scores.score.get(slug, 0)
        milestone = technology_by_slug[ordered.milestone_of[slug]].name
        steps.append(
            Step(
                technology=slug,
                name=technology.name,
                kind=technology.kind,
                level=technology.level,
                reasons=_once(reasons),
                effort_hours=technology.effort_hours,
                prerequisites=prerequisites_on_path[slug],
                alternatives=technology.alternatives,
                score=score,
                recommended=score > 0 or slug in asked,
                stage=milestone,
                checkpoints=technology.checkpoints,
                goal=slug in goal_set,
                asked=slug in asked,
                milestone=ordered.milestone_of[slug],
            )
        )

    stages = []
    for goal, group in groupby(steps, key=_milestone_of):
        members = tuple(group)
        stages.append(
            Stage(
                technology_by_slug[goal].name,
                tuple(step.technology for step in members),
                sum(step.effort_hours for step in members),
                goal=goal,
                asked=goal in asked,
            )
        )

    considered = [
        Considered(
            technology=slug,
            name=technology_by_slug[slug].name,
            reasons=_once(scores.against.get(slug) or scores.becauses.get(slug, ())),
        )
        for slug in sorted(
            (slug for slug, score in scores.score.items() if score <= 0 and slug not in asked),
            key=_by_position(catalog),
        )
    ]

    total_hours = sum(step.effort_hours for step in steps)
    return Plan(
        steps=tuple(steps),
        projects=_place_projects(catalog, path_index, known_set),
        considered=tuple(considered),
        stages=tuple(stages),
        total_hours=total_hours,
        weeks=-(-total_hours // hours_per_week),
        hours_per_week=hours_per_week,
        known=tuple(sorted(known_set, key=_by_position(catalog))),
        goals=tuple(ordered.asked),
    )


def _milestone_of(step: Step) -> str:
    return step.milestone


def _place_projects(
    catalog: PlannerCatalog, path_index: Mapping[str, int], known: set[str]
) -> tuple[PlacedProject, ...]:
    """Rule 8, looking only at the projects that use a technology on the path."""
    candidates: set[int] = set()
    for slug in path_index:
        candidates.update(catalog.projects_by_technology.get(slug, ()))
    placed: list[tuple[int, int, PlacedProject]] = []
    for index in candidates:
        project = catalog.projects[index]
        if all(slug in path_index or slug in known for slug in project.uses):
            after = max(
                (slug for slug in project.uses if slug in path_index),
                key=path_index.get,
            )
            placed.append(
                (
                    path_index[after],
                    project.position,
                    PlacedProject(project.slug, project.title, project.brief, project.uses, after),
                )
            )
    placed.sort(key=lambda entry: entry[:2])
    return tuple(project for _, _, project in placed)
