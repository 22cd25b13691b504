"""WSGI entry point: `gunicorn advisor.wsgi`.

gunicorn runs with `--preload` (bin/serve), so this module is imported once, in the master,
and every worker is forked from it. Before that fork the master does the work each worker
would otherwise repeat on its first requests, and that a worker recycled by
`--max-requests` would repeat again: it loads the URLconf (and with it every view module),
compiles every template of ours. All code is then imported before the fork, so a worker
started later never reads a module from disk that a deploy in progress may have changed
under the master.
Then `gc.freeze()` moves what is loaded into the permanent generation, so a worker's full
garbage collections no longer walk Django's ~70,000 import-time objects (each had cost
~40 ms, a p99 spike in `make bench`) and the memory holding them stays shared between
workers instead of being copied on write.
Nothing here touches the database: no connection is opened before the fork.
"""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")

application = get_wsgi_application()


def _warm_up() -> None:
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view
    templates = settings.BASE_DIR / "templates"
    for path in sorted(templates.rglob("*.html")):
        get_template(path.relative_to(templates).as_posix())


_warm_up()
gc.freeze()
