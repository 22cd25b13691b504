"""Browse and search the catalog."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from catalog.models import Category, Technology


@require_GET
def catalog_index(request: HttpRequest) -> HttpResponse:
    """Every category with its technologies."""
    return render(request, "catalog/catalog_index.html", {"categories": Category.objects.all()})


@require_GET
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One category."""
    category = get_object_or_404(Category, slug=slug)
    return render(request, "catalog/category_detail.html", {"category": category})


@require_GET
def technology_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One technology."""
    technology = get_object_or_404(Technology, slug=slug)
    return render(request, "catalog/technology_detail.html", {"technology": technology})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search results."""
    return render(request, "catalog/search.html", {"query": request.GET.get("q", "")})
