"""Write the database's catalog as schema-version-1 YAML."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.plan import baseline_of
from catalog.selectors import build_document
from catalog.services import record_baseline
from catalog.yaml_writer import dump_catalog


class Command(BaseCommand):
    help = "Export the catalog as canonical YAML to standard output or to -o PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: object, **options: object) -> None:
        document = build_document()
        text = dump_catalog(document)
        output = options["output"]
        if not output or output == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
            record_baseline(baseline_of(document))
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror or error}") from None
        # What a later load compares with: edits after this export are the ones it protects.
        record_baseline(baseline_of(document))
        self.stderr.write(self.style.SUCCESS(f"Wrote {output}."))
