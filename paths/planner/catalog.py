"""From the catalog document (catalog/document.py) to the planner's indexed catalog.

`catalog_from_document()` runs once per catalog version: it checks the document's references,
indexes it, and ranks every technology in one topological order of the whole catalog, which
rule 5's depths rely on (so a plan never pays for a sorter of its own).
"""

from __future__ import annotations

from collections import defaultdict
from types import MappingProxyType

from catalog import graph
from catalog.document import CatalogDocument, as_document
from paths.planner.types import PlannerCatalog


def catalog_from_document(document: CatalogDocument | dict) -> PlannerCatalog:
    """Index a catalog document for the planner (a plain mapping is validated first).

    Raises ValueError when the document refers to a technology or question it does not have,
    or when its prerequisites form a cycle (graphlib.CycleError is a ValueError).
    """
    document = as_document(document)
    technology_by_slug = {technology.slug: technology for technology in document.technologies}

    def require_technologies(slugs: tuple[str, ...], place: str) -> None:
        for slug in slugs:
            if slug not in technology_by_slug:
                raise ValueError(f"{place} names an unknown technology {slug!r}.")

    edges = {}
    for technology in document.technologies:
        place = f"Technology {technology.slug!r}"
        edges[technology.slug] = [link.technology for link in technology.prerequisites]
        require_technologies(tuple(edges[technology.slug]), place)
        require_technologies(technology.alternatives, place)
    for question in document.questions:
        for choice in question.choices:
            place = f"Question {question.slug!r}"
            require_technologies(tuple(rec.technology for rec in choice.recommends), place)
            require_technologies(choice.knows, place)
    projects_by_technology: dict[str, list[int]] = defaultdict(list)
    for index, project in enumerate(document.projects):
        require_technologies(project.uses, f"Project {project.slug!r}")
        for slug in dict.fromkeys(project.uses):
            projects_by_technology[slug].append(index)

    return PlannerCatalog(
        document=document,
        technology_by_slug=MappingProxyType(technology_by_slug),
        question_by_slug=MappingProxyType(
            {question.slug: question for question in document.questions}
        ),
        # Plain dicts, read-only by convention: the planner's sort keys look them up per step,
        # and a mappingproxy lookup costs twice a dict's.
        position={technology.slug: index for index, technology in enumerate(document.technologies)},
        rank={slug: index for index, slug in enumerate(graph.topological_order(edges))},
        projects_by_technology=MappingProxyType(
            {slug: tuple(indexes) for slug, indexes in projects_by_technology.items()}
        ),
    )
