"""Accounts: sign up, log in (throttled by django-axes), and the rest of Django's auth views."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
