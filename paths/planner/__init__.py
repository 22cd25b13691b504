"""The planner: from a learner's answers to an ordered study path, as a pure function.

It works on the catalog document (catalog/document.py, docs/catalog-document.md) and knows
nothing of requests or the ORM. `catalog_from_document()` indexes the document once per
catalog version in an immutable `PlannerCatalog`; `build_plan()` then only touches the technologies,
questions and projects that the answers reach, so a plan over 10,000 technologies takes
milliseconds. The modules: `types` (the index and the output), `catalog` (document to
`PlannerCatalog`), `visibility` (rule 1) and `planning` (rules 2 to 8). Checking a client's
JSON input and writing the API's output live beside the API (`paths.api_input`, `paths.api`).

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
   `catalog_from_document()` computes once with catalog.graph.topological_order (so a plan never
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

from paths.planner.catalog import catalog_from_document
from paths.planner.planning import build_plan, path_candidates
from paths.planner.types import (
    DEFAULT_HOURS_PER_WEEK,
    HOURS_PER_WEEK_MAX,
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
    is_valid_hours_per_week,
)
from paths.planner.visibility import chosen_choices, implied_known, visible_questions

__all__ = [
    "DEFAULT_HOURS_PER_WEEK",
    "HOURS_PER_WEEK_MAX",
    "HOURS_PER_WEEK_MIN",
    "LEVEL_RANK",
    "STAGE_NAMES",
    "Answers",
    "Considered",
    "PlacedProject",
    "Plan",
    "PlannerCatalog",
    "Stage",
    "Step",
    "build_plan",
    "catalog_from_document",
    "chosen_choices",
    "implied_known",
    "is_valid_hours_per_week",
    "path_candidates",
    "visible_questions",
]
