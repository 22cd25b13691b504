"""Request every resource URL and homepage of the catalog; report each one that fails."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.links import catalog_links, check_urls, record


def _positive(kind: type, name: str):
    def parse(text: str) -> object:
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or value <= 0:
            from argparse import ArgumentTypeError

            raise ArgumentTypeError(f"{name} must be a number above 0, got {text!r}")
        return value

    return parse


class Command(BaseCommand):
    help = (
        "Request every resource URL and homepage of the catalog, several at a time; print "
        "each one that fails (status or error, technology, resource) and exit 1 if any does."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--timeout",
            type=_positive(float, "--timeout"),
            default=10.0,
            help="seconds to wait for each answer (default 10)",
        )
        parser.add_argument(
            "--concurrency",
            type=_positive(int, "--concurrency"),
            default=10,
            help="how many requests at a time (default 10)",
        )

    def handle(self, *args: object, **options: object) -> None:
        links = catalog_links()
        if not links:
            self.stdout.write("The catalog has no links to check.")
            return
        outcomes = check_urls(
            [link.url for link in links],
            timeout=options["timeout"],
            concurrency=options["concurrency"],
        )
        record(links, outcomes)
        failed = [link for link in links if not outcomes[link.url].ok]
        for link in failed:
            self.stdout.write(
                f"{outcomes[link.url].result}: {link.url} ({link.technology}, {link.what})"
            )
        summary = (
            f"Checked {len(links)} links ({len(outcomes)} addresses): "
            f"{len(failed)} failed, {len(links) - len(failed)} OK."
        )
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
