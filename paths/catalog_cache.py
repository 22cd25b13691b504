"""The planner's catalog, built once per catalog version in each process.

`catalog.selectors.catalog_document()` caches the document in the shared cache; turning it into
the planner's indexed `PlannerCatalog` costs more than a request should pay, so each process
keeps the latest one here. The key includes the version's timestamp as well as its number, so
a database that starts again from version 1 (a restore, a test) is never served stale data.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

from catalog.selectors import catalog_document
from catalog.versioning import current_version
from paths.planner import PlannerCatalog, catalog_from_document

_serials = itertools.count(1)


@dataclass(frozen=True, slots=True)
class CatalogBundle:
    """One catalog version and its planner catalog (which holds the catalog document).
    `serial` names this very bundle in this process: never two bundles with the same one."""

    version: int
    planner: PlannerCatalog
    serial: int = field(default_factory=lambda: next(_serials))


_lock = threading.Lock()
_latest: tuple[object, CatalogBundle] | None = None


def get_catalog_bundle() -> CatalogBundle:
    """The current catalog version's bundle (one query when this process already has it)."""
    global _latest
    version, changed_at = current_version()
    key = (version, changed_at)
    latest = _latest
    if latest is not None and latest[0] == key:
        return latest[1]
    document_version, document = catalog_document()
    bundle = CatalogBundle(version=document_version, planner=catalog_from_document(document))
    # Only remember a bundle whose document matches the version read above (no edit between).
    if document_version == version:
        with _lock:
            _latest = (key, bundle)
    return bundle


def get_planner_catalog() -> tuple[int, PlannerCatalog]:
    """The current catalog version and its planner catalog."""
    bundle = get_catalog_bundle()
    return bundle.version, bundle.planner


def reset_memo() -> None:
    """Forget this process's planner catalog (tests start each case without it)."""
    global _latest
    with _lock:
        _latest = None
