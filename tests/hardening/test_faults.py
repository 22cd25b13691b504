"""The database going away: /readyz turns 503, pages answer a styled 503 (the API its JSON
error), nothing is half-written, and service resumes by itself when the database returns.

Two ways in: in-process, a query wrapper makes the database fail at a chosen statement (every
backend); and for real, on PostgreSQL, gunicorn (`bin/serve`, DEBUG off, persistent
connections) talks to the database through a TCP proxy that the test stops and starts.
See also test_readyz_and_pages_answer_503_when_the_database_is_unreachable in
tests/advisor/test_views.py (a closed port from the start).
"""

from __future__ import annotations

import contextlib
import json
import os
import time

import pytest
from django.db import OperationalError, connection
from django.test import Client

from paths import questionnaire
from paths.models import Learner, LearningPath, Note, Progress
from tests.factories import SMALL_ANSWERS
from tests.hardening.servers import Browser, database_proxy, serve, server_env
from tests.process import manage, throwaway_database_url

ANSWERED = SMALL_ANSWERS


@contextlib.contextmanager
def database_fails(when=lambda sql: True):
    """Every statement for which `when(sql)` holds raises OperationalError, as a database that
    went away does."""

    def wrapper(execute, sql, params, many, context):
        if when(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def writes(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))


def rows() -> tuple:
    return (
        sorted(Learner.objects.values_list("pk", flat=True)),
        sorted(LearningPath.objects.values_list("token", "name", "catalog_version")),
        sorted(Progress.objects.values_list("learner_id", "technology_slug", "status")),
        sorted(Note.objects.values_list("learner_id", "technology_slug", "text", "version")),
    )


def assert_styled_503(response) -> None:
    assert response.status_code == 503, response.status_code
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Temporarily unavailable" in html and "site.css" in html
    assert "Traceback" not in html and "OperationalError" not in html


# ------------------------------------------------------------------------------ in-process


PAGES = [
    "/",
    "/catalog/",
    "/catalog/alpha/",
    "/technologies/web/",
    "/search/?q=web",
    "/advisor/",
    "/paths/",
    "/paths/{token}/",
    "/paths/{token}.md",
    "/paths/{token}.ics",
    "/paths/{token}/notes/web/",
    "/accounts/login/",
    "/no-such-page/",  # the 404 page's layout needs the database too
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_a_styled_503_while_the_database_is_down(owner, url):
    client, path = owner
    with database_fails():
        response = client.get(url.format(token=path.token))
    assert_styled_503(response)


@pytest.mark.django_db
def test_the_api_answers_its_json_error_while_the_database_is_down(owner):
    client, _ = owner
    with database_fails():
        plan = client.post("/api/plan", {"answers": ANSWERED}, content_type="application/json")
        catalog = client.get("/api/catalog")
    for response in (plan, catalog):
        assert response.status_code == 503 and response["Retry-After"] == "30"
        assert response.json()["errors"]["__all__"][0].startswith("The service cannot reach")


@pytest.mark.django_db
def test_readyz_turns_503_and_healthz_stays_200(client):
    with database_fails():
        ready = client.get("/readyz")
        alive = client.get("/healthz")
    assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
    assert alive.status_code == 200
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/paths/{token}/progress/web/", {"status": "done"}),
        ("/paths/{token}/notes/web/", {"text": "A note.", "version": "0"}),
        ("/paths/{token}/rename/", {"name": "New name"}),
        ("/paths/{token}/delete/", {}),
    ],
)
def test_a_write_that_fails_writes_nothing_and_answers_503(owner, url, data):
    client, path = owner
    before = rows()
    with database_fails(writes):
        response = client.post(url.format(token=path.token), data)
    assert_styled_503(response)
    assert rows() == before


@pytest.mark.django_db
def test_a_failure_while_saving_the_session_is_a_503_too(small_catalog):
    """The questionnaire's answer is kept in the session, saved after the view returns."""
    client = Client(raise_request_exception=False)
    client.get("/advisor/")
    with database_fails(lambda sql: "django_session" in sql and writes(sql)):
        response = client.post("/advisor/", {"answer": ["site"]})
    assert_styled_503(response)


@pytest.mark.django_db
def test_show_my_path_failing_half_way_leaves_no_orphan_learner(small_catalog):
    client = Client(raise_request_exception=False)
    session = client.session
    session[questionnaire.STATE_KEY] = {"answers": ANSWERED, "known": None, "hours_per_week": 5}
    session.save()
    before = rows()
    with database_fails(lambda sql: 'INSERT INTO "paths_learningpath"' in sql):
        response = client.post("/advisor/hours/", {"hours_per_week": "5"})
    assert_styled_503(response)
    assert rows() == before


# ------------------------------------------------------------ for real: gunicorn + PostgreSQL

needs_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (CI runs the suite on both)",
)

SETUP = """
import json
from django.contrib.sessions.backends.db import SessionStore
from paths.services import learner_create, progress_set
from tests.factories import make_path
learner = learner_create()
path = make_path(learner=learner)
progress_set(learner_id=learner.pk, technology_slug=path.snapshot["steps"][0]["technology"],
             status="doing")
session = SessionStore()
session["learner_id"] = str(learner.pk)
session.create()
print(json.dumps({"token": path.token, "session": session.session_key,
                  "step": path.snapshot["steps"][0]["technology"], "learner": str(learner.pk)}))
"""

STATUS_SQL = "SELECT status FROM paths_progress WHERE learner_id = %s AND technology_slug = %s"


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


@needs_postgresql
def test_a_real_outage_gives_503s_writes_nothing_and_recovers(tmp_path):
    import psycopg

    database_url = throwaway_database_url(tmp_path, "faults")
    proxy, proxied = database_proxy(database_url)
    env = server_env(proxied, WEB_CONCURRENCY="2", DJANGO_CONN_MAX_AGE="60")
    proxy.start()
    try:
        with serve(env, tmp_path / "serve.log") as base:
            setup = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
            owner = Browser(base, cookies={"sessionid": setup["session"]})
            path_url = f"/paths/{setup['token']}/"
            progress_url = f"{path_url}progress/{setup['step']}/"

            def status_in_database() -> str:
                with psycopg.connect(database_url) as db:
                    row = db.execute(STATUS_SQL, [setup["learner"], setup["step"]]).fetchone()
                return row[0]

            # Up: every kind of request works, persistent connections are open in both workers.
            for _ in range(4):
                assert owner.send("GET", "/readyz").status == 200
                assert owner.send("GET", "/").status == 200
                assert owner.send("GET", path_url).status == 200
            assert owner.token, "no CSRF token on the path page"

            proxy.stop()  # the database goes away, mid-conversation for the open connections
            ready = owner.send("GET", "/readyz")
            assert ready.status == 503 and json.loads(ready.body)["status"] == "unavailable"
            for url in ("/", "/catalog/", path_url, "/advisor/", "/no-such-page/"):
                for _ in range(2):  # both workers, whose connections just broke
                    response = owner.send("GET", url)
                    assert response.status == 503, (url, response.status, response.text[:300])
                    assert "Temporarily unavailable" in response.text, url
                    assert response.headers["Retry-After"] == "30"
            refused = owner.send("POST", progress_url, form={"status": "skipped"})
            assert refused.status == 503
            api = owner.send("POST", "/api/plan", json={"answers": {}})
            assert api.status == 503 and "errors" in json.loads(api.body)
            assert owner.send("GET", "/healthz").status == 200  # alive, just not ready
            assert status_in_database() == "doing"  # the refused post wrote nothing

            proxy.start()  # the database is back: service resumes without a restart
            wait_for(lambda: owner.send("GET", "/readyz").status == 200)
            for _ in range(4):
                assert owner.send("GET", "/").status == 200
                assert owner.send("GET", path_url).status == 200
            saved = owner.send("POST", progress_url, form={"status": "done"})
            assert saved.status == 302, saved.text[:300]
            assert status_in_database() == "done"
    finally:
        proxy.stop()
