"""Password-reset mail in production: EMAIL_URL chooses the mail server, the mail reaches it
(through gunicorn via `bin/serve`), and a server that cannot be reached is one clear log line
while the learner sees the usual "check your email" page (which never says whether an
account exists). Without EMAIL_URL: the console in development, nothing sent but a log line
in production (a reset link is a credential: it must not land in a log)."""

from __future__ import annotations

import ast
import re

import pytest

from tests.hardening.mailserver import SmtpServer
from tests.hardening.servers import PRODUCTION_ENV, Browser, serve, server_env
from tests.process import free_port, manage, process_env, throwaway_database_url

MEMBER = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_user("ada", "ada@example.org", "old-password-1234")
"""
SETTING = "from django.conf import settings; print(settings.{})"


def reset(base: str) -> Browser:
    """Ask for a reset of ada's password the way a browser does; the page after it."""
    browser = Browser(base)
    assert browser.send("GET", "/accounts/password_reset/").status == 200
    response = browser.send(
        "POST", "/accounts/password_reset/", form={"email": "ada%40example.org"}
    )
    assert response.status == 302, response.text[:500]
    assert response.headers["Location"] == "/accounts/password_reset/done/"
    done = browser.send("GET", response.headers["Location"])
    assert done.status == 200 and "Check your email" in done.text
    return browser


def test_the_reset_mail_reaches_the_server_that_email_url_names(tmp_path):
    with SmtpServer() as smtp:
        env = server_env(
            throwaway_database_url(tmp_path, "mail"),
            WEB_CONCURRENCY="1",
            EMAIL_URL=f"smtp://mailer%40example.org:p%40ss%3Aword@127.0.0.1:{smtp.port}/",
            DJANGO_DEFAULT_FROM_EMAIL="Backend Path <paths@backendpath.example>",
        )
        with serve(env, tmp_path / "serve.log") as base:
            manage(env, "shell", "-c", MEMBER)
            browser = reset(base)
            message = smtp.wait_for_message()
            assert smtp.logins == [("mailer@example.org", "p@ss:word")]
            assert message["To"] == "ada@example.org"
            assert message["From"] == "Backend Path <paths@backendpath.example>"
            text = message.get_body(("plain",)).get_content()
            link = re.search(r"http://127\.0\.0\.1:\d+(/accounts/reset/\S+/)", text).group(1)
            opened = browser.send("GET", link)
            assert opened.status == 302 and opened.headers["Location"].endswith("/set-password/")
            form = browser.send("GET", opened.headers["Location"])
            assert "new_password1" in form.text


def test_an_unreachable_mail_server_is_one_log_line_and_the_usual_page(tmp_path):
    refused = free_port()  # nothing listens there
    env = server_env(
        throwaway_database_url(tmp_path, "nomail"),
        WEB_CONCURRENCY="1",
        EMAIL_URL=f"smtp://127.0.0.1:{refused}/?timeout=5",
    )
    log = tmp_path / "serve.log"
    with serve(env, log) as base:
        manage(env, "shell", "-c", MEMBER)
        before = log.read_text()
        reset(base)
        unknown = Browser(base)
        unknown.send("GET", "/accounts/password_reset/")
        answer = unknown.send(
            "POST", "/accounts/password_reset/", form={"email": "nobody%40example.org"}
        )
        assert answer.headers["Location"] == "/accounts/password_reset/done/"  # same as ada's
        new = log.read_text()[len(before) :].strip().splitlines()
    assert len(new) == 1, new
    assert "Mail not sent" in new[0] and f"127.0.0.1:{refused}" in new[0], new
    assert "Traceback" not in log.read_text()


def email_setting(name: str, **env: str) -> str:
    output = manage(process_env(**env), "shell", "-c", SETTING.format(name))
    return output.strip().splitlines()[-1]


def test_development_prints_mail_on_the_console():
    assert email_setting("EMAIL_BACKEND", DJANGO_DEBUG="1", EMAIL_URL="") == (
        "django.core.mail.backends.console.EmailBackend"
    )


def test_production_without_email_url_sends_nothing_and_says_so(tmp_path):
    env = {**PRODUCTION_ENV, "EMAIL_URL": ""}
    assert email_setting("EMAIL_BACKEND", **env) == "advisor.mail.UnconfiguredBackend"
    script = (
        "import logging; logging.basicConfig();"
        "from django.core.mail import send_mail;"
        "print(send_mail('s', 'b', None, ['ada@example.org']))"
    )
    result = manage(process_env(**env), "shell", "-c", script)
    assert result.strip().splitlines()[-1] == "0"


@pytest.mark.parametrize(
    ("url", "settings"),
    [
        ("smtp://mail.example", {"EMAIL_HOST": "mail.example", "EMAIL_PORT": "25"}),
        ("smtp://u:p@mail.example/?tls=1", {"EMAIL_PORT": "587", "EMAIL_USE_TLS": "True"}),
        ("smtp://mail.example/?tls=true", {"EMAIL_USE_TLS": "True", "EMAIL_USE_SSL": "False"}),
        ("smtps://mail.example", {"EMAIL_PORT": "465", "EMAIL_USE_SSL": "True"}),
        ("smtp://mail.example:2525/?ssl=1", {"EMAIL_PORT": "2525", "EMAIL_USE_SSL": "True"}),
        ("console:", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("smtp://mail.example/?timeout=3", {"EMAIL_TIMEOUT": "3.0"}),
    ],
)
def test_email_url_sets_the_mail_settings(url, settings):
    names = ", ".join(f"settings.{name}" for name in settings)
    script = f"from django.conf import settings; print(repr(({names},)))"
    output = manage(process_env(**PRODUCTION_ENV, EMAIL_URL=url), "shell", "-c", script)
    shown = [str(value) for value in ast.literal_eval(output.strip().splitlines()[-1])]
    assert shown == list(settings.values()), url


@pytest.mark.parametrize(
    "url",
    [
        "smtp://",
        "mailto:ada@example.org",
        "smtp://mail.example:99999/",
        "smtp://m/?timeout=x",
        "smtp://m/?timeout=-1",
        "smtp://m/?timeout=nan",
    ],
)
def test_a_bad_email_url_refuses_to_start_with_one_line(url):
    with pytest.raises(AssertionError) as failure:
        manage(process_env(**PRODUCTION_ENV, EMAIL_URL=url), "check")
    message = str(failure.value)
    assert "EMAIL_URL" in message and "Traceback" not in message, message
