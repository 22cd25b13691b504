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
        parser.add_argument(
            "--lint",
            action="store_true",
            help="also list what a curator may want to fix: technologies no answer reaches, "
            "without resources or checkpoints, questions that recommend nothing, redundant choices",
        )

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
        if options["lint"]:
            from catalog.health import KINDS, lint

            findings = lint(document)
            for kind, heading in KINDS.items():
                mine = [finding for finding in findings if finding.kind == kind]
                if mine:
                    self.stdout.write(f"{heading} ({len(mine)}):")
                    for finding in mine:
                        self.stdout.write(f"  {finding.text}")
            if not findings:
                self.stdout.write("Nothing to point out.")
