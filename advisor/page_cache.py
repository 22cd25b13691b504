"""Whole-page rendering through the cache, for pages that depend only on what their key says.

Rendering templates is what a page costs (not the database), so a catalog page is rendered
once per catalog version, release and URL, and then served from the cache. Two things in
every page differ per visitor and are handled here:

- the CSRF token: the page renders with a placeholder in its place (the `csrf_placeholder`
  context processor supplies it during a cached render) and each response gets the
  visitor's own token;
- the header's account links: the cache key includes the signed-in user's id.

A page with a pending flash message is rendered afresh, so the message shows once; so is
every page in development (`DEBUG`), where templates change under the running server.

A cached copy is stored without the templates' indentation (a newline stands for any run of
whitespace between two tags, which the browser reads the same way): the owner's view of a
long path is a quarter smaller for it.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render

CSRF_PLACEHOLDER = "csrf-token-placeholder-3b9d1c"
RELEASE_SOURCES = (
    "templates/**/*.html",
    "static/**/*.css",
    "static/**/*.js",
    "advisor/*.py",
    "catalog/*.py",
    "paths/*.py",
)
_FLAG = "_render_with_csrf_placeholder"
# Whitespace between tags that holds a line break. Text from the catalog or a learner is
# escaped, so `>` and `<` here are always markup; no template of ours uses <pre>.
_INDENTATION = re.compile(rb">\s*\n\s*<")


@functools.cache
def release() -> str:
    """A name for this build of the pages, the same in every process running it.

    It joins the catalog version in ETags and page-cache keys, so a deploy that changes a
    template, the stylesheet or the code is never answered with an old page.
    """
    digest = hashlib.sha256()
    root = settings.BASE_DIR
    for pattern in RELEASE_SOURCES:
        for path in sorted(root.glob(pattern)):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: during a cached render the CSRF token is a placeholder."""
    if getattr(request, _FLAG, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def render_cached(
    request: HttpRequest,
    template_name: str,
    context: dict | Callable[[], dict],
    *,
    key: str,
    state: str = "",
    status: int = 200,
) -> HttpResponse:
    """`render()`, served from the cache when `key` (plus the signed-in user) was seen before.

    `key` names which page this is (its URL's meaning and variant) and `state` everything
    that makes its content change (catalog version, release, progress…). One copy is kept per
    key: a copy whose state is not the current one is rendered again and replaced, so the
    cache holds one entry per page, however often its state changes. `context` may be a
    function, called only when the page has to be rendered.
    """
    context_for = context if callable(context) else lambda: context
    # In development (DEBUG) every request renders, so an edited template shows at once.
    if settings.DEBUG or get_messages(request):
        return render(request, template_name, context_for(), status=status)
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else 0
    digest = hashlib.blake2b(f"{key}|{user_id}".encode(), digest_size=16).hexdigest()
    cache_key = f"page:{digest}"
    state = f"{state}|{release()}"
    cached = cache.get(cache_key)
    if cached is None or cached[0] != state:
        setattr(request, _FLAG, True)
        try:
            response = render(request, template_name, context_for(), status=status)
        finally:
            setattr(request, _FLAG, False)
        # Kept in pieces around the CSRF placeholder, joined with each visitor's token.
        pieces = _INDENTATION.sub(b">\n<", response.content).split(CSRF_PLACEHOLDER.encode())
        cached = (state, response["Content-Type"], pieces)
        cache.set(cache_key, cached, timeout=3600)
    _, content_type, pieces = cached
    content = get_token(request).encode().join(pieces) if len(pieces) > 1 else pieces[0]
    return HttpResponse(content, content_type=content_type, status=status)
