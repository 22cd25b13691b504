"""Writes to the catalog: loading a validated document in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

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
from catalog.selectors import build_document
from catalog.versioning import bump_catalog_version, bumps_suspended

SECTIONS = ("categories", "technologies", "projects", "questions")
# PostgreSQL advisory lock key: two loads at once wait for each other instead of mixing.
LOAD_LOCK_KEY = 7_301_442


@dataclass
class SectionReport:
    """What a load did (or would do) to one section of the catalog, by slug."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    sections: dict[str, SectionReport]
    dry_run: bool

    @property
    def changed(self) -> bool:
        return any(s.created or s.updated or s.deleted for s in self.sections.values())


def _diff(
    old_items: list[dict], new_items: list[dict], *, prune: bool
) -> tuple[SectionReport, set[str]]:
    """Compare by slug; position in the list counts as part of an item."""
    old = {item["slug"]: (index, item) for index, item in enumerate(old_items)}
    report = SectionReport()
    dirty: set[str] = set()
    for index, item in enumerate(new_items):
        previous = old.get(item["slug"])
        if previous is None:
            report.created.append(item["slug"])
            dirty.add(item["slug"])
        elif previous != (index, item):
            report.updated.append(item["slug"])
            dirty.add(item["slug"])
        else:
            report.unchanged.append(item["slug"])
    if prune:
        new_slugs = {item["slug"] for item in new_items}
        report.deleted = [slug for slug in old if slug not in new_slugs]
    return report, dirty


def catalog_load(*, document: dict, prune: bool = False, dry_run: bool = False) -> LoadReport:
    """Upsert a validated, normalized document by slug, all or nothing.

    With `prune`, rows the document no longer has are deleted. With `dry_run`, nothing is
    written and the report says what would change.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOAD_LOCK_KEY])
        current = build_document()
        reports: dict[str, SectionReport] = {}
        dirty: dict[str, set[str]] = {}
        for section in SECTIONS:
            reports[section], dirty[section] = _diff(
                current[section], document[section], prune=prune
            )
        report = LoadReport(sections=reports, dry_run=dry_run)
        if dry_run or not report.changed:
            return report
        with bumps_suspended():
            _write(document, dirty, reports)
        bump_catalog_version()
    return report


def _upsert(
    model: type,
    items: list[dict],
    dirty: set[str],
    fields: Callable[[dict], dict],
) -> dict[str, int]:
    """Create or update rows by slug (only the dirty ones); return slug → id for all items."""
    existing = dict(
        model.objects.filter(slug__in=[i["slug"] for i in items]).values_list("slug", "id")
    )
    to_create, to_update = [], []
    for position, item in enumerate(items):
        if item["slug"] not in dirty:
            continue
        values = {**fields(item), "position": position}
        if item["slug"] in existing:
            to_update.append(model(id=existing[item["slug"]], slug=item["slug"], **values))
        else:
            to_create.append(model(slug=item["slug"], **values))
    if to_update:
        model.objects.bulk_update(to_update, [*fields(items[0]).keys(), "position"], batch_size=500)
    for row in model.objects.bulk_create(to_create, batch_size=500):
        existing[row.slug] = row.id
    return existing


def _replace_children(
    model: type, parent_field: str, parent_ids: Iterable[int], rows: list
) -> None:
    """Delete the parents' child rows and write the new ones."""
    parent_ids = list(parent_ids)
    for start in range(0, len(parent_ids), 500):
        model.objects.filter(**{f"{parent_field}__in": parent_ids[start : start + 500]}).delete()
    model.objects.bulk_create(rows, batch_size=500)


def _write(document: dict, dirty: dict[str, set[str]], reports: dict[str, SectionReport]) -> None:
    category_ids = _upsert(
        Category,
        document["categories"],
        dirty["categories"],
        lambda c: {"name": c["name"], "summary": c["summary"]},
    )
    technologies = document["technologies"]
    tech_ids = _upsert(
        Technology,
        technologies,
        dirty["technologies"],
        lambda t: {
            "name": t["name"],
            "kind": t["kind"],
            "level": t["level"],
            "summary": t["summary"],
            "highlights": t["highlights"],
            "checkpoints": t["checkpoints"],
            "effort_hours": t["effort_hours"],
            "homepage": t["homepage"],
        },
    )
    # Relationship rows point at other technologies by slug; every slug is in the file.
    all_tech_ids = dict(Technology.objects.values_list("slug", "id"))
    all_tech_ids.update(tech_ids)
    all_category_ids = dict(Category.objects.values_list("slug", "id"))
    all_category_ids.update(category_ids)
    changed = [t for t in technologies if t["slug"] in dirty["technologies"]]
    changed_ids = [tech_ids[t["slug"]] for t in changed]
    _replace_children(
        TechnologyCategory,
        "technology_id",
        changed_ids,
        [
            TechnologyCategory(
                technology_id=tech_ids[t["slug"]],
                category_id=all_category_ids[slug],
                position=position,
            )
            for t in changed
            for position, slug in enumerate(t["categories"])
        ],
    )
    _replace_children(
        Prerequisite,
        "technology_id",
        changed_ids,
        [
            Prerequisite(
                technology_id=tech_ids[t["slug"]],
                requires_id=all_tech_ids[p["technology"]],
                why=p["why"],
                position=position,
            )
            for t in changed
            for position, p in enumerate(t["prerequisites"])
        ],
    )
    _replace_children(
        Alternative,
        "technology_id",
        changed_ids,
        [
            Alternative(
                technology_id=tech_ids[t["slug"]],
                alternative_id=all_tech_ids[slug],
                position=position,
            )
            for t in changed
            for position, slug in enumerate(t["alternatives"])
        ],
    )
    _replace_children(
        Resource,
        "technology_id",
        changed_ids,
        [
            Resource(
                technology_id=tech_ids[t["slug"]],
                title=r["title"],
                url=r["url"],
                kind=r["kind"],
                position=position,
            )
            for t in changed
            for position, r in enumerate(t["resources"])
        ],
    )

    projects = document["projects"]
    project_ids = _upsert(
        Project,
        projects,
        dirty["projects"],
        lambda p: {"title": p["title"], "brief": p["brief"]},
    )
    changed_projects = [p for p in projects if p["slug"] in dirty["projects"]]
    _replace_children(
        ProjectUse,
        "project_id",
        [project_ids[p["slug"]] for p in changed_projects],
        [
            ProjectUse(
                project_id=project_ids[p["slug"]],
                technology_id=all_tech_ids[slug],
                position=position,
            )
            for p in changed_projects
            for position, slug in enumerate(p["uses"])
        ],
    )

    if dirty["questions"] or reports["questions"].deleted:
        _write_questions(document["questions"], all_tech_ids)

    # Deletions last, children first, so nothing the file still names disappears.
    for section, model in (
        ("questions", Question),
        ("projects", Project),
        ("technologies", Technology),
        ("categories", Category),
    ):
        deleted = reports[section].deleted
        if model is Question:
            # One by one, later first: a question's show_if protects the question it names.
            for question in Question.objects.filter(slug__in=deleted).order_by("-position"):
                question.delete()
            continue
        for start in range(0, len(deleted), 500):
            model.objects.filter(slug__in=deleted[start : start + 500]).delete()


def _write_questions(questions: list[dict], tech_ids: dict[str, int]) -> None:
    """Questions are few: rewrite every question of the file with its choices and rules."""
    dirty = {q["slug"] for q in questions}
    question_ids = _upsert(
        Question,
        questions,
        dirty,
        lambda q: {"prompt": q["prompt"], "help": q["help"], "kind": q["kind"]},
    )
    # show_if is set after every question exists, since it names another question.
    Question.objects.filter(id__in=question_ids.values()).update(show_if_question=None)
    existing_choices = {
        (question_id, slug): choice_id
        for choice_id, question_id, slug in Choice.objects.filter(
            question_id__in=question_ids.values()
        ).values_list("id", "question_id", "slug")
    }
    keep: set[int] = set()
    to_create, to_update = [], []
    for question in questions:
        question_id = question_ids[question["slug"]]
        for position, choice in enumerate(question["choices"]):
            choice_id = existing_choices.get((question_id, choice["slug"]))
            row = Choice(
                id=choice_id,
                question_id=question_id,
                slug=choice["slug"],
                label=choice["label"],
                position=position,
            )
            if choice_id is None:
                to_create.append(row)
            else:
                keep.add(choice_id)
                to_update.append(row)
    Choice.objects.filter(question_id__in=question_ids.values()).exclude(id__in=keep).delete()
    Choice.objects.bulk_update(to_update, ["label", "position"], batch_size=500)
    Choice.objects.bulk_create(to_create, batch_size=500)
    choice_ids = {
        (question_id, slug): choice_id
        for choice_id, question_id, slug in Choice.objects.filter(
            question_id__in=question_ids.values()
        ).values_list("id", "question_id", "slug")
    }
    Recommendation.objects.filter(choice_id__in=choice_ids.values()).delete()
    Choice.knows.through.objects.filter(choice_id__in=choice_ids.values()).delete()
    Question.show_if_choices.through.objects.filter(question_id__in=question_ids.values()).delete()
    recommendations, knows, reveals = [], [], []
    for question in questions:
        question_id = question_ids[question["slug"]]
        for choice in question["choices"]:
            choice_id = choice_ids[(question_id, choice["slug"])]
            recommendations += [
                Recommendation(
                    choice_id=choice_id,
                    technology_id=tech_ids[r["technology"]],
                    weight=r["weight"],
                    because=r["because"],
                    position=position,
                )
                for position, r in enumerate(choice["recommends"])
            ]
            knows += [
                Choice.knows.through(choice_id=choice_id, technology_id=tech_ids[slug])
                for slug in choice["knows"]
            ]
        if question["show_if"]:
            parent_id = question_ids[question["show_if"]["question"]]
            Question.objects.filter(id=question_id).update(show_if_question_id=parent_id)
            reveals += [
                Question.show_if_choices.through(
                    question_id=question_id, choice_id=choice_ids[(parent_id, slug)]
                )
                for slug in question["show_if"]["any_of"]
            ]
    Recommendation.objects.bulk_create(recommendations, batch_size=500)
    Choice.knows.through.objects.bulk_create(knows, batch_size=500)
    Question.show_if_choices.through.objects.bulk_create(reveals, batch_size=500)
