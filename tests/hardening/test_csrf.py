"""CSRF: every state-changing request needs the token, HTMX ones included; a 403 changes nothing.

Each case sets up a visitor who is allowed to make the request, then sends it without a token,
with a wrong one, with another visitor's, from a foreign origin and as HTMX without a token:
all 403 and the state is as it was. The same request with the page's token (the way htmx
sends it, from `hx-headers` on <body>) goes through, so the 403s are about the token alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from catalog.models import Category, Technology
from paths import questionnaire
from paths.models import LearningPath, Note, Progress
from paths.services import learner_create
from tests.factories import act_as, make_path

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-42"
ANSWERED = {"goal": ["site"], "size": ["large"]}
TOKEN_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')


@dataclass
class World:
    path: LearningPath
    member: object
    staff: object


@pytest.fixture
def world(small_catalog, django_user_model) -> World:
    path = make_path(learner=learner_create(), answers=ANSWERED)
    member = django_user_model.objects.create_user("ada", "ada@example.org", PASSWORD)
    staff = django_user_model.objects.create_superuser("curator", "c@example.org", PASSWORD)
    return World(path=path, member=member, staff=staff)


def answered(client: Client, world: World) -> None:
    session = client.session
    session[questionnaire.STATE_KEY] = {"answers": ANSWERED, "known": None, "hours_per_week": None}
    session.save()


def advisor_state(client: Client, world: World) -> object:
    return client.session.get(questionnaire.STATE_KEY)


def logged_in(client: Client, world: World) -> object:
    return client.session.get("_auth_user_id")


def reset_link(client: Client, world: World) -> str:
    """The set-password URL of a real reset e-mail, opened once (Django keeps the token in the
    session and redirects to .../set-password/)."""
    Client().post("/accounts/password_reset/", {"email": world.member.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    return client.get(link)["Location"]


@dataclass
class Case:
    name: str
    prepare: Callable[[Client, World], tuple[str, dict]]  # sets the visitor up; url and data
    state: Callable[[Client, World], object]  # what a refused request must leave unchanged


def _first_screen(client, world):
    return "/advisor/", {"answer": ["site"]}


def _single_screen(client, world):
    answered(client, world)
    return "/advisor/q/size/", {"answer": "small"}


def _known_screen(client, world):
    answered(client, world)
    return "/advisor/known/", {"known": []}


def _show_my_path(client, world):
    answered(client, world)
    return "/advisor/hours/", {"hours_per_week": "6"}


def _start_over(client, world):
    answered(client, world)
    return "/advisor/restart/", {}


def _progress(client, world):
    act_as(client, world.path.learner)
    return f"/paths/{world.path.token}/progress/web/", {"status": "done"}


def _replan(client, world):
    act_as(client, world.path.learner)
    return f"/paths/{world.path.token}/replan/", {"catalog_version": "1"}


def _note(client, world):
    act_as(client, world.path.learner)
    return f"/paths/{world.path.token}/notes/web/", {"text": "A note.", "version": "0"}


def _rename(client, world):
    act_as(client, world.path.learner)
    return f"/paths/{world.path.token}/rename/", {"name": "Renamed"}


def _delete(client, world):
    act_as(client, world.path.learner)
    return f"/paths/{world.path.token}/delete/", {}


def _start_from(client, world):
    act_as(client, learner_create())
    return f"/paths/{world.path.token}/start-from/", {}


def path_row(client, world):
    row = LearningPath.objects.filter(pk=world.path.pk).values().first()
    return row, LearningPath.objects.count()


def _signup(client, world):
    data = {"username": "grace", "email": "", "password1": PASSWORD, "password2": PASSWORD}
    return "/accounts/signup/", data


def _login(client, world):
    return "/accounts/login/", {"username": "ada", "password": PASSWORD}


def _logout(client, world):
    client.force_login(world.member)
    return "/accounts/logout/", {}


NEW_PASSWORD = {"new_password1": "another-long-pass-77", "new_password2": "another-long-pass-77"}


def _password_change(client, world):
    client.force_login(world.member)
    return "/accounts/password_change/", {"old_password": PASSWORD, **NEW_PASSWORD}


def _password_reset(client, world):
    return "/accounts/password_reset/", {"email": "ada@example.org"}


def _set_password(client, world):
    return reset_link(client, world), NEW_PASSWORD


def _admin_login(client, world):
    return f"/{settings.ADMIN_URL}login/", {"username": "curator", "password": PASSWORD}


def _admin_add(client, world):
    client.force_login(world.staff)
    data = {"slug": "gamma", "name": "Gamma", "summary": "Third.", "position": "2"}
    return f"/{settings.ADMIN_URL}catalog/category/add/", data


def _admin_delete(client, world):
    client.force_login(world.staff)
    technology = Technology.objects.get(slug="scripting")
    return f"/{settings.ADMIN_URL}catalog/technology/{technology.pk}/delete/", {"post": "yes"}


def _admin_logout(client, world):
    client.force_login(world.staff)
    return f"/{settings.ADMIN_URL}logout/", {}


def _member_password(client, world):
    return get_user_model().objects.get(pk=world.member.pk).password


CASES = [
    Case("questionnaire, first screen", _first_screen, advisor_state),
    Case("questionnaire, single-choice screen", _single_screen, advisor_state),
    Case("questionnaire, known screen", _known_screen, advisor_state),
    Case("questionnaire, Show my path", _show_my_path, lambda c, w: LearningPath.objects.count()),
    Case("questionnaire, start over", _start_over, advisor_state),
    Case("progress", _progress, lambda c, w: list(Progress.objects.values_list())),
    Case("re-plan", _replan, path_row),
    Case("note", _note, lambda c, w: list(Note.objects.values_list())),
    Case("rename", _rename, path_row),
    Case("delete", _delete, path_row),
    Case("start from this path", _start_from, advisor_state),
    Case("sign up", _signup, lambda c, w: get_user_model().objects.count()),
    Case("log in", _login, logged_in),
    Case("log out", _logout, logged_in),
    Case("password change", _password_change, _member_password),
    Case("password reset request", _password_reset, lambda c, w: len(mail.outbox)),
    Case("password reset, set the new password", _set_password, _member_password),
    Case("admin log in", _admin_login, logged_in),
    Case("admin add", _admin_add, lambda c, w: Category.objects.count()),
    Case("admin delete", _admin_delete, lambda c, w: Technology.objects.count()),
    Case("admin log out", _admin_logout, logged_in),
]


def page_token(client: Client) -> str:
    """The token a page that posts gives htmx (hx-headers on <body>); getting it sets the CSRF
    cookie. Pages stored for everyone (home, catalog) carry none."""
    return TOKEN_IN_PAGE.search(client.get("/advisor/").content.decode()).group(1)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_state_changing_requests_need_the_csrf_token(world, case):
    client = Client(enforce_csrf_checks=True)
    url, data = case.prepare(client, world)
    before = case.state(client, world)
    someone_elses = page_token(Client())

    refusals = {
        "no CSRF cookie and no token": {},
        "HTMX without a token": {"HTTP_HX_REQUEST": "true"},
        "a made-up token": {"HTTP_X_CSRFTOKEN": "x" * 64},
        "another visitor's token": {"HTTP_X_CSRFTOKEN": someone_elses},
        "a foreign Origin": {"HTTP_ORIGIN": "https://evil.example"},
    }
    for attempt, headers in refusals.items():
        if attempt == "no CSRF cookie and no token":
            client.cookies.pop(settings.CSRF_COOKIE_NAME, None)
        else:
            headers.setdefault("HTTP_X_CSRFTOKEN", page_token(client))
            if attempt == "HTMX without a token":
                del headers["HTTP_X_CSRFTOKEN"]
        response = client.post(url, data, **headers)
        assert response.status_code == 403, f"{case.name}: {attempt} gave {response.status_code}"
        assert case.state(client, world) == before, f"{case.name}: {attempt} changed the state"

    # The same request as htmx sends it, with the page's token, is accepted.
    token = page_token(client)
    response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code != 403, case.name
    assert response.status_code < 500


def test_a_form_field_token_works_without_javascript(world):
    client = Client(enforce_csrf_checks=True)
    token = page_token(client)
    response = client.post("/advisor/", {"answer": ["site"], "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.session[questionnaire.STATE_KEY]["answers"] == {"goal": ["site"]}


def _views(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from _views(pattern.url_patterns, prefix + namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}", pattern.callback


def test_only_the_stateless_api_is_csrf_exempt():
    exempt = {
        name
        for name, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", 0)
    }
    assert exempt == {"paths:api-plan", "paths:api-catalog"}


def test_the_exempt_api_never_touches_the_session_or_the_database(world):
    """CSRF-exempt is safe only because POST /api/plan changes nothing for anyone."""
    client = Client(enforce_csrf_checks=True)
    act_as(client, world.path.learner)
    before = (
        LearningPath.objects.count(),
        Progress.objects.count(),
        dict(client.session),
    )
    response = client.post(
        "/api/plan",
        {"answers": ANSWERED, "known": [], "hours_per_week": 5},
        content_type="application/json",
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert (LearningPath.objects.count(), Progress.objects.count(), dict(client.session)) == before


@pytest.mark.parametrize(
    "url",
    [
        "/advisor/restart/",
        "/paths/{token}/replan/",
        "/paths/{token}/progress/web/",
    ],
)
def test_state_changing_urls_refuse_get(world, url):
    """(Starting from a path's answers asks first on GET: test_start_from_asks_first_on_get.)"""
    client = Client()
    act_as(client, world.path.learner)
    response = client.get(url.format(token=world.path.token) + "?status=done")
    assert response.status_code == 405
    assert not Progress.objects.exists()
    assert LearningPath.objects.count() == 1


def test_log_out_asks_first_on_get(world):
    client = Client()
    client.force_login(world.member)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert "_auth_user_id" in client.session  # still logged in


def test_start_from_asks_first_on_get(world):
    client = Client()
    act_as(client, world.path.learner)
    before = dict(client.session)
    response = client.get(f"/paths/{world.path.token}/start-from/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert dict(client.session) == before  # asking changed nothing
