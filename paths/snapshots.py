"""A saved path's snapshot: the plan as it was made (`Snapshot`, typed and frozen, read from
the JSON the path keeps), and what the pages make of it.

The snapshot holds everything the path page, the Markdown export and the diagram show, so a
saved path renders without the catalog and reads the same after the catalog changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from catalog.selectors import web_address
from paths.catalog_cache import CatalogBundle
from paths.models import ProgressStatus
from paths.planner import Plan, visible_questions

SNAPSHOT_FORMAT = 1
STATUS_LABELS = dict(ProgressStatus.choices)


class _Saved(BaseModel):
    # Read from the database's JSON: keys a later format adds are ignored, and what an older
    # row lacks takes its empty default, so every saved row stays readable.
    model_config = ConfigDict(frozen=True, extra="ignore")


class NamedTechnology(_Saved):
    technology: str
    name: str


class SavedResource(_Saved):
    title: str
    url: str = ""  # "" when the address is not http(s): shown as text, never as a link
    kind: str = ""


class SavedStep(_Saved):
    technology: str
    name: str
    kind: str = ""
    level: str = ""
    stage: str = ""  # its milestone's name (before milestones: Foundations, Core skills…)
    milestone: str = ""  # the slug of the goal whose milestone it belongs to
    goal: bool = False  # a goal of the path: the end of its own milestone
    asked: bool = False  # a goal the learner asked for by name
    recommended: bool = False
    reasons: tuple[str, ...] = ()
    effort_hours: int = 0
    prerequisites: tuple[str, ...] = ()  # slugs of earlier steps
    alternatives: tuple[NamedTechnology, ...] = ()
    checkpoints: tuple[str, ...] = ()
    resources: tuple[SavedResource, ...] = ()


class SavedProject(_Saved):
    project: str
    title: str
    brief: str = ""
    uses: tuple[NamedTechnology, ...] = ()
    after: str = ""  # the slug of the step it follows


class SavedConsidered(_Saved):
    technology: str
    name: str
    reasons: tuple[str, ...] = ()


class SavedStage(_Saved):
    name: str
    steps: tuple[str, ...] = ()
    hours: int = 0
    goal: str = ""  # the goal it ends with; "" in a snapshot saved before milestones
    asked: bool = False


class SavedAnswer(_Saved):
    question: str
    prompt: str
    labels: tuple[str, ...] = ()


class Snapshot(_Saved):
    """A saved path's plan as it was made (the JSON in `LearningPath.snapshot`, format 1)."""

    format: int = SNAPSHOT_FORMAT
    answers: tuple[SavedAnswer, ...] | None = None  # None: saved before answers were kept
    goals: tuple[NamedTechnology, ...] = ()  # the goals asked for, in the order asked
    steps: tuple[SavedStep, ...] = ()
    projects: tuple[SavedProject, ...] = ()
    considered: tuple[SavedConsidered, ...] = ()
    stages: tuple[SavedStage, ...] = ()
    known: tuple[NamedTechnology, ...] = ()
    total_hours: int = 0
    weeks: int = 0
    hours_per_week: int = 0


def read_snapshot(snapshot: Snapshot | Mapping) -> Snapshot:
    """The saved JSON (or a Snapshot, returned as it is) as a Snapshot."""
    if isinstance(snapshot, Snapshot):
        return snapshot
    return Snapshot.model_validate(snapshot)


def answers_summary(
    bundle: CatalogBundle, answers: Mapping[str, Sequence[str]]
) -> tuple[SavedAnswer, ...]:
    """Each answered visible question's prompt and the chosen choices' labels, in order."""
    summary = []
    for question in visible_questions(bundle.planner, answers):
        chosen = set(answers.get(question.slug, ()))
        labels = tuple(choice.label for choice in question.choices if choice.slug in chosen)
        if labels:
            summary.append(
                SavedAnswer(question=question.slug, prompt=question.prompt, labels=labels)
            )
    return tuple(summary)


def plan_snapshot(
    plan: Plan, bundle: CatalogBundle, answers: Mapping[str, Sequence[str]] | None = None
) -> Snapshot:
    """The plan with the names and resources the pages need, and what it was planned for: the
    answers' prompts and labels, and the goals asked for. Save it with `saved_json()`."""
    technology_by_slug = bundle.planner.technology_by_slug

    def named(slug: str) -> NamedTechnology:
        return NamedTechnology(technology=slug, name=technology_by_slug[slug].name)

    return Snapshot(
        answers=answers_summary(bundle, answers or {}),
        goals=tuple(named(slug) for slug in plan.goals),
        steps=tuple(
            SavedStep(
                technology=step.technology,
                name=step.name,
                kind=step.kind,
                level=step.level,
                stage=step.stage,
                milestone=step.milestone,
                goal=step.goal,
                asked=step.asked,
                recommended=step.recommended,
                reasons=step.reasons,
                effort_hours=step.effort_hours,
                prerequisites=step.prerequisites,
                alternatives=tuple(named(slug) for slug in step.alternatives),
                checkpoints=step.checkpoints,
                resources=tuple(
                    SavedResource(title=item.title, url=web_address(item.url), kind=item.kind)
                    for item in technology_by_slug[step.technology].resources
                ),
            )
            for step in plan.steps
        ),
        projects=tuple(
            SavedProject(
                project=project.slug,
                title=project.title,
                brief=project.brief,
                uses=tuple(named(slug) for slug in project.uses),
                after=project.after,
            )
            for project in plan.projects
        ),
        considered=tuple(
            SavedConsidered(technology=item.technology, name=item.name, reasons=item.reasons)
            for item in plan.considered
        ),
        stages=tuple(
            SavedStage(
                name=stage.name,
                steps=stage.steps,
                hours=stage.hours,
                goal=stage.goal,
                asked=stage.asked,
            )
            for stage in plan.stages
        ),
        known=tuple(named(slug) for slug in plan.known),
        total_hours=plan.total_hours,
        weeks=plan.weeks,
        hours_per_week=plan.hours_per_week,
    )


def saved_json(snapshot: Snapshot) -> dict:
    """The snapshot as the JSON `LearningPath.snapshot` keeps."""
    return snapshot.model_dump(mode="json")


NAMED_GOALS = 3  # a default name lists this many goals, then how many more


def default_name(snapshot: Snapshot | Mapping) -> str | None:
    """A path's name from its milestones' goals ("Flask · Git · SQL + 2 more"); None for a
    snapshot without milestones (saved before them) or without steps."""
    names = [stage.name for stage in read_snapshot(snapshot).stages if stage.goal]
    if not names:
        return None
    name = " · ".join(names[:NAMED_GOALS])
    if len(names) > NAMED_GOALS:
        name += f" + {len(names) - NAMED_GOALS} more"
    return name


@dataclass(frozen=True, slots=True)
class StepView:
    """A step as the path page shows it: its number, status, the projects after it, and the
    owner's note on it (empty for anyone else)."""

    step: SavedStep
    number: int
    status: str
    projects: tuple[SavedProject, ...]
    note: str = ""
    note_version: int = 0
    ticked: frozenset[str] = frozenset()  # the learner's ticked checkpoints of this technology

    @property
    def checkpoints(self) -> tuple[tuple[int, str, bool], ...]:
        """(index, text, ticked) for each of the step's checkpoints, in order."""
        return tuple(
            (index, text, text in self.ticked) for index, text in enumerate(self.step.checkpoints)
        )

    @property
    def ticked_count(self) -> int:
        return sum(ticked for _, _, ticked in self.checkpoints)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_buttons(self) -> tuple[tuple[str, str, bool], ...]:
        """(value, label, pressed) for each status button, in DESIGN.md's order."""
        return tuple(
            (value, label, value == self.status) for value, label in ProgressStatus.choices
        )


@dataclass(frozen=True, slots=True)
class StageView:
    """A milestone heading and its steps; `start` is the number of its first step. `goal` is
    the slug of the goal it ends with ("" in a snapshot saved before milestones, whose stages
    were Foundations, Core skills and Going further)."""

    name: str
    hours: int
    start: int
    steps: tuple[StepView, ...]
    number: int = 1
    goal: str = ""
    asked: bool = False

    @property
    def title(self) -> str:
        """ "Milestone 2: Flask" (or the old stage's own name)."""
        return f"Milestone {self.number}: {self.name}" if self.goal else self.name


@dataclass(frozen=True, slots=True)
class ProgressSummary:
    """How far the learner is along one path.

    Skipped steps are left out of the count to do: "2 of 2 steps done" once the learner has
    done every step they did not skip.
    """

    total: int
    done: int
    doing: int
    skipped: int
    hours_left: int
    next_step: SavedStep | None = None  # the first step neither done nor skipped: where they are

    @property
    def counted(self) -> int:
        """The steps the learner means to take: all but the skipped ones."""
        return self.total - self.skipped

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.counted) if self.counted else 100

    @property
    def finished(self) -> bool:
        """True when every step is done or skipped (and the path has steps)."""
        return self.total > 0 and self.done == self.counted


def status_of(statuses: Mapping[str, str], slug: str) -> str:
    """A technology's status for a learner; "todo" when they never set one."""
    status = statuses.get(slug, ProgressStatus.TODO)
    return status if status in STATUS_LABELS else ProgressStatus.TODO


def step_view(
    snapshot: Snapshot | Mapping,
    slug: str,
    statuses: Mapping[str, str],
    notes: Mapping[str, tuple[str, int]] | None = None,
    ticks: Mapping[str, frozenset[str]] | None = None,
) -> StepView | None:
    """One step of the snapshot as the page shows it, or None when the path has no such step."""
    snapshot = read_snapshot(snapshot)
    for number, step in enumerate(snapshot.steps, start=1):
        if step.technology == slug:
            projects = tuple(p for p in snapshot.projects if p.after == slug)
            note, version = (notes or {}).get(slug, ("", 0))
            ticked = (ticks or {}).get(slug, frozenset())
            return StepView(
                step, number, status_of(statuses, slug), projects, note, version, ticked
            )
    return None


def path_purpose(snapshot: Snapshot | Mapping, fallback: Callable[[], Sequence]) -> dict:
    """What a path was planned for: the answers (prompt and chosen labels), the goals asked for
    and the goals it leads to. `fallback` gives the answers of a snapshot saved before it
    recorded them."""
    snapshot = read_snapshot(snapshot)
    return {
        "answers": snapshot.answers if snapshot.answers is not None else fallback(),
        "goals": snapshot.goals,
        "milestones": [stage.name for stage in snapshot.stages if stage.goal],
    }


def has_step(snapshot: Snapshot | Mapping, slug: str) -> bool:
    """True when the path has a step for this technology."""
    return any(step.technology == slug for step in read_snapshot(snapshot).steps)


def path_outline(
    snapshot: Snapshot | Mapping,
    statuses: Mapping[str, str],
    notes: Mapping[str, tuple[str, int]] | None = None,
    ticks: Mapping[str, frozenset[str]] | None = None,
) -> list[StageView]:
    """The snapshot's milestones in order, each with its steps and the projects placed after them;
    `notes` (technology slug → (text, version)) only for the path's owner; `ticks`
    (technology slug → ticked checkpoint texts) for everyone."""
    notes = notes or {}
    ticks = ticks or {}
    snapshot = read_snapshot(snapshot)
    projects_after: dict[str, list[SavedProject]] = defaultdict(list)
    for project in snapshot.projects:
        projects_after[project.after].append(project)
    step_by_slug = {step.technology: step for step in snapshot.steps}
    outline = []
    number = 1
    for stage in snapshot.stages:
        views = []
        for slug in stage.steps:
            note, version = notes.get(slug, ("", 0))
            views.append(
                StepView(
                    step_by_slug[slug],
                    number + len(views),
                    status_of(statuses, slug),
                    tuple(projects_after.get(slug, ())),
                    note,
                    version,
                    ticks.get(slug, frozenset()),
                )
            )
        outline.append(
            StageView(
                stage.name,
                stage.hours,
                number,
                tuple(views),
                number=len(outline) + 1,
                goal=stage.goal,
                asked=stage.asked,
            )
        )
        number += len(views)
    return outline


def progress_summary(snapshot: Snapshot | Mapping, statuses: Mapping[str, str]) -> ProgressSummary:
    """Counts of the path's steps by status, and the hours of those not done or skipped."""
    snapshot = read_snapshot(snapshot)
    counts: dict[str, int] = defaultdict(int)
    hours_left = 0
    next_step = None
    for step in snapshot.steps:
        status = status_of(statuses, step.technology)
        counts[status] += 1
        if status not in (ProgressStatus.DONE, ProgressStatus.SKIPPED):
            hours_left += step.effort_hours
            next_step = next_step or step
    return ProgressSummary(
        total=len(snapshot.steps),
        done=counts[ProgressStatus.DONE],
        doing=counts[ProgressStatus.DOING],
        skipped=counts[ProgressStatus.SKIPPED],
        hours_left=hours_left,
        next_step=next_step,
    )


@dataclass(frozen=True, slots=True)
class WhereNow:
    """Where a learner stands on a path: the step to work on now and the one after it
    (as (number, step) pairs; None when there is none), and the hours left."""

    current: tuple[int, SavedStep] | None
    next: tuple[int, SavedStep] | None
    current_status: str
    hours_left: int


def where_now(snapshot: Snapshot | Mapping, statuses: Mapping[str, str]) -> WhereNow:
    """The first step in progress (else the first to do) and the next open step after it (or,
    when none is after it, the first one left before it)."""
    open_steps = [
        (number, step, status_of(statuses, step.technology))
        for number, step in enumerate(read_snapshot(snapshot).steps, start=1)
        if status_of(statuses, step.technology) not in (ProgressStatus.DONE, ProgressStatus.SKIPPED)
    ]
    current = next((item for item in open_steps if item[2] == ProgressStatus.DOING), None)
    current = current or (open_steps[0] if open_steps else None)
    # Next: the first open step after the current one, else one left behind before it.
    others = [item for item in open_steps if current and item[0] != current[0]]
    after = [item for item in others if item[0] > current[0]] or others
    return WhereNow(
        current=current[:2] if current else None,
        next=after[0][:2] if after else None,
        current_status=STATUS_LABELS[current[2]] if current else "",
        hours_left=sum(step.effort_hours for _, step, _ in open_steps),
    )
