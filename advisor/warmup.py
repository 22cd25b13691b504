"""Warm a gunicorn worker before it takes its first request.

A worker forked from the master (bin/serve runs gunicorn with --preload) has Django loaded
and the templates compiled (advisor/wsgi.py), but builds its read models of the catalog
(the browse catalog and the planner's bundle) on its first requests, which made the
requests that met a freshly recycled worker wait 100-200 ms. gunicorn calls
`post_worker_init` (advisor/gunicorn_config.py) before the worker accepts a connection, so
building them there costs no visitor anything: the other workers answer meanwhile.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)


def warm_worker() -> None:
    """Build this process's read models of the current catalog; never raise.

    Warming is only a head start: when the database (or anything else) fails, the worker
    starts cold and builds them on its first request, as it would without this. A worker
    whose `post_worker_init` raised would exit with gunicorn's boot-error code, and the
    master would then shut the whole server down, so nothing may escape from here.
    """
    from catalog.selectors import browse_catalog
    from catalog.versioning import current_version
    from paths.catalog_cache import get_catalog_bundle

    try:
        browse_catalog(current_version())
        get_catalog_bundle()
    except DatabaseError as error:
        logger.warning("Worker warm-up skipped: the database did not answer (%s).", error)
        connections.close_all()
    except Exception:
        logger.exception("Worker warm-up failed; the worker starts cold.")
        connections.close_all()
