"""Queries compiled once (catalog/prepared.py) give what the ORM's queryset gives, for every
value, on each database and in every thread."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.db.models import Count, Subquery, Value

from catalog.models import CatalogVersion
from catalog.prepared import Column, PreparedQuery
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


def test_a_column_rides_along_in_the_querys_own_statement(django_assert_num_queries):
    learners = learners_with_statuses()
    prepared = PreparedQuery(statuses_of, learner_id=LEARNER, slug=SLUG)
    count = Column(
        lambda other: Subquery(
            Progress.objects.filter(learner_id=other)
            .order_by()
            .values("learner_id")
            .annotate(n=Count("*"))
            .values("n")
        ),
        {"other": LEARNER},
    )
    both = prepared.with_column("theirs", count)
    assert prepared.with_column("theirs", count) is both  # built and compiled once
    for learner in learners:
        for other in learners:
            with django_assert_num_queries(1):
                rows = list(both.rows(learner_id=learner.pk, slug="a", other=other.pk))
            plain = list(prepared.rows(learner_id=learner.pk, slug="a"))
            theirs = Progress.objects.filter(learner_id=other.pk).count()
            assert rows == [(*row, theirs) for row in plain]
    with pytest.raises(ValueError, match="slug"):
        prepared.with_column("again", Column(lambda slug: Value(slug), {"slug": SLUG}))
