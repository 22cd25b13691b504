"""Account views: sign up and log in, both adopting what the browser's session had as a guest
learner (paths, progress, notes) into the account; see paths.learners.adopt_session_learner."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.forms import SignUpForm, ThrottledAuthenticationForm
from paths.learners import adopt_session_learner


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


class LogoutView(auth_views.LogoutView):
    """Log out on POST, as Django's view; GET asks first. The header's "Log out" is a link here,
    so the pages stored for every visitor carry no form that posts (no CSRF token)."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(settings.LOGOUT_REDIRECT_URL)
        return render(request, "registration/logout_confirm.html", {"next": _next_url(request)})
