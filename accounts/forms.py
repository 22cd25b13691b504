"""The account forms: sign up, and the two log-in forms (the site's and the admin's), which say
so when the throttle (accounts/throttle.py) refuses to check a password."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError


class LoginThrottleMixin:
    """Replace "wrong password" with the throttle's message once axes has locked the client out
    (it then refuses to check the password at all)."""

    throttled_message = (
        "Too many failed attempts. Wait 15 minutes, or reset your password if you forgot it."
    )

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        if len(username) > self.fields["username"].max_length:
            # No account has such a name, and the throttle's table could not store it.
            raise self.get_invalid_login_error()
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(self.throttled_message, code="throttled") from None
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
