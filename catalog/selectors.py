"""Reads of the catalog: each runs a fixed number of queries whatever the catalog's size."""

from __future__ import annotations

from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count

from catalog.models import (
    Alternative,
    Category,
    Choice,
    Prerequisite,
    Project,
    ProjectUse,
    Question,
    Recommendation,
    Resource,
    Technology,
    TechnologyCategory,
)
from catalog.versioning import current_version


def home_categories() -> list[Category]:
    """Categories in display order, each with `technology_count`."""
    return list(Category.objects.annotate(technology_count=Count("technologies")))


def build_document() -> dict:
    """The whole catalog as the normalized document (docs/catalog-document.md)."""
    categories = [
        {"slug": slug, "name": name, "summary": summary}
        for slug, name, summary in Category.objects.values_list("slug", "name", "summary")
    ]
    tech_rows = list(
        Technology.objects.values_list(
            "id",
            "slug",
            "name",
            "kind",
            "level",
            "summary",
            "highlights",
            "checkpoints",
            "effort_hours",
            "homepage",
        )
    )
    slug_of = {row[0]: row[1] for row in tech_rows}

    categories_of: dict[int, list[str]] = defaultdict(list)
    for tech_id, category_slug in TechnologyCategory.objects.order_by(
        "technology_id", "position", "id"
    ).values_list("technology_id", "category__slug"):
        categories_of[tech_id].append(category_slug)

    prerequisites_of: dict[int, list[dict]] = defaultdict(list)
    for tech_id, requires_id, why in Prerequisite.objects.order_by(
        "technology_id", "position", "id"
    ).values_list("technology_id", "requires_id", "why"):
        prerequisites_of[tech_id].append({"technology": slug_of[requires_id], "why": why})

    alternatives_of: dict[int, list[str]] = defaultdict(list)
    for tech_id, alternative_id in Alternative.objects.order_by(
        "technology_id", "position", "id"
    ).values_list("technology_id", "alternative_id"):
        alternatives_of[tech_id].append(slug_of[alternative_id])

    resources_of: dict[int, list[dict]] = defaultdict(list)
    for tech_id, title, url, kind in Resource.objects.order_by(
        "technology_id", "position", "id"
    ).values_list("technology_id", "title", "url", "kind"):
        resources_of[tech_id].append({"title": title, "url": url, "kind": kind})

    technologies = [
        {
            "slug": slug,
            "name": name,
            "kind": kind,
            "level": level,
            "categories": categories_of[tech_id],
            "summary": summary,
            "highlights": list(highlights or []),
            "checkpoints": list(checkpoints or []),
            "effort_hours": effort_hours,
            "prerequisites": prerequisites_of[tech_id],
            "alternatives": alternatives_of[tech_id],
            "homepage": homepage,
            "resources": resources_of[tech_id],
        }
        for (
            tech_id,
            slug,
            name,
            kind,
            level,
            summary,
            highlights,
            checkpoints,
            effort_hours,
            homepage,
        ) in tech_rows
    ]

    uses_of: dict[int, list[str]] = defaultdict(list)
    for project_id, tech_id in ProjectUse.objects.order_by(
        "project_id", "position", "id"
    ).values_list("project_id", "technology_id"):
        uses_of[project_id].append(slug_of[tech_id])
    projects = [
        {"slug": slug, "title": title, "brief": brief, "uses": uses_of[project_id]}
        for project_id, slug, title, brief in Project.objects.values_list(
            "id", "slug", "title", "brief"
        )
    ]

    question_rows = list(
        Question.objects.values_list("id", "slug", "prompt", "help", "kind", "show_if_question_id")
    )
    question_slug_of = {row[0]: row[1] for row in question_rows}
    choice_rows = list(
        Choice.objects.order_by("question__position", "question_id", "position", "id").values_list(
            "id", "question_id", "slug", "label"
        )
    )
    choice_slug_of = {row[0]: row[2] for row in choice_rows}
    any_of: dict[int, list[str]] = defaultdict(list)
    for question_id, choice_id in (
        Question.show_if_choices.through.objects.order_by("choice__position", "choice_id")
        .values_list("question_id", "choice_id")
    ):
        any_of[question_id].append(choice_slug_of[choice_id])
    recommends_of: dict[int, list[dict]] = defaultdict(list)
    for choice_id, tech_id, weight, because in Recommendation.objects.order_by(
        "choice_id", "position", "id"
    ).values_list("choice_id", "technology_id", "weight", "because"):
        recommends_of[choice_id].append(
            {"technology": slug_of[tech_id], "weight": weight, "because": because}
        )
    knows_of: dict[int, list[str]] = defaultdict(list)
    for choice_id, tech_id in Choice.knows.through.objects.order_by(
        "choice_id", "technology__position", "technology__slug"
    ).values_list("choice_id", "technology_id"):
        knows_of[choice_id].append(slug_of[tech_id])
    choices_of: dict[int, list[dict]] = defaultdict(list)
    for choice_id, question_id, slug, label in choice_rows:
        choices_of[question_id].append(
            {
                "slug": slug,
                "label": label,
                "recommends": recommends_of[choice_id],
                "knows": knows_of[choice_id],
            }
        )
    questions = [
        {
            "slug": slug,
            "prompt": prompt,
            "help": help_text,
            "kind": kind,
            "show_if": (
                {"question": question_slug_of[show_if_id], "any_of": any_of[question_id]}
                if show_if_id is not None
                else None
            ),
            "choices": choices_of[question_id],
        }
        for question_id, slug, prompt, help_text, kind, show_if_id in question_rows
    ]
    return {
        "version": 1,
        "categories": categories,
        "technologies": technologies,
        "projects": projects,
        "questions": questions,
    }


def catalog_document() -> tuple[int, dict]:
    """The catalog version and its document, cached per version in the shared cache."""
    version, _ = current_version()
    key = f"catalog:document:{version}"
    document = cache.get(key)
    if document is None:
        document = build_document()
        cache.set(key, document, timeout=None)
    return version, document
