"""Rules 2 to 8: score, path, order, stages, reasons, effort and projects.

`build_plan()` only touches the technologies, questions and projects that the answers reach,
so a plan over 10,000 technologies takes milliseconds. See the package docstring for the rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from catalog import graph
from catalog.document import Choice
from paths.planner.types import (
    HOURS_PER_WEEK_MIN,
    LEVEL_RANK,
    STAGE_NAMES,
    Answers,
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
    becauses: dict[str, list[str]]  # every because text, in question and choice order
    against: dict[str, list[str]]  # because texts of negative recommendations


def _score(chosen: Sequence[Choice]) -> _Scores:
    scores = _Scores({}, defaultdict(list), defaultdict(list))
    for choice in chosen:
        for recommendation in choice.recommends:
            slug = recommendation.technology
            scores.score[slug] = scores.score.get(slug, 0) + recommendation.weight
            if recommendation.because:
                scores.becauses[slug].append(recommendation.because)
                if recommendation.weight < 0:
                    scores.against[slug].append(recommendation.because)
    return scores


def _ordered_path(
    catalog: PlannerCatalog,
    recommended: Iterable[str],
    known: set[str] | frozenset[str],
) -> tuple[list[str], dict[str, int]]:
    """The path (rule 4) in order (rule 5), and each step's depth."""
    technology_by_slug = catalog.technology_by_slug
    on_path = {slug for slug in recommended if slug not in known}
    pending = list(on_path)
    while pending:
        for link in technology_by_slug[pending.pop()].prerequisites:
            slug = link.technology
            if slug not in on_path and slug not in known:
                on_path.add(slug)
                pending.append(slug)

    # In the catalog's fixed topological order (prerequisites first) the graph module takes
    # one pass to compute every depth; it is the house's one definition of depth.
    rank, position = catalog.rank, catalog.position
    technologies = sorted(
        (technology_by_slug[slug] for slug in on_path), key=lambda tech: rank[tech.slug]
    )
    depth = graph.depth(
        {tech.slug: [link.technology for link in tech.prerequisites] for tech in technologies}
    )
    technologies.sort(
        key=lambda tech: (
            depth[tech.slug],
            LEVEL_RANK.get(tech.level, 3),
            position[tech.slug],
            tech.slug,
        )
    )
    return [technology.slug for technology in technologies], depth


def _stage_name(depth: int) -> str:
    return STAGE_NAMES[min(depth, len(STAGE_NAMES) - 1)]


def _stage_of(step: Step) -> str:
    return step.stage


def _plan_path(
    catalog: PlannerCatalog,
    answers: Answers,
    ticked_known: Iterable[str],
    *,
    use_knows: bool,
) -> tuple[list[str], dict[str, int], _Scores, set[str]]:
    chosen = chosen_choices(catalog, answers)
    scores = _score(chosen)
    known = {slug for slug in ticked_known if slug in catalog.technology_by_slug}
    if use_knows:
        for choice in chosen:
            known.update(choice.knows)
    recommended = [slug for slug, score in scores.score.items() if score > 0]
    path, depth = _ordered_path(catalog, recommended, known)
    return path, depth, scores, known


def path_candidates(catalog: PlannerCatalog, answers: Answers) -> list[str]:
    """The technologies the path would hold if nothing were known, in path order.

    Feeds the "What do you already know?" screen.
    """
    path, *_ = _plan_path(catalog, answers, (), use_knows=False)
    return path


def build_plan(
    catalog: PlannerCatalog,
    answers: Answers,
    known: Iterable[str],
    hours_per_week: int,
) -> Plan:
    """Plan a path for validated input (see `paths.api_json.validate_answers`); rules in the
    package docstring.

    Unknown known-slugs and malformed answers are ignored; hours per week below 1 raise
    ValueError.
    """
    if hours_per_week < HOURS_PER_WEEK_MIN:
        raise ValueError(f"hours_per_week must be at least {HOURS_PER_WEEK_MIN}.")
    path, depth, scores, known_set = _plan_path(catalog, answers, known, use_knows=True)
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

    steps = []
    for slug in path:
        technology = technology_by_slug[slug]
        reasons = list(scores.becauses.get(slug, ()))
        dependents = needed_by.get(slug)
        if dependents:
            names = ", ".join(technology_by_slug[dependent].name for dependent, _ in dependents)
            reasons.append(f"This is needed before {names}.")
            reasons.extend(why for _, why in dependents if why)
        score = scores.score.get(slug, 0)
        steps.append(
            Step(
                technology=slug,
                name=technology.name,
                kind=technology.kind,
                level=technology.level,
                reasons=tuple(reasons),
                effort_hours=technology.effort_hours,
                prerequisites=prerequisites_on_path[slug],
                alternatives=technology.alternatives,
                score=score,
                recommended=score > 0,
                stage=_stage_name(depth[slug]),
                checkpoints=technology.checkpoints,
                depth=depth[slug],
            )
        )

    stages = []
    for name, group in groupby(steps, key=_stage_of):
        members = tuple(group)
        stages.append(
            Stage(
                name,
                tuple(step.technology for step in members),
                sum(step.effort_hours for step in members),
            )
        )

    considered = [
        Considered(
            technology=slug,
            name=technology_by_slug[slug].name,
            reasons=tuple(scores.against.get(slug) or scores.becauses.get(slug, ())),
        )
        for slug in sorted(
            (slug for slug, score in scores.score.items() if score <= 0),
            key=catalog.position.__getitem__,
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
        known=tuple(sorted(known_set, key=catalog.position.__getitem__)),
    )


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
                    index,  # the project's position in the catalog
                    PlacedProject(project.slug, project.title, project.brief, project.uses, after),
                )
            )
    placed.sort(key=lambda entry: entry[:2])
    return tuple(project for _, _, project in placed)
