"""The questionnaire's flow: which screens there are, which one is next, and what is kept.

Plain functions over the planner's catalog and a session mapping; the views only route. The
screens are the visible questions in catalog order, then "known" (What do you already know?)
and "hours" (How many hours a week can you study?). Answers live in the session under
"advisor" and are checked against the current catalog on every request, so a catalog edit or
a tampered session can never reach the planner.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field

from paths.planner import (
    DEFAULT_HOURS_PER_WEEK,
    PlannerCatalog,
    Question,
    implied_known,
    is_valid_hours_per_week,
    path_candidates,
    visible_questions,
)

STATE_KEY = "advisor"
KNOWN = "known"
HOURS = "hours"


@dataclass
class AdvisorState:
    """What the learner has told the questionnaire so far.

    `known` is None until they submit the "known" screen (so its defaults apply), and goes
    back to None when an answer changes, since the list of technologies changes with it.
    """

    answers: dict[str, list[str]] = field(default_factory=dict)
    known: list[str] | None = None
    hours_per_week: int | None = None
    started: bool = False  # False when the session had no questionnaire (new or expired)


@dataclass(frozen=True, slots=True)
class Screen:
    """One screen: a catalog question, or one of the two built-in screens."""

    kind: str  # "question" | "known" | "hours"
    question: Question | None = None

    @property
    def key(self) -> str:
        """ "q:<slug>" for a question, so no question slug can clash with a built-in screen."""
        return f"q:{self.question.slug}" if self.question is not None else self.kind


def _clean_answers(catalog: PlannerCatalog, raw: object) -> tuple[dict[str, list[str]], bool]:
    """Keep only answers the current catalog still accepts; say whether anything went."""
    if not isinstance(raw, dict):
        return {}, raw is not None
    answers: dict[str, list[str]] = {}
    dropped = False
    for question_slug, value in raw.items():
        question = catalog.question_by_slug.get(question_slug)
        if question is None or not isinstance(value, list):
            dropped = True
            continue
        chosen = [slug for slug in question.choice_slugs if slug in value]
        if len(chosen) != len(value) or (question.is_single and len(chosen) > 1) or not chosen:
            dropped = True
        if chosen and not (question.is_single and len(chosen) > 1):
            answers[question_slug] = chosen
    return answers, dropped


def state_from_data(raw: object, catalog: PlannerCatalog) -> tuple[AdvisorState, bool]:
    """A state from stored data, checked against the catalog, and whether the check had to
    drop answers that the catalog no longer has."""
    if not isinstance(raw, dict):
        return AdvisorState(), False
    answers, dropped = _clean_answers(catalog, raw.get("answers"))
    known = raw.get("known")
    if isinstance(known, list):
        known = [s for s in known if isinstance(s, str) and s in catalog.technology_by_slug]
    else:
        known = None
    hours = raw.get("hours_per_week")
    return (
        AdvisorState(
            answers=answers,
            known=known,
            hours_per_week=hours if is_valid_hours_per_week(hours) else None,
            started=True,
        ),
        dropped,
    )


def load_state(
    session: MutableMapping[str, object], catalog: PlannerCatalog
) -> tuple[AdvisorState, bool]:
    """The session's questionnaire state (see `state_from_data`)."""
    return state_from_data(session.get(STATE_KEY), catalog)


def save_state(session: MutableMapping[str, object], state: AdvisorState) -> None:
    """Store the state in the session."""
    session[STATE_KEY] = {
        "answers": state.answers,
        "known": state.known,
        "hours_per_week": state.hours_per_week,
    }


def clear_state(session: MutableMapping[str, object]) -> None:
    """Forget the questionnaire (start over)."""
    session.pop(STATE_KEY, None)


def screens(catalog: PlannerCatalog, answers: dict[str, list[str]]) -> list[Screen]:
    """Every screen the learner goes through with these answers, in order."""
    return [Screen("question", question) for question in visible_questions(catalog, answers)] + [
        Screen(KNOWN),
        Screen(HOURS),
    ]


def first_open_index(flow: list[Screen], answers: dict[str, list[str]]) -> int:
    """The first visible question without an answer; the "known" screen when all have one."""
    for index, screen in enumerate(flow):
        if screen.question is not None and not answers.get(screen.question.slug):
            return index
    return len(flow) - 2


def can_show(flow: list[Screen], answers: dict[str, list[str]], index: int) -> bool:
    """Whether the learner may be on this screen: every question before it is answered.

    The two built-in screens always have a valid value (their defaults), so once every
    visible question is answered the learner may go to either.
    """
    open_index = first_open_index(flow, answers)
    return index <= open_index or flow[open_index].question is None


def is_complete(flow: list[Screen], answers: dict[str, list[str]]) -> bool:
    """True when every visible question has an answer."""
    return flow[first_open_index(flow, answers)].question is None


def set_answer(state: AdvisorState, question: Question, chosen: list[str]) -> None:
    """Record an answer; a changed answer resets the known screen to its defaults."""
    if state.answers.get(question.slug) != chosen:
        state.answers[question.slug] = chosen
        state.known = None
    state.started = True


def known_defaults(
    catalog: PlannerCatalog,
    answers: dict[str, list[str]],
    candidates: Iterable[str],
    done: set[str],
) -> list[str]:
    """Pre-ticked on the known screen: what the answers imply, and what the learner marked
    "Done" on any path."""
    implied = set(implied_known(catalog, answers))
    return [slug for slug in candidates if slug in implied or slug in done]


def known_for_plan(
    catalog: PlannerCatalog, state: AdvisorState, done: set[str]
) -> tuple[list[str], list[str]]:
    """(candidates, known): the known screen's list and what the learner ticked on it, or its
    defaults when they have not submitted it."""
    candidates = path_candidates(catalog, state.answers)
    if state.known is None:
        return candidates, known_defaults(catalog, state.answers, candidates, done)
    ticked = set(state.known)
    return candidates, [slug for slug in candidates if slug in ticked]


def hours_for_plan(state: AdvisorState) -> int:
    """The hours per week to show or use: the learner's, else the default."""
    return state.hours_per_week or DEFAULT_HOURS_PER_WEEK
