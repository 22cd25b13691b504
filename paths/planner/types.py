"""The planner's input and output: frozen dataclasses, and the bounds of its parameters.

`PlannerCatalog` (built by `paths.planner.catalog.catalog_from_document`) is the input; `Plan`
and the types it holds are the output. See the package docstring for the rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

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


# Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """A prerequisite link: `technology` must come first, for the reason `why` ("" if none)."""

    technology: str
    why: str


@dataclass(frozen=True, slots=True)
class Technology:
    """A technology as the planner sees it."""

    slug: str
    name: str
    kind: str
    level: str
    summary: str
    categories: tuple[str, ...]
    effort_hours: int
    checkpoints: tuple[str, ...]
    prerequisites: tuple[Prerequisite, ...]
    alternatives: tuple[str, ...]
    position: int  # index in the catalog's order
    rank: int  # index in one fixed topological order of the whole catalog (prerequisites first)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """What choosing a choice says about a technology (weight > 0 for, < 0 against)."""

    technology: str
    weight: int
    because: str


@dataclass(frozen=True, slots=True)
class Choice:
    """An answer to a question."""

    slug: str
    label: str
    recommends: tuple[Recommendation, ...]
    knows: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ShowIf:
    """Ask a question only when `question` was answered with one of `any_of`."""

    question: str
    any_of: frozenset[str]


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the questionnaire."""

    slug: str
    prompt: str
    help: str
    kind: str  # "single" | "multiple"
    show_if: ShowIf | None
    choices: tuple[Choice, ...]
    choice_slugs: tuple[str, ...]

    @property
    def is_single(self) -> bool:
        """True when the question takes exactly one choice."""
        return self.kind == "single"


@dataclass(frozen=True, slots=True)
class Project:
    """A practice project and the technologies it uses."""

    slug: str
    title: str
    brief: str
    uses: tuple[str, ...]
    position: int


@dataclass(frozen=True, slots=True, eq=False)
class PlannerCatalog:
    """The immutable, indexed input of the planner (build it with `catalog_from_document`).

    Compared and hashed by identity: one object per catalog version.
    """

    technologies: tuple[Technology, ...]
    technology_by_slug: Mapping[str, Technology]
    questions: tuple[Question, ...]
    question_by_slug: Mapping[str, Question]
    projects: tuple[Project, ...]
    projects_by_technology: Mapping[str, tuple[int, ...]]  # slug -> indexes into `projects`


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
