"""The one way a page is cached: stored whole, served as it was rendered.

A page is stored under a key that says what it is and for whom — everyone (signed in or not:
the header's account links differ), or one path's owner in one browser — together with the
state it was rendered from (catalog version, progress, release…). A request whose page is in
the cache with the current state gets the stored bytes as they are; any other renders the page
and replaces the copy, so the cache holds one copy per page and variant however often its
state changes. Nothing is spliced into a stored page: a page for everyone carries no CSRF token
(it has no form that posts), and an owner's page carries that owner's own, its secret being
part of the state.

The same key and state make the ETag, so a browser's copy that is current gets a 304. In
development (`DEBUG`) nothing is stored, so every template edit shows at once; a page with a
pending flash message is rendered afresh too, so the message shows once. The cache's failure
behaviour is the cache backend's (advisor/cache_backend.py): while Redis is down every page is
simply rendered.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

# Whitespace between tags that holds a line break. Text from the catalog or a learner is
# escaped, so `>` and `<` here are always markup; no template of ours uses <pre>.
_INDENTATION = re.compile(rb">\s*\n\s*<")
TIMEOUT = 3600


def page_state(*parts: object) -> str:
    """A short name for everything a page's content depends on (any reprs)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _csrf_secret(request: HttpRequest) -> str:
    return request.META.get("CSRF_COOKIE", "")


def cached_page(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict],
    *,
    key: str,
    state: str,
    for_everyone: bool = True,
) -> HttpResponse:
    """`render(request, template_name, context())`, stored whole and served from the cache.

    `key` names the page (its URL's meaning and variant); `state` everything its content
    depends on; `context` is called only when the page has to be rendered. A page
    `for_everyone` is rendered with `for_everyone=True` in its context, which leaves the
    CSRF token out of the layout; any other page is one visitor's (their token in it).
    """
    signed_in = bool(getattr(request, "user", None) and request.user.is_authenticated)
    identity = f"{key}|{'member' if signed_in else 'guest'}"
    if settings.DEBUG or get_messages(request):
        return render(request, template_name, {**context(), "for_everyone": for_everyone})

    def full_state() -> str:
        secret = "" if for_everyone else _csrf_secret(request)
        return page_state(identity, state, settings.RELEASE, secret)

    current = full_state()
    etag = f'"{current}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return _with_validators(HttpResponseNotModified(), etag)
    cache_key = "page:" + page_state(identity)
    cached = cache.get(cache_key)
    if cached is None or cached[0] != current:
        response = render(request, template_name, {**context(), "for_everyone": for_everyone})
        # Rendering may have issued this visitor's CSRF secret: the page holds its token.
        current = full_state()
        etag = f'"{current}"'
        cached = (current, response["Content-Type"], _INDENTATION.sub(b">\n<", response.content))
        cache.set(cache_key, cached, timeout=TIMEOUT)
    _, content_type, content = cached
    return _with_validators(HttpResponse(content, content_type=content_type), etag)


def _with_validators(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    # Revalidate every time, so an edit shows at once; private: the header differs by account.
    patch_cache_control(response, private=True, no_cache=True)
    return response
