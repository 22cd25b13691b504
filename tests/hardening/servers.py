"""Real processes for the hardening tests: `bin/serve` (gunicorn, DEBUG off) on a free loopback
port, a TCP proxy that can cut the app off from its database, and a small HTTP client."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.process import free_port, process_env, throwaway_database_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "hardening-" + "s3cr3t-" * 10,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
}


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def cookies(self) -> dict[str, str]:
        """name → the whole Set-Cookie line."""
        return {line.split("=", 1)[0]: line for line in self.headers.get_all("Set-Cookie") or []}


def request(
    base: str,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | str | None = None,
    timeout: float = 15,
) -> Response:
    """One request on a new connection; any status comes back as a Response."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, answer.headers, answer.read(), time.monotonic() - started)
    finally:
        connection.close()


def server_env(database_url: str, **overrides: str) -> dict[str, str]:
    """The environment of a production server on `database_url` (plain HTTP allowed)."""
    settings = {
        **PRODUCTION_ENV,
        "DATABASE_URL": database_url,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "PYTHON": sys.executable,
    }
    return process_env(**{**settings, **overrides})


@contextlib.contextmanager
def serve_site(tmp_path_factory, name: str, **overrides: str) -> Iterator[str]:
    """One production server (one worker) on a throwaway database of its own, with these
    settings; yields its base URL (for module-scoped fixtures)."""
    tmp_path = tmp_path_factory.mktemp(name)
    env = server_env(
        throwaway_database_url(tmp_path, name.replace("-", "")),
        **{"WEB_CONCURRENCY": "1", **overrides},
    )
    with serve(env, tmp_path / "serve.log") as base:
        yield base


@contextlib.contextmanager
def serve(env: dict[str, str], log: Path) -> Iterator[str]:
    """Run `bin/serve` and yield its base URL once /healthz answers (see `serve_process`)."""
    with serve_process(env, log) as (base, _):
        yield base


@contextlib.contextmanager
def serve_process(env: dict[str, str], log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `bin/serve` (collectstatic, migrate, the default catalog, gunicorn) and yield its
    base URL and process (gunicorn's master: bin/serve execs it) once /healthz answers; stop
    the whole process group afterwards.

    Static files are collected beside the log, not into var/staticfiles, which other processes
    (a developer's server, another test run) may be reading at the same time.
    """
    port = free_port()
    env = {**env, "BIND": f"127.0.0.1:{port}", "DJANGO_STATIC_ROOT": str(log.parent / "static")}
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(ROOT / "bin" / "serve")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    raise AssertionError("bin/serve exited:\n" + log.read_text())
                with contextlib.suppress(OSError):
                    if request(base, "GET", "/healthz", timeout=2).status == 200:
                        break
                if time.monotonic() > deadline:
                    raise AssertionError("gunicorn did not answer:\n" + log.read_text())
                time.sleep(0.3)
            yield base, process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


CSRF_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')


@dataclass
class Browser:
    """Just enough of a browser: a cookie jar and the page's CSRF token."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def send(self, method: str, path: str, **kwargs) -> Response:
        headers = dict(kwargs.pop("headers", {}))
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST" and self.token:
            headers.setdefault("X-CSRFToken", self.token)
        body = kwargs.pop("form", None)
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = "&".join(f"{k}={v}" for k, v in body.items())
        if "json" in kwargs:
            headers["Content-Type"] = "application/json"
            body = json.dumps(kwargs.pop("json"))
        response = request(self.base, method, path, headers=headers, body=body, **kwargs)
        for name, line in response.cookies().items():
            self.cookies[name] = line.split(";", 1)[0].split("=", 1)[1]
        if match := CSRF_IN_PAGE.search(response.text):
            self.token = match.group(1)
        return response


class TcpProxy:
    """A loopback TCP proxy in front of a database. `stop()` closes the listener and every
    connection through it (as a database that goes away would); `start()` serves again on the
    same port. `forwarded` counts the bytes it has passed on, both ways."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.forwarded = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.setblocking(False)
        self._thread = threading.Thread(target=self._run, args=(listener,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self, listener: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(listener, selectors.EVENT_READ)
        peers: dict[socket.socket, socket.socket] = {}
        try:
            while not self._stop.is_set():
                for key, _ in selector.select(timeout=0.05):
                    sock = key.fileobj
                    if sock is listener:
                        with contextlib.suppress(BlockingIOError):
                            client, _ = listener.accept()
                            try:
                                upstream = socket.create_connection(self.target, timeout=5)
                            except OSError:
                                client.close()
                                continue
                            for end in (client, upstream):
                                end.setblocking(False)
                                selector.register(end, selectors.EVENT_READ)
                            peers[client], peers[upstream] = upstream, client
                        continue
                    try:
                        data = sock.recv(65536)
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        data = b""
                    other = peers.get(sock)
                    if data and other is not None:
                        try:
                            other.setblocking(True)
                            other.sendall(data)
                            other.setblocking(False)
                            self.forwarded += len(data)
                            continue
                        except OSError:
                            pass
                    for end in (sock, other):
                        if end is not None and end in peers:
                            selector.unregister(end)
                            peers.pop(end, None)
                            end.close()
        finally:
            for end in list(peers):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            selector.close()
            listener.close()


@contextlib.contextmanager
def serve_behind_database_proxy(
    tmp_path: Path, name: str
) -> Iterator[tuple[TcpProxy, dict[str, str], str]]:
    """`bin/serve` (two workers, persistent connections) on a throwaway PostgreSQL database
    that it reaches through a started TcpProxy; yields the proxy, the server's environment and
    its base URL. The proxy is stopped at the end."""
    proxy, proxied = database_proxy(throwaway_database_url(tmp_path, name))
    env = server_env(proxied, WEB_CONCURRENCY="2", DJANGO_CONN_MAX_AGE="60")
    proxy.start()
    try:
        with serve(env, tmp_path / f"{name}.log") as base:
            yield proxy, env, base
    finally:
        proxy.stop()


def database_proxy(database_url: str) -> tuple[TcpProxy, str]:
    """A TcpProxy (not started) in front of `database_url`'s PostgreSQL, and the URL that
    reaches the same database through it."""
    parts = urlsplit(database_url)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return proxy, urlunsplit(parts._replace(netloc=f"{credentials}127.0.0.1:{proxy.port}"))
