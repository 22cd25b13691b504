"""Django's database sessions, with the one query every request runs compiled once.

Everything is `django.contrib.sessions.backends.db` — expiry, key validation, signing, the
`django.security.SuspiciousSession` log of a corrupted row, saving, cycling and deleting —
except that the read of the session row is a `catalog.prepared.PreparedQuery`: the ORM builds
and compiles it once per connection instead of on every request (where it cost ten times as
long as running it; docs/performance.md). A page that reads a row of its own on every
request (the saved path's) takes the session's data along in its statement (`pending_read`,
`use_data`), so the visitor costs no second round trip. Not `cached_db`, even with Redis: the
shared cache drops writes while Redis is down, so a session changed during an outage (a
log-out) would be read back stale from Redis once it returns.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Subquery
from django.utils import timezone

from catalog.prepared import Column, PreparedQuery


def _live_session(session_key: str, now: object) -> models.QuerySet:
    # The row Django's SessionStore._get_session_from_db reads; load() reads only its data.
    return Session.objects.filter(session_key=session_key, expire_date__gt=now).values_list(
        "session_data"
    )


# Its arguments, each compared with this field.
_LIVE_SESSION_ARGUMENTS = {
    "session_key": Session._meta.get_field("session_key"),
    "now": Session._meta.get_field("expire_date"),
}
_LIVE_SESSION = PreparedQuery(_live_session, **_LIVE_SESSION_ARGUMENTS)
# The same row's data, as a value another query selects (NULL when there is no live session).
SESSION_DATA = Column(
    lambda session_key, now: Subquery(_live_session(session_key, now)[:1]),
    _LIVE_SESSION_ARGUMENTS,
)

_NOT_READ = object()


class SessionStore(db.SessionStore):
    _read_data: object = _NOT_READ

    def pending_read(self) -> tuple[Column, dict[str, object]] | None:
        """The column that reads this session's data, with its values, for a query that takes
        it along and hands what it read to `use_data`; None when there is nothing to read (no
        session key, or the session is already loaded)."""
        if self.session_key is None or hasattr(self, "_session_cache"):
            return None
        return SESSION_DATA, {"session_key": self.session_key, "now": timezone.now()}

    def use_data(self, data: str | None) -> None:
        """What `pending_read`'s column read (None: no live session with this key): the
        session loads from it instead of asking again."""
        self._read_data = data

    def _get_session_from_db(self) -> Session | None:
        data, self._read_data = self._read_data, _NOT_READ
        if data is _NOT_READ:
            row = _LIVE_SESSION.first(session_key=self.session_key, now=timezone.now())
            data = row[0] if row is not None else None
        if data is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=data)
