"""A learner's marks revision: a number that changes with every change to their marks (their
progress, notes and ticked checkpoints).

A saved path's page is stored whole per state (catalog/page_cache.py), and its state names
this number instead of the marks themselves, so a request for a stored page reads one row (the
path's, with its learner's revision and the catalog version), not the learner's marks too. The
number moves in the transaction of the write it counts. `paths.services` opens each write with
`marks_changing`, which takes the learner's row first: one bump per write, and one lock order
(the learner, then their marks), so two writes of one learner wait for each other instead of
deadlocking. Signals count a change made anywhere else (the admin, a shell): in a transaction
before the row is written, in the same lock order; a row saved to another learner counts for
both.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

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


def _before_write(sender: type, instance: object, **kwargs: object) -> None:
    """Count a write made outside `paths.services` (the admin, a shell) before the row is
    written when it runs in a transaction, so the learner's row is taken first there too, in the
    same order as `marks_changing` takes it; outside a transaction the row's own write commits
    at once, and the count follows it (`_after_write`), never before it. A row saved to another
    learner (the admin's learner field) counts for the one it leaves as well."""
    instance._marks_learners = ()
    if kwargs.get("raw") or _counted.get(False):
        return
    learners = {instance.learner_id}
    if kwargs.get("signal") is pre_save and instance.pk is not None:
        before = sender.objects.filter(pk=instance.pk).values_list("learner_id", flat=True).first()
        if before is not None:
            learners.add(before)
    ordered = sorted(learners, key=str)
    if transaction.get_connection(kwargs.get("using")).in_atomic_block:
        for learner_id in ordered:
            count_marks_change(learner_id)
    else:
        instance._marks_learners = ordered


def _after_write(sender: type, instance: object, **kwargs: object) -> None:
    for learner_id in instance.__dict__.pop("_marks_learners", ()):
        count_marks_change(learner_id)


def connect_signals() -> None:
    from paths.models import CheckpointTick, Note, Progress

    for model in (Progress, Note, CheckpointTick):
        name = model.__name__
        pre_save.connect(_before_write, sender=model, dispatch_uid=f"marks-before-save-{name}")
        pre_delete.connect(_before_write, sender=model, dispatch_uid=f"marks-before-del-{name}")
        post_save.connect(_after_write, sender=model, dispatch_uid=f"marks-save-{name}")
        post_delete.connect(_after_write, sender=model, dispatch_uid=f"marks-del-{name}")
