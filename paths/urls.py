"""URLs of the learner's journey. DESIGN.md fixes /advisor/, /paths/<token>/, its .md and the
API; the rest are ours."""

from __future__ import annotations

from django.urls import path, register_converter

from paths import api, openapi, views


class TokenConverter:
    """A path's token: URL-safe base64 from secrets.token_urlsafe()."""

    regex = r"[A-Za-z0-9_-]{16,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "paths"

urlpatterns = [
    path("advisor/", views.advisor, name="advisor"),
    path("advisor/q/<slug:question>/", views.advisor, name="advisor-question"),
    path("advisor/known/", views.advisor, {"screen": "known"}, name="advisor-known"),
    path("advisor/hours/", views.advisor, {"screen": "hours"}, name="advisor-hours"),
    path("advisor/restart/", views.advisor_restart, name="advisor-restart"),
    path("paths/", views.path_list, name="path-list"),
    path("paths/<token:token>.md", views.path_markdown_view, name="path-markdown"),
    path("paths/<token:token>.ics", views.path_calendar_view, name="path-calendar"),
    path("paths/<token:token>/", views.path_detail, name="path-detail"),
    path("paths/<token:token>/rename/", views.path_rename_view, name="path-rename"),
    path("paths/<token:token>/delete/", views.path_delete_view, name="path-delete"),
    path("paths/<token:token>/replan/", views.path_replan_view, name="path-replan"),
    path("paths/<token:token>/hours/", views.path_hours_view, name="path-hours"),
    path("paths/<token:token>/goals/", views.path_goal_add_view, name="path-goal-add"),
    path("paths/<token:token>/start-from/", views.path_start_from, name="path-start-from"),
    path(
        "paths/<token:token>/progress/<slug:technology>/",
        views.progress_update,
        name="progress-update",
    ),
    path(
        "paths/<token:token>/notes/<slug:technology>/",
        views.note_update,
        name="note-update",
    ),
    path(
        "paths/<token:token>/checkpoints/<slug:technology>/",
        views.checkpoints_update,
        name="checkpoints-update",
    ),
    path("api/catalog", api.catalog, name="api-catalog"),
    path("api/plan", api.plan, name="api-plan"),
    path("api/openapi.json", openapi.openapi_view, name="api-openapi"),
]
