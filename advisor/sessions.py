"""Django's database sessions, read with one plain SQL query.

Every request from a learner reads their session (it names their learner, so it says whether
they own the path they are looking at). On the saved path page, served from the page cache,
compiling the ORM query for that read cost more than everything else the view does; this
store runs the same query as Django's (`session_key` matches and `expire_date` is in the
future) without the ORM. Writing, creating, deleting and clearing expired sessions are
Django's own, on the same table.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        if self.session_key is None:
            return {}
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        meta = model._meta
        sql = (
            f"SELECT {quote(meta.get_field('session_data').column)} FROM {quote(meta.db_table)}"
            f" WHERE {quote(meta.get_field('session_key').column)} = %s"
            f" AND {quote(meta.get_field('expire_date').column)} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            # Unknown or expired: the next save makes a new key, as Django's store does.
            self._session_key = None
            return {}
        return self.decode(row[0])
