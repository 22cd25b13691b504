"""The questionnaire's flow: which screens there are, which one is next, and what is kept.

Plain functions over the planner's catalog and a session mapping. The view calls `advance()`
once per request and does what it says: show a screen, go to another, or save the path. The
screens are the visible questions in catalog order, then "known" (What do you already know?)
and "hours" (How many hours a week can you study?). Answers live in the session under
"advisor" and are checked against the current catalog on every request, so a catalog edit or
a tampered session can never reach the planner. `/advisor/?goal=<slug>` starts the
questionnaire with that technology as a goal (planner rule 3); it stays in the state, so the
"known" screen and the saved path both have it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field

from django.contrib import messages
from django.urls import reverse

from paths.forms import HoursForm, KnownForm, QuestionForm
from paths.planner import (
    DEFAULT_HOURS_PER_WEEK,
    HOURS_PER_WEEK_MAX,
    HOURS_PER_WEEK_MIN,
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

KNOWN_PROMPT = "What do you already know?"
KNOWN_HELP = "Tick what you can already use with confidence; your path leaves it out."
HOURS_PROMPT = "How many hours a week can you study?"
HOURS_HELP = "Your path's length in weeks, and its estimated finish date, follow from this."

RESTARTED = (
    "We could not find your earlier answers (they may have expired), so the questionnaire "
    "starts from the beginning."
)
CHANGED = (
    "The questionnaire has changed since you began, so answers that no longer fit were "
    "cleared. Please check them."
)
GONE = "That question is no longer part of the questionnaire."
NOT_APPLICABLE = "That question does not apply to your answers."
ANSWER_FIRST = "Please answer this question first."
GOAL_SET = "Your path will lead to {name} first, with what it needs before it."
GOAL_UNKNOWN = (
    "There is no technology “{slug}” in the catalog, so the questionnaire starts without a goal."
)


@dataclass
class AdvisorState:
    """What the learner has told the questionnaire so far.

    `known` is None until they submit the "known" screen (so its defaults apply), and goes
    back to None when an answer changes, since the list of technologies changes with it.
    """

    answers: dict[str, list[str]] = field(default_factory=dict)
    known: list[str] | None = None
    hours_per_week: int | None = None
    goals: list[str] = field(default_factory=list)  # asked for by name (`?goal=`), in order
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
    goals = raw.get("goals")
    goals = (
        [s for s in goals if isinstance(s, str) and s in catalog.technology_by_slug]
        if isinstance(goals, list)
        else []
    )
    return (
        AdvisorState(
            answers=answers,
            known=known,
            hours_per_week=hours if is_valid_hours_per_week(hours) else None,
            goals=list(dict.fromkeys(goals)),
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
        "goals": state.goals,
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
    candidates = path_candidates(catalog, state.answers, state.goals)
    if state.known is None:
        return candidates, known_defaults(catalog, state.answers, candidates, done)
    ticked = set(state.known)
    return candidates, [slug for slug in candidates if slug in ticked]


def hours_for_plan(state: AdvisorState) -> int:
    """The hours per week to show or use: the learner's, else the default."""
    return state.hours_per_week or DEFAULT_HOURS_PER_WEEK


# One request's step -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for the learner (a django.contrib.messages level and its text)."""

    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Show:
    """Show a screen with this context; `push_url` is the address to push when a post was
    answered in place with the next screen."""

    context: dict
    notices: tuple[Notice, ...] = ()
    push_url: str | None = None


@dataclass(frozen=True, slots=True)
class GoTo:
    """Go to this screen's URL (a screen the learner cannot be on, or the next one)."""

    url: str
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class Finish:
    """Every screen is answered: save the path for this state ("Show my path")."""

    state: AdvisorState
    notices: tuple[Notice, ...] = ()


def screen_url(flow: list[Screen], index: int) -> str:
    """The screen's own URL; the first screen is /advisor/ itself."""
    screen = flow[index]
    if index == 0:
        return reverse("paths:advisor")
    if screen.question is not None:
        return reverse("paths:advisor-question", args=[screen.question.slug])
    return reverse(f"paths:advisor-{screen.kind}")


def advance(
    session: MutableMapping[str, object],
    catalog: PlannerCatalog,
    *,
    question: str | None,
    screen: str | None,
    data: Mapping[str, object] | None,
    swap: bool,
    done: Callable[[], set[str]],
    goal: str | None = None,
) -> Show | GoTo | Finish:
    """One request to a screen: /advisor/ (`question` and `screen` None), /advisor/q/<question>/
    or /advisor/<screen>/, with the posted `data` or None for a GET.

    A screen the learner cannot be on yet (skipped, hidden by their answers, gone after a
    catalog edit, or an expired session) sends them to the first screen still open, saying
    why. A valid post moves on (in place when `swap`, else by redirect); an invalid one
    shows the screen again with the errors. `done` gives what the learner marked "Done" on
    any path, asked only when the "known" screen needs it. `goal` is the `?goal=` of a GET of
    the first screen: the questionnaire then goes on with that technology as its one goal (an
    unknown slug clears it, saying so) from the first screen's plain address.
    """
    state, dropped = load_state(session, catalog)
    notices: list[Notice] = []
    if dropped:
        save_state(session, state)
        notices.append(Notice(messages.WARNING, CHANGED))
    if goal is not None and data is None and question is None and screen is None:
        technology = catalog.technology_by_slug.get(goal)
        goals = [goal] if technology is not None else []
        if goals != state.goals:
            state.known = None  # the "known" screen's list changes with the goals
        state.goals = goals
        state.started = True
        save_state(session, state)
        if technology is not None:
            notices.append(Notice(messages.INFO, GOAL_SET.format(name=technology.name)))
        else:
            notices.append(Notice(messages.WARNING, GOAL_UNKNOWN.format(slug=_shown(goal))))
        return GoTo(screen_url(screens(catalog, state.answers), 0), tuple(notices))
    flow = screens(catalog, state.answers)
    requested = f"q:{question}" if question is not None else screen
    keys = [item.key for item in flow]
    index = 0 if requested is None else keys.index(requested) if requested in keys else None

    if index is None or not can_show(flow, state.answers, index):
        if not state.started:
            notices.append(Notice(messages.INFO, RESTARTED))
        elif index is None and question not in catalog.question_by_slug:
            notices.append(Notice(messages.WARNING, GONE))
        elif index is None:
            notices.append(Notice(messages.INFO, NOT_APPLICABLE))
        else:
            notices.append(Notice(messages.INFO, ANSWER_FIRST))
        return GoTo(screen_url(flow, first_open_index(flow, state.answers)), tuple(notices))
    if data is None:
        if requested is not None and index == 0:  # the first screen has one URL: /advisor/
            return GoTo(screen_url(flow, 0), tuple(notices))
        return Show(_screen_context(catalog, state, flow, index, done=done), tuple(notices))

    current = flow[index]
    form = _bound_form(catalog, state, current, data)
    if not form.is_valid():
        context = _screen_context(catalog, state, flow, index, done=done, form=form)
        return Show(context, tuple(notices))
    if current.question is not None:
        set_answer(state, current.question, form.cleaned_data["answer"])
    elif current.kind == KNOWN:
        state.known = form.cleaned_data["known"]
    else:
        state.hours_per_week = form.cleaned_data["hours_per_week"]
        save_state(session, state)
        return Finish(state, tuple(notices))
    save_state(session, state)
    flow = screens(catalog, state.answers)
    next_index = flow.index(current) + 1
    if not swap:
        return GoTo(screen_url(flow, next_index), tuple(notices))
    context = _screen_context(catalog, state, flow, next_index, done=done)
    return Show(context, tuple(notices), push_url=screen_url(flow, next_index))


def _shown(value: str) -> str:
    """A slug from the address bar, short enough to quote back."""
    return value if len(value) <= 64 else value[:63] + "…"


def _named(catalog: PlannerCatalog, slugs: Iterable[str]) -> list[tuple[str, str]]:
    technology_by_slug = catalog.technology_by_slug
    return [(slug, technology_by_slug[slug].name) for slug in slugs]


def _bound_form(
    catalog: PlannerCatalog, state: AdvisorState, current: Screen, data: Mapping[str, object]
) -> QuestionForm | KnownForm | HoursForm:
    """The screen's form, bound to what was posted."""
    if current.question is not None:
        return QuestionForm(data, question=current.question)
    if current.kind == KNOWN:
        candidates = path_candidates(catalog, state.answers, state.goals)
        return KnownForm(data, candidates=_named(catalog, candidates))
    return HoursForm(data)


def _screen_context(
    catalog: PlannerCatalog,
    state: AdvisorState,
    flow: list[Screen],
    index: int,
    *,
    done: Callable[[], set[str]],
    form: QuestionForm | KnownForm | HoursForm | None = None,
) -> dict:
    """What the screen template needs: its place in the flow, its prompt and its form (the
    learner's current values, or `form` with what they posted and its errors)."""
    current = flow[index]
    context: dict = {
        "screen": current,
        "number": index + 1,
        "total": len(flow),
        "action_url": screen_url(flow, index),
        "back_url": screen_url(flow, index - 1) if index > 0 else None,
        "is_last": current.kind == HOURS,
        "started": state.started,
        "goal_names": [name for _, name in _named(catalog, state.goals)],
    }
    if current.question is not None:
        question = current.question
        if form is None:
            form = QuestionForm(
                question=question, initial={"answer": state.answers.get(question.slug, [])}
            )
        return context | {"prompt": question.prompt, "help": question.help, "form": form}
    if current.kind == KNOWN:
        done_slugs = done()
        candidates, known = known_for_plan(catalog, state, done_slugs)
        implied = set(implied_known(catalog, state.answers))
        notes = {
            slug: "your answers say you know this" if slug in implied else "you marked it Done"
            for slug in candidates
            if slug in implied or slug in done_slugs
        }
        if form is None:
            form = KnownForm(candidates=_named(catalog, candidates), initial={"known": known})
        # Said only when the screen is shown, so a valid post never asks what is "Done".
        form.fields["known"].widget.notes = notes
        return context | {
            "prompt": KNOWN_PROMPT,
            "help": KNOWN_HELP,
            "form": form,
            "empty": not candidates,
        }
    if form is None:
        form = HoursForm(initial={"hours_per_week": hours_for_plan(state)})
    return context | {
        "prompt": HOURS_PROMPT,
        "help": HOURS_HELP,
        "form": form,
        "hours_min": HOURS_PER_WEEK_MIN,
        "hours_max": HOURS_PER_WEEK_MAX,
    }
