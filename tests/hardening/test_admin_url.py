"""The admin: staff only, throttled like the site's log-in, and at the address DJANGO_ADMIN_URL
names (checked in a separate process, since the URLconf is built once from the settings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from tests.process import process_env

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-42"

PROBE = """
import json, os
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "advisor.settings"
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import reverse
client = Client()
result = {"admin_url": settings.ADMIN_URL, "index": reverse("admin:index")}
for url in ["/admin/", "/admin/login/", "/staff-7f3a/", "/staff-7f3a/login/",
            "/staff-7f3a/catalog/export.yaml", "/nested/staff/", "/nested/staff/login/"]:
    response = client.get(url)
    result[url] = [response.status_code, response.get("Location", "")]
print(json.dumps(result))
"""


def probe(admin_url: str | None) -> subprocess.CompletedProcess:
    env = process_env(DATABASE_URL="sqlite:///:memory:")
    env.pop("DJANGO_ADMIN_URL", None)
    if admin_url is not None:
        env["DJANGO_ADMIN_URL"] = admin_url
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def outcome(admin_url: str | None) -> dict:
    result = probe(admin_url)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_admin_moves_to_the_address_the_environment_names():
    result = outcome("staff-7f3a")
    assert result["admin_url"] == "staff-7f3a/" and result["index"] == "/staff-7f3a/"
    assert result["/admin/"][0] == 404 and result["/admin/login/"][0] == 404
    assert result["/staff-7f3a/"] == [302, "/staff-7f3a/login/?next=/staff-7f3a/"]
    assert result["/staff-7f3a/login/"][0] == 200
    # The catalog download moves with it and stays behind the admin's log-in.
    status, location = result["/staff-7f3a/catalog/export.yaml"]
    assert status == 302 and location.startswith("/staff-7f3a/login/")


@pytest.mark.parametrize("value", ["/nested/staff/", "nested/staff", " /nested/staff// "])
def test_slashes_around_the_address_do_not_matter(value):
    result = outcome(value)
    assert result["index"] == "/nested/staff/"
    assert result["/nested/staff/login/"][0] == 200 and result["/admin/"][0] == 404


@pytest.mark.parametrize("value", [None, "", "   ", "/"])
def test_unset_or_blank_keeps_the_default(value):
    result = outcome(value)
    assert result["index"] == "/admin/"
    assert result["/admin/login/"][0] == 200


@pytest.mark.parametrize("value", ["../etc", "a b", "staff/../x", "<script>", "adm?in", "./"])
def test_an_unsafe_address_is_refused_in_one_line(value):
    env = process_env(DJANGO_ADMIN_URL=value, DATABASE_URL="sqlite:///:memory:")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "DJANGO_ADMIN_URL must be a path" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_stays_clean_with_a_moved_admin():
    from tests.advisor.test_production import PRODUCTION_ENV

    env = process_env(**PRODUCTION_ENV, DJANGO_ADMIN_URL="staff-7f3a/")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- staff only

ADMIN = "/" + settings.ADMIN_URL


@pytest.fixture
def people(db, django_user_model):
    learner = django_user_model.objects.create_user("learner", "l@example.org", PASSWORD)
    staff = django_user_model.objects.create_user(
        "helper", "h@example.org", PASSWORD, is_staff=True
    )
    curator = django_user_model.objects.create_user(
        "curator", "c@example.org", PASSWORD, is_staff=True
    )
    curator.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    boss = django_user_model.objects.create_superuser("boss", "b@example.org", PASSWORD)
    return {"learner": learner, "staff": staff, "curator": curator, "boss": boss}


PAGES = [
    "",
    "catalog/technology/",
    "catalog/technology/add/",
    "paths/learningpath/",
    "auth/user/",
    "catalog/export.yaml",
]


def status_of(user, page: str) -> int:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(ADMIN + page).status_code


def test_anonymous_visitors_and_learners_are_sent_to_the_admin_log_in(people):
    for user in (None, people["learner"]):
        for page in PAGES:
            client = Client()
            if user is not None:
                client.force_login(user)
            response = client.get(ADMIN + page)
            assert response.status_code == 302, page
            assert response["Location"].startswith(f"{ADMIN}login/"), page


def test_staff_see_only_what_their_permissions_allow(people):
    assert status_of(people["staff"], "") == 200
    assert status_of(people["staff"], "catalog/technology/") == 403
    assert status_of(people["staff"], "auth/user/") == 403
    assert status_of(people["curator"], "catalog/technology/") == 200
    assert status_of(people["curator"], "auth/user/") == 403
    assert status_of(people["curator"], "paths/learningpath/") == 403
    for page in PAGES:
        assert status_of(people["boss"], page) == 200, page


def test_a_learner_cannot_log_in_to_the_admin(people):
    client = Client()
    response = client.post(f"{ADMIN}login/", {"username": "learner", "password": PASSWORD})
    assert response.status_code == 200
    assert "staff account" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_repeated_failed_admin_logins_are_throttled_too(people):
    client = Client()
    for _ in range(5):
        client.post(f"{ADMIN}login/", {"username": "boss", "password": "wrong"})
    response = client.post(f"{ADMIN}login/", {"username": "boss", "password": PASSWORD})
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
