"""Write the database's catalog as schema-version-1 YAML."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.selectors import build_document
from catalog.yaml_writer import dump_catalog


class Command(BaseCommand):
    help = "Export the catalog as canonical YAML to standard output or to -o PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: object, **options: object) -> None:
        text = dump_catalog(build_document())
        output = options["output"]
        if not output or output == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror or error}") from None
        self.stderr.write(self.style.SUCCESS(f"Wrote {output}."))
