"""Write a deterministic generated catalog, for benchmarks and size tests."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.generator import generate_document
from catalog.yaml_writer import dump_catalog


class Command(BaseCommand):
    help = "Generate a valid catalog of N technologies (same N and seed, same file)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--technologies", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument(
            "--compact",
            action="store_true",
            help="leaner entries, so that 10,000 technologies fit the loader's 2 MiB limit",
        )

    def handle(self, *args: object, **options: object) -> None:
        count = options["technologies"]
        if not 1 <= count <= 100_000:
            raise CommandError("--technologies must be from 1 to 100000.")
        text = dump_catalog(
            generate_document(count, seed=options["seed"], compact=bool(options["compact"]))
        )
        try:
            Path(options["output"]).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {options['output']}: {error.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} technologies to {options['output']}."))
