"""Load a YAML catalog into the database: upsert by slug, all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.files import read_catalog_file
from catalog.schema_errors import CatalogInvalid
from catalog.services import SECTIONS, catalog_load

DEFAULT_PATH = "fixtures/catalog.yaml"


class Command(BaseCommand):
    help = (
        "Load a schema-version-1 YAML catalog (default fixtures/catalog.yaml) in one "
        "transaction. Rows are matched by slug; --prune deletes what the file no longer has; "
        "--dry-run names what would change and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=DEFAULT_PATH)
        parser.add_argument("--prune", action="store_true", help="delete what the file lacks")
        parser.add_argument("--dry-run", action="store_true", help="write nothing")
        parser.add_argument(
            "--if-empty", action="store_true", help="load only when the catalog has no technology"
        )

    def handle(self, *args: object, **options: object) -> None:
        from catalog.models import Technology

        if options["if_empty"] and Technology.objects.exists():
            self.stdout.write("The catalog already has content; nothing loaded.")
            return
        try:
            document = read_catalog_file(options["path"])
        except CatalogInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{options['path']}: {len(invalid.errors)} error(s); nothing was changed."
            ) from None
        report = catalog_load(
            document=document, prune=bool(options["prune"]), dry_run=bool(options["dry_run"])
        )
        if not report.changed:
            # DESIGN.md: a file that matches the database says so, and nothing was written.
            self.stdout.write("No changes.")
            return
        verb = {"created": "would create", "updated": "would update", "deleted": "would delete"}
        singular = {
            "categories": "category",
            "technologies": "technology",
            "projects": "project",
            "questions": "question",
        }
        for section in SECTIONS:
            part = report.sections[section]
            if report.dry_run:
                for action in ("created", "updated", "deleted"):
                    for slug in getattr(part, action):
                        self.stdout.write(f"{verb[action]} {singular[section]} {slug}")
        counts = ", ".join(
            f"{section}: {len(part.created)} created, {len(part.updated)} updated, "
            f"{len(part.deleted)} deleted, {len(part.unchanged)} unchanged"
            for section, part in report.sections.items()
        )
        if report.dry_run:
            self.stdout.write(f"Dry run, nothing written. {counts}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Loaded {options['path']}. {counts}"))
