"""Rule 1, visibility: which questions are asked, and what their chosen answers say.

A question is visible when it has no `show_if`, or when the question its `show_if` names is
visible (so it comes earlier) and was answered with one of `any_of`. Answers to questions
that are not visible are ignored everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from catalog.document import Choice, Question
from paths.planner.types import Answers, PlannerCatalog


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
            or set(_chosen_slugs(answers, show_if.question)).isdisjoint(show_if.any_of)
        ):
            continue
        visible.append(question)
        visible_slugs.add(question.slug)
    return visible


def chosen_choices(catalog: PlannerCatalog, answers: Answers) -> list[Choice]:
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
    for choice in chosen_choices(catalog, answers):
        implied.update(dict.fromkeys(choice.knows))
    return list(implied)
