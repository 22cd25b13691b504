"""Browse and search the catalog.

Every page reads the catalog version (one query) and builds itself from the browse read
model kept per version (catalog.selectors.browse_catalog), so the query count does not grow
with the catalog. Pages are stored whole per catalog version (catalog.page_cache); searches
only in the process's own store for what visitors type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from catalog.htmx import HtmxHttpRequest, template_for
from catalog.models import TechnologyKind, TechnologyLevel
from catalog.page_cache import Recheck, cached_page
from catalog.search import MAX_QUERY_LENGTH
from catalog.selectors import BrowseCatalog, browse_catalog
from catalog.versioning import current_version

MAX_SEARCH_RESULTS = 100


@dataclass(frozen=True)
class Filters:
    """What the visitor asked for, cleaned: unknown values are dropped with a note."""

    query: str
    kind: str
    level: str
    notes: tuple[str, ...]
    category: str = ""

    @property
    def active(self) -> bool:
        return bool(self.query or self.kind or self.level or self.category)

    @property
    def cache_key(self) -> str:
        return "\x1f".join((self.query, self.kind, self.level, self.category, *self.notes))


def _filters(request: HtmxHttpRequest, catalog: BrowseCatalog) -> Filters:
    """Read q, kind, level and category; never fails, whatever the query string holds."""
    query = " ".join(request.GET.get("q", "")[:MAX_QUERY_LENGTH].split())
    kind = request.GET.get("kind", "").strip()
    level = request.GET.get("level", "").strip()
    category = request.GET.get("category", "").strip()
    notes = []
    if category and category not in catalog.category_by_slug:
        notes.append(f"There is no category called “{category[:40]}”, so every one is shown.")
        category = ""
    if kind and kind not in TechnologyKind.values:
        notes.append(f"There is no kind called “{kind[:40]}”, so every kind is shown.")
        kind = ""
    if level and level not in TechnologyLevel.values:
        notes.append(f"There is no level called “{level[:40]}”, so every level is shown.")
        level = ""
    return Filters(query=query, kind=kind, level=level, notes=tuple(notes), category=category)


def _catalog_page(
    request: HtmxHttpRequest,
    catalog: BrowseCatalog,
    template: str,
    context: Callable[[], dict],
    *,
    filters: Filters | None = None,
) -> HttpResponse:
    """A catalog page, or only its #results fragment for an htmx swap.

    `context` is called only when the page is rendered, so grouping, filtering and ranking
    cost nothing on the requests the page cache answers. A search is kept only in the
    process's store for what visitors type (catalog.page_cache); a page that notes an unknown
    filter, which quotes it, is always rendered.
    """
    # Only the pages with the filter form swap their #results; the others are whole pages.
    template_name = template_for(request, template, "results") if filters else template

    def full_context() -> dict:
        return {
            **context(),
            "filters": filters,
            "kinds": catalog.kinds,
            "levels": catalog.levels,
            "catalog": catalog,
            "fragment": template_name != template,
            "nav": "catalog",
        }

    if filters is not None and filters.notes:
        return render(request, template_name, {**full_context(), "for_everyone": True})
    # The page's identity is its template, address and cleaned filters, never the raw query
    # string: made-up parameters cannot each store a copy.
    key = "|".join([template_name, request.path, filters.cache_key if filters else ""])
    return cached_page(
        request,
        template_name,
        full_context,
        key=key,
        state=catalog.version_key,
        typed=bool(filters and filters.query),
        recheck=Recheck(current_version, catalog.version),
    )


def _search_context(catalog: BrowseCatalog, filters: Filters) -> dict:
    matches, result = catalog.search(
        filters.query, kind=filters.kind, level=filters.level, category=filters.category
    )
    suggestion = None
    if result.corrected:
        # "Did you mean Django?": the technology the correction names, else the corrected search.
        named = catalog.technologies.get(result.named)
        query = urlencode(
            {
                "q": result.corrected,
                **({"kind": filters.kind} if filters.kind else {}),
                **({"level": filters.level} if filters.level else {}),
            }
        )
        suggestion = {
            "label": named.entry.name if named else result.corrected,
            "url": named.url if named else f"{reverse('catalog:search')}?{query}",
            "query": result.corrected,
        }
    return {
        "results": matches[:MAX_SEARCH_RESULTS],
        "total": len(matches),
        "truncated": len(matches) > MAX_SEARCH_RESULTS,
        "suggestion": suggestion,
    }


@require_GET
@vary_on_headers("HX-Request")
def catalog_index(request: HtmxHttpRequest) -> HttpResponse:
    """Every technology once, foundations first, each tagged with its categories; the
    categories as filters, with a search box."""

    def context(catalog: BrowseCatalog, filters: Filters) -> dict:
        if filters.query:
            return _search_context(catalog, filters)
        technologies = catalog.select(
            catalog.everything, kind=filters.kind, level=filters.level, category=filters.category
        )
        return {
            "technologies": technologies,
            "total": len(technologies),
            "category": catalog.category_by_slug.get(filters.category),
        }

    catalog = browse_catalog(current_version())
    filters = _filters(request, catalog)
    return _catalog_page(
        request,
        catalog,
        "catalog/catalog_index.html",
        lambda: context(catalog, filters),
        filters=filters,
    )


@require_GET
def category_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One category: its summary and its technologies, foundations first."""
    catalog = browse_catalog(current_version())
    category = catalog.category_by_slug.get(slug)
    if category is None:
        raise Http404("No such category.")

    def context() -> dict:
        technologies = catalog.select(category.technologies)
        return {
            "category": category,
            "technologies": technologies,
            "total_hours": sum(technology.entry.effort_hours for technology in technologies),
        }

    return _catalog_page(request, catalog, "catalog/category_detail.html", context)


@require_GET
def technology_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One technology: what to learn first, what it unlocks, where to learn it."""
    catalog = browse_catalog(current_version())
    technology = catalog.technologies.get(slug)
    if technology is None:
        raise Http404("No such technology.")

    def context() -> dict:
        return {
            "technology": technology,
            "categories": [
                catalog.category_by_slug[category]
                for category in technology.entry.categories
                if category in catalog.category_by_slug
            ],
            "chain": catalog.chain(slug),
            "diagram": catalog.diagram(slug),
            "unlocks": catalog.unlocks[slug],
            "projects": catalog.projects[slug],
        }

    return _catalog_page(request, catalog, "catalog/technology_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Ranked, typo-forgiving search over names, aliases, slugs, highlights, categories and
    summaries; live with HTMX."""

    catalog = browse_catalog(current_version())
    filters = _filters(request, catalog)
    return _catalog_page(
        request,
        catalog,
        "catalog/search.html",
        lambda: _search_context(catalog, filters) if filters.query else {},
        filters=filters,
    )
