"""The learner's pages: the questionnaire, their saved paths, a path's progress buttons and
notes, its exports, and re-planning it when the catalog changes.

Every screen works with plain form posts and redirects; with htmx the same views answer with
the template's partial (one URL, two renderings). Only a path's owner may change it: anyone
else reads it, and their posts are refused with 403 before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from functools import partial, wraps
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from catalog.htmx import HtmxHttpRequest, is_swap, redirect_for, template_for
from catalog.page_cache import Recheck, cached_page, page_state
from catalog.versioning import current_version
from paths import questionnaire
from paths.catalog_cache import CatalogBundle, get_catalog_bundle
from paths.diagram import roadmap
from paths.forms import NoteForm, PathGoalForm, PathHoursForm, PathRenameForm
from paths.ical import path_calendar, study_week
from paths.learners import is_owner, learner_for_request, learner_id_for_request
from paths.markdown import path_markdown
from paths.models import LearningPath, Note, Progress, ProgressStatus, learner_marks
from paths.questionnaire import AdvisorState
from paths.replanning import replan_preview
from paths.schedule import finish_date
from paths.services import (
    NoteConflict,
    checkpoints_set,
    note_set,
    path_add_goal,
    path_create,
    path_delete,
    path_rename,
    path_replan,
    path_set_hours,
    progress_set,
)
from paths.snapshots import (
    Snapshot,
    answers_summary,
    has_step,
    path_outline,
    path_purpose,
    progress_summary,
    read_snapshot,
    step_view,
    where_now,
)

QUESTION_TEMPLATE = "paths/question.html"
PATH_TEMPLATE = "paths/path_detail.html"


def _url_prefix(name: str, *args: str) -> str:
    """A route's URL before its final slug: reversed once per page rather than per step."""
    return reverse(name, args=[*args, "slug"]).removesuffix("slug/")


def _path_urls(path: LearningPath) -> dict[str, str]:
    return {
        "technology_url": _url_prefix("catalog:technology-detail"),
        "progress_url": _url_prefix("paths:progress-update", path.token),
        "note_url": _url_prefix("paths:note-update", path.token),
        "checkpoints_url": _url_prefix("paths:checkpoints-update", path.token),
    }


# The questionnaire --------------------------------------------------------------------------


@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
def advisor(
    request: HtmxHttpRequest, question: str | None = None, screen: str | None = None
) -> HttpResponse:
    """One questionnaire screen: /advisor/ (the first; `?goal=<slug>` starts it with that
    technology as a goal), /advisor/q/<slug>/, known/, hours/.

    `questionnaire.advance()` decides what this request does; the view only answers it.
    """
    bundle = get_catalog_bundle()
    step = questionnaire.advance(
        request.session,
        bundle.planner,
        question=question,
        screen=screen,
        data=request.POST if request.method == "POST" else None,
        swap=is_swap(request),
        done=lambda: Progress.objects.done_slugs(learner_id_for_request(request)),
        goal=request.GET.get("goal") if request.method != "POST" else None,
    )
    for notice in step.notices:
        messages.add_message(request, notice.level, notice.text)
    if isinstance(step, questionnaire.Finish):
        return _show_path(request, bundle, step.state)
    if isinstance(step, questionnaire.GoTo):
        return redirect_for(request, step.url)
    # A swapped fragment has no base.html, so it shows pending messages itself.
    context = {**step.context, "nav": "advisor", "fragment": is_swap(request)}
    response = render(request, template_for(request, QUESTION_TEMPLATE, "question-form"), context)
    if step.push_url is not None:
        response["HX-Push-Url"] = step.push_url
    return response


def _show_path(
    request: HtmxHttpRequest, bundle: CatalogBundle, state: AdvisorState
) -> HttpResponse:
    """Save the path ("Show my path") under a new token and go to it."""
    # One transaction: a failure while saving the path leaves no learner without a path.
    with transaction.atomic():
        learner = learner_for_request(request, create=True)
        done = Progress.objects.done_slugs(learner.pk)
        _, known = questionnaire.known_for_plan(bundle.planner, state, done)
        # The state was checked against this same catalog, so the planner accepts it.
        path = path_create(
            learner=learner,
            answers=state.answers,
            known=known,
            hours_per_week=questionnaire.hours_for_plan(state),
            goals=state.goals,
            bundle=bundle,
        )
    return redirect_for(request, path.get_absolute_url())


@require_POST
def advisor_restart(request: HtmxHttpRequest) -> HttpResponse:
    """Forget the answers and go back to the first screen."""
    questionnaire.clear_state(request.session)
    messages.info(request, "Your answers were cleared. Let's start again.")
    return redirect_for(request, reverse("paths:advisor"))


# Saved paths ------------------------------------------------------------------------------

NOT_OWNER = "Only the learner who made this path can change it."


def _owner_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Load the path named by `token` and pass it on; 403 (nothing written) for anyone else."""

    @wraps(view)
    def wrapper(request: HtmxHttpRequest, token: str, **kwargs: str) -> HttpResponse:
        path = get_object_or_404(LearningPath.objects.select_related("learner"), token=token)
        if not is_owner(request, path):
            return HttpResponseForbidden(NOT_OWNER, content_type="text/plain; charset=utf-8")
        return view(request, path, **kwargs)

    return wrapper


def _status_context(snapshot: Snapshot, statuses: dict[str, str]) -> dict:
    """The path's totals, progress, where the learner is and estimated finish (from today)."""
    return {
        "summary": progress_summary(snapshot, statuses),
        "now": where_now(snapshot, statuses),
        "finish": finish_date(snapshot, statuses, today=timezone.localdate()),
    }


@never_cache
@require_safe
def path_list(request: HtmxHttpRequest) -> HttpResponse:
    """My paths: the learner's saved paths, newest first, each with its progress."""
    learner = learner_for_request(request, create=False)
    learner_id = learner.pk if learner is not None else None
    paths = list(LearningPath.objects.for_learner(learner_id)) if learner_id else []
    statuses = Progress.objects.statuses(learner_id)
    version, _ = current_version() if paths else (None, None)
    rows = [
        {
            "path": path,
            "summary": progress_summary(path.snapshot, statuses),
            "catalog_changed": path.catalog_version != version,
            "purpose": path_purpose(path.snapshot, list),
        }
        for path in paths
    ]
    return render(request, "paths/path_list.html", {"nav": "paths", "rows": rows})


def _path_page_context(
    request: HtmxHttpRequest,
    path: LearningPath,
    statuses: dict[str, str],
    notes: dict[str, tuple[str, int]],
    ticks: dict[str, frozenset[str]],
    *,
    owner: bool,
    catalog_version: int,
) -> dict:
    """Everything the saved path's page shows; `catalog_version` is the catalog's current one."""
    catalog_changed = catalog_version != path.catalog_version
    # Only the owner can accept a re-plan, so only they pay for planning one.
    replan = replan_preview(path, get_catalog_bundle()) if catalog_changed and owner else None
    snapshot = read_snapshot(path.snapshot)
    return {
        "nav": "paths" if owner else None,
        "path": path,
        "snapshot": snapshot,
        "owner": owner,
        "outline": path_outline(snapshot, statuses, notes, ticks),
        "purpose": path_purpose(
            snapshot, lambda: answers_summary(get_catalog_bundle(), path.answers)
        ),
        "roadmap": roadmap(snapshot, statuses),
        "catalog_changed": catalog_changed,
        "replan": replan,
        "share_url": request.build_absolute_uri(path.get_absolute_url()),
        "note_max_length": Note.MAX_LENGTH,
        "study_week": study_week(snapshot.hours_per_week).describe(),
        **_status_context(snapshot, statuses),
        **_path_urls(path),
    }


def _path_page_read(token: str, session_key: str | None) -> tuple:
    """What a saved path's stored page is made from, in the page's one query: the path's
    header, the data of the session `session_key` (None: no session read), and the day."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    also = store(session_key).pending_read() if session_key else None
    header, session_data = LearningPath.objects.page_header(token, also)
    return header, session_data, timezone.localdate()


@require_safe
def path_detail(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The saved path; its owner gets the progress buttons, notes and re-planning, everyone
    else reads it with the owner's progress."""
    # One query: the path's header, which names everything its stored copy depends on, with
    # the visitor's session data (when they have a session not read yet) in the same statement.
    session = getattr(request, "session", None)
    pending_read = getattr(session, "pending_read", None)  # accounts.sessions.SessionStore
    session_key = session.session_key if pending_read and pending_read() else None
    read = partial(_path_page_read, token, session_key)
    made_from = read()
    header, session_data, today = made_from
    if header is None:
        raise Http404("No such path.")
    if session_key:
        session.use_data(session_data)
    owner = is_owner(request, header)
    version, changed_at = header.catalog_now

    def context() -> dict:
        # Rendering is rare (the page is stored per state), so the full path, its snapshot and
        # the learner's marks are read only then.
        path = LearningPath.objects.select_related("learner").filter(pk=header.id).first()
        if path is None:  # deleted since the header was read
            raise Http404("No such path.")
        statuses, notes, ticks = learner_marks(path.learner_id, notes=owner)
        return _path_page_context(
            request, path, statuses, notes, ticks, owner=owner, catalog_version=version
        )

    # One copy per path and variant (the owner's carries their CSRF token), rendered again
    # only when what it shows changed.
    return cached_page(
        request,
        PATH_TEMPLATE,
        context,
        key=f"path|{token}|{'owner' if owner else 'reader'}|{request.get_host()}",
        state=page_state(
            header.learner_id,
            header.marks_revision,
            header.name,
            header.updated,
            version,
            changed_at,
            header.catalog_version,
            today,
        ),
        for_everyone=not owner,
        # The same request is answered again while the same query reads the same.
        # The read covers the visitor's session, or they have none.
        recheck=Recheck(
            read,
            made_from,
            with_session=session_key is not None or getattr(session, "session_key", None) is None,
        ),
        never_stored=True,  # the owner's progress changes it: never kept by a browser
    )


@vary_on_headers("HX-Request")
@require_POST
@_owner_only
def progress_update(request: HtmxHttpRequest, path: LearningPath, technology: str) -> HttpResponse:
    """Set one step's status. With htmx, the answer is the step's buttons, its status in words
    and the path's totals (out of band); without, a redirect back to the step."""
    status = request.POST.get("status", "")
    if status not in ProgressStatus.values:
        return HttpResponseBadRequest(
            "Choose one of: To do, Doing, Done, Skipped.", content_type="text/plain; charset=utf-8"
        )
    snapshot = read_snapshot(path.snapshot)
    if not has_step(snapshot, technology):
        raise Http404("This path has no such step.")
    progress_set(learner_id=path.learner_id, technology_slug=technology, status=status)
    if not is_swap(request):
        return redirect(f"{path.get_absolute_url()}#step-{technology}")
    statuses = Progress.objects.statuses(path.learner_id)
    return render(
        request,
        f"{PATH_TEMPLATE}#progress-update",
        {
            "path": path,
            "snapshot": snapshot,
            "owner": True,
            "view": step_view(snapshot, technology, statuses),
            "focus_status": status,
            "roadmap": roadmap(snapshot, statuses),
            **_status_context(snapshot, statuses),
            **_path_urls(path),
        },
    )


@vary_on_headers("HX-Request")
@require_POST
@_owner_only
def checkpoints_update(
    request: HtmxHttpRequest, path: LearningPath, technology: str
) -> HttpResponse:
    """Tick a step's checkpoints: the form posts the indexes of every ticked one (none ticked
    is an empty set). With htmx, the answer is the form again with its count; without, a
    redirect back to the step."""
    view = step_view(path.snapshot, technology, {})
    if view is None or not view.checkpoints:
        raise Http404("This path has no such step, or the step has no checkpoints.")
    texts = [text for _, text, _ in view.checkpoints]
    try:
        indexes = {int(value) for value in request.POST.getlist("checkpoint")}
    except ValueError:
        indexes = {-1}
    if not indexes <= set(range(len(texts))):
        return HttpResponseBadRequest(
            "Tick only this step's checkpoints.", content_type="text/plain; charset=utf-8"
        )
    ticked = checkpoints_set(
        learner_id=path.learner_id,
        technology_slug=technology,
        checkpoints=texts,
        ticked=[texts[index] for index in sorted(indexes)],
    )
    if not is_swap(request):
        return redirect(f"{path.get_absolute_url()}#step-{technology}")
    view = step_view(path.snapshot, technology, {}, ticks={technology: ticked})
    context = {"path": path, "owner": True, "view": view, "saved": True, **_path_urls(path)}
    return render(request, f"{PATH_TEMPLATE}#step-checkpoints", context)


@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
@_owner_only
def note_update(request: HtmxHttpRequest, path: LearningPath, technology: str) -> HttpResponse:
    """A step's private note: its own page without JavaScript, swapped in place with htmx.

    A save from a tab that opened an older version of the note is not written: the form comes
    back with the saved text shown and the learner's own still in the box.
    """
    if not has_step(path.snapshot, technology):
        raise Http404("This path has no such step.")
    note: tuple[str, int] | None = None  # (text, version) when the post already knows it
    editor = None
    if request.method == "POST":
        form = NoteForm(request.POST)
        if not form.is_valid():
            editor = {
                "text": request.POST.get("text", ""),
                "version": request.POST.get("version", ""),
                "errors": [error for errors in form.errors.values() for error in errors],
            }
        else:
            try:
                saved = note_set(
                    learner_id=path.learner_id,
                    technology_slug=technology,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                )
            except NoteConflict as conflict:
                note = (conflict.text, conflict.version)
                editor = {
                    "text": form.cleaned_data["text"],
                    "version": conflict.version,
                    "conflict": True,
                }
            else:
                if not is_swap(request):
                    messages.success(request, "Your note is saved.")
                    return redirect(f"{path.get_absolute_url()}#step-{technology}")
                note = (saved.text, saved.version) if saved is not None else ("", 0)
                editor = {"saved": True}
    if note is None:
        note = Note.objects.texts(path.learner_id).get(technology, ("", 0))
    view = step_view(path.snapshot, technology, {}, {technology: note})
    context = {
        "path": path,
        "owner": True,
        "view": view,
        "editor": editor,
        "note_max_length": Note.MAX_LENGTH,
        **_path_urls(path),
    }
    if is_swap(request):
        return render(request, f"{PATH_TEMPLATE}#step-note", context)
    return render(request, "paths/note_edit.html", {**context, "nav": "paths", "note_page": True})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_owner_only
def path_rename_view(request: HtmxHttpRequest, path: LearningPath) -> HttpResponse:
    """Rename a path (a page of its own, so it works without JavaScript)."""
    form = PathRenameForm(request.POST or None, initial={"name": path.name})
    if request.method == "POST" and form.is_valid():
        path_rename(path=path, name=form.cleaned_data["name"])
        messages.success(request, f"The path is now called “{path.name}”.")
        return redirect(_back_to(request, path))
    return render(
        request,
        "paths/path_rename.html",
        {"nav": "paths", "path": path, "form": form, "back": _back_to(request, path)},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_owner_only
def path_delete_view(request: HtmxHttpRequest, path: LearningPath) -> HttpResponse:
    """Delete a path after a confirmation page; progress and notes stay with the learner."""
    if request.method == "POST":
        path_delete(path=path)
        messages.success(request, f"“{path}” is deleted.")
        return redirect("paths:path-list")
    return render(
        request,
        "paths/path_confirm_delete.html",
        {"nav": "paths", "path": path, "back": _back_to(request, path)},
    )


def _back_to(request: HtmxHttpRequest, path: LearningPath) -> str:
    """Where rename and delete return to: My paths when they came from there, else the path."""
    if request.GET.get("from") == "list" or request.POST.get("from") == "list":
        return reverse("paths:path-list")
    return path.get_absolute_url()


@require_POST
@_owner_only
def path_replan_view(request: HtmxHttpRequest, path: LearningPath) -> HttpResponse:
    """Accept the re-plan the path page showed: the path is planned again on the current
    catalog, in place (same link; progress and notes are the learner's, so they stay)."""
    try:
        expected = int(request.POST.get("catalog_version", ""))
    except ValueError:
        return HttpResponseBadRequest("Reload the page.", content_type="text/plain; charset=utf-8")
    try:
        path_replan(path=path, expected_version=expected)
    except ValidationError as error:
        for message in error.messages:
            messages.warning(request, message)
    else:
        messages.success(request, "Your path now follows the current catalog.")
    return redirect_for(request, path.get_absolute_url())


RESHAPED = "#reshape"


def _reshaped(request: HtmxHttpRequest, url: str, fragment: str) -> HttpResponse:
    """Back to the reshaped path: to `fragment` after a plain post; with htmx, a reload of the
    page without it (a location differing only by its fragment would not load again)."""
    return redirect_for(request, url if request.htmx else url + fragment)


def _reshape_refused(
    request: HtmxHttpRequest, path: LearningPath, form: PathHoursForm | PathGoalForm
) -> HttpResponse:
    """The reshaping forms again with the refusal next to its field: swapped in place (200, so
    htmx swaps it) with htmx, else the whole page (400)."""
    context = {
        "path": path,
        "owner": True,
        "hours_form": form if isinstance(form, PathHoursForm) else None,
        "goal_form": form if isinstance(form, PathGoalForm) else None,
    }
    if is_swap(request):
        return render(request, f"{PATH_TEMPLATE}#reshape", context)
    statuses, notes, ticks = learner_marks(path.learner_id, notes=True)
    page = _path_page_context(
        request, path, statuses, notes, ticks, owner=True, catalog_version=current_version()[0]
    )
    return render(request, PATH_TEMPLATE, {**page, **context}, status=400)


@vary_on_headers("HX-Request")
@require_POST
@_owner_only
def path_hours_view(request: HtmxHttpRequest, path: LearningPath) -> HttpResponse:
    """ "Update hours": a new pace for the path, in place (its steps and progress stay)."""
    form = PathHoursForm(request.POST)
    if not form.is_valid():
        return _reshape_refused(request, path, form)
    path = path_set_hours(path=path, hours_per_week=form.cleaned_data["hours_per_week"])
    weeks = read_snapshot(path.snapshot).weeks
    messages.success(
        request,
        f"Your path now runs at {path.hours_per_week} hour{'s' if path.hours_per_week != 1 else ''}"
        f" a week: {weeks} week{'s' if weeks != 1 else ''}.",
    )
    return _reshaped(request, path.get_absolute_url(), RESHAPED)


@vary_on_headers("HX-Request")
@require_POST
@_owner_only
def path_goal_add_view(request: HtmxHttpRequest, path: LearningPath) -> HttpResponse:
    """ "Add to path": a technology becomes a goal asked for, with its prerequisites, in place
    (progress and notes are the learner's, so they stay)."""
    form = PathGoalForm(request.POST)
    if form.is_valid():
        try:
            added = path_add_goal(path=path, technology=form.cleaned_data["technology"])
        except ValidationError as error:
            form.add_error("technology", error.message_dict.get("technology", error.messages))
        else:
            new = f"{added.new_steps} new step{'s' if added.new_steps != 1 else ''}"
            messages.success(
                request,
                f"{added.name} is now a goal of this path: milestone {added.milestone}, {new}.",
            )
            return _reshaped(request, added.path.get_absolute_url(), f"#step-{added.slug}")
    return _reshape_refused(request, path, form)


@require_http_methods(["GET", "POST"])
def path_start_from(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Plan a path of one's own from this path's answers: they fill in the questionnaire, which
    opens at the first question the current catalog needs answered (or "What do you already
    know?"). Anyone with the link may; the path itself is not touched. GET asks first: the
    path page, stored for every reader, links here rather than holding a form that posts."""
    path = get_object_or_404(LearningPath, token=token)
    if request.method == "GET":
        return render(request, "paths/path_start_from.html", {"path": path})
    catalog = get_catalog_bundle().planner
    state, _ = questionnaire.state_from_data(
        {"answers": path.answers, "hours_per_week": path.hours_per_week, "goals": path.goals},
        catalog,
    )
    questionnaire.save_state(request.session, state)
    flow = questionnaire.screens(catalog, state.answers)
    messages.info(request, "The questionnaire has this path's answers filled in; change any.")
    return redirect_for(
        request, questionnaire.screen_url(flow, questionnaire.first_open_index(flow, state.answers))
    )


# Exports ------------------------------------------------------------------------------------


@never_cache
@require_safe
def path_markdown_view(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The path as Markdown, with the owner's progress as checkboxes; the owner's own export
    also holds their notes (a reader's never does)."""
    path = get_object_or_404(LearningPath.objects.select_related("learner"), token=token)
    owner = is_owner(request, path)
    statuses, notes, ticks = learner_marks(path.learner_id, notes=owner)
    text = path_markdown(
        snapshot=path.snapshot,
        statuses=statuses,
        url=request.build_absolute_uri(path.get_absolute_url()),
        today=timezone.localdate(),
        name=path.name,
        notes={slug: text for slug, (text, _) in notes.items()},
        ticked=ticks if owner else {},
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="learning-path-{token[:8]}.md"'
    return response


@never_cache
@require_safe
def path_calendar_view(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The path as an iCalendar file: weekly study sessions for each step still to learn,
    from today (paths/ical.py)."""
    path = get_object_or_404(LearningPath, token=token)
    text = path_calendar(
        snapshot=path.snapshot,
        statuses=Progress.objects.statuses(path.learner_id),
        name=path.name,
        url=request.build_absolute_uri(path.get_absolute_url()),
        uid_seed=path.token,
        today=timezone.localdate(),
        stamp=timezone.now().astimezone(UTC),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="learning-path-{token[:8]}.ics"'
    return response
