"""Checking the catalog's links: every resource URL and homepage, several at a time.

`check_links` (the command) and the admin's "last check" column read and write through here.
Each distinct address is requested once, with GET (some servers answer HEAD wrongly), the
body never read. Redirects are followed by hand so that a loop, a redirect out of http(s) and
too many hops each get their own words; a 2xx answer at the end is a success, anything else a
failure. No catalog content changes, so the catalog version does not move.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from django.utils import timezone

MAX_REDIRECTS = 10
USER_AGENT = "BackendPath-check_links/1 (+catalog link checker)"


@dataclass(frozen=True)
class Link:
    url: str
    technology: str  # the technology's name
    title: str  # the resource's title, or "" for the homepage
    resource_id: int | None
    technology_id: int

    @property
    def what(self) -> str:
        return f'resource "{self.title}"' if self.resource_id else "homepage"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    result: str  # "OK (200)", "HTTP 404", "timed out after 5 s", ...


def catalog_links() -> list[Link]:
    """Every resource URL and homepage, in the catalog's order (two queries)."""
    from catalog.models import Resource, Technology

    links = []
    names = {}
    for tech_id, name, homepage in Technology.objects.order_by("position", "slug").values_list(
        "id", "name", "homepage"
    ):
        names[tech_id] = name
        if homepage:
            links.append(Link(homepage, name, "", None, tech_id))
    for resource_id, tech_id, title, url in Resource.objects.order_by(
        "technology__position", "technology__slug", "position", "id"
    ).values_list("id", "technology_id", "title", "url"):
        links.append(Link(url, names[tech_id], title, resource_id, tech_id))
    return links


def check_urls(urls: list[str], *, timeout: float, concurrency: int) -> dict[str, Outcome]:
    """Request each address once, at most `concurrency` at a time."""
    return asyncio.run(_check_all(list(dict.fromkeys(urls)), timeout, concurrency))


async def _check_all(urls: list[str], timeout: float, concurrency: int) -> dict[str, Outcome]:
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        limits=httpx.Limits(max_connections=concurrency),
    ) as client:

        async def one(url: str) -> tuple[str, Outcome]:
            async with limit:
                try:
                    # The whole exchange, redirects included, within twice the timeout.
                    async with asyncio.timeout(2 * timeout):
                        return url, await _check(client, url, timeout)
                except TimeoutError:
                    return url, Outcome(False, f"timed out after {timeout:g} s")

        return dict(await asyncio.gather(*(one(url) for url in urls)))


async def _check(client: httpx.AsyncClient, url: str, timeout: float) -> Outcome:
    seen = [url]
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            async with client.stream("GET", current) as response:
                status = response.status_code
                location = response.headers.get("location")
        except httpx.TimeoutException:
            return Outcome(False, f"timed out after {timeout:g} s")
        except httpx.ConnectError as error:
            return Outcome(False, f"cannot connect: {_reason(error)}")
        except httpx.HTTPError as error:
            return Outcome(False, f"request failed: {_reason(error)}")
        if status in (301, 302, 303, 307, 308) and location:
            target = urljoin(current, location)
            if urlsplit(target).scheme not in ("http", "https"):
                return Outcome(False, f"redirects out of http(s), to {target}")
            if target in seen:
                return Outcome(False, f"redirect loop ({' -> '.join([*seen, target])})")
            seen.append(target)
            current = target
            continue
        if 200 <= status < 300:
            moved = f", after redirects to {current}" if current != url else ""
            return Outcome(True, f"OK ({status}{moved})")
        return Outcome(False, f"HTTP {status}" + (f" at {current}" if current != url else ""))
    return Outcome(False, f"more than {MAX_REDIRECTS} redirects")


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text[:200]


def record(links: list[Link], outcomes: dict[str, Outcome]) -> None:
    """Keep each link's result where the admin shows it (no catalog version bump)."""
    from catalog.models import Resource, Technology

    now = timezone.now()
    resources, technologies = [], []
    for link in links:
        outcome = outcomes[link.url]
        if link.resource_id:
            resources.append(
                Resource(
                    id=link.resource_id,
                    last_check=outcome.result[:300],
                    last_check_ok=outcome.ok,
                    last_checked_at=now,
                )
            )
        else:
            technologies.append(
                Technology(
                    id=link.technology_id,
                    homepage_check=outcome.result[:300],
                    homepage_checked_at=now,
                )
            )
    Resource.objects.bulk_update(
        resources, ["last_check", "last_check_ok", "last_checked_at"], batch_size=500
    )
    Technology.objects.bulk_update(
        technologies, ["homepage_check", "homepage_checked_at"], batch_size=500
    )
