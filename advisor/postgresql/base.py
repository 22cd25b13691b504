"""PostgreSQL as Django's backend has it, with the connection health check made free.

With `CONN_HEALTH_CHECKS` Django asks a kept connection `SELECT 1` before each request's
first query, so a database that restarted (or a proxy that dropped the connection) costs no
failed request. That is one more round trip on every request: on the pages served from the
cache it was half of their time. A connection the server or a proxy has closed has something
on its socket — the server's goodbye, or the end of the stream — while a healthy idle one has
nothing to read. So an idle connection whose socket is quiet is usable without asking; any
other (something to read, a transaction left open, a psycopg error state) gets Django's own
`SELECT 1`, and is closed and reopened when that fails.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self._quiet_and_idle():
            return True
        return super().is_usable()

    def _quiet_and_idle(self) -> bool:
        """Whether the connection is open, outside any transaction, with nothing to read."""
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return False
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
