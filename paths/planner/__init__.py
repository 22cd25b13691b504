"""The planner: from a learner's answers to an ordered study path, as a pure function.

It works on plain data (the normalized catalog document, docs/catalog-document.md) and knows
nothing of requests or the ORM. `catalog_from_document()` builds an immutable, indexed
`PlannerCatalog` once per catalog version; `build_plan()` then only touches the technologies,
questions and projects that the answers reach, so a plan over 10,000 technologies takes
milliseconds. The modules: `types` (input and output), `catalog` (document to
`PlannerCatalog`), `visibility` (rule 1) and `planning` (rules 2 to 8). Checking a client's
JSON input and writing the API's output live beside the API (`paths.api_input`, `paths.api`).

The rules are DESIGN.md's "The planner (what a path must satisfy)":

1. Visibility: a question is visible when it has no `show_if`, or when the question its
   `show_if` names is visible (so it comes earlier) and was answered with one of `any_of`.
   Answers to questions that are not visible are ignored everywhere.
2. score(technology) = the sum of the weights of the chosen choices' `recommends` for it.
3. Recommended: score > 0, plus the goals asked for by name (each once, in the order asked;
   unknown slugs are ignored). Known: ticked as known, plus the `knows` of chosen choices; a
   known goal is simply known.
4. The path: recommended technologies and their prerequisites, transitively, minus known ones.
   The closure does not go through a known technology.
5. Order, goal by goal. The goals are the recommended technologies on the path: those asked
   for, in the order asked, then the rest by score, highest first (ties: catalog order). Each
   goal in turn is preceded by its prerequisites on the path not yet placed (transitively,
   through steps on the path): among them, a technology is placed as soon as its own
   prerequisites on the path are, the earliest in the catalog first (a topological order with
   ties in catalog order). So nothing stands before a goal unless it serves that goal or one
   ranked above it; a goal already placed as an earlier goal's prerequisite adds nothing.
   Every tie is settled by catalog position, so the same input gives the same path.
   Milestones (`Plan.stages`): one per goal that placed steps, those steps in order, ending
   with the goal itself; the milestone is named after its goal.
6. Reasons of a step, each text once, the most useful first: "You asked for X." for a goal
   asked for; the `because` texts of the chosen choices' recommendations that raised it
   (weight > 0), the heaviest first (ties in question and choice order); then, when other
   steps need it, "This is needed before X, Y." (their names, in path order), followed by the
   `why` of each of those prerequisite links that has one. Considered, not recommended: the
   technologies with score <= 0 that a chosen choice mentions, except goals asked for, in
   catalog order, with the `because` texts of the recommendations against them (all their
   texts if none is against). As DESIGN.md says, that is every such technology, even one
   that is also on the path as another step's prerequisite or known.
7. Effort: total hours = the sum of the steps' `effort_hours`; weeks = ceil(total / hours per
   week), 0 for an empty path.
8. Projects join when every technology they use is on the path or known and at least one is on
   the path; each stands right after the last of its technologies on the path (several after
   the same step keep the catalog's order).
"""

from __future__ import annotations

from paths.planner.catalog import catalog_from_document
from paths.planner.planning import build_plan, path_candidates
from paths.planner.types import (
    DEFAULT_HOURS_PER_WEEK,
    HOURS_PER_WEEK_MAX,
    HOURS_PER_WEEK_MIN,
    LEVEL_RANK,
    Answers,
    Choice,
    Considered,
    PlacedProject,
    Plan,
    PlannerCatalog,
    Prerequisite,
    Project,
    Question,
    Recommendation,
    ShowIf,
    Stage,
    Step,
    Technology,
    is_valid_hours_per_week,
)
from paths.planner.visibility import chosen_choices, implied_known, visible_questions

__all__ = [
    "DEFAULT_HOURS_PER_WEEK",
    "HOURS_PER_WEEK_MAX",
    "HOURS_PER_WEEK_MIN",
    "LEVEL_RANK",
    "Answers",
    "Choice",
    "Considered",
    "PlacedProject",
    "Plan",
    "PlannerCatalog",
    "Prerequisite",
    "Project",
    "Question",
    "Recommendation",
    "ShowIf",
    "Stage",
    "Step",
    "Technology",
    "build_plan",
    "catalog_from_document",
    "chosen_choices",
    "implied_known",
    "is_valid_hours_per_week",
    "path_candidates",
    "visible_questions",
]
