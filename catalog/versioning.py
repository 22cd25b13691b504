"""The catalog version: a number that changes with every catalog edit.

Pages, ETags and caches key on it, so an edit in the admin or a `load_catalog` shows on the
next request in every process. Signals catch edits from anywhere (admin, shell); the loader
suspends them and bumps once for the whole load.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterator

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from catalog.prepared import PreparedQuery

_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("catalog_bumps_suspended")


def bump_catalog_version() -> None:
    """Record that the catalog changed (inside the caller's transaction)."""
    from catalog.models import CatalogVersion

    now = timezone.now()
    with transaction.atomic():
        updated = CatalogVersion.objects.filter(pk=1).update(
            number=models.F("number") + 1, changed_at=now
        )
        if not updated:
            CatalogVersion.objects.get_or_create(pk=1, defaults={"number": 1, "changed_at": now})


def current_version() -> tuple[int, datetime.datetime | None]:
    """The catalog version number and when it last changed (one query, on every page);
    version 0 before any catalog was loaded."""
    row = _VERSION.first()
    return (row[0], row[1]) if row else (0, None)


def _version_row() -> models.QuerySet:
    from catalog.models import CatalogVersion

    return CatalogVersion.objects.filter(pk=1).values_list("number", "changed_at")


# Every page asks for the version: compiled once (catalog/prepared.py).
_VERSION = PreparedQuery(_version_row)


@contextlib.contextmanager
def bumps_suspended() -> Iterator[None]:
    """Skip per-row bumps (the caller bumps once at the end)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def _on_change(sender: type, **kwargs: object) -> None:
    if kwargs.get("raw") or _suspended.get(False):
        return
    if kwargs.get("action") not in (None, "post_add", "post_remove", "post_clear"):
        return
    bump_catalog_version()


def connect_signals() -> None:
    """Bump the version whenever any catalog row is saved or deleted."""
    from catalog import models as catalog_models

    watched = [
        catalog_models.Category,
        catalog_models.Technology,
        catalog_models.TechnologyCategory,
        catalog_models.Prerequisite,
        catalog_models.Alternative,
        catalog_models.Resource,
        catalog_models.Project,
        catalog_models.ProjectUse,
        catalog_models.Question,
        catalog_models.Choice,
        catalog_models.Recommendation,
    ]
    for model in watched:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"catalog-version-save-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"catalog-version-del-{model}")
    for through in (
        catalog_models.Choice.knows.through,
        catalog_models.Question.show_if_choices.through,
    ):
        m2m_changed.connect(
            _on_change, sender=through, dispatch_uid=f"catalog-version-m2m-{through}"
        )
