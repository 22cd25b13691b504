"""The session store reads Django's session table with plain SQL: the same rows, the same
rules for expiry and unknown keys as Django's database store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from advisor.sessions import SessionStore
from paths.services import learner_create
from tests.factories import act_as, make_document, make_path

pytestmark = pytest.mark.django_db


def test_a_saved_session_reads_back():
    store = SessionStore()
    store["learner_id"] = "abc"
    store.create()
    store.save()
    again = SessionStore(store.session_key)
    assert again["learner_id"] == "abc"
    assert again.session_key == store.session_key


def test_an_expired_session_is_not_read_and_gets_a_new_key():
    store = SessionStore()
    store["learner_id"] = "abc"
    store.create()
    store.save()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    again = SessionStore(store.session_key)
    assert again.get("learner_id") is None
    assert again.session_key is None
    again["learner_id"] = "new"
    again.save()
    assert again.session_key != store.session_key


@pytest.mark.parametrize("key", ["nosuchsessionkey12345", "short", "' OR 1=1 --"])
def test_an_unknown_or_malformed_key_reads_as_empty(key):
    store = SessionStore(key)
    assert dict(store.items()) == {}
    assert store.session_key is None


def test_an_owner_whose_session_expired_reads_their_path_as_anyone_would(
    client, settings, load_document
):
    load_document(make_document())
    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner)
    assert "Rename" in client.get(path.get_absolute_url()).content.decode()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    page = client.get(path.get_absolute_url()).content.decode()
    assert "Rename" not in page
    assert 'name="status"' not in page
