"""Browse and search the catalog.

Every page reads the catalog version (one query) and builds itself from the browse read
model kept per version (catalog.selectors.browse_catalog), so the query count does not grow
with the catalog. The heavy part of each page is a template fragment cached per catalog
version and release; ETags let an unchanged page answer 304.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.http import http_date
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from advisor.page_cache import release, render_cached
from advisor.types import HtmxHttpRequest
from catalog.models import TechnologyKind, TechnologyLevel
from catalog.search import MAX_QUERY_LENGTH
from catalog.selectors import BrowseCatalog, browse_catalog, catalog_version_key
from catalog.versioning import current_version

MAX_SEARCH_RESULTS = 100


@dataclass(frozen=True)
class Filters:
    """What the visitor asked for, cleaned: unknown values are dropped with a note."""

    query: str
    kind: str
    level: str
    notes: tuple[str, ...]

    @property
    def active(self) -> bool:
        return bool(self.query or self.kind or self.level)

    @property
    def cache_key(self) -> str:
        return "\x1f".join((self.query, self.kind, self.level, *self.notes))


def _filters(request: HtmxHttpRequest) -> Filters:
    """Read q, kind and level; never fails, whatever the query string holds."""
    query = " ".join(request.GET.get("q", "")[:MAX_QUERY_LENGTH].split())
    kind = request.GET.get("kind", "").strip()
    level = request.GET.get("level", "").strip()
    notes = []
    if kind and kind not in TechnologyKind.values:
        notes.append(f"There is no kind called “{kind[:40]}”, so every kind is shown.")
        kind = ""
    if level and level not in TechnologyLevel.values:
        notes.append(f"There is no level called “{level[:40]}”, so every level is shown.")
        level = ""
    return Filters(query=query, kind=kind, level=level, notes=tuple(notes))


def _is_fragment(request: HtmxHttpRequest) -> bool:
    """HTMX swaps get the results fragment; history restores and plain visits the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _etag(request: HtmxHttpRequest, version: tuple[int, object], variant: str) -> str:
    # The layout holds a CSRF token masked from the visitor's CSRF secret (the cookie) and,
    # for a signed-in learner, their name and a log-out form. Any mask of the token is valid
    # while the secret is the same, so a page changes only with the catalog version, the
    # release, the secret or the account: all go into the hash (the secret never shows), so
    # a 304 cannot revive a page whose token belongs to an old cookie or a signed-out user.
    secret = request.META.get("CSRF_COOKIE", "")
    user = getattr(request, "user", None)
    account = f"{user.pk}:{user.get_username()}" if user and user.is_authenticated else "-"
    key = f"{catalog_version_key(version)}|{release()}|{variant}|{secret}|{account}"
    digest = salted_hmac("catalog.views.etag", key).hexdigest()[:20]
    return f'"c{version[0]}-{digest}"'


def _validators(request: HtmxHttpRequest, version: tuple[int, object], variant: str) -> dict:
    headers = {"ETag": _etag(request, version, variant)}
    if version[1] is not None:
        headers["Last-Modified"] = http_date(version[1].timestamp())
    return headers


def _not_modified(
    request: HtmxHttpRequest, version: tuple[int, object], variant: str
) -> HttpResponse | None:
    """A 304 when the visitor's copy is current.

    Browsers send If-None-Match whenever they hold our ETag, and it wins over
    If-Modified-Since (RFC 9110), so they always get the CSRF- and account-aware check;
    a date alone is only compared with the catalog's last change.
    """
    if get_messages(request):  # a pending message must be shown, so render the page
        return None
    headers = _validators(request, version, variant)
    last_modified = int(version[1].timestamp()) if version[1] is not None else None
    response = get_conditional_response(request, etag=headers["ETag"], last_modified=last_modified)
    if response is not None:
        return _finish(response, request, version, variant)
    return None


def _finish(
    response: HttpResponse, request: HtmxHttpRequest, version: tuple[int, object], variant: str
) -> HttpResponse:
    """Validators computed after rendering (the render may have issued the CSRF cookie)."""
    for name, value in _validators(request, version, variant).items():
        response.headers[name] = value
    # Private: the page holds a CSRF token. no-cache: revalidate, so edits show at once.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _render(
    request: HtmxHttpRequest,
    version: tuple[int, object],
    catalog: BrowseCatalog,
    template: str,
    context: Callable[[], dict],
    *,
    filters: Filters | None = None,
    fragment: bool = False,
) -> HttpResponse:
    """Render a catalog page, or only its #results fragment for an HTMX swap.

    `context` is called only when the page is not in the cache, so grouping, filtering and
    ranking the catalog cost nothing on the requests served from it.
    """

    def full_context() -> dict:
        return {
            **context(),
            "filters": filters,
            "kinds": catalog.kinds,
            "levels": catalog.levels,
            "catalog": catalog,
            "fragment": fragment,
            "nav": "catalog",
        }

    template_name = f"{template}#results" if fragment else template
    if filters is not None and (filters.query or filters.notes):
        # Nothing a visitor types becomes a cache key: a search (or a page that notes an
        # unknown filter) is rendered afresh, over the in-memory read model.
        response = render(request, template_name, full_context())
    else:
        # The page's identity is its template, object and cleaned filters, never the raw
        # query string: made-up parameters cannot each store a copy.
        key = "|".join([template_name, request.path, filters.cache_key if filters else ""])
        response = render_cached(
            request, template_name, full_context, key=key, state=catalog.version_key
        )
    return _finish(response, request, version, "fragment" if fragment else "page")


def _search_context(catalog: BrowseCatalog, filters: Filters) -> dict:
    matches = catalog.search(filters.query, kind=filters.kind, level=filters.level)
    return {
        "results": matches[:MAX_SEARCH_RESULTS],
        "total": len(matches),
        "truncated": len(matches) > MAX_SEARCH_RESULTS,
    }


def _filtered_page(
    request: HtmxHttpRequest,
    template: str,
    context: Callable[[BrowseCatalog, Filters], dict],
) -> HttpResponse:
    """A page with the filter form (the catalog and search): a 304 when the visitor's copy is
    current, else the page, or its #results fragment for an HTMX swap. `context` gets the
    catalog and the cleaned filters, and runs only when the page is rendered."""
    version = current_version()
    fragment = _is_fragment(request)
    variant = "fragment" if fragment else "page"
    if (not_modified := _not_modified(request, version, variant)) is not None:
        return not_modified
    catalog = browse_catalog(version)
    filters = _filters(request)
    return _render(
        request,
        version,
        catalog,
        template,
        lambda: context(catalog, filters),
        filters=filters,
        fragment=fragment,
    )


@require_GET
@vary_on_headers("HX-Request")
def catalog_index(request: HtmxHttpRequest) -> HttpResponse:
    """Every category with its technologies, foundations first; filters and a search box."""

    def context(catalog: BrowseCatalog, filters: Filters) -> dict:
        if filters.query:
            return _search_context(catalog, filters)
        groups = catalog.groups(kind=filters.kind, level=filters.level)
        shown = {technology.slug for _, technologies in groups for technology in technologies}
        return {"groups": groups, "total": len(shown)}

    return _filtered_page(request, "catalog/catalog_index.html", context)


@require_GET
def category_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One category: its summary and its technologies, foundations first."""
    version = current_version()
    if (not_modified := _not_modified(request, version, "page")) is not None:
        return not_modified
    catalog = browse_catalog(version)
    category = catalog.category_by_slug.get(slug)
    if category is None:
        raise Http404("No such category.")

    def context() -> dict:
        technologies = catalog.select(category.technologies)
        return {
            "category": category,
            "technologies": technologies,
            "total_hours": sum(technology.effort_hours for technology in technologies),
        }

    return _render(request, version, catalog, "catalog/category_detail.html", context)


@require_GET
def technology_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One technology: what to learn first, what it unlocks, where to learn it."""
    version = current_version()
    if (not_modified := _not_modified(request, version, "page")) is not None:
        return not_modified
    catalog = browse_catalog(version)
    technology = catalog.technologies.get(slug)
    if technology is None:
        raise Http404("No such technology.")

    def context() -> dict:
        return {
            "technology": technology,
            "categories": [
                catalog.category_by_slug[category]
                for category in technology.categories
                if category in catalog.category_by_slug
            ],
            "chain": catalog.chain(slug),
            "diagram": catalog.diagram(slug),
            "unlocks": catalog.unlocks[slug],
            "projects": catalog.projects[slug],
        }

    return _render(request, version, catalog, "catalog/technology_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Ranked search over names, slugs, summaries and highlights; live with HTMX."""

    def context(catalog: BrowseCatalog, filters: Filters) -> dict:
        return _search_context(catalog, filters) if filters.query else {}

    return _filtered_page(request, "catalog/search.html", context)
