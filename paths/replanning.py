"""Re-planning a saved path on the current catalog, and what that would change.

A saved path keeps its snapshot. When the catalog has changed since, the path page shows what
planning again with the same answers, known technologies and hours would add, drop or reorder,
and its owner can accept that; `paths.services.path_replan` then updates the path in place.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from paths import questionnaire
from paths.api_json import validate_answers
from paths.catalog_cache import CatalogBundle
from paths.models import LearningPath
from paths.planner import build_plan, visible_questions
from paths.snapshots import plan_snapshot


@dataclass(frozen=True, slots=True)
class PlanInput:
    """What the planner needs, checked against one catalog."""

    answers: dict[str, list[str]]
    known: list[str]
    hours_per_week: int
    goals: list[str]


@dataclass(frozen=True, slots=True)
class EffortChange:
    name: str
    old: int
    new: int


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """How a new snapshot differs from an old one, by step and in total (names, in path order)."""

    added: tuple[str, ...]
    dropped: tuple[str, ...]
    moved: tuple[str, ...]
    effort_changed: tuple[EffortChange, ...]
    projects_added: tuple[str, ...]
    projects_dropped: tuple[str, ...]
    total_hours: tuple[int, int]
    weeks: tuple[int, int]

    @property
    def changes_anything(self) -> bool:
        """False when the steps, projects and totals all stay as they are."""
        return bool(
            self.added
            or self.dropped
            or self.moved
            or self.effort_changed
            or self.projects_added
            or self.projects_dropped
            or self.total_hours[0] != self.total_hours[1]
            or self.weeks[0] != self.weeks[1]
        )


@dataclass(frozen=True, slots=True)
class Replan:
    """A path planned again on the current catalog: its input, snapshot and the difference."""

    catalog_version: int
    input: PlanInput
    snapshot: dict
    diff: PlanDiff


def _longest_increasing(values: list[int]) -> set[int]:
    """The positions of one longest strictly increasing subsequence (patience sorting)."""
    tail_values: list[int] = []  # the smallest last value of a run of each length
    tail_indexes: list[int] = []  # and where in `values` that run ends
    previous = [-1] * len(values)
    for index, value in enumerate(values):
        length = bisect_left(tail_values, value)
        if length > 0:
            previous[index] = tail_indexes[length - 1]
        if length == len(tail_values):
            tail_values.append(value)
            tail_indexes.append(index)
        else:
            tail_values[length] = value
            tail_indexes[length] = index
    kept: set[int] = set()
    index = tail_indexes[-1] if tail_indexes else -1
    while index != -1:
        kept.add(index)
        index = previous[index]
    return kept


def plan_diff(old: dict, new: dict) -> PlanDiff:
    """What going from snapshot `old` to `new` adds, drops, reorders and re-estimates.

    "Moved" steps are the fewest steps that, taken out and put back, turn the old order of the
    steps both snapshots share into the new one (those outside a longest common run).
    """
    old_steps = {step["technology"]: step for step in old["steps"]}
    new_steps = {step["technology"]: step for step in new["steps"]}
    new_position = {slug: index for index, slug in enumerate(new_steps)}
    shared = [slug for slug in old_steps if slug in new_steps]
    in_order = _longest_increasing([new_position[slug] for slug in shared])
    moved = {slug for index, slug in enumerate(shared) if index not in in_order}
    old_projects = {project["project"]: project["title"] for project in old["projects"]}
    new_projects = {project["project"]: project["title"] for project in new["projects"]}
    return PlanDiff(
        added=tuple(step["name"] for slug, step in new_steps.items() if slug not in old_steps),
        dropped=tuple(step["name"] for slug, step in old_steps.items() if slug not in new_steps),
        moved=tuple(new_steps[slug]["name"] for slug in new_steps if slug in moved),
        effort_changed=tuple(
            EffortChange(step["name"], old_steps[slug]["effort_hours"], step["effort_hours"])
            for slug, step in new_steps.items()
            if slug in old_steps and old_steps[slug]["effort_hours"] != step["effort_hours"]
        ),
        projects_added=tuple(
            title for slug, title in new_projects.items() if slug not in old_projects
        ),
        projects_dropped=tuple(
            title for slug, title in old_projects.items() if slug not in new_projects
        ),
        total_hours=(old["total_hours"], new["total_hours"]),
        weeks=(old["weeks"], new["weeks"]),
    )


def replan_input(
    path: LearningPath, bundle: CatalogBundle, *, goals: list[str] | None = None
) -> PlanInput | None:
    """The path's answers, known technologies, goals (or `goals` instead) and hours for the
    current catalog.

    None when they no longer make a complete questionnaire: a new question to answer, or a
    chosen answer the catalog no longer offers. The learner then goes through the questionnaire
    with their answers filled in instead.
    """
    catalog = bundle.planner
    state, dropped = questionnaire.state_from_data(
        {
            "answers": path.answers,
            "known": path.known,
            "hours_per_week": path.hours_per_week,
            "goals": path.goals if goals is None else goals,
        },
        catalog,
    )
    flow = questionnaire.screens(catalog, state.answers)
    if dropped or not questionnaire.is_complete(flow, state.answers):
        return None
    answers = {
        question.slug: state.answers[question.slug]
        for question in visible_questions(catalog, state.answers)
    }
    known = state.known or []
    # A goal the catalog no longer has is dropped, as a known technology is.
    goals = state.goals
    if validate_answers(catalog, answers, known, path.hours_per_week, goals):
        return None
    return PlanInput(answers=answers, known=known, hours_per_week=path.hours_per_week, goals=goals)


def replan_preview(
    path: LearningPath, bundle: CatalogBundle, *, goals: list[str] | None = None
) -> Replan | None:
    """The path planned again on `bundle`'s catalog (with `goals` instead of its own, when
    given) and how it differs; None as for `replan_input`."""
    plan_input = replan_input(path, bundle, goals=goals)
    if plan_input is None:
        return None
    plan = build_plan(
        bundle.planner,
        plan_input.answers,
        plan_input.known,
        plan_input.hours_per_week,
        plan_input.goals,
    )
    snapshot = plan_snapshot(plan, bundle, plan_input.answers)
    return Replan(bundle.version, plan_input, snapshot, plan_diff(path.snapshot, snapshot))
