"""Writes of the paths app (paths/services.py), the request's learner and the catalog cache."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from catalog.models import CatalogVersion
from paths import catalog_cache
from paths.api_json import plan_to_api
from paths.learners import SESSION_KEY, is_owner, learner_for_request, learner_id_for_request
from paths.models import Learner, LearningPath, Note, Progress
from paths.planner import build_plan, catalog_from_document
from paths.services import learner_adopt, learner_create, note_set, path_create, progress_set
from tests.factories import make_document, make_path

# path_create ---------------------------------------------------------------------------------


def test_path_create_saves_the_plan_under_an_unguessable_token(small_catalog):
    learner = learner_create()
    answers = {"goal": ["site"], "size": ["large"]}
    path = path_create(learner=learner, answers=answers, known=["web"], hours_per_week=3)
    assert len(path.token) == 32  # 24 random bytes: 192 bits
    # Named after its one goal, the only technology the answers recommend.
    assert path.learner == learner and path.name == "Web Framework"
    expected = plan_to_api(build_plan(catalog_from_document(small_catalog), answers, ["web"], 3))
    assert [step["technology"] for step in path.snapshot["steps"]] == [
        step["technology"] for step in expected["steps"]
    ]
    assert path.snapshot["weeks"] == expected["weeks"]
    assert path.snapshot["known"] == [
        {"technology": "basics", "name": "Basics"},
        {"technology": "web", "name": "Web Protocol"},
    ]
    assert path.catalog_version == catalog_cache.get_catalog_bundle().version


def test_tokens_differ(small_catalog):
    tokens = {make_path().token for _ in range(20)}
    assert len(tokens) == 20


def test_path_create_keeps_only_visible_answers(small_catalog):
    path = make_path(answers={"goal": ["tools"], "size": ["small"]})
    assert path.answers == {"goal": ["tools"]}


def test_the_snapshot_carries_what_pages_need(small_catalog):
    path = make_path(answers={"goal": ["site"], "size": ["large"]})
    webfw = next(s for s in path.snapshot["steps"] if s["technology"] == "webfw")
    assert webfw["alternatives"] == [{"technology": "microfw", "name": "Micro Framework"}]
    assert webfw["resources"] == [
        {"title": "Official tutorial", "url": "https://example.org/t", "kind": "tutorial"}
    ]
    # One milestone, ending with its goal: web, then webfw (basics is known).
    assert webfw["stage"] == "Web Framework" and webfw["prerequisites"] == ["web"]
    assert (webfw["milestone"], webfw["goal"], webfw["asked"]) == ("webfw", True, False)
    assert path.snapshot["projects"][0]["uses"] == [
        {"technology": "webfw", "name": "Web Framework"}
    ]


@pytest.mark.parametrize(
    ("answers", "known", "hours", "fields"),
    [
        ({"goal": ["nope"]}, [], 5, {"answers"}),
        ({"goal": ["site"]}, [], 5, {"answers"}),  # size must be answered
        ({"goal": ["tools"]}, ["nope"], 5, {"known"}),
        ({"goal": ["tools"]}, [], 0, {"hours_per_week"}),
    ],
)
def test_path_create_refuses_invalid_input(small_catalog, answers, known, hours, fields):
    with pytest.raises(ValidationError) as error:
        path_create(learner=learner_create(), answers=answers, known=known, hours_per_week=hours)
    assert set(error.value.message_dict) == fields
    assert not LearningPath.objects.exists()


# progress_set --------------------------------------------------------------------------------


def test_progress_set_keeps_one_row_per_learner_and_technology(db):
    learner = learner_create()
    progress_set(learner_id=learner.pk, technology_slug="web", status="doing")
    progress_set(learner_id=learner.pk, technology_slug="web", status="done")
    progress_set(learner_id=learner_create().pk, technology_slug="web", status="skipped")
    assert Progress.objects.filter(learner=learner).get().status == "done"
    assert Progress.objects.statuses(learner.pk) == {"web": "done"}
    assert Progress.objects.done_slugs(learner.pk) == {"web"}
    assert Progress.objects.statuses(None) == {}


def test_progress_set_refuses_an_unknown_status(db):
    with pytest.raises(ValidationError):
        progress_set(learner_id=learner_create().pk, technology_slug="web", status="finished")
    assert not Progress.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_tabs_updating_at_once_lose_nothing():
    if connection.vendor == "sqlite":
        # The in-memory test database's shared cache fails at once on a lock instead of
        # waiting; production SQLite is a WAL file with a busy timeout.
        pytest.skip("concurrent writers need PostgreSQL (or a file database)")
    learner = learner_create()
    slugs = [f"topic-{n}" for n in range(8)]
    barrier = threading.Barrier(len(slugs) * 2)
    errors: list[BaseException] = []

    def mark(slug: str, status: str) -> None:
        try:
            barrier.wait()
            progress_set(learner_id=learner.pk, technology_slug=slug, status=status)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    # Two "tabs" per technology, all at once: different steps and the same step.
    threads = [
        threading.Thread(target=mark, args=(slug, status))
        for slug in slugs
        for status in ("doing", "done")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = dict(Progress.objects.filter(learner=learner).values_list("technology_slug", "status"))
    assert sorted(rows) == slugs
    assert set(rows.values()) <= {"doing", "done"}


@pytest.fixture
def held_after_the_write():
    """Holds a transaction that saves a Progress row right after the row is written, before any
    other receiver of the save runs, until released: the widest window for another writer of
    the same learner to come in between."""
    from django.db.models.signals import post_save

    written, release = threading.Event(), threading.Event()

    def hold(sender, instance, **kwargs):
        if threading.current_thread().name == "admin":
            written.set()
            assert release.wait(timeout=30)

    post_save.connect(hold, sender=Progress, weak=False, dispatch_uid="test-hold")
    post_save.receivers.insert(0, post_save.receivers.pop())  # first, as the write returns
    post_save.sender_receivers_cache.clear()
    try:
        yield written, release
    finally:
        release.set()
        post_save.disconnect(sender=Progress, dispatch_uid="test-hold")


def waiting_on_a_lock(seconds: float = 30) -> bool:
    """Whether another connection of the suite waits on a row lock (polled until `seconds`)."""
    import time

    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_and_the_learner_marking_the_same_step_both_land(held_after_the_write):
    """The admin's change view saves a learner's Progress row in a transaction while the learner
    marks the same step from their path page. Each takes the learner's row (the marks
    revision) and the Progress row; taken in opposite orders, PostgreSQL ends one of them with
    a deadlock error. Both must land, one after the other."""
    if connection.vendor == "sqlite":
        pytest.skip("row locks need PostgreSQL")
    from django.db import transaction

    written, release = held_after_the_write
    learner = learner_create()
    progress_set(learner_id=learner.pk, technology_slug="topic", status="doing")
    revision = Learner.objects.get(pk=learner.pk).marks_revision
    errors: list[BaseException] = []

    def run(work) -> None:
        try:
            work()
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    def admin_edit() -> None:
        with transaction.atomic():  # as ModelAdmin.changeform_view is
            row = Progress.objects.get(learner=learner, technology_slug="topic")
            row.status = "done"
            row.save()

    def learner_marks() -> None:
        progress_set(learner_id=learner.pk, technology_slug="topic", status="todo")

    admin = threading.Thread(target=run, args=(admin_edit,), name="admin")
    admin.start()
    assert written.wait(timeout=30)
    learner_tab = threading.Thread(target=run, args=(learner_marks,), name="learner")
    learner_tab.start()
    assert waiting_on_a_lock()  # the learner's write waits for the admin's transaction
    release.set()
    admin.join(timeout=30)
    learner_tab.join(timeout=30)
    assert errors == []
    assert Progress.objects.get(learner=learner, technology_slug="topic").status == "todo"
    assert Learner.objects.get(pk=learner.pk).marks_revision >= revision + 2


# The request's learner ------------------------------------------------------------------------


def _request(session: dict | None = None):
    request = RequestFactory().get("/")
    request.session = session if session is not None else {}
    return request


def test_learner_for_request_creates_only_when_asked(db):
    request = _request()
    assert learner_for_request(request, create=False) is None
    assert not Learner.objects.exists()
    learner = learner_for_request(request, create=True)
    assert request.session[SESSION_KEY] == str(learner.pk)
    assert learner_for_request(request, create=False) == learner
    assert learner_for_request(request, create=True) == learner
    assert Learner.objects.count() == 1


@pytest.mark.parametrize("value", ["not-a-uuid", 42, None, "0" * 32])
def test_a_garbled_or_stale_session_id_is_no_learner(db, value):
    request = _request({SESSION_KEY: value})
    assert learner_for_request(request, create=False) is None
    assert learner_for_request(request, create=True) is not None


def test_is_owner_compares_the_session_with_the_path(small_catalog):
    path = make_path()
    assert is_owner(_request({SESSION_KEY: str(path.learner_id)}), path)
    assert not is_owner(_request({SESSION_KEY: str(learner_create().pk)}), path)
    assert not is_owner(_request(), path)
    assert learner_id_for_request(_request({SESSION_KEY: str(path.learner_id)})) == path.learner_id


# The planner catalog per version --------------------------------------------------------------


def test_the_planner_catalog_is_built_once_per_version(small_catalog, load_document):
    first = catalog_cache.get_catalog_bundle()
    assert catalog_cache.get_catalog_bundle() is first
    assert catalog_cache.get_planner_catalog() == (first.version, first.planner)
    document = make_document()
    document["technologies"][0]["name"] = "Renamed"
    load_document(document)
    second = catalog_cache.get_catalog_bundle()
    assert second is not first and second.version == first.version + 1
    assert second.planner.technology_by_slug["basics"].name == "Renamed"


def test_a_restarted_database_is_not_served_a_stale_catalog(small_catalog):
    """Version numbers start again with a fresh database (a restore, a test); the time of the
    change tells the two apart."""
    first = catalog_cache.get_catalog_bundle()
    CatalogVersion.objects.update(changed_at=timezone.now() + timedelta(seconds=1))
    assert catalog_cache.get_catalog_bundle() is not first


# learner_adopt --------------------------------------------------------------------------------


def _set_updated(model, learner, slug, when):
    model.objects.filter(learner=learner, technology_slug=slug).update(updated=when)


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("ada", password="a-long-password-42")


def test_a_new_account_takes_the_guest_learner_as_it_is(small_catalog, user):
    guest = learner_create()
    path = make_path(learner=guest)
    progress_set(learner_id=guest.pk, technology_slug="web", status="done")
    note_set(learner_id=guest.pk, technology_slug="web", text="n", expected_version=0)
    adoption = learner_adopt(session_learner_id=guest.pk, user=user)
    assert adoption.learner.pk == guest.pk and adoption.learner.user == user
    assert (adoption.paths, adoption.progress, adoption.notes) == (1, 1, 1)
    assert LearningPath.objects.get().token == path.token
    assert Learner.objects.count() == 1


def test_an_account_without_a_guest_gets_a_learner_once(db, user):
    first = learner_adopt(session_learner_id=None, user=user)
    assert not first.adopted_anything and first.learner.user == user
    assert learner_adopt(session_learner_id=uuid.uuid4(), user=user).learner == first.learner
    assert learner_adopt(session_learner_id=first.learner.pk, user=user).learner == first.learner
    assert Learner.objects.count() == 1


def test_an_existing_account_merges_the_guest_without_losing_anything(small_catalog, user):
    own = learner_adopt(session_learner_id=None, user=user).learner
    own_path = make_path(learner=own)
    guest = learner_create()
    guest_path = make_path(learner=guest)
    earlier, later = timezone.now() - timedelta(days=2), timezone.now() - timedelta(days=1)
    # Progress: one each alone, and two in both (the one set later wins either way).
    progress_set(learner_id=own.pk, technology_slug="basics", status="done")
    progress_set(learner_id=guest.pk, technology_slug="web", status="doing")
    progress_set(learner_id=own.pk, technology_slug="webfw", status="done")
    progress_set(learner_id=guest.pk, technology_slug="webfw", status="doing")
    _set_updated(Progress, own, "webfw", earlier)
    _set_updated(Progress, guest, "webfw", later)
    progress_set(learner_id=own.pk, technology_slug="scripting", status="skipped")
    progress_set(learner_id=guest.pk, technology_slug="scripting", status="todo")
    _set_updated(Progress, own, "scripting", later)
    _set_updated(Progress, guest, "scripting", earlier)
    # Notes: one alone, two different (both kept, older first), two alike (one kept).
    note_set(learner_id=guest.pk, technology_slug="web", text="guest web", expected_version=0)
    note_set(learner_id=own.pk, technology_slug="webfw", text="own", expected_version=0)
    note_set(learner_id=guest.pk, technology_slug="webfw", text="guest", expected_version=0)
    _set_updated(Note, guest, "webfw", earlier)
    note_set(learner_id=own.pk, technology_slug="basics", text="same", expected_version=0)
    note_set(learner_id=guest.pk, technology_slug="basics", text="same", expected_version=0)

    adoption = learner_adopt(session_learner_id=guest.pk, user=user)
    assert adoption.learner == own
    assert (adoption.paths, adoption.progress, adoption.notes) == (1, 2, 2)
    assert not Learner.objects.filter(pk=guest.pk).exists()
    assert set(LearningPath.objects.values_list("token", "learner")) == {
        (own_path.token, own.pk),
        (guest_path.token, own.pk),
    }
    assert Progress.objects.statuses(own.pk) == {
        "basics": "done",
        "web": "doing",
        "webfw": "doing",
        "scripting": "skipped",
    }
    assert Progress.objects.get(learner=own, technology_slug="webfw").updated == later
    assert {slug: text for slug, (text, _) in Note.objects.texts(own.pk).items()} == {
        "web": "guest web",
        "webfw": "guest\n\nown",
        "basics": "same",
    }
    assert Note.objects.get(learner=own, technology_slug="webfw").version == 2


def test_another_accounts_learner_is_never_adopted(small_catalog, user, django_user_model):
    other = django_user_model.objects.create_user("bob", password="a-long-password-42")
    theirs = learner_adopt(session_learner_id=None, user=other).learner
    make_path(learner=theirs)
    adoption = learner_adopt(session_learner_id=theirs.pk, user=user)
    assert adoption.learner != theirs and not adoption.adopted_anything
    assert LearningPath.objects.get().learner == theirs


def test_a_logged_in_request_always_gets_the_accounts_learner(small_catalog, user):
    """A login that bypassed our views (the admin's) is caught up with on the next request."""
    guest = learner_create()
    path = make_path(learner=guest)
    request = _request({SESSION_KEY: str(guest.pk)})
    request.user = user
    learner = learner_for_request(request, create=False)
    assert learner.user == user and request.session[SESSION_KEY] == str(learner.pk)
    assert LearningPath.objects.get().learner == learner
    path.refresh_from_db()
    other = _request()
    other.user = user
    assert is_owner(other, LearningPath.objects.select_related("learner").get(pk=path.pk))
