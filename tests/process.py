"""Helpers for commands and servers the tests (and `make bench`, `make soak`) run in a
separate process: their environment, a free port, a throwaway database, manage.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Set by tests/conftest.py for the live server; a real deployment never has it.
TEST_ONLY_VARIABLES = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


def process_env(**overrides: str) -> dict[str, str]:
    """The current environment without pytest's and the test-only variables, plus overrides."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTEST") and key not in TEST_ONLY_VARIABLES
    }
    env.update(overrides)
    return env


def throwaway_database_url(tmp_path, name: str) -> str:
    """An empty database for a separate process: a SQLite file in tmp_path, or a fresh
    PostgreSQL database beside DATABASE_URL's when the suite runs on PostgreSQL."""
    from urllib.parse import urlsplit, urlunsplit

    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith("postgres"):
        return f"sqlite:///{tmp_path / (name + '.sqlite3')}"
    import psycopg

    parts = urlsplit(source)
    database = f"{parts.path.lstrip('/') or 'backendpath'}_{name}"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    return urlunsplit(parts._replace(path="/" + database))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(
    env: dict[str, str],
    *args: str,
    timeout: float | None = 600,
    failure: type[BaseException] = AssertionError,
) -> str:
    """Run `manage.py *args` with `env` from the project root; its standard output, or
    `failure` (an AssertionError in tests, SystemExit in the bench scripts) with its errors."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise failure(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout
