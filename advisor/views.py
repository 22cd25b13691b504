"""Site-wide views: home, health checks and error pages."""

from __future__ import annotations

import sys

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from advisor.middleware import bad_request_response, database_unavailable, is_database_unavailable
from catalog.page_cache import Recheck, cached_page
from catalog.selectors import home_categories
from catalog.versioning import current_version


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What Backend Path is, the way in to the questionnaire, and the categories."""
    version = current_version()
    return cached_page(
        request,
        "home.html",
        lambda: {"categories": home_categories()},
        key="home",
        state="|".join(map(str, version)),
        recheck=Recheck(current_version, version),
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No I/O."""
    return HttpResponse("ok", content_type="text/plain")


def cache_status() -> str:
    """The shared cache: ok, unavailable (Redis set but not answering) or local (no Redis)."""
    backend = caches["default"]
    ping = getattr(backend, "ping", None)
    if ping is None:
        return "local"
    return "ok" if ping() else "unavailable"


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers a trivial query.

    The shared cache is reported but does not decide: without Redis every page is still
    served (rendered afresh), so taking every app server out of the load balancer because
    the cache is down would turn a slower site into no site. docs/operations.md says so.
    """
    cache = cache_status()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse(
            {
                "status": "unavailable",
                "reason": f"database: {type(error).__name__}",
                "database": "unavailable",
                "cache": cache,
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "cache": cache})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A styled 400 (JSON for the API) that never reads the request's body or host.

    Django's own 400 view is wrapped in requires_csrf_token, which reads the posted form again:
    for a form Django refused to parse that raised once more and answered 500. A refused Host
    header lands here too, so nothing here may call request.get_host().
    """
    return bad_request_response(
        request,
        400,
        "Bad request",
        "This request could not be understood. Nothing was saved; go back and try again.",
        api_message="The request could not be understood.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a styled 403 that tells the learner what to do, not Django's page.

    Under htmx, static/js/site.js shows this page's message in the page's live region.
    """
    return bad_request_response(
        request,
        403,
        "Your session has expired",
        "Your session expired, or this browser blocks cookies for this site, so nothing was "
        "saved. Reload the page and try again; if it happens again, allow cookies for this site.",
        api_message="The CSRF check failed: reload the page and try again.",
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A styled 404 that says nothing about our internals."""
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A styled 500 that needs neither a request context nor the database.

    Django calls this while handling the exception, so an outage that broke something outside
    a view (saving the session, the layout of a 404 page) still gets the styled 503.
    """
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    return HttpResponse(render_to_string("500.html"), status=500)
