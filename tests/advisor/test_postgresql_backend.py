"""The PostgreSQL backend's health check (advisor/postgresql): a kept connection that is
healthy is used without a `SELECT 1` round trip, and one the server or a proxy closed is
noticed before the request's first query and replaced, so no request fails for it.

For real: a connection of the suite's database through a TCP proxy (tests/hardening/servers.py)
that counts the bytes it passes and closes every connection when stopped; and gunicorn
(`bin/serve`, two workers, persistent connections) through such a proxy.
"""

from __future__ import annotations

import os
import select
import time

import pytest
from django.db import connection

from tests.hardening.servers import database_proxy, request, serve_behind_database_proxy

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (CI runs the suite on both)",
)


def new_request(wrapper) -> None:
    """What Django does between two requests on a kept connection."""
    wrapper.close_if_unusable_or_obsolete()


@pytest.fixture
def proxied(db):
    from django.db.utils import load_backend

    proxy, _ = database_proxy(os.environ["DATABASE_URL"])
    proxy.start()
    backend = load_backend(connection.settings_dict["ENGINE"])
    settings = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": str(proxy.port)}
    settings.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    wrapper = backend.DatabaseWrapper(settings, alias="proxied")
    try:
        yield proxy, wrapper
    finally:
        wrapper.close()
        proxy.stop()


def wait_for_the_goodbye(wrapper, seconds: float = 10.0) -> None:
    """Wait until the closed connection's socket has something to read, as it has once the
    server's goodbye (or the end of the stream) has come through the proxy. A fixed sleep was
    not enough on a busy machine: the server ends a backend after the signal, and the proxy's
    thread passes the bytes on when it next runs."""
    poller = select.poll()
    poller.register(wrapper.connection.pgconn.socket, select.POLLIN | select.POLLPRI)
    assert poller.poll(int(seconds * 1000)), "the closed connection's socket stayed quiet"


def select_one(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


def test_a_healthy_kept_connection_is_checked_without_a_round_trip(proxied):
    proxy, wrapper = proxied
    select_one(wrapper)
    for _ in range(3):
        new_request(wrapper)
        before = proxy.forwarded
        wrapper.close_if_health_check_failed()  # what the request's first query does first
        assert proxy.forwarded == before, "the health check went to the database"
        assert wrapper.connection is not None
        assert select_one(wrapper) == 1
        assert proxy.forwarded > before


def test_a_connection_the_server_ended_is_replaced_before_the_first_query(proxied):
    _, wrapper = proxied
    select_one(wrapper)
    pid = wrapper.connection.info.backend_pid
    with connection.cursor() as cursor:  # the suite's own connection ends it, as an admin would
        cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])  # waits for its end
    wait_for_the_goodbye(wrapper)
    new_request(wrapper)
    assert select_one(wrapper) == 1  # no error: the dead connection was closed and reopened
    assert wrapper.connection.info.backend_pid != pid


def test_a_connection_the_proxy_dropped_is_replaced_before_the_first_query(proxied):
    proxy, wrapper = proxied
    select_one(wrapper)
    proxy.stop()  # every connection through it is closed, as a restarting database does
    proxy.start()
    wait_for_the_goodbye(wrapper)
    new_request(wrapper)
    assert select_one(wrapper) == 1


def test_a_connection_left_in_a_transaction_is_asked(proxied):
    proxy, wrapper = proxied
    select_one(wrapper)
    wrapper.connection.execute("BEGIN")  # behind Django's back: not idle
    wrapper.health_check_done = False
    before = proxy.forwarded
    assert wrapper.is_usable()
    assert proxy.forwarded > before  # not answered from the socket
    wrapper.connection.execute("ROLLBACK")


def test_a_database_restart_between_requests_fails_no_request(tmp_path):
    """gunicorn's two workers hold open connections; the database drops them all between two
    requests (a restart, a failover, a proxy's idle timeout). Every following request is
    answered as usual: each worker notices before its first query."""
    with serve_behind_database_proxy(tmp_path, "restart") as (proxy, _, base):
        for _ in range(6):  # open persistent connections in both workers
            assert request(base, "GET", "/catalog/").status == 200
        proxy.stop()
        proxy.start()
        time.sleep(0.2)
        statuses = [request(base, "GET", url).status for url in ("/", "/catalog/") * 4]
        assert statuses == [200] * 8


def test_the_queries_every_page_repeats_are_prepared_on_the_server(db):
    """Django leaves psycopg's preparing off unless asked; the settings ask, so a statement
    run five times on a connection is parsed and planned once (docs/performance.md)."""
    from catalog.versioning import current_version

    for _ in range(6):
        current_version()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%catalog_catalogversion%"],
        )
        assert cursor.fetchone()[0] == 1
