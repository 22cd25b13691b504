"""Sessions are Django's own database sessions: a saved session reads back, an expired,
unknown or malformed key reads as empty and gets a new key, and a corrupted row is logged as
Django logs it."""

from __future__ import annotations

import logging
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from paths.services import learner_create
from tests.factories import act_as, make_document, make_path

pytestmark = pytest.mark.django_db

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def test_sessions_are_djangos_database_sessions():
    """Django's store, with its expiry rule and its security logging: only the read of the
    row is compiled once (accounts/sessions.py), and each store reads what the other wrote."""
    assert issubclass(SessionStore, db.SessionStore)
    ours = SessionStore()
    ours["learner_id"] = "from ours"
    ours.create()
    djangos = db.SessionStore(ours.session_key)
    assert djangos["learner_id"] == "from ours"
    djangos["learner_id"] = "from Django's"
    djangos.save()
    assert SessionStore(ours.session_key)["learner_id"] == "from Django's"


def test_a_corrupted_session_reads_as_empty_and_is_logged(caplog):
    store = SessionStore()
    store["learner_id"] = "abc"
    store.create()
    store.save()
    Session.objects.filter(pk=store.session_key).update(session_data="tampered:data")
    with caplog.at_level(logging.WARNING, logger="django.security.SuspiciousSession"):
        again = SessionStore(store.session_key)
        assert again.get("learner_id") is None
    assert "Session data corrupted" in caplog.text


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
