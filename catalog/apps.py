from __future__ import annotations

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Curated content: categories, technologies, prerequisites, resources, questions."""

    name = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from catalog import versioning

        versioning.connect_signals()
