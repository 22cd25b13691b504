"""gunicorn hooks for bin/serve (`--config python:advisor.gunicorn_config`); the command-line
options there hold everything else."""

from __future__ import annotations


def post_worker_init(worker) -> None:
    """Before the worker accepts connections: build its catalog read models."""
    from advisor.warmup import warm_worker

    warm_worker()
