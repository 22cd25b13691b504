"""Reads of the catalog: each runs a fixed number of queries whatever the catalog's size."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count

from catalog import document as schema
from catalog import graph
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

# The file's order: the loader stores each entry's index as its position (slug breaks ties
# between rows a curator gave the same position). Every read below names its order, so none
# depends on Meta.ordering, which a join or a GROUP BY can silently drop.
DISPLAY_ORDER = ("position", "slug")


def home_categories() -> list[Category]:
    """Categories in display order, each with `technology_count`."""
    # Explicit: Meta.ordering is dropped from GROUP BY queries, and PostgreSQL then returns
    # the groups in hash order.
    return list(
        Category.objects.annotate(technology_count=Count("technologies")).order_by(*DISPLAY_ORDER)
    )


def build_document() -> schema.CatalogDocument:
    """The whole catalog as the catalog document (catalog/document.py, docs/catalog-document.md).

    Built with `model_construct`: the rows were validated on the way in, and a page must not
    fail because an admin edit left a value the schema would refuse (the pages make such
    values harmless themselves, e.g. a homepage that is not a web address is no link).
    """
    categories = tuple(
        schema.Category.model_construct(slug=slug, name=name, summary=summary)
        for slug, name, summary in Category.objects.order_by(*DISPLAY_ORDER).values_list(
            "slug", "name", "summary"
        )
    )
    tech_rows = list(
        Technology.objects.order_by(*DISPLAY_ORDER).values_list(
            "id",
            "slug",
            "name",
            "kind",
            "level",
            "summary",
            "highlights",
            "aliases",
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

    prerequisites_of: dict[int, list[schema.Prerequisite]] = defaultdict(list)
    for tech_id, requires_id, why in Prerequisite.objects.order_by(
        "technology_id", "position", "id"
    ).values_list("technology_id", "requires_id", "why"):
        prerequisites_of[tech_id].append(
            schema.Prerequisite.model_construct(technology=slug_of[requires_id], why=why)
        )

    alternatives_of: dict[int, list[str]] = defaultdict(list)
    for tech_id, alternative_id in Alternative.objects.order_by(
        "technology_id", "position", "id"
    ).values_list("technology_id", "alternative_id"):
        alternatives_of[tech_id].append(slug_of[alternative_id])

    resources_of: dict[int, list[schema.Resource]] = defaultdict(list)
    for tech_id, title, url, kind in Resource.objects.order_by(
        "technology_id", "position", "id"
    ).values_list("technology_id", "title", "url", "kind"):
        resources_of[tech_id].append(
            schema.Resource.model_construct(title=title, url=url, kind=kind)
        )

    technologies = tuple(
        schema.Technology.model_construct(
            slug=slug,
            name=name,
            kind=kind,
            level=level,
            categories=tuple(categories_of[tech_id]),
            summary=summary,
            highlights=tuple(highlights or ()),
            aliases=tuple(aliases or ()),
            checkpoints=tuple(checkpoints or ()),
            effort_hours=effort_hours,
            prerequisites=tuple(prerequisites_of[tech_id]),
            alternatives=tuple(alternatives_of[tech_id]),
            homepage=homepage,
            resources=tuple(resources_of[tech_id]),
        )
        for (
            tech_id,
            slug,
            name,
            kind,
            level,
            summary,
            highlights,
            aliases,
            checkpoints,
            effort_hours,
            homepage,
        ) in tech_rows
    )

    uses_of: dict[int, list[str]] = defaultdict(list)
    for project_id, tech_id in ProjectUse.objects.order_by(
        "project_id", "position", "id"
    ).values_list("project_id", "technology_id"):
        uses_of[project_id].append(slug_of[tech_id])
    projects = tuple(
        schema.Project.model_construct(
            slug=slug, title=title, brief=brief, uses=tuple(uses_of[project_id])
        )
        for project_id, slug, title, brief in Project.objects.order_by(*DISPLAY_ORDER).values_list(
            "id", "slug", "title", "brief"
        )
    )

    question_rows = list(
        Question.objects.order_by(*DISPLAY_ORDER).values_list(
            "id", "slug", "prompt", "help", "kind", "show_if_question_id"
        )
    )
    question_slug_of = {row[0]: row[1] for row in question_rows}
    choice_rows = list(
        Choice.objects.order_by("question_id", "position", "id").values_list(
            "id", "question_id", "slug", "label"
        )
    )
    choice_slug_of = {row[0]: row[2] for row in choice_rows}
    any_of: dict[int, list[str]] = defaultdict(list)
    for question_id, choice_id in Question.show_if_choices.through.objects.order_by(
        "question_id", "choice__position", "choice_id"
    ).values_list("question_id", "choice_id"):
        any_of[question_id].append(choice_slug_of[choice_id])
    recommends_of: dict[int, list[schema.Recommendation]] = defaultdict(list)
    for choice_id, tech_id, weight, because in Recommendation.objects.order_by(
        "choice_id", "position", "id"
    ).values_list("choice_id", "technology_id", "weight", "because"):
        recommends_of[choice_id].append(
            schema.Recommendation.model_construct(
                technology=slug_of[tech_id], weight=weight, because=because
            )
        )
    knows_of: dict[int, list[str]] = defaultdict(list)
    for choice_id, tech_id in Choice.knows.through.objects.order_by(
        "choice_id", "technology__position", "technology__slug", "technology_id"
    ).values_list("choice_id", "technology_id"):
        knows_of[choice_id].append(slug_of[tech_id])
    choices_of: dict[int, list[schema.Choice]] = defaultdict(list)
    for choice_id, question_id, slug, label in choice_rows:
        choices_of[question_id].append(
            schema.Choice.model_construct(
                slug=slug,
                label=label,
                recommends=tuple(recommends_of[choice_id]),
                knows=tuple(knows_of[choice_id]),
            )
        )
    questions = tuple(
        schema.Question.model_construct(
            slug=slug,
            prompt=prompt,
            help=help_text,
            kind=kind,
            show_if=(
                schema.ShowIf.model_construct(
                    question=question_slug_of[show_if_id], any_of=tuple(any_of[question_id])
                )
                if show_if_id is not None
                else None
            ),
            choices=tuple(choices_of[question_id]),
        )
        for question_id, slug, prompt, help_text, kind, show_if_id in question_rows
    )
    return schema.CatalogDocument.model_construct(
        version=1,
        categories=categories,
        technologies=technologies,
        projects=projects,
        questions=questions,
    )


def catalog_document() -> tuple[int, schema.CatalogDocument]:
    """The catalog version and its document, cached per version in the shared cache."""
    version, _ = current_version()
    key = f"catalog:document:{version}"
    document = cache.get(key)
    if document is None:
        document = build_document()
        cache.set(key, document, timeout=24 * 3600)
    return version, document


# ----------------------------------------------------------------------------------------
# Browsing: a read model of the catalog document, built once per catalog version.


@dataclass(frozen=True)
class TechnologyLink:
    """A link to a technology, with the catalog's reason when it has one."""

    slug: str
    name: str
    url: str
    why: str = ""


@dataclass(frozen=True)
class BrowseResource:
    title: str
    url: str  # "" when the address is not http(s): shown as text, never as a link
    kind: str


@dataclass(frozen=True)
class ResourceGroup:
    kind: str
    label: str
    resources: tuple[BrowseResource, ...]


@dataclass(frozen=True)
class BrowseProject:
    """A project of the catalog document (`entry`) with links to the technologies it uses."""

    entry: schema.Project
    use_links: tuple[TechnologyLink, ...]


@dataclass(frozen=True)
class BrowseTechnology:
    """A technology of the catalog document (`entry`, as it is) and what the catalog pages
    derive from it: its address, labels, first sentence, links and resource groups."""

    entry: schema.Technology
    url: str
    kind_label: str
    level_label: str
    one_line: str
    prerequisite_links: tuple[TechnologyLink, ...]
    alternative_links: tuple[TechnologyLink, ...]
    category_links: tuple[tuple[str, str], ...]  # (name, page) of each that exists, in order
    resource_groups: tuple[ResourceGroup, ...]
    position: int
    depth: int  # the longest prerequisite chain below it: 0 for a starting point

    @property
    def homepage(self) -> str:
        """The homepage when it is an http(s) address, else ""."""
        return web_address(self.entry.homepage)

    @property
    def homepage_label(self) -> str:
        """The homepage without its scheme and trailing slash, for display."""
        return self.homepage.split("://", 1)[-1].rstrip("/")


@dataclass(frozen=True)
class BrowseCategory:
    """A category of the catalog document (`entry`) with its address and its technologies."""

    entry: schema.Category
    url: str
    technologies: tuple[str, ...]  # slugs, foundations first

    @property
    def technology_count(self) -> int:
        return len(self.technologies)


RESOURCE_GROUP_LABELS = {
    "docs": "Documentation",
    "tutorial": "Tutorials",
    "course": "Courses",
    "book": "Books",
    "video": "Videos",
    "article": "Articles",
}


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def web_address(url: str) -> str:
    """`url` when it is an http(s) address, else "" (no javascript: or data: links)."""
    return url if url.lower().startswith(("https://", "http://")) else ""


def one_line(summary: str, limit: int = 120) -> str:
    """The first sentence of `summary`, cut at a word boundary when longer than `limit`."""
    text = " ".join(summary.split())
    end = text.find(". ")
    if 0 <= end < limit:
        return text[: end + 1]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


class BrowseCatalog:
    """The catalog arranged for the browse and search pages (plain data, no ORM).

    Built from the cached catalog document once per version; per-technology work (the chain
    from zero, the diagram) is done on first use and kept for the life of the version.
    """

    def __init__(
        self,
        document: schema.CatalogDocument,
        *,
        version_key: str,
        version: tuple[int, object] | None = None,
    ) -> None:
        from django.urls import reverse

        from catalog.models import ResourceKind, TechnologyKind, TechnologyLevel
        from catalog.search import SearchEntry, SearchIndex

        self.version_key = version_key
        # The catalog version this was built for (current_version()); None when it was built
        # for an edit that came in between, whose pages are not kept.
        self.version = version
        raw = document.technologies
        urls = {t.slug: reverse("catalog:technology-detail", args=[t.slug]) for t in raw}
        names = {t.slug: t.name for t in raw}
        self.prerequisite_slugs = {
            t.slug: [p.technology for p in t.prerequisites if p.technology in names] for t in raw
        }
        self.names = names
        self.urls = urls
        category_names = {c.slug: c.name for c in document.categories}
        depth = graph.depth(self.prerequisite_slugs)
        kind_labels = {kind.value: _capitalized(str(kind.label)) for kind in TechnologyKind}
        level_labels = {level.value: _capitalized(str(level.label)) for level in TechnologyLevel}
        resource_order = {kind: index for index, kind in enumerate(ResourceKind.values)}

        def link(slug: str, why: str = "") -> TechnologyLink:
            return TechnologyLink(slug=slug, name=names[slug], url=urls[slug], why=why)

        self.technologies: dict[str, BrowseTechnology] = {}
        for position, technology in enumerate(raw):
            slug = technology.slug
            grouped: dict[str, list[BrowseResource]] = {}
            for resource in technology.resources:
                grouped.setdefault(resource.kind, []).append(
                    BrowseResource(
                        title=resource.title, url=web_address(resource.url), kind=resource.kind
                    )
                )
            self.technologies[slug] = BrowseTechnology(
                entry=technology,
                url=urls[slug],
                kind_label=kind_labels.get(technology.kind, technology.kind),
                level_label=level_labels.get(technology.level, technology.level),
                one_line=one_line(technology.summary),
                category_links=tuple(
                    (category_names[c], reverse("catalog:category-detail", args=[c]))
                    for c in technology.categories
                    if c in category_names
                ),
                prerequisite_links=tuple(
                    link(p.technology, p.why)
                    for p in technology.prerequisites
                    if p.technology in names
                ),
                alternative_links=tuple(link(s) for s in technology.alternatives if s in names),
                resource_groups=tuple(
                    ResourceGroup(
                        kind=kind,
                        label=RESOURCE_GROUP_LABELS.get(kind, _capitalized(kind)),
                        resources=tuple(resources),
                    )
                    for kind, resources in sorted(
                        grouped.items(), key=lambda item: resource_order.get(item[0], 99)
                    )
                ),
                position=position,
                depth=depth[slug],
            )

        def foundations_first(slugs: list[str]) -> tuple[str, ...]:
            technologies = self.technologies
            return tuple(
                sorted(slugs, key=lambda s: (technologies[s].depth, technologies[s].position))
            )

        members: dict[str, list[str]] = {c.slug: [] for c in document.categories}
        for slug, technology in self.technologies.items():
            for category in technology.entry.categories:
                if category in members:
                    members[category].append(slug)
        self.everything = foundations_first(list(self.technologies))  # each technology once
        self.categories = tuple(
            BrowseCategory(
                entry=c,
                url=reverse("catalog:category-detail", args=[c.slug]),
                technologies=foundations_first(members[c.slug]),
            )
            for c in document.categories
        )
        self.category_by_slug = {category.entry.slug: category for category in self.categories}

        why = {
            (slug, prerequisite.slug): prerequisite.why
            for slug, technology in self.technologies.items()
            for prerequisite in technology.prerequisite_links
        }
        self.unlocks = {
            slug: tuple(link(dependent, why[dependent, slug]) for dependent in dependents)
            for slug, dependents in graph.dependents(self.prerequisite_slugs).items()
        }

        projects: dict[str, list[BrowseProject]] = {slug: [] for slug in self.technologies}
        for project in document.projects:
            entry = BrowseProject(
                entry=project, use_links=tuple(link(s) for s in project.uses if s in names)
            )
            for used in entry.use_links:
                projects[used.slug].append(entry)
        self.projects = {slug: tuple(items) for slug, items in projects.items()}

        self.kinds = tuple(kind_labels.items())
        self.levels = tuple(level_labels.items())
        self.search_index = SearchIndex(
            entries=tuple(
                SearchEntry.build(
                    slug=t.entry.slug,
                    name=t.entry.name,
                    summary=t.entry.summary,
                    highlights=t.entry.highlights,
                    position=t.position,
                    aliases=t.entry.aliases,
                    categories=[category_names.get(c, "") for c in t.entry.categories],
                )
                for t in self.technologies.values()
            )
        )
        self._chains: dict[str, tuple[TechnologyLink, ...]] = {}
        self._diagrams: dict[str, object] = {}
        self._link = link

    def chain(self, slug: str) -> tuple[TechnologyLink, ...]:
        """Everything `slug` needs, transitively, in a learnable order, ending with `slug`.

        catalog.graph.ancestors: depth first through the prerequisites in their order, so
        every technology comes after all of its prerequisites (a cycle is not followed).
        """
        if slug not in self._chains:
            order = [*graph.ancestors(self.prerequisite_slugs, slug), slug]
            self._chains[slug] = tuple(self._link(s) for s in order)
        return self._chains[slug]

    def diagram(self, slug: str):
        """The prerequisite diagram of `slug` (catalog.diagrams.Diagram), drawn once."""
        from catalog.diagrams import prerequisite_diagram

        if slug not in self._diagrams:
            self._diagrams[slug] = prerequisite_diagram(
                slug, prerequisites=self.prerequisite_slugs, names=self.names, urls=self.urls
            )
        return self._diagrams[slug]

    def select(
        self, slugs: Iterable[str], *, kind: str = "", level: str = "", category: str = ""
    ) -> list:
        """The technologies of `slugs`, in that order, keeping only `kind`, `level` and
        `category` (each when given)."""
        return [
            technology
            for technology in (self.technologies[slug] for slug in slugs)
            if (not kind or technology.entry.kind == kind)
            and (not level or technology.entry.level == level)
            and (not category or category in technology.entry.categories)
        ]

    def search(self, query: str, *, kind: str = "", level: str = "", category: str = ""):
        """(technologies matching `query` best first, then filtered; the catalog.search
        SearchResult, which says when a corrected spelling was searched instead)."""
        result = self.search_index.search(query)
        return self.select(result.slugs, kind=kind, level=level, category=category), result


_browse_memo: tuple[tuple[int, object], BrowseCatalog] | None = None


def catalog_version_key(version: tuple[int, object]) -> str:
    """A cache-key part naming one catalog version: its number and when it was made."""
    number, changed_at = version
    stamp = changed_at.timestamp() if changed_at is not None else 0
    return f"{number}.{stamp:.6f}"


def browse_catalog(version: tuple[int, object]) -> BrowseCatalog:
    """The browse read model for `version` (from catalog.versioning.current_version()).

    Kept in this process for as long as the version is current, so a page needs no query
    beyond the version check; the first request of a version reads the cached document.
    The key includes the version's timestamp, so a database that was reset and counts
    versions from 1 again never gets an old catalog.
    """
    global _browse_memo
    memo = _browse_memo
    if memo is not None and memo[0] == version:
        return memo[1]
    number, document = catalog_document()
    if number != version[0]:  # edited in between: show the newer one, keep and share nothing
        return BrowseCatalog(document, version_key=f"{number}.unshared.{uuid.uuid4().hex}")
    browse = BrowseCatalog(document, version_key=catalog_version_key(version), version=version)
    if number:
        _browse_memo = (version, browse)
    return browse


def reset_memo() -> None:
    """Forget this process's browse read model (tests start each case without it)."""
    global _browse_memo
    _browse_memo = None
