"""Site-wide middleware: headers Django does not set, request limits with a clear answer, and a
styled 503 while the database is unreachable."""

from __future__ import annotations

import functools
from collections.abc import Callable

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    MiddlewareNotUsed,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.signals import setting_changed
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SecurityHeadersMiddleware:
    """Add a Permissions-Policy header that switches off browser features we never use."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# What a view can set on its response to change django-csp's policy for that response.
_CSP_PER_RESPONSE = tuple(
    f"_csp_{name}{suffix}"
    for name in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


@functools.cache
def _site_policy() -> tuple[tuple[str, str], ...] | None:
    """The site's CSP headers as django-csp builds them from the settings, or None when the
    settings exclude URL prefixes (those responses are left to django-csp)."""
    if any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    ):
        return None
    built = ((HEADER, build_policy()), (HEADER_REPORT_ONLY, build_policy(report_only=True)))
    return tuple((header, value) for header, value in built if value)


def _forget_site_policy(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policy.cache_clear()


setting_changed.connect(_forget_site_policy)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's policy built once rather than per response.

    Our policy is the settings' alone (no nonce: every script and style is a file), so the
    headers are the same on every response; django-csp builds them twice per request (the
    policy and the report-only one), a tenth of the time a cached page takes. A response that
    changes the policy (django-csp's decorators), a request that asked for a nonce, and DEBUG
    go through django-csp as they are.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        site = _site_policy()
        if (
            site is None
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _CSP_PER_RESPONSE)
        ):
            return super().process_response(request, response)
        for header, value in site:
            if header not in response:
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class HealthProbeMiddleware:
    """Answer /healthz and /readyz whatever the Host header says.

    A probe (the Dockerfile's HEALTHCHECK, a load balancer) sends the address it connects to,
    which DJANGO_ALLOWED_HOSTS does not list; Django would refuse it with 400. This sits before
    everything that calls request.get_host() (CommonMiddleware, CSRF, the views), after the
    header middleware only, whose work needs no host (the HTTPS redirect exempts these paths).
    Every other URL keeps Host validation.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from advisor import views  # views import this module

        probe = {"/healthz": views.healthz, "/readyz": views.readyz}.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)


class StoredPageMiddleware:
    """Answer a request the view answered with a stored page from the process's copy again,
    before the layers that are about the visitor (sessions, CSRF, accounts, flash messages,
    htmx) run.

    The view's own answer is kept, bytes and headers, by everything about the request those
    layers and the view read (catalog.page_cache `repeat_request`: address, query string, host,
    htmx headers, session and CSRF cookies), with the one read the page was made from
    (`Recheck`: the catalog version; for a saved path its header and the visitor's session
    data). The same request gets the same answer again once that read, made again, gives the
    same. Anything that does not match exactly — another read, release or visitor, a copy gone
    or that Redis has not taken yet, a validator to check, a flash message — goes to the view.
    Host validation is done here too, as CommonMiddleware would.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from catalog import page_cache

        repeat = page_cache.repeat_request(request)
        if repeat is None:
            return self.get_response(request)
        request.get_host()  # DisallowedHost: a 400, as for every other request
        try:
            response = page_cache.repeat_answer(repeat)
        except DatabaseError as error:
            if not is_database_unavailable(error):
                raise
            return database_unavailable(request)
        if response is not None:
            return response
        response = self.get_response(request)
        page_cache.remember_answer(repeat, response)
        return response


class PlainHttpCookiesMiddleware:
    """The plain-HTTP trial (DJANGO_SECURE_SSL_REDIRECT=0 with DEBUG off): cookies set on a
    request that came over plain HTTP lose their Secure flag, which would make a browser drop
    them on any host but loopback (and every form fail its CSRF check).

    A request that came over HTTPS (request.is_secure(), through SECURE_PROXY_SSL_HEADER)
    keeps Secure cookies; with the HTTPS redirect on (a real deployment) this is not used.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        secure = settings.SESSION_COOKIE_SECURE or settings.CSRF_COOKIE_SECURE
        if settings.SECURE_SSL_REDIRECT or not secure:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = ""
        return response


def refusal(status: int, title: str, message: str) -> HttpResponse:
    """A styled error page that needs neither a request context nor the database."""
    html = render_to_string("400.html", {"title": title, "message": message})
    return HttpResponse(html, status=status)


def is_api(request: HttpRequest) -> bool:
    """True for the JSON API, which answers its errors as JSON, never as a page."""
    return request.path_info.startswith("/api/")


def bad_request_response(
    request: HttpRequest, status: int, title: str, message: str, *, api_message: str = ""
) -> HttpResponse:
    """`refusal()` for a page, the API's `{"errors": {"__all__": [...]}}` for /api/."""
    if is_api(request):
        return JsonResponse({"errors": {"__all__": [api_message or message]}}, status=status)
    return refusal(status, title, message)


class RequestLimitsMiddleware:
    """Read a posted form once, before anything else does, and refuse it clearly when it breaks
    a limit: over DATA_UPLOAD_MAX_MEMORY_SIZE (413), over DATA_UPLOAD_MAX_NUMBER_FIELDS (400)
    or unreadable (400: a charset other than UTF-8, multipart without a boundary). Nothing
    behind it (CSRF, sessions, views) runs for such a request; the API gets the same answers
    as JSON.

    Without this, the CSRF check is the first to read the form and Django answers a bare
    "Bad Request (400)", or a 500 for a charset it refuses (its 400 view reads the form again).
    Other bodies (JSON for /api/plan) are left to their views, which answer in their own format.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            try:
                request.POST  # noqa: B018 -- parse now, so the limits are met here
            except RequestDataTooBig:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                return bad_request_response(
                    request,
                    413,
                    "Too much to send",
                    f"What you sent is larger than this site accepts ({limit // 1024:,} KB). "
                    "Nothing was saved; go back and shorten it.",
                    api_message=f"The request body is larger than {limit // (1024 * 1024)} MB.",
                )
            except (TooManyFieldsSent, TooManyFilesSent):
                limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
                return bad_request_response(
                    request,
                    400,
                    "Too many fields",
                    f"The form had more than {limit:,} fields, "
                    "more than any page here sends. Nothing was saved.",
                )
            except (BadRequest, UnicodeDecodeError):
                return bad_request_response(
                    request,
                    400,
                    "Unreadable form",
                    "The form data must be UTF-8 encoded, which this request was not. "
                    "Nothing was saved; please try again.",
                    api_message="The request body must be JSON (UTF-8).",
                )
            except (MultiPartParserError, SuspiciousOperation, ValueError):
                return bad_request_response(
                    request,
                    400,
                    "Unreadable form",
                    "The form data could not be read. Nothing was saved; please try again.",
                    api_message="The request body must be JSON (UTF-8).",
                )
        return self.get_response(request)


NUL = "\x00"
NUL_MESSAGE = (
    "The request contains a NUL character (\\0), which no address or field of this site "
    "accepts. Nothing was done."
)


def _has_nul(data: object) -> bool:
    """Whether a QueryDict (GET or POST) has a NUL in any key or value."""
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class NulCharacterMiddleware:
    """Refuse a NUL character in the admin and the API with a 400, and drop cookies with one.

    PostgreSQL refuses NUL in any string it is sent, and the admin puts what the query string
    says straight into queries (list filters, its search, the autocomplete), so a NUL there
    answered 500. One check covers every admin page (the path, the query string, a posted
    form); the API answers its JSON error shape. The public pages never send what a visitor
    types to the database and keep answering any query (their forms refuse a NUL with a
    message). A cookie with a NUL is taken as absent, so such a session cookie is no session
    rather than a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
            del request.COOKIES[name]
        api = request.path.startswith("/api/")
        if (api or request.path.startswith("/" + settings.ADMIN_URL)) and (
            NUL in request.path
            or _has_nul(request.GET)
            or (
                request.method == "POST"
                and request.content_type in FORM_CONTENT_TYPES
                and _has_nul(request.POST)
            )
        ):
            if api:
                return JsonResponse({"errors": {"__all__": [NUL_MESSAGE]}}, status=400)
            return refusal(400, "Bad request", NUL_MESSAGE)
        return self.get_response(request)


def is_database_unavailable(exception: BaseException | None) -> bool:
    """True for the errors a database that is down, restarting or unreachable raises."""
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """A 503 with a Retry-After: the styled page (no context processors, no database), or the
    API's error shape for /api/."""
    if request.path.startswith("/api/"):
        message = "The service cannot reach its database right now; try again in a minute."
        response = JsonResponse({"errors": {"__all__": [message]}}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """Answer a styled 503 when the database is unreachable, instead of a 500.

    This catches what a view raises; advisor.views.server_error answers the same 503 for a
    failure outside the view (saving the session, the layout of a 404 page), so no path
    through the stack shows a 500 for an outage.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_unavailable(exception):
            return database_unavailable(request)
        return None
