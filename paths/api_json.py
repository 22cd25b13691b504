"""The JSON of `POST /api/plan`, beside the API: checking its input, writing its output.

Pure, like the planner. `validate_answers()` (also what a saved path's input must pass)
accepts anything and never raises: every problem is a message by JSON field, capped, with
"did you mean" for a near-miss slug, so garbage input stays cheap to answer. `plan_to_api()`
is the 200 response's body.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from paths.planner import (
    HOURS_PER_WEEK_MAX,
    HOURS_PER_WEEK_MIN,
    Plan,
    PlannerCatalog,
    is_valid_hours_per_week,
    visible_questions,
)

# Bounds on what garbage input can cost: messages per field, and "did you mean" look-ups.
_MAX_MESSAGES_PER_FIELD = 20
_MAX_SUGGESTIONS_PER_FIELD = 5
_MAX_SHOWN_CHARS = 64


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


def _technology_errors(catalog: PlannerCatalog, slugs: object, what: str) -> list[str]:
    if not _is_list_of_strings(slugs):
        return [f"{what} must be a list of technology slugs."]
    messages = _Messages()
    for slug in dict.fromkeys(slugs):
        if slug not in catalog.technology_by_slug:
            messages.unknown("Unknown technology", slug, catalog.technology_by_slug)
    return messages.result()


def validate_answers(
    catalog: PlannerCatalog,
    answers: object,
    known: object,
    hours_per_week: object,
    goals: object = (),
) -> dict[str, list[str]]:
    """Check a plan request; errors by JSON field ("answers", "known", "hours_per_week",
    "goals").

    Returns an empty dict when the input is valid. Accepts anything (it never raises):
    answers must map question slugs to lists of choice slugs, known and goals must be lists
    of technology slugs, hours per week an int from 1 to 80. Unknown questions and choices are
    errors even on questions that are not visible; cardinality and "must be answered" are
    only checked for visible ones.
    """
    errors: dict[str, list[str]] = {}
    if answer_errors := _answer_errors(catalog, answers):
        errors["answers"] = answer_errors
    if known_errors := _technology_errors(catalog, known, "Known technologies"):
        errors["known"] = known_errors
    if goal_errors := _technology_errors(catalog, goals, "Goals"):
        errors["goals"] = goal_errors
    if not is_valid_hours_per_week(hours_per_week):
        errors["hours_per_week"] = [
            f"Hours per week must be a whole number from {HOURS_PER_WEEK_MIN} "
            f"to {HOURS_PER_WEEK_MAX}."
        ]
    return errors


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
