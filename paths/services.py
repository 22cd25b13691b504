"""Writes of the paths app: learners and their adoption by an account, saved paths,
progress and notes. Keyword-only functions, each in one transaction."""

from __future__ import annotations

import difflib
import secrets
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from paths.api_json import validate_answers
from paths.catalog_cache import CatalogBundle, get_catalog_bundle
from paths.marks import marks_changing
from paths.models import CheckpointTick, Learner, LearningPath, Note, Progress, ProgressStatus
from paths.planner import (
    HOURS_PER_WEEK_MAX,
    HOURS_PER_WEEK_MIN,
    PlannerCatalog,
    build_plan,
    is_valid_hours_per_week,
    visible_questions,
)
from paths.replanning import Replan, replan_preview
from paths.snapshots import Snapshot, default_name, plan_snapshot, read_snapshot, saved_json

TOKEN_BYTES = 24  # 192 bits: a path's link is its only key
PATH_NAME_MAX = 200


def learner_create() -> Learner:
    """A new learner with no account yet."""
    return Learner.objects.create()


# Adoption: a guest's paths, progress and notes join their account --------------------------


@dataclass(frozen=True, slots=True)
class Adoption:
    """The account's learner after a sign-up or log-in, and what it took over from the guest."""

    learner: Learner
    paths: int = 0
    progress: int = 0
    notes: int = 0

    @property
    def adopted_anything(self) -> bool:
        return bool(self.paths or self.progress or self.notes)


def _merge_progress(guest: Learner, own: Learner) -> int:
    """Move the guest's progress to `own`; where both have a status, the later one wins."""
    own_rows = {row.technology_slug: row for row in Progress.objects.filter(learner=own)}
    moved, newer = [], []
    for row in Progress.objects.filter(learner=guest):
        mine = own_rows.get(row.technology_slug)
        if mine is None:
            moved.append(row.pk)
        elif row.updated > mine.updated:
            mine.status, mine.updated = row.status, row.updated
            newer.append(mine)
    if moved:
        Progress.objects.filter(pk__in=moved).update(learner=own)
    if newer:
        # bulk_update skips auto_now, so the merged row keeps the time it was really set.
        Progress.objects.bulk_update(newer, ["status", "updated"])
    return len(moved) + len(newer)


def _merged_text(first: str, second: str) -> str:
    """Both notes, older first; one alone when it already contains the other."""
    if second in first:
        return first
    if first in second:
        return second
    return f"{first}\n\n{second}"


def _merge_notes(guest: Learner, own: Learner) -> int:
    """Move the guest's notes to `own`; where both have one, keep both texts."""
    own_notes = {note.technology_slug: note for note in Note.objects.filter(learner=own)}
    moved, merged = [], []
    for note in Note.objects.filter(learner=guest):
        mine = own_notes.get(note.technology_slug)
        if mine is None:
            moved.append(note.pk)
            continue
        older, newer = sorted((mine, note), key=lambda item: item.updated)
        text = _merged_text(older.text, newer.text)
        if text != mine.text:
            mine.text, mine.version = text, mine.version + 1
            merged.append(mine)
    if moved:
        Note.objects.filter(pk__in=moved).update(learner=own)
    if merged:
        Note.objects.bulk_update(merged, ["text", "version"])
    return len(moved) + len(merged)


def _merge_ticks(guest: Learner, own: Learner) -> None:
    """Move the guest's ticked checkpoints over; a checkpoint both ticked stays ticked once."""
    own_ticks = set(
        CheckpointTick.objects.filter(learner=own).values_list("technology_slug", "checkpoint")
    )
    moved = [
        pk
        for pk, slug, checkpoint in CheckpointTick.objects.filter(learner=guest).values_list(
            "pk", "technology_slug", "checkpoint"
        )
        if (slug, checkpoint) not in own_ticks
    ]
    CheckpointTick.objects.filter(pk__in=moved).update(learner=own)


def learner_adopt(*, session_learner_id: uuid.UUID | None, user: AbstractBaseUser) -> Adoption:
    """Give `user` a learner, taking over the browser's guest learner: its paths (same
    tokens), progress and notes, merged without losing any.

    Where both have a status for a technology, the one set last wins (as between two tabs);
    where both have a note, both texts are kept, the older first. Only a guest learner (no
    account) is adopted: a learner of another account is never touched.
    """
    with transaction.atomic():
        own = Learner.objects.select_for_update().filter(user=user).first()
        guest = None
        if session_learner_id is not None and (own is None or own.pk != session_learner_id):
            guest = (
                Learner.objects.select_for_update()
                .filter(pk=session_learner_id, user__isnull=True)
                .first()
            )
        if own is None and guest is not None:
            # The account is new to us: the guest simply becomes it.
            try:
                with transaction.atomic():
                    guest.user = user
                    guest.save(update_fields=["user"])
            except IntegrityError:  # a parallel request gave the account a learner first
                own = Learner.objects.select_for_update().get(user=user)
            else:
                return Adoption(
                    guest,
                    paths=guest.paths.count(),
                    progress=guest.progress.count(),
                    notes=guest.notes.count(),
                )
        if own is None:
            own, _ = Learner.objects.get_or_create(user=user)
        if guest is None:
            return Adoption(own)
        paths = LearningPath.objects.filter(learner=guest).update(learner=own)
        with marks_changing(own.pk):
            progress = _merge_progress(guest, own)
            notes = _merge_notes(guest, own)
            _merge_ticks(guest, own)
            guest.delete()
    return Adoption(own, paths=paths, progress=progress, notes=notes)


# Saved paths ----------------------------------------------------------------------------------


def _path_name(
    bundle: CatalogBundle, answers: Mapping[str, Sequence[str]], snapshot: Snapshot | dict
) -> str:
    """A short name from the path's goals ("Flask · Git + 1 more"); with no steps, from the
    first question's chosen labels ("A website, Little tools")."""
    name = default_name(snapshot)
    visible = visible_questions(bundle.planner, answers)
    if name is None and visible:
        chosen = set(answers.get(visible[0].slug, ()))
        name = ", ".join(choice.label for choice in visible[0].choices if choice.slug in chosen)
    name = name or "Learning path"
    return name if len(name) <= PATH_NAME_MAX else name[: PATH_NAME_MAX - 1] + "…"


def path_create(
    *,
    learner: Learner,
    answers: Mapping[str, Sequence[str]],
    known: Sequence[str],
    hours_per_week: int,
    goals: Sequence[str] = (),
    bundle: CatalogBundle | None = None,
) -> LearningPath:
    """Plan and save a path under a new unguessable token, named after its goals.

    Raises ValidationError (keyed "answers", "known", "hours_per_week", "goals") for input the
    planner refuses. Only the answers of visible questions are kept.
    """
    bundle = bundle or get_catalog_bundle()
    catalog = bundle.planner
    answers = {key: list(value) for key, value in answers.items()}
    known = list(dict.fromkeys(known))
    goals = list(dict.fromkeys(goals))
    errors = validate_answers(catalog, answers, known, hours_per_week, goals)
    if errors:
        raise ValidationError(errors)
    answers = {
        question.slug: answers[question.slug] for question in visible_questions(catalog, answers)
    }
    plan = build_plan(catalog, answers, known, hours_per_week, goals)
    snapshot = plan_snapshot(plan, bundle, answers)
    path = LearningPath(
        token=secrets.token_urlsafe(TOKEN_BYTES),
        learner=learner,
        name=_path_name(bundle, answers, snapshot),
        answers=answers,
        known=known,
        goals=goals,
        hours_per_week=hours_per_week,
        snapshot=saved_json(snapshot),
        catalog_version=bundle.version,
    )
    # The database enforces the token's uniqueness, the hours' range and the learner's row;
    # validating the fields here spares the three look-ups full_clean() would add for those.
    path.full_clean(exclude=["learner", "token"], validate_constraints=False)
    with transaction.atomic():
        path.save()
    return path


def path_rename(*, path: LearningPath, name: str) -> LearningPath:
    """Give the path a new name: one line of 1 to 200 characters (spaces collapsed)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the path a name."})
    if len(name) > PATH_NAME_MAX:
        raise ValidationError({"name": f"Keep the name to {PATH_NAME_MAX} characters."})
    path.name = name
    with transaction.atomic():
        path.save(update_fields=["name", "updated"])
    return path


def path_delete(*, path: LearningPath) -> None:
    """Delete a saved path. Progress and notes stay: they belong to the learner."""
    with transaction.atomic():
        LearningPath.objects.filter(pk=path.pk).delete()


def path_replan(
    *, path: LearningPath, expected_version: int, bundle: CatalogBundle | None = None
) -> LearningPath:
    """Plan the path again on the current catalog and keep the result in place (same token,
    same name; progress and notes are the learner's, so they stay).

    `expected_version` is the catalog version whose differences the owner was shown; raises
    ValidationError ("catalog_version") when the catalog has moved on since, and ("answers")
    when the questionnaire now needs answers the path does not have.
    """
    bundle = bundle or get_catalog_bundle()
    if bundle.version != expected_version:
        raise ValidationError(
            {"catalog_version": "The catalog changed again; check what re-planning gives now."}
        )
    replan = replan_preview(path, bundle)
    if replan is None:
        raise ValidationError(
            {"answers": "The questionnaire has changed: your answers are not enough any more."}
        )
    return _save_replan(path, replan)


def _save_replan(
    path: LearningPath, replan: Replan, *, renamed_by: CatalogBundle | None = None
) -> LearningPath:
    """Keep a re-plan in place; with `renamed_by`, a name that was the default follows the
    new goals."""
    with transaction.atomic():
        locked = LearningPath.objects.select_for_update().get(pk=path.pk)
        if renamed_by is not None and locked.name == default_name(locked.snapshot):
            locked.name = _path_name(renamed_by, replan.input.answers, replan.snapshot)
        locked.answers = replan.input.answers
        locked.known = replan.input.known
        locked.goals = replan.input.goals
        locked.snapshot = saved_json(replan.snapshot)
        locked.catalog_version = replan.catalog_version
        locked.save(
            update_fields=[
                "name",
                "answers",
                "known",
                "goals",
                "snapshot",
                "catalog_version",
                "updated",
            ]
        )
    return locked


# Reshaping a path in place --------------------------------------------------------------------


def path_set_hours(*, path: LearningPath, hours_per_week: object) -> LearningPath:
    """Change a path's pace: its weeks follow, its steps and the catalog it was planned on do
    not. Raises ValidationError ("hours_per_week") outside 1 to 80."""
    if not is_valid_hours_per_week(hours_per_week):
        raise ValidationError(
            {
                "hours_per_week": f"Hours per week must be a whole number from "
                f"{HOURS_PER_WEEK_MIN} to {HOURS_PER_WEEK_MAX}."
            }
        )
    with transaction.atomic():
        locked = LearningPath.objects.select_for_update().get(pk=path.pk)
        snapshot = dict(locked.snapshot)
        snapshot["hours_per_week"] = hours_per_week
        snapshot["weeks"] = -(-snapshot["total_hours"] // hours_per_week)
        locked.hours_per_week = hours_per_week
        locked.snapshot = snapshot
        locked.save(update_fields=["hours_per_week", "snapshot", "updated"])
    return locked


def find_technology(catalog: PlannerCatalog, text: str) -> str | None:
    """The slug of the technology a learner typed: its slug or its name, any case."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    if wanted in catalog.technology_by_slug:
        return wanted
    return next(
        (tech.slug for tech in catalog.technologies if tech.name.casefold() == wanted), None
    )


def _closest_name(catalog: PlannerCatalog, text: str) -> str | None:
    if len(text) > 64:
        return None
    names = {tech.name.casefold(): tech.name for tech in catalog.technologies}
    matches = difflib.get_close_matches(text.casefold(), names, n=1, cutoff=0.6)
    return names[matches[0]] if matches else None


@dataclass(frozen=True, slots=True)
class GoalAdded:
    """A goal added to a path: the path, the goal's name, its milestone and the new steps."""

    path: LearningPath
    slug: str
    name: str
    milestone: int
    new_steps: int


def path_add_goal(
    *, path: LearningPath, technology: str, bundle: CatalogBundle | None = None
) -> GoalAdded:
    """Add a technology (by slug or name) to a path as a goal asked for: it comes with its
    prerequisites and the reason "You asked for X.", in place, on the current catalog.

    Raises ValidationError ("technology") for a technology the catalog lacks, one already asked
    for or known, or a path whose questionnaire has changed (it must be answered again).
    """
    bundle = bundle or get_catalog_bundle()
    catalog = bundle.planner
    slug = find_technology(catalog, technology)
    if slug is None:
        typed = " ".join(technology.split())
        if not typed:
            raise ValidationError({"technology": "Type the name of a technology to add."})
        shown = typed if len(typed) <= 64 else typed[:63] + "…"
        closest = _closest_name(catalog, typed)
        hint = f" Did you mean {closest}?" if closest else ""
        raise ValidationError(
            {"technology": f"There is no technology “{shown}” in the catalog.{hint}"}
        )
    name = catalog.technology_by_slug[slug].name
    if slug in path.goals:
        raise ValidationError({"technology": f"{name} is already a goal of this path."})
    if slug in {item.technology for item in read_snapshot(path.snapshot).known}:
        raise ValidationError(
            {"technology": f"{name} is among what you already know, so the path leaves it out."}
        )
    replan = replan_preview(path, bundle, goals=[*path.goals, slug])
    if replan is None:
        raise ValidationError(
            {
                "technology": "The questionnaire has changed since this path was planned: "
                "answer the new questions to plan it again first."
            }
        )
    old_steps = {step.technology for step in read_snapshot(path.snapshot).steps}
    saved = _save_replan(path, replan, renamed_by=bundle)
    milestone = next(
        (
            number
            for number, stage in enumerate(replan.snapshot.stages, start=1)
            if slug in stage.steps
        ),
        0,
    )
    new_steps = sum(1 for step in replan.snapshot.steps if step.technology not in old_steps)
    return GoalAdded(saved, slug, name, milestone, new_steps)


# Progress and notes ---------------------------------------------------------------------------


def progress_set(*, learner_id: uuid.UUID, technology_slug: str, status: str) -> Progress:
    """Record a learner's status for a technology (one row per learner and technology).

    update_or_create inside a transaction: two tabs marking different steps at once both win,
    and the unique constraint settles two tabs marking the same step.
    """
    if status not in ProgressStatus.values:
        raise ValidationError({"status": f"Unknown status {status[:20]!r}."})
    with marks_changing(learner_id):
        progress, _ = Progress.objects.update_or_create(
            learner_id=learner_id,
            technology_slug=technology_slug,
            defaults={"status": status},
        )
    return progress


def checkpoints_set(
    *,
    learner_id: uuid.UUID,
    technology_slug: str,
    checkpoints: Sequence[str],
    ticked: Collection[str],
) -> frozenset[str]:
    """Tick exactly `ticked` among a step's `checkpoints` for a learner; return what is ticked.

    Ticks of other checkpoints of the technology (from a path planned on an older catalog)
    are left alone. Idempotent, so a repeated post or two tabs saving the same set agree.
    """
    unknown = set(ticked) - set(checkpoints)
    if unknown:
        raise ValidationError({"checkpoint": "Tick only this step's checkpoints."})
    with marks_changing(learner_id):
        rows = CheckpointTick.objects.filter(learner_id=learner_id, technology_slug=technology_slug)
        rows.filter(checkpoint__in=[c for c in checkpoints if c not in ticked]).delete()
        have = set(rows.values_list("checkpoint", flat=True))
        CheckpointTick.objects.bulk_create(
            [
                CheckpointTick(
                    learner_id=learner_id, technology_slug=technology_slug, checkpoint=checkpoint
                )
                for checkpoint in dict.fromkeys(ticked)
                if checkpoint not in have
            ],
            ignore_conflicts=True,  # a parallel tab ticked the same one first
        )
        return frozenset(rows.values_list("checkpoint", flat=True))


class NoteConflict(Exception):
    """The note changed since the tab that saves it opened it (another tab or device)."""

    def __init__(self, note: Note | None) -> None:
        super().__init__("The note changed since it was opened.")
        self.text = note.text if note is not None else ""
        self.version = note.version if note is not None else 0


def note_set(
    *, learner_id: uuid.UUID, technology_slug: str, text: str, expected_version: int
) -> Note | None:
    """Save a learner's private note on a technology; an empty text deletes it (None).

    `expected_version` is the version the learner was editing (0 for no note). When the note
    has been saved or cleared since, from another tab or device, nothing is written and
    NoteConflict carries the current text, so neither tab's words are lost.
    """
    if len(text) > Note.MAX_LENGTH:
        raise ValidationError({"text": f"Keep the note to {Note.MAX_LENGTH:,} characters."})
    with marks_changing(learner_id):
        note = (
            Note.objects.select_for_update()
            .filter(learner_id=learner_id, technology_slug=technology_slug)
            .first()
        )
        current = note.version if note is not None else 0
        if current != expected_version:
            raise NoteConflict(note)
        if not text:
            if note is not None:
                note.delete()
            return None
        if note is None:
            try:
                with transaction.atomic():
                    return Note.objects.create(
                        learner_id=learner_id, technology_slug=technology_slug, text=text
                    )
            except IntegrityError:  # another tab created it a moment ago
                raise NoteConflict(
                    Note.objects.get(learner_id=learner_id, technology_slug=technology_slug)
                ) from None
        note.text = text
        note.version = current + 1
        note.save(update_fields=["text", "version", "updated"])
    return note
