"""Load a YAML catalog into the database: a plan of every change, then all of it or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.files import read_catalog_file
from catalog.schema_errors import CatalogInvalid
from catalog.services import CatalogConflict, catalog_load

DEFAULT_PATH = "fixtures/catalog.yaml"


class Command(BaseCommand):
    help = (
        "Load a schema-version-1 YAML catalog (default fixtures/catalog.yaml) in one "
        "transaction. Rows are matched by slug; every change is printed field by field; "
        "--prune deletes what the file no longer has; --dry-run prints the changes and writes "
        "nothing; a load that would overwrite edits made since the last load or export stops "
        "and names them, unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=DEFAULT_PATH)
        parser.add_argument("--prune", action="store_true", help="delete what the file lacks")
        parser.add_argument("--dry-run", action="store_true", help="write nothing")
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite edits made in the admin or a shell since the last load or export",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="load only when the catalog has no technology"
        )

    def handle(self, *args: object, **options: object) -> None:
        from catalog.models import Technology

        if options["if_empty"] and Technology.objects.exists():
            self.stdout.write("The catalog already has content; nothing loaded.")
            return
        path = options["path"]
        try:
            document = read_catalog_file(path)
        except CatalogInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{path}: {len(invalid.errors)} error(s); nothing was changed."
            ) from None
        try:
            plan = catalog_load(
                document=document,
                prune=bool(options["prune"]),
                dry_run=bool(options["dry_run"]),
                force=bool(options["force"]),
                source=f"load_catalog {path}",
            )
        except CatalogConflict as conflict:
            for line in conflict.plan.lines():
                self.stdout.write(line)
            raise CommandError(f"Nothing was changed. {conflict.plan.conflict_message()}") from None
        if not plan.changed:
            # DESIGN.md: a file that matches the database says so, and nothing was written.
            self.stdout.write("No changes.")
            return
        for line in plan.lines():
            self.stdout.write(line)
        if plan.dry_run:
            self.stdout.write(f"Dry run, nothing written. {plan.counts()}")
            if plan.conflicts and not options["force"]:
                self.stdout.write(f"A load would stop here. {plan.conflict_message()}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Loaded {path}. {plan.counts()}"))
