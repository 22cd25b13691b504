"""Validate a YAML catalog file and report every error; writes nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.files import read_catalog_file
from catalog.schema_errors import CatalogInvalid


class Command(BaseCommand):
    help = "Check a schema-version-1 YAML catalog; print every error with its line. Writes nothing."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")

    def handle(self, *args: object, **options: object) -> None:
        try:
            document = read_catalog_file(options["path"])
        except CatalogInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{options['path']}: {len(invalid.errors)} error(s).") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{options['path']} is valid: {len(document.categories)} categories, "
                f"{len(document.technologies)} technologies, "
                f"{len(document.projects)} projects, {len(document.questions)} questions."
            )
        )
