"""The real services some tests need (Redis, PostgreSQL): found, or a loud failure under CI.

Outside CI a missing service skips the tests that need it, with the reason; under `CI=true`
it fails them, so a run that silently tested less can never pass.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis

# This machine kind starts Redis on 127.0.0.1:6379 and CI uses it; the suite takes database 15
# of it (TEST_REDIS_URL points elsewhere) and keeps every key under a prefix of its own.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def missing_service(reason: str) -> None:
    """Skip the test (fail it under CI=true): a service it needs does not answer."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class RedisSpace:
    """A key prefix of our own in the test Redis."""

    url: str
    prefix: str
    client: redis.Redis

    def stored(self) -> list[str]:
        """Every key under the prefix, as Django's cache wrote them (`prefix:version:key`)."""
        return sorted(key.decode() for key in self.client.scan_iter(f"{self.prefix}:*"))

    def via(self, port: int) -> str:
        """The same Redis database reached through a proxy listening on `port`."""
        parts = urlsplit(self.url)
        credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        return urlunsplit(parts._replace(netloc=f"{credentials}127.0.0.1:{port}"))

    @property
    def address(self) -> tuple[str, int]:
        parts = urlsplit(self.url)
        return parts.hostname or "127.0.0.1", parts.port or 6379

    def cache_settings(self, location: str | None = None, **options: object) -> dict:
        """CACHES as advisor/settings.py configures them from REDIS_URL, on our prefix."""
        return {
            "default": {
                "BACKEND": "advisor.cache_backend.ResilientRedisCache",
                "LOCATION": location or self.url,
                "KEY_PREFIX": self.prefix,
                "TIMEOUT": 3600,
                "OPTIONS": options,
            }
        }


@contextlib.contextmanager
def redis_space() -> Iterator[RedisSpace]:
    """A RedisSpace for one test; deletes its keys afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        missing_service(f"no Redis answers at {REDIS_URL}: {error}")
    space = RedisSpace(REDIS_URL, f"backendpath-test-{uuid.uuid4().hex}", client)
    try:
        yield space
    finally:
        for key in client.scan_iter(f"{space.prefix}:*"):
            client.delete(key)
        client.close()
