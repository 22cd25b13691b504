"""Production settings: refusal without a secret, `check --deploy`, gunicorn + whitenoise."""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.process import free_port, process_env, throwaway_database_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-test-secret-key-0123456789-abcdefghij",
    "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
}


def run_manage(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    full_env = process_env()
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def fetch(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    return urllib.request.urlopen(request, timeout=10)


@pytest.fixture
def gunicorn_server(tmp_path):
    """`bin/serve` (the Dockerfile's command) on a free port, with DEBUG off."""
    port = free_port()
    env = process_env()
    env.update(PRODUCTION_ENV)
    env.update(
        {
            "BIND": f"127.0.0.1:{port}",
            "PYTHON": sys.executable,
            "DJANGO_SECURE_SSL_REDIRECT": "1",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_ACCESS_LOG": "/dev/null",
            # Its own static folder: collectstatic must not race other servers of the suite.
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        }
    )
    env["DATABASE_URL"] = throwaway_database_url(tmp_path, "serve")
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(ROOT / "bin" / "serve")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("bin/serve exited: " + (tmp_path / "serve.log").read_text())
        try:
            fetch(base + "/healthz")
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("gunicorn did not answer: " + (tmp_path / "serve.log").read_text())
    yield base
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    log.close()


def test_gunicorn_serves_pages_and_compressed_hashed_static_files(gunicorn_server):
    base = gunicorn_server
    # Behind the TLS proxy: X-Forwarded-Proto is trusted.
    response = fetch(base + "/", {"X-Forwarded-Proto": "https"})
    assert response.status == 200
    html = response.read().decode()
    assert "Backend Path" in html
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert css, "the stylesheet URL is not hashed"
    static = fetch(base + css.group(1), {"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"})
    assert static.headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in static.headers["Cache-Control"]
    assert b":root" in gzip.decompress(static.read())


def test_gunicorn_redirects_http_to_https_except_health_checks(gunicorn_server):
    base = gunicorn_server

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(base + "/", timeout=10)
    assert caught.value.code == 301
    assert caught.value.headers["Location"].startswith("https://")
    assert fetch(base + "/healthz").status == 200
    assert fetch(base + "/readyz").status == 200
