"""Accounts: sign up, log in (throttled; see test_throttle.py for clients behind the proxy),
log out, password change and reset, and the adoption of the guest learner."""

from __future__ import annotations

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-42"
THROTTLED = "Too many failed attempts. Wait 15 minutes, or reset your password if you forgot it."


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


# Adoption: what the browser had as a guest joins the account ------------------------------------

SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}


@pytest.fixture
def guest(client, small_catalog):
    """The test client as a guest learner with a path, progress and a note; returns the path."""
    from paths.services import learner_create, note_set, progress_set
    from tests.factories import act_as, make_path

    learner = learner_create()
    act_as(client, learner)
    path = make_path(learner=learner, answers=SITE_LARGE)
    progress_set(learner_id=learner.pk, technology_slug="web", status="done")
    note_set(learner_id=learner.pk, technology_slug="web", text="My <note>", expected_version=0)
    return path


def owns(client, path) -> bool:
    return "Add a private note" in client.get(path.get_absolute_url()).content.decode()


def signup_data(username: str = "grace") -> dict:
    return {"username": username, "email": "", "password1": PASSWORD, "password2": PASSWORD}


def test_repeated_failed_logins_are_throttled_per_account(client, member):
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
        assert "Please enter a correct username and password" in response.content.decode()
    # The fifth failure says so, on the log-in page itself, with the form to try again later.
    response = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    assert response.status_code == 429
    html = response.content.decode()
    assert THROTTLED in html and "<h1>Log in</h1>" in html and 'value="ada"' in html
    # Even the right password is not checked now.
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 429
    assert THROTTLED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttling_counts_per_address_across_accounts(client, member):
    for number in range(20):
        client.post("/accounts/login/", {"username": f"user{number}", "password": "x"})
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 429
    assert THROTTLED in response.content.decode()


def test_a_guest_who_mistypes_first_still_keeps_their_path(client, guest, django_user_model):
    django_user_model.objects.create_user("grace", password=PASSWORD)
    for _ in range(2):
        response = client.post("/accounts/login/", {"username": "grace", "password": "wrong"})
        assert "Please enter a correct username and password" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "grace", "password": PASSWORD})
    assert response.status_code == 302
    assert django_user_model.objects.get(username="grace").learner.pk == guest.learner_id
    assert owns(client, guest)


def test_signing_up_mid_way_keeps_paths_progress_and_notes(client, guest, django_user_model):
    url = f"/accounts/signup/?next={guest.get_absolute_url()}"
    assert f'name="next" value="{guest.get_absolute_url()}"' in client.get(url).content.decode()
    response = client.post(url, {**signup_data(), "next": guest.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == guest.get_absolute_url()
    user = django_user_model.objects.get(username="grace")
    assert user.learner.pk == guest.learner_id
    assert client.session["learner_id"] == str(guest.learner_id)
    html = client.get(guest.get_absolute_url()).content.decode()
    assert "The path you made in this browser is now kept in your account" in html
    assert "Status: Done" in html and "My &lt;note&gt;" in html and "Rename" in html


def test_logging_in_on_a_second_browser_finds_everything(client, guest, django_user_model):
    from django.test import Client

    client.post("/accounts/signup/", signup_data())
    laptop = Client()
    html = laptop.get(guest.get_absolute_url()).content.decode()
    assert "You are reading a shared path." in html and "My &lt;note&gt;" not in html
    response = laptop.post("/accounts/login/", {"username": "grace", "password": PASSWORD})
    assert response["Location"] == "/paths/"
    listing = laptop.get("/paths/").content.decode()
    assert guest.name in listing and "1 of 3 steps done" in listing
    assert "Logged in as grace" in listing
    html = laptop.get(guest.get_absolute_url()).content.decode()
    assert "Status: Done" in html and "My &lt;note&gt;" in html
    assert (
        laptop.post(f"/paths/{guest.token}/progress/webfw/", {"status": "doing"}).status_code == 302
    )
    assert "Status: Doing" in client.get(guest.get_absolute_url()).content.decode()


def test_logging_in_merges_this_browsers_guest_work(client, guest, django_user_model):
    from django.test import Client

    from paths.models import LearningPath, Progress
    from paths.services import progress_set

    client.post("/accounts/signup/", signup_data())
    client.post("/accounts/logout/")
    # On another browser, as a guest, before logging in there.
    phone = Client()
    phone.post("/advisor/", {"answer": ["tools"]})
    phone.post("/advisor/known/", {"known": []})
    phone.post("/advisor/hours/", {"hours_per_week": "3"})
    phone_path = LearningPath.objects.exclude(pk=guest.pk).get()
    progress_set(learner_id=phone_path.learner_id, technology_slug="scripting", status="doing")
    response = phone.post("/accounts/login/", {"username": "grace", "password": PASSWORD})
    assert response.status_code == 302
    learner = django_user_model.objects.get().learner
    assert set(LearningPath.objects.values_list("learner", flat=True)) == {learner.pk}
    assert Progress.objects.statuses(learner.pk) == {"web": "done", "scripting": "doing"}
    listing = phone.get("/paths/").content.decode()
    assert "is now kept in your account" in listing
    assert guest.name in listing and phone_path.name in listing
    assert owns(phone, guest) and owns(phone, phone_path)


def test_logging_out_ends_it(client, guest):
    client.post("/accounts/signup/", signup_data())
    assert owns(client, guest)
    client.post("/accounts/logout/")
    assert not owns(client, guest)
    assert "You have no saved paths yet." in client.get("/paths/").content.decode()
    response = client.post(f"/paths/{guest.token}/progress/web/", {"status": "todo"})
    assert response.status_code == 403


def test_another_account_on_the_same_browser_adopts_nothing(client, guest, django_user_model):
    client.post("/accounts/signup/", signup_data("grace"))
    django_user_model.objects.create_user("bob", password=PASSWORD)
    client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    bob = django_user_model.objects.get(username="bob")
    assert bob.learner.pk != guest.learner_id
    assert not owns(client, guest)
    assert django_user_model.objects.get(username="grace").learner.paths.count() == 1


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_sign_up_never_redirects_off_site(client, db, next_url):
    response = client.post("/accounts/signup/", {**signup_data(), "next": next_url})
    assert response["Location"] == "/paths/"


def test_signing_up_with_nothing_to_adopt_says_nothing_about_it(client, db):
    client.post("/accounts/signup/", signup_data())
    html = client.get("/paths/").content.decode()
    assert "kept in your account" not in html and "Logged in as grace" in html


def test_done_steps_are_pre_ticked_in_the_questionnaire_on_another_device(client, guest):
    from django.test import Client

    client.post("/accounts/signup/", signup_data())
    laptop = Client()
    laptop.post("/accounts/login/", {"username": "grace", "password": PASSWORD})
    laptop.post("/advisor/", {"answer": ["site"]})
    laptop.post("/advisor/q/size/", {"answer": "small"})
    html = laptop.get("/advisor/known/").content.decode()
    assert 'value="web" checked' in html and "you marked it Done" in html
