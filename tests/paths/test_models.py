"""The saved path page's reads (paths/models.py): a path's header with its learner's marks
revision and the catalog version, and a learner's statuses and notes, each in one query."""

from __future__ import annotations

import pytest

from accounts.sessions import SessionStore
from catalog.versioning import current_version
from paths.models import CheckpointTick, LearningPath, Note, Progress, learner_marks
from paths.services import (
    NoteConflict,
    checkpoints_set,
    learner_adopt,
    learner_create,
    note_set,
    progress_set,
)
from tests.factories import make_document, make_path

pytestmark = pytest.mark.django_db


def test_a_header_names_the_owner_and_the_current_catalog(load_document, django_assert_num_queries):
    load_document(make_document())
    path = make_path()
    with django_assert_num_queries(1):
        header, also = LearningPath.objects.page_header(path.token)
    assert also is None
    assert header.id == path.pk and header.learner_id == path.learner_id
    assert header.owner_user_id is None and header.name == path.name
    assert header.catalog_version == path.catalog_version
    assert header.catalog_now == current_version()
    assert header.marks_revision == 0


def test_a_session_read_rides_along_in_the_headers_query(
    client, load_document, django_assert_num_queries
):
    load_document(make_document())
    path = make_path()
    session = client.session
    session["learner_id"] = str(path.learner_id)
    session.save()
    store = SessionStore(session.session_key)
    with django_assert_num_queries(1):
        header, data = LearningPath.objects.page_header(path.token, store.pending_read())
    assert header.id == path.pk
    store.use_data(data)
    with django_assert_num_queries(0):
        assert store["learner_id"] == str(path.learner_id)
    gone = SessionStore("x" * 32)  # no such session: the store starts an empty one
    _, data = LearningPath.objects.page_header(path.token, gone.pending_read())
    gone.use_data(data)
    with django_assert_num_queries(0):
        assert data is None and gone.get("learner_id") is None and gone.session_key is None


def test_an_unknown_token_has_no_header():
    assert LearningPath.objects.page_header("no-such-token") == (None, None)
    store = SessionStore("x" * 32)
    assert LearningPath.objects.page_header("no-such-token", store.pending_read()) == (None, None)


def test_every_change_to_a_learners_marks_moves_their_revision(load_document, django_user_model):
    """The path page's stored copy depends on the revision, not on the marks: a change the
    revision missed would leave the page stale."""
    load_document(make_document())
    path = make_path()
    learner_id = path.learner_id
    seen = [LearningPath.objects.page_header(path.token)[0].marks_revision]

    def moved() -> bool:
        now = LearningPath.objects.page_header(path.token)[0].marks_revision
        changed = now != seen[-1]
        seen.append(now)
        return changed

    progress_set(learner_id=learner_id, technology_slug="a", status="done")
    assert moved()
    note_set(learner_id=learner_id, technology_slug="a", text="A note.", expected_version=0)
    assert moved()
    note_set(learner_id=learner_id, technology_slug="a", text="", expected_version=1)
    assert moved()
    checkpoints_set(learner_id=learner_id, technology_slug="a", checkpoints=["x"], ticked=["x"])
    assert moved()
    checkpoints_set(learner_id=learner_id, technology_slug="a", checkpoints=["x"], ticked=[])
    assert moved()
    # Writes from anywhere else (the admin, a shell) count too.
    row = Progress.objects.get(learner_id=learner_id, technology_slug="a")
    row.status = "skipped"
    row.save()
    assert moved()
    row.delete()
    assert moved()
    Note.objects.create(learner_id=learner_id, technology_slug="b", text="From a shell.")
    assert moved()
    CheckpointTick.objects.create(learner_id=learner_id, technology_slug="b", checkpoint="y")
    assert moved()
    # A refused write changes nothing.
    with pytest.raises(NoteConflict):
        note_set(learner_id=learner_id, technology_slug="b", text="Stale.", expected_version=0)
    assert not moved()
    # A row the admin gives to another learner leaves this one: both revisions move.
    other = make_path(learner=learner_create())
    theirs = LearningPath.objects.page_header(other.token)[0].marks_revision
    note = Note.objects.get(learner_id=learner_id, technology_slug="b")
    note.learner_id = other.learner_id
    note.save()
    assert moved()
    assert LearningPath.objects.page_header(other.token)[0].marks_revision != theirs


def test_a_sign_up_that_merges_a_guests_marks_moves_the_accounts_revision(
    load_document, django_user_model
):
    load_document(make_document())
    user = django_user_model.objects.create_user("someone", password="a long passphrase 123")
    own = learner_adopt(session_learner_id=None, user=user).learner
    path = make_path(learner=own)
    before = LearningPath.objects.page_header(path.token)[0].marks_revision
    guest = learner_create()
    progress_set(learner_id=guest.pk, technology_slug="a", status="done")
    learner_adopt(session_learner_id=guest.pk, user=user)
    assert LearningPath.objects.page_header(path.token)[0].marks_revision != before


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
