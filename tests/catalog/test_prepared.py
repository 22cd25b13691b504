"""Queries compiled once (catalog/prepared.py) give what the ORM's queryset gives, for every
value, on each database and in every thread."""

from __future__ import annotations

import itertools
import os
import threading

import pytest
from django.db import connections

from catalog.models import CatalogVersion
from catalog.prepared import PreparedQuery, together
from catalog.versioning import bump_catalog_version, current_version
from paths.models import Progress
from paths.services import learner_create, progress_set

pytestmark = pytest.mark.django_db(transaction=True)

LEARNER = Progress._meta.get_field("learner")
SLUG = Progress._meta.get_field("technology_slug")


def statuses_of(learner_id, slug):
    return (
        Progress.objects.filter(learner_id=learner_id, technology_slug__gte=slug)
        .order_by("technology_slug")
        .values_list("technology_slug", "status", "updated")
    )


def learners_with_statuses() -> list:
    """Three learners with one, two and three statuses ("a", "b", "c")."""
    learners = [learner_create() for _ in range(3)]
    for number, learner in enumerate(learners):
        for slug in ("a", "b", "c")[: number + 1]:
            progress_set(learner_id=learner.pk, technology_slug=slug, status="doing")
    return learners


def test_rows_are_the_querysets_rows_for_each_value():
    learners = learners_with_statuses()
    prepared = PreparedQuery(statuses_of, learner_id=LEARNER, slug=SLUG)
    for learner in [*learners, learner_create()]:
        for slug in ("a", "b", "z"):
            assert list(prepared.rows(learner_id=learner.pk, slug=slug)) == [
                tuple(row) for row in statuses_of(learner.pk, slug)
            ]


def test_values_are_converted_as_the_orm_converts_them():
    bump_catalog_version()
    number, changed_at = current_version()
    row = CatalogVersion.objects.values_list("number", "changed_at").get(pk=1)
    assert (number, changed_at) == row and changed_at.tzinfo is not None
    CatalogVersion.objects.all().delete()
    assert current_version() == (0, None)


def test_each_thread_runs_the_query_on_its_own_connection():
    learner = learner_create()
    progress_set(learner_id=learner.pk, technology_slug="a", status="done")
    prepared = PreparedQuery(statuses_of, learner_id=LEARNER, slug=SLUG)
    here = list(prepared.rows(learner_id=learner.pk, slug="a"))
    found = []

    def read():
        try:
            found.append(
                (list(prepared.rows(learner_id=learner.pk, slug="a")), connections["default"])
            )
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    rows, other_connection = found[0]
    assert rows == here and len(here) == 1
    assert other_connection is not connections["default"]


def test_a_query_that_ignores_an_argument_is_refused():
    prepared = PreparedQuery(lambda slug: Progress.objects.all(), slug=SLUG)
    with pytest.raises(ValueError, match="slug"):
        prepared.first(slug="a")


def test_queries_sent_together_give_each_its_own_rows():
    learners = learners_with_statuses()
    prepared = PreparedQuery(statuses_of, learner_id=LEARNER, slug=SLUG)
    calls = [(prepared, {"learner_id": learner.pk, "slug": "b"}) for learner in learners]
    calls.append((prepared, {"learner_id": learner_create().pk, "slug": "a"}))  # no rows
    assert together(*calls) == [list(query.rows(**values)) for query, values in calls]
    assert together() == [] and together(calls[0]) == [list(prepared.rows(**calls[0][1]))]


def test_queries_sent_together_are_each_logged_and_wrapped_as_any_query():
    from django.db import OperationalError, connection
    from django.test.utils import CaptureQueriesContext

    learner = learner_create()
    prepared = PreparedQuery(statuses_of, learner_id=LEARNER, slug=SLUG)
    calls = [(prepared, {"learner_id": learner.pk, "slug": slug}) for slug in ("a", "b", "c")]
    with CaptureQueriesContext(connection) as queries:
        together(*calls)
    assert len(queries) == 3

    def fail(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(fail), pytest.raises(OperationalError):
        together(*calls)
    assert together(*calls) == [[], [], []]  # the connection is usable afterwards


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (CI runs the suite on both)",
)
def test_on_postgresql_queries_sent_together_make_one_round_trip(tmp_path):
    from django.db import connection
    from psycopg import pq

    learner = learner_create()
    progress_set(learner_id=learner.pk, technology_slug="a", status="done")
    prepared = PreparedQuery(statuses_of, learner_id=LEARNER, slug=SLUG)
    calls = [(prepared, {"learner_id": learner.pk, "slug": slug}) for slug in ("a", "b", "c")]
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    trace = tmp_path / "libpq.trace"
    with trace.open("w") as out:  # libpq's own record of every protocol message, in order
        pgconn.trace(out.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
        rows = together(*calls)
        pgconn.untrace()
    assert rows[0] and rows[0][0][0] == "a"
    senders = [line.split("\t", 1)[0] for line in trace.read_text().splitlines() if line]
    turns = sum(1 for pair in itertools.pairwise(senders) if pair == ("F", "B"))
    assert turns == 1, trace.read_text()  # everything sent, then every answer read
