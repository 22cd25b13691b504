"""Log-in throttling behind the TLS proxy: clients are told apart by the address the trusted proxy
reports, so one client's failures never lock out another client's correct password, while a
client that keeps guessing (one account, or many made-up names) is stopped.

The test client plays the proxy: REMOTE_ADDR is the proxy (127.0.0.1, trusted by default, as
FORWARDED_ALLOW_IPS says), X-Forwarded-For the client it reports.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-42"
THROTTLED = "Too many failed attempts. Wait 15 minutes, or reset your password if you forgot it."
PROXY = "127.0.0.1"
CLIENT_A = "203.0.113.7"
CLIENT_B = "198.51.100.20"
SITE_LOGIN = "/accounts/login/"
ADMIN_LOGIN = f"/{django_settings.ADMIN_URL}login/"


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.org", PASSWORD, is_staff=True)


def log_in(
    username: str,
    password: str,
    *,
    forwarded: str | None,
    remote: str = PROXY,
    url: str = SITE_LOGIN,
    client: Client | None = None,
):
    """POST a log-in as it reaches the app: from `remote`, reporting `forwarded` (if any)."""
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    client = client or Client()
    response = client.post(url, {"username": username, "password": password}, **extra)
    response.logged_in = "_auth_user_id" in client.session
    return response


def assert_refused(response) -> None:
    """The styled log-in page again, with the form and the message, and nobody logged in."""
    assert response.status_code == 429
    html = response.content.decode()
    assert THROTTLED in html
    assert 'name="username"' in html and 'name="password"' in html
    assert not response.logged_in


def assert_logged_in(response) -> None:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.logged_in


def test_made_up_names_from_one_client_stop_that_client_only(ada):
    statuses = [
        log_in(f"nobody{number}", "guess", forwarded=CLIENT_A).status_code for number in range(25)
    ]
    assert statuses[:19] == [200] * 19 and set(statuses[19:]) == {429}
    assert_refused(log_in("ada", PASSWORD, forwarded=CLIENT_A))
    assert_logged_in(log_in("ada", PASSWORD, forwarded=CLIENT_B))


def test_failures_for_an_account_from_one_client_never_lock_it_out_elsewhere(ada):
    for _ in range(10):
        response = log_in("ada", "wrong", forwarded=CLIENT_A)
        assert not response.logged_in
    assert_refused(response)
    assert_logged_in(log_in("ada", PASSWORD, forwarded=CLIENT_B))
    assert_refused(log_in("ada", PASSWORD, forwarded=CLIENT_A))


def test_a_client_locked_out_of_one_account_can_still_log_in_to_its_own(ada, django_user_model):
    django_user_model.objects.create_user("grace", password=PASSWORD)
    for _ in range(5):
        log_in("ada", "wrong", forwarded=CLIENT_A)
    assert_refused(log_in("ada", PASSWORD, forwarded=CLIENT_A))
    assert_logged_in(log_in("grace", PASSWORD, forwarded=CLIENT_A))


def test_the_right_most_address_counts_so_a_forged_left_part_changes_nothing(ada):
    for number in range(25):
        log_in(f"nobody{number}", "guess", forwarded=f"10.{number}.0.1, {CLIENT_A}")
    assert_refused(log_in("ada", PASSWORD, forwarded=f"192.0.2.99, {CLIENT_A}"))
    assert_refused(log_in("ada", PASSWORD, forwarded=CLIENT_A))
    assert_logged_in(log_in("ada", PASSWORD, forwarded=f"{CLIENT_A}, {CLIENT_B}"))


def test_an_untrusted_sender_is_counted_by_its_own_address_whatever_it_forwards(ada):
    attacker = "192.0.2.50"
    for number in range(25):
        log_in(f"nobody{number}", "guess", remote=attacker, forwarded=f"10.0.{number}.1")
    assert_refused(log_in("ada", PASSWORD, remote=attacker, forwarded="10.99.0.1"))
    assert_refused(log_in("ada", PASSWORD, remote=attacker, forwarded=None))
    # Nor did the forged addresses lock anyone out: a client the proxy reports as 10.0.3.1.
    assert_logged_in(log_in("ada", PASSWORD, forwarded="10.0.3.1"))
    assert_logged_in(log_in("ada", PASSWORD, remote="192.0.2.51", forwarded=None))


def test_forwarded_allow_ips_decides_whose_forwarded_address_is_believed(ada, settings):
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.5"]
    # 127.0.0.1 is no longer a proxy: every client behind it counts as 127.0.0.1.
    for _ in range(5):
        log_in("ada", "wrong", forwarded=CLIENT_A)
    assert_refused(log_in("ada", PASSWORD, forwarded=CLIENT_B))
    # 10.0.0.5 is, so the clients it reports are told apart.
    for _ in range(5):
        log_in("ada", "wrong", remote="10.0.0.5", forwarded=CLIENT_A)
    assert_refused(log_in("ada", PASSWORD, remote="10.0.0.5", forwarded=CLIENT_A))
    assert_logged_in(log_in("ada", PASSWORD, remote="10.0.0.5", forwarded=CLIENT_B))


def test_forwarded_allow_ips_takes_networks_and_chains_of_proxies(ada, settings):
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1", "10.0.0.0/8"]
    # The load balancer at 10.1.2.3 forwards to the proxy at 127.0.0.1: both are skipped.
    for _ in range(5):
        log_in("ada", "wrong", forwarded=f"{CLIENT_A}, 10.1.2.3")
    assert_refused(log_in("ada", PASSWORD, forwarded=f"{CLIENT_A}, 10.9.9.9"))
    assert_logged_in(log_in("ada", PASSWORD, forwarded=f"{CLIENT_B}, 10.1.2.3"))
    assert_logged_in(log_in("ada", PASSWORD, remote="10.200.0.1", forwarded=CLIENT_B))


def test_a_star_trusts_any_sender_as_the_proxy_but_not_the_addresses_it_lists(ada, settings):
    settings.FORWARDED_ALLOW_IPS = ["*"]
    for number in range(5):
        log_in("ada", "wrong", remote=f"192.0.2.{number}", forwarded=f"10.0.0.{number}, {CLIENT_A}")
    assert_refused(log_in("ada", PASSWORD, remote="192.0.2.77", forwarded=CLIENT_A))
    assert_logged_in(log_in("ada", PASSWORD, remote="192.0.2.77", forwarded=CLIENT_B))


def test_a_forwarded_value_that_is_no_address_counts_as_the_proxy_and_never_fails(ada):
    for value in ("unknown", "fe80::1%eth0", "203.0.113.7:5555", "x" * 300, "unknown"):
        response = log_in("ada", "wrong", forwarded=value)
        assert response.status_code in (200, 429)
    assert_refused(log_in("ada", PASSWORD, forwarded=None))
    assert_logged_in(log_in("ada", PASSWORD, forwarded=CLIENT_B))


def test_the_admin_log_in_shares_the_count(ada):
    for url in (SITE_LOGIN, ADMIN_LOGIN, SITE_LOGIN, ADMIN_LOGIN):
        assert not log_in("ada", "wrong", forwarded=CLIENT_A, url=url).logged_in
    response = log_in("ada", "wrong", forwarded=CLIENT_A, url=ADMIN_LOGIN)
    assert response.status_code == 429 and THROTTLED in response.content.decode()
    response = log_in("ada", PASSWORD, forwarded=CLIENT_A, url=ADMIN_LOGIN)
    assert response.status_code == 429 and THROTTLED in response.content.decode()
    assert not response.logged_in
    assert_refused(log_in("ada", PASSWORD, forwarded=CLIENT_A, url=SITE_LOGIN))
    assert_logged_in(log_in("ada", PASSWORD, forwarded=CLIENT_B, url=ADMIN_LOGIN))


def test_the_admin_is_stopped_by_made_up_names_on_the_site_form(ada):
    for number in range(20):
        log_in(f"nobody{number}", "guess", forwarded=CLIENT_A)
    response = log_in("ada", PASSWORD, forwarded=CLIENT_A, url=ADMIN_LOGIN)
    assert response.status_code == 429 and THROTTLED in response.content.decode()
    assert_logged_in(log_in("ada", PASSWORD, forwarded=CLIENT_B, url=ADMIN_LOGIN))


def test_the_refusal_is_our_own_page_under_the_strict_policy(ada):
    for _ in range(5):
        response = log_in("ada", "wrong", forwarded=CLIENT_A)
    assert_refused(response)
    html = response.content.decode()
    assert "<h1>Log in</h1>" in html and "Forgot your password?" in html
    assert "<style" not in html and " style=" not in html and "<script>" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
