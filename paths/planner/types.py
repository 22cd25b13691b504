"""The planner's input and output, and the bounds of its parameters.

The input is the catalog document's own types (catalog/document.py), indexed once per
version in a `PlannerCatalog` (built by `paths.planner.catalog.catalog_from_document`); `Plan`
and the frozen dataclasses it holds are the output. See the package docstring for the rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from catalog.document import CatalogDocument, Project, Question, Technology

LEVEL_RANK = MappingProxyType({"beginner": 0, "intermediate": 1, "advanced": 2})
HOURS_PER_WEEK_MIN = 1
HOURS_PER_WEEK_MAX = 80
DEFAULT_HOURS_PER_WEEK = 5

Answers = Mapping[str, Sequence[str]]


def is_valid_hours_per_week(hours_per_week: object) -> bool:
    """True for a whole number (not a bool) from 1 to 80."""
    return (
        isinstance(hours_per_week, int)
        and not isinstance(hours_per_week, bool)
        and HOURS_PER_WEEK_MIN <= hours_per_week <= HOURS_PER_WEEK_MAX
    )


# Input --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class PlannerCatalog:
    """The planner's input: the catalog document (catalog/document.py) and the indexes a plan
    needs (build it with `catalog_from_document`).

    Compared and hashed by identity: one object per catalog version.
    """

    document: CatalogDocument
    technology_by_slug: Mapping[str, Technology]
    question_by_slug: Mapping[str, Question]
    position: Mapping[str, int]  # slug -> index in the catalog's order
    rank: Mapping[str, int]  # slug -> index in one fixed topological order (prerequisites first)
    projects_by_technology: Mapping[str, tuple[int, ...]]  # slug -> indexes into `projects`

    @property
    def technologies(self) -> tuple[Technology, ...]:
        return self.document.technologies

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.document.questions

    @property
    def projects(self) -> tuple[Project, ...]:
        return self.document.projects


# Outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One technology of a path, with why it is there."""

    technology: str
    name: str
    kind: str
    level: str
    reasons: tuple[str, ...]
    effort_hours: int
    prerequisites: tuple[str, ...]  # direct prerequisites on the path, in path order
    alternatives: tuple[str, ...]
    score: int
    recommended: bool  # score > 0, or asked for
    stage: str  # the name of its milestone (its goal's name)
    checkpoints: tuple[str, ...]
    goal: bool  # a goal of the path (rule 5): recommended, and the end of its own milestone
    asked: bool  # a goal the learner asked for by name
    milestone: str  # the slug of the goal whose milestone it belongs to

    @property
    def is_project(self) -> bool:
        """False: lets templates tell steps from projects in `Plan.timeline()`."""
        return False


@dataclass(frozen=True, slots=True)
class PlacedProject:
    """A project placed on a path, right after the step `after`."""

    slug: str
    title: str
    brief: str
    uses: tuple[str, ...]
    after: str

    @property
    def is_project(self) -> bool:
        """True: lets templates tell steps from projects in `Plan.timeline()`."""
        return True


@dataclass(frozen=True, slots=True)
class Considered:
    """A technology a chosen answer mentioned but that scored <= 0."""

    technology: str
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Stage:
    """A milestone: a contiguous run of steps that ends with its goal (rule 5)."""

    name: str  # the goal's name
    steps: tuple[str, ...]
    hours: int
    goal: str  # the goal's slug: the milestone's last step
    asked: bool  # the learner asked for this goal by name


@dataclass(frozen=True, slots=True)
class Plan:
    """An ordered study path."""

    steps: tuple[Step, ...]
    projects: tuple[PlacedProject, ...]
    considered: tuple[Considered, ...]
    stages: tuple[Stage, ...]
    total_hours: int
    weeks: int
    hours_per_week: int
    known: tuple[str, ...]  # every known technology (ticked or implied), in catalog order
    goals: tuple[str, ...] = ()  # the goals asked for, each once, in the order asked

    def timeline(self) -> tuple[Step | PlacedProject, ...]:
        """Steps and projects interleaved, each project right after its step."""
        return tuple(item for _, items in self.timeline_by_stage() for item in items)

    def timeline_by_stage(
        self,
    ) -> tuple[tuple[Stage, tuple[Step | PlacedProject, ...]], ...]:
        """Each stage with its steps and the projects placed among them, in order."""
        projects_after: dict[str, list[PlacedProject]] = defaultdict(list)
        for project in self.projects:
            projects_after[project.after].append(project)
        step_by_slug = {step.technology: step for step in self.steps}
        grouped = []
        for stage in self.stages:
            items: list[Step | PlacedProject] = []
            for slug in stage.steps:
                items.append(step_by_slug[slug])
                items.extend(projects_after.get(slug, ()))
            grouped.append((stage, tuple(items)))
        return tuple(grouped)
