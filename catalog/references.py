"""What refers to what in a catalog: slugs unique and existing, ``show_if`` only to earlier
questions, no prerequisite cycles.

No Django. It reads the plain data as the YAML reader built it, not the validated models,
so that these errors come together with the shape's (catalog/document.py) in one report even
when the shape is wrong somewhere: whatever does not have its shape here (not a list, not a
mapping, not text) is skipped, the shape check reports it. A section that is not a list is
one error there, and nothing is checked against it here.
"""

from __future__ import annotations

from collections.abc import Mapping

from catalog.graph import cycles
from catalog.schema_errors import Path, Reporter
from catalog.search import words

_OWN_ROLES = {"prerequisites": "prerequisite", "alternatives": "alternative"}
_CYCLE_BUDGET = 100  # cycles spelled out per file; each costs a pass over its component

Known = Mapping[str, object] | None  # slug → anything; None: the section is unusable


def check_references(data: dict, report: Reporter) -> None:
    """Report every reference problem of a catalog mapping through ``report``."""
    categories = _first_indexes(_items(data, "categories"))
    technologies = _first_indexes(_items(data, "technologies"))
    known_categories = categories if isinstance(data.get("categories"), list) else None
    known_technologies = technologies if isinstance(data.get("technologies"), list) else None
    checker = _References(report)
    checker.unique_slugs(_items(data, "categories"), ("categories",), categories, "category")
    checker.technologies(_items(data, "technologies"), technologies, known_categories)
    checker.projects(_items(data, "projects"), known_technologies)
    checker.questions(_items(data, "questions"), known_technologies)


def _items(mapping: object, key: str) -> list:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, list) else []


def _slug(value: object) -> str:
    """The stripped slug, or "" when value is not text (the shape check reports that)."""
    return value.strip() if isinstance(value, str) else ""


def _first_indexes(items: list) -> dict[str, int]:
    """Slug → index of its first item (lets references look ahead).

    Malformed slugs count too: their one error is at the definition, not at each use.
    """
    indexes: dict[str, int] = {}
    for index, item in enumerate(items):
        if isinstance(item, dict) and (slug := _slug(item.get("slug"))):
            indexes.setdefault(slug, index)
    return indexes


class _References:
    def __init__(self, report: Reporter) -> None:
        self.report = report

    def unique_slugs(self, items: list, path: Path, first: dict[str, int], noun: str) -> None:
        """Report each item whose slug an earlier item already has."""
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            slug = _slug(item.get("slug"))
            earlier = first.get(slug)
            if slug and earlier is not None and earlier != index:
                self.report.error(
                    (*path, index, "slug"),
                    f"duplicate {noun} slug '{slug}' ({self.report.where((*path, earlier))})",
                )

    def slugs(
        self, mapping: dict, key: str, path: Path, known: Known, noun: str, own_slug: str = ""
    ) -> None:
        """A list of slugs naming members of known, each once."""
        seen: set[str] = set()
        for index, value in enumerate(_items(mapping, key)):
            self.slug(value, (*path, key, index), known, noun, seen, own_slug)

    def slug(
        self,
        value: object,
        path: Path,
        known: Known,
        noun: str,
        seen: set[str],
        own_slug: str = "",
    ) -> str:
        """One slug naming a member of known, not listed before (seen) and not own_slug."""
        slug = _slug(value)
        if not slug:
            return ""
        if slug in seen:
            self.report.error(path, f"{noun} '{slug}' is listed twice")
            return ""
        seen.add(slug)
        if own_slug and slug == own_slug:
            role = next(part for part in reversed(path) if part in _OWN_ROLES)
            self.report.error(
                path, f"'{slug}' is this technology itself; it cannot be its own {_OWN_ROLES[role]}"
            )
            return ""
        if known is not None and slug not in known:
            self.report.error(path, self.report.unknown(noun, slug, known))
            return ""
        return slug

    def technologies(self, items: list, first: dict[str, int], categories: Known) -> None:
        self.unique_slugs(items, ("technologies",), first, "technology")
        # slug → its prerequisite slugs, and where each stands in its list, for the cycle check
        graph: dict[str, list[str]] = {}
        places: dict[str, list[int]] = {}
        for index, mapping in enumerate(items):
            if not isinstance(mapping, dict):
                continue
            path = ("technologies", index)
            slug = _slug(mapping.get("slug"))
            self.slugs(mapping, "categories", path, categories, "category")
            self.slugs(mapping, "alternatives", path, first, "technology", own_slug=slug)
            requires, indexes = self.prerequisites(mapping, path, first, slug)
            if slug and first.get(slug) == index:
                graph[slug] = requires
                places[slug] = indexes
        self.cycles(graph, places, first)
        self.aliases(items)

    def aliases(self, items: list) -> None:
        """Each alias is a name no other technology goes by, listed once, found by a search.

        Compared as the search compares them (case, accents and punctuation folded), so "K8s"
        and "k8s" clash; an alias equal to its own technology's name is only a repeat.
        """
        owner: dict[str, tuple[int, str]] = {}  # folded name or slug → (index, what it is)
        for index, mapping in enumerate(items):
            if isinstance(mapping, dict):
                for key in ("name", "slug"):
                    if isinstance(mapping.get(key), str) and (folded := words(mapping[key])):
                        owner.setdefault(folded, (index, key))
        for index, mapping in enumerate(items):
            if not isinstance(mapping, dict):
                continue
            seen: set[str] = set()
            for position, alias in enumerate(_items(mapping, "aliases")):
                if not isinstance(alias, str) or not alias.strip():
                    continue  # the shape check reports it
                where: Path = ("technologies", index, "aliases", position)
                folded = words(alias)
                if not folded:
                    self.report.error(
                        where, f"alias '{alias}' has no letter or digit, so no search finds it"
                    )
                    continue
                if folded in seen:
                    self.report.error(where, f"alias '{alias}' is listed twice")
                    continue
                seen.add(folded)
                other, what = owner.setdefault(folded, (index, "alias"))
                if other == index and what != "alias":
                    self.report.error(where, f"alias '{alias}' is this technology's own {what}")
                elif other != index:
                    self.report.error(
                        where,
                        f"alias '{alias}' is already the {what} of "
                        f"{self.report.where(('technologies', other))}",
                    )

    def prerequisites(
        self, mapping: dict, path: Path, known: dict[str, int], own_slug: str
    ) -> tuple[list[str], list[int]]:
        """The valid prerequisite slugs, and the index of each in the list."""
        requires: list[str] = []
        indexes: list[int] = []
        seen: set[str] = set()
        for index, item in enumerate(_items(mapping, "prerequisites")):
            where: Path = (*path, "prerequisites", index)
            if isinstance(item, dict):
                value, where = item.get("technology"), (*where, "technology")
            else:
                value = item
            slug = self.slug(value, where, known, "technology", seen, own_slug)
            if slug:
                requires.append(slug)
                indexes.append(index)
        return requires, indexes

    def cycles(
        self, graph: dict[str, list[str]], places: dict[str, list[int]], first: dict[str, int]
    ) -> None:
        """Report each prerequisite cycle once, spelled out from its smallest slug
        (catalog.graph.cycles), at that slug's prerequisite that starts it."""
        found = cycles(graph, limit=_CYCLE_BUDGET + 1)
        for cycle in found[:_CYCLE_BUDGET]:
            start = cycle[0]
            first_edge = places[start][graph[start].index(cycle[1])]
            self.report.error(
                ("technologies", first[start], "prerequisites", first_edge),
                f"prerequisites form a cycle: {' → '.join(cycle)} (each needs the next)",
            )
        if len(found) > _CYCLE_BUDGET:
            self.report.error(
                ("technologies",), f"more prerequisite cycles than the {_CYCLE_BUDGET} shown"
            )

    def projects(self, items: list, technologies: Known) -> None:
        self.unique_slugs(items, ("projects",), _first_indexes(items), "project")
        for index, mapping in enumerate(items):
            if isinstance(mapping, dict):
                self.slugs(mapping, "uses", ("projects", index), technologies, "technology")

    def questions(self, items: list, technologies: Known) -> None:
        first = _first_indexes(items)
        self.unique_slugs(items, ("questions",), first, "question")
        choices_of: dict[str, dict[str, int]] = {}  # question slug → its choices
        for index, mapping in enumerate(items):
            if not isinstance(mapping, dict):
                continue
            path = ("questions", index)
            slug = _slug(mapping.get("slug"))
            self.show_if(mapping, path, index, slug, first, choices_of)
            choices = _items(mapping, "choices")
            choice_indexes = _first_indexes(choices)
            self.unique_slugs(choices, (*path, "choices"), choice_indexes, "choice")
            for choice_index, choice in enumerate(choices):
                if not isinstance(choice, dict):
                    continue
                where = (*path, "choices", choice_index)
                seen: set[str] = set()
                for number, recommendation in enumerate(_items(choice, "recommends")):
                    if isinstance(recommendation, dict):
                        self.slug(
                            recommendation.get("technology"),
                            (*where, "recommends", number, "technology"),
                            technologies,
                            "technology",
                            seen,
                        )
                self.slugs(choice, "knows", where, technologies, "technology")
            if slug and first.get(slug) == index and isinstance(mapping.get("choices"), list):
                choices_of[slug] = choice_indexes

    def show_if(
        self,
        mapping: dict,
        path: Path,
        index: int,
        own_slug: str,
        questions: dict[str, int],
        choices_of: dict[str, dict[str, int]],
    ) -> None:
        show_if = mapping.get("show_if")
        if not isinstance(show_if, dict):
            return
        where = (*path, "show_if")
        question = _slug(show_if.get("question"))
        choices: dict[str, int] | None = None  # None: the question is unusable, skip any_of names
        if question:
            question_path = (*where, "question")
            if question == own_slug:
                self.report.error(question_path, "a question cannot depend on itself")
            elif question not in questions:
                earlier = {slug: i for slug, i in questions.items() if i < index}
                self.report.error(question_path, self.report.unknown("question", question, earlier))
            elif questions[question] > index:
                self.report.error(
                    question_path,
                    f"show_if can only name an earlier question; '{question}' is asked later "
                    f"({self.report.where(('questions', questions[question]))})",
                )
            else:
                choices = choices_of.get(question)
        self.slugs(show_if, "any_of", where, choices, "choice")
