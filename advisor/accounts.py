"""Accounts: sign up, log in with throttling, and the rest of Django's auth views.

Signing up or logging in adopts what the browser's session had as a guest learner (paths,
progress, notes) into the account; see paths.learners.adopt_session_learner.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from paths.learners import adopt_session_learner

# Failed logins allowed per account and per address in the window before we refuse to check.
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW_SECONDS = 15 * 60


def _failure_keys(request: HttpRequest, username: str) -> tuple[str, str]:
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = request.META.get("REMOTE_ADDR", "unknown")
    return f"login-fail:account:{account}", f"login-fail:address:{address}"


def _count_failure(key: str) -> None:
    if not cache.add(key, 1, FAILURE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, FAILURE_WINDOW_SECONDS)


class LoginThrottleMixin:
    """Refuse to check passwords after too many failures for the account or the address."""

    throttled_message = (
        "Too many failed attempts. Wait 15 minutes, or reset your password if you forgot it."
    )

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        account_key, address_key = _failure_keys(self.request, username)
        if (
            cache.get(account_key, 0) >= MAX_FAILURES_PER_ACCOUNT
            or cache.get(address_key, 0) >= MAX_FAILURES_PER_ADDRESS
        ):
            raise ValidationError(self.throttled_message, code="throttled")
        try:
            return super().clean()
        except ValidationError:
            _count_failure(account_key)
            _count_failure(address_key)
            raise


class ThrottledAuthenticationForm(LoginThrottleMixin, AuthenticationForm):
    """Django's login form, throttled."""


class ThrottledAdminAuthenticationForm(LoginThrottleMixin, AdminAuthenticationForm):
    """The admin's login form, throttled the same way (one count for both forms)."""


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=False, help_text="Optional: only used to reset a forgotten password."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


def _next_url(request: HttpRequest) -> str:
    """The safe "next" of the request (a page of this site), or My paths."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return settings.LOGIN_REDIRECT_URL


def _adopt(request: HttpRequest, user: AbstractBaseUser) -> None:
    """After login(): the account takes over the browser's paths, progress and notes."""
    adoption = adopt_session_learner(request, user)
    kept = "now kept in your account, with your progress and notes"
    if adoption.paths == 1:
        messages.success(request, f"The path you made in this browser is {kept}.")
    elif adoption.paths:
        messages.success(
            request, f"The {adoption.paths} paths you made in this browser are {kept}."
        )
    elif adoption.adopted_anything:
        messages.success(request, "Your progress and notes from this browser are in your account.")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account; the paths, progress and notes of this browser come along."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        _adopt(request, user)
        return redirect(_next_url(request))
    return render(request, "registration/signup.html", {"form": form, "next": _next_url(request)})


class LoginView(auth_views.LoginView):
    """Django's login view, throttled, adopting the browser's guest learner on success."""

    authentication_form = ThrottledAuthenticationForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)  # login() first: it keeps a guest's session data
        _adopt(self.request, form.get_user())
        return response


urlpatterns = [
    path("signup/", signup, name="signup"),
    path(
        "login/",
        LoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
