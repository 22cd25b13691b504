"""The log-in throttle, as django-axes runs it (settings.AXES_*): who the client is, how many
failures lock it out, and the answer it gets.

Failures are counted in the database (every app server shares them; no cache is needed) per
account and client, and per client, where the client is the address the trusted proxy reports.
One client's failures therefore never lock out another client, not even from the same account.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse

# Failures of one account from one client before that client may not try it again; the per
# client limit (made-up names, any accounts) is settings.AXES_FAILURE_LIMIT.
FAILURES_PER_ACCOUNT = 5

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _proxies(allowed: tuple[str, ...]) -> tuple[bool, tuple[Network, ...]]:
    """FORWARDED_ALLOW_IPS as (any sender is the proxy, the listed proxy networks)."""
    networks = tuple(ipaddress.ip_network(item, strict=False) for item in allowed if item != "*")
    return "*" in allowed, networks


def _address(value: str) -> IPAddress | None:
    """The address `value` names, or None (a zone such as "%eth0" is no client's address)."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return None if getattr(address, "scope_id", None) else address


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or what a trusted proxy reports in X-Forwarded-For.

    X-Forwarded-For is believed only when REMOTE_ADDR is a proxy of FORWARDED_ALLOW_IPS (as
    gunicorn does; `*` trusts any sender). Each proxy appends the address it saw, so the chain is
    read from the right: listed proxies are skipped and the first other address is the client,
    whatever a client wrote further left. A value that is no address counts as the proxy.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    sender = _address(remote)
    trust_any, networks = _proxies(tuple(settings.FORWARDED_ALLOW_IPS))
    if sender is None or not (trust_any or any(sender in network for network in networks)):
        return str(sender) if sender else None
    chain = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item]
    client = None
    for item in reversed(chain):
        client = _address(item)
        if client is None:
            return str(sender)
        if not any(client in network for network in networks):
            break
    return str(client or sender)


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: FAILURES_PER_ACCOUNT per account and client,
    AXES_FAILURE_LIMIT per client (AXES_LOCKOUT_PARAMETERS names the two counts, in that order).

    Axes compares one number with one limit, so an account's count at its own limit is reported
    as the client's limit.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        per_account, per_client = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_account >= FAILURES_PER_ACCOUNT:
            return max(per_client, settings.AXES_FAILURE_LIMIT)
        return per_client


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse, credentials: dict | None = None
) -> HttpResponse:
    """The log-in page the view rendered (its form says why: forms.LoginThrottleMixin), as 429."""
    original_response.status_code = 429
    return original_response
