"""Accounts: sign up, log in (throttled), log out, password change and reset."""

from __future__ import annotations

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-42"


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.org", PASSWORD)


def test_signup_creates_an_account_and_logs_in(client, django_user_model):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200 and "<h1>Sign up</h1>" in page.content.decode()
    response = client.post(
        "/accounts/signup/",
        {"username": "grace", "email": "", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert django_user_model.objects.filter(username="grace").exists()
    assert "_auth_user_id" in client.session


def test_signup_applies_the_password_validators(client, django_user_model):
    response = client.post(
        "/accounts/signup/",
        {"username": "grace", "email": "", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "too short" in html and "entirely numeric" in html
    assert not django_user_model.objects.filter(username="grace").exists()


def test_login_and_logout(client, member):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    assert "Log out" in client.get("/").content.decode()
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "Log in" in client.get("/").content.decode()


def test_repeated_failed_logins_are_throttled_per_account(client, member):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
        assert "Please enter a correct username and password" in response.content.decode()
    # Even the right password is not checked now.
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttling_counts_per_address_across_accounts(client, member):
    for number in range(20):
        client.post("/accounts/login/", {"username": f"user{number}", "password": "x"})
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert "Too many failed attempts" in response.content.decode()


def test_password_reset_reveals_nothing_about_which_emails_exist(client, member):
    known = client.post("/accounts/password_reset/", {"email": "ada@example.org"}, follow=True)
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert "Check your email" in known.content.decode()
    assert "Check your email" in unknown.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_change_needs_a_login(client, member):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(member)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-77",
            "new_password2": "another-long-pass-77",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("another-long-pass-77")


def test_account_forms_post_with_a_csrf_token(member):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 403
