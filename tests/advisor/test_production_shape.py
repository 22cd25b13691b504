"""The production shape, for real: `bin/serve`'s gunicorn (two workers, DEBUG off) on the suite's
database (a throwaway PostgreSQL database in the PostgreSQL run, a SQLite file otherwise) with
the real Redis, under a key prefix of the test's own.

- Redis down from the start, behind a TCP proxy the test cuts and restores: the server starts,
  every kind of page answers 200, log-in works, a killed worker is replaced, the log says what
  is wrong once per worker, and pages are cached in Redis again once it returns; cut again
  while running, a killed worker is replaced again.
- Two app servers on one database and one Redis agree at once: a catalog edit through either
  (the admin, or `load_catalog`) shows on both at the next request, and a learner's path and
  progress made on one show on the other.

Nothing here depends on the default catalog's content: slugs and answers are read from the
server's own `/api/catalog` and questionnaire.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from tests.hardening.servers import Browser, TcpProxy, serve, serve_process, server_env
from tests.process import manage, throwaway_database_url
from tests.services import redis_space

PASSWORD = "correct-horse-battery-42"
FORM = re.compile(r'<form class="question-card" method="post" action="([^"]+)"')
CHOICE = re.compile(r'<input type="(?:radio|checkbox)" name="answer" value="([^"]+)"')
PATH_URL = re.compile(r"^/paths/([A-Za-z0-9_-]{16,64})/$")


@pytest.fixture
def space():
    with redis_space() as space:
        yield space


def wait_for(condition, seconds: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def location(response) -> str:
    return response.headers.get("Location", "")


def catalog_of(browser: Browser) -> dict:
    response = browser.send("GET", "/api/catalog")
    assert response.status == 200, response.text[:300]
    return json.loads(response.body)


def first_answers(catalog: dict) -> dict[str, list[str]]:
    """The first choice of every question that is visible under those answers (rule 1)."""
    answers: dict[str, list[str]] = {}
    for question in catalog["questions"]:
        show_if = question.get("show_if")
        if show_if and not set(answers.get(show_if["question"], ())) & set(show_if["any_of"]):
            continue
        answers[question["slug"]] = [question["choices"][0]["slug"]]
    return answers


def make_path_through_questionnaire(browser: Browser) -> str:
    """Answer every screen with its first choice, as a learner without JavaScript would; the
    saved path's token."""
    response = browser.send("GET", "/advisor/")
    for _ in range(50):
        assert response.status == 200, response.text[:500]
        action = html.unescape(FORM.search(response.text).group(1))
        form: dict[str, str] = {}
        if 'name="hours_per_week"' in response.text:
            form["hours_per_week"] = "5"
        elif choice := CHOICE.search(response.text):
            form["answer"] = choice.group(1)
        posted = browser.send("POST", action, form=form)
        assert posted.status == 302, (action, posted.status, posted.text[:500])
        if match := PATH_URL.match(location(posted)):
            return match.group(1)
        response = browser.send("GET", location(posted))
    raise AssertionError("the questionnaire never ended")


def create_curator(env: dict[str, str]) -> None:
    """A superuser `ada` (password PASSWORD, from the environment)."""
    manage(env, "createsuperuser", "--noinput", "--username", "ada", "--email", "ada@example.org")


def login(browser: Browser, path: str = "/accounts/login/") -> None:
    page = browser.send("GET", path).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": "ada", "password": PASSWORD, "csrfmiddlewaretoken": token}
    response = browser.send("POST", path, form=form)
    assert response.status == 302, (response.status, response.text[:500])


def worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def pages(browser: Browser, catalog: dict, token: str) -> list[str]:
    category = catalog["categories"][0]["slug"]
    technology = catalog["technologies"][0]
    word = quote(technology["name"].split()[0])
    return [
        "/",
        "/catalog/",
        f"/catalog/{category}/",
        f"/technologies/{technology['slug']}/",
        f"/search/?q={word}",
        f"/catalog/?q={word}",
        "/advisor/",
        "/paths/",
        f"/paths/{token}/",
        f"/paths/{token}.md",
        f"/paths/{token}.ics",
        "/api/catalog",
        "/accounts/login/",
        "/readyz",
    ]


def test_with_redis_down_the_server_starts_serves_every_page_and_recovers(tmp_path, space):
    database_url = throwaway_database_url(tmp_path, "shape_outage")
    proxy = TcpProxy(space.address)  # not started: Redis is unreachable from the first moment
    env = server_env(
        database_url,
        WEB_CONCURRENCY="2",
        REDIS_URL=space.via(proxy.port),
        REDIS_KEY_PREFIX=space.prefix,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    log = tmp_path / "serve.log"
    try:
        with serve_process(env, log) as (base, master):
            create_curator(env)
            owner, reader = Browser(base), Browser(base)
            catalog = catalog_of(reader)
            token = make_path_through_questionnaire(owner)
            urls = pages(owner, catalog, token)

            def every_page_answers() -> None:
                for url in urls:
                    for browser in (owner, reader):
                        response = browser.send("GET", url)
                        assert response.status == 200, (url, response.status, response.text[:300])
                plan = reader.send("POST", "/api/plan", json={"answers": first_answers(catalog)})
                assert plan.status == 200, plan.text[:300]
                assert json.loads(plan.body)["steps"]

            for _ in range(2):  # both workers
                every_page_answers()
            ready = json.loads(reader.send("GET", "/readyz").body)
            assert ready == {"status": "ok", "database": "ok", "cache": "unavailable"}
            login(Browser(base))
            assert space.stored() == []

            # A worker killed while Redis is down is replaced, and the master stays up.
            before = worker_pids(master.pid)
            assert len(before) == 2, before
            os.kill(min(before), signal.SIGKILL)
            wait_for(
                lambda: (
                    len(worker_pids(master.pid) - before) == 1 and len(worker_pids(master.pid)) == 2
                ),
                what="a new worker",
            )
            assert master.poll() is None
            for _ in range(2):
                every_page_answers()

            # Redis returns: pages are stored in it again, with no restart.
            proxy.start()
            wait_for(
                lambda: (
                    reader.send("GET", "/catalog/").status == 200
                    and any(":page:" in key for key in space.stored())
                ),
                what="pages cached in Redis",
            )
            wait_for(
                lambda: json.loads(reader.send("GET", "/readyz").body)["cache"] == "ok",
                what="/readyz to see the cache",
            )
            every_page_answers()

            # Redis lost while running: a recycled or killed worker still comes back.
            proxy.stop()
            every_page_answers()
            running = worker_pids(master.pid)
            os.kill(max(running), signal.SIGKILL)
            wait_for(
                lambda: (
                    len(worker_pids(master.pid) - running) == 1
                    and len(worker_pids(master.pid)) == 2
                ),
                what="another new worker",
            )
            every_page_answers()
            assert master.poll() is None
    finally:
        proxy.stop()
    text = log.read_text()
    assert "Traceback" not in text and "Worker failed to boot" not in text, text[-3000:]
    said = text.count("is unreachable")
    # Once per worker process and outage: two workers and a replacement, then two again and
    # a replacement.
    assert 2 <= said <= 6, text[-3000:]
    assert "reachable again" in text


def admin_edit_category(browser: Browser, new_name: str) -> None:
    """Rename the first category through the admin's change form, as a curator would."""
    listing = browser.send("GET", "/admin/catalog/category/")
    assert listing.status == 200, listing.text[:300]
    change = re.search(r'href="(/admin/catalog/category/\d+/change/)', listing.text).group(1)
    page = browser.send("GET", change).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    fields = {
        name: html.unescape(value)
        for name, value in re.findall(
            r'<input type="(?:text|number)" name="(\w+)" value="([^"]*)"', page
        )
    }
    fields["summary"] = html.unescape(
        re.search(r'<textarea name="summary"[^>]*>\n?(.*?)</textarea>', page, re.S).group(1)
    )
    fields["name"] = new_name
    fields["csrfmiddlewaretoken"] = token
    # Browser.send joins the form as it is: each value is encoded here.
    saved = browser.send("POST", change, form={key: quote(value) for key, value in fields.items()})
    assert saved.status == 302, saved.text[:1000]


def test_two_app_servers_on_one_database_and_redis_agree_at_once(tmp_path, space):
    database_url = throwaway_database_url(tmp_path, "shape_two")
    env = server_env(
        database_url,
        WEB_CONCURRENCY="2",
        REDIS_URL=space.url,
        REDIS_KEY_PREFIX=space.prefix,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    with (
        serve(env, tmp_path / "a.log") as base_a,
        serve(env, tmp_path / "b.log") as base_b,
    ):
        a, b = Browser(base_a), Browser(base_b)
        catalog = catalog_of(a)
        technology = catalog["technologies"][0]
        url = f"/technologies/{technology['slug']}/"
        for browser in (a, b, a, b):  # both servers, both workers: cached everywhere
            assert technology["name"] in html.unescape(browser.send("GET", url).text)

        # A curator loads an edited file: both servers show it at the next request.
        edited = yaml.safe_load(manage(env, "export_catalog"))
        edited["technologies"][0]["name"] = "Renamed By The File"
        path = tmp_path / "edited.yaml"
        path.write_text(yaml.safe_dump(edited, sort_keys=False, allow_unicode=True))
        manage(env, "load_catalog", str(path))
        for browser in (a, b, a, b):
            assert "Renamed By The File" in browser.send("GET", url).text

        # A curator renames a category in the admin of server A: B shows it at once.
        category_name = catalog["categories"][0]["name"]
        for browser in (a, b, a, b):
            assert category_name in html.unescape(browser.send("GET", "/").text)
        create_curator(env)
        curator = Browser(base_a)
        login(curator, "/admin/login/")
        admin_edit_category(curator, "Renamed In The Admin")
        for browser in (b, a, b, a):
            assert "Renamed In The Admin" in browser.send("GET", "/").text

        # A learner makes a path on A, marks a step on B, and sees it on A.
        learner_on_a = Browser(base_a)
        token = make_path_through_questionnaire(learner_on_a)
        learner_on_b = Browser(base_b, cookies=dict(learner_on_a.cookies))
        page = learner_on_b.send("GET", f"/paths/{token}/")
        assert page.status == 200 and 'aria-pressed="true"' in page.text  # the owner's buttons
        progress = re.search(rf'action="(/paths/{token}/progress/[a-z0-9-]+/)"', page.text)
        marked = learner_on_b.send("POST", progress.group(1), form={"status": "done"})
        assert marked.status == 302, marked.text[:300]
        for browser in (learner_on_a, learner_on_a, learner_on_b):
            shown = browser.send("GET", f"/paths/{token}/").text
            assert 'aria-pressed="true">Done' in shown
        reader = Browser(base_a)
        assert "Status: Done" in reader.send("GET", f"/paths/{token}/").text
