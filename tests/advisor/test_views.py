"""Site-wide pages: home, health checks, errors and security headers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.process import process_env

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_home_says_what_it_is_and_links_to_the_questionnaire(client, small_catalog):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Backend Path" in html
    assert 'href="/advisor/"' in html and "Start the questionnaire" in html
    assert '<html lang="en">' in html
    assert 'class="skip-link" href="#main"' in html
    assert 'rel="icon"' in html
    assert "htmx-2" in html and "htmx-config" in html


def test_home_lists_every_category_with_its_technology_count(client, small_catalog):
    html = client.get("/").content.decode()
    for category in small_catalog["categories"]:
        assert category["name"] in html
        assert category["summary"] in html
    # alpha: basics, web, webfw, scripting? no: scripting is beta. alpha has basics, web, webfw.
    alpha = sum("alpha" in t["categories"] for t in small_catalog["technologies"])
    assert f"{alpha} technologies" in html


def test_home_on_an_empty_catalog_explains_how_to_load_one(client):
    html = client.get("/").content.decode()
    assert "load_catalog" in html


def test_home_runs_a_fixed_number_of_queries(client, small_catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/")


def test_pages_that_post_with_htmx_carry_the_csrf_token_and_shared_pages_none(
    client, small_catalog
):
    assert 'hx-headers=\'{"X-CSRFToken": "' in client.get("/advisor/").content.decode()
    assert "X-CSRFToken" not in client.get("/").content.decode()


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_is_ok_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"


UNREACHABLE_DATABASE_PROBE = """
import django, json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "advisor.settings"
django.setup()
from django.test import Client
client = Client()
ready = client.get("/readyz")
page = client.get("/")
print(json.dumps({"ready": [ready.status_code, ready.json()],
                  "page": [page.status_code, page.content.decode()]}))
"""


def test_readyz_and_pages_answer_503_when_the_database_is_unreachable():
    # A real failure: PostgreSQL on a closed port, in a separate process.
    env = process_env()
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:1/nothing"
    env["DJANGO_CONN_MAX_AGE"] = "0"
    result = subprocess.run(
        [sys.executable, "-c", UNREACHABLE_DATABASE_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    status, body = outcome["ready"]
    assert status == 503
    assert body["status"] == "unavailable" and "database" in body["reason"]
    status, html = outcome["page"]
    assert status == 503
    assert "Temporarily unavailable" in html and "Traceback" not in html


def test_unknown_page_is_a_styled_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "site.css" in html
    assert "Traceback" not in html


def test_server_error_page_is_styled_and_leaks_nothing(client):
    from django.test import RequestFactory

    from advisor.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Traceback" not in html and "settings" not in html


def test_the_content_security_policy_follows_the_settings(client, settings):
    """The policy is built once (advisor.middleware.ContentSecurityPolicyMiddleware): a change
    of the settings, and a report-only policy, still show on the next response."""
    assert "img-src 'self' data:" in client.get("/healthz").headers["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'none'"]}}
    response = client.get("/healthz")
    assert response.headers["Content-Security-Policy"] == "default-src 'self'"
    assert "img-src 'none'" in response.headers["Content-Security-Policy-Report-Only"]


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_no_inline_scripts_or_styles_in_the_layout(client, small_catalog):
    html = client.get("/").content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "hx-on" not in html
