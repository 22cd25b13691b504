"""What every app's views share about htmx: the request type and which template to render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware."""

    htmx: HtmxDetails


def is_swap(request: HtmxHttpRequest) -> bool:
    """True for an htmx swap; a history restore (and a plain visit) needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def template_for(request: HtmxHttpRequest, template_name: str, partial: str) -> str:
    """The whole page, or only its `partial` (named after the element it replaces) for a swap."""
    return f"{template_name}#{partial}" if is_swap(request) else template_name


def redirect_for(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows with a full page load."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
