"""Saved learning paths, a learner's progress and their private notes.

A path keeps a snapshot of the plan it was given, so it reads the same after the catalog
changes. Progress and notes belong to the learner and a technology's slug, not to one path:
"Done" on a technology, or a note on it, shows in every path of that learner, and survives a
re-plan or the deletion of a path.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse

from catalog.models import CatalogVersion
from catalog.prepared import Column, PreparedQuery
from paths.planner import HOURS_PER_WEEK_MAX, HOURS_PER_WEEK_MIN


class Learner(models.Model):
    """Someone following paths: a browser session now, an account once they sign up.

    The session keeps the learner's id under "learner_id", which survives the session key
    rotation of a login, so a later sign-up can adopt what the session had.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="learner",
    )
    created = models.DateTimeField(auto_now_add=True)
    # Moves with every change to the learner's progress, notes and ticks (paths/marks.py).
    marks_revision = models.PositiveBigIntegerField(default=0, editable=False)

    def __str__(self) -> str:
        return f"learner {self.id}"


@dataclass(frozen=True, slots=True)
class PathHeader:
    """What a saved path's page needs before it knows whether to render: who owns the path,
    what its stored copy depends on (the path's own row, its learner's marks revision, the
    catalog's current version, read in the same query as
    `catalog.versioning.current_version()` would: 0 before any catalog). The snapshot (the
    heavy part) and the marks are left in the database until the page is rendered."""

    id: int
    learner_id: uuid.UUID
    owner_user_id: int | None
    name: str
    updated: str
    catalog_version: int
    marks_revision: int
    catalog_now: tuple[int, datetime | None]


class LearningPathQuerySet(models.QuerySet):
    def for_learner(self, learner_id: uuid.UUID) -> LearningPathQuerySet:
        """The learner's paths, newest first."""
        return self.filter(learner_id=learner_id).order_by("-created", "-id")


class LearningPathManager(models.Manager.from_queryset(LearningPathQuerySet)):
    def page_header(
        self, token: str, also: tuple[Column, dict[str, object]] | None = None
    ) -> tuple[PathHeader | None, object]:
        """The header of the path with this share token (None: no such path), in one query,
        with the value of the column `also` (a session's data: `pending_read`) selected in
        the same statement (None without one, or without the path)."""
        if also is None:
            row = _HEADER.first(token=token)
            return (_path_header(row) if row else None), None
        column, values = also
        row = _HEADER.with_column("also", column).first(token=token, **values)
        return (_path_header(row[:-1]), row[-1]) if row else (None, None)


def _path_header(row: tuple) -> PathHeader:
    pk, learner_id, user_id, revision, name, updated, catalog_version, number, changed_at = row
    return PathHeader(
        id=pk,
        learner_id=learner_id,
        owner_user_id=user_id,
        name=name,
        updated=str(updated),
        catalog_version=catalog_version,
        marks_revision=revision,
        catalog_now=(number or 0, changed_at if number is not None else None),
    )


# A learner's statuses (slug → status), notes (slug → (text, version)) and ticked
# checkpoints (slug → checkpoint texts).
Marks = tuple[dict[str, str], dict[str, tuple[str, int]], dict[str, frozenset[str]]]


def learner_marks(learner_id: uuid.UUID, *, notes: bool) -> Marks:
    """A learner's statuses (slug → status), with `notes` their notes (slug → (text,
    version)), and their ticked checkpoints (slug → checkpoint texts), in one query (a UNION
    of the tables)."""
    marks = _MARKS if notes else _MARKS_WITHOUT_NOTES
    return _marks(marks.rows(learner_id=learner_id))


def _marks(rows: Iterable[tuple]) -> Marks:
    statuses: dict[str, str] = {}
    texts: dict[str, tuple[str, int]] = {}
    ticked: dict[str, set[str]] = {}
    for kind, slug, status, content, version in rows:
        if kind == "s":
            statuses[slug] = status
        elif kind == "n":
            texts[slug] = (content, version)
        else:
            ticked.setdefault(slug, set()).add(content)
    return statuses, texts, {slug: frozenset(items) for slug, items in ticked.items()}


class LearningPath(models.Model):
    """A saved plan: the input that made it and a snapshot of the steps it gave."""

    token = models.CharField(max_length=64, unique=True, editable=False)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="paths")
    name = models.CharField(max_length=200, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    known = models.JSONField(default=list, blank=True)
    # Technologies asked for by name (`?goal=`, "Add to path"), in order; re-planning keeps them.
    goals = models.JSONField(default=list, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(HOURS_PER_WEEK_MIN), MaxValueValidator(HOURS_PER_WEEK_MAX)]
    )
    snapshot = models.JSONField(default=dict, blank=True)
    catalog_version = models.PositiveBigIntegerField()
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = LearningPathManager()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    hours_per_week__gte=HOURS_PER_WEEK_MIN, hours_per_week__lte=HOURS_PER_WEEK_MAX
                ),
                name="learning_path_hours_per_week_range",
            )
        ]

    def __str__(self) -> str:
        return self.name or f"path {self.token[:8]}…"

    def get_absolute_url(self) -> str:
        return reverse("paths:path-detail", args=[self.token])


class ProgressStatus(models.TextChoices):
    """A step's status; the labels are the button names on the path page."""

    TODO = "todo", "To do"
    DOING = "doing", "Doing"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class ProgressManager(models.Manager):
    def statuses(self, learner_id: uuid.UUID | None) -> dict[str, str]:
        """technology slug → status for one learner (one query; none without a learner)."""
        if learner_id is None:
            return {}
        return dict(_STATUSES.rows(learner_id=learner_id))

    def done_slugs(self, learner_id: uuid.UUID | None) -> set[str]:
        """The technologies a learner marked "Done" (one query; none without a learner)."""
        if learner_id is None:
            return set()
        return set(
            self.filter(learner_id=learner_id, status=ProgressStatus.DONE).values_list(
                "technology_slug", flat=True
            )
        )


class Progress(models.Model):
    """Where a learner stands with one technology, across all of their paths.

    Keyed by the technology's slug rather than a foreign key, so progress outlives a catalog
    edit that removes or re-creates the technology.
    """

    Status = ProgressStatus

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="progress")
    technology_slug = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=ProgressStatus.choices)
    updated = models.DateTimeField(auto_now=True)

    objects = ProgressManager()

    class Meta:
        verbose_name_plural = "progress"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "technology_slug"], name="progress_learner_technology_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProgressStatus.values), name="progress_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technology_slug}: {self.get_status_display()}"


class NoteManager(models.Manager):
    def texts(self, learner_id: uuid.UUID | None) -> dict[str, tuple[str, int]]:
        """technology slug → (text, version) of a learner's notes (one query)."""
        if learner_id is None:
            return {}
        rows = self.filter(learner_id=learner_id).values_list("technology_slug", "text", "version")
        return {slug: (text, version) for slug, text, version in rows}


class Note(models.Model):
    """A learner's private note on a technology, shown to them on every path that has it.

    `version` counts the saves, so a save from a tab that opened an older version is refused
    instead of silently replacing what another tab wrote. Clearing a note deletes the row.
    """

    MAX_LENGTH = 2000

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="notes")
    technology_slug = models.CharField(max_length=64)
    # No max_length here: two notes merged when a guest signs in may together be longer, and
    # keeping both beats cutting one. The form enforces MAX_LENGTH on what a learner types.
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated = models.DateTimeField(auto_now=True)

    objects = NoteManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "technology_slug"], name="note_learner_technology_unique"
            )
        ]

    def __str__(self) -> str:
        return f"note on {self.technology_slug}"


class CheckpointTick(models.Model):
    """A checkpoint of a technology ("Ready to move on when you can…") that a learner ticked.

    Like progress, it belongs to the learner and the technology, so every path of theirs with
    that step shows it. Keyed by the checkpoint's text: a checkpoint the catalog rewords
    starts unticked rather than lending its tick to another sentence.
    """

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="ticks")
    technology_slug = models.CharField(max_length=64)
    checkpoint = models.CharField(max_length=300)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "technology_slug", "checkpoint"],
                name="checkpoint_tick_learner_technology_checkpoint_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.technology_slug}: {self.checkpoint[:40]}"


# The saved path page's queries, run on every request: compiled once (catalog/prepared.py).


def _header_row(token: str) -> models.QuerySet:
    version = CatalogVersion.objects.filter(pk=1)
    return (
        LearningPath.objects.filter(token=token)
        .order_by()
        .annotate(
            catalog_number=Subquery(version.values("number")[:1]),
            catalog_changed_at=Subquery(version.values("changed_at")[:1]),
        )
        .values_list(
            "id",
            "learner_id",
            "learner__user_id",
            "learner__marks_revision",
            "name",
            "updated",
            "catalog_version",
            "catalog_number",
            "catalog_changed_at",
        )
    )


def _status_rows(learner_id: uuid.UUID) -> models.QuerySet:
    return (
        Progress.objects.filter(learner_id=learner_id)
        .order_by()
        .values_list("technology_slug", "status")
    )


def _mark_rows(learner_id: uuid.UUID, *, notes: bool = True) -> models.QuerySet:
    # Each row says what it is in its first column ("s" status, "t" tick, "n" note); the other
    # columns are NULL where its table has nothing to say. Every column is an expression, so
    # each part selects them in this order (the ORM puts plain fields before expressions).
    kind, text, number = models.CharField(), models.TextField(), models.IntegerField()

    def null(field: models.Field) -> Cast:
        # Typed: PostgreSQL gives an untyped NULL column of a UNION the type text.
        return Cast(Value(None), field)

    statuses = (
        Progress.objects.filter(learner_id=learner_id)
        .order_by()
        .values_list(
            Value("s", output_field=kind),
            F("technology_slug"),
            F("status"),
            null(text),
            null(number),
        )
    )
    ticks = (
        CheckpointTick.objects.filter(learner_id=learner_id)
        .order_by()
        .values_list(
            Value("t", output_field=kind),
            F("technology_slug"),
            null(kind),
            Cast("checkpoint", text),
            null(number),
        )
    )
    if not notes:
        return statuses.union(ticks, all=True)
    texts = (
        Note.objects.filter(learner_id=learner_id)
        .order_by()
        .values_list(
            Value("n", output_field=kind), F("technology_slug"), null(kind), F("text"), F("version")
        )
    )
    return statuses.union(ticks, texts, all=True)


_HEADER = PreparedQuery(_header_row, token=LearningPath._meta.get_field("token"))
_STATUSES = PreparedQuery(_status_rows, learner_id=Progress._meta.get_field("learner"))
_MARKS = PreparedQuery(_mark_rows, learner_id=Progress._meta.get_field("learner"))
_MARKS_WITHOUT_NOTES = PreparedQuery(
    lambda learner_id: _mark_rows(learner_id, notes=False),
    learner_id=Progress._meta.get_field("learner"),
)
