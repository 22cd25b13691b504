"""The learner's pages: the questionnaire, a saved path, its progress buttons and Markdown.

Every screen works with plain form posts and redirects; with htmx the same views answer with
the template's partial (one URL, two renderings).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from advisor.types import HtmxHttpRequest
from catalog.versioning import current_version
from paths import questionnaire
from paths.catalog_cache import CatalogBundle, get_catalog_bundle
from paths.diagram import roadmap
from paths.forms import HoursForm, KnownForm, QuestionForm
from paths.learners import is_owner, learner_for_request, learner_id_for_request
from paths.markdown import path_markdown
from paths.models import LearningPath, Progress, ProgressStatus
from paths.planner import HOURS_PER_WEEK_MAX, HOURS_PER_WEEK_MIN, implied_known, path_candidates
from paths.questionnaire import AdvisorState, Screen
from paths.services import path_create, progress_set
from paths.snapshots import path_outline, progress_summary, step_view

QUESTION_TEMPLATE = "paths/question.html"
PATH_TEMPLATE = "paths/path_detail.html"

KNOWN_PROMPT = "What do you already know?"
KNOWN_HELP = "Tick what you can already use with confidence; your path leaves it out."
HOURS_PROMPT = "How many hours a week can you study?"
HOURS_HELP = "Your path's length in weeks, and its estimated finish date, follow from this."

RESTARTED = (
    "We could not find your earlier answers (they may have expired), so the questionnaire "
    "starts from the beginning."
)


def _render(request: HtmxHttpRequest, template: str, context: dict) -> HttpResponse:
    """render(), with flash messages shown by our templates as `notices`.

    base.html's message list puts role="status" on the <ul>, which axe refuses; until it
    changes, our pages show the messages themselves and hand base.html none.
    """
    notices = list(messages.get_messages(request))
    return render(request, template, {**context, "notices": notices, "messages": ()})


def _is_partial(request: HtmxHttpRequest) -> bool:
    """True for an htmx swap; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _redirect(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows with a full page load."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _url_prefix(name: str, *args: str) -> str:
    """A route's URL before its final slug: reversed once per page rather than per step."""
    return reverse(name, args=[*args, "slug"]).removesuffix("slug/")


def _path_urls(path: LearningPath) -> dict[str, str]:
    return {
        "technology_url": _url_prefix("catalog:technology-detail"),
        "progress_url": _url_prefix("paths:progress-update", path.token),
    }


def screen_url(flow: list[Screen], index: int) -> str:
    """The screen's own URL; the first screen is /advisor/ itself."""
    screen = flow[index]
    if index == 0:
        return reverse("paths:advisor")
    if screen.question is not None:
        return reverse("paths:advisor-question", args=[screen.question.slug])
    return reverse(f"paths:advisor-{screen.kind}")


# The questionnaire --------------------------------------------------------------------------


@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
def advisor(
    request: HtmxHttpRequest, question: str | None = None, screen: str | None = None
) -> HttpResponse:
    """One questionnaire screen: /advisor/ (the first), /advisor/q/<slug>/, known/, hours/.

    A screen the learner cannot be on yet (skipped, hidden by their answers, gone after a
    catalog edit, or an expired session) redirects to the first screen still open, with a
    message saying why.
    """
    bundle = get_catalog_bundle()
    catalog = bundle.planner
    state, dropped = questionnaire.load_state(request.session, catalog)
    if dropped:
        questionnaire.save_state(request.session, state)
        messages.warning(
            request,
            "The questionnaire has changed since you began, so answers that no longer fit "
            "were cleared. Please check them.",
        )
    flow = questionnaire.screens(catalog, state.answers)
    open_index = questionnaire.first_open_index(flow, state.answers)
    requested = f"q:{question}" if question is not None else screen
    keys = [item.key for item in flow]

    if requested is None:
        index: int | None = 0
    elif requested in keys:
        index = keys.index(requested)
    else:
        index = None
    if index is None or not questionnaire.can_show(flow, state.answers, index):
        if not state.started:
            messages.info(request, RESTARTED)
        elif index is None and question not in catalog.question_by_slug:
            messages.warning(request, "That question is no longer part of the questionnaire.")
        elif index is None:
            messages.info(request, "That question does not apply to your answers.")
        else:
            messages.info(request, "Please answer this question first.")
        return _redirect(request, screen_url(flow, open_index))
    if request.method != "POST" and requested is not None and index == 0:
        return _redirect(request, screen_url(flow, 0))

    if request.method == "POST":
        return _advisor_post(request, bundle, state, flow, index)
    return _render_screen(request, bundle, state, flow, index)


def _advisor_post(
    request: HtmxHttpRequest,
    bundle: CatalogBundle,
    state: AdvisorState,
    flow: list[Screen],
    index: int,
) -> HttpResponse:
    """Validate one screen; re-show it with the error, or move on to the next screen."""
    catalog = bundle.planner
    current = flow[index]
    if current.question is not None:
        form = QuestionForm(request.POST, question=current.question)
        if not form.is_valid():
            return _render_screen(request, bundle, state, flow, index, form=form)
        questionnaire.set_answer(state, current.question, form.cleaned_data["answer"])
    elif current.kind == questionnaire.KNOWN:
        candidates = path_candidates(catalog, state.answers)
        form = KnownForm(request.POST, candidates=_named(bundle, candidates))
        if not form.is_valid():
            return _render_screen(request, bundle, state, flow, index, form=form)
        state.known = form.cleaned_data["known"]
    else:
        form = HoursForm(request.POST)
        if not form.is_valid():
            return _render_screen(request, bundle, state, flow, index, form=form)
        state.hours_per_week = form.cleaned_data["hours_per_week"]
        questionnaire.save_state(request.session, state)
        return _show_path(request, bundle, state)

    questionnaire.save_state(request.session, state)
    flow = questionnaire.screens(catalog, state.answers)
    next_index = flow.index(current) + 1
    if _is_partial(request):
        response = _render_screen(request, bundle, state, flow, next_index)
        response["HX-Push-Url"] = screen_url(flow, next_index)
        return response
    return redirect(screen_url(flow, next_index))


def _show_path(
    request: HtmxHttpRequest, bundle: CatalogBundle, state: AdvisorState
) -> HttpResponse:
    """Save the path ("Show my path") under a new token and go to it."""
    done = Progress.objects.done_slugs(learner_id_for_request(request))
    _, known = questionnaire.known_for_plan(bundle.planner, state, done)
    learner = learner_for_request(request, create=True)
    # The state was checked against this same catalog, so the planner accepts it.
    path = path_create(
        learner=learner,
        answers=state.answers,
        known=known,
        hours_per_week=questionnaire.hours_for_plan(state),
        bundle=bundle,
    )
    return _redirect(request, path.get_absolute_url())


def _named(bundle: CatalogBundle, slugs: list[str]) -> list[tuple[str, str]]:
    technology_by_slug = bundle.planner.technology_by_slug
    return [(slug, technology_by_slug[slug].name) for slug in slugs]


def _render_screen(
    request: HtmxHttpRequest,
    bundle: CatalogBundle,
    state: AdvisorState,
    flow: list[Screen],
    index: int,
    *,
    form: QuestionForm | KnownForm | HoursForm | None = None,
) -> HttpResponse:
    """A screen with the learner's current values, or with `form`'s data and errors."""
    catalog = bundle.planner
    current = flow[index]
    context: dict = {
        "nav": "advisor",
        "screen": current,
        "number": index + 1,
        "total": len(flow),
        "action_url": screen_url(flow, index),
        "back_url": screen_url(flow, index - 1) if index > 0 else None,
        "is_last": current.kind == questionnaire.HOURS,
        "started": state.started,
        "errors": form.errors if form is not None else {},
    }
    if current.question is not None:
        question = current.question
        selected = (
            set(form.data.getlist("answer"))
            if form is not None
            else set(state.answers.get(question.slug, ()))
        )
        context |= {
            "prompt": question.prompt,
            "help": question.help,
            "input_type": "radio" if question.is_single else "checkbox",
            "options": [
                {"value": choice.slug, "label": choice.label, "checked": choice.slug in selected}
                for choice in question.choices
            ],
        }
    elif current.kind == questionnaire.KNOWN:
        done = Progress.objects.done_slugs(learner_id_for_request(request))
        candidates, known = questionnaire.known_for_plan(catalog, state, done)
        selected = set(form.data.getlist("known")) if form is not None else set(known)
        implied = set(implied_known(catalog, state.answers))
        technology_by_slug = catalog.technology_by_slug
        context |= {
            "prompt": KNOWN_PROMPT,
            "help": KNOWN_HELP,
            "options": [
                {
                    "value": slug,
                    "label": technology_by_slug[slug].name,
                    "checked": slug in selected,
                    "note": (
                        "your answers say you know this"
                        if slug in implied
                        else "you marked it Done"
                        if slug in done
                        else ""
                    ),
                }
                for slug in candidates
            ],
        }
    else:
        value = (
            form.data.get("hours_per_week", "")
            if form is not None
            else questionnaire.hours_for_plan(state)
        )
        context |= {
            "prompt": HOURS_PROMPT,
            "help": HOURS_HELP,
            "hours_value": value,
            "hours_min": HOURS_PER_WEEK_MIN,
            "hours_max": HOURS_PER_WEEK_MAX,
        }
    template = f"{QUESTION_TEMPLATE}#question-form" if _is_partial(request) else QUESTION_TEMPLATE
    return _render(request, template, context)


@require_POST
def advisor_restart(request: HtmxHttpRequest) -> HttpResponse:
    """Forget the answers and go back to the first screen."""
    questionnaire.clear_state(request.session)
    messages.info(request, "Your answers were cleared. Let's start again.")
    return _redirect(request, reverse("paths:advisor"))


# A saved path -------------------------------------------------------------------------------


@never_cache
@require_safe
def path_detail(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The saved path; its maker gets the progress buttons, everyone else reads."""
    path = get_object_or_404(LearningPath, token=token)
    snapshot = path.snapshot
    statuses = Progress.objects.statuses(path.learner_id)
    version, _ = current_version()
    weeks = snapshot["weeks"]
    started = path.created.date()
    return _render(
        request,
        PATH_TEMPLATE,
        {
            "path": path,
            "snapshot": snapshot,
            "owner": is_owner(request, path),
            "outline": path_outline(snapshot, statuses),
            "summary": progress_summary(snapshot, statuses),
            "roadmap": roadmap(snapshot),
            "started": started,
            "finish": started + timedelta(weeks=weeks),
            "catalog_changed": version != path.catalog_version,
            "share_url": request.build_absolute_uri(path.get_absolute_url()),
            **_path_urls(path),
        },
    )


@vary_on_headers("HX-Request")
@require_POST
def progress_update(request: HtmxHttpRequest, token: str, technology: str) -> HttpResponse:
    """Set one step's status; only the path's maker may (others get 403 and change nothing)."""
    path = get_object_or_404(LearningPath, token=token)
    if not is_owner(request, path):
        return HttpResponseForbidden(
            "Only the learner who made this path can change its progress.",
            content_type="text/plain; charset=utf-8",
        )
    status = request.POST.get("status", "")
    if status not in ProgressStatus.values:
        return HttpResponseBadRequest(
            "Choose one of: To do, Doing, Done, Skipped.", content_type="text/plain; charset=utf-8"
        )
    if step_view(path.snapshot, technology, {}) is None:
        raise Http404("This path has no such step.")
    progress_set(learner_id=path.learner_id, technology_slug=technology, status=status)
    if not _is_partial(request):
        return redirect(f"{path.get_absolute_url()}#step-{technology}")
    statuses = Progress.objects.statuses(path.learner_id)
    return render(
        request,
        f"{PATH_TEMPLATE}#progress-update",
        {
            "path": path,
            "owner": True,
            "view": step_view(path.snapshot, technology, statuses),
            "summary": progress_summary(path.snapshot, statuses),
            "focus_status": status,
            **_path_urls(path),
        },
    )


@require_POST
def path_replan(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Plan again on the current catalog with the path's answers, as a new path of one's own.

    When the questionnaire changed so that the answers no longer suffice, they go into the
    questionnaire and the learner continues from the first screen that needs them.
    """
    path = get_object_or_404(LearningPath, token=token)
    bundle = get_catalog_bundle()
    catalog = bundle.planner
    state, _ = questionnaire.state_from_data(
        {"answers": path.answers, "known": path.known, "hours_per_week": path.hours_per_week},
        catalog,
    )
    questionnaire.save_state(request.session, state)
    flow = questionnaire.screens(catalog, state.answers)
    if not questionnaire.is_complete(flow, state.answers):
        messages.info(
            request,
            "The questionnaire has changed since this path was made. Your answers are filled "
            "in; please answer what is new.",
        )
        return _redirect(
            request, screen_url(flow, questionnaire.first_open_index(flow, state.answers))
        )
    return _show_path(request, bundle, state)


@require_safe
def path_markdown_view(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The path as Markdown, with the maker's progress as checkboxes."""
    path = get_object_or_404(LearningPath, token=token)
    text = path_markdown(
        snapshot=path.snapshot,
        statuses=Progress.objects.statuses(path.learner_id),
        url=request.build_absolute_uri(path.get_absolute_url()),
        started=path.created.date(),
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="learning-path-{token[:8]}.md"'
    return response
