"""The shared cache: Django's Redis backend, for which Redis is optional.

Redis only ever holds copies (rendered pages, the catalog document): everything in it can be
made again from the database. So while Redis is unreachable this backend answers as an empty
cache that stores nothing — a read is a miss, a write is dropped — and the app renders every
page afresh, slower but whole. This is the one place that decides the cache's failure
behaviour; nothing that calls `cache.get()` or `cache.set()` needs a `try`.

After a failure the backend does not ask Redis again for `RETRY_AFTER` seconds (a circuit
breaker), so an outage costs each process one failed connection per interval, not one per
request, and short socket timeouts keep a Redis that hangs from holding a request up. The
log says once per process when Redis goes away and once when it is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Redis on the same network answers in well under a millisecond; these only bound an outage.
DEFAULT_POOL_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}


@dataclass
class _Breaker:
    """What a process knows of one Redis location: shared by the backend's per-thread copies."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    down_until: float = 0.0  # time.monotonic() before which Redis is not asked
    failure: str = ""  # what went wrong, while down


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str) -> _Breaker:
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker())


class ResilientRedisCache(RedisCache):
    """`RedisCache` that answers as an empty, write-dropping cache while Redis is unreachable.

    OPTIONS: `RETRY_AFTER` (seconds between attempts during an outage, default 5); everything
    else goes to redis-py's connection pool, as with Django's backend.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": {**DEFAULT_POOL_OPTIONS, **options}})
        self._breaker = _breaker_for(f"{server}|{params.get('KEY_PREFIX', '')}")

    # -- the breaker ------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False while an outage is known and the retry interval has not passed."""
        return time.monotonic() >= self._breaker.down_until

    @property
    def failure(self) -> str:
        """What the last failure was, while Redis is taken as down ('' when it is up)."""
        return self._breaker.failure

    def _call(self, default: Any, operation: Callable[..., Any], *args: Any) -> Any:
        """`operation(*args)`, or `default` when Redis is down or fails now."""
        if not self.available:
            return default
        try:
            result = operation(*args)
        except RedisError as error:
            self._went_down(error)
            return default
        if self._breaker.failure:
            self._came_back()
        return result

    def _went_down(self, error: RedisError) -> None:
        breaker = self._breaker
        with breaker.lock:
            first = not breaker.failure
            breaker.failure = f"{type(error).__name__}: {str(error).rstrip('.')}"
            breaker.down_until = time.monotonic() + self.retry_after
        if first:
            logger.error(
                "The cache (Redis at %s) is unreachable: %s. Serving without it (pages are "
                "rendered afresh) and trying again every %g s.",
                self._server_names(),
                breaker.failure,
                self.retry_after,
            )

    def _came_back(self) -> None:
        breaker = self._breaker
        with breaker.lock:
            if not breaker.failure:
                return
            breaker.failure = ""
            breaker.down_until = 0.0
        logger.warning("The cache (Redis at %s) is reachable again.", self._server_names())

    def _server_names(self) -> str:
        # Never log a password that a redis:// URL may carry.
        return ", ".join(server.rsplit("@", 1)[-1] for server in self._servers)

    def ping(self) -> bool:
        """Whether Redis answers now (for /readyz); honours the breaker."""
        return bool(self._call(False, self._ping))

    def _ping(self) -> bool:
        return bool(self._cache.get_client().ping())

    # -- Django's cache API, each a miss or a dropped write while Redis is down ------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Django's `set`, saying whether Redis took the value (False while it is down)."""
        return self._call(False, self._set, key, value, timeout, version)

    def _set(self, key, value, timeout, version) -> bool:
        super().set(key, value, timeout, version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call(missing, super().incr, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)
