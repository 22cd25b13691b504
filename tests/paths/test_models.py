"""The saved path page's reads (paths/models.py): a path's header with the catalog version,
and a learner's statuses and notes, each in one query."""

from __future__ import annotations

import pytest

from catalog.versioning import current_version
from paths.models import LearningPath, learner_marks
from paths.services import checkpoints_set, learner_create, note_set, progress_set
from tests.factories import make_document, make_path

pytestmark = pytest.mark.django_db


def test_a_header_names_the_owner_and_the_current_catalog(load_document, django_assert_num_queries):
    load_document(make_document())
    path = make_path()
    with django_assert_num_queries(2):  # the header, and the marks (together on PostgreSQL)
        header, marks, _ = LearningPath.objects.page_reads(path.token)
    assert marks == ({}, {}, {})
    assert header.id == path.pk and header.learner_id == path.learner_id
    assert header.owner_user_id is None and header.name == path.name
    assert header.catalog_version == path.catalog_version
    assert header.catalog_now == current_version()


def test_an_unknown_token_has_no_header():
    assert LearningPath.objects.page_reads("no-such-token")[:2] == (None, ({}, {}, {}))


def test_marks_hold_one_learners_statuses_and_notes(load_document, django_assert_num_queries):
    load_document(make_document())
    learner, other = learner_create(), learner_create()
    progress_set(learner_id=learner.pk, technology_slug="a", status="done")
    progress_set(learner_id=learner.pk, technology_slug="b", status="doing")
    note_set(learner_id=learner.pk, technology_slug="a", text="Mine.", expected_version=0)
    note_set(learner_id=learner.pk, technology_slug="c", text="Only a note.", expected_version=0)
    progress_set(learner_id=other.pk, technology_slug="a", status="skipped")
    note_set(learner_id=other.pk, technology_slug="b", text="Theirs.", expected_version=0)
    checkpoints_set(
        learner_id=learner.pk, technology_slug="d", checkpoints=["x", "y"], ticked=["y"]
    )
    checkpoints_set(learner_id=other.pk, technology_slug="a", checkpoints=["x"], ticked=["x"])
    with django_assert_num_queries(1):
        statuses, notes, ticks = learner_marks(learner.pk, notes=True)
    assert statuses == {"a": "done", "b": "doing"}
    assert notes == {"a": ("Mine.", 1), "c": ("Only a note.", 1)}
    assert ticks == {"d": frozenset({"y"})}
    with django_assert_num_queries(1):
        marks = learner_marks(learner.pk, notes=False)
    assert marks == ({"a": "done", "b": "doing"}, {}, {"d": frozenset({"y"})})
    assert learner_marks(learner_create().pk, notes=True) == ({}, {}, {})
