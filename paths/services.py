"""Writes of the paths app: learners, saved paths and progress."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from paths.catalog_cache import CatalogBundle, get_catalog_bundle
from paths.models import Learner, LearningPath, Progress, ProgressStatus
from paths.planner import build_plan, validate_answers, visible_questions
from paths.snapshots import plan_snapshot

TOKEN_BYTES = 24  # 192 bits: a path's link is its only key


def learner_create() -> Learner:
    """A new learner with no account yet."""
    return Learner.objects.create()


def _path_name(bundle: CatalogBundle, answers: Mapping[str, Sequence[str]]) -> str:
    """A short name from the first question's chosen labels ("A website, Little tools")."""
    visible = visible_questions(bundle.planner, answers)
    if not visible:
        return "Learning path"
    chosen = set(answers.get(visible[0].slug, ()))
    labels = [choice.label for choice in visible[0].choices if choice.slug in chosen]
    name = ", ".join(labels) or "Learning path"
    return name if len(name) <= 200 else name[:199] + "…"


def path_create(
    *,
    learner: Learner,
    answers: Mapping[str, Sequence[str]],
    known: Sequence[str],
    hours_per_week: int,
    bundle: CatalogBundle | None = None,
) -> LearningPath:
    """Plan and save a path under a new unguessable token.

    Raises ValidationError (keyed "answers", "known", "hours_per_week") for input the planner
    refuses. Only the answers of visible questions are kept.
    """
    bundle = bundle or get_catalog_bundle()
    catalog = bundle.planner
    answers = {key: list(value) for key, value in answers.items()}
    known = list(dict.fromkeys(known))
    errors = validate_answers(catalog, answers, known, hours_per_week)
    if errors:
        raise ValidationError(errors)
    answers = {
        question.slug: answers[question.slug] for question in visible_questions(catalog, answers)
    }
    plan = build_plan(catalog, answers, known, hours_per_week)
    path = LearningPath(
        token=secrets.token_urlsafe(TOKEN_BYTES),
        learner=learner,
        name=_path_name(bundle, answers),
        answers=answers,
        known=known,
        hours_per_week=hours_per_week,
        snapshot=plan_snapshot(plan, bundle),
        catalog_version=bundle.version,
    )
    # The database enforces the token's uniqueness, the hours' range and the learner's row;
    # validating the fields here spares the three look-ups full_clean() would add for those.
    path.full_clean(exclude=["learner", "token"], validate_constraints=False)
    with transaction.atomic():
        path.save()
    return path


def progress_set(*, learner_id: uuid.UUID, technology_slug: str, status: str) -> Progress:
    """Record a learner's status for a technology (one row per learner and technology).

    update_or_create inside a transaction: two tabs marking different steps at once both win,
    and the unique constraint settles two tabs marking the same step.
    """
    if status not in ProgressStatus.values:
        raise ValidationError({"status": f"Unknown status {status[:20]!r}."})
    with transaction.atomic():
        progress, _ = Progress.objects.update_or_create(
            learner_id=learner_id,
            technology_slug=technology_slug,
            defaults={"status": status},
        )
    return progress
