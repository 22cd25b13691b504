"""The log-in throttle in the production shape: `bin/serve` (gunicorn, two workers, DEBUG off)
behind the proxy, two app servers on one database and no shared cache. The clients the proxy
reports are told apart, and a count made on one server holds on the other."""

from __future__ import annotations

import subprocess
import sys

from tests.hardening.servers import ROOT, Browser, serve, server_env
from tests.process import manage, process_env, throwaway_database_url

PASSWORD = "correct-horse-battery-42"
THROTTLED = "Too many failed attempts. Wait 15 minutes, or reset your password if you forgot it."


def log_in(base: str, client: str, username: str, password: str):
    """A browser behind the proxy at 127.0.0.1 that reports it as `client`."""
    browser = Browser(base)
    forwarded = {"X-Forwarded-For": client}
    assert browser.send("GET", "/accounts/login/", headers=forwarded).status == 200
    form = {"username": username, "password": password}
    return browser.send("POST", "/accounts/login/", headers=forwarded, form=form)


def test_two_servers_tell_forwarded_clients_apart_and_share_the_count(tmp_path):
    env = server_env(throwaway_database_url(tmp_path, "throttle"), WEB_CONCURRENCY="2")
    env.pop("REDIS_URL", None)  # no shared cache: the count lives in the database
    with serve(env, tmp_path / "one.log") as one:
        manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            "createsuperuser",
            "--noinput",
            "--username=ada",
            "--email=ada@example.org",
        )
        with serve(env, tmp_path / "two.log") as two:
            for _ in range(4):
                response = log_in(one, "203.0.113.7", "ada", "wrong")
                assert response.status == 200
                assert "Please enter a correct username and password" in response.text
            response = log_in(two, "203.0.113.7", "ada", "wrong")
            assert response.status == 429 and THROTTLED in response.text
            for base in (one, two):
                response = log_in(base, "203.0.113.7", "ada", PASSWORD)
                assert response.status == 429 and THROTTLED in response.text
                response = log_in(base, "198.51.100.20", "ada", PASSWORD)
                assert response.status == 302, response.text[:2000]
                assert response.headers["Location"] == "/paths/"


def test_forwarded_allow_ips_comes_from_the_environment():
    show = "from django.conf import settings; print(settings.FORWARDED_ALLOW_IPS)"
    assert manage(process_env(), "shell", "--no-imports", "-c", show).strip() == "['127.0.0.1']"
    env = process_env(FORWARDED_ALLOW_IPS=" 10.0.0.1, 10.1.0.0/16,,fd00::/8 ")
    assert (
        manage(env, "shell", "--no-imports", "-c", show).strip()
        == "['10.0.0.1', '10.1.0.0/16', 'fd00::/8']"
    )
    assert (
        manage(process_env(FORWARDED_ALLOW_IPS="*"), "shell", "--no-imports", "-c", show).strip()
        == "['*']"
    )


def test_a_forwarded_allow_ips_that_is_no_address_is_refused_in_one_line():
    for value in ("proxy.example", "10.0.0.0/33", "127.0.0.1 10.0.0.1"):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=process_env(FORWARDED_ALLOW_IPS=value),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0, value
        assert "FORWARDED_ALLOW_IPS" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
