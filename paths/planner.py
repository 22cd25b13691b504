"""The planner: from a learner's answers to an ordered study path, as a pure function.

It works on plain data (the normalized catalog document, docs/catalog-document.md) and knows
nothing of requests or the ORM. `catalog_from_document()` builds an immutable, indexed
`PlannerCatalog` once per catalog version; `build_plan()` then only touches the technologies,
questions and projects that the answers reach, so a plan over 10,000 technologies takes
milliseconds.

The rules are DESIGN.md's "The planner (what a path must satisfy)":

1. Visibility: a question is visible when it has no `show_if`, or when the question its
   `show_if` names is visible (so it comes earlier) and was answered with one of `any_of`.
   Answers to questions that are not visible are ignored everywhere.
2. score(technology) = the sum of the weights of the chosen choices' `recommends` for it.
3. Recommended: score > 0. Known: ticked as known, plus the `knows` of chosen choices.
4. The path: recommended technologies and their prerequisites, transitively, minus known ones.
   The closure does not go through a known technology.
5. Order. depth(technology) = 0 when none of its prerequisites is on the path, else 1 + the
   greatest depth of its prerequisites on the path. Steps are sorted by
   (depth, level: beginner < intermediate < advanced, position in the catalog, slug).
   Every prerequisite has a smaller depth than its dependents, so it comes first; among
   equals, foundations and easier technologies come first, and the catalog's order (the
   curator's) settles the rest. The sort key is total, so the same input gives the same path.
   Depths come from one pass over the path in a topological order of the whole catalog, which
   `catalog_from_document()` computes once with graphlib.TopologicalSorter (so a plan never
   pays for a sorter of its own).
   Stages are contiguous runs of that order, by depth: 0 "Foundations", 1 "Core skills",
   2 and more "Going further"; a stage without steps is left out.
6. Reasons of a step, in this order: the `because` texts of the chosen choices'
   recommendations of it, positive and negative, in question and choice order; then, when
   other steps need it, "This is needed before X, Y." (their names, in path order), followed by
   the `why` of each of those prerequisite links that has one. Considered, not recommended:
   the technologies with score <= 0 that a chosen choice mentions, in catalog order, with the
   `because` texts of the recommendations against them (all their texts if none is against).
   As DESIGN.md says, that is every such technology, even one that is also on the path as
   another step's prerequisite or known.
7. Effort: total hours = the sum of the steps' `effort_hours`; weeks = ceil(total / hours per
   week), 0 for an empty path.
8. Projects join when every technology they use is on the path or known and at least one is on
   the path; each stands right after the last of its technologies on the path (several after
   the same step keep the catalog's order).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from graphlib import TopologicalSorter
from itertools import groupby
from types import MappingProxyType

LEVEL_RANK = MappingProxyType({"beginner": 0, "intermediate": 1, "advanced": 2})
STAGE_NAMES = ("Foundations", "Core skills", "Going further")
HOURS_PER_WEEK_MIN = 1
HOURS_PER_WEEK_MAX = 80
DEFAULT_HOURS_PER_WEEK = 5

# Bounds on what garbage input can cost: messages per field, and "did you mean" look-ups.
_MAX_MESSAGES_PER_FIELD = 20
_MAX_SUGGESTIONS_PER_FIELD = 5
_MAX_SHOWN_CHARS = 64

Answers = Mapping[str, Sequence[str]]


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
    recommended: bool
    stage: str
    checkpoints: tuple[str, ...]
    depth: int

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
    """A milestone: a contiguous run of steps."""

    name: str
    steps: tuple[str, ...]
    hours: int


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


# Building the catalog -----------------------------------------------------------------------


def catalog_from_document(document: dict) -> PlannerCatalog:
    """Build the planner's immutable, indexed catalog from a normalized catalog document.

    Raises ValueError when the document refers to a technology or question it does not have,
    or when its prerequisites form a cycle (graphlib.CycleError is a ValueError).
    """
    technology_documents = document["technologies"]
    slugs = {item["slug"] for item in technology_documents}

    def require_technology(slug: str, place: str) -> str:
        if slug not in slugs:
            raise ValueError(f"{place} names an unknown technology {slug!r}.")
        return slug

    prerequisites_of = {
        item["slug"]: tuple(
            Prerequisite(
                require_technology(link["technology"], f"Technology {item['slug']!r}"),
                link.get("why") or "",
            )
            for link in item.get("prerequisites") or ()
        )
        for item in technology_documents
    }
    sorter = TopologicalSorter(
        {slug: [link.technology for link in links] for slug, links in prerequisites_of.items()}
    )
    rank = {slug: index for index, slug in enumerate(sorter.static_order())}

    technologies = tuple(
        Technology(
            slug=item["slug"],
            name=item["name"],
            kind=item["kind"],
            level=item["level"],
            summary=item.get("summary") or "",
            categories=tuple(item.get("categories") or ()),
            effort_hours=item["effort_hours"],
            checkpoints=tuple(item.get("checkpoints") or ()),
            prerequisites=prerequisites_of[item["slug"]],
            alternatives=tuple(
                require_technology(slug, f"Technology {item['slug']!r}")
                for slug in item.get("alternatives") or ()
            ),
            position=position,
            rank=rank[item["slug"]],
        )
        for position, item in enumerate(technology_documents)
    )

    questions = []
    for item in document.get("questions") or ():
        place = f"Question {item['slug']!r}"
        show_if = item.get("show_if")
        choices = tuple(
            Choice(
                slug=choice["slug"],
                label=choice["label"],
                recommends=tuple(
                    Recommendation(
                        require_technology(rec["technology"], place),
                        rec["weight"],
                        rec.get("because") or "",
                    )
                    for rec in choice.get("recommends") or ()
                ),
                knows=tuple(require_technology(slug, place) for slug in choice.get("knows") or ()),
            )
            for choice in item["choices"]
        )
        questions.append(
            Question(
                slug=item["slug"],
                prompt=item["prompt"],
                help=item.get("help") or "",
                kind=item["kind"],
                show_if=(
                    ShowIf(show_if["question"], frozenset(show_if["any_of"])) if show_if else None
                ),
                choices=choices,
                choice_slugs=tuple(choice.slug for choice in choices),
            )
        )

    projects = tuple(
        Project(
            slug=item["slug"],
            title=item["title"],
            brief=item.get("brief") or "",
            uses=tuple(
                require_technology(slug, f"Project {item['slug']!r}") for slug in item["uses"]
            ),
            position=position,
        )
        for position, item in enumerate(document.get("projects") or ())
    )
    projects_by_technology: dict[str, list[int]] = defaultdict(list)
    for index, project in enumerate(projects):
        for slug in dict.fromkeys(project.uses):
            projects_by_technology[slug].append(index)

    return PlannerCatalog(
        technologies=technologies,
        technology_by_slug=MappingProxyType({tech.slug: tech for tech in technologies}),
        questions=tuple(questions),
        question_by_slug=MappingProxyType({question.slug: question for question in questions}),
        projects=projects,
        projects_by_technology=MappingProxyType(
            {slug: tuple(indexes) for slug, indexes in projects_by_technology.items()}
        ),
    )


# The questionnaire --------------------------------------------------------------------------


def _chosen_slugs(answers: object, question_slug: str) -> tuple[str, ...]:
    """The choice slugs given for a question; anything that is not a list of strings counts
    as no answer (a bare string is not a list of choices)."""
    if not isinstance(answers, Mapping):
        return ()
    value = answers.get(question_slug)
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def visible_questions(catalog: PlannerCatalog, answers: Answers) -> list[Question]:
    """The questions to ask given these answers (rule 1), in catalog order."""
    visible: list[Question] = []
    visible_slugs: set[str] = set()
    for question in catalog.questions:
        show_if = question.show_if
        if show_if is not None and (
            show_if.question not in visible_slugs
            or show_if.any_of.isdisjoint(_chosen_slugs(answers, show_if.question))
        ):
            continue
        visible.append(question)
        visible_slugs.add(question.slug)
    return visible


def _chosen_choices(catalog: PlannerCatalog, answers: Answers) -> list[Choice]:
    """The chosen choices of the visible questions, in question and choice order."""
    chosen: list[Choice] = []
    for question in visible_questions(catalog, answers):
        picked = set(_chosen_slugs(answers, question.slug))
        if picked:
            chosen.extend(choice for choice in question.choices if choice.slug in picked)
    return chosen


def implied_known(catalog: PlannerCatalog, answers: Answers) -> list[str]:
    """The technologies the chosen choices of visible questions imply are known (`knows`)."""
    implied: dict[str, None] = {}
    for choice in _chosen_choices(catalog, answers):
        implied.update(dict.fromkeys(choice.knows))
    return list(implied)


# Validation ---------------------------------------------------------------------------------


def _shown(value: str) -> str:
    """A user-supplied string, cut short enough to quote in a message."""
    if len(value) <= _MAX_SHOWN_CHARS:
        return value
    return value[: _MAX_SHOWN_CHARS - 1] + "…"


def _unknown(what: str, value: str, candidates: Iterable[str], *, suggest: bool) -> str:
    """The message for an unknown slug, with the closest known one when there is one."""
    match = None
    if suggest and len(value) <= 2 * _MAX_SHOWN_CHARS:
        matches = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
        match = matches[0] if matches else None
    if match is None:
        return f"{what} '{_shown(value)}'."
    return f"{what} '{_shown(value)}'; did you mean '{match}'?"


class _Messages:
    """Error messages for one field, capped so that garbage input stays cheap to answer."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.hidden = 0
        self.suggestions_left = _MAX_SUGGESTIONS_PER_FIELD

    def add(self, message: str) -> None:
        if message in self.messages:
            return
        if len(self.messages) < _MAX_MESSAGES_PER_FIELD:
            self.messages.append(message)
        else:
            self.hidden += 1

    def unknown(self, what: str, value: str, candidates: Iterable[str]) -> None:
        if len(self.messages) >= _MAX_MESSAGES_PER_FIELD:
            self.hidden += 1
            return
        suggest = self.suggestions_left > 0
        self.suggestions_left -= 1
        self.add(_unknown(what, value, candidates, suggest=suggest))

    def result(self) -> list[str]:
        if self.hidden:
            plural = "problem" if self.hidden == 1 else "problems"
            return [*self.messages, f"And {self.hidden} more {plural}."]
        return self.messages


def _is_list_of_strings(value: object) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)


def _first_repeated(values: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def _answer_errors(catalog: PlannerCatalog, answers: object) -> list[str]:
    if not isinstance(answers, Mapping):
        return ["Answers must be an object that maps question slugs to lists of choice slugs."]
    messages = _Messages()
    well_formed: dict[str, list[str]] = {}
    malformed: set[str] = set()
    for question_slug, value in answers.items():
        if not isinstance(question_slug, str):
            messages.add("Question slugs must be strings.")
            continue
        question = catalog.question_by_slug.get(question_slug)
        if question is None:
            messages.unknown("Unknown question", question_slug, catalog.question_by_slug)
            continue
        if not _is_list_of_strings(value):
            messages.add(f"Question '{question_slug}' takes a list of choice slugs.")
            malformed.add(question_slug)
            continue
        for choice_slug in dict.fromkeys(value):
            if choice_slug not in question.choice_slugs:
                messages.unknown(
                    f"Question '{question_slug}' has no choice",
                    choice_slug,
                    question.choice_slugs,
                )
        well_formed[question_slug] = [slug for slug in value if slug in question.choice_slugs]
    # Cardinality only matters for the questions that are asked.
    for question in visible_questions(catalog, well_formed):
        if question.slug in malformed:
            continue
        given = answers.get(question.slug)
        if not given:
            messages.add(f"Question '{question.slug}' must be answered.")
        elif question.is_single and len(set(given)) > 1:
            messages.add(f"Question '{question.slug}' takes exactly one choice.")
        elif repeated := _first_repeated(given):
            messages.add(f"Question '{question.slug}' lists choice '{_shown(repeated)}' twice.")
    return messages.result()


def _known_errors(catalog: PlannerCatalog, known: object) -> list[str]:
    if not _is_list_of_strings(known):
        return ["Known technologies must be a list of technology slugs."]
    messages = _Messages()
    for slug in dict.fromkeys(known):
        if slug not in catalog.technology_by_slug:
            messages.unknown("Unknown technology", slug, catalog.technology_by_slug)
    return messages.result()


def is_valid_hours_per_week(hours_per_week: object) -> bool:
    """True for a whole number (not a bool) from 1 to 80."""
    return (
        isinstance(hours_per_week, int)
        and not isinstance(hours_per_week, bool)
        and HOURS_PER_WEEK_MIN <= hours_per_week <= HOURS_PER_WEEK_MAX
    )


def validate_answers(
    catalog: PlannerCatalog, answers: object, known: object, hours_per_week: object
) -> dict[str, list[str]]:
    """Check a plan request; errors by JSON field ("answers", "known", "hours_per_week").

    Returns an empty dict when the input is valid. Accepts anything (it never raises):
    answers must map question slugs to lists of choice slugs, known must be a list of
    technology slugs, hours per week an int from 1 to 80. Unknown questions and choices are
    errors even on questions that are not visible; cardinality and "must be answered" are
    only checked for visible ones.
    """
    errors: dict[str, list[str]] = {}
    if answer_errors := _answer_errors(catalog, answers):
        errors["answers"] = answer_errors
    if known_errors := _known_errors(catalog, known):
        errors["known"] = known_errors
    if not is_valid_hours_per_week(hours_per_week):
        errors["hours_per_week"] = [
            f"Hours per week must be a whole number from {HOURS_PER_WEEK_MIN} "
            f"to {HOURS_PER_WEEK_MAX}."
        ]
    return errors


# Planning -----------------------------------------------------------------------------------


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

    # The catalog's fixed topological order puts each prerequisite before its dependents, so
    # one pass over the path in that order computes every depth.
    technologies = sorted((technology_by_slug[slug] for slug in on_path), key=_by_rank)
    depth: dict[str, int] = {}
    for technology in technologies:
        deepest = -1
        for link in technology.prerequisites:
            prerequisite_depth = depth.get(link.technology, -1)
            if prerequisite_depth > deepest:
                deepest = prerequisite_depth
        depth[technology.slug] = deepest + 1
    technologies.sort(
        key=lambda tech: (
            depth[tech.slug],
            LEVEL_RANK.get(tech.level, 3),
            tech.position,
            tech.slug,
        )
    )
    return [technology.slug for technology in technologies], depth


def _by_rank(technology: Technology) -> int:
    return technology.rank


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
    chosen = _chosen_choices(catalog, answers)
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
    """Plan a path for validated input (see `validate_answers`); rules in the module docstring.

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
            key=lambda slug: technology_by_slug[slug].position,
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
        known=tuple(sorted(known_set, key=lambda slug: technology_by_slug[slug].position)),
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
                    project.position,
                    PlacedProject(project.slug, project.title, project.brief, project.uses, after),
                )
            )
    placed.sort(key=lambda entry: entry[:2])
    return tuple(project for _, _, project in placed)


def plan_to_api(plan: Plan) -> dict:
    """The plan as the body of DESIGN.md's `POST /api/plan` 200 response."""
    return {
        "steps": [
            {
                "technology": step.technology,
                "name": step.name,
                "reasons": list(step.reasons),
                "effort_hours": step.effort_hours,
                "prerequisites": list(step.prerequisites),
            }
            for step in plan.steps
        ],
        "projects": [
            {"project": project.slug, "title": project.title, "after": project.after}
            for project in plan.projects
        ],
        "considered": [
            {"technology": item.technology, "reasons": list(item.reasons)}
            for item in plan.considered
        ],
        "total_hours": plan.total_hours,
        "weeks": plan.weeks,
    }
