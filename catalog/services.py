"""Writes to the catalog: loading a validated document in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, models, transaction
from django.utils import timezone

from catalog.models import (
    Alternative,
    CatalogChange,
    CatalogVersion,
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
from catalog.plan import SECTIONS, CatalogPlan, SectionReport, make_plan
from catalog.selectors import build_document
from catalog.versioning import bump_catalog_version, bumps_suspended, current_version

# PostgreSQL advisory lock key: two loads at once wait for each other instead of mixing.
LOAD_LOCK_KEY = 7_301_442


class CatalogConflict(Exception):
    """A load would overwrite edits made since the last load or export."""

    def __init__(self, plan: CatalogPlan) -> None:
        super().__init__(plan.conflict_message())
        self.plan = plan


def read_baseline() -> dict | None:
    """The record of the catalog as last loaded or exported (None before any)."""
    row = CatalogVersion.objects.filter(pk=1).values_list("baseline", flat=True).first()
    return row


def record_baseline(baseline: dict) -> None:
    """Note the catalog as it is now loaded or exported (the version does not move)."""
    CatalogVersion.objects.filter(pk=1).update(baseline=baseline)


def plan_load(document: object, *, prune: bool = False) -> CatalogPlan:
    """What loading `document` would change now (reads only)."""
    return make_plan(document, build_document(), baseline=read_baseline(), prune=prune)


def catalog_load(
    *,
    document: object,
    prune: bool = False,
    dry_run: bool = False,
    force: bool = False,
    expected: list[str] | None = None,
    source: str = "load_catalog",
    user: object = None,
) -> CatalogPlan:
    """Plan, then apply: upsert a validated document by slug, all or nothing.

    With `prune`, rows the document no longer has are deleted. With `dry_run`, nothing is
    written and the plan says what would change. A plan that would change entries edited
    since the last load or export raises CatalogConflict, unless `force`. With `expected`
    (the lines of a plan a curator was shown), a plan that differs now raises PlanChanged.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOAD_LOCK_KEY])
        plan = plan_load(document, prune=prune)
        plan.dry_run = dry_run
        if dry_run or not plan.changed:
            return plan
        if expected is not None and plan.lines() != expected:
            raise PlanChanged(plan)
        if plan.conflicts and not force:
            raise CatalogConflict(plan)
        written = {
            section: SectionReport(
                created=plan.sections[section].created,
                updated=[
                    slug
                    for slug in plan.dirty[section]
                    if slug not in set(plan.sections[section].created)
                ],
                deleted=plan.sections[section].deleted,
            )
            for section in SECTIONS
        }
        with bumps_suspended():
            _write(plan.document, plan.dirty, written)
        bump_catalog_version()
        record_baseline(plan.new_baseline())
        CatalogChange.objects.create(
            at=timezone.now(),
            version=current_version()[0],
            user=user,
            source=source[:300],
            lines=plan.lines(),
            counts=plan.counts(),
        )
    return plan


class PlanChanged(Exception):
    """The catalog changed between showing a plan and applying it."""

    def __init__(self, plan: CatalogPlan) -> None:
        super().__init__("The catalog changed since this plan was made; review the new plan.")
        self.plan = plan


def _upsert(
    model: type,
    items: list[dict],
    dirty: set[str],
    fields: Callable[[dict], dict],
) -> dict[str, int]:
    """Create or update rows by slug (only the dirty ones); return slug → id of every row."""
    ids = dict(model.objects.order_by().values_list("slug", "id"))
    columns: list[str] = []
    new_rows, changed_rows = [], []
    for position, item in enumerate(items):
        slug = item["slug"]
        if slug not in dirty:
            continue
        values = fields(item)
        columns = [*values, "position"]
        if slug in ids:
            changed_rows.append([*values.values(), position, ids[slug]])
        else:
            new_rows.append([slug, *values.values(), position])
    if changed_rows:
        _update_rows(model, columns, changed_rows)
    if new_rows:
        _insert_rows(model, ["slug", *columns], new_rows)
        ids = dict(model.objects.order_by().values_list("slug", "id"))
    return ids


# Django's bulk_create and bulk_update build a model instance per row and compile every value
# into SQL; at 10,000 rows that costs far more than the database does. These write the same
# rows in plain SQL. No signals are lost: bulk writes send none, and the loader suspends the
# catalog's per-row version bumps anyway.

_ROWS_PER_INSERT = 1000
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)


def _prepared(model: type, columns: list[str], rows: list[list]) -> tuple[list[str], list[list]]:
    """The columns' names in the database, and rows with values the driver takes as they are.

    Text, numbers and ids go as they are; other fields (JSON) are prepared by Django.
    """
    model_fields = [model._meta.get_field(name) for name in columns]
    for index, model_field in enumerate(model_fields):
        if not isinstance(model_field, _PLAIN_FIELDS):
            for row in rows:
                row[index] = model_field.get_db_prep_save(row[index], connection)
    return [model_field.column for model_field in model_fields], rows


def _can_copy(cursor: object) -> bool:
    """Whether this is PostgreSQL through psycopg 3, which writes rows fastest with COPY."""
    return connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy")


def _insert_rows(model: type, columns: list[str], rows: list[list]) -> None:
    """INSERT rows (lists of values in the order of columns, model field names).

    PostgreSQL takes them with COPY; other databases with many rows per INSERT.
    """
    if not rows:
        return
    names, rows = _prepared(model, columns, rows)
    quote = connection.ops.quote_name
    table = f"{quote(model._meta.db_table)} ({', '.join(map(quote, names))})"
    with connection.cursor() as cursor:
        if _can_copy(cursor):
            # Not INSERT: psycopg would parse a statement of thousands of placeholders
            # client-side (seconds at this size), or the server plan one statement per row.
            with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = f"({', '.join(['%s'] * len(names))})"
        size = min(_ROWS_PER_INSERT, (connection.features.max_query_params or 999) // len(names))
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {table} VALUES {', '.join([placeholders] * len(batch))}",
                [value for row in batch for value in row],
            )


def _update_rows(model: type, columns: list[str], rows: list[list]) -> None:
    """UPDATE rows by id: each row holds the values of columns, then the id.

    PostgreSQL copies them into a temporary table and updates from it in one statement (one
    UPDATE per row costs it seconds at this size); SQLite runs one prepared UPDATE per row.
    """
    names, rows = _prepared(model, columns, rows)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if _can_copy(cursor):
            listed = ", ".join(map(quote, [*names, "id"]))
            cursor.execute(
                f"CREATE TEMPORARY TABLE catalog_load_rows ON COMMIT DROP AS "
                f"SELECT {listed} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY catalog_load_rows ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            assignments = ", ".join(f"{quote(name)} = new.{quote(name)}" for name in names)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM catalog_load_rows AS new "
                f"WHERE {table}.id = new.id"
            )
            cursor.execute("DROP TABLE catalog_load_rows")
            return
        assignments = ", ".join(f"{quote(name)} = %s" for name in names)
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", rows)


def _delete_children(model: type, parent_field: str, parent_ids: list[int]) -> None:
    """Delete the rows of model (a link table nothing points to) whose parent is in parent_ids."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(parent_field).column)
    with connection.cursor() as cursor:
        for start in range(0, len(parent_ids), 500):
            batch = parent_ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(batch))})", batch
            )


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
            "aliases": t["aliases"],
            "checkpoints": t["checkpoints"],
            "effort_hours": t["effort_hours"],
            "homepage": t["homepage"],
        },
    )
    # A changed technology gets all its link rows anew. Only the updated ones can have old rows
    # (a created one did not exist); rows point at other technologies by slug, all in the file.
    changed = [t for t in technologies if t["slug"] in dirty["technologies"]]
    updated_ids = [tech_ids[slug] for slug in reports["technologies"].updated]
    for model in (TechnologyCategory, Prerequisite, Alternative, Resource):
        _delete_children(model, "technology", updated_ids)
    _insert_rows(
        TechnologyCategory,
        ["technology", "category", "position"],
        [
            [tech_ids[t["slug"]], category_ids[slug], position]
            for t in changed
            for position, slug in enumerate(t["categories"])
        ],
    )
    _insert_rows(
        Prerequisite,
        ["technology", "requires", "why", "position"],
        [
            [tech_ids[t["slug"]], tech_ids[p["technology"]], p["why"], position]
            for t in changed
            for position, p in enumerate(t["prerequisites"])
        ],
    )
    _insert_rows(
        Alternative,
        ["technology", "alternative", "position"],
        [
            [tech_ids[t["slug"]], tech_ids[slug], position]
            for t in changed
            for position, slug in enumerate(t["alternatives"])
        ],
    )
    _insert_rows(
        Resource,
        ["technology", "title", "url", "kind", "position"],
        [
            [tech_ids[t["slug"]], r["title"], r["url"], r["kind"], position]
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
    _delete_children(
        ProjectUse, "project", [project_ids[slug] for slug in reports["projects"].updated]
    )
    _insert_rows(
        ProjectUse,
        ["project", "technology", "position"],
        [
            [project_ids[p["slug"]], tech_ids[slug], position]
            for p in changed_projects
            for position, slug in enumerate(p["uses"])
        ],
    )

    if dirty["questions"] or reports["questions"].deleted:
        _write_questions(document["questions"], tech_ids)

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
    all_question_ids = _upsert(
        Question,
        questions,
        dirty,
        lambda q: {"prompt": q["prompt"], "help": q["help"], "kind": q["kind"]},
    )
    question_ids = {q["slug"]: all_question_ids[q["slug"]] for q in questions}
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
