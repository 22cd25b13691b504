"""Health probes in a real deployment: gunicorn via `bin/serve` with a production host list.

A probe (the Dockerfile's HEALTHCHECK, a load balancer, Kubernetes) sends the address it
connects to as the Host, which DJANGO_ALLOWED_HOSTS does not list: /healthz and /readyz answer
it anyway, and every other URL keeps refusing a Host it does not know.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.servers import ROOT, request, serve_site

HOST = "backendpath.example"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve_site(
        tmp_path_factory, "probes", DJANGO_ALLOWED_HOSTS=HOST, DJANGO_SECURE_SSL_REDIRECT="1"
    ) as base:
        yield base


def healthcheck_command(port: int) -> str:
    """The Dockerfile's HEALTHCHECK CMD (shell form), aimed at `port`."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    match = re.search(r"^HEALTHCHECK\b.*?\bCMD (.+?)$", dockerfile, re.M | re.S)
    assert match, "the Dockerfile has no HEALTHCHECK CMD"
    command = match.group(1).replace("\\\n", " ")
    assert ":8000/" in command, command
    return command.replace(":8000/", f":{port}/")


def test_the_dockerfile_healthcheck_passes_with_a_production_host_list(site):
    port = int(site.rsplit(":", 1)[1])
    # `python` as in the image: the virtualenv's interpreter first on PATH.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["sh", "-c", healthcheck_command(port)], env=env, capture_output=True, timeout=30
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]


@pytest.mark.parametrize("host", ["127.0.0.1", "10.0.3.7:8000", "[::1]", "anything.invalid"])
def test_health_and_readiness_answer_any_host_over_plain_http(site, host):
    """Not redirected to HTTPS either: a probe speaks plain HTTP to the container."""
    health = request(site, "GET", "/healthz", headers={"Host": host})
    assert (health.status, health.text) == (200, "ok")
    ready = request(site, "GET", "/readyz", headers={"Host": host})
    assert ready.status == 200 and b'"status": "ok"' in ready.body
    assert "no-cache" in (ready.headers["Cache-Control"] or "")


@pytest.mark.parametrize(
    "path", ["/", "/catalog/", "/advisor/", "/api/catalog", "/healthz/", "/healthzz", "/readyz/x"]
)
def test_every_other_url_still_refuses_an_unknown_host(site, path):
    response = request(
        site, "GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    )
    assert response.status == 400, (path, response.status)
    assert b"Traceback" not in response.body


def test_the_known_host_is_served_as_before(site):
    response = request(site, "GET", "/", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    assert response.status == 200
    redirect = request(site, "GET", "/catalog/", headers={"Host": HOST})
    assert redirect.status == 301 and redirect.headers["Location"].startswith("https://")


def test_a_probe_sees_the_security_headers(site):
    response = request(site, "GET", "/healthz", headers={"Host": "127.0.0.1"})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS
