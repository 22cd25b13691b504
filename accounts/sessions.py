"""Django's database sessions, with the one query every request runs compiled once.

Everything is `django.contrib.sessions.backends.db` — expiry, key validation, signing, the
`django.security.SuspiciousSession` log of a corrupted row, saving, cycling and deleting —
except that the read of the session row is a `catalog.prepared.PreparedQuery`: the ORM builds
and compiles it once per connection instead of on every request (where it cost ten times as
long as running it; docs/performance.md). Not `cached_db`, even with Redis: the shared cache
drops writes while Redis is down, so a session changed during an outage (a log-out) would be
read back stale from Redis once it returns.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from catalog.prepared import PreparedQuery


def _live_session(session_key: str, now: object) -> models.QuerySet:
    # The row Django's SessionStore._get_session_from_db reads.
    return Session.objects.filter(session_key=session_key, expire_date__gt=now).values_list(
        "session_key", "session_data", "expire_date"
    )


_LIVE_SESSION = PreparedQuery(
    _live_session,
    session_key=Session._meta.get_field("session_key"),
    now=Session._meta.get_field("expire_date"),
)


_NOT_READ = object()


class SessionStore(db.SessionStore):
    _read_rows: object = _NOT_READ

    def read_query(self) -> tuple[PreparedQuery, dict[str, object]] | None:
        """The query that reads this session's row, for a view that sends it together with
        its own (`catalog.prepared.together`) and hands the rows to `use_rows`; None when
        there is nothing to read (no session key, or the session is already loaded)."""
        if self.session_key is None or hasattr(self, "_session_cache"):
            return None
        return _LIVE_SESSION, {"session_key": self.session_key, "now": timezone.now()}

    def use_rows(self, rows: list[tuple]) -> None:
        """The rows `read_query` gave: the session loads from them instead of asking again."""
        self._read_rows = rows

    def _get_session_from_db(self) -> Session | None:
        rows, self._read_rows = self._read_rows, _NOT_READ
        if rows is _NOT_READ:
            row = _LIVE_SESSION.first(session_key=self.session_key, now=timezone.now())
        else:
            row = rows[0] if rows else None
        if row is None:
            self._session_key = None
            return None
        session_key, session_data, expire_date = row
        return self.model(
            session_key=session_key, session_data=session_data, expire_date=expire_date
        )
