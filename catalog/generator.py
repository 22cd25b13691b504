"""Synthetic catalogs of any size, for benchmarks, query-count tests and `generate_catalog`.

`generate_document()` returns a valid normalized catalog document (docs/catalog-document.md)
that depends only on its arguments: the same size and seed give the same document.
"""

from __future__ import annotations

import random

from catalog.document import KINDS, LEVELS, RESOURCE_KINDS

WEIGHTS = (-3, -2, -1, 1, 2, 3, 4, 5)

# How many prerequisites a technology gets, with these odds: 1.5 on average.
_PREREQUISITE_COUNTS = (0, 1, 2, 3)
_PREREQUISITE_ODDS = (15, 35, 35, 15)

# (slug, kind, number of choices, index of the question its show_if names or None)
_QUESTIONS = (
    ("goal", "single", 4, None),
    ("build", "multiple", 5, 0),
    ("experience", "single", 3, None),
    ("data", "multiple", 4, 1),
    ("deploy", "single", 3, 3),
    ("team", "single", 3, None),
    ("extras", "multiple", 5, 2),
)


def technology_slug(index: int) -> str:
    """The slug of the generated technology number `index` (0-based)."""
    return f"tech-{index:05d}"


def generate_document(technologies: int, *, seed: int = 0, compact: bool = False) -> dict:
    """A valid, deterministic normalized catalog document with `technologies` technologies.

    4 to 8 categories; about 1.5 prerequisites per technology, each towards a lower index (so
    the graph is acyclic), some with a `why`; some alternatives; 1 or 2 resources each; about
    technologies / 50 projects (at least 2); 7 questions with `show_if` chains whose choices
    recommend technologies spread over the whole catalog (weights -3..5, never 0) and imply
    a few known ones.

    With `compact`, the same graph, kinds, levels, hours, projects and questions in leaner
    text, so that 10,000 technologies dump to under 2,000,000 bytes (the loader refuses files
    over 2 MiB): short category slugs, names and summaries, one category per technology, and
    highlights, checkpoints, a homepage, a resource and the reasons of prerequisites only on
    one technology in 50. The required keys alone take about 190 bytes per technology in
    the canonical dump, so no generator fits much more than 10,000 technologies in 2 MiB.
    """
    if technologies < 1:
        raise ValueError("A catalog needs at least one technology.")
    rng = random.Random(seed)
    slugs = [technology_slug(index) for index in range(technologies)]

    category_prefix = "cat" if compact else "category"
    categories = [
        {
            "slug": f"{category_prefix}-{number}",
            "name": f"Category {number}",
            "summary": f"Generated category number {number}.",
        }
        for number in range(1, rng.randint(4, 8) + 1)
    ]
    category_slugs = [category["slug"] for category in categories]

    technology_documents = []
    for index, slug in enumerate(slugs):
        count = min(index, rng.choices(_PREREQUISITE_COUNTS, _PREREQUISITE_ODDS)[0])
        prerequisite_indexes: list[int] = []
        while len(prerequisite_indexes) < count:
            # Half the links stay close (chains of related topics), half reach foundations.
            if rng.random() < 0.5:
                candidate = rng.randrange(max(0, index - 20), index)
            else:
                candidate = int(index * rng.random() ** 2)
            if candidate not in prerequisite_indexes:
                prerequisite_indexes.append(candidate)
        alternatives = []
        if technologies > 1 and rng.random() < 0.1:
            candidate = rng.randrange(technologies)
            if candidate != index and candidate not in prerequisite_indexes:
                alternatives.append(slugs[candidate])
        level = LEVELS[min(2, int(3 * index / technologies + rng.random() - 0.5))]
        # Every draw is made in the same order in both forms, so the compact form has the
        # same graph, kinds, levels and hours as the full one, only leaner text.
        kind = rng.choice(KINDS)
        technology_categories = rng.sample(category_slugs, rng.randint(1, 2))
        highlight_count = rng.randint(0, 2)
        checkpoint_count = rng.randint(0, 2)
        effort_hours = rng.randint(2, 80)
        reasons = [rng.random() < 0.3 for _ in prerequisite_indexes]
        has_homepage = rng.random() < 0.5
        resource_kinds = [rng.choice(RESOURCE_KINDS) for _ in range(rng.randint(1, 2))]
        if compact:
            technology_documents.append(
                _compact_technology(
                    index,
                    slugs,
                    kind=kind,
                    level=level,
                    categories=technology_categories[:1],
                    effort_hours=effort_hours,
                    prerequisite_indexes=prerequisite_indexes,
                    reasons=reasons,
                    alternatives=alternatives,
                    resource_kinds=resource_kinds,
                )
            )
            continue
        technology_documents.append(
            {
                "slug": slug,
                "name": f"Technology {index}",
                "kind": kind,
                "level": level,
                "categories": technology_categories,
                "summary": f"Generated technology number {index}.",
                "highlights": [f"Highlight {number}" for number in range(highlight_count)],
                "aliases": [],
                "checkpoints": [
                    f"Use technology {index} for task {number}."
                    for number in range(checkpoint_count)
                ],
                "effort_hours": effort_hours,
                "prerequisites": [
                    {
                        "technology": slugs[prerequisite],
                        "why": (
                            f"Technology {index} builds on technology {prerequisite}."
                            if reason
                            else ""
                        ),
                    }
                    for prerequisite, reason in zip(prerequisite_indexes, reasons, strict=True)
                ],
                "alternatives": alternatives,
                "homepage": f"https://example.com/{slug}/" if has_homepage else "",
                "resources": [
                    {
                        "title": f"Resource {number} for technology {index}",
                        "url": f"https://example.com/{slug}/resource-{number}",
                        "kind": resource_kind,
                    }
                    for number, resource_kind in enumerate(resource_kinds, start=1)
                ],
            }
        )

    projects = [
        {
            "slug": f"project-{number:04d}",
            "title": f"Project {number}",
            "brief": f"Generated practice project number {number}.",
            "uses": [
                slugs[index]
                for index in sorted(
                    rng.sample(range(technologies), min(technologies, rng.randint(1, 3)))
                )
            ],
        }
        for number in range(1, max(2, technologies // 50) + 1)
    ]

    questions = []
    for slug, kind, choice_count, shown_after in _QUESTIONS:
        choices = []
        for number in range(1, choice_count + 1):
            recommended = rng.sample(range(technologies), min(technologies, rng.randint(2, 6)))
            others = [index for index in range(min(technologies, 10)) if index not in recommended]
            knows = sorted(rng.sample(others, min(len(others), rng.randint(0, 2))))
            choices.append(
                {
                    "slug": f"{slug}-{number}",
                    "label": f"Answer {number} to {slug}",
                    "recommends": [
                        {
                            "technology": slugs[index],
                            "weight": rng.choice(WEIGHTS),
                            "because": f"Answer {number} to {slug} points at technology {index}.",
                        }
                        for index in recommended
                    ],
                    "knows": [slugs[index] for index in knows],
                }
            )
        show_if = None
        if shown_after is not None:
            parent_slug, _, parent_count, _ = _QUESTIONS[shown_after]
            any_of = sorted(
                rng.sample(range(1, parent_count + 1), rng.randint(1, parent_count - 1))
            )
            show_if = {
                "question": parent_slug,
                "any_of": [f"{parent_slug}-{n}" for n in any_of],
            }
        questions.append(
            {
                "slug": slug,
                "prompt": f"Generated question {slug}?",
                "help": "Pick all that apply." if kind == "multiple" else "",
                "kind": kind,
                "show_if": show_if,
                "choices": choices,
            }
        )

    return {
        "version": 1,
        "categories": categories,
        "technologies": technology_documents,
        "projects": projects,
        "questions": questions,
    }


_DETAIL_EVERY = 50  # in the compact form, one technology in 50 keeps the optional details


def _compact_technology(
    index: int,
    slugs: list[str],
    *,
    kind: str,
    level: str,
    categories: list[str],
    effort_hours: int,
    prerequisite_indexes: list[int],
    reasons: list[bool],
    alternatives: list[str],
    resource_kinds: list[str],
) -> dict:
    """A technology of the compact form: only one in _DETAIL_EVERY has the optional details."""
    slug = slugs[index]
    detailed = index % _DETAIL_EVERY == 0
    return {
        "slug": slug,
        "name": f"Tech {index}",
        "kind": kind,
        "level": level,
        "categories": categories,
        "summary": f"Topic {index}.",
        "highlights": ["Highlight"] if detailed else [],
        "aliases": [],
        "checkpoints": [f"Use tech {index}."] if detailed else [],
        "effort_hours": effort_hours,
        "prerequisites": [
            {
                "technology": slugs[prerequisite],
                "why": f"Builds on tech {prerequisite}." if detailed and reason else "",
            }
            for prerequisite, reason in zip(prerequisite_indexes, reasons, strict=True)
        ],
        "alternatives": alternatives,
        "homepage": f"https://example.com/{slug}/" if detailed else "",
        "resources": (
            [
                {
                    "title": "Guide",
                    "url": f"https://example.com/{slug}/guide",
                    "kind": resource_kinds[0],
                }
            ]
            if detailed
            else []
        ),
    }
