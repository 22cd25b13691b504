"""From a normalized catalog document (docs/catalog-document.md) to the planner's catalog.

`catalog_from_document()` runs once per catalog version: it checks the document's references,
indexes it, and ranks every technology in one topological order of the whole catalog, which
rule 5's depths rely on (so a plan never pays for a sorter of its own).
"""

from __future__ import annotations

from collections import defaultdict
from types import MappingProxyType

from catalog import graph
from paths.planner.types import (
    Choice,
    PlannerCatalog,
    Prerequisite,
    Project,
    Question,
    Recommendation,
    ShowIf,
    Technology,
)


def catalog_from_document(document: dict) -> PlannerCatalog:
    """Build the planner's immutable, indexed catalog from a normalized catalog document.

    Raises ValueError when the document refers to a technology or question it does not have,
    or when its prerequisites form a cycle (graphlib.CycleError is a ValueError).
    """
    technology_documents = document["technologies"]
    slugs = {item["slug"] for item in technology_documents}

    def require_technology(slug: str, place: str) -> str:
        if slug not in slugs:
            raise ValueError(f"{place} names an unknown technology {slug!r}.")
        return slug

    prerequisites_of = {
        item["slug"]: tuple(
            Prerequisite(
                require_technology(link["technology"], f"Technology {item['slug']!r}"),
                link.get("why") or "",
            )
            for link in item.get("prerequisites") or ()
        )
        for item in technology_documents
    }
    edges = {slug: [link.technology for link in links] for slug, links in prerequisites_of.items()}
    rank = {slug: index for index, slug in enumerate(graph.topological_order(edges))}

    technologies = tuple(
        Technology(
            slug=item["slug"],
            name=item["name"],
            kind=item["kind"],
            level=item["level"],
            summary=item.get("summary") or "",
            categories=tuple(item.get("categories") or ()),
            effort_hours=item["effort_hours"],
            checkpoints=tuple(item.get("checkpoints") or ()),
            prerequisites=prerequisites_of[item["slug"]],
            alternatives=tuple(
                require_technology(slug, f"Technology {item['slug']!r}")
                for slug in item.get("alternatives") or ()
            ),
            position=position,
            rank=rank[item["slug"]],
        )
        for position, item in enumerate(technology_documents)
    )

    questions = []
    for item in document.get("questions") or ():
        place = f"Question {item['slug']!r}"
        show_if = item.get("show_if")
        choices = tuple(
            Choice(
                slug=choice["slug"],
                label=choice["label"],
                recommends=tuple(
                    Recommendation(
                        require_technology(rec["technology"], place),
                        rec["weight"],
                        rec.get("because") or "",
                    )
                    for rec in choice.get("recommends") or ()
                ),
                knows=tuple(require_technology(slug, place) for slug in choice.get("knows") or ()),
            )
            for choice in item["choices"]
        )
        questions.append(
            Question(
                slug=item["slug"],
                prompt=item["prompt"],
                help=item.get("help") or "",
                kind=item["kind"],
                show_if=(
                    ShowIf(show_if["question"], frozenset(show_if["any_of"])) if show_if else None
                ),
                choices=choices,
                choice_slugs=tuple(choice.slug for choice in choices),
            )
        )

    projects = tuple(
        Project(
            slug=item["slug"],
            title=item["title"],
            brief=item.get("brief") or "",
            uses=tuple(
                require_technology(slug, f"Project {item['slug']!r}") for slug in item["uses"]
            ),
            position=position,
        )
        for position, item in enumerate(document.get("projects") or ())
    )
    projects_by_technology: dict[str, list[int]] = defaultdict(list)
    for index, project in enumerate(projects):
        for slug in dict.fromkeys(project.uses):
            projects_by_technology[slug].append(index)

    return PlannerCatalog(
        technologies=technologies,
        technology_by_slug=MappingProxyType({tech.slug: tech for tech in technologies}),
        questions=tuple(questions),
        question_by_slug=MappingProxyType({question.slug: question for question in questions}),
        projects=projects,
        projects_by_technology=MappingProxyType(
            {slug: tuple(indexes) for slug, indexes in projects_by_technology.items()}
        ),
    )
