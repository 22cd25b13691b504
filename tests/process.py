"""Environment for commands the tests run in a separate process."""

from __future__ import annotations

import os

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
