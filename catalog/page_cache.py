"""The one way a page is cached: stored whole, served as it was rendered.

A page is stored under a key that says what it is and for whom — everyone (signed in or not:
the header's account links differ), or one path's owner in one browser — together with the
state it was rendered from (catalog version, progress, release…). A request whose page is
stored with the current state gets the stored bytes as they are; any other renders the page
and replaces the copy, so there is one copy per page and variant however often its state
changes. Nothing is spliced into a stored page: a page for everyone carries no CSRF token (it
has no form that posts), and an owner's page carries that owner's own, its secret being part
of the state.

Copies are kept in two places, checked against the same state: in the process (a bounded
store of bytes, so a page served from it costs no round trip and no unpickling), and, when the
default cache is shared (Redis), there too, so each app server renders a page once per state
between them, not once each. A copy the shared cache could not take (Redis down) is offered
to it again on a later request, once it is back. A page named by what a visitor typed (a
search: the same query gives every visitor the same page) is kept in a smaller store of the
process's own and never in the shared cache, so made-up queries cannot fill Redis or push
other pages out; `POST /api/plan` keeps its plans there too, by the body posted
(`typed_answer`), the planner being a function of the catalog version and that body alone.

A request the view answered with a stored page is answered again from the process's copy
before the layers that are about the visitor run (sessions, CSRF, accounts:
advisor.middleware.StoredPageMiddleware), with the bytes and the headers the view's answer had,
when it is the same request (address, query string, host, htmx headers, session and CSRF
cookies, no flash message) and the one read the page was made from gives the same again
(`Recheck`: the catalog version; a saved path's header with the visitor's session data and the
day). Anything that does not match exactly goes to the view.

The same key and state make the ETag, so a browser's copy that is current gets a 304. In
development (`DEBUG`) nothing is stored, so every template edit shows at once; a page with a
pending flash message is rendered afresh too, so the message shows once. The cache's failure
behaviour is the cache backend's (advisor/cache_backend.py): while Redis is down pages are
served from the process's copies or rendered.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import http_date, parse_etags

# Whitespace between tags that holds a line break. Text from the catalog or a learner is
# escaped, so `>` and `<` here are always markup; no template of ours uses <pre>.
_INDENTATION = re.compile(rb">\s*\n\s*<")
TIMEOUT = 3600
# The process's copies: at most this many bytes of pages, the least recently served dropped first.
LOCAL_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Copy:
    state: object  # compared with ==: a page's state name, or what an answer was made from
    content_type: str
    content: bytes
    shared: bool  # whether the shared cache holds it too


class _LocalCopies:
    """The process's copies, by key, bounded in bytes (least recently served dropped first)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._copies: OrderedDict[str, _Copy] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # the development and test servers are threaded

    def get(self, key: str) -> _Copy | None:
        with self._lock:
            copy = self._copies.get(key)
            if copy is not None:
                self._copies.move_to_end(key)
            return copy

    def put(self, key: str, copy: _Copy) -> None:
        with self._lock:
            old = self._copies.pop(key, None)
            if old is not None:
                self._size -= len(old.content)
            if len(copy.content) > self.limit:
                return
            self._copies[key] = copy
            self._size += len(copy.content)
            while self._size > self.limit:
                _, dropped = self._copies.popitem(last=False)
                self._size -= len(dropped.content)

    def keys(self) -> list[str]:
        with self._lock:
            return list(self._copies)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
            self._size = 0


_local = _LocalCopies(LOCAL_BYTES)
# Pages named by what a visitor typed (searches): kept apart, in a smaller store, and never in
# the shared cache, so a stream of made-up queries can push out only other searches.
TYPED_BYTES = 4 * 1024 * 1024
_typed = _LocalCopies(TYPED_BYTES)


@dataclass(frozen=True, slots=True)
class Recheck:
    """What a stored page was made from, as a read that can be made again before the visitor
    layers run: `read()` gives it now (one query), `made_from` is what it gave when the view
    answered. A recheck `with_session` reads the visitor's session too (its data is part of
    what it gives), so it may answer a visitor who has one; any other answers only visitors
    without a session."""

    read: Callable[[], object]
    made_from: object
    with_session: bool = False


@dataclass(frozen=True, slots=True)
class _Remembered:
    """Where a page the view answered with is kept and what it was made from (set on the
    view's answer)."""

    typed: bool  # which of the process's stores holds it
    cache_key: str
    state: str
    recheck: Recheck
    release: str


@dataclass(frozen=True, slots=True)
class _Answer:
    copy: _Remembered
    headers: tuple[tuple[str, str], ...]  # the view's answer's, but its length


class _Answers:
    """Requests (`repeat_request`) to the page the view answered them with, bounded in number
    (least recently asked dropped first): made-up query strings or cookies cost an entry each,
    never a page."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[Repeat, _Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, request: Repeat) -> _Answer | None:
        with self._lock:
            entry = self._entries.get(request)
            if entry is not None:
                self._entries.move_to_end(request)
            return entry

    def put(self, request: Repeat, entry: _Answer) -> None:
        with self._lock:
            self._entries[request] = entry
            self._entries.move_to_end(request)
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


REMEMBERED_REQUESTS = 4096
# A longer query string (made up: the forms send far less) is not remembered, so the entries
# stay small; such a request goes to the view.
REMEMBERED_QUERY_LENGTH = 512
_answers = _Answers(REMEMBERED_REQUESTS)


def reset_local_copies() -> None:
    """Forget the process's copies (the tests start each with none)."""
    _local.clear()
    _typed.clear()
    _answers.clear()


def local_copy_keys() -> list[str]:
    """The keys of the pages this process holds (for the tests)."""
    return _local.keys() + _typed.keys()


class Repeat(NamedTuple):
    """Everything about a request for a page that the visitor layers and the views read."""

    path: str
    query: str
    host: str
    forwarded_host: str
    htmx: str
    history_restore: str
    session: str  # the session cookie ("" without one)
    csrf: str


def repeat_request(request: HttpRequest) -> Repeat | None:
    """What names a request for a page (address, query string, host, htmx headers, session and
    CSRF cookies), or None when it is not a plain GET that could be answered again as it was:
    a flash message cookie, a validator to check, a very long query string, development. Such
    requests always go to the view."""
    if request.method != "GET" or settings.DEBUG:
        return None
    cookies = request.COOKIES
    if CookieStorage.cookie_name in cookies:
        return None
    meta = request.META
    query = meta.get("QUERY_STRING", "")
    if "HTTP_IF_NONE_MATCH" in meta or len(query) > REMEMBERED_QUERY_LENGTH:
        return None
    return Repeat(
        request.path_info,
        query,
        meta.get("HTTP_HOST", ""),
        meta.get("HTTP_X_FORWARDED_HOST", ""),
        meta.get("HTTP_HX_REQUEST", ""),
        meta.get("HTTP_HX_HISTORY_RESTORE_REQUEST", ""),
        cookies.get(settings.SESSION_COOKIE_NAME, ""),
        cookies.get(settings.CSRF_COOKIE_NAME, ""),
    )


def repeat_answer(request: Repeat) -> HttpResponse | None:
    """The page the view answered `request` with, from the process's copy, when its recheck
    still gives what the page was made from (read only when there is a copy) and, with
    Redis, the shared cache holds it too; None sends the request on to the view."""
    entry = _answers.get(request)
    if entry is None:
        return None
    copy = entry.copy
    if copy.release != settings.RELEASE or copy.recheck.read() != copy.recheck.made_from:
        return None
    stored = (_typed if copy.typed else _local).get(copy.cache_key)
    if stored is None or stored.state != copy.state:
        return None
    if not copy.typed and not stored.shared and _shared():
        return None  # the view offers the shared cache this copy (Redis was down)
    response = HttpResponse(stored.content)
    for name, value in entry.headers:
        response[name] = value
    response["Content-Length"] = str(len(stored.content))
    return response


def remember_answer(request: Repeat, response: HttpResponse) -> None:
    """Keep what the view answered `request` with, when it was a stored page that may be
    served again this way (`cached_page(…, recheck=…)`), for a visitor with a session only
    when the recheck reads it, and the answer set no cookie."""
    copy = getattr(response, "remembered", None)
    if copy is None or response.status_code != 200 or response.streaming or response.cookies:
        return
    if request.session and not copy.recheck.with_session:
        return
    headers = tuple((name, value) for name, value in response.items() if name != "Content-Length")
    _answers.put(request, _Answer(copy, headers))


def page_state(*parts: object) -> str:
    """A short name for everything a page's content depends on (any reprs)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _csrf_secret(request: HttpRequest) -> str:
    return request.META.get("CSRF_COOKIE", "")


def _shared() -> bool:
    """Whether the default cache lives outside this process (Redis), so its copies are shared."""
    return not isinstance(caches["default"], LocMemCache)


def cached_page(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict],
    *,
    key: str,
    state: str,
    for_everyone: bool = True,
    typed: bool = False,
    recheck: Recheck | None = None,
    never_stored: bool = False,
) -> HttpResponse:
    """`render(request, template_name, context())`, stored whole and served from the copies.

    `key` names the page (its URL's meaning and variant); `state` everything its content
    depends on; `context` is called only when the page has to be rendered. A page
    `for_everyone` is rendered with `for_everyone=True` in its context, which leaves the
    CSRF token out of the layout; any other page is one visitor's (their token in it). A
    page whose key holds what a visitor `typed` is kept only in the process's store for those.
    `recheck` makes what `state` was made from again in one read: the same request is then
    answered again before the visitor layers (`repeat_answer`) while it gives the same. A
    page `never_stored` by browsers or proxies gets the headers of Django's `never_cache` with
    the validators (as that decorator would give them on top, without parsing and rebuilding
    Cache-Control twice).
    """
    signed_in = bool(getattr(request, "user", None) and request.user.is_authenticated)
    identity = f"{key}|{'member' if signed_in else 'guest'}"
    if settings.DEBUG or get_messages(request):
        response = render(request, template_name, {**context(), "for_everyone": for_everyone})
        if never_stored:
            add_never_cache_headers(response)
        return response

    def full_state() -> str:
        secret = "" if for_everyone else _csrf_secret(request)
        return page_state(identity, state, settings.RELEASE, secret)

    current = full_state()
    etag = f'"{current}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return _with_validators(HttpResponseNotModified(), etag, never_stored)
    cache_key = "page:" + page_state(identity)
    shared = not typed and _shared()
    local = _typed if typed else _local
    copy = local.get(cache_key)
    if copy is None or copy.state != current:
        copy = None
        if shared:
            stored = cache.get(cache_key)
            if stored is not None and stored[0] == current:
                copy = _Copy(*stored, shared=True)
        if copy is None:
            response = render(request, template_name, {**context(), "for_everyone": for_everyone})
            # Rendering may have issued this visitor's CSRF secret: the page holds its token.
            current = full_state()
            etag = f'"{current}"'
            content = _INDENTATION.sub(b">\n<", response.content)
            copy = _Copy(current, response["Content-Type"], content, shared=False)
        local.put(cache_key, copy)
    if shared and not copy.shared:
        stored = (copy.state, copy.content_type, copy.content)
        if cache.set(cache_key, stored, timeout=TIMEOUT) is not False:
            local.put(cache_key, replace(copy, shared=True))
    response = HttpResponse(copy.content, content_type=copy.content_type)
    response = _with_validators(response, etag, never_stored)
    if recheck is not None and not signed_in and (for_everyone or recheck.with_session):
        response.remembered = _Remembered(typed, cache_key, copy.state, recheck, settings.RELEASE)
    return response


def typed_answer(key: str, state: object, make: Callable[[], HttpResponse]) -> HttpResponse:
    """`make()`, for an answer named by what a visitor sent (a plan for a posted body): a
    successful one is kept, body and content type, in the process's store for what visitors
    type, and served again while `state` holds. Not in development, like every page."""
    if settings.DEBUG:
        return make()
    cache_key = "answer:" + page_state(key)
    copy = _typed.get(cache_key)
    if copy is None or copy.state != state:
        response = make()
        if response.status_code != 200:
            return response
        copy = _Copy(state, response["Content-Type"], response.content, shared=False)
        _typed.put(cache_key, copy)
    return HttpResponse(copy.content, content_type=copy.content_type)


# What `patch_cache_control(private=True, no_cache=True)` and then `never_cache` make.
_NEVER_STORED = "private, no-cache, max-age=0, no-store, must-revalidate"


def _with_validators(response: HttpResponse, etag: str, never_stored: bool) -> HttpResponse:
    response["ETag"] = etag
    if never_stored:
        response["Expires"] = http_date()
        response["Cache-Control"] = _NEVER_STORED
        return response
    # Revalidate every time, so an edit shows at once; private: the header differs by account.
    patch_cache_control(response, private=True, no_cache=True)
    return response
