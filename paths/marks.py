"""A learner's marks revision: a number that changes with every change to their marks (their
progress, notes and ticked checkpoints).

A saved path's page is stored whole per state (catalog/page_cache.py), and its state names
this number instead of the marks themselves, so a request for a stored page reads one row (the
path's, with its learner's revision and the catalog version), not the learner's marks too. The
number moves in the transaction of the write it counts. `paths.services` opens each write with
`marks_changing`, which takes the learner's row first: one bump per write, and one lock order
(the learner, then their marks), so two writes of one learner wait for each other instead of
deadlocking. Signals count a change made anywhere else (the admin, a shell); a row saved to
another learner counts for both.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save

_counted: contextvars.ContextVar[bool] = contextvars.ContextVar("marks_change_counted")


def count_marks_change(learner_id: uuid.UUID) -> None:
    """Bump the learner's marks revision (in the caller's transaction; it locks their row)."""
    from paths.models import Learner

    Learner.objects.filter(pk=learner_id).update(marks_revision=F("marks_revision") + 1)


@contextlib.contextmanager
def marks_changing(learner_id: uuid.UUID) -> Iterator[None]:
    """A transaction that changes the learner's marks, counted once, at its start."""
    with transaction.atomic():
        count_marks_change(learner_id)
        token = _counted.set(True)
        try:
            yield
        finally:
            _counted.reset(token)


def _on_change(sender: type, instance: object, **kwargs: object) -> None:
    if kwargs.get("raw") or _counted.get(False):
        return
    count_marks_change(instance.learner_id)


def _on_move(sender: type, instance: object, **kwargs: object) -> None:
    """A row saved to another learner (the admin's learner field) leaves the first one too."""
    if kwargs.get("raw") or _counted.get(False) or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("learner_id", flat=True).first()
    if before is not None and before != instance.learner_id:
        count_marks_change(before)


def connect_signals() -> None:
    from paths.models import CheckpointTick, Note, Progress

    for model in (Progress, Note, CheckpointTick):
        pre_save.connect(_on_move, sender=model, dispatch_uid=f"marks-move-{model.__name__}")
        post_save.connect(_on_change, sender=model, dispatch_uid=f"marks-save-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"marks-del-{model.__name__}")
