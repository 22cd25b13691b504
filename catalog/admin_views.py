"""Admin-only catalog views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from catalog.selectors import build_document
from catalog.yaml_writer import dump_catalog


@require_GET
def catalog_export_yaml(request: HttpRequest) -> HttpResponse:
    """Download the current catalog as schema-version-1 YAML (what `export_catalog` writes)."""
    response = HttpResponse(
        dump_catalog(build_document()), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="catalog.yaml"'
    response["Cache-Control"] = "no-store"
    return response
