"""Catalog search: ranked, case- and accent-insensitive, over plain data.

The ranking runs in Python over the catalog document that is already cached per catalog
version, not in the database: results are identical on SQLite and PostgreSQL, a search costs
no query beyond the version check, and a catalog of a few thousand technologies is searched
in a few milliseconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
_NOT_WORD = re.compile(r"[\W_]+")

# Tiers, best first: name matches always rank above matches found only in other fields.
TIER_NAME_IS_QUERY = 0
TIER_NAME_STARTS_WITH_QUERY = 1
TIER_NAME_HAS_EVERY_TERM = 2
TIER_NAME_HAS_A_TERM = 3
TIER_TEXT_ONLY = 4


def fold(text: str) -> str:
    """Lowercase `text` and remove accents, so "Café" and "CAFE" both become "cafe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> str:
    """The folded words of `text`, joined by single spaces."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def terms(query: str) -> list[str]:
    """The distinct search terms of a query, in order, at most MAX_TERMS."""
    found: list[str] = []
    for term in words(query[:MAX_QUERY_LENGTH]).split():
        if term not in found:
            found.append(term)
    return found[:MAX_TERMS]


@dataclass(frozen=True)
class SearchEntry:
    """One technology's searchable text, folded once per catalog version.

    Word fields are stored as " word word " so that " term" in field tests a word prefix.
    """

    slug: str
    position: int
    name: str
    name_words: str
    slug_words: str
    highlights: str
    summary: str

    @classmethod
    def build(
        cls, *, slug: str, name: str, summary: str, highlights: Iterable[str], position: int
    ) -> SearchEntry:
        """Fold a technology's fields for searching."""
        return cls(
            slug=slug,
            position=position,
            name=words(name),
            name_words=f" {words(name)} ",
            slug_words=f" {words(slug)} ",
            highlights=f" {words(' '.join(highlights))} ",
            summary=f" {words(summary)} ",
        )


def _score(entry: SearchEntry, query_terms: Sequence[str]) -> tuple[int, int] | None:
    """(tier, score) when every term matches somewhere, else None."""
    score = 0
    name_hits = 0
    for term in query_terms:
        prefix = f" {term}"
        if f" {term} " in entry.name_words:
            score, name_hits = score + 10, name_hits + 1
        elif prefix in entry.name_words:
            score, name_hits = score + 8, name_hits + 1
        elif term in entry.name:
            score, name_hits = score + 5, name_hits + 1
        elif prefix in entry.slug_words or term in entry.slug_words:
            score, name_hits = score + 4, name_hits + 1
        elif prefix in entry.highlights:
            score += 2
        elif prefix in entry.summary:
            score += 1
        else:
            return None
    phrase = " ".join(query_terms)
    if entry.name == phrase:
        tier = TIER_NAME_IS_QUERY
    elif entry.name.startswith(phrase):
        tier = TIER_NAME_STARTS_WITH_QUERY
    elif name_hits == len(query_terms):
        tier = TIER_NAME_HAS_EVERY_TERM
    elif name_hits:
        tier = TIER_NAME_HAS_A_TERM
    else:
        tier = TIER_TEXT_ONLY
    return tier, score


def rank(entries: Iterable[SearchEntry], query: str) -> list[str]:
    """Slugs of the entries matching every term of `query`, best first.

    Name matches come first (the whole name, then a name starting with the query, then names
    holding every term), then slug, highlights and summary matches; ties keep catalog order.
    A query without any letter or digit matches nothing.
    """
    query_terms = terms(query)
    if not query_terms:
        return []
    scored = []
    for entry in entries:
        result = _score(entry, query_terms)
        if result is not None:
            tier, score = result
            scored.append((tier, -score, entry.position, entry.slug))
    scored.sort()
    return [slug for *_, slug in scored]
